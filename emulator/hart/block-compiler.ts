// The block tier: a run of hot decoded instructions is translated once into a JS function
// (`new Function`) with register numbers and immediates folded in as constants, so V8 compiles
// straight-line code instead of dispatching through the interpreter's switch.
//
// A block must behave exactly as the interpreter would, instruction by instruction, because the
// machine is deterministic whatever has been compiled (snapshots drop compiled code):
// - it contains only instructions without side effects on privilege, CSRs or translation (ALU,
//   loads, stores, mul); jumps end it, taken conditional branches leave it (side exits);
//   anything else ends it before that instruction;
// - loads and stores go through the hart's own load/store, so faults are the interpreter's; a
//   fault inside the block reports the faulting instruction's pc and the instructions retired
//   before it (`k`); the cycle count is brought up to date before each access, as a device may
//   read it;
// - after every memory access the block ends if the hart asks (`blockBreak`: a device was
//   touched, which may change pending interrupts, or a store hit a page holding compiled code).

import { Op } from './op.generated';
import { DecodedPage } from './decoded';
import type { TimingParams } from '../timing/params';
import type { TimingModel } from '../timing/model';
import { BlockTimingEmitter, LoopState, coversLoopState, meetLoopStates } from '../timing/block-timing';

/** What a compiled block needs from the hart (the hart implements it). */
export interface BlockHost {
  pc: number;
  steps: number;
  retired: number;
  cycles: number;
  lo: number;
  hi: number;
  blockBreak: boolean;
  load(va: number, size: 1 | 2 | 4 | 8, signed: boolean): void;
  store(va: number, size: 1 | 2 | 4 | 8, lo: number, hi: number): void;
}

/**
 * Runs the block (repeatedly, if it loops to itself, within `max` instructions); returns the
 * number of instructions it executed.
 */
export type CompiledBlock = (h: BlockHost, x: Int32Array, max: number, t?: TimingModel) => number;

export const MAX_BLOCK = 64;

const LOADS: Partial<Record<number, [1 | 2 | 4 | 8, boolean]>> = {
  [Op.lb]: [1, true], [Op.lbu]: [1, false], [Op.lh]: [2, true], [Op.lhu]: [2, false],
  [Op.lw]: [4, true], [Op.lwu]: [4, false], [Op.ld]: [8, true],
};
const STORES: Partial<Record<number, 1 | 2 | 4 | 8>> = { [Op.sb]: 1, [Op.sh]: 2, [Op.sw]: 4, [Op.sd]: 8 };
const CONTROL = new Set<number>([Op.jal, Op.jalr, Op.beq, Op.bne, Op.blt, Op.bge, Op.bltu, Op.bgeu]);

function compilable(op: number): boolean {
  switch (op) {
    case Op.lui: case Op.auipc: case Op.addi: case Op.slti: case Op.sltiu: case Op.xori: case Op.ori: case Op.andi:
    case Op.slli: case Op.srli: case Op.srai: case Op.add: case Op.sub: case Op.sll: case Op.slt: case Op.sltu:
    case Op.xor: case Op.srl: case Op.sra: case Op.or: case Op.and: case Op.addiw: case Op.slliw: case Op.srliw:
    case Op.sraiw: case Op.addw: case Op.subw: case Op.sllw: case Op.srlw: case Op.sraw: case Op.mul: case Op.mulw:
    case Op.fence:
      return true;
  }
  return LOADS[op] !== undefined || STORES[op] !== undefined || CONTROL.has(op);
}

/** Source of one instruction, in parts the untimed and the timed form assemble differently. */
interface Body {
  /** Functional code; `lo`/`hi` locals receive the result when it writes rd. */
  code: string;
  writes: boolean;
  /** A load or store: its address expression (computed before rd is overwritten). */
  addr?: string;
  /** A conditional branch: the condition under which it is taken, and its target. */
  cond?: string;
  target?: number;
  /** A jump: the code setting h.pc (the block ends there). */
  end?: string;
}

function body(op: number, rd: number, rs1: number, rs2: number, imm: number, pc: number, next: number): Body {
  const a = (half: 0 | 1) => (rs1 === 0 ? '0' : `x[${rs1 * 2 + half}]`);
  const b = (half: 0 | 1) => (rs2 === 0 ? '0' : `x[${rs2 * 2 + half}]`);
  const immHi = imm >> 31;
  const addr = `(${a(1)} * 4294967296 + (${a(0)} >>> 0) + ${imm})`;
  const shift = (amount: string, kind: 'l' | 'rl' | 'ra') => {
    if (kind === 'l') return `{ const sh = ${amount}, al = ${a(0)}, ah = ${a(1)}; if (sh === 0) { lo = al; hi = ah; } else if (sh < 32) { lo = al << sh; hi = (ah << sh) | (al >>> (32 - sh)); } else { lo = 0; hi = al << (sh - 32); } }`;
    if (kind === 'rl') return `{ const sh = ${amount}, al = ${a(0)}, ah = ${a(1)}; if (sh === 0) { lo = al; hi = ah; } else if (sh < 32) { lo = (al >>> sh) | (ah << (32 - sh)); hi = (ah >>> sh) | 0; } else { lo = (ah >>> (sh - 32)) | 0; hi = 0; } }`;
    return `{ const sh = ${amount}, al = ${a(0)}, ah = ${a(1)}; if (sh === 0) { lo = al; hi = ah; } else if (sh < 32) { lo = (al >>> sh) | (ah << (32 - sh)); hi = ah >> sh; } else { lo = ah >> (sh - 32); hi = ah >> 31; } }`;
  };
  const lt = (signed: boolean, blo: string, bhi: string) => signed
    ? `(${a(1)} < ${bhi} || (${a(1)} === ${bhi} && (${a(0)} >>> 0) < (${blo} >>> 0)))`
    : `((${a(1)} >>> 0) < (${bhi} >>> 0) || (${a(1)} === ${bhi} && (${a(0)} >>> 0) < (${blo} >>> 0)))`;
  // A taken conditional branch leaves the block (a side exit); the fall-through path continues in it.
  const branch = (cond: string): Body => ({ code: '', writes: false, cond, target: pc + imm });
  const w = (code: string): Body => ({ code, writes: true });
  const load = LOADS[op];
  if (load) return { code: `h.load(VA, ${load[0]}, ${load[1]}); lo = h.lo; hi = h.hi;`, writes: true, addr };
  const store = STORES[op];
  if (store) return { code: `h.store(VA, ${store}, ${b(0)}, ${b(1)});`, writes: false, addr };
  switch (op) {
    case Op.lui: return w(`lo = ${imm}; hi = ${immHi};`);
    case Op.auipc: { const r = pc + imm; return w(`lo = ${r | 0}; hi = ${Math.floor(r / 4294967296) | 0};`); }
    case Op.addi: return w(`{ const s = (${a(0)} >>> 0) + ${imm >>> 0}; lo = s | 0; hi = (${a(1)} + ${immHi} + (s >= 4294967296 ? 1 : 0)) | 0; }`);
    case Op.slti: return w(`lo = ${lt(true, String(imm), String(immHi))} ? 1 : 0; hi = 0;`);
    case Op.sltiu: return w(`lo = ${lt(false, String(imm), String(immHi))} ? 1 : 0; hi = 0;`);
    case Op.xori: return w(`lo = ${a(0)} ^ ${imm}; hi = ${a(1)} ^ ${immHi};`);
    case Op.ori: return w(`lo = ${a(0)} | ${imm}; hi = ${a(1)} | ${immHi};`);
    case Op.andi: return w(`lo = ${a(0)} & ${imm}; hi = ${a(1)} & ${immHi};`);
    case Op.slli: return w(shift(String(imm & 63), 'l'));
    case Op.srli: return w(shift(String(imm & 63), 'rl'));
    case Op.srai: return w(shift(String(imm & 63), 'ra'));
    case Op.add: return w(`{ const s = (${a(0)} >>> 0) + (${b(0)} >>> 0); lo = s | 0; hi = (${a(1)} + ${b(1)} + (s >= 4294967296 ? 1 : 0)) | 0; }`);
    case Op.sub: return w(`{ const al = ${a(0)}, bl = ${b(0)}; lo = (al - bl) | 0; hi = (${a(1)} - ${b(1)} - ((al >>> 0) < (bl >>> 0) ? 1 : 0)) | 0; }`);
    case Op.sll: return w(shift(`${b(0)} & 63`, 'l'));
    case Op.srl: return w(shift(`${b(0)} & 63`, 'rl'));
    case Op.sra: return w(shift(`${b(0)} & 63`, 'ra'));
    case Op.slt: return w(`lo = ${lt(true, b(0), b(1))} ? 1 : 0; hi = 0;`);
    case Op.sltu: return w(`lo = ${lt(false, b(0), b(1))} ? 1 : 0; hi = 0;`);
    case Op.xor: return w(`lo = ${a(0)} ^ ${b(0)}; hi = ${a(1)} ^ ${b(1)};`);
    case Op.or: return w(`lo = ${a(0)} | ${b(0)}; hi = ${a(1)} | ${b(1)};`);
    case Op.and: return w(`lo = ${a(0)} & ${b(0)}; hi = ${a(1)} & ${b(1)};`);
    case Op.addiw: return w(`lo = (${a(0)} + ${imm}) | 0; hi = lo >> 31;`);
    case Op.slliw: return w(`lo = ${a(0)} << ${imm & 31}; hi = lo >> 31;`);
    case Op.srliw: return w(`lo = (${a(0)} >>> ${imm & 31}) | 0; hi = lo >> 31;`);
    case Op.sraiw: return w(`lo = ${a(0)} >> ${imm & 31}; hi = lo >> 31;`);
    case Op.addw: return w(`lo = (${a(0)} + ${b(0)}) | 0; hi = lo >> 31;`);
    case Op.subw: return w(`lo = (${a(0)} - ${b(0)}) | 0; hi = lo >> 31;`);
    case Op.sllw: return w(`lo = ${a(0)} << (${b(0)} & 31); hi = lo >> 31;`);
    case Op.srlw: return w(`lo = (${a(0)} >>> (${b(0)} & 31)) | 0; hi = lo >> 31;`);
    case Op.sraw: return w(`lo = ${a(0)} >> (${b(0)} & 31); hi = lo >> 31;`);
    case Op.mul: return w(`{ const al = ${a(0)}, bl = ${b(0)}; lo = Math.imul(al, bl); hi = (mulhu32(al, bl) + Math.imul(al, ${b(1)}) + Math.imul(${a(1)}, bl)) | 0; }`);
    case Op.mulw: return w(`lo = Math.imul(${a(0)}, ${b(0)}); hi = lo >> 31;`);
    case Op.fence: return { code: '', writes: false };
    case Op.jal: return { code: `lo = ${next | 0}; hi = ${Math.floor(next / 4294967296) | 0};`, writes: true, target: pc + imm, end: `h.pc = ${pc + imm};` };
    case Op.jalr: return {
      code: `{ const ta = ${addr}; target = ta - (ta & 1); } lo = ${next | 0}; hi = ${Math.floor(next / 4294967296) | 0};`,
      writes: true, end: 'h.pc = target;',
    };
    case Op.beq: return branch(`(${a(0)} === ${b(0)} && ${a(1)} === ${b(1)})`);
    case Op.bne: return branch(`(${a(0)} !== ${b(0)} || ${a(1)} !== ${b(1)})`);
    case Op.blt: return branch(lt(true, b(0), b(1)));
    case Op.bge: return branch(`!${lt(true, b(0), b(1))}`);
    case Op.bltu: return branch(lt(false, b(0), b(1)));
    case Op.bgeu: return branch(`!${lt(false, b(0), b(1))}`);
  }
  throw new Error(`block compiler: op ${op} is not compilable`);
}

const MULHU32 = `function mulhu32(a, b) {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p01 = a0 * b1, p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}`;

/** What a timed block is compiled for: the model's parameters and the page's physical base. */
export interface TimedCompile {
  readonly params: TimingParams;
  readonly pbase: number;
}

/** One instruction of a block, with its source parts. */
interface Slot { readonly op: number; readonly rd: number; readonly rs1: number; readonly rs2: number; readonly pc: number; readonly next: number; readonly len: number; readonly pa: number; readonly body: Body }

/** The instructions of the block at `slot`: compilable ones, up to a jump or MAX_BLOCK. */
function collect(page: DecodedPage, slot: number, vbase: number, pbase: number): { slots: Slot[]; endSlot: number } {
  const slots: Slot[] = [];
  let s = slot;
  while (slots.length < MAX_BLOCK && s < 2048) {
    const len = page.len[s];
    if (len === 0) break; // not decoded yet, or an instruction crossing the page
    const op = page.op[s];
    if (!compilable(op)) break;
    const pc = vbase + s * 2;
    const next = pc + len;
    const rd = page.rd[s], rs1 = page.rs1[s], rs2 = page.rs2[s];
    const body0 = body(op, rd, rs1, rs2, page.imm[s], pc, next);
    slots.push({ op, rd, rs1, rs2, pc, next, len, pa: pbase + s * 2, body: body0 });
    s += len >> 1;
    if (body0.end) break;
  }
  return { slots, endSlot: s };
}

/**
 * Compiles the block starting at `slot` of a decoded page whose first byte has virtual address
 * `vbase`; undefined when the first instruction cannot be compiled. Instructions must already be
 * decoded (the interpreter has run them). With `timed`, the block also charges every
 * instruction's cycles as the timing model's retire would (emulator/timing/block-timing.ts) and
 * is called with the model as a fourth argument.
 */
export function compileBlock(page: DecodedPage, slot: number, vbase: number, timed?: TimedCompile): { fn: CompiledBlock; length: number; endSlot: number } | undefined {
  const { slots, endSlot } = collect(page, slot, vbase, timed?.pbase ?? 0);
  if (slots.length === 0) return undefined;
  const start = vbase + slot * 2;
  const src = timed ? timedSource(slots, start, vbase + endSlot * 2, timed.params) : untimedSource(slots, start, vbase + endSlot * 2);
  const fn = new Function(`${MULHU32}\n${src}`)() as CompiledBlock;
  return { fn, length: slots.length, endSlot };
}

function untimedSource(slots: readonly Slot[], start: number, fallPc: number): string {
  const count = slots.length;
  // A block that jumps back to its own start (a loop) runs again inside the function while
  // the step budget allows: whole iterations only, and never past a break request.
  const exitTo = (done: number) => `total += ${done}; if (h.pc === ${start} && total + ${count} <= max && !h.blockBreak) continue; return total;`;
  const parts = slots.map((sl, i) => {
    const r = sl.body;
    const write = r.writes && sl.rd !== 0 ? ` x[${sl.rd * 2}] = lo; x[${sl.rd * 2 + 1}] = hi;` : '';
    // Before an access: how many instructions have retired (for a fault), and the cycle count
    // (one per instruction) in h.cycles, where a device reads it (mtime, mtimecmp compares).
    const pre = r.addr ? `k = ${i}; h.cycles = c0 + total + ${i}; ` : '';
    const brk = r.addr ? ` if (h.blockBreak) { h.pc = ${sl.next}; return total + ${i + 1}; }` : '';
    const exit = r.cond ? ` if (${r.cond}) { h.pc = ${r.target}; ${exitTo(i + 1)} }` : '';
    return `${pre}${r.code.replace('VA', r.addr ?? '')}${write}${brk}${exit}`;
  });
  const end = slots[count - 1].body.end ?? `h.pc = ${fallPc};`;
  return `return function block(h, x, max) {
  const c0 = h.cycles;
  let lo = 0, hi = 0, k = 0, target = 0, total = 0;
  try {
    for (;;) {
    ${parts.join('\n    ')}
    ${end}
    ${exitTo(count)}
    }
  } catch (e) {
    // The instruction at index k of this iteration faulted: total + k instructions retired before it.
    h.pc = [${slots.map((sl) => sl.pc).join(', ')}][k];
    h.retired += total + k; h.steps += total + k; h.cycles = c0 + total + k;
    throw e;
  }
};`;
}

/** Where an exit of a timed block goes once its count is settled. */
type LoopJump = 'continue;' | 'break first;';

/**
 * One copy of a timed block's body, its charges emitted from `entry` (what is known at the top
 * of the iteration). `loop` is how a back edge continues (a single or steady-state copy loops
 * on itself; the first copy of a peeled loop falls into the steady one); the states at the back
 * edges are collected for the caller.
 */
function timedCopy(slots: readonly Slot[], start: number, fallPc: number, params: TimingParams, entry: LoopState | undefined, loop: LoopJump): { code: string; backEdges: LoopState[] } {
  const count = slots.length;
  const tm = new BlockTimingEmitter(params);
  tm.reset(entry);
  const backEdges: LoopState[] = [];
  // An exit with c settled: to the next iteration if it returns to the start (a static target
  // is decided here, a jalr's at run time) and the budget allows, else out of the block.
  const exitTo = (done: number, target: number | undefined) => {
    if (target !== undefined && target !== start) return `total += ${done}; break outer;`;
    backEdges.push(tm.loopState());
    const cond = `${target === undefined ? `h.pc === ${start} && ` : ''}total + ${count} <= max && !h.blockBreak`;
    return `total += ${done}; if (${cond}) ${loop} break outer;`;
  };
  const parts = slots.map((sl, i) => {
    const r = sl.body;
    const write = r.writes && sl.rd !== 0 ? ` x[${sl.rd * 2}] = lo; x[${sl.rd * 2 + 1}] = hi;` : '';
    // The cycle count before the instruction is in h.cycles when it executes (a device it
    // touches may read it); its charges follow its functional code, as retire follows execute.
    const pre = r.addr ? `k = ${i}; va = ${r.addr}; h.cycles = ${tm.now()}; ` : r.cond ? `tk = ${r.cond}; ` : '';
    const timing = tm.instruction(sl, r.target);
    const brk = r.addr ? ` if (h.blockBreak) { ${tm.exact()} h.pc = ${sl.next}; total += ${i + 1}; break outer; }` : '';
    const exit = r.cond ? ` if (tk) { ${tm.exact()} h.pc = ${r.target}; ${exitTo(i + 1, r.target)} }` : '';
    return `${pre}${r.code.replace('VA', 'va')}${write} ${timing}${brk}${exit}`;
  });
  const last = slots[count - 1].body;
  const end = `${tm.settle()} ${last.end ?? `h.pc = ${fallPc};`} ${exitTo(count, last.end ? last.target : fallPc)}`;
  return { code: `${parts.join('\n    ')}\n    ${end}`, backEdges };
}

/**
 * A timed block. When it loops to itself, the loop is peeled: the first iteration is compiled
 * knowing nothing, the following ones from what holds at every back edge (registers already
 * ready need no scoreboard read; a loop within one I-cache line needs no fetch check).
 */
function timedSource(slots: readonly Slot[], start: number, fallPc: number, params: TimingParams): string {
  const first = timedCopy(slots, start, fallPc, params, undefined, 'break first;');
  const entry = meetLoopStates(first.backEdges);
  let body: string;
  const steady = entry && timedCopy(slots, start, fallPc, params, entry, 'continue;');
  // The steady copy may loop on itself only if every one of its back edges knows as much as it assumed.
  const steadyState = steady && meetLoopStates(steady.backEdges);
  if (steady && steadyState && entry && coversLoopState(steadyState, entry)) {
    body = `outer: {
    first: {
    ${first.code}
    }
    for (;;) {
    ${steady.code}
    }
    }`;
  } else {
    body = `outer: for (;;) {
    ${timedCopy(slots, start, fallPc, params, undefined, 'continue;').code}
    }`;
  }
  return `return function timedBlock(h, x, max, t) {
  const rdy = t.ready, c0 = h.cycles;
  let lo = 0, hi = 0, k = 0, target = 0, total = 0, c = c0, e = 0, st = 0, va = 0, tk = false;
  try {
    ${body}
  } catch (err) {
    // The instruction at index k of this iteration faulted: total + k instructions retired
    // before it, and h.cycles holds the count before it (set before its access).
    h.pc = [${slots.map((sl) => sl.pc).join(', ')}][k];
    h.retired += total + k; h.steps += total + k;
    t.counters.interlockCycles += h.cycles - c0 - (total + k) - st;
    throw err;
  }
  h.cycles = c;
  // Interlock cycles, as retire counts them: what was charged beyond one cycle per instruction
  // and the fetch and class stalls.
  t.counters.interlockCycles += c - c0 - total - st;
  return total;
};`;
}
