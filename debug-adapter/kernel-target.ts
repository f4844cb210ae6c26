// Kernel-aware target: a system built from a description (kernel/system) and running under our
// kernel. Threads, processes and capabilities come from the kernel's own data structures
// (kernel/inspect), read out of physical memory at each stop; every process has its own symbols
// and lines (each is linked separately at user addresses), picked by the ASID in satp; kernel
// code has the kernel's. Threads that are not on the hart show the registers the kernel saved in
// their TCB.

import * as path from 'node:path';
import { Machine } from '../emulator/machine/machine';
import { Priv } from '../emulator/hart/hart';
import { csrByName } from '../emulator/isa/csrs';
import { registerNumber } from '../emulator/isa/registers';
import { LinkedImage } from '../language/asm';
import * as abi from '../kernel/abi/abi';
import { KernelInspector, ProcessInfo, ThreadInfo } from '../kernel/inspect/inspect';
import { SystemImage, xpcLibDir } from '../kernel/system/build';
import { xEntryContextsSymbol } from '../kernel/system/names';
import { XPC_FRAME, XPC_SLOT, XPC_STUB_SIZE, XPC_STUB_XCALL } from '../kernel/abi/xpc-lib';
import { ExecForm, decodeExec } from '../emulator/hart/decoded';
import { Op } from '../emulator/hart/op.generated';
import { DebugInfo, debugInfoFromImage } from './program';
import { DebugSpace, ProcessesView, RegisterContext, TargetAwareness, TargetThread } from './target';

/** DAP thread ids: kernel thread index + 1; then the idle thread, and the boot (before any thread exists). */
export const IDLE_THREAD_ID = abi.MAX_THREADS + 1;
export const BOOT_THREAD_ID = abi.MAX_THREADS + 2;

const SEPC = csrByName('sepc')!.number;
const signedAddr = (v: bigint): number => Number(BigInt.asIntN(64, v));
const asidOf = (satp: bigint): number => Number((satp >> 44n) & 0xffffn);
const hex = (v: bigint | number): string => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;

/** The same image moved by `delta` (the kernel's code seen at physical addresses by M-mode and the boot). */
function shifted(image: LinkedImage, delta: bigint): LinkedImage {
  return {
    entry: image.entry + delta,
    sections: image.sections.map((s) => ({ ...s, addr: s.addr + delta })),
    symbols: image.symbols.map((s) => (s.section === 'abs' || s.section === 'undef' ? s : { ...s, value: s.value + delta })),
    lineSequences: image.lineSequences.map((q) => ({ rows: q.rows.map((r) => ({ ...r, address: r.address + delta })), endAddress: q.endAddress + delta })),
  };
}

export class SystemTarget implements TargetAwareness {
  readonly multithreaded = true;
  readonly inspector: KernelInspector;
  readonly kernelDebug: DebugInfo;
  private readonly kernelPhysDebug: DebugInfo;
  private readonly processDebug: DebugInfo[];
  private readonly processByAsid = new Map<number, number>();
  private readonly trapEntry: number | undefined;
  private readonly currentTcbVa: bigint;
  private readonly idleTcb: bigint;
  private readonly tcbBase: bigint;
  private readonly libDir = xpcLibDir() + path.sep;
  /** Per process: its XPC_ENTRY stubs — the described entries' and those it may register at run time — [start, end) and the handler each calls. */
  private readonly entryStubs: { start: number; end: number; handler?: number }[][];

  /** `kernelDebug`: the kernel's symbols at its virtual addresses, when the launch has them already. */
  constructor(private readonly machine: Machine, readonly image: SystemImage, kernelDebug?: DebugInfo) {
    this.inspector = new KernelInspector(machine, image);
    const dir = path.dirname(image.descriptionPath);
    this.kernelDebug = kernelDebug ?? debugInfoFromImage(image.kernel, dir, 'kernel');
    this.kernelPhysDebug = debugInfoFromImage(shifted(image.kernel, -image.kernelOffset), dir, 'kernel (physical)');
    this.processDebug = image.processes.map((p) => debugInfoFromImage(p.image, dir, p.name));
    image.processes.forEach((p, i) => this.processByAsid.set(p.asid, i));
    const sym = (name: string) => image.kernel.symbols.find((s) => s.name === name)?.value;
    const entry = sym('trap_entry');
    this.trapEntry = entry === undefined ? undefined : signedAddr(entry);
    this.currentTcbVa = sym('current_tcb') ?? 0n;
    this.idleTcb = sym('idle_tcb') ?? 0n;
    this.tcbBase = sym('kernel_tcbs') ?? 0n;
    // Every XPC_ENTRY stub sets <stub>_contexts; a described entry's handler may also be a bare one (no library).
    this.entryStubs = image.processes.map((p, i) => {
      const starts = new Set<number>(image.xEntries.filter((x) => x.process === p.name).map((x) => signedAddr(x.entryPc)));
      const constants = new Set(p.image.symbols.filter((s) => s.section === 'abs').map((s) => s.name));
      for (const s of p.image.symbols) {
        if (s.section !== 'abs' && s.section !== 'undef' && constants.has(xEntryContextsSymbol(s.name))) starts.add(signedAddr(s.value));
      }
      return [...starts].map((start) => {
        const stub = decodeEntryStub(p.image, start);
        // The handler is reached through a register (la t3, handler; jalr t3): make it a function for frames.
        if (stub.handler !== undefined) this.processDebug[i].markFunction(stub.handler);
        return { start, ...stub };
      });
    });
  }

  // ---- Threads ----------------------------------------------------------------------------------

  private threadId(tcb: bigint): number {
    if (tcb === 0n) return BOOT_THREAD_ID;
    if (tcb === this.idleTcb) return IDLE_THREAD_ID;
    return Number((tcb - this.tcbBase) / BigInt(abi.TCB.size)) + 1;
  }

  private tcbOf(id: number): bigint | undefined {
    if (id === IDLE_THREAD_ID) return this.idleTcb;
    if (id < 1 || id > abi.MAX_THREADS || id > this.inspector.counts.threads) return undefined;
    return this.inspector.tcbAddr(id - 1);
  }

  private threadInfo(id: number): ThreadInfo | undefined {
    const tcb = this.tcbOf(id);
    return tcb === undefined ? undefined : this.inspector.thread(tcb, id === IDLE_THREAD_ID ? abi.MAX_THREADS : id - 1);
  }

  threads(): readonly TargetThread[] {
    const v = this.inspector.view();
    const cur = this.currentThread();
    const h = this.machine.hart;
    // Inside an xcall a thread runs in the callee's domain (migrating threads): `main [client → server]`.
    const domainOf = (t: ThreadInfo) => (t.index + 1 === cur && h.priv === Priv.U ? this.domainName(h.satp) : t.domain);
    const where = (t: ThreadInfo, p: string) => { const d = domainOf(t); return d && d !== p ? `${p} → ${d}` : p; };
    const list: TargetThread[] = v.processes.flatMap((p) => p.threads.map((t) => ({ id: t.index + 1, name: `${t.name} [${where(t, p.name)}] — ${t.state}` })));
    if (!list.length || this.currentThread() === BOOT_THREAD_ID) list.unshift({ id: BOOT_THREAD_ID, name: 'boot [kernel]' });
    list.push({ id: IDLE_THREAD_ID, name: `idle [kernel] — ${v.current?.tcb === v.idle.tcb ? 'running' : 'idle'}` });
    return list;
  }

  currentThread(): number { return this.threadId(this.inspector.u64(this.currentTcbVa)); }

  processOf(threadId: number): string | undefined {
    if (threadId === IDLE_THREAD_ID || threadId === BOOT_THREAD_ID) return 'kernel';
    return this.threadInfo(threadId)?.process;
  }

  /** "thread ping of process pingpong" for stop descriptions. */
  describeThread(threadId: number): string {
    const t = this.threadInfo(threadId);
    return t ? `thread ${t.name} of process ${t.process ?? '?'}` : threadId === BOOT_THREAD_ID ? 'the kernel (booting)' : 'the idle thread';
  }

  // ---- Address spaces ---------------------------------------------------------------------------

  private processIndex(satp: bigint): number | undefined {
    return satp >> 60n === 8n ? this.processByAsid.get(asidOf(satp)) : undefined;
  }

  domainName(satp: bigint): string {
    const i = this.processIndex(satp);
    return i !== undefined ? this.image.processes[i].name : satp >> 60n === 8n ? `asid ${asidOf(satp)}` : 'kernel (bare)';
  }

  currentDomain(): string {
    const h = this.machine.hart;
    if (h.priv === Priv.U) return this.domainName(h.satp);
    return h.priv === Priv.M ? 'kernel, M-mode' : 'kernel';
  }

  inKernel(): boolean { return this.machine.hart.priv !== Priv.U; }

  debugInfoFor(satp: bigint): DebugInfo {
    const i = this.processIndex(satp);
    return i !== undefined ? this.processDebug[i] : this.kernelDebug;
  }

  debugAt(pc: number, satp: bigint): DebugInfo {
    if (pc < 0) return this.kernelDebug;
    const i = this.processIndex(satp);
    const proc = i !== undefined ? this.processDebug[i] : undefined;
    if (proc?.isCode(pc)) return proc;
    if (this.kernelPhysDebug.isCode(pc)) return this.kernelPhysDebug;
    return proc ?? this.kernelDebug;
  }

  spaces(): readonly DebugSpace[] {
    return [
      ...this.image.processes.map((p, i) => ({ name: p.name, debug: this.processDebug[i], asid: p.asid })),
      { name: 'kernel', debug: this.kernelDebug },
    ];
  }

  // ---- Saved registers --------------------------------------------------------------------------

  private tcbContext(tcb: bigint): RegisterContext {
    const ins = this.inspector;
    const proc = ins.u64(tcb + BigInt(abi.TCB.fields.PROC));
    const satp = proc ? ins.u64(proc + BigInt(abi.PROC.fields.SATP)) : this.machine.hart.satp;
    const pc = signedAddr(ins.u64(tcb + BigInt(abi.TCB.fields.PC)));
    const regs = Array.from({ length: 32 }, (_, r) => (r === 0 ? 0n : ins.u64(tcb + BigInt(abi.TCB.fields.REGS + 8 * r))));
    return {
      pc, reg: (r) => regs[r] ?? 0n, satp, debug: this.debugAt(pc, satp), domain: pc < 0 || !proc ? 'kernel' : this.domainName(satp),
      source: `saved by the kernel in the thread's TCB at ${hex(tcb)}`,
    };
  }

  savedContext(threadId: number): RegisterContext | undefined {
    if (threadId === this.currentThread()) return this.machine.hart.priv === Priv.U ? undefined : this.userContextInKernel();
    const tcb = this.tcbOf(threadId);
    const ctx = tcb === undefined ? undefined : this.tcbContext(tcb);
    // A thread that never ran (the idle thread before its first wfi) has nothing to show.
    return ctx && ctx.pc !== 0 ? ctx : undefined;
  }

  userContextInKernel(): RegisterContext | undefined {
    const h = this.machine.hart;
    const id = this.currentThread();
    if (h.priv === Priv.U || id === IDLE_THREAD_ID || id === BOOT_THREAD_ID) return undefined;
    if (h.pc === this.trapEntry && h.priv === Priv.S) {
      // The first instruction of the trap path: the user's registers are still the hart's.
      const pc = signedAddr(h.readCsr(SEPC));
      return {
        pc, reg: (r) => BigInt.asUintN(64, h.getReg(r)), satp: h.satp, debug: this.debugAt(pc, h.satp), domain: this.domainName(h.satp),
        source: "the hart's: the trap has been taken, the kernel has not run an instruction yet",
      };
    }
    return this.tcbContext(this.tcbOf(id)!);
  }

  // ---- XPC through the user library ------------------------------------------------------------

  isLibraryCode(pc: number, satp: bigint): boolean {
    if (pc < 0) return false;
    const i = this.processIndex(satp);
    if (i === undefined) return false;
    if (this.entryStubs[i].some((s) => pc >= s.start && pc < s.end)) return true;
    const file = this.processDebug[i].lineAt(pc)?.file;
    return file !== undefined && file.startsWith(this.libDir);
  }

  /**
   * The handler function of an x-entry, in its owner's symbols: a described one's, or one registered
   * at run time (its owner and entry_pc from the kernel's table) whose entry_pc is an XPC_ENTRY stub.
   */
  handlerOf(id: number): { pc: number; debug: DebugInfo } | undefined {
    const described = this.image.xEntries.find((e) => e.id === id);
    const x = described ? { owner: described.process, entryPc: described.entryPc } : this.inspector.xpcView().xEntries.find((e) => e.id === id && e.valid);
    const i = x ? this.image.processes.findIndex((p) => p.name === x.owner) : -1;
    const pc = i < 0 ? undefined : this.entryStubs[i].find((s) => s.start === signedAddr(x!.entryPc))?.handler;
    return pc === undefined ? undefined : { pc, debug: this.processDebug[i] };
  }

  /** The satp of process `index` (0-based), as the kernel holds it. */
  processSatp(index: number): bigint { return this.inspector.u64(this.inspector.procAddr(index) + BigInt(abi.PROC.fields.SATP)); }

  spaceSatp(name: string): bigint | undefined {
    const i = this.image.processes.findIndex((p) => p.name === name);
    return i < 0 ? undefined : this.processSatp(i);
  }

  debugOfProcess(name: string): DebugInfo | undefined {
    const i = this.image.processes.findIndex((p) => p.name === name);
    return i < 0 ? undefined : this.processDebug[i];
  }

  /** Physical address of record `index` of thread `threadIndex`'s link stack (the kernel's per-thread stacks). */
  linkRecordPa(threadIndex: number, index: number): number | undefined {
    const stacks = this.image.kernel.symbols.find((s) => s.name === 'kernel_linkstacks')?.value;
    return stacks === undefined ? undefined : Number(stacks - abi.KERNEL_OFFSET) + (threadIndex * abi.LINK_STACK_RECORDS + index) * abi.LR.size;
  }

  linkStackOf(threadId: number): readonly { retPc: number; satp: bigint; process: string; recordPa: number }[] {
    const th = this.inspector.xpcView().threads[threadId - 1];
    if (!th) return [];
    return th.linkStack.filter((r) => r.valid && r.domain >= 1 && r.domain <= this.image.processes.length).map((r) => ({
      retPc: signedAddr(r.retPc), satp: this.processSatp(r.domain - 1), process: this.image.processes[r.domain - 1].name,
      recordPa: this.linkRecordPa(threadId - 1, r.index) ?? -1,
    }));
  }

  xEntryName(id: number): string | undefined {
    const d = this.image.xEntries.find((x) => x.id === id);
    if (d) return `${d.process}.${d.name}`;
    const k = this.inspector.xpcView().xEntries.find((x) => x.id === id);
    return k ? `${k.owner}.${k.handler}` : undefined;
  }

  /**
   * xpc_call left the caller's sp in call slot k (k from the return stub's address) and ra, gp,
   * tp, s0–s11 in its save frame there: the caller as it was at `call xpc_call` (sp = the slot's
   * sp + the frame). Nothing else of the caller is kept (xpc_call passes a0–a6 on to the callee
   * and zeroes the rest before the xcall).
   */
  xcallCaller(retPc: number, satp: bigint): RegisterContext | undefined {
    const i = this.processIndex(satp);
    if (i === undefined) return undefined;
    const debug = this.processDebug[i];
    const stubs = debug.symbol('xpc_call_stubs')?.address;
    const slots = debug.symbol('xpc_call_slots')?.address;
    if (stubs === undefined || slots === undefined) return undefined;
    const k = (retPc - (stubs + XPC_STUB_XCALL + 4)) / XPC_STUB_SIZE;
    if (!Number.isInteger(k) || k < 0) return undefined;
    const h = this.machine.hart;
    const read = (va: number): bigint | undefined => {
      const pa = h.peekTranslate(va, satp);
      const b = pa === undefined ? undefined : this.machine.readPhysical(pa, 8);
      return b ? new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true) : undefined;
    };
    // A slot is busy from xpc_call's jump into its stub until the stub's return: only then is sp there.
    if (read(slots + k * XPC_SLOT.size + XPC_SLOT.fields.BUSY) !== 1n) return undefined;
    const sp = read(slots + k * XPC_SLOT.size + XPC_SLOT.fields.SP);
    if (!sp) return undefined;
    // The save frame's fields are named after the registers they hold (XPC_FRAME: RA, GP, TP, S0–S11).
    const regs = new Map<number, bigint>([[2, BigInt.asUintN(64, sp + BigInt(XPC_FRAME.size))]]);
    for (const [name, off] of Object.entries(XPC_FRAME.fields)) {
      const r = registerNumber(name.toLowerCase());
      const v = r === undefined ? undefined : read(Number(sp) + off);
      if (r !== undefined && v !== undefined) regs.set(r, v);
    }
    const ra = regs.get(1);
    if (ra === undefined) return undefined;
    const pc = signedAddr(ra);
    return {
      pc, reg: (r) => regs.get(r) ?? 0n, known: (r) => regs.has(r), satp, debug, domain: this.image.processes[i].name,
      source: `saved by xpc_call in its save frame at ${hex(sp)} (call slot ${k}); sp = that frame's end`,
      notKept: 'not saved: xpc_call keeps only ra, sp, gp, tp and s0–s11 (it hands a0–a6 to the callee and zeroes the rest before the xcall)',
    };
  }

  // ---- Processes and commands -------------------------------------------------------------------

  processes(): ProcessesView {
    const v = this.inspector.view();
    return {
      available: true,
      processes: v.processes.map((p) => ({
        id: p.index, name: p.name, asid: p.asid, state: p.state,
        threads: p.threads.map((t) => ({ id: t.index + 1, name: t.name, state: t.state, priority: t.priority })),
        capabilities: p.capabilities.map((c) => ({ slot: c.slot, type: c.type, object: c.object, badge: Number(c.badge), rights: c.rights })),
      })),
    };
  }

  readonly commandNames: readonly string[] = ['info threads', 'info processes', 'info caps', 'info replies', 'info invariants'];

  command(text: string): string | undefined {
    const words = text.trim().split(/\s+/);
    if (words[0] !== 'info' || words.length < 2) return undefined;
    const v = () => this.inspector.view();
    switch (words[1]) {
      case 'threads': {
        const view = v();
        const cur = this.currentThread();
        // The thread on the hart in user mode is where the hart is; the others where the kernel saved them.
        const h = this.machine.hart;
        const pcOf = (id: number, t: ThreadInfo) => (id === cur && h.priv === Priv.U ? BigInt(h.pc) : t.pc);
        const row = (id: number, t: ThreadInfo, proc: string) =>
          `${id === cur ? '*' : ' '} ${String(id).padStart(2)}  ${`${t.name} [${proc}]`.padEnd(28)} ${t.state.padEnd(24)} ${String(t.priority).padStart(8)}  ${hex(pcOf(id, t))}${this.symbolAt(pcOf(id, t), proc)}`;
        return [
          '  id  thread [process]              state                    priority  pc',
          ...view.processes.flatMap((p) => p.threads.map((t) => row(t.index + 1, t, p.name))),
          row(IDLE_THREAD_ID, view.idle, 'kernel'),
        ].join('\n');
      }
      case 'processes':
        return v().processes.map((p) => `${String(p.index).padStart(2)}  ${p.name.padEnd(12)} asid ${String(p.asid).padStart(2)}  ${p.state}${p.state !== 'live' ? ` (exit code ${p.exitCode})` : ''}  threads: ${p.threads.map((t) => `${t.name} (${t.state})`).join(', ') || '—'}  caps: ${p.capabilities.length}`).join('\n');
      case 'caps': {
        const name = words[2];
        const procs = v().processes.filter((p) => name === undefined || p.name === name);
        if (!procs.length) return name === undefined ? 'no processes yet (the kernel has not created them)' : `no process '${name}' (processes: ${v().processes.map((p) => p.name).join(', ') || 'none yet'})`;
        return procs.map((p) => capsText(p)).join('\n');
      }
      case 'replies': {
        const r = v().replies;
        return r.length ? r.map((x) => `${x.name.padEnd(16)} ${x.holder ? `held by ${x.holder}` : 'no live holder'}  ${x.caller ? `bound to ${x.caller}` : 'unbound'}`).join('\n') : 'no reply objects in this system';
      }
      case 'invariants': {
        const bad = this.inspector.checkInvariants();
        return bad.length ? `${bad.length} kernel invariant${bad.length > 1 ? 's' : ''} violated:\n${bad.map((b) => `  ${b}`).join('\n')}` : 'kernel invariants hold: capabilities name live objects of their type, run and endpoint queues are well formed, reply objects and their callers agree, ASIDs are distinct';
      }
      default: return undefined;
    }
  }

  private symbolAt(pc: bigint, proc: string): string {
    const i = this.image.processes.findIndex((p) => p.name === proc);
    const a = signedAddr(pc);
    const d = a < 0 ? this.kernelDebug : i >= 0 ? this.processDebug[i] : undefined;
    const s = d?.describe(a);
    return s ? ` <${s}>` : '';
  }
}

/** An XPC_ENTRY stub (la t0; li t1; li t2; la t3, handler; j xpc_trampoline): its end and the handler it calls. */
function decodeEntryStub(image: LinkedImage, entry: number): { end: number; handler?: number } {
  const sec = image.sections.find((s) => !s.nobits && entry >= signedAddr(s.addr) && entry < signedAddr(s.addr) + s.data.length);
  if (!sec) return { end: entry + 4 };
  const base = signedAddr(sec.addr);
  const ins: ExecForm = { op: 0, rd: 0, rs1: 0, rs2: 0, imm: 0, len: 4 };
  const t3 = new Map<number, number>();
  for (let pc = entry; pc + 2 <= base + sec.data.length && pc < entry + 64;) {
    const o = pc - base;
    const word = (sec.data[o] | (sec.data[o + 1] << 8) | ((sec.data[o + 2] ?? 0) << 16) | ((sec.data[o + 3] ?? 0) << 24)) >>> 0;
    decodeExec(word, ins);
    if (ins.op === Op.auipc) t3.set(ins.rd, pc + ins.imm);
    else if (ins.op === Op.addi && t3.has(ins.rs1) && ins.rd === ins.rs1) t3.set(ins.rd, t3.get(ins.rs1)! + ins.imm);
    else if (ins.op === Op.lui || ins.op === Op.addiw || ins.op === Op.addi) t3.delete(ins.rd);
    pc += ins.len;
    if (ins.op === Op.jal && ins.rd === 0) return { end: pc, handler: t3.get(28) };
  }
  return { end: entry + 4 };
}

function capsText(p: ProcessInfo): string {
  const rows = p.capabilities.map((c) => `  slot ${String(c.slot).padStart(2)}  ${c.type.padEnd(13)} ${c.object.padEnd(20)} rights ${c.rights || '-'}${c.badge ? `  badge ${c.badge}` : ''}`);
  return `${p.name} (asid ${p.asid}, ${p.state}):\n${rows.join('\n') || '  (no capabilities)'}`;
}
