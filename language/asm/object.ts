// The assembler's in-memory object: sections being filled, relaxable items, fixups resolved at
// link time, symbols, and line rows. Positions are (fixed offset, number of relaxable items
// before it) so that branch relaxation can move everything after a branch without rewriting.

import { OperandKind } from '../../emulator/isa/operands';
import { CompiledSpec } from '../../emulator/isa/codec';
import { ExpansionStep } from './diagnostics';
import { Expr } from './expr';

export interface Loc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly chain: readonly ExpansionStep[];
}

export type FieldMode = 'abs' | 'hi' | 'lo' | 'pcrel' | 'pcrel_hi' | 'pcrel_lo';

export type FixupKind =
  | { readonly k: 'data'; readonly width: 1 | 2 | 4 | 8 }
  | { readonly k: 'field'; readonly field: OperandKind; readonly mode: FieldMode; readonly length: 2 | 4 }
  /** auipc + jalr pair of `call`/`tail`. */
  | { readonly k: 'call' };

export interface Fixup {
  off: number;
  vi: number;
  readonly kind: FixupKind;
  readonly expr: Expr;
  readonly loc: Loc;
  /** A %pcrel_lo written by a pseudo-instruction: the auipc's %pcrel_hi fixup (same section). */
  readonly hi?: Fixup;
}

export interface BranchItem {
  readonly k: 'branch';
  readonly off: number;
  readonly vi: number;
  readonly loc: Loc;
  /** The conditional branch (beq…) or jal as written. */
  readonly spec: CompiledSpec;
  /** Register operands: [rs1, rs2] for branches, [rd] for jal. */
  readonly regs: readonly number[];
  /** The instruction has a compressed form for some distance (c.beqz/c.bnez/c.j). */
  readonly rvc: boolean;
  readonly target: Expr;
  size: number;
}

export interface AlignItem {
  readonly k: 'align';
  readonly off: number;
  readonly vi: number;
  readonly loc: Loc;
  readonly alignment: number;
  /** Explicit fill byte; undefined = nops in code sections, zeros elsewhere. */
  readonly fill?: number;
  readonly max: number;
  readonly code: boolean;
  readonly rvc: boolean;
  size: number;
}

export type VarItem = BranchItem | AlignItem;

/**
 * Line rows (instruction position → file, line, column), stored column-wise: one row per
 * instruction would otherwise be the largest population of long-lived objects in a run.
 */
export class LineRows {
  readonly off: number[] = [];
  readonly vi: number[] = [];
  readonly file: string[] = [];
  readonly line: number[] = [];
  readonly col: number[] = [];

  get length(): number { return this.off.length; }

  /** Adds a row; a row at the same position as the previous one replaces it. */
  push(off: number, vi: number, file: string, line: number, col: number): void {
    const n = this.off.length - 1;
    if (n >= 0 && this.off[n] === off && this.vi[n] === vi) {
      this.file[n] = file; this.line[n] = line; this.col[n] = col;
      return;
    }
    this.off.push(off); this.vi.push(vi); this.file.push(file); this.line.push(line); this.col.push(col);
  }
}

/**
 * The most bytes the sections of one file, and one linked output section, may hold (the largest
 * `.space`): checked before memory is allocated, so bad input cannot ask for gigabytes.
 */
export const MAX_OBJECT_BYTES = 0x10000000;
/** Symbols defined by symbols (`a = b + 1`) nest at most this deep: deeper chains would exhaust the stack. */
export const MAX_SYMBOL_NESTING = 1000;

export interface SectionFlags {
  readonly alloc: boolean;
  readonly write: boolean;
  readonly exec: boolean;
}

export class SectionBuilder {
  bytes = new Uint8Array(64);
  size = 0;
  readonly vars: VarItem[] = [];
  readonly fixups: Fixup[] = [];
  readonly rows = new LineRows();
  /**
   * Positions where gas would close a frag besides the relaxable items (after .zero, .space,
   * .skip, .fill, .org): branch sizing measures distances per frag, as gas does.
   */
  readonly fragBreaks: { off: number; vi: number }[] = [];
  align = 1;

  constructor(readonly name: string, readonly nobits: boolean, readonly flags: SectionFlags) {}

  private grow(n: number): void {
    if (this.size + n <= this.bytes.length) return;
    let cap = this.bytes.length * 2;
    while (cap < this.size + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.bytes.subarray(0, this.size));
    this.bytes = b;
  }

  markFragBreak(): void {
    this.fragBreaks.push({ off: this.size, vi: this.vars.length });
  }

  emit16(v: number): void {
    this.grow(2);
    this.bytes[this.size++] = v & 0xff;
    this.bytes[this.size++] = (v >>> 8) & 0xff;
  }

  emit32(v: number): void {
    this.grow(4);
    const b = this.bytes, s = this.size;
    b[s] = v & 0xff; b[s + 1] = (v >>> 8) & 0xff; b[s + 2] = (v >>> 16) & 0xff; b[s + 3] = (v >>> 24) & 0xff;
    this.size += 4;
  }

  emitLE(v: bigint, width: number): void {
    this.grow(width);
    for (let i = 0; i < width; i++) this.bytes[this.size++] = Number((v >> BigInt(8 * i)) & 0xffn);
  }

  emitBytes(data: ArrayLike<number>): void {
    this.grow(data.length);
    for (let i = 0; i < data.length; i++) this.bytes[this.size++] = data[i];
  }

  emitFill(count: number, byte: number): void {
    this.grow(count);
    this.bytes.fill(byte, this.size, this.size + count);
    this.size += count;
  }
}

/** A section after relaxation: final bytes relative to the section start. */
export interface ObjSection {
  readonly name: string;
  readonly nobits: boolean;
  readonly flags: SectionFlags;
  readonly align: number;
  readonly data: Uint8Array;
  readonly size: number;
  readonly fixups: readonly (Omit<Fixup, 'vi'>)[];
  /** Offsets final (relative to the section start). */
  readonly rows: LineRows;
}

export type SymbolDef =
  | { readonly kind: 'label'; readonly section: string; off: number; vi: number }
  | { readonly kind: 'value'; readonly value: bigint }
  | { readonly kind: 'expr'; readonly expr: Expr };

export interface AsmSymbol {
  readonly name: string;
  def?: SymbolDef;
  global: boolean;
  weak: boolean;
  type?: 'func' | 'object' | 'notype';
  size?: Expr;
  defLoc?: Loc;
  /** Where first referenced, for "undefined symbol" reports. */
  firstUse?: Loc;
}

export interface AsmObject {
  readonly file: string;
  readonly sections: readonly ObjSection[];
  readonly symbols: ReadonlyMap<string, AsmSymbol>;
}

/** Internal names (numeric local labels, `.`) never reach the symbol table or messages raw. */
export const INTERNAL_PREFIX = '\u0001';

export function displaySymbol(name: string): string {
  if (!name.startsWith(INTERNAL_PREFIX)) return name;
  const m = /^\u0001L(\d+)\^(\d+)$/.exec(name);
  return m ? `local label ${m[1]}` : '.';
}
