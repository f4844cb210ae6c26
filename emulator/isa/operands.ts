// Operand kinds: how each operand of an instruction is placed in, and taken out of, the
// instruction word. The instruction table names operands by these kinds, so encoder, decoder,
// disassembler and assembler all share one description of every bit field.

/** One run of immediate bits: instruction bits [at, at+hi-lo] hold immediate bits [hi:lo]. */
export type BitRun = readonly [at: number, hi: number, lo: number];

export type OperandClass = 'reg' | 'imm' | 'csr' | 'fence';

export interface OperandKind {
  readonly name: string;
  readonly cls: OperandClass;
  /** Bit runs; a register is one run of its number. */
  readonly runs: readonly BitRun[];
  /** Immediate is sign-extended from its top bit. */
  readonly signed?: boolean;
  /** Value must be a multiple of this (and the low bits are not stored). */
  readonly scale?: number;
  /** Register operand limited to x8..x15 and stored as (r - 8). */
  readonly compact?: boolean;
  /** Branch/jump offset relative to the instruction's own address. */
  readonly pcrel?: boolean;
  /** Value the assembler writes differs from the field value (c.lui's 20-bit upper immediate). */
  readonly asmToField?: (v: number) => number | undefined;
  readonly fieldToAsm?: (v: number) => number;
  /** Printed in hexadecimal by the disassembler (objdump style). */
  readonly hex?: boolean;
}

function width(runs: readonly BitRun[]): number {
  let top = 0;
  for (const [, hi] of runs) top = Math.max(top, hi + 1);
  return top;
}

/**
 * Field bits → operand value. Operand values are plain numbers: every field is at most 21 bits
 * wide, so they are exact, and the decoder and assembler avoid bigint arithmetic.
 */
export function extractField(kind: OperandKind, word: number): number {
  let v = 0;
  for (const [at, hi, lo] of kind.runs) {
    const n = hi - lo + 1;
    v |= ((word >>> at) & ((1 << n) - 1)) << lo;
  }
  if (kind.signed) {
    const w = width(kind.runs);
    v = (v << (32 - w)) >> (32 - w);
  } else v >>>= 0;
  if (kind.compact) v += 8;
  return kind.fieldToAsm ? kind.fieldToAsm(v) : v;
}

interface FieldLimits { min: number; max: number; lowMask: number; scale: number }
const limitsCache = new WeakMap<OperandKind, FieldLimits>();

function limits(kind: OperandKind): FieldLimits {
  let l = limitsCache.get(kind);
  if (!l) {
    const w = width(kind.runs);
    const lowBits = kind.runs.reduce((m, [, , lo]) => Math.min(m, lo), 64);
    l = {
      min: kind.signed ? -(2 ** (w - 1)) : 0,
      max: kind.signed ? 2 ** (w - 1) - 1 : 2 ** w - 1,
      lowMask: lowBits > 0 ? (1 << lowBits) - 1 : 0,
      scale: kind.scale ?? 1,
    };
    limitsCache.set(kind, l);
  }
  return l;
}

/** Value → field bits, or undefined when the value does not fit this operand. */
export function insertField(kind: OperandKind, value: number): number | undefined {
  let v = value;
  if (kind.asmToField) {
    const f = kind.asmToField(v);
    if (f === undefined) return undefined;
    v = f;
  }
  if (kind.compact) {
    if (v < 8 || v > 15) return undefined;
    v -= 8;
  }
  const l = limits(kind);
  if (!(v >= l.min && v <= l.max)) return undefined; // also rejects NaN
  if (l.scale !== 1 && v % l.scale !== 0) return undefined;
  if ((v & l.lowMask) !== 0) return undefined;
  let word = 0;
  for (const [at, hi, lo] of kind.runs) {
    word |= ((v >> lo) & ((1 << (hi - lo + 1)) - 1)) << at;
  }
  return word >>> 0;
}

/** A bigint operand value as the number operands use, or NaN when it cannot be one (never fits). */
export function operandValue(v: bigint): number {
  return v >= -0x80000000n && v <= 0xffffffffn ? Number(v) : NaN;
}

/** Numeric range of an operand as the assembler sees it, for messages. */
export function operandRange(kind: OperandKind): { min: number; max: number; scale: number } {
  const w = width(kind.runs);
  const scale = kind.scale ?? 1;
  if (kind.compact) return { min: 8, max: 15, scale: 1 };
  if (kind.signed) return { min: -(2 ** (w - 1)), max: 2 ** (w - 1) - scale, scale };
  return { min: 0, max: 2 ** w - scale, scale };
}

const reg = (name: string, at: number, compact = false): OperandKind =>
  ({ name, cls: 'reg', runs: [[at, compact ? 2 : 4, 0]], compact });

const cluiToField = (v: number): number | undefined => {
  if (v >= 1 && v <= 31) return v;
  if (v >= 0xfffe0 && v <= 0xfffff) return v - 0x100000;
  return undefined;
};

const kinds: OperandKind[] = [
  // Base formats.
  reg('rd', 7), reg('rs1', 15), reg('rs2', 20),
  { name: 'imm12', cls: 'imm', runs: [[20, 11, 0]], signed: true },
  { name: 'simm12', cls: 'imm', runs: [[7, 4, 0], [25, 11, 5]], signed: true },
  { name: 'bimm', cls: 'imm', runs: [[8, 4, 1], [25, 10, 5], [7, 11, 11], [31, 12, 12]], signed: true, pcrel: true },
  { name: 'jimm', cls: 'imm', runs: [[21, 10, 1], [20, 11, 11], [12, 19, 12], [31, 20, 20]], signed: true, pcrel: true },
  { name: 'uimm20', cls: 'imm', runs: [[12, 19, 0]], hex: true },
  { name: 'shamt6', cls: 'imm', runs: [[20, 5, 0]], hex: true },
  { name: 'shamt5', cls: 'imm', runs: [[20, 4, 0]], hex: true },
  { name: 'csr', cls: 'csr', runs: [[20, 11, 0]] },
  { name: 'zimm5', cls: 'imm', runs: [[15, 4, 0]] },
  { name: 'pred', cls: 'fence', runs: [[24, 3, 0]] },
  { name: 'succ', cls: 'fence', runs: [[20, 3, 0]] },
  // Compressed formats: full registers.
  reg('c_rd', 7), reg('c_rs2', 2),
  // Compressed formats: x8..x15 registers.
  reg('c_rdq', 2, true), reg('c_rs1q', 7, true), reg('c_rs2q', 2, true),
  { name: 'c_imm6', cls: 'imm', runs: [[2, 4, 0], [12, 5, 5]], signed: true },
  { name: 'c_shamt', cls: 'imm', runs: [[2, 4, 0], [12, 5, 5]], hex: true },
  { name: 'c_lui', cls: 'imm', runs: [[2, 16, 12], [12, 17, 17]], signed: true, hex: true,
    asmToField: (v) => { const f = cluiToField(v); return f === undefined ? undefined : f * 4096; },
    fieldToAsm: (f) => (f >> 12) & 0xfffff },
  { name: 'c_addi4spn', cls: 'imm', runs: [[11, 5, 4], [7, 9, 6], [6, 2, 2], [5, 3, 3]], scale: 4 },
  { name: 'c_addi16sp', cls: 'imm', runs: [[12, 9, 9], [6, 4, 4], [5, 6, 6], [3, 8, 7], [2, 5, 5]], signed: true, scale: 16 },
  { name: 'c_lw', cls: 'imm', runs: [[10, 5, 3], [6, 2, 2], [5, 6, 6]], scale: 4 },
  { name: 'c_ld', cls: 'imm', runs: [[10, 5, 3], [5, 7, 6]], scale: 8 },
  { name: 'c_lwsp', cls: 'imm', runs: [[12, 5, 5], [4, 4, 2], [2, 7, 6]], scale: 4 },
  { name: 'c_ldsp', cls: 'imm', runs: [[12, 5, 5], [5, 4, 3], [2, 8, 6]], scale: 8 },
  { name: 'c_swsp', cls: 'imm', runs: [[9, 5, 2], [7, 7, 6]], scale: 4 },
  { name: 'c_sdsp', cls: 'imm', runs: [[10, 5, 3], [7, 8, 6]], scale: 8 },
  { name: 'c_jimm', cls: 'imm', runs: [[12, 11, 11], [11, 4, 4], [9, 9, 8], [8, 10, 10], [7, 6, 6], [6, 7, 7], [3, 3, 1], [2, 5, 5]], signed: true, pcrel: true },
  { name: 'c_bimm', cls: 'imm', runs: [[12, 8, 8], [10, 4, 3], [5, 7, 6], [3, 2, 1], [2, 5, 5]], signed: true, pcrel: true },
];

export const OPERAND_KINDS: ReadonlyMap<string, OperandKind> = new Map(kinds.map((k) => [k.name, k]));

export function operandKind(name: string): OperandKind {
  const k = OPERAND_KINDS.get(name);
  if (!k) throw new Error(`ISA table: unknown operand kind ${name}`);
  return k;
}
