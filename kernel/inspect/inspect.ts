// Kernel-aware inspection: reads the kernel's objects out of a running (or stopped) machine's
// physical memory, using the ABI's offsets and the kernel's symbols. The debug adapter lists
// processes, threads and capabilities with it; tests call checkInvariants after a run.
// Reads have no side effects (readPhysical), so this is safe at any stop.

import * as abi from '../abi/abi';
import { SystemImage } from '../system/build';

/** The hart's live XPC registers (emulator/hart/xpc.ts's XpcEngine satisfies it). */
export interface LiveXpcRegisters {
  readonly xlink: bigint; readonly xcap: bigint; readonly xseglist: bigint; readonly xseglistLen: bigint;
  readonly xdomain: bigint; readonly xcaller: bigint;
  readonly seg: { readonly va: bigint; readonly pa: bigint; readonly len: bigint; readonly perm: bigint };
}
/**
 * What the inspector needs from a machine (emulator/machine/machine.ts satisfies it). With
 * `hart`, the XPC state of the thread that owns the XPC registers is read live from them (its
 * TCB copy is only written when another thread runs).
 */
export interface PhysicalMemory { readPhysical(pa: number, length: number): Uint8Array | undefined; readonly hart?: { readonly xpc: LiveXpcRegisters } }

export interface ThreadInfo {
  readonly index: number;
  readonly name: string;
  readonly state: string;
  readonly stateCode: number;
  readonly priority: number;
  /** The thread's own process. */
  readonly process?: string;
  /** XPC: the process whose domain it runs in (a callee's while inside an xcall; as of its last trap). */
  readonly domain?: string;
  readonly pc: bigint;
  /** Kernel address of the TCB. */
  readonly tcb: bigint;
}
export interface CapInfo { readonly slot: number; readonly type: string; readonly object: string; readonly badge: bigint; readonly rights: string }
export interface ProcessInfo {
  readonly index: number;
  readonly name: string;
  readonly asid: number;
  readonly state: string;
  readonly exitCode: number;
  readonly threads: readonly ThreadInfo[];
  readonly capabilities: readonly CapInfo[];
}
/** XPC (issue #7): an x-entry of the kernel's table. */
export interface XEntryInfo {
  readonly id: number;
  /** Its name in the description (undefined for one registered at run time). */
  readonly name?: string;
  readonly owner: string;
  /** The owner's symbol at entry_pc (the XPC_ENTRY name), or the address in hex. */
  readonly handler: string;
  readonly entryPc: bigint;
  readonly contexts: number;
  readonly valid: boolean;
  /** Processes whose xcall-cap bitmap holds its bit. */
  readonly callers: readonly string[];
}
export interface RelaySegmentInfo {
  readonly name?: string;
  readonly owner: string;
  readonly pa: number;
  readonly va: bigint;
  readonly size: number;
  readonly perms: string;
  /** Allocated at run time (SYS_XPC_SEG_ALLOC) rather than from the description. */
  readonly pool: boolean;
  /** Where it is active: "seg-list client[0]", "seg-reg client.main", "link record client.main#0". */
  readonly locations: readonly string[];
}
export interface LinkRecordInfo { readonly index: number; readonly valid: boolean; readonly retPc: bigint; readonly domain: number; readonly process?: string; readonly segLen: bigint; readonly handedLen: bigint }
export interface ThreadXpcInfo {
  readonly thread: string;
  /** The process whose domain it runs in now. */
  readonly domain?: string;
  readonly caller: number;
  readonly segment: { readonly va: bigint; readonly len: bigint; readonly perm: bigint };
  readonly linkStack: readonly LinkRecordInfo[];
}
export interface XpcKernelView {
  readonly enabled: boolean;
  readonly xEntries: readonly XEntryInfo[];
  readonly relaySegments: readonly RelaySegmentInfo[];
  readonly threads: readonly ThreadXpcInfo[];
}

/** A reply object (seL4 MCS): who holds its capability and which caller is bound to it. */
export interface ReplyInfo {
  readonly index: number;
  readonly name: string;
  /** `process slot N` of the capability naming it (undefined when no live process holds one). */
  readonly holder?: string;
  /** `process.thread` blocked in Call on it (undefined: unbound). */
  readonly caller?: string;
}

export interface KernelView {
  readonly processes: readonly ProcessInfo[];
  readonly replies: readonly ReplyInfo[];
  readonly idle: ThreadInfo;
  /** The thread the kernel last ran (the idle thread when nothing could run). */
  readonly current?: ThreadInfo;
}

const F = (s: abi.StructLayout, f: string): bigint => BigInt(s.fields[f]);

export class KernelInspector {
  private readonly sym = new Map<string, bigint>();
  constructor(private readonly mem: PhysicalMemory, private readonly image: SystemImage) {
    for (const s of image.kernel.symbols) this.sym.set(s.name, s.value);
  }

  private addr(name: string): bigint {
    const v = this.sym.get(name);
    if (v === undefined) throw new Error(`kernel symbol '${name}' is missing`);
    return v;
  }
  /** A u64 at a kernel virtual address (0 when unreadable). */
  u64(kva: bigint): bigint {
    const b = this.mem.readPhysical(Number(kva - abi.KERNEL_OFFSET), 8);
    if (!b) return 0n;
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  }
  private cstr(kva: bigint, max = 32): string {
    const b = this.mem.readPhysical(Number(kva - abi.KERNEL_OFFSET), max);
    if (!b) return '?';
    const end = b.indexOf(0);
    return Buffer.from(b.subarray(0, end < 0 ? max : end)).toString('utf8');
  }
  global(name: string): bigint { return this.u64(this.addr(name)); }
  tcbAddr(index: number): bigint { return this.addr('kernel_tcbs') + BigInt(index * abi.TCB.size); }
  procAddr(index: number): bigint { return this.addr('kernel_procs') + BigInt(index * abi.PROC.size); }
  get counts() {
    return {
      procs: Number(this.global('num_procs')), threads: Number(this.global('num_threads')),
      endpoints: Number(this.global('num_endpoints')), notifications: Number(this.global('num_notifications')),
    };
  }

  thread(tcb: bigint, index: number): ThreadInfo {
    const code = Number(this.u64(tcb + F(abi.TCB, 'STATE')));
    // The thread's own process (TCB_HOME); an older image without it falls back to TCB_PROC.
    const proc = this.u64(tcb + F(abi.TCB, 'HOME')) || this.u64(tcb + F(abi.TCB, 'PROC'));
    const pidx = proc ? Number((proc - this.addr('kernel_procs')) / BigInt(abi.PROC.size)) : -1;
    return {
      index, name: this.cstr(tcb + F(abi.TCB, 'NAME')), stateCode: code, state: abi.THREAD_STATE_NAMES[code] ?? `state ${code}`,
      priority: Number(this.u64(tcb + F(abi.TCB, 'PRIO'))), process: this.image.processes[pidx]?.name,
      domain: this.image.processes[this.procIndex(this.u64(tcb + F(abi.TCB, 'PROC')))]?.name,
      pc: this.u64(tcb + F(abi.TCB, 'PC')), tcb,
    };
  }

  /** Names an object address the way a capability shows it: "endpoint echo", "thread pingpong.ping". */
  objectName(type: number, obj: bigint): string {
    const arrays: Record<number, [string, number, (i: number) => string | undefined]> = {
      [abi.CAP_TYPES.CAP_ENDPOINT]: ['kernel_endpoints', abi.EP.size, (i) => this.image.endpoints[i]],
      [abi.CAP_TYPES.CAP_NOTIFICATION]: ['kernel_notifications', abi.NTFN.size, (i) => this.image.notifications[i]],
      [abi.CAP_TYPES.CAP_REPLY]: ['kernel_replies', abi.REPLY.size, (i) => this.image.replies[i]],
      [abi.CAP_TYPES.CAP_PROCESS]: ['kernel_procs', abi.PROC.size, (i) => this.image.processes[i]?.name],
      [abi.CAP_TYPES.CAP_THREAD]: ['kernel_tcbs', abi.TCB.size, (i) => this.threadName(i)],
      [abi.CAP_TYPES.CAP_XENTRY]: ['xentry_table', abi.XE.size, (i) => this.image.xEntries.find((x) => x.id === i)?.name ?? `x-entry ${i}`],
    };
    if (type === abi.CAP_TYPES.CAP_XPC_CONTROL) return 'xpc';
    const a = arrays[type];
    const hex = `0x${obj.toString(16)}`;
    if (!a) return hex;
    const off = obj - this.addr(a[0]);
    const i = Number(off / BigInt(a[1]));
    return off >= 0n && off % BigInt(a[1]) === 0n ? a[2](i) ?? hex : hex;
  }

  /** `process.thread` as the description names it (a thread may rename itself at run time). */
  private threadName(index: number): string | undefined {
    for (const p of this.image.processes) for (const t of p.threads) if (t.index === index) return `${p.name}.${t.name}`;
    return undefined;
  }

  private procIndex(proc: bigint): number {
    const off = proc - this.addr('kernel_procs');
    return off >= 0n && off % BigInt(abi.PROC.size) === 0n ? Number(off / BigInt(abi.PROC.size)) : -1;
  }
  private procName(proc: bigint): string { return this.image.processes[this.procIndex(proc)]?.name ?? `0x${proc.toString(16)}`; }
  private has(name: string): boolean { return this.sym.has(name); }

  /** A thread's XPC registers: live from the hart for the thread that owns them, else its TCB copy. */
  private xpcRegs(tcb: bigint) {
    const live = this.mem.hart?.xpc;
    const t = (f: string) => this.u64(tcb + F(abi.TCB, f));
    if (live && this.global('xpc_owner') === tcb) {
      return { xlink: live.xlink, base: t('XLINK_BASE'), limit: t('XLINK_LIMIT'), xdomain: live.xdomain, xcaller: live.xcaller, seg: { ...live.seg } };
    }
    return {
      xlink: t('XLINK'), base: t('XLINK_BASE'), limit: t('XLINK_LIMIT'), xdomain: t('XDOMAIN'), xcaller: t('XCALLER'),
      seg: { va: t('SEG_VA'), pa: t('SEG_PA'), len: t('SEG_LEN'), perm: t('SEG_PERM') },
    };
  }
  private pu64(pa: bigint): bigint {
    const b = this.mem.readPhysical(Number(pa), 8);
    return b ? new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true) : 0n;
  }
  private records(regs: { xlink: bigint; base: bigint }): (LinkRecordInfo & { segVa: bigint; handedVa: bigint })[] {
    const out: (LinkRecordInfo & { segVa: bigint; handedVa: bigint })[] = [];
    for (let a = regs.base, i = 0; a + 128n <= regs.xlink && i < abi.LINK_STACK_RECORDS; a += 128n, i++) {
      const f = (name: string) => this.pu64(a + F(abi.LR, name));
      const domain = Number(f('DOMAIN'));
      out.push({
        index: i, valid: (f('FLAGS') & 1n) === 1n, retPc: f('RET_PC'), domain, process: this.image.processes[domain - 1]?.name,
        segLen: f('SEG_LEN'), handedLen: f('HANDED_LEN'), segVa: f('SEG_VA'), handedVa: f('HANDED_VA'),
      });
    }
    return out;
  }

  /** The kernel's XPC objects: x-entries with owner, handler and callers; relay segments and where each is; per-thread link stacks. */
  xpcView(): XpcKernelView { return this.scanXpc().view; }

  /** The XPC view, and every place a relay-segment VA is held (for the invariants). */
  private scanXpc(): { view: XpcKernelView; loc: { where: string; va: bigint }[] } {
    if (!this.has('xpc_enabled') || this.global('xpc_enabled') === 0n) return { view: { enabled: false, xEntries: [], relaySegments: [], threads: [] }, loc: [] };
    const n = this.counts;
    const bitmaps = Array.from({ length: n.procs }, (_, i) => this.u64(this.procAddr(i) + F(abi.PROC, 'XCAP')));
    const xEntries: XEntryInfo[] = [];
    for (let id = 1; id < abi.MAX_XENTRIES; id++) {
      const e = this.addr('xentry_table') + BigInt(id * abi.XE.size);
      const info = this.addr('xentry_info') + BigInt(id * abi.XEI.size);
      const owner = this.u64(info + F(abi.XEI, 'OWNER'));
      const valid = (this.u64(e + F(abi.XE, 'FLAGS')) & 1n) === 1n;
      const described = this.image.xEntries.find((x) => x.id === id);
      if (!owner && !valid && !described) continue;
      const entryPc = this.u64(e + F(abi.XE, 'ENTRY_PC'));
      const ownerName = owner ? this.procName(owner) : described?.process ?? '?';
      const img = this.image.processes.find((p) => p.name === ownerName)?.image;
      const sym = img?.symbols.find((s) => s.value === entryPc && s.section !== 'undef' && !s.name.startsWith('.'));
      xEntries.push({
        id, name: described?.name, owner: ownerName, handler: sym?.name ?? described?.handler ?? `0x${entryPc.toString(16)}`, entryPc,
        contexts: Number(this.u64(info + F(abi.XEI, 'CONTEXTS'))) || described?.contexts || 0, valid,
        callers: bitmaps.flatMap((b, i) => (((b >> BigInt(id)) & 1n) === 1n ? [this.image.processes[i]?.name ?? `#${i}`] : [])),
      });
    }
    const threads: ThreadXpcInfo[] = [];
    const live = (tcb: bigint) => { const st = Number(this.u64(tcb + F(abi.TCB, 'STATE'))); return st !== abi.THREAD_STATES.TS_DEAD && st !== abi.THREAD_STATES.TS_INACTIVE; };
    const loc: { where: string; va: bigint }[] = [];
    for (let i = 0; i < n.threads; i++) {
      const tcb = this.tcbAddr(i);
      const th = this.thread(tcb, i);
      const regs = this.xpcRegs(tcb);
      const recs = this.records(regs);
      const name = `${th.process}.${th.name}`;
      threads.push({
        thread: name, domain: this.image.processes[Number(regs.xdomain) - 1]?.name, caller: Number(regs.xcaller),
        segment: { va: regs.seg.va, len: regs.seg.len, perm: regs.seg.perm }, linkStack: recs.map(({ segVa: _s, handedVa: _h, ...r }) => r),
      });
      if (!live(tcb)) continue;
      if (regs.seg.len) loc.push({ where: `seg-reg ${name}`, va: regs.seg.va });
      for (const r of recs) if (r.valid && r.segLen && !r.handedLen) loc.push({ where: `link record ${name}#${r.index}`, va: r.segVa });
    }
    for (let i = 0; i < n.procs; i++) {
      const p = this.procAddr(i);
      if (Number(this.u64(p + F(abi.PROC, 'STATE'))) !== abi.PROC_STATES.PS_LIVE) continue;
      const list = this.u64(p + F(abi.PROC, 'SEGLIST'));
      for (let k = 0; k < abi.SEGLIST_SLOTS; k++) {
        const slot = list + BigInt(k * abi.SS.size);
        if (this.u64(slot + F(abi.SS, 'LEN'))) loc.push({ where: `seg-list ${this.image.processes[i]?.name}[${k}]`, va: this.u64(slot + F(abi.SS, 'VA')) });
      }
    }
    const relaySegments: RelaySegmentInfo[] = [];
    for (let k = 0; k < abi.MAX_RELAY_SEGS; k++) {
      const r = this.addr('relay_segs') + BigInt(k * abi.RS.size);
      const owner = this.u64(r + F(abi.RS, 'OWNER'));
      if (!owner) continue;
      const pa = Number(this.u64(r + F(abi.RS, 'PA')));
      const size = Number(this.u64(r + F(abi.RS, 'LEN')));
      const va = abi.USER_RELAY_BASE + BigInt(pa - abi.KERNEL_PA);
      const perm = Number(this.u64(r + F(abi.RS, 'PERM')));
      relaySegments.push({
        name: this.image.relaySegments.find((x) => x.pa === pa)?.name, owner: this.procName(owner), pa, va, size,
        perms: `${perm & 1 ? 'r' : ''}${perm & 2 ? 'w' : ''}`, pool: this.u64(r + F(abi.RS, 'POOL')) !== 0n,
        locations: loc.filter((l) => l.va >= va && l.va < va + BigInt(size)).map((l) => l.where),
      });
    }
    return { view: { enabled: true, xEntries, relaySegments, threads }, loc };
  }

  /** XPC invariants (part of checkInvariants). */
  private checkXpc(bad: string[]): void {
    const { view: x, loc } = this.scanXpc();
    if (!x.enabled) return;
    const n = this.counts;
    // Relay segments: each active in exactly one seg-reg, seg-list slot or parked link record; nothing refers to freed memory.
    for (const s of x.relaySegments) {
      if (s.locations.length !== 1) bad.push(`relay segment ${s.name ?? `0x${s.va.toString(16)}`} is active in ${s.locations.length} places${s.locations.length ? ` (${s.locations.join(', ')})` : ''}`);
    }
    for (const l of loc) if (!x.relaySegments.some((s) => l.va >= s.va && l.va < s.va + BigInt(s.size))) bad.push(`${l.where} holds 0x${l.va.toString(16)}, which is no allocated relay segment`);
    const sorted = [...x.relaySegments].sort((a, b) => a.pa - b.pa);
    for (let i = 1; i < sorted.length; i++) if (sorted[i].pa < sorted[i - 1].pa + sorted[i - 1].size) bad.push(`relay segments at 0x${sorted[i - 1].pa.toString(16)} and 0x${sorted[i].pa.toString(16)} overlap`);
    // Link stacks well formed.
    const stacks = this.addr('kernel_linkstacks') - abi.KERNEL_OFFSET;
    const liveDomain = (d: number) => d >= 1 && d <= n.procs && Number(this.u64(this.procAddr(d - 1) + F(abi.PROC, 'STATE'))) === abi.PROC_STATES.PS_LIVE;
    for (let i = 0; i < n.threads; i++) {
      const tcb = this.tcbAddr(i);
      const st = Number(this.u64(tcb + F(abi.TCB, 'STATE')));
      if (st === abi.THREAD_STATES.TS_DEAD) continue;
      const th = x.threads[i];
      const regs = this.xpcRegs(tcb);
      const base = stacks + BigInt(i * abi.LINK_STACK_RECORDS * abi.LR.size);
      if (regs.base !== base || regs.limit !== base + BigInt(abi.LINK_STACK_RECORDS * abi.LR.size)) bad.push(`thread ${th.thread}: link stack bounds are not its own`);
      if (regs.xlink < regs.base || regs.xlink > regs.limit || (regs.xlink - regs.base) % 128n !== 0n) bad.push(`thread ${th.thread}: xlink 0x${regs.xlink.toString(16)} is not a record boundary of its link stack`);
      for (const r of th.linkStack) if (r.valid && !liveDomain(r.domain)) bad.push(`thread ${th.thread}: valid link record #${r.index} returns into dead domain ${r.domain}`);
      const home = this.u64(tcb + F(abi.TCB, 'HOME'));
      const cur = this.u64(tcb + F(abi.TCB, 'PROC'));
      if (th.linkStack.length === 0 && Number(regs.xdomain) !== this.procIndex(home) + 1) bad.push(`thread ${th.thread}: outside any call but in domain ${regs.xdomain}`);
      // The thread on the hart may have xcalled since its last trap: only a thread off the hart must agree.
      const onHart = this.mem.hart !== undefined && this.global('xpc_owner') === tcb;
      if (!onHart && Number(regs.xdomain) !== this.procIndex(cur) + 1) bad.push(`thread ${th.thread}: xdomain ${regs.xdomain} but the kernel has it in ${this.procName(cur)}`);
    }
    // Bitmaps name only valid x-entries; valid entries belong to live owners and match them.
    for (let i = 0; i < n.procs; i++) {
      const p = this.procAddr(i);
      const b = this.u64(p + F(abi.PROC, 'XCAP'));
      const name = this.image.processes[i]?.name ?? `#${i}`;
      if (b & 1n) bad.push(`process ${name}: its xcall-cap bitmap grants the reserved entry 0`);
      for (let id = 1; id < abi.MAX_XENTRIES; id++) if ((b >> BigInt(id)) & 1n && !x.xEntries.some((e) => e.id === id && e.valid)) bad.push(`process ${name}: its bitmap grants x-entry ${id}, which is not valid`);
    }
    for (const e of x.xEntries) {
      if (!e.valid) continue;
      const owner = this.image.processes.findIndex((p) => p.name === e.owner);
      const entry = this.addr('xentry_table') + BigInt(e.id * abi.XE.size);
      if (owner < 0 || !liveDomain(owner + 1)) { bad.push(`x-entry ${e.id} is valid but its owner ${e.owner} is not live`); continue; }
      if (this.u64(entry + F(abi.XE, 'DOMAIN')) !== BigInt(owner + 1)) bad.push(`x-entry ${e.id}: domain is not its owner's`);
      if (this.u64(entry + F(abi.XE, 'SATP')) !== this.u64(this.procAddr(owner) + F(abi.PROC, 'SATP'))) bad.push(`x-entry ${e.id}: satp is not its owner's`);
    }
  }

  view(): KernelView {
    const n = this.counts;
    const threads = Array.from({ length: n.threads }, (_, i) => this.thread(this.tcbAddr(i), i));
    const processes: ProcessInfo[] = [];
    for (let i = 0; i < n.procs; i++) {
      const p = this.procAddr(i);
      const caps: CapInfo[] = [];
      for (let s = 0; s < abi.CSPACE_SLOTS; s++) {
        const slot = p + F(abi.PROC, 'CSPACE') + BigInt(s * abi.CAP.size);
        const type = Number(this.u64(slot + F(abi.CAP, 'TYPE')));
        if (!type) continue;
        const rights = Number(this.u64(slot + F(abi.CAP, 'RIGHTS')));
        caps.push({
          slot: s, type: abi.CAP_TYPE_NAMES[type] ?? `type ${type}`, object: this.objectName(type, this.u64(slot + F(abi.CAP, 'OBJECT'))),
          badge: this.u64(slot + F(abi.CAP, 'BADGE')),
          rights: `${rights & 1 ? 'r' : ''}${rights & 2 ? 'w' : ''}${rights & 4 ? 'g' : ''}`,
        });
      }
      const state = Number(this.u64(p + F(abi.PROC, 'STATE')));
      processes.push({
        index: i, name: this.image.processes[i]?.name ?? this.cstr(this.u64(p + F(abi.PROC, 'NAME'))),
        asid: Number(this.u64(p + F(abi.PROC, 'ASID'))), state: abi.PROC_STATE_NAMES[state] ?? `state ${state}`,
        exitCode: Number(this.u64(p + F(abi.PROC, 'EXIT_CODE'))),
        threads: threads.filter((t) => t.process === this.image.processes[i]?.name), capabilities: caps,
      });
    }
    const idle = this.thread(this.addr('idle_tcb'), abi.MAX_THREADS);
    const cur = this.global('current_tcb');
    const current = cur === 0n ? undefined : cur === idle.tcb ? idle : threads.find((t) => t.tcb === cur);
    const replies = this.image.replies.map((name, index): ReplyInfo => {
      const callerTcb = this.u64(this.replyAddr(index) + F(abi.REPLY, 'CALLER'));
      const caller = threads.find((t) => t.tcb === callerTcb);
      const holder = processes.find((p) => p.state === 'live' && p.capabilities.some((c) => c.type === 'reply' && c.object === name));
      return {
        index, name, caller: callerTcb === 0n ? undefined : caller ? `${caller.process}.${caller.name}` : `0x${callerTcb.toString(16)}`,
        holder: holder && `${holder.name} slot ${holder.capabilities.find((c) => c.type === 'reply' && c.object === name)!.slot}`,
      };
    });
    return { processes, replies, idle, current };
  }

  replyAddr(index: number): bigint { return this.addr('kernel_replies') + BigInt(index * abi.REPLY.size); }

  /** Reply objects and the callers bound to them agree both ways (part of checkInvariants). */
  private checkReplies(bad: string[], threads: number): void {
    const tcb0 = this.addr('kernel_tcbs');
    const isTcb = (t: bigint) => t >= tcb0 && (t - tcb0) % BigInt(abi.TCB.size) === 0n && (t - tcb0) / BigInt(abi.TCB.size) < BigInt(threads);
    const r0 = this.addr('kernel_replies');
    this.image.replies.forEach((name, i) => {
      const caller = this.u64(this.replyAddr(i) + F(abi.REPLY, 'CALLER'));
      if (caller === 0n) return;
      if (!isTcb(caller)) { bad.push(`reply object ${name}: bound to 0x${caller.toString(16)}, not a thread`); return; }
      const th = this.thread(caller, -1);
      if (th.stateCode !== abi.THREAD_STATES.TS_BLOCKED_REPLY) bad.push(`reply object ${name}: bound to ${th.process}.${th.name}, which is ${th.state}`);
      if (this.u64(caller + F(abi.TCB, 'REPLY')) !== this.replyAddr(i)) bad.push(`reply object ${name}: its caller ${th.process}.${th.name} is not blocked on it`);
    });
    for (let i = 0; i < threads; i++) {
      const t = this.tcbAddr(i);
      const th = this.thread(t, i);
      const r = this.u64(t + F(abi.TCB, 'REPLY'));
      const blocked = th.stateCode === abi.THREAD_STATES.TS_BLOCKED_REPLY;
      if (!blocked && r !== 0n) bad.push(`thread ${th.process}.${th.name} is ${th.state} but holds a reply object`);
      if (!blocked) continue;
      const k = (r - r0) / BigInt(abi.REPLY.size);
      if (r < r0 || (r - r0) % BigInt(abi.REPLY.size) !== 0n || k >= BigInt(this.image.replies.length)) { bad.push(`thread ${th.process}.${th.name} is blocked on reply but on no reply object`); continue; }
      if (this.u64(r + F(abi.REPLY, 'CALLER')) !== t) bad.push(`thread ${th.process}.${th.name} is blocked on reply object ${this.image.replies[Number(k)]}, which is not bound to it`);
    }
  }

  /**
   * The kernel's invariants; returns every violation found (empty: all hold). Every capability
   * refers to a live object of its type; the ready, endpoint and notification queues are well
   * formed (links both ways, tails, states, the ready bitmap); no two address spaces share an ASID;
   * a bound reply object's caller is blocked on reply through it, and every thread blocked on reply is bound to one.
   */
  checkInvariants(): string[] {
    const bad: string[] = [];
    const n = this.counts;
    const live = { [abi.CAP_TYPES.CAP_ENDPOINT]: ['kernel_endpoints', abi.EP.size, n.endpoints], [abi.CAP_TYPES.CAP_NOTIFICATION]: ['kernel_notifications', abi.NTFN.size, n.notifications],
      [abi.CAP_TYPES.CAP_REPLY]: ['kernel_replies', abi.REPLY.size, this.image.replies.length],
      [abi.CAP_TYPES.CAP_PROCESS]: ['kernel_procs', abi.PROC.size, n.procs], [abi.CAP_TYPES.CAP_THREAD]: ['kernel_tcbs', abi.TCB.size, n.threads],
      [abi.CAP_TYPES.CAP_XENTRY]: ['xentry_table', abi.XE.size, abi.MAX_XENTRIES] } as Record<number, [string, number, number]>;
    const asids = new Map<number, number>();
    for (let i = 0; i < n.procs; i++) {
      const p = this.procAddr(i);
      const state = Number(this.u64(p + F(abi.PROC, 'STATE')));
      const name = this.image.processes[i]?.name ?? `#${i}`;
      if (state === abi.PROC_STATES.PS_FREE) bad.push(`process ${name} is not initialised`);
      const asid = Number(this.u64(p + F(abi.PROC, 'ASID')));
      const satpAsid = Number((this.u64(p + F(abi.PROC, 'SATP')) >> 44n) & 0xffffn);
      if (asid !== satpAsid) bad.push(`process ${name}: ASID ${asid} but satp holds ${satpAsid}`);
      if (asids.has(asid)) bad.push(`processes ${this.image.processes[asids.get(asid)!]?.name} and ${name} share ASID ${asid}`);
      asids.set(asid, i);
      for (let s = 0; s < abi.CSPACE_SLOTS; s++) {
        const slot = p + F(abi.PROC, 'CSPACE') + BigInt(s * abi.CAP.size);
        const type = Number(this.u64(slot + F(abi.CAP, 'TYPE')));
        if (!type) continue;
        const obj = this.u64(slot + F(abi.CAP, 'OBJECT'));
        if (type === abi.CAP_TYPES.CAP_XPC_CONTROL) {
          if (obj !== 0n) bad.push(`${name} slot ${s}: xpc-control capability names an object (0x${obj.toString(16)})`);
          continue;
        }
        const arr = live[type];
        if (!arr) { bad.push(`${name} slot ${s}: capability of unknown type ${type}`); continue; }
        const off = obj - this.addr(arr[0]);
        if (off < 0n || off % BigInt(arr[1]) !== 0n || off / BigInt(arr[1]) >= BigInt(arr[2])) {
          bad.push(`${name} slot ${s}: ${abi.CAP_TYPE_NAMES[type]} capability points at 0x${obj.toString(16)}, not a live ${abi.CAP_TYPE_NAMES[type]}`);
        }
      }
    }

    // Queues: walk each from its head; remember which threads were seen in which queue.
    const seenIn = new Map<bigint, bigint>();
    const walk = (q: bigint, what: string, expectState: (s: number) => boolean, prio?: number): number => {
      let t = this.u64(q + F(abi.Q, 'HEAD')), prev = 0n, count = 0;
      while (t !== 0n) {
        if (++count > abi.MAX_THREADS + 1) { bad.push(`${what}: the queue has a cycle`); return count; }
        const th = this.thread(t, -1);
        if (this.u64(t + F(abi.TCB, 'PREV')) !== prev) bad.push(`${what}: ${th.name}'s prev link is wrong`);
        if (this.u64(t + F(abi.TCB, 'QUEUE')) !== q) bad.push(`${what}: ${th.name} does not point back at its queue`);
        if (!expectState(th.stateCode)) bad.push(`${what}: ${th.name} is ${th.state}`);
        if (prio !== undefined && th.priority !== prio) bad.push(`${what}: ${th.name} has priority ${th.priority}`);
        if (seenIn.has(t)) bad.push(`${what}: ${th.name} is in two queues`);
        seenIn.set(t, q);
        prev = t;
        t = this.u64(t + F(abi.TCB, 'NEXT'));
      }
      if (this.u64(q + F(abi.Q, 'TAIL')) !== prev) bad.push(`${what}: the tail is not the last thread`);
      return count;
    };
    const bitmap = this.global('ready_bitmap');
    for (let p = 0; p < abi.NUM_PRIORITIES; p++) {
      const q = this.addr('ready_queues') + BigInt(p * abi.Q.size);
      const count = walk(q, `ready queue ${p}`, (s) => s === abi.THREAD_STATES.TS_READY, p);
      if ((count > 0) !== (((bitmap >> BigInt(p)) & 1n) === 1n)) bad.push(`ready bitmap bit ${p} disagrees with ready queue ${p}`);
    }
    for (let e = 0; e < n.endpoints; e++) {
      const ep = this.addr('kernel_endpoints') + BigInt(e * abi.EP.size);
      const st = Number(this.u64(ep + F(abi.EP, 'STATE')));
      const want = st === abi.EP_STATES.EPS_SEND ? abi.THREAD_STATES.TS_BLOCKED_SEND : abi.THREAD_STATES.TS_BLOCKED_RECV;
      const count = walk(ep + F(abi.EP, 'QUEUE'), `endpoint ${this.image.endpoints[e]}`, (s) => s === want);
      if ((count === 0) !== (st === abi.EP_STATES.EPS_IDLE)) bad.push(`endpoint ${this.image.endpoints[e]}: state ${st} with ${count} queued threads`);
    }
    for (let k = 0; k < n.notifications; k++) {
      const nt = this.addr('kernel_notifications') + BigInt(k * abi.NTFN.size);
      walk(nt + F(abi.NTFN, 'QUEUE'), `notification ${this.image.notifications[k]}`, (s) => s === abi.THREAD_STATES.TS_BLOCKED_NOTIF);
    }
    const queued = new Set<number>([abi.THREAD_STATES.TS_READY, abi.THREAD_STATES.TS_BLOCKED_SEND, abi.THREAD_STATES.TS_BLOCKED_RECV, abi.THREAD_STATES.TS_BLOCKED_NOTIF]);
    let running = 0;
    for (let i = 0; i < n.threads; i++) {
      const t = this.thread(this.tcbAddr(i), i);
      if (queued.has(t.stateCode) && !seenIn.has(t.tcb)) bad.push(`thread ${t.process}.${t.name} is ${t.state} but in no queue`);
      if (!queued.has(t.stateCode) && seenIn.has(t.tcb)) bad.push(`thread ${t.process}.${t.name} is ${t.state} but queued`);
      if (t.stateCode === abi.THREAD_STATES.TS_RUNNING) running++;
    }
    if (running > 1) bad.push(`${running} threads are running on one hart`);
    this.checkReplies(bad, n.threads);
    this.checkXpc(bad);
    return bad;
  }
}

export function inspectKernel(mem: PhysicalMemory, image: SystemImage): KernelView { return new KernelInspector(mem, image).view(); }
export function inspectXpc(mem: PhysicalMemory, image: SystemImage): XpcKernelView { return new KernelInspector(mem, image).xpcView(); }
export function checkKernelInvariants(mem: PhysicalMemory, image: SystemImage): string[] { return new KernelInspector(mem, image).checkInvariants(); }
