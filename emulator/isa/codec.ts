// Encoding and decoding driven by the instruction table: the operand syntax strings of
// instructions.ts are parsed once into token lists that encoder, decoder and disassembler share.

import { INSTRUCTIONS, InstructionSpec, instructionLength } from './instructions';
import { OperandKind, extractField, insertField, operandKind } from './operands';
import { registerNumber } from './registers';

export type ArgToken =
  | { readonly t: 'op'; readonly kind: OperandKind; /** values that are reserved encodings */ readonly reserved: readonly number[]; /** values the assembler refuses (reserved + hints) */ readonly refused: readonly number[] }
  | { readonly t: 'reg'; readonly n: number }
  | { readonly t: 'int'; readonly v: number }
  | { readonly t: '(' | ')' | ',' };

export type OpToken = Extract<ArgToken, { t: 'op' }>;

export interface CompiledSpec {
  readonly spec: InstructionSpec;
  readonly tokens: readonly ArgToken[];
  /** The 'op' tokens in order: one value per operand. */
  readonly operands: readonly OpToken[];
  readonly length: 2 | 4;
  /** Compressed forms: the base instruction and where each base operand comes from. */
  readonly expansion?: { readonly base: CompiledSpec; readonly sources: readonly ({ from: 'operand'; index: number } | { from: 'const'; value: number })[] };
}

export function parseArgs(args: string, where: string): ArgToken[] {
  const out: ArgToken[] = [];
  const re = /\s*(?:([(),])|([A-Za-z_][\w.]*)((?:[!~]\d+)*)|(-?\d+))/y;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < args.length && (m = re.exec(args))) {
    if (m[1]) out.push({ t: m[1] as '(' | ')' | ',' });
    else if (m[4] !== undefined) out.push({ t: 'int', v: Number(m[4]) });
    else {
      const reg = registerNumber(m[2]);
      if (reg !== undefined && !m[3]) { out.push({ t: 'reg', n: reg }); continue; }
      const reserved: number[] = [], refused: number[] = [];
      for (const c of (m[3] ?? '').match(/[!~]\d+/g) ?? []) {
        const v = Number(c.slice(1));
        refused.push(v);
        if (c[0] === '!') reserved.push(v);
      }
      out.push({ t: 'op', kind: operandKind(m[2]), reserved, refused });
    }
    if (/^\s*$/.test(args.slice(re.lastIndex))) break;
  }
  if (re.lastIndex < args.length && !/^\s*$/.test(args.slice(re.lastIndex))) throw new Error(`ISA table: bad args for ${where}: ${args}`);
  return out;
}

const compiled = new Map<InstructionSpec, CompiledSpec>();
const byMnemonic = new Map<string, CompiledSpec[]>();

function compile(spec: InstructionSpec): CompiledSpec {
  const tokens = parseArgs(spec.args, spec.mnemonic);
  const operands = tokens.filter((t): t is OpToken => t.t === 'op');
  const c: CompiledSpec = { spec, tokens, operands, length: instructionLength(spec.match & 0xffff) };
  compiled.set(spec, c);
  (byMnemonic.get(spec.mnemonic) ?? byMnemonic.set(spec.mnemonic, []).get(spec.mnemonic)!).push(c);
  return c;
}

for (const spec of INSTRUCTIONS) compile(spec);
type Source = { from: 'operand'; index: number } | { from: 'const'; value: number };

function expansionOf(c: CompiledSpec, form: string): { base: CompiledSpec; sources: Source[] } {
  const [baseName, ...rest] = form.split(/\s+/);
  const base = byMnemonic.get(baseName)?.find((b) => b.length === 4);
  if (!base) throw new Error(`ISA table: ${c.spec.mnemonic} expands to unknown ${baseName}`);
  // The template's operand-or-constant slots line up with the base's operands in order.
  const slots = parseArgs(rest.join(' '), form).filter((t) => t.t === 'op' || t.t === 'reg' || t.t === 'int');
  if (slots.length !== base.operands.length) throw new Error(`ISA table: ${c.spec.mnemonic} base operand count`);
  const sources = slots.map((t): Source => {
    if (t.t === 'reg') return { from: 'const', value: t.n };
    if (t.t === 'int') return { from: 'const', value: t.v };
    const idx = c.operands.findIndex((o) => o.kind === (t as OpToken).kind);
    if (idx < 0) throw new Error(`ISA table: ${c.spec.mnemonic} template names ${(t as OpToken).kind.name}`);
    return { from: 'operand', index: idx };
  });
  return { base, sources };
}

interface CompressionForm {
  readonly c: CompiledSpec;
  readonly sources: readonly Source[];
  /** Some base operand is a fixed value (c.mv is `add rd, zero, rs2`). */
  readonly hasConst: boolean;
}
const compressedByBase = new Map<CompiledSpec, CompressionForm[]>();
for (const c of compiled.values()) {
  if (!c.spec.base) continue;
  const main = expansionOf(c, c.spec.base);
  (c as { expansion?: CompiledSpec['expansion'] }).expansion = main;
  if (c.spec.aliasOnly) continue;
  for (const e of [main, ...(c.spec.alsoFrom ?? []).map((f) => expansionOf(c, f))]) {
    const hasConst = e.sources.some((s) => s.from === 'const');
    (compressedByBase.get(e.base) ?? compressedByBase.set(e.base, []).get(e.base)!).push({ c, sources: e.sources, hasConst });
  }
}

export function compiledSpec(spec: InstructionSpec): CompiledSpec {
  return compiled.get(spec)!;
}

/** All table entries for a mnemonic (base and compressed share no mnemonics). */
export function specsFor(mnemonic: string): readonly CompiledSpec[] {
  return byMnemonic.get(mnemonic) ?? [];
}

export const ALL_SPECS: readonly CompiledSpec[] = [...compiled.values()];

// ---- Encoding ---------------------------------------------------------------------------------

export type EncodeResult = { ok: true; word: number } | { ok: false; operand: number; reason: 'range' | 'refused' };

export function encode(c: CompiledSpec, values: readonly number[]): EncodeResult {
  const word = encodeWord(c, values);
  if (word >= 0) return { ok: true, word };
  // Slow path, only to say which operand failed and why.
  for (let i = 0; i < c.operands.length; i++) {
    const op = c.operands[i];
    if (op.refused.includes(values[i])) return { ok: false, operand: i, reason: 'refused' };
    if (insertField(op.kind, values[i]) === undefined) return { ok: false, operand: i, reason: 'range' };
  }
  return { ok: false, operand: 0, reason: 'range' };
}

/** The encoding, or -1 if an operand does not fit (no allocation: this is the assembler's hot path). */
export function encodeWord(c: CompiledSpec, values: readonly number[]): number {
  let word = c.spec.match;
  const ops = c.operands;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const v = values[i];
    if (op.refused.length && op.refused.includes(v)) return -1;
    const bits = insertField(op.kind, v);
    if (bits === undefined) return -1;
    word |= bits;
  }
  return word >>> 0;
}

/** Values of a compressed instruction's base form. */
export function expandValues(c: CompiledSpec, values: readonly number[]): { base: CompiledSpec; values: number[] } {
  const e = c.expansion!;
  return { base: e.base, values: e.sources.map((s) => (s.from === 'const' ? s.value : values[s.index])) };
}

/** Tries to express base instruction `base` with operand values `values` in compressed form. */
export function compress(base: CompiledSpec, values: readonly number[]): { spec: CompiledSpec; word: number } | undefined {
  const forms = compressedByBase.get(base);
  if (!forms) return undefined;
  return compressExact(forms, values, false) ?? (base.spec.commutative ? compressExact(forms, values, true) : undefined);
}

const scratch: number[] = [0, 0, 0, 0];
const bound: boolean[] = [false, false, false, false];

function compressExact(forms: readonly CompressionForm[], values: readonly number[], swap: boolean): { spec: CompiledSpec; word: number } | undefined {
  for (const { c, sources, hasConst } of forms) {
    // GNU as swaps the sources only into forms that read both (c.add, c.and, …): `add rd, rs, zero`
    // does not become c.mv, which is `add rd, zero, rs` only.
    if (swap && hasConst) continue;
    const n = c.operands.length;
    for (let k = 0; k < n; k++) bound[k] = false;
    let ok = true;
    for (let i = 0; i < sources.length && ok; i++) {
      // With `swap`, base operands 1 and 2 (rs1, rs2 of a commutative op) trade places.
      const v = values[swap && i === 1 ? 2 : swap && i === 2 ? 1 : i];
      const s = sources[i];
      if (s.from === 'const') ok = s.value === v;
      else if (!bound[s.index]) { scratch[s.index] = v; bound[s.index] = true; }
      else ok = scratch[s.index] === v;
    }
    if (!ok) continue;
    const word = encodeWord(c, scratch);
    if (word >= 0) return { spec: c, word };
  }
  return undefined;
}

// ---- Decoding ---------------------------------------------------------------------------------

export interface Decoded {
  readonly spec: CompiledSpec;
  readonly values: readonly number[];
  readonly length: 2 | 4;
  readonly word: number;
}

// Buckets keyed by the bits every entry of a format fixes: the major opcode for 32-bit
// instructions, quadrant + funct3 for 16-bit ones.
const buckets = new Map<number, CompiledSpec[]>();
const bucketKey = (word: number): number =>
  (word & 3) === 3 ? word & 0x7f : 0x100 | ((word >>> 13) & 7) << 2 | (word & 3);
for (const c of compiled.values()) {
  const k = bucketKey(c.spec.match);
  (buckets.get(k) ?? buckets.set(k, []).get(k)!).push(c);
}

/** Decodes the instruction whose (first) bits are `word` (pass 32 bits; a 16-bit one uses the low half). */
export function decode(word: number): Decoded | undefined {
  const length = instructionLength(word & 0xffff);
  const w = length === 2 ? word & 0xffff : word >>> 0;
  for (const c of buckets.get(bucketKey(w)) ?? []) {
    if (((w & c.spec.mask) >>> 0) !== c.spec.match) continue;
    const values = c.operands.map((op) => extractField(op.kind, w));
    if (c.operands.some((op, i) => op.reserved.includes(values[i]))) continue;
    return { spec: c, values, length, word: w };
  }
  return undefined;
}
