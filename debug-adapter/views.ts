// The machine state as the debugger shows it: variables scopes (registers, CSRs with decoded
// fields, XPC, globals), the contract's custom-request bodies (docs/debugger.md) and the Debug
// Console's `info` and `x/` commands. Everything is read from the emulator's structured state.

import { DebugProtocol } from '@vscode/debugprotocol';
import { CSRS, CsrSpec, csrByName } from '../emulator/isa/csrs';
import { ABI_NAMES, registerNumber } from '../emulator/isa/registers';
import { formatInstruction } from '../emulator/isa/disasm';
import { Segment } from '../emulator/hart/xpc';
import { Runtime } from './runtime';
import { FrameRegisters } from './frame-registers';
import { DebugInfo } from './program';
import { formatValue } from './expressions';
import { SystemTarget } from './kernel-target';
import * as abi from '../kernel/abi/abi';

export const hex = (v: bigint | number): string => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;

export interface VarNode {
  readonly name: string;
  readonly value: string;
  readonly type?: string;
  readonly evaluateName?: string;
  readonly memoryReference?: string;
  readonly children?: () => VarNode[];
  readonly hint?: DebugProtocol.VariablePresentationHint;
}

const fieldValue = (v: bigint, hi: number, lo: number): bigint => (BigInt.asUintN(64, v) >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);

/** CSRs shown in the CSRs scope: implemented, not XPC (their own scope), not the 29 hpmcounters. */
const SHOWN_CSRS: readonly CsrSpec[] = CSRS.filter((c) => !c.unimplemented && !c.xpc && !/^(m?hpm|mhpmevent)/.test(c.name));
const XPC_CSRS: readonly CsrSpec[] = CSRS.filter((c) => c.xpc);

const PRIV_NAMES = ['U', 'S', '?', 'M'];
const SATP_MODES: Record<string, string> = { '0': 'Bare', '8': 'Sv39', '9': 'Sv48' };

/** A word for a field's value where one helps (privilege modes, satp mode, cause names). */
function fieldWords(csr: string, field: string, v: bigint): string | undefined {
  if (field === 'MPP' || field === 'SPP') return PRIV_NAMES[Number(v)];
  if (csr === 'satp' && field === 'MODE') return SATP_MODES[v.toString()];
  return undefined;
}

function csrNode(rt: Runtime, spec: CsrSpec, hexFormat: boolean): VarNode {
  const v = BigInt.asUintN(64, rt.machine.hart.readCsr(spec.number));
  const fields = spec.fields;
  return {
    name: spec.name, value: formatValue(v, hexFormat), type: spec.description, evaluateName: spec.name,
    hint: spec.readOnly ? { attributes: ['readOnly'] } : undefined,
    children: fields?.length ? () => fields.map((f) => {
      const fv = fieldValue(v, f.hi, f.lo);
      const words = fieldWords(spec.name, f.name, fv);
      return { name: f.name, value: `${formatValue(fv, hexFormat && f.hi - f.lo > 3)}${words ? ` (${words})` : ''}`, type: `[${f.hi}:${f.lo}] ${f.description}` };
    }) : undefined,
  };
}

/** What the Registers scope and expressions show for a register no one kept (gdb's word). */
export const NOT_SAVED = '<not saved>';

export const privilegeName = (priv: number): string => `${PRIV_NAMES[priv]}-mode`;

/**
 * A frame's Registers scope: its pc and x1–x31 as the frame knows them (frame-registers.ts). The
 * live frame's are the hart's and writable; any other frame's are read-only and say where they
 * come from, and a register nothing kept shows `<not saved>` and why.
 */
export function registerNodes(hexFormat: boolean, pc: number, regs: FrameRegisters, debug: DebugInfo): VarNode[] {
  const readOnly: DebugProtocol.VariablePresentationHint = { attributes: ['readOnly'] };
  const nodes: VarNode[] = [{
    name: 'pc', value: hex(pc), evaluateName: 'pc', memoryReference: hex(pc),
    type: `${debug.describe(pc) ?? ''}${regs.live ? '' : ' (this frame\'s pc)'}`,
    hint: regs.live ? undefined : readOnly,
  }];
  for (let r = 1; r < 32; r++) {
    const v = regs.value(r);
    const name = ABI_NAMES[r];
    if (v === undefined) {
      nodes.push({ name, value: NOT_SAVED, type: `x${r}: ${regs.origin(r)}`, hint: { kind: 'virtual', attributes: ['readOnly'] } });
      continue;
    }
    nodes.push({
      name, value: formatValue(v, hexFormat), type: regs.live ? `x${r}` : `x${r}: ${regs.origin(r)}`, evaluateName: name, memoryReference: hex(v),
      hint: regs.live ? undefined : readOnly,
    });
  }
  nodes.push({ name: 'privilege', value: regs.privilege(), hint: readOnly });
  return nodes;
}

export function csrNodes(rt: Runtime, hexFormat: boolean): VarNode[] {
  return SHOWN_CSRS.map((c) => csrNode(rt, c, hexFormat));
}

const permText = (p: bigint) => `${p & 1n ? 'R' : '-'}${p & 2n ? 'W' : '-'}`;

function segmentNodes(s: Segment): VarNode[] {
  return [
    { name: 'va', value: hex(s.va) }, { name: 'pa', value: hex(s.pa) }, { name: 'len', value: hex(s.len) }, { name: 'perm', value: permText(s.perm) },
  ];
}

export function xpcNodes(rt: Runtime, hexFormat: boolean): VarNode[] {
  const v = rt.machine.hart.xpc.view();
  return [
    { name: 'domain', value: `${v.domain} (${rt.target.currentDomain()})`, hint: { attributes: ['readOnly'] } },
    { name: 'link depth', value: String(rt.linkDepth), hint: { attributes: ['readOnly'] } },
    { name: 'seg-reg', value: v.segment.len ? `${hex(v.segment.va)}+${hex(v.segment.len)} → ${hex(v.segment.pa)} ${permText(v.segment.perm)}` : 'none', children: () => segmentNodes(v.segment) },
    {
      name: 'seg-mask', value: `off ${hex(v.segmask.off)} len ${hex(v.segmask.len)} ${permText(v.segmask.perm)}`,
      children: () => [{ name: 'offset', value: hex(v.segmask.off) }, { name: 'len', value: hex(v.segmask.len) }, { name: 'perm', value: permText(v.segmask.perm) }],
    },
    ...XPC_CSRS.map((c) => csrNode(rt, c, hexFormat)),
  ];
}

/** Data symbols of the current program, or of `space` (a process's own symbols, read through its satp). */
export function globalNodes(rt: Runtime, hexFormat: boolean, space?: { debug: DebugInfo; satp: bigint }): VarNode[] {
  return (space?.debug ?? rt.debug).dataSymbols().map((s) => {
    const size = s.size === 1 || s.size === 2 || s.size === 4 ? s.size : 8;
    const v = space ? rt.readValueIn(space.satp, BigInt(s.address), size) : rt.readValue(BigInt(s.address), size);
    return {
      name: s.name, value: v === undefined ? '<not mapped>' : formatValue(v, hexFormat), type: `${size * 8}-bit at ${hex(s.address)}`,
      evaluateName: `*(u${size * 8}*)${s.name}`, memoryReference: hex(s.address),
    };
  });
}

/** setVariable on a register or a CSR; returns the new value's text. */
export function setRegisterOrCsr(rt: Runtime, name: string, value: bigint): boolean {
  const h = rt.machine.hart;
  if (name === 'pc') { h.pc = Number(BigInt.asIntN(64, value)); h.flushDecodeCache(); return true; }
  const r = registerNumber(name);
  if (r !== undefined) { if (r !== 0) h.setReg(r, value); return true; }
  const c = csrByName(name);
  if (c && !c.unimplemented && !c.readOnly) { h.writeCsr(c.number, value); return true; }
  return false;
}

// ---- Custom requests (the contract with the extension) -----------------------------------------

const src = (rt: Runtime, pc: number) => {
  const l = rt.lineOf(pc);
  return l ? { path: l.file, line: l.line } : undefined;
};

export function xEntriesBody(rt: Runtime): unknown {
  if (rt.target instanceof SystemTarget) return kernelXEntriesBody(rt, rt.target);
  const x = rt.machine.hart.xpc;
  const v = x.view();
  // Who may call each entry: domains whose xcall-cap bitmap has its bit (from the entries' xcap and the current one).
  const bitmaps = new Map<string, bigint>();
  bitmaps.set(rt.target.domainName(rt.machine.hart.satp, v.domain), x.xcap);
  for (const e of v.entries) bitmaps.set(rt.target.domainName(e.entry.satp, e.entry.domain), e.entry.xcap);
  for (const r of v.linkStack) bitmaps.set(rt.target.domainName(r.record.satp, r.record.domain), r.record.xcap);
  const callers = (id: number) => [...bitmaps].filter(([, cap]) => {
    const byte = rt.readPhysical(Number(cap) + (id >> 3), 1)[0];
    return byte !== undefined && ((byte >> (id & 7)) & 1) === 1;
  }).map(([n]) => n);
  const n = Number(x.xentrySize < 4096n ? x.xentrySize : 4096n);
  const entries = [];
  for (let id = 0; id < n; id++) {
    const e = x.readEntry(BigInt(id));
    if (!e) continue;
    const valid = id !== 0 && (e.flags & 1n) === 1n;
    if (!valid && e.entryPc === 0n && e.satp === 0n) continue;
    const pc = Number(e.entryPc);
    const inUse = v.linkStack.filter((r) => rt.callIds.get(r.address) === id).length;
    entries.push({
      id, valid, owner: rt.target.domainName(e.satp, e.domain), handler: hex(e.entryPc), symbol: rt.debug.describe(pc),
      source: src(rt, pc), pageTable: hex((e.satp & 0xfffffffffffn) * 4096n), contextsInUse: inUse, callers: callers(id),
    });
  }
  return { available: x.enabled || entries.length > 0, ...(entries.length || x.enabled ? {} : { reason: 'the XPC engine is off and no x-entry table is set' }), entries };
}

export function linkStacksBody(rt: Runtime): unknown {
  if (rt.target instanceof SystemTarget) return kernelLinkStacksBody(rt, rt.target);
  const v = rt.machine.hart.xpc.view();
  const records = v.linkStack.map((r, depth) => {
    const ret = Number(r.record.retPc);
    return {
      depth, valid: (r.record.flags & 1n) === 1n, callerProcess: rt.target.domainName(r.record.satp, r.record.domain),
      entryId: rt.callIds.get(r.address), returnAddress: hex(r.record.retPc), source: src(rt, ret - 4),
      segment: r.record.seg.len ? { base: hex(r.record.seg.va), size: hex(r.record.seg.len), perm: permText(r.record.seg.perm) } : undefined,
    };
  });
  // The hart's link stack belongs to the thread on it (the kernel keeps no others' yet: issue #7).
  const current = rt.target.currentThread();
  return { available: true, threads: rt.target.threads().map((t) => ({ threadId: t.id, name: t.name, records: t.id === current ? records : [] })) };
}

export function relaySegmentsBody(rt: Runtime): unknown {
  const v = rt.machine.hart.xpc.view();
  const seg = (s: Segment) => ({ valid: s.len !== 0n, va: hex(s.va), pa: hex(s.pa), size: hex(s.len), perm: permText(s.perm) });
  const owner = rt.target.domainName(rt.machine.hart.satp, v.domain);
  return {
    available: true, segReg: seg(v.segment), segMask: { offset: hex(v.segmask.off), size: hex(v.segmask.len) },
    segList: v.seglist.map((s, slot) => ({ slot, ...seg(s), owner })),
    // Under the kernel: every relay segment it allocated, with its owner and where it is active now.
    ...(rt.target instanceof SystemTarget ? {
      relaySegments: rt.target.inspector.xpcView().relaySegments.map((r) => ({
        name: r.name, owner: r.owner, va: hex(r.va), pa: hex(r.pa), size: hex(r.size), perm: r.perms.toUpperCase().padEnd(2, '-'), pool: r.pool, locations: r.locations,
      })),
    } : {}),
  };
}

// ---- Under the kernel: the kernel's XPC objects (kernel/inspect), with each process's own symbols ----

function kernelXEntriesBody(rt: Runtime, t: SystemTarget): unknown {
  const x = t.inspector.xpcView();
  if (!x.enabled) return { available: false, reason: 'this system does not use XPC (no xEntries, grants or relaySegments in its description)', entries: [] };
  const inUse = (id: number) => [...rt.callIds.values()].filter((v) => v === id).length;
  return {
    available: true,
    entries: x.xEntries.map((e) => {
      const owner = t.image.processes.findIndex((p) => p.name === e.owner);
      const handler = t.handlerOf(e.id);
      const line = handler?.debug.lineAt(handler.pc);
      return {
        id: e.id, valid: e.valid, owner: e.owner, name: e.name, handler: hex(e.entryPc), symbol: e.handler,
        handlerFunction: handler ? handler.debug.describe(handler.pc) : undefined,
        source: line ? { path: line.file, line: line.line } : undefined,
        pageTable: owner >= 0 ? hex((t.processSatp(owner) & 0xfffffffffffn) * 4096n) : '0x0',
        contexts: e.contexts, contextsInUse: inUse(e.id), callers: [...e.callers],
      };
    }),
  };
}

function kernelLinkStacksBody(rt: Runtime, t: SystemTarget): unknown {
  const x = t.inspector.xpcView();
  const names = new Map(t.threads().map((th) => [th.id, th.name]));
  return {
    available: true,
    threads: x.threads.map((th, i) => ({
      threadId: i + 1, name: names.get(i + 1) ?? th.thread, domain: th.domain,
      records: th.linkStack.map((r) => {
        const proc = r.domain - 1;
        const retPc = Number(r.retPc);
        const caller = proc >= 0 && proc < t.image.processes.length ? t.xcallCaller(retPc, t.processSatp(proc)) : undefined;
        const line = caller ? caller.debug.lineAt(caller.pc - 1) : r.process ? t.debugOfProcess(r.process)?.lineAt(retPc - 4) : undefined;
        // The record's physical address names the call (the trace noted its x-entry at the xcall).
        const pa = t.linkRecordPa(i, r.index);
        // The caller's seg-reg at the xcall, as the record keeps it (the inspector's view has its length only).
        const field = (name: string) => (pa === undefined ? 0n : rt.readValuePhysical(pa + abi.LR.fields[name], 8) ?? 0n);
        const segLen = field('SEG_LEN');
        return {
          depth: r.index, valid: r.valid, callerProcess: r.process, entryId: pa === undefined ? undefined : rt.callIds.get(pa),
          returnAddress: hex(r.retPc), callSite: caller ? hex(caller.pc) : undefined, source: line ? { path: line.file, line: line.line } : undefined,
          segment: segLen ? { base: hex(field('SEG_VA')), size: hex(segLen), perm: permText(field('SEG_PERM')) } : undefined,
        };
      }),
    })),
  };
}

export function stateBody(rt: Runtime): unknown {
  const h = rt.machine.hart;
  return {
    available: true, running: rt.isRunning, instructions: h.steps, cycles: h.cycles, timing: rt.machine.timingProfile,
    process: rt.target.currentDomain(), thread: rt.target.threads().find((t) => t.id === rt.target.currentThread())?.name, pc: hex(h.pc),
  };
}

export function callTraceBody(rt: Runtime, since: number): unknown {
  return {
    available: true,
    events: rt.callTrace.filter((e) => e.seq > since).map((e) => ({
      seq: e.seq, kind: e.kind, instructions: e.instructions, cycles: e.cycles, from: e.from, to: e.to, entryId: e.entryId,
      pc: hex(e.pc), cause: e.cause, source: src(rt, e.pc),
    })),
  };
}

// ---- Console commands ---------------------------------------------------------------------

export function infoXpc(rt: Runtime): string {
  const v = rt.machine.hart.xpc.view();
  const lines = [
    `XPC engine ${v.enabled ? 'enabled' : 'disabled'}; domain ${v.domain} (${rt.target.currentDomain()}), caller ${v.caller}; link depth ${v.linkStack.length}`,
    `seg-reg: ${v.segment.len ? `va ${hex(v.segment.va)} pa ${hex(v.segment.pa)} len ${hex(v.segment.len)} ${permText(v.segment.perm)}` : 'none'}`,
    `seg-mask: off ${hex(v.segmask.off)} len ${hex(v.segmask.len)} ${permText(v.segmask.perm)}`,
    'x-entries:',
    ...v.entries.map((e) => `  #${e.id} → ${rt.target.debugAt(Number(e.entry.entryPc), e.entry.satp).describe(Number(e.entry.entryPc)) ?? hex(e.entry.entryPc)} in ${rt.target.domainName(e.entry.satp, e.entry.domain)}${e.cached ? ' (cached)' : ''}`),
    'link stack (bottom first):',
    ...v.linkStack.map((r, i) => `  [${i}] ${hex(r.address)}: from ${rt.target.domainName(r.record.satp, r.record.domain)}, returns to ${rt.target.debugAt(Number(r.record.retPc), r.record.satp).describe(Number(r.record.retPc)) ?? hex(r.record.retPc)}${r.record.flags & 1n ? '' : ' (invalid)'}`),
    `seg-list: ${v.seglist.length ? '' : 'empty'}`,
    ...v.seglist.map((s, i) => `  [${i}] ${s.len ? `va ${hex(s.va)} pa ${hex(s.pa)} len ${hex(s.len)} ${permText(s.perm)}` : 'empty'}`),
  ];
  return lines.join('\n');
}

export function infoTlb(rt: Runtime): string {
  const t = rt.machine.hart.captureState().tlb;
  const lines: string[] = [];
  for (let i = 0; i < t.tag.length; i++) {
    if (Number.isNaN(t.tag[i])) continue;
    const pte = t.pte[i];
    const flags = 'VRWXUGAD'.split('').map((c, b) => (pte >> b) & 1 ? c : '-').join('');
    lines.push(`  [${i}] va ${hex(t.tag[i] * 4096)} → pa ${hex(t.base[i])} asid ${t.asid[i]} ${flags}`);
  }
  return lines.length ? `TLB (${lines.length} valid of ${t.tag.length}):\n${lines.join('\n')}` : 'TLB: empty';
}

const UNITS: Record<string, number> = { b: 1, h: 2, w: 4, g: 8 };

/** gdb's `x/NFU addr`: N units of U (b h w g) in format F (x d u i). */
export function examine(rt: Runtime, spec: string, addrText: string): string {
  // gdb takes the format and unit letters in either order: x/8gx and x/8xg.
  const m = /^(\d*)([xduicbhwg]{0,2})$/.exec(spec);
  const letters = m?.[2] ?? '';
  const format = letters.match(/[xduic]/g) ?? [];
  const units = letters.match(/[bhwg]/g) ?? [];
  if (!m || format.length > 1 || units.length > 1) throw new Error(`x/${spec}: expected x/<count><format x|d|u|i|c><unit b|h|w|g>`);
  const count = Math.min(Number(m[1] || 1), 4096);
  const fmt = format[0] ?? 'x';
  const unit = UNITS[units[0] ?? 'g'];
  let addr = Number(rt.evaluate(addrText));
  const lines: string[] = [];
  if (fmt === 'i') {
    for (let i = 0; i < count; i++) {
      const b = rt.readVirtual(addr, 4);
      if (b[0] === undefined || b[1] === undefined) { lines.push(`${hex(addr)}: <not mapped>`); break; }
      const word = (b[0] | (b[1] << 8) | ((b[2] ?? 0) << 16) | ((b[3] ?? 0) << 24)) >>> 0;
      const ins = formatInstruction(word, BigInt(addr), { aliases: true, symbolize: (a) => rt.debug.describe(Number(a)) });
      lines.push(`${hex(addr)} <${rt.debug.describe(addr) ?? '?'}>: ${ins ? ins.text.replace('\t', ' ') : '<illegal>'}`);
      addr += ins?.length ?? ((word & 3) === 3 ? 4 : 2);
    }
    return lines.join('\n');
  }
  const perLine = Math.max(1, 16 / unit);
  for (let i = 0; i < count; i += perLine) {
    const vals: string[] = [];
    for (let k = i; k < Math.min(count, i + perLine); k++) {
      const v = rt.readValue(BigInt(addr + k * unit), unit);
      if (v === undefined) { vals.push('??'); continue; }
      if (fmt === 'x') vals.push(`0x${v.toString(16).padStart(unit * 2, '0')}`);
      else if (fmt === 'd') vals.push(BigInt.asIntN(unit * 8, v).toString());
      else if (fmt === 'c') vals.push(JSON.stringify(String.fromCharCode(Number(v & 0xffn))));
      else vals.push(v.toString());
    }
    const at = addr + i * unit;
    lines.push(`${hex(at)}${rt.debug.describe(at) || rt.debug.symbols.find((s) => s.address === at)?.name ? ` <${rt.debug.describe(at) ?? rt.debug.symbols.find((s) => s.address === at)!.name}>` : ''}: ${vals.join(' ')}`);
  }
  return lines.join('\n');
}

/** Names the Debug Console completes: commands, registers, CSRs, symbols. */
export function completionNames(rt: Runtime): string[] {
  return [
    'info xpc', 'info tlb', 'info registers', 'x/8gx ', 'x/8i pc', 'input ',
    ...rt.target.commandNames, 'pc', ...ABI_NAMES.slice(1), ...CSRS.filter((c) => !c.unimplemented).map((c) => c.name), ...rt.debug.symbols.map((s) => s.name),
  ];
}
