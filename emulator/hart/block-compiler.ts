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
//   before it (`k`);
// - after every memory access the block ends if the hart asks (`blockBreak`: a device was
//   touched, which may change pending interrupts, or a store hit a page holding compiled code).

import { Op } from './op.generated';
import { DecodedPage } from './decoded';

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
export type CompiledBlock = (h: BlockHost, x: Int32Array, max: number) => number;

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

/** Source of one instruction; `lo`/`hi` locals receive the result when it writes rd. */
function body(op: number, rd: number, rs1: number, rs2: number, imm: number, pc: number, next: number): { code: string; writes: boolean; memory: boolean; end?: string; exit?: string } {
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
  const branch = (cond: string) => ({ code: '', writes: false, memory: false, exit: `if (${cond}) { h.pc = ${pc + imm}; EXIT(COUNT) }` });
  const w = (code: string) => ({ code, writes: true, memory: false });
  const load = LOADS[op];
  if (load) return { code: `h.load(${addr}, ${load[0]}, ${load[1]}); lo = h.lo; hi = h.hi;`, writes: true, memory: true };
  const store = STORES[op];
  if (store) return { code: `h.store(${addr}, ${store}, ${b(0)}, ${b(1)});`, writes: false, memory: true };
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
    case Op.fence: return { code: '', writes: false, memory: false };
    case Op.jal: return { code: `lo = ${next | 0}; hi = ${Math.floor(next / 4294967296) | 0};`, writes: true, memory: false, end: `h.pc = ${pc + imm};` };
    case Op.jalr: return {
      code: `{ const t = ${addr}; target = t - (t & 1); } lo = ${next | 0}; hi = ${Math.floor(next / 4294967296) | 0};`,
      writes: true, memory: false, end: 'h.pc = target;',
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

/**
 * Compiles the block starting at `slot` of a decoded page whose first byte has virtual address
 * `vbase`; undefined when the first instruction cannot be compiled. Instructions must already be
 * decoded (the interpreter has run them).
 */
export function compileBlock(page: DecodedPage, slot: number, vbase: number): { fn: CompiledBlock; length: number; endSlot: number } | undefined {
  const parts: string[] = [];
  let s = slot;
  let count = 0;
  let end = '';
  const start = vbase + slot * 2;
  while (count < MAX_BLOCK && s < 2048) {
    const len = page.len[s];
    if (len === 0) break; // not decoded yet, or an instruction crossing the page
    const op = page.op[s];
    if (!compilable(op)) break;
    const pc = vbase + s * 2;
    const next = pc + len;
    const r = body(op, page.rd[s], page.rs1[s], page.rs2[s], page.imm[s], pc, next);
    // Before a possibly faulting access: how many instructions have retired, and where we are.
    const pre = r.memory ? `k = ${count}; ` : '';
    const write = r.writes && page.rd[s] !== 0 ? ` x[${page.rd[s] * 2}] = lo; x[${page.rd[s] * 2 + 1}] = hi;` : '';
    const brk = r.memory ? ` if (h.blockBreak) { h.pc = ${next}; return total + ${count + 1}; }` : '';
    const exit = r.exit ? r.exit.replace('EXIT(COUNT)', exitTo(count + 1)) : '';
    parts.push(`${pre}${r.code}${write}${brk}${exit}`);
    count++;
    s += len >> 1;
    if (r.end) { end = r.end; break; }
  }
  if (count === 0) return undefined;
  if (!end) end = `h.pc = ${vbase + s * 2};`;
  const pcs: number[] = [];
  for (let i = 0, t = slot; i < count; i++) { pcs.push(vbase + t * 2); t += page.len[t] >> 1; }
  // A block that jumps back to its own start (a loop) runs again inside the function while
  // the step budget allows: whole iterations only, and never past a break request.
  function exitTo(done: number): string {
    // The block's length is known only at the end: BLOCK_LENGTH is filled in below.
    return `total += ${done}; if (h.pc === ${start} && total + BLOCK_LENGTH <= max && !h.blockBreak) continue; return total;`;
  }
  const src = `${MULHU32}
return function block(h, x, max) {
  let lo = 0, hi = 0, k = 0, target = 0, total = 0;
  try {
    for (;;) {
    ${parts.join('\n    ')}
    ${end}
    ${exitTo(count)}
    }
  } catch (e) {
    // The instruction at index k of this iteration faulted: total + k instructions retired before it.
    h.pc = [${pcs.join(', ')}][k];
    h.retired += total + k; h.steps += total + k; h.cycles += total + k;
    throw e;
  }
};`;
  const fn = new Function(src.replace(/BLOCK_LENGTH/g, String(count)))() as CompiledBlock;
  return { fn, length: count, endSlot: s };
}
