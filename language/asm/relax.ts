// Layout of one section: sizes relaxable branches and alignment padding the way GNU as does
// (relaxed_branch_length in binutils' tc-riscv.c), iterating to a fixed point, then writes the
// final bytes and moves fixups and line rows to their final offsets.

import { compress, encode, specsFor, CompiledSpec } from '../../emulator/isa/codec';
import { operandKind } from '../../emulator/isa/operands';
import { Diagnostic } from './diagnostics';
import { Expr } from './expr';
import { AsmSymbol, BranchItem, Fixup, ObjSection, SectionBuilder, VarItem } from './object';

const INVERT: Record<string, string> = { beq: 'bne', bne: 'beq', blt: 'bge', bge: 'blt', bltu: 'bgeu', bgeu: 'bltu' };

/** The target as (label in this section, addend), when the branch can be measured now. */
function localTarget(e: Expr, section: string, symbols: ReadonlyMap<string, AsmSymbol>): { off: number; vi: number; addend: number } | undefined {
  let addend = 0n;
  let s = e;
  if (s.t === 'bin' && (s.op === '+' || s.op === '-') && s.r.t === 'num' && s.l.t === 'sym') {
    addend = s.op === '+' ? s.r.v : -s.r.v;
    s = s.l;
  } else if (s.t === 'bin' && s.op === '+' && s.l.t === 'num' && s.r.t === 'sym') {
    addend = s.l.v;
    s = s.r;
  }
  if (s.t !== 'sym') return undefined;
  const sym = symbols.get(s.name);
  if (!sym || sym.weak || sym.def?.kind !== 'label' || sym.def.section !== section) return undefined;
  return { off: sym.def.off, vi: sym.def.vi, addend: Number(addend) };
}

function branchSize(b: BranchItem, dist: number | undefined): number {
  const jump = b.spec.spec.format === 'J';
  if (dist === undefined) return jump ? 4 : 8;
  if (b.rvc && dist >= (jump ? -2048 : -256) && dist < (jump ? 2048 : 256)) return 2;
  if (dist >= -4096 && dist < 4096) return 4;
  if (jump) return 4;
  return b.rvc ? 6 : 8;
}

function alignPadding(a: Extract<VarItem, { k: 'align' }>, pos: number): number {
  const pad = (a.alignment - (pos % a.alignment)) % a.alignment;
  return pad > a.max ? 0 : pad;
}

export interface RelaxedSection {
  readonly section: ObjSection;
  offsetOf(off: number, vi: number): number;
}

/** One gas frag: fixed bytes, then optionally a relaxable item (vars[v]). */
interface Frag { readonly startOff: number; readonly startVi: number; readonly fix: number; readonly v?: number; addr: number; size: number }

function buildFrags(s: SectionBuilder): Frag[] {
  const frags: Frag[] = [];
  const breaks = s.fragBreaks;
  let startOff = 0, startVi = 0, bi = 0;
  const close = (off: number, nextVi: number, v?: number) => {
    frags.push({ startOff, startVi, fix: off - startOff, v, addr: 0, size: 0 });
    startOff = off;
    startVi = nextVi;
  };
  for (let i = 0; i <= s.vars.length; i++) {
    for (; bi < breaks.length && breaks[bi].vi <= i; bi++) close(breaks[bi].off, breaks[bi].vi);
    if (i < s.vars.length) close(s.vars[i].off, i + 1, i);
  }
  close(s.size, s.vars.length);
  return frags;
}

/** Index of the frag holding position (off, vi): the last one starting at or before it. */
function fragOf(frags: readonly Frag[], off: number, vi: number): number {
  let lo = 0, hi = frags.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const f = frags[mid];
    if (f.startVi < vi || (f.startVi === vi && f.startOff <= off)) lo = mid; else hi = mid - 1;
  }
  return lo;
}

/**
 * Sizes branches and alignment padding with gas's relax_segment: a first estimate in which
 * targets ahead still sit at their frag's unassigned address 0, then passes that shrink or grow
 * each item using the addresses of the pass so far (later frags keep the previous pass's). The
 * fixed point reached this way is gas's, also where a smaller one exists (a branch whose target
 * is right at the edge of the compressed reach).
 */
function sizeItems(s: SectionBuilder, targets: readonly ({ off: number; vi: number; addend: number } | undefined)[]): void {
  const vars = s.vars;
  const frags = buildFrags(s);
  const targetFrag = targets.map((t) => (t ? fragOf(frags, t.off, t.vi) : -1));
  const branchLength = (f: Frag): number => {
    const b = vars[f.v!] as BranchItem;
    const t = targets[f.v!];
    if (!t) return branchSize(b, undefined);
    const tf = frags[targetFrag[f.v!]];
    return branchSize(b, tf.addr + (t.off - tf.startOff) + t.addend - (f.addr + f.fix));
  };
  let address = 0;
  for (const f of frags) {
    f.addr = address;
    address += f.fix;
    if (f.v === undefined) continue;
    const v = vars[f.v];
    f.size = v.k === 'align' ? alignPadding(v, address) : branchLength(f);
    address += f.size;
  }
  // gas gives up after about one pass per frag; past that, sizes may only grow, which ends.
  const limit = frags.length + 100;
  for (let pass = 0; ; pass++) {
    let stretch = 0;
    let stretched = false;
    for (const f of frags) {
      const was = f.addr;
      f.addr += stretch;
      if (f.v === undefined) continue;
      const v = vars[f.v];
      let size = v.k === 'align' ? alignPadding(v, f.addr + f.fix) : branchLength(f);
      if (pass >= limit && v.k === 'branch') size = Math.max(size, f.size);
      const growth = v.k === 'align' ? size - alignPadding(v, was + f.fix) : size - f.size;
      f.size = size;
      if (growth) { stretch += growth; stretched = true; }
    }
    if (!stretched) break;
  }
  for (const f of frags) if (f.v !== undefined) vars[f.v].size = f.size;
}

export function relaxSection(s: SectionBuilder, symbols: ReadonlyMap<string, AsmSymbol>, report: (d: Diagnostic) => void): RelaxedSection {
  const vars = s.vars;
  const prefix = new Array<number>(vars.length + 1).fill(0);
  const offsetOf = (off: number, vi: number) => off + prefix[vi];
  const targets = vars.map((v) => (v.k === 'branch' ? localTarget(v.target, s.name, symbols) : undefined));
  sizeItems(s, targets);
  let delta = 0;
  for (let i = 0; i < vars.length; i++) { prefix[i] = delta; delta += vars[i].size; }
  prefix[vars.length] = delta;

  const total = s.size + delta;
  const data = new Uint8Array(s.nobits ? 0 : total);
  // Offsets are moved in place: the builder is discarded after this.
  const fixups: Omit<Fixup, 'vi'>[] = s.fixups;
  if (vars.length) for (const f of s.fixups) f.off = offsetOf(f.off, f.vi);
  if (!s.nobits) {
    let src = 0;
    let dst = 0;
    for (let i = 0; i < vars.length; i++) {
      const v = vars[i];
      data.set(s.bytes.subarray(src, v.off), dst);
      dst += v.off - src;
      src = v.off;
      if (v.k === 'align') writePadding(data, dst, v.size, v);
      else writeBranch(data, dst, v, fixups, report);
      dst += v.size;
    }
    data.set(s.bytes.subarray(src, s.size), dst);
  }
  const rows = s.rows;
  if (vars.length) for (let i = 0; i < rows.length; i++) rows.off[i] = offsetOf(rows.off[i], rows.vi[i]);
  return {
    section: { name: s.name, nobits: s.nobits, flags: s.flags, align: s.align, data, size: total, fixups, rows },
    offsetOf,
  };
}

function writePadding(data: Uint8Array, at: number, n: number, a: Extract<VarItem, { k: 'align' }>): void {
  if (a.fill !== undefined || !a.code) { data.fill(a.fill ?? 0, at, at + n); return; }
  // Code: a zero byte to reach an even address, one c.nop to reach 4, then 4-byte nops; gas's
  // riscv_make_nops does this whether or not compressed instructions are enabled.
  let p = at;
  const excess = n % 2;
  data.fill(0, p, p + excess); p += excess;
  let left = n - excess;
  if (left % 4 === 2) { data[p] = 0x01; data[p + 1] = 0x00; p += 2; left -= 2; }
  for (; left >= 4; left -= 4, p += 4) { data[p] = 0x13; data[p + 1] = 0; data[p + 2] = 0; data[p + 3] = 0; }
}

function put(data: Uint8Array, at: number, word: number, len: number): void {
  for (let i = 0; i < len; i++) data[at + i] = (word >>> (8 * i)) & 0xff;
}

function writeBranch(data: Uint8Array, at: number, b: BranchItem, fixups: Omit<Fixup, 'vi'>[], report: (d: Diagnostic) => void): void {
  const jal = specsFor('jal')[0];
  const jump = b.spec.spec.format === 'J';
  const field = (c: CompiledSpec, len: 2 | 4, off: number) => fixups.push({ off, kind: { k: 'field', field: c.operands[c.operands.length - 1].kind, mode: 'pcrel', length: len }, expr: b.target, loc: b.loc });
  const fail = (what: string) => report({ severity: 'error', file: b.loc.file, line: b.loc.line, col: b.loc.col, chain: b.loc.chain, message: `internal error: cannot encode ${what}` });
  switch (b.size) {
    case 2: {
      // The target offset is patched by the fixup; encode with offset 0 to pick the form.
      const z = jump ? compress(jal, [0, 0]) : compress(b.spec, [b.regs[0], b.regs[1], 0]);
      if (!z) { fail('compressed branch'); return; }
      put(data, at, z.word, 2);
      field(z.spec, 2, at);
      return;
    }
    case 4: {
      const r = encode(b.spec, [...b.regs, 0]);
      if (!r.ok) { fail(b.spec.spec.mnemonic); return; }
      put(data, at, r.word, 4);
      field(b.spec, 4, at);
      return;
    }
    default: {
      // Inverted branch over a jal: `bne a,b,.+8; jal x0,target` (or a compressed inverse, 6 bytes).
      const inv = specsFor(INVERT[b.spec.spec.mnemonic])[0];
      const skip = b.size === 6 ? 6 : 8;
      const first = b.size === 6 ? compress(inv, [b.regs[0], b.regs[1], skip]) : undefined;
      const r = b.size === 6 ? (first ? { ok: true as const, word: first.word } : { ok: false as const }) : encode(inv, [b.regs[0], b.regs[1], skip]);
      if (!r.ok) { fail('inverted branch'); return; }
      const len = b.size === 6 ? 2 : 4;
      put(data, at, r.word, len);
      const j = encode(jal, [0, 0]);
      if (!j.ok) { fail('jal'); return; }
      put(data, at + len, j.word, 4);
      fixups.push({ off: at + len, kind: { k: 'field', field: operandKind('jimm'), mode: 'pcrel', length: 4 }, expr: b.target, loc: b.loc });
    }
  }
}
