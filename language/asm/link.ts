// The linker: places the sections of every assembled file by a layout, resolves symbols across
// files, applies every fixup (reporting undefined symbols at each use and out-of-range values
// at the instruction), and returns an image ready for the ELF writer. It never relaxes: code is
// laid out as GNU `ld --no-relax` would lay it out.

import { insertField, operandValue } from '../../emulator/isa/operands';
import { Diagnostic } from './diagnostics';
import { Expr, ExprError, evaluate, hi20, lo12 } from './expr';
import { AsmObject, AsmSymbol, Fixup, INTERNAL_PREFIX, MAX_OBJECT_BYTES, MAX_SYMBOL_NESTING, ObjSection, SectionFlags, displaySymbol } from './object';

export interface OutputSectionRule {
  readonly name: string;
  /** Input section names; a trailing `*` matches any suffix. */
  readonly inputs: readonly string[];
  readonly address?: bigint;
  readonly align?: number;
}

export interface Layout {
  readonly name: string;
  readonly base: bigint;
  readonly sections: readonly OutputSectionRule[];
  /** Every output section starts on this boundary (pages, for the kernel's loader). */
  readonly sectionAlign: number;
  readonly entry?: string;
}

const standardRules = (): OutputSectionRule[] => [
  // Start-up code first: the boot ROM jumps to the start of RAM, not to the ELF entry.
  { name: '.text', inputs: ['.text.init', '.init', '.text', '.text.*', '.init.*'] },
  { name: '.rodata', inputs: ['.rodata', '.rodata.*', '.srodata', '.srodata.*'] },
  { name: '.data', inputs: ['.data', '.data.*', '.sdata', '.sdata.*'] },
  { name: '.bss', inputs: ['.sbss', '.sbss.*', '.bss', '.bss.*'] },
];

export const LAYOUTS: Readonly<Record<'bare' | 'user', Layout>> = {
  /** The board: RAM at 0x8000_0000, where the boot ROM jumps. */
  bare: { name: 'bare', base: 0x80000000n, sections: standardRules(), sectionAlign: 8 },
  /** A process of the kernel: code from 0x10000, each section on its own pages. */
  user: { name: 'user', base: 0x10000n, sections: standardRules(), sectionAlign: 4096 },
};

/**
 * A layout file: one statement per line, `#` comments.
 *   base 0x80000000
 *   align 4096                      (every output section starts on this boundary)
 *   section .text .text .text.*     (output name, then the input sections it takes)
 *   section .data at 0x80100000 align 64 .data .data.*
 *   entry _start
 */
export function parseLayout(text: string, file: string): { layout?: Layout; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let base = 0x80000000n, sectionAlign = 8, entry: string | undefined;
  const sections: OutputSectionRule[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const err = (message: string) => diagnostics.push({ severity: 'error', file, line: i + 1, col: 1, chain: [], message });
    const words = line.split(/\s+/);
    const num = (w: string | undefined): bigint | undefined => {
      try { return w !== undefined && /^(0x[0-9a-f]+|\d+)$/i.test(w) ? BigInt(w) : undefined; } catch { return undefined; }
    };
    switch (words[0]) {
      case 'base': { const v = num(words[1]); if (v === undefined) err('base needs an address'); else base = v; break; }
      case 'align': { const v = num(words[1]); if (v === undefined || v <= 0n || (v & (v - 1n)) !== 0n) err('align needs a power of two'); else sectionAlign = Number(v); break; }
      case 'entry': if (!words[1]) err('entry needs a symbol'); else entry = words[1]; break;
      case 'section': {
        const name = words[1];
        if (!name) { err('section needs a name'); break; }
        let address: bigint | undefined, align: number | undefined;
        const inputs: string[] = [];
        for (let k = 2; k < words.length; k++) {
          if (words[k] === 'at') { address = num(words[++k]); if (address === undefined) err('at needs an address'); }
          else if (words[k] === 'align') { const v = num(words[++k]); if (v === undefined) err('align needs a number'); else align = Number(v); }
          else inputs.push(words[k]);
        }
        sections.push({ name, inputs: inputs.length ? inputs : [name], address, align });
        break;
      }
      default: err(`unknown layout statement '${words[0]}' (base, align, section, entry)`);
    }
  });
  if (!sections.length) sections.push(...standardRules());
  return { layout: diagnostics.length ? undefined : { name: file, base, sections, sectionAlign, entry }, diagnostics };
}

export interface ImageSection {
  readonly name: string;
  readonly addr: bigint;
  readonly data: Uint8Array;
  readonly size: bigint;
  readonly nobits: boolean;
  readonly flags: SectionFlags;
  readonly align: number;
}

export interface ImageSymbol {
  readonly name: string;
  readonly value: bigint;
  readonly size: bigint;
  readonly type: 'notype' | 'func' | 'object';
  readonly bind: 'local' | 'global' | 'weak';
  /** Output section name, or 'abs'. */
  readonly section: string;
}

export interface ImageLineRow { readonly address: bigint; readonly file: string; readonly line: number; readonly column: number }

export interface LinkedImage {
  readonly entry: bigint;
  readonly sections: readonly ImageSection[];
  readonly symbols: readonly ImageSymbol[];
  readonly lineSequences: readonly { rows: ImageLineRow[]; endAddress: bigint }[];
}

const matches = (pattern: string, name: string) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern);
const alignUp = (v: bigint, a: number) => { const A = BigInt(Math.max(1, a)); return (v + A - 1n) / A * A; };

interface Placed { obj: AsmObject; sec: ObjSection; addr: bigint; out: string }

export function link(objects: readonly AsmObject[], layout: Layout): { image?: LinkedImage; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const error = (message: string, at?: { file: string; line: number; col: number; chain?: Diagnostic['chain'] }) =>
    diagnostics.push({ severity: 'error', file: at?.file ?? '<link>', line: at?.line ?? 0, col: at?.col ?? 0, chain: at?.chain ?? [], message });

  // ---- Placement ----
  const placed: Placed[] = [];
  const placedIn = new Map<AsmObject, Map<string, Placed>>();
  const placedAt = (obj: AsmObject, section: string) => placedIn.get(obj)?.get(section);
  const outputs: ImageSection[] = [];
  const used = new Set<ObjSection>();
  const rules: OutputSectionRule[] = [...layout.sections];
  // Allocated sections no rule names become output sections of their own, after the rules'.
  for (const o of objects) for (const s of o.sections) {
    if (s.flags.alloc && !rules.some((r) => r.inputs.some((p) => matches(p, s.name))) && !rules.some((r) => r.name === s.name)) {
      rules.splice(s.nobits ? rules.length : Math.max(0, rules.length - 1), 0, { name: s.name, inputs: [s.name] });
    }
  }
  let cursor = layout.base;
  for (const rule of rules) {
    const members: { obj: AsmObject; sec: ObjSection }[] = [];
    for (const pattern of rule.inputs) for (const o of objects) for (const s of o.sections) {
      if (!used.has(s) && s.flags.alloc && matches(pattern, s.name) && (s.size > 0 || s.fixups.length)) { members.push({ obj: o, sec: s }); used.add(s); }
    }
    if (!members.length) continue;
    const align = Math.max(rule.align ?? 1, layout.sectionAlign, ...members.map((m) => m.sec.align));
    const start = rule.address ?? alignUp(cursor, align);
    let at = start;
    const chunks: { at: bigint; data: Uint8Array }[] = [];
    let nobits = true;
    const flags = { alloc: true, write: false, exec: false };
    for (const m of members) {
      at = alignUp(at, m.sec.align);
      const p: Placed = { obj: m.obj, sec: m.sec, addr: at, out: rule.name };
      placed.push(p);
      (placedIn.get(m.obj) ?? placedIn.set(m.obj, new Map()).get(m.obj)!).set(m.sec.name, p);
      if (!m.sec.nobits) { nobits = false; chunks.push({ at, data: m.sec.data }); }
      flags.write ||= m.sec.flags.write;
      flags.exec ||= m.sec.flags.exec;
      at += BigInt(m.sec.size);
    }
    const size = at - start;
    if (!nobits && size > BigInt(MAX_OBJECT_BYTES)) {
      error(`output section ${rule.name} would be ${size} bytes, more than the linker's limit of ${MAX_OBJECT_BYTES / 0x100000} MiB`);
      return { diagnostics };
    }
    const data = new Uint8Array(nobits ? 0 : Number(size));
    for (const c of chunks) data.set(c.data, Number(c.at - start));
    outputs.push({ name: rule.name, addr: start, data, size, nobits, flags, align });
    cursor = at;
  }
  // Overlapping sections (possible with explicit addresses) would load over each other.
  const sorted = [...outputs].sort((a, b) => (a.addr < b.addr ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i - 1].addr + sorted[i - 1].size > sorted[i].addr) error(`sections ${sorted[i - 1].name} and ${sorted[i].name} overlap`);
  }

  // ---- Symbols ----
  const globals = new Map<string, { obj: AsmObject; sym: AsmSymbol }>();
  for (const o of objects) for (const s of o.symbols.values()) {
    if (!s.global || !s.def) continue;
    const prev = globals.get(s.name);
    if (prev && !prev.sym.weak && !s.weak) {
      error(`multiple definitions of '${s.name}' (also at ${prev.sym.defLoc?.file}:${prev.sym.defLoc?.line})`, s.defLoc);
      continue;
    }
    if (!prev || (prev.sym.weak && !s.weak)) globals.set(s.name, { obj: o, sym: s });
  }
  const secEnd = (name: string) => { const s = outputs.find((x) => x.name === name); return s ? s.addr + s.size : undefined; };
  const linkerSymbols = new Map<string, bigint | undefined>([
    ['_etext', secEnd('.text')],
    ['__bss_start', outputs.find((x) => x.name === '.bss')?.addr ?? cursor],
    ['_edata', outputs.filter((x) => !x.nobits).reduce<bigint | undefined>((m, x) => (m === undefined || x.addr + x.size > m ? x.addr + x.size : m), undefined)],
    ['_end', cursor], ['end', cursor],
    ['__global_pointer$', (outputs.find((x) => x.name === '.data')?.addr ?? cursor) + 0x800n],
  ]);

  const evaluating = new Set<AsmSymbol>();
  let memo: Map<AsmSymbol, bigint | undefined> | undefined;
  const valueOf = (obj: AsmObject, name: string, use: Fixup['loc']): bigint | undefined => {
    let sym = obj.symbols.get(name);
    let owner = obj;
    if (!sym?.def) {
      const g = globals.get(name);
      if (g) { sym = g.sym; owner = g.obj; }
      else if (linkerSymbols.get(name) !== undefined) return linkerSymbols.get(name);
      else { error(`undefined symbol '${displaySymbol(name)}'`, use); return undefined; }
    }
    return symbolValue(owner, sym, use);
  };
  const symbolValue = (obj: AsmObject, sym: AsmSymbol, use: Fixup['loc']): bigint | undefined => {
    const d = sym.def!;
    if (d.kind === 'value') return d.value;
    if (d.kind === 'label') {
      const p = placedAt(obj, d.section);
      if (!p) {
        const s = obj.sections.find((x) => x.name === d.section);
        if (s && !s.flags.alloc) { error(`'${displaySymbol(sym.name)}' is in ${d.section}, which is not loaded`, use); return undefined; }
        // An empty section: the label sits where the section would have been.
        return layout.base;
      }
      return p.addr + BigInt(d.off);
    }
    if (evaluating.has(sym)) { error(`symbol '${sym.name}' is defined in terms of itself`, use); return undefined; }
    if (evaluating.size >= MAX_SYMBOL_NESTING) { error(`symbol definitions nested more than ${MAX_SYMBOL_NESTING} deep (at '${displaySymbol(sym.name)}')`, use); return undefined; }
    // Within one evaluation each symbol is evaluated once: a chain of definitions that each use
    // the previous one twice would otherwise take exponential time.
    const outermost = evaluating.size === 0;
    if (outermost) memo = new Map();
    else if (memo?.has(sym)) return memo.get(sym);
    evaluating.add(sym);
    try {
      const v = evalIn(obj, d.expr, use);
      memo?.set(sym, v);
      return v;
    } finally {
      evaluating.delete(sym);
      if (outermost) memo = undefined;
    }
  };
  const evalIn = (obj: AsmObject, e: Expr, use: Fixup['loc']): bigint | undefined => {
    try {
      return evaluate(e, (name) => valueOf(obj, name, use));
    } catch (x) {
      if (x instanceof ExprError) { error(x.message, use); return undefined; }
      throw x;
    }
  };

  // ---- Fixups ----
  const hiFixups = new Map<AsmObject, Map<bigint, { p: Placed; f: ObjSection['fixups'][number] }>>();
  for (const p of placed) for (const f of p.sec.fixups) {
    if (f.kind.k === 'field' && f.kind.mode === 'pcrel_hi') (hiFixups.get(p.obj) ?? hiFixups.set(p.obj, new Map()).get(p.obj)!).set(p.addr + BigInt(f.off), { p, f });
  }
  const outData = new Map(outputs.map((o) => [o.name, o]));
  for (const p of placed) {
    const out = outData.get(p.out)!;
    const base = Number(p.addr - out.addr);
    for (const f of p.sec.fixups) {
      const P = p.addr + BigInt(f.off);
      const at = base + f.off;
      let V: bigint | undefined;
      if (f.kind.k === 'field' && f.kind.mode === 'pcrel_lo') {
        // %pcrel_lo(label): the low part of what the auipc at `label` points to.
        const anchor = f.hi ? p.addr + BigInt(f.hi.off) : evalIn(p.obj, f.expr, f.loc);
        if (anchor === undefined) continue;
        const hi = f.hi ? { p, f: f.hi } : hiFixups.get(p.obj)?.get(anchor);
        if (!hi) { error(`%pcrel_lo: no %pcrel_hi (auipc) at the label it names`, f.loc); continue; }
        const target = evalIn(hi.p.obj, hi.f.expr, hi.f.loc);
        if (target === undefined) continue;
        V = lo12(BigInt.asIntN(64, target - anchor));
      } else {
        V = evalIn(p.obj, f.expr, f.loc);
        if (V === undefined) continue;
      }
      applyFixup(out.data, at, f, V, P, (m) => error(m, f.loc));
    }
  }

  // ---- Symbols for the ELF symbol table ----
  const symbols: ImageSymbol[] = [];
  for (const o of objects) for (const s of o.symbols.values()) {
    if (!s.def || s.name.startsWith(INTERNAL_PREFIX) || s.name.startsWith('.L')) continue;
    if (s.global && globals.get(s.name)?.sym !== s) continue;
    const value = symbolValue(o, s, s.defLoc ?? { file: o.file, line: 0, col: 0, chain: [] });
    if (value === undefined) continue;
    const size = s.size ? evalIn(o, s.size, s.defLoc ?? { file: o.file, line: 0, col: 0, chain: [] }) ?? 0n : 0n;
    const section = s.def.kind === 'label' ? placedAt(o, s.def.section)?.out ?? 'abs' : 'abs';
    symbols.push({ name: s.name, value, size, type: s.type ?? 'notype', bind: s.weak ? 'weak' : s.global ? 'global' : 'local', section });
  }

  // ---- Line table ----
  // Built on first use: the language server links on every keystroke and never asks for them.
  let lineSequences: { rows: ImageLineRow[]; endAddress: bigint }[] | undefined;
  const buildLineSequences = () => {
    const seqs: { rows: ImageLineRow[]; endAddress: bigint }[] = [];
    for (const out of outputs) {
      if (!out.flags.exec) continue;
      const rows: ImageLineRow[] = [];
      for (const p of placed) {
        if (p.out !== out.name) continue;
        const r = p.sec.rows;
        for (let i = 0; i < r.length; i++) rows.push({ address: p.addr + BigInt(r.off[i]), file: r.file[i], line: r.line[i], column: r.col[i] });
      }
      if (rows.length) seqs.push({ rows, endAddress: out.addr + out.size });
    }
    return seqs;
  };

  const entryName = layout.entry ?? '_start';
  const g = globals.get(entryName) ?? objects.map((o) => ({ obj: o, sym: o.symbols.get(entryName)! })).find((x) => x.sym?.def);
  const entry = g ? symbolValue(g.obj, g.sym, { file: '<link>', line: 0, col: 0, chain: [] }) ?? layout.base
    : outputs.find((o) => o.name === '.text')?.addr ?? layout.base;
  if (layout.entry && !g) error(`entry symbol '${layout.entry}' is not defined`);

  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const image: LinkedImage = {
    entry, sections: outputs, symbols,
    get lineSequences() { return (lineSequences ??= buildLineSequences()); },
  };
  return { image, diagnostics };
}

function read(data: Uint8Array, at: number, len: number): number {
  let v = 0;
  for (let i = 0; i < len; i++) v |= data[at + i] << (8 * i);
  return v >>> 0;
}

function write(data: Uint8Array, at: number, v: number, len: number): void {
  for (let i = 0; i < len; i++) data[at + i] = (v >>> (8 * i)) & 0xff;
}

function applyFixup(data: Uint8Array, at: number, f: ObjSection['fixups'][number], V: bigint, P: bigint, fail: (m: string) => void): void {
  const k = f.kind;
  if (k.k === 'data') {
    const bits = BigInt(k.width * 8);
    if (k.width < 8 && (V >= 1n << bits || V < -(1n << (bits - 1n)))) {
      fail(`value 0x${BigInt.asUintN(64, V).toString(16)} does not fit in ${k.width} byte${k.width > 1 ? 's' : ''}`);
      return;
    }
    const u = BigInt.asUintN(k.width * 8, V);
    for (let i = 0; i < k.width; i++) data[at + i] = Number((u >> BigInt(8 * i)) & 0xffn);
    return;
  }
  if (k.k === 'call') {
    const off = BigInt.asIntN(64, V - P);
    if (off < -(1n << 31n) - 0x800n || off >= (1n << 31n) - 0x800n) { fail(`call target out of range (${off} bytes away)`); return; }
    write(data, at, read(data, at, 4) | Number(hi20(off) << 12n), 4);
    write(data, at + 4, (read(data, at + 4, 4) | (Number(BigInt.asUintN(12, lo12(off))) << 20)) >>> 0, 4);
    return;
  }
  let value: bigint;
  switch (k.mode) {
    case 'abs': value = V; break;
    case 'hi':
      // lui sign-extends: the value must be a sign-extended 32-bit number (as ld checks R_RISCV_HI20).
      if (V < -(1n << 31n) - 0x800n || V >= (1n << 31n) - 0x800n) { fail(`%hi value 0x${BigInt.asUintN(64, V).toString(16)} out of range for lui (must be a sign-extended 32-bit value; use la/lla for addresses)`); return; }
      value = hi20(V); break;
    case 'lo': value = lo12(V); break;
    case 'pcrel': value = BigInt.asIntN(64, V - P); break;
    case 'pcrel_hi': {
      const off = BigInt.asIntN(64, V - P);
      if (off < -(1n << 31n) - 0x800n || off >= (1n << 31n) - 0x800n) { fail(`%pcrel_hi target out of range (${off} bytes away)`); return; }
      value = hi20(off); break;
    }
    case 'pcrel_lo': value = V; break;
  }
  const bits = insertField(k.field, operandValue(value));
  if (bits === undefined) {
    fail(k.mode === 'pcrel'
      ? (value % 2n !== 0n ? `branch target is not 2-byte aligned (offset ${value})` : `branch target out of range (${value} bytes away)`)
      : `value ${value} does not fit the instruction's ${k.field.name} field`);
    return;
  }
  write(data, at, (read(data, at, k.length) | bits) >>> 0, k.length);
}
