// The disassembler: decodes with the instruction table (codec.decode) and prints in the style of
// GNU objdump, so that listings in the debugger read like `riscv64-unknown-elf-objdump -d` and
// can be diffed against it (test/diff/objdump.test.ts does exactly that).
//
// Operands are printed from the table's `args` syntax. A few presentation rules on top of the
// table reproduce objdump where GNU's opcode table differs from ours in naming only (c.nop,
// c.slli64, unimp, fence sets); they never change what an encoding means.

import { CompiledSpec, Decoded, OpToken, decode, specsFor } from './codec';
import { csrByNumber } from './csrs';
import { instructionLength } from './instructions';
import { OperandKind, extractField } from './operands';
import { registerName } from './registers';

export interface DisasmOptions {
  /** Print GNU's pseudo-instruction aliases (nop, li, mv, ret, …) as plain objdump does; default false (`-M no-aliases`). */
  aliases?: boolean;
  /** Names an address for branch/jump targets, e.g. "main+0x8"; printed as objdump's `<…>`. */
  symbolize?: (addr: bigint) => string | undefined;
}

export interface DisasmLine {
  readonly addr: bigint;
  readonly length: number;
  readonly word: number;
  readonly text: string;
}

// ---- CSR names ------------------------------------------------------------------------------

/** The name objdump would print for a CSR number, falling back to our table, then to hex. */
export function csrDisplayName(n: number): string {
  return csrByNumber(n)?.name ?? `0x${n.toString(16)}`;
}

// ---- Operand formatting ---------------------------------------------------------------------

// objdump's fence operand: the set of i/o/r/w letters, "unknown" for the empty set.
function fenceSet(v: number): string {
  let s = '';
  if (v & 8) s += 'i';
  if (v & 4) s += 'o';
  if (v & 2) s += 'r';
  if (v & 1) s += 'w';
  return s || 'unknown';
}

const hex = (v: number): string => (v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);

function target(pc: bigint, offset: number, opts: DisasmOptions): string {
  const addr = BigInt.asUintN(64, pc + BigInt(offset));
  const sym = opts.symbolize?.(addr);
  return sym === undefined ? addr.toString(16) : `${addr.toString(16)} <${sym}>`;
}

function operandText(kind: OperandKind, v: number, pc: bigint, opts: DisasmOptions): string {
  switch (kind.cls) {
    case 'reg': return registerName(Number(v));
    case 'csr': return csrDisplayName(Number(v));
    case 'fence': return fenceSet(v);
    case 'imm':
      if (kind.pcrel) return target(pc, v, opts);
      return kind.hex ? hex(v) : v.toString();
  }
}

/** Mnemonic and operands of a decoded instruction in the table's own syntax. */
function plain(c: CompiledSpec, values: readonly number[], pc: bigint, opts: DisasmOptions): string {
  let ops = '';
  let i = 0;
  for (const t of c.tokens) {
    switch (t.t) {
      case 'op': ops += operandText(t.kind, values[i++], pc, opts); break;
      case 'reg': ops += registerName(t.n); break;
      case 'int': ops += t.v.toString(); break;
      default: ops += t.t;
    }
  }
  return ops ? `${c.spec.mnemonic}\t${ops}` : c.spec.mnemonic;
}

/** Operand values of `word` read through another table entry's operand fields. */
function valuesAs(c: CompiledSpec, word: number): number[] {
  return c.operands.map((o: OpToken) => extractField(o.kind, word));
}

const specNamed = (m: string): CompiledSpec => specsFor(m)[0];

// ---- Presentation rules (objdump's naming where GNU's opcode table differs from ours) --------

/** objdump -M no-aliases text, or undefined to print the table's form. */
function gnuNoAlias(d: Decoded, pc: bigint, opts: DisasmOptions): string | undefined {
  const m = d.spec.spec.mnemonic;
  const v = d.values;
  switch (m) {
    // GNU lists c.nop as an alias of c.addi.
    case 'c.nop': { const a = specNamed('c.addi'); return plain(a, valuesAs(a, d.word), pc, opts); }
    // A zero shift amount is the RV128 "64" form in GNU's table.
    case 'c.slli': case 'c.srli': case 'c.srai':
      return v[1] === 0 ? `${m}64\t${registerName(v[0])}` : undefined;
    // GNU's canonical 32-bit illegal instruction is a real (non-alias) entry of its table.
    case 'csrrw':
      return d.word === 0xc0001073 ? 'unimp' : undefined;
  }
  return undefined;
}

// ---- Entry points ---------------------------------------------------------------------------

/**
 * Disassembles one instruction. `word` holds the instruction's bits (the low 16 for a compressed
 * one; pass 32 bits when unsure, the length is read from the low bits). Undefined when illegal.
 */
export function formatInstruction(word: number, pc: bigint, opts: DisasmOptions = {}): { text: string; length: 2 | 4 } | undefined {
  const d = decode(word >>> 0);
  if (!d) return undefined;
  const text = (opts.aliases ? gnuAlias(d, pc, opts) : undefined) ?? gnuNoAlias(d, pc, opts) ?? plain(d.spec, d.values, pc, opts);
  return { text, length: d.length };
}

/** What objdump prints for a parcel no instruction matches. */
function undecodable(word: number, length: 2 | 4, opts: DisasmOptions): string {
  // The all-zero halfword is GNU's c.unimp, the canonical illegal instruction.
  if (length === 2 && word === 0) return opts.aliases ? 'unimp' : 'c.unimp';
  return `${length === 2 ? '.2byte' : '.4byte'}\t0x${word.toString(16)}`;
}

/** Disassembles a run of code starting at `baseAddr`, objdump style, one line per instruction. */
export function disassembleRange(bytes: Uint8Array, baseAddr: bigint, opts: DisasmOptions = {}): DisasmLine[] {
  const out: DisasmLine[] = [];
  let i = 0;
  while (i < bytes.length) {
    const addr = baseAddr + BigInt(i);
    if (i + 2 > bytes.length) {
      out.push({ addr, length: 1, word: bytes[i], text: `.byte\t0x${bytes[i].toString(16).padStart(2, '0')}` });
      break;
    }
    const low = bytes[i] | (bytes[i + 1] << 8);
    const length = instructionLength(low);
    if (length === 4 && i + 4 > bytes.length) {
      out.push({ addr, length: 2, word: low, text: `.2byte\t0x${low.toString(16)}` });
      i += 2;
      continue;
    }
    const word = length === 2 ? low : (low | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
    const f = formatInstruction(word, addr, opts);
    out.push({ addr, length, word, text: f ? f.text : undecodable(word, length, opts) });
    i += length;
  }
  return out;
}

// ---- GNU aliases ----------------------------------------------------------------------------

const reg = (v: number): string => registerName(v);
const imm = (v: number): string => v.toString();
const line = (m: string, ...ops: string[]): string => (ops.length ? `${m}\t${ops.join(',')}` : m);
const mem = (off: number, base: number): string => `${off}(${reg(base)})`;

/**
 * What objdump prints without -M no-aliases: GNU's pseudo-instructions where one applies. The
 * rules follow the first entry of GNU's opcode table that matches each encoding (checked against
 * objdump for every 16-bit encoding and a sample of 32-bit ones by test/diff/objdump.test.ts).
 */
function gnuAlias(d: Decoded, pc: bigint, opts: DisasmOptions): string | undefined {
  const v = d.values;
  const [a, b, c] = v;
  const at = (i: number) => target(pc, v[i], opts);
  switch (d.spec.spec.mnemonic) {
    // ---- Base instructions ----
    case 'addi':
      if (a === 0 && b === 0 && c === 0) return 'nop';
      if (b === 0) return line('li', reg(a), imm(c));
      if (c === 0) return line('mv', reg(a), reg(b));
      return line('add', reg(a), reg(b), imm(c));
    case 'sltiu': return c === 1 ? line('seqz', reg(a), reg(b)) : undefined;
    case 'xori': return c === -1 ? line('not', reg(a), reg(b)) : line('xor', reg(a), reg(b), imm(c));
    case 'ori': return line('or', reg(a), reg(b), imm(c));
    case 'andi': return c === 255 ? line('zext.b', reg(a), reg(b)) : line('and', reg(a), reg(b), imm(c));
    case 'slli': return line('sll', reg(a), reg(b), hex(c));
    case 'srli': return line('srl', reg(a), reg(b), hex(c));
    case 'srai': return line('sra', reg(a), reg(b), hex(c));
    case 'addiw': return c === 0 ? line('sext.w', reg(a), reg(b)) : line('addw', reg(a), reg(b), imm(c));
    case 'slliw': return line('sllw', reg(a), reg(b), hex(c));
    case 'srliw': return line('srlw', reg(a), reg(b), hex(c));
    case 'sraiw': return line('sraw', reg(a), reg(b), hex(c));
    case 'sub': return b === 0 ? line('neg', reg(a), reg(c)) : undefined;
    case 'subw': return b === 0 ? line('negw', reg(a), reg(c)) : undefined;
    case 'slt': return c === 0 ? line('sltz', reg(a), reg(b)) : b === 0 ? line('sgtz', reg(a), reg(c)) : undefined;
    case 'sltu': return b === 0 ? line('snez', reg(a), reg(c)) : undefined;
    case 'beq': return b === 0 ? line('beqz', reg(a), at(2)) : undefined;
    case 'bne': return b === 0 ? line('bnez', reg(a), at(2)) : undefined;
    case 'bge': return a === 0 ? line('blez', reg(b), at(2)) : b === 0 ? line('bgez', reg(a), at(2)) : undefined;
    case 'blt': return b === 0 ? line('bltz', reg(a), at(2)) : a === 0 ? line('bgtz', reg(b), at(2)) : undefined;
    case 'jal': return a === 0 ? line('j', at(1)) : a === 1 ? line('jal', at(1)) : undefined;
    case 'jalr':
      // Operands are rd, imm, rs1.
      if (a === 0) return b === 0 ? (c === 1 ? 'ret' : line('jr', reg(c))) : line('jr', mem(b, c));
      if (a === 1) return b === 0 ? line('jalr', reg(c)) : line('jalr', mem(b, c));
      return b === 0 ? line('jalr', reg(a), reg(c)) : undefined;
    case 'fence': return a === 15 && b === 15 ? 'fence' : undefined;
    case 'sfence.vma': return b !== 0 ? undefined : a === 0 ? 'sfence.vma' : line('sfence.vma', reg(a));
    case 'csrrs': {
      if (c === 0) {
        const counter = ({ 0xc00: 'rdcycle', 0xc01: 'rdtime', 0xc02: 'rdinstret' } as Record<number, string>)[b];
        return counter ? line(counter, reg(a)) : line('csrr', reg(a), csrDisplayName(b));
      }
      return a === 0 ? line('csrs', csrDisplayName(b), reg(c)) : undefined;
    }
    case 'csrrw':
      if (d.word === 0xc0001073) return 'unimp';
      return a === 0 ? line('csrw', csrDisplayName(b), reg(c)) : undefined;
    case 'csrrc': return a === 0 ? line('csrc', csrDisplayName(b), reg(c)) : undefined;
    // The immediate forms print as the register mnemonics with an immediate operand.
    case 'csrrwi': return a === 0 ? line('csrw', csrDisplayName(b), imm(c)) : line('csrrw', reg(a), csrDisplayName(b), imm(c));
    case 'csrrsi': return a === 0 ? line('csrs', csrDisplayName(b), imm(c)) : line('csrrs', reg(a), csrDisplayName(b), imm(c));
    case 'csrrci': return a === 0 ? line('csrc', csrDisplayName(b), imm(c)) : line('csrrc', reg(a), csrDisplayName(b), imm(c));
    // ---- Compressed instructions: the base instruction, in its GNU alias where it has one ----
    case 'c.nop': return 'nop';
    case 'c.addi': return a === 0 ? line('c.nop', imm(b)) : line('add', reg(a), reg(a), imm(b));
    case 'c.addi4spn': return line('add', reg(a), 'sp', imm(b));
    case 'c.addi16sp': return line('add', 'sp', 'sp', imm(a));
    case 'c.addiw': return b === 0 ? line('sext.w', reg(a), reg(a)) : line('addw', reg(a), reg(a), imm(b));
    case 'c.li': return a === 0 ? undefined : line('li', reg(a), imm(b));
    case 'c.lui': return a === 0 ? undefined : line('lui', reg(a), hex(b));
    case 'c.slli': return b === 0 || a === 0 ? undefined : line('sll', reg(a), reg(a), hex(b));
    case 'c.srli': return b === 0 ? undefined : line('srl', reg(a), reg(a), hex(b));
    case 'c.srai': return b === 0 ? undefined : line('sra', reg(a), reg(a), hex(b));
    case 'c.andi': return line('and', reg(a), reg(a), imm(b));
    case 'c.sub': case 'c.xor': case 'c.or': case 'c.and': case 'c.subw': case 'c.addw':
      return line(d.spec.spec.mnemonic.slice(2), reg(a), reg(a), reg(b));
    case 'c.mv': return a === 0 ? undefined : line('mv', reg(a), reg(b));
    case 'c.add': return a === 0 ? undefined : line('add', reg(a), reg(a), reg(b));
    case 'c.jr': return a === 1 ? 'ret' : line('jr', reg(a));
    case 'c.jalr': return line('jalr', reg(a));
    case 'c.ebreak': return 'ebreak';
    case 'c.j': return line('j', at(0));
    case 'c.beqz': return line('beqz', reg(a), at(1));
    case 'c.bnez': return line('bnez', reg(a), at(1));
    case 'c.lw': case 'c.ld': case 'c.sw': case 'c.sd':
      return line(d.spec.spec.mnemonic.slice(2), reg(a), mem(b, c));
    case 'c.lwsp': case 'c.ldsp': case 'c.swsp': case 'c.sdsp':
      return line(d.spec.spec.mnemonic.slice(2, 4), reg(a), mem(b, 2));
  }
  return undefined;
}
