// The differential corpus: assembly sources that our assembler and GNU as must turn into the same
// bytes, and whose GNU-built code our disassembler must print as objdump does.
//
// The instruction part is generated from the instruction table (every entry of ALL_SPECS, with
// operand values picked from each operand kind's own range), so an instruction added to the
// table is covered without touching this file. Pseudo-instructions, directives, macros and
// relaxation cases are written out by hand below.
//
// Every chunk exists in two variants with the same number of lines: ours uses the real XPC
// mnemonics and CSR names, GNU's spells them with `.insn` and CSR numbers (GNU knows neither).
// Line N of one variant corresponds to line N of the other, so a difference found through our
// line table names the source line on both sides.
//
// The second half of this file runs GNU binutils on a chunk; both test files share it.

import * as fs from 'fs';
import { GNU, runTool } from '../gnu-tools';
import * as path from 'path';
import { ALL_SPECS, CompiledSpec, OpToken, encode } from '../../emulator/isa/codec';
import { CSRS, csrByName } from '../../emulator/isa/csrs';
import { insertField, operandRange } from '../../emulator/isa/operands';
import { registerName } from '../../emulator/isa/registers';

export interface CorpusLine {
  readonly ours: string;
  readonly gnu: string;
}

export interface CorpusChunk {
  /** Names the instruction group, so a failure says where to look. */
  readonly name: string;
  readonly lines: readonly CorpusLine[];
  /** Raw encodings for the disassembler comparison only: no point assembling them twice. */
  readonly disasmOnly?: boolean;
}

export const chunkSource = (c: CorpusChunk, side: 'ours' | 'gnu'): string => c.lines.map((l) => l[side]).join('\n') + '\n';

const same = (s: string): CorpusLine => ({ ours: s, gnu: s });

/**
 * Corpus lines left out on purpose, each with the reason. A line (either variant, trimmed) that
 * appears here is dropped from the generated corpus; keep this list short and explained.
 */
export const EXCLUDED_LINES: ReadonlyMap<string, string> = new Map<string, string>([
  // Empty: every difference found so far was fixed on our side. GNU-only behaviour that is not a
  // byte difference (a line GNU rejects) is simply not written into the corpus.
]);

// ---- Deterministic randomness ------------------------------------------------------------------

/** xorshift32: the corpus must be identical on every run so failures reproduce. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

// ---- Operand values from the table ---------------------------------------------------------------

const FULL_REGS = [0, 1, 2, 8, 10, 15, 31, 5, 9, 18];
const COMPACT_REGS = [8, 9, 12, 15];
// Interesting numbers every immediate kind is tried with (those that fit it are kept).
const IMM_POOL: number[] = [0, 1, -1, 2, 4, 8, 16, -16, 31, 32, -32, 63, 100, -100, 0x7ff, -2048, 0x12345, 0x80000, 0xfffe0, 0xfffff];
// Known to our table and to GNU; XPC ones are spelled as numbers for GNU.
const CSR_SAMPLE = ['mstatus', 'sstatus', 'cycle', 'mscratch', 'satp', 'mhartid', 'xentry_base', 'useg_va', 'segmask_perm'];
const FENCE_SAMPLE = ['iorw', 'rw', 'r', 'w', 'io', 'ow', 'iw'];

/** Operand value text for our assembler and for GNU as. */
interface OpText { readonly ours: string; readonly gnu: string; readonly value: number }

function regCandidates(op: OpToken): OpText[] {
  const pool = op.kind.compact ? COMPACT_REGS : FULL_REGS;
  return pool.filter((r) => !op.refused.includes(r) && insertField(op.kind, r) !== undefined)
    .map((r) => ({ ours: registerName(r), gnu: registerName(r), value: r }));
}

function immCandidates(op: OpToken): OpText[] {
  const k = op.kind;
  const pool = new Set<number>(IMM_POOL);
  if (!k.asmToField) {
    const r = operandRange(k);
    const s = r.scale;
    for (const v of [r.min, r.max, r.min + s, r.max - s, s, -s, 2 * s, Math.trunc(r.max / 2 / s) * s]) pool.add(v);
  }
  const vals = [...pool].filter((v) => !op.refused.includes(v) && insertField(k, v) !== undefined);
  // Extremes first, so that they survive when a spec takes only a few tuples.
  vals.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ordered = [vals[0], vals[vals.length - 1], ...vals.slice(1, -1)].filter((v, i, a) => v !== undefined && a.indexOf(v) === i);
  return ordered.map((v) => {
    const t = k.hex && v >= 0 ? `0x${v.toString(16)}` : v.toString();
    return { ours: t, gnu: t, value: v };
  });
}

function csrCandidates(): OpText[] {
  return CSR_SAMPLE.map((name) => {
    const c = csrByName(name)!;
    return { ours: name, gnu: c.xpc ? `0x${c.number.toString(16)}` : name, value: c.number };
  });
}

const FENCE_BITS: Record<string, number> = { i: 8, o: 4, r: 2, w: 1 };
function fenceCandidates(): OpText[] {
  return FENCE_SAMPLE.map((s) => ({ ours: s, gnu: s, value: [...s].reduce((m, ch) => m | FENCE_BITS[ch], 0) }));
}

function candidates(op: OpToken): OpText[] {
  switch (op.kind.cls) {
    case 'reg': return regCandidates(op);
    case 'csr': return csrCandidates();
    case 'fence': return fenceCandidates();
    case 'imm': return op.kind.pcrel ? [] : immCandidates(op);
  }
}

const PC_TARGETS = ['1b', '1f'];

/** Operand tuples for a spec: every candidate of every operand appears at least once. */
function tuples(c: CompiledSpec): OpText[][] {
  const lists = c.operands.map((op) => (op.kind.pcrel ? PC_TARGETS.map((t) => ({ ours: t, gnu: t, value: 0 })) : candidates(op)));
  if (lists.some((l) => l.length === 0)) return [];
  const n = Math.max(1, ...lists.map((l) => l.length));
  const out: OpText[][] = [];
  for (let t = 0; t < n; t++) {
    const tuple = lists.map((l, j) => l[(t + j * 3) % l.length]);
    // A tuple the encoder refuses (a reserved combination) is not a test case.
    if (encode(c, tuple.map((o) => o.value)).ok) out.push(tuple);
  }
  return out;
}

/** Renders a table entry's operand syntax with chosen operand texts. */
function render(c: CompiledSpec, ops: readonly OpText[], side: 'ours' | 'gnu'): string {
  let s = '';
  let i = 0;
  for (const t of c.tokens) {
    if (t.t === 'op') s += ops[i++][side];
    else if (t.t === 'reg') s += registerName(t.n);
    else if (t.t === 'int') s += t.v.toString();
    else s += t.t === ',' ? ', ' : t.t;
  }
  return s ? `${c.spec.mnemonic} ${s}` : c.spec.mnemonic;
}

/** GNU spelling of an instruction it does not know: `.insn r` with the fields of our encoding. */
function insnR(word: number): string {
  const f = (at: number, n: number) => (word >>> at) & ((1 << n) - 1);
  const r = (at: number) => registerName(f(at, 5));
  return `.insn r 0x${f(0, 7).toString(16)}, ${f(12, 3)}, ${f(25, 7)}, ${r(7)}, ${r(15)}, ${r(20)}`;
}

function instructionLine(c: CompiledSpec, ops: readonly OpText[]): CorpusLine {
  const ours = render(c, ops, 'ours');
  if (c.spec.ext !== 'XPC') return { ours, gnu: render(c, ops, 'gnu') };
  const r = encode(c, ops.map((o) => o.value));
  if (!r.ok) throw new Error(`corpus: cannot encode ${ours}`);
  return { ours, gnu: insnR(r.word) };
}

/** The base form a compressed entry's operands stand for, written as the base mnemonic. */
function baseLines(c: CompiledSpec, ops: readonly OpText[]): CorpusLine[] {
  const out: CorpusLine[] = [];
  const forms = [c.spec.base!, ...(c.spec.alsoFrom ?? [])];
  for (const form of forms) {
    // Substitute each compressed operand kind in the template by the chosen text.
    const line = (side: 'ours' | 'gnu') => form.replace(/\b[a-z_][\w]*\b/g, (name) => {
      const idx = c.operands.findIndex((o) => o.kind.name === name);
      return idx < 0 ? name : ops[idx][side];
    });
    out.push({ ours: line('ours'), gnu: line('gnu') });
  }
  return out;
}

function withLabels(lines: CorpusLine[], pcrel: boolean): CorpusLine[] {
  return pcrel ? [same('1:'), ...lines, same('1:')] : lines;
}

// ---- Generated instruction chunks -----------------------------------------------------------------

const header = (): CorpusLine[] => [same('.text'), same('.globl _start'), same('_start:')];

function tableChunks(): CorpusChunk[] {
  const byExt = new Map<string, CorpusLine[]>();
  const explicitC: CorpusLine[] = [];
  const implicitC: CorpusLine[] = [];
  for (const c of ALL_SPECS) {
    const pcrel = c.operands.some((o) => o.kind.pcrel);
    const ts = tuples(c);
    if (!ts.length && c.operands.length) throw new Error(`corpus: no operand values for ${c.spec.mnemonic}`);
    const list = ts.length ? ts : [[]];
    if (c.spec.base) {
      explicitC.push(...withLabels(list.map((t) => instructionLine(c, t)), pcrel));
      implicitC.push(...withLabels(list.flatMap((t) => baseLines(c, t)), pcrel));
    } else {
      const group = c.spec.ext === 'Zicsr' || c.spec.ext === 'Zifencei' || c.spec.ext === 'Priv' ? 'system' : c.spec.ext;
      const lines = byExt.get(group) ?? byExt.set(group, []).get(group)!;
      lines.push(...withLabels(list.map((t) => instructionLine(c, t)), pcrel));
    }
  }
  const chunks: CorpusChunk[] = [...byExt].map(([ext, lines]) => ({ name: `table-${ext}`, lines: [...header(), ...lines] }));
  chunks.push({ name: 'table-C-explicit', lines: [...header(), ...explicitC] });
  // The base forms compressed where GNU compresses them, then the same under norvc (never compressed).
  chunks.push({
    name: 'table-C-from-base',
    lines: [...header(), ...implicitC, same('.option push'), same('.option norvc'), ...implicitC, same('.option pop'), ...implicitC.slice(0, 8)],
  });
  return chunks;
}

// ---- Pseudo-instructions ----------------------------------------------------------------------------

const LI_VALUES: string[] = [
  '0', '1', '-1', '31', '-32', '32', '-33', '2047', '-2047', '2048', '-2048', '0x7ff', '0x800', '0xfff', '0x1000',
  '0x12345', '0x7ffff000', '0x7ffff7ff', '0x7ffff800', '0x80000000', '-0x80000000', '0x7fffffff', '0xffffffff',
  '0x100000000', '0x100000fff', '0xfffff800', '0xffffffff80000000', '-0x8000000000000000', '0x7fffffffffffffff',
  '0x123456789abcdef0', '0xfedcba9876543210', '0x8000000000000000', '0xffffffffffffffff', '0x0000100000001000',
  '0x7ff00000000', '0x10000000000000', '0xdeadbeef', '-0xdeadbeef', '0x1122334455667788', '0x1fffff',
  '4096', '-4096', '-4097', '0x3ffffffff', '0x80000800', '0x7fffffff800',
];

function liValues(): string[] {
  // Random values with few and many bits set, so that every shape of GNU's li sequence occurs.
  const rnd = prng(0x11c0ffee);
  const out = [...LI_VALUES];
  for (let i = 0; i < 24; i++) {
    let v = (BigInt(rnd()) << 32n) | BigInt(rnd());
    if (i % 3 === 1) v &= (BigInt(rnd()) << 32n) | BigInt(rnd()); // sparser
    if (i % 3 === 2) v >>= BigInt(rnd() % 60);
    out.push(`0x${v.toString(16)}`);
  }
  return out;
}

function pseudoChunk(): CorpusChunk {
  const l: string[] = [];
  const regs = ['a0', 't0', 's1', 'x31', 'sp', 'ra'];
  liValues().forEach((v, i) => l.push(`li ${regs[i % regs.length]}, ${v}`));
  l.push('li a5, 1 + 2 * 3', 'li a5, 2 + 3 & 1', 'li a5, 1 - 2 - 3', 'li a5, ~0 >> 60', 'li a5, -7 / 2', 'li a5, -7 % 2',
    'li a5, (5 > 3) + 2', 'li a5, 0x10 == 16 && 1', "li a5, 'a'", 'li a5, 0b1010', 'li a5, 010', 'li a5, 1 << 4 | 1',
    'li a5, 6 ^ 3', 'li a5, 12 & ~4', 'li a5, -(5) * 3', 'li a5, 3 != 3', 'li a5, 1 <> 2', 'li a5, 2 <= 2', 'li a5, 9 >= 10',
    'li a5, 5 || 0', 'li a5, 7 ! 1');
  l.push('nop', 'ret', 'mv a0, a1', 'mv s0, s1', 'mv t0, zero', 'mv x31, sp', 'mv zero, a0', 'not a0, a1', 'not s0, s0', 'neg a0, a1',
    'neg s0, s0', 'negw a0, a1', 'negw s1, s1', 'sext.w a0, a1', 'sext.w s0, s0', 'seqz a0, a1', 'snez a0, a1', 'sltz a0, a1', 'sgtz a0, a1',
    'jr a0', 'jr ra', 'jr a1, 8', 'jalr a0', 'jalr ra', 'jalr t0, a1', 'jalr a2, 4(a3)', 'jalr 12(a4)', 'jalr t1, a2, -4',
    'csrr a0, mstatus', 'csrr s1, cycle', 'csrw mscratch, a0', 'csrw mscratch, 5', 'csrs mie, a1', 'csrs mie, 8', 'csrc mip, a2', 'csrc mip, 31',
    'csrwi sscratch, 0', 'csrsi sstatus, 2', 'csrci sstatus, 31', 'csrrw a0, mscratch, 3', 'csrrs a0, mscratch, 3', 'csrrc a0, mscratch, 3',
    'rdcycle a0', 'rdinstret a1', 'rdtime a2', 'fence', 'fence.i', 'fence rw, rw', 'fence.tso', 'sfence.vma', 'sfence.vma a0', 'sfence.vma a0, a1',
    'unimp', 'scall', 'sbreak', 'ecall', 'ebreak', 'c.ebreak');
  l.push('.option push', '.option norvc', 'unimp', 'ebreak', 'nop', 'mv a0, a1', 'li a0, 5', 'ret', '.option pop');
  // Where GNU's alias entries allow fewer compressed forms than the base instruction would.
  l.push('li zero, 0', 'li zero, 5', 'li sp, 0x1000', 'li a0, -4096', 'li a0, 0x1000', 'mv zero, zero', 'mv a0, zero', 'mv sp, sp', 'mv s0, sp',
    'sext.w zero, zero', 'jalr ra, 0(a0)', 'jalr zero, 0(a1)', 'jalr a0', 'jalr zero, a0', 'jalr ra, a1', 'jr a1, 0', 'jr 0(a1)',
    'lui a0, %hi(0x1000)', 'addi a0, a0, %lo(5)', 'addiw a1, a1, %lo(0x801)', 'lw a0, %lo(8)(s0)', 'add a0, zero, a1', 'add a0, a1, zero', 'add a0, a1, a0',
    'and s0, s1, s0', 'or s0, s1, s0', 'xor s0, s1, s0', 'addw s0, s1, s0', 'sub s0, s1, s0', 'subw s0, s1, s0', 'addi sp, sp, 16', 'addi sp, sp, 48',
    'addi zero, zero, 0', 'addi zero, zero, 1', 'slli zero, zero, 1', 'lui zero, 1', 'add zero, zero, a0');
  // XPC CSR names and numbers (GNU gets numbers only).
  const ours: CorpusLine[] = l.map(same);
  ours.push({ ours: 'csrr a0, xcap', gnu: 'csrr a0, 0x5c2' }, { ours: 'csrw segmask_len, a1', gnu: 'csrw 0x801, a1' },
    { ours: 'csrr a2, uxcaller', gnu: 'csrr a2, 0xcc3' }, { ours: 'csrwi xctl, 1', gnu: 'csrwi 0x5c9, 1' });
  // XPC instructions in every register.
  for (const r of [0, 1, 8, 10, 15, 31]) {
    const n = registerName(r);
    ours.push({ ours: `xcall ${n}`, gnu: `.insn r 0x0b, 0, 0, x0, ${n}, x0` }, { ours: `swapseg ${n}`, gnu: `.insn r 0x0b, 2, 0, x0, ${n}, x0` });
  }
  ours.push({ ours: 'xret', gnu: '.insn r 0x0b, 1, 0, x0, x0, x0' });
  return { name: 'pseudo', lines: [...header(), ...ours] };
}

/** Address-forming pseudos, symbol loads/stores, calls and %reloc operators, across sections. */
function addressChunk(): CorpusChunk {
  const l = [
    '.equ ABS_SMALL, 5', 'local_fn:', 'ret',
    'la a0, data_word', 'lla a1, data_word', 'la t0, data_word + 12', 'lla x31, _start', 'la s0, local_fn', 'la a2, rodata_str', 'la a3, bss_buf',
    'la a4, far_data', 'lla a5, data_end - 4', 'la sp, ABS_ADDR',
    'lw a0, data_word', 'ld a1, data_dword', 'lb a2, data_word', 'lbu a3, data_word + 1', 'lh a4, data_half', 'lhu a5, data_half', 'lwu t0, data_word',
    'sw a0, data_word, t1', 'sd a1, data_dword, t2', 'sb a2, data_word + 3, t3', 'sh a3, data_half, t4',
    'call local_fn', 'call ra, local_fn', 'call t0, local_fn', 'tail local_fn', 'call far_data', 'tail far_data', 'jump local_fn, t1', 'jump far_data, t2',
    'call later_fn', 'tail later_fn',
    'lui a0, %hi(ABS_ADDR)', 'addi a0, a0, %lo(ABS_ADDR)', 'lw a1, %lo(ABS_ADDR)(a0)', 'sw a1, %lo(ABS_ADDR)(a0)', 'ld a2, %lo(ABS_ADDR + 8)(a0)',
    'lui a3, %hi(NEG_ADDR)', 'addi a3, a3, %lo(NEG_ADDR)', 'lui a4, %hi(0x12345fff)', 'addiw a4, a4, %lo(0x12345fff)',
    '.Lpc1: auipc a0, %pcrel_hi(data_word)', 'addi a0, a0, %pcrel_lo(.Lpc1)',
    '.Lpc2: auipc a1, %pcrel_hi(data_dword + 4)', 'lw a2, %pcrel_lo(.Lpc2)(a1)', 'sw a2, %pcrel_lo(.Lpc2)(a1)',
    '.Lpc3: auipc t0, %pcrel_hi(later_fn)', 'jalr ra, %pcrel_lo(.Lpc3)(t0)',
    '.Lpc4: auipc t1, %pcrel_hi(far_data)', 'ld t2, %pcrel_lo(.Lpc4)(t1)',
    '1: auipc a5, %pcrel_hi(rodata_str)', 'addi a5, a5, %pcrel_lo(1b)',
    'auipc a0, 0', 'auipc a0, 0xfffff', 'lui a1, 0x80000', 'li a1, 0x10 + ABS_SMALL',
    'later_fn:', 'ret',
    '.equ ABS_ADDR, 0x12345678', '.equ NEG_ADDR, -0x7ffff000',
    '.section .rodata', 'rodata_str: .asciz "rodata"', '.balign 8', 'rodata_tab: .dword local_fn, later_fn, data_word',
    '.data',
    'data_word: .word 0x11223344', 'data_half: .half 0x5566', '.balign 8', 'data_dword: .dword 0x8877665544332211',
    'data_ptrs: .dword _start, local_fn + 2, data_word, rodata_str, bss_buf, ABS_ADDR', '.word later_fn - local_fn, data_end - data_word',
    'data_end:',
    // Beyond the ±1 MiB of jal: only auipc-based sequences reach it.
    '.zero 0x180000', 'far_data: .dword 0x1234',
    '.bss', 'bss_buf: .zero 64',
  ];
  return { name: 'addresses', lines: [...header(), ...l.map(same)] };
}

// ---- Branch relaxation --------------------------------------------------------------------------

function branchChunk(): CorpusChunk {
  const l: string[] = [];
  const branchForms = (t: string) => [
    `beq a0, a1, ${t}`, `bne s0, zero, ${t}`, `beq s1, zero, ${t}`, `bne t0, zero, ${t}`, `blt a2, a3, ${t}`, `bge a4, a5, ${t}`,
    `bltu t1, t2, ${t}`, `bgeu s2, s3, ${t}`,
    `beqz a0, ${t}`, `bnez s1, ${t}`, `beqz t0, ${t}`, `bnez x31, ${t}`, `blez a0, ${t}`, `bgez a1, ${t}`, `bltz a2, ${t}`, `bgtz a3, ${t}`,
    `bgt a0, a1, ${t}`, `ble a2, a3, ${t}`, `bgtu a4, a5, ${t}`, `bleu t0, t1, ${t}`,
    `j ${t}`, `jal ${t}`, `jal zero, ${t}`, `jal ra, ${t}`, `jal t0, ${t}`,
  ];
  l.push('back_far:', 'nop', '.zero 5000', 'back_mid:', 'nop', '.zero 1000', 'back_near:', 'nop');
  for (const t of ['back_near', 'back_mid', 'back_far', 'fwd_near', 'fwd_mid', 'fwd_far', 'fwd_near + 2', 'back_near - 2']) l.push(...branchForms(t));
  l.push('fwd_near:', 'nop', '.zero 1200', 'fwd_mid:', 'nop', '.zero 5000', 'fwd_far:', 'nop');
  // Targets gas does not measure: another section, a weak symbol (8-byte branches, 4-byte jumps);
  // a global symbol here is measured like a local one.
  l.push('.weak weak_fn', '.globl global_fn', 'global_fn:', 'nop', 'beqz a0, cold_fn', 'bnez s0, cold_fn', 'j cold_fn', 'blt a0, a1, cold_fn',
    'beqz s0, weak_fn', 'j weak_fn', 'beqz s0, global_fn', 'j global_fn', 'weak_fn:', 'nop',
    '.section .text.cold, "ax"', 'cold_fn:', 'beqz s1, global_fn', 'j fwd_near', 'ret', '.text');
  // The explicit compressed branches, within their reach.
  l.push('1:', 'c.beqz a5, 1b', 'c.bnez s0, 1f', 'c.j 1b', 'c.j 1f', '1:');
  // Exact reach limits: c.beqz/c.bnez reach [-256, 254], c.j [-2048, 2046], 32-bit branches [-4096, 4094];
  // one byte more and the branch grows (to 4 bytes, or to an inverted branch over a jal).
  let n = 0;
  const fwd: [string, number][] = [['beqz s0,', 252], ['beqz s0,', 254], ['bnez a5,', 252], ['j', 2044], ['j', 2046],
    ['beq a0, a1,', 4090], ['beq a0, a1,', 4092], ['bnez s0,', 4090], ['bnez s0,', 4092], ['bgeu t0, t1,', 4092]];
  for (const [insn, gap] of fwd) { n++; l.push(`${insn} edge${n}`, `.zero ${gap}`, `edge${n}:`, 'nop'); }
  const back: [string, number][] = [['beqz s0,', 256], ['beqz s0,', 258], ['j', 2048], ['j', 2050],
    ['beq a0, a1,', 4096], ['beq a0, a1,', 4098], ['bnez s0,', 4096], ['bnez s0,', 4098], ['bltz a0,', 4098]];
  for (const [insn, gap] of back) { n++; l.push(`edge${n}:`, `.zero ${gap}`, `${insn} edge${n}`, 'nop'); }
  // Alignment padding in code, at 2-byte and 4-byte offsets.
  // A code alignment no larger than an instruction is ignored, even after a .zero left the address odd.
  l.push('.option push', '.option norvc', 'nop', '.zero 2', 'nop', '.align 2', 'nop', '.option pop', '.zero 1', '.align 1', 'c.nop', '.zero 1', '.balign 2', 'nop');
  l.push('c.nop', '.align 2', 'nop', '.p2align 3', 'c.nop', '.balign 16', 'addi a0, a0, 1', '.align 4',
    '.option push', '.option norvc', 'nop', '.align 3', 'nop', '.option pop', 'c.nop', '.balign 8, 0', 'nop',
    '.option arch, -c', 'mv a0, a1', '.option arch, +c', 'mv a0, a1');
  return { name: 'branches', lines: [...header(), ...l.map(same)] };
}

/**
 * Random code for the relaxation: labels, branches and jumps of every relaxable kind, alignment,
 * .zero gaps and norvc regions, so that sizes interact the way they do in real programs.
 */
function relaxFuzzChunk(seed: number, count: number): CorpusChunk {
  const rnd = prng(seed);
  const pick = <T>(a: readonly T[]): T => a[rnd() % a.length];
  const labels = 24 + (rnd() % 24);
  const defined = new Set<number>();
  const l: string[] = [];
  let depth = 0;
  for (let i = 0; i < count; i++) {
    const k = rnd() % 100;
    const target = `R${seed}_${rnd() % labels}`;
    if (k < 3) {
      const n = rnd() % labels;
      if (!defined.has(n)) { defined.add(n); l.push(`R${seed}_${n}:`); }
    } else if (k < 15) {
      l.push(pick([`beqz s0, ${target}`, `bnez a5, ${target}`, `beqz t0, ${target}`, `j ${target}`, `beq a0, a1, ${target}`,
        `jal ${target}`, `bltz s1, ${target}`, `bnez s1, ${target}`, `bgeu a2, a3, ${target}`]));
    } else if (k < 16) l.push(pick(['.align 2', '.align 3', '.balign 4', '.p2align 4', '.align 2, 0', '.balign 8, 0, 4', '.align 1']));
    else if (k < 17) l.push(`.zero ${2 * (rnd() % 200)}`);
    else if (k < 18) {
      if (depth && rnd() % 2) { l.push('.option pop'); depth--; } else { l.push('.option push', '.option norvc'); depth++; }
    } else l.push(pick(['addi a0, a0, 1', 'addi a0, a0, 100', 'mv a0, a1', 'nop', 'ld a0, 8(sp)', 'add a0, a0, a1', 'li a2, 12345', 'lui a3, 0x12']));
  }
  while (depth--) l.push('.option pop');
  for (let n = 0; n < labels; n++) if (!defined.has(n)) l.push(`R${seed}_${n}:`);
  l.push('nop');
  return { name: `relax-fuzz-${seed}`, lines: [...header(), ...l.map(same)] };
}

// ---- Directives, macros, expressions ----------------------------------------------------------------

function directiveChunk(): CorpusChunk {
  const l = [
    '.macro push_pair a, b=zero', 'addi sp, sp, -16', 'sd \\a, 0(sp)', 'sd \\b, 8(sp)', '.endm',
    '.macro add_all first, rest:vararg', 'add a0, a0, \\first', '.ifnb \\rest', 'add_all \\rest', '.endif', '.endm',
    '.macro counted', '.Lmac\\@: addi a1, a1, 1', 'j .Lmac\\@', '.endm',
    '.macro required r:req, imm=7', 'addi \\r, \\r, \\imm', '.endm',
    '.macro early_exit n', '.if \\n > 2', 'li a0, \\n', '.exitm', '.endif', 'li a1, \\n', '.endm',
    'push_pair s0', 'push_pair s0, s1', 'push_pair b=ra, a=a0', 'add_all a1', 'add_all a1, a2, a3, a4', 'counted', 'counted',
    'required a3', 'required a3, -5', 'required imm=100, r=t0', 'early_exit 1', 'early_exit 5',
    '.rept 3', 'addi a0, a0, 1', '.endr', '.rept 0', 'ebreak', '.endr',
    '.irp r, a0, a1, s1, t6', 'mv \\r, zero', 'addi \\r, \\r, -1', '.endr',
    '.irpc c, 0123', 'li a0, \\c', '.endr',
    '.rept 2', '.irp x, 1, 2', 'addi a2, a2, \\x', '.endr', '.endr',
    '.set COUNT, 3', '.equ SHIFT, 4', 'VAL = 100', '.set COUNT, COUNT + 1',
    '.if COUNT == 4', 'li a0, 1', '.else', 'li a0, 2', '.endif',
    '.if COUNT > 10', 'li a0, 3', '.elseif COUNT > 3', 'li a0, 4', '.else', 'li a0, 5', '.endif',
    '.ifdef VAL', 'li a1, VAL', '.endif', '.ifndef NOT_DEFINED', 'li a1, 6', '.endif', '.ifdef NOT_DEFINED', 'li a1, 66', '.endif',
    '.ifeq COUNT - 4', 'li a2, 7', '.endif', '.ifne COUNT', 'li a2, 8', '.endif', '.ifgt COUNT', 'li a2, 9', '.endif',
    '.ifge 0', 'li a2, 10', '.endif', '.iflt -1', 'li a2, 11', '.endif', '.ifle 1', 'li a2, 12', '.else', 'li a2, 13', '.endif',
    '.ifb', 'li a3, 1', '.endif', '.ifnb x', 'li a3, 2', '.endif', '.ifc abc, abc', 'li a3, 3', '.endif', '.ifnc abc, abd', 'li a3, 4', '.endif',
    '.if 1', '.if 0', 'li a4, 1', '.else', 'li a4, 2', '.endif', '.endif',
    'li a0, VAL << SHIFT', 'li a0, (VAL + 1) * -3', 'addi a0, a0, COUNT * 2 - 1', 'slli a0, a0, SHIFT + 1', 'andi a0, a0, ~SHIFT',
    // Code sections other than .text start byte-aligned; .text is padded to its alignment.
    '.section .text.odd, "ax"', 'nop', '.byte 1', '.section .text.odd2, "ax"', 'c.nop', '.byte 2', '.text', '.byte 3',
    '.data',
    'data_start:',
    '.byte 1, 2, 0xff, -1, \'a\', -128, 255', '.half 0x1234, -2, 65535', '.short 7', '.2byte 0xbeef',
    '.word 0x12345678, -1, data_end - data_start, 0xffffffff', '.long 5', '.int -5', '.4byte 9',
    '.balign 8', 'data_dw: .dword 0x123456789abcdef0, -2, _start, data_start + 3', '.quad -1, 0x7fffffffffffffff', '.8byte 42',
    '.ascii "abc\\n\\t\\"\\\\"', '.asciz "x", ""', '.string "hello", "wor\\x6cd", "\\101\\102"',
    '.zero 3', '.space 5, 0xaa', '.skip 2', '.align 3', '.byte 1', '.p2align 2, 0x55', '.byte 2', '.balign 16, 0x11', '.byte 3',
    '.balign 8, 0x77, 2', '.byte 4', '.balign 8, 0x77, 7', '.fill 3, 2, 0x1234', '.fill 2, 1, 0xab', '.fill 1, 8, 0x12345678',
    // GNU's RISC-V .uleb128/.sleb128 take one expression each.
    ...['0', '127', '128', '624485'].map((v) => `.uleb128 ${v}`), ...['0', '-1', '63', '64', '-64', '-65', '-123456'].map((v) => `.sleb128 ${v}`),
    '.byte COUNT, SHIFT, VAL', '.word VAL * 1000 + COUNT', '.byte (1f - data_start) & 0xff', '1:',
    '.rept 3', '.byte 0x5a', '.endr', '.irp v, 10, 20, 30', '.half \\v', '.endr', '.irpc d, 789', '.byte \\d', '.endr',
    // \@ counts every macro expansion so far, nested ones included.
    '.macro count_me', '.byte \\@', '.endm', '.macro count_twice', 'count_me', '.byte \\@', 'count_me', '.endm',
    'count_me', 'count_twice', '.rept 2', 'count_me', '.endr',
    'data_end:',
    '.align 3', '.dword data_end - data_start',
  ];
  return { name: 'directives', lines: [...header(), ...l.map(same)] };
}

/** Every CSR of our table by name, then every CSR number (for the disassembler's names). */
function csrChunk(): CorpusChunk {
  const lines: CorpusLine[] = [...header()];
  for (const c of CSRS) {
    const gnuName = c.xpc ? `0x${c.number.toString(16)}` : c.name;
    lines.push({ ours: `csrrs a0, ${c.name}, zero`, gnu: `csrrs a0, ${gnuName}, zero` });
  }
  for (let n = 0; n < 4096; n++) lines.push(same(`csrrs a1, 0x${n.toString(16)}, a2`));
  return { name: 'csrs', lines };
}

// ---- Raw encodings for the disassembler -------------------------------------------------------

/** Every 16-bit encoding, and random 32-bit words biased to our major opcodes. */
function rawChunks(): CorpusChunk[] {
  const c16: CorpusLine[] = [...header()];
  for (let w = 0; w < 0x10000; w++) if ((w & 3) !== 3) c16.push(same(`.insn 0x${w.toString(16)}`));
  const rnd = prng(0x5eed1234);
  const opcodes = [0x03, 0x0b, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x2f, 0x33, 0x37, 0x3b, 0x63, 0x67, 0x6f, 0x73];
  const c32: CorpusLine[] = [...header()];
  for (let i = 0; i < 12000; i++) {
    let w = rnd();
    if (i % 4 !== 3) w = ((w & ~0x7f) | opcodes[rnd() % opcodes.length]) >>> 0;
    else w = (w | 3) >>> 0;
    // Thin out funct7 so that the few valid values are hit often.
    if (i % 3 === 0) w = (w & 0x01ffffff) >>> 0;
    if ((w & 0x1c) === 0x1c) w = (w & ~0x1c) >>> 0; // only 32-bit lengths
    c32.push(same(`.insn 0x${w.toString(16).padStart(8, '0')}`));
  }
  return [{ name: 'raw-16bit-all', lines: c16, disasmOnly: true }, { name: 'raw-32bit-random', lines: c32, disasmOnly: true },
    { name: 'raw-32bit-edges', lines: [...header(), ...edgeWords().map((w) => same(`.insn 0x${w.toString(16).padStart(8, '0')}`))], disasmOnly: true }];
}

/**
 * 32-bit words where GNU's aliases and special cases live: zero registers and immediates such as
 * 0, ±1 and 255 for every funct3/funct7 of the integer, branch, jump, CSR, fence and system opcodes.
 */
function edgeWords(): number[] {
  const out = new Set<number>();
  const I = (op: number, f3: number, rd: number, rs1: number, imm: number) => ((imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op) >>> 0;
  const R = (op: number, f3: number, f7: number, rd: number, rs1: number, rs2: number) => (f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op) >>> 0;
  for (const op of [0x13, 0x1b, 0x03, 0x67, 0x0f]) for (let f3 = 0; f3 < 8; f3++) for (const rd of [0, 1, 10]) for (const rs1 of [0, 1, 11]) {
    for (const imm of [0, 1, -1, 2, 8, 255, 31, 32, 0x400, 0x41f, 2047, -2048]) out.add(I(op, f3, rd, rs1, imm));
  }
  for (const op of [0x33, 0x3b]) for (const f7 of [0, 0x20, 1]) for (let f3 = 0; f3 < 8; f3++) for (const rd of [0, 10]) for (const rs1 of [0, 2, 11]) for (const rs2 of [0, 2, 3, 4, 5, 12]) out.add(R(op, f3, f7, rd, rs1, rs2));
  for (let f3 = 0; f3 < 8; f3++) for (const rs1 of [0, 11]) for (const rs2 of [0, 12]) out.add(R(0x63, f3, 0, 8, rs1, rs2));
  for (const rd of [0, 1, 5, 10]) out.add(((8 << 21) | (rd << 7) | 0x6f) >>> 0);
  for (let f3 = 0; f3 < 8; f3++) for (const rd of [0, 10]) for (const rs1 of [0, 11]) for (const csr of [0x001, 0x300, 0xc00, 0xc01, 0xc02, 0xc80, 0x5c0, 0x7c0]) out.add(I(0x73, f3, rd, rs1, csr));
  for (let pred = 0; pred < 16; pred++) for (let succ = 0; succ < 16; succ++) for (const fm of [0, 8]) out.add(((fm << 28 | pred << 24 | succ << 20 | 0x0f) >>> 0));
  for (const w of [0x00200073, 0x10200073, 0x30200073, 0x7b200073, 0x10500073, 0x10400073, 0x12000073, 0x12050073, 0x12b00073, 0x22000073, 0x62000073, 0x0000006f, 0x00000037, 0x00000017, 0x00100017]) out.add(w);
  return [...out];
}

/** The whole corpus, in chunks named after their instruction group. */
export function corpusChunks(): CorpusChunk[] {
  const chunks = [...tableChunks(), pseudoChunk(), addressChunk(), branchChunk(), relaxFuzzChunk(1, 1500), relaxFuzzChunk(2, 1500),
    directiveChunk(), csrChunk(), ...rawChunks()];
  return chunks.map((c) => ({
    ...c,
    lines: c.lines.map((l) => (EXCLUDED_LINES.has(l.ours.trim()) || EXCLUDED_LINES.has(l.gnu.trim()) ? same('') : l)),
  }));
}

// ---- Running GNU binutils ---------------------------------------------------------------------

// Our CSR table follows privileged spec 1.12 (senvcfg, menvcfg, mconfigptr, pmpcfg4+…); GNU as
// defaults to 1.11 and would neither accept nor print those names.
export const GNU_AS_FLAGS = ['-march=rv64imac_zicsr_zifencei', '-mabi=lp64', '-mno-relax', '-mpriv-spec=1.12'];

export interface SectionPlacement {
  readonly name: string;
  /** Where the output section starts; after the previous one when absent. */
  readonly addr?: bigint;
  readonly inputs: readonly string[];
}

/** A GNU ld script placing each output section at the address our linker chose. */
export function linkerScript(sections: readonly SectionPlacement[]): string {
  const body = sections.map((s) => `  ${s.name} ${s.addr === undefined ? '' : `0x${s.addr.toString(16)} `}: { ${s.inputs.map((i) => `*(${i})`).join(' ')} }`);
  return `ENTRY(_start)\nSECTIONS\n{\n${body.join('\n')}\n}\n`;
}

/** The board's layout (.text at 0x8000_0000, the rest after it), for GNU-only builds. */
export const BARE_PLACEMENT: readonly SectionPlacement[] = [
  { name: '.text', addr: 0x80000000n, inputs: ['.text', '.text.*'] },
  { name: '.rodata', inputs: ['.rodata', '.rodata.*', '.srodata', '.srodata.*'] },
  { name: '.data', inputs: ['.data', '.data.*', '.sdata', '.sdata.*'] },
  { name: '.bss', inputs: ['.sbss', '.sbss.*', '.bss', '.bss.*'] },
];

/** Assembles and links a chunk's GNU variant; returns the ELF path or throws with GNU's messages. */
export function gnuBuild(chunk: CorpusChunk, dir: string, sections: readonly SectionPlacement[]): string {
  const base = path.join(dir, chunk.name);
  fs.writeFileSync(`${base}.s`, chunkSource(chunk, 'gnu'));
  const as = runTool(GNU.as, [...GNU_AS_FLAGS, '-o', `${base}.o`, `${base}.s`]);
  if (as.status !== 0) throw new Error(`GNU as failed on chunk ${chunk.name}:\n${as.stderr}`);
  fs.writeFileSync(`${base}.ld`, linkerScript(sections));
  const ld = runTool(GNU.ld, ['--no-relax', '-T', `${base}.ld`, '-o', `${base}.elf`, `${base}.o`]);
  if (ld.status !== 0) throw new Error(`GNU ld failed on chunk ${chunk.name}:\n${ld.stderr}`);
  return `${base}.elf`;
}

export { GNU, haveTool, requireGnu, runTool } from '../gnu-tools';
