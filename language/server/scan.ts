// A tolerant, position-exact scan of one assembly file for the editor: tokens with their
// columns, and an index of what the file defines and uses (labels, `.equ` symbols, `#define`s,
// macros, includes, sections, foldable blocks). The assembler's own line splitter drops
// comments and shifts columns, and stops at the first error; the editor needs every name's
// exact place in text that is usually half-written, so this scan never fails.

import { specsFor } from '../../emulator/isa/codec';
import { pseudoFormsOf } from '../../emulator/isa/pseudo-instructions';
import { registerNumber } from '../../emulator/isa/registers';

export type TokenKind = 'ident' | 'number' | 'string' | 'char' | 'punct' | 'comment' | 'reloc' | 'macroParam' | 'pp';

export interface Token {
  readonly k: TokenKind;
  /** 0-based start and end (exclusive) in the line. */
  readonly s: number;
  readonly e: number;
}

const PP_DIRECTIVES = new Set(['include', 'define', 'undef', 'if', 'ifdef', 'ifndef', 'elif', 'else', 'endif', 'error', 'warning', 'pragma', 'line', 'include_next']);

const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 36;
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isBlank = (c: number) => c === 32 || c === 9 || c === 13 || c === 12 || c === 11;

/**
 * Tokens of one line. `inBlock` carries a `/* … *\/` comment across lines; `cpp` says the file
 * goes through the C preprocessor, where a line-leading `#word` is a directive, not a comment.
 */
export function tokenizeLine(line: string, inBlock: boolean, cpp: boolean): { tokens: Token[]; inBlock: boolean } {
  const tokens: Token[] = [];
  const n = line.length;
  let i = 0;
  let sawCode = false;
  while (i < n) {
    if (inBlock) {
      const end = line.indexOf('*/', i);
      const e = end < 0 ? n : end + 2;
      tokens.push({ k: 'comment', s: i, e });
      if (end >= 0) inBlock = false;
      i = e;
      continue;
    }
    const c = line.charCodeAt(i);
    if (isBlank(c)) { i++; continue; }
    const s = i;
    if (c === 47 /* / */ && line.charCodeAt(i + 1) === 42 /* * */) {
      const end = line.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      if (end < 0) inBlock = true;
      tokens.push({ k: 'comment', s, e: i });
      continue;
    }
    if (c === 35 /* # */) {
      if (cpp && !sawCode) {
        let j = i + 1;
        while (j < n && isBlank(line.charCodeAt(j))) j++;
        let w = j;
        while (w < n && isNameChar(line.charCodeAt(w))) w++;
        if (PP_DIRECTIVES.has(line.slice(j, w))) { tokens.push({ k: 'pp', s, e: w }); i = w; sawCode = true; continue; }
      }
      tokens.push({ k: 'comment', s, e: n });
      break;
    }
    if (c === 47 && line.charCodeAt(i + 1) === 47) { tokens.push({ k: 'comment', s, e: n }); break; }
    sawCode = true;
    if (c === 34 /* " */) {
      let j = i + 1;
      while (j < n && line.charCodeAt(j) !== 34) j += line.charCodeAt(j) === 92 ? 2 : 1;
      i = Math.min(j + 1, n);
      tokens.push({ k: 'string', s, e: i });
      continue;
    }
    if (c === 39 /* ' */) {
      const len = line[i + 1] === '\\' ? 3 : 2;
      i += line[i + len] === "'" ? len + 1 : len;
      if (i > n) i = n;
      tokens.push({ k: 'char', s, e: i });
      continue;
    }
    if (isDigit(c)) {
      i++;
      while (i < n && isNameChar(line.charCodeAt(i)) && line.charCodeAt(i) !== 46) i++;
      tokens.push({ k: 'number', s, e: i });
      continue;
    }
    if (isNameStart(c)) {
      i++;
      while (i < n && isNameChar(line.charCodeAt(i))) i++;
      tokens.push({ k: 'ident', s, e: i });
      continue;
    }
    if (c === 37 /* % */ && i + 1 < n && isNameStart(line.charCodeAt(i + 1))) {
      i += 2;
      while (i < n && isNameChar(line.charCodeAt(i))) i++;
      tokens.push({ k: 'reloc', s, e: i });
      continue;
    }
    if (c === 92 /* \ */ && i + 1 < n) {
      const d = line.charCodeAt(i + 1);
      if (d === 64 /* @ */) { i += 2; tokens.push({ k: 'macroParam', s, e: i }); continue; }
      if (d === 40 && line.charCodeAt(i + 2) === 41) { i += 3; tokens.push({ k: 'macroParam', s, e: i }); continue; }
      if (isNameStart(d)) {
        i += 2;
        while (i < n && isNameChar(line.charCodeAt(i))) i++;
        tokens.push({ k: 'macroParam', s, e: i });
        continue;
      }
    }
    i++;
    tokens.push({ k: 'punct', s, e: i });
  }
  return { tokens, inBlock };
}

export type DefKind = 'label' | 'equ' | 'define' | 'macro';

export interface Def {
  readonly name: string;
  readonly kind: DefKind;
  readonly line: number;
  readonly start: number;
  readonly end: number;
  /** `.equ`/`#define`: the value text; macros: the parameter list. */
  readonly detail: string;
  /** Macros: the line of `.endm` (the last line when it is missing). */
  endLine?: number;
}

export interface Occurrence {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

export interface IncludeRef extends Occurrence {
  /** The name as written between the quotes (or angle brackets). */
  readonly name: string;
  readonly cpp: boolean;
  readonly angled: boolean;
}

export interface Fold {
  readonly start: number;
  readonly end: number;
  readonly comment: boolean;
}

export interface FileIndex {
  readonly lines: readonly string[];
  readonly defs: readonly Def[];
  /** Every use or definition of a name that could be a symbol or macro, by name. */
  readonly occurrences: ReadonlyMap<string, readonly Occurrence[]>;
  /** Numeric local labels (`1:`), in order, with their number. */
  readonly localLabels: readonly (Occurrence & { readonly n: string })[];
  readonly includes: readonly IncludeRef[];
  readonly sections: readonly { readonly name: string; readonly line: number }[];
  readonly folds: readonly Fold[];
  /** Names given `.type name, @function`. */
  readonly functions: ReadonlySet<string>;
  /** 1 for the lines that begin inside a block comment. */
  readonly inBlockAt: Uint8Array;
  readonly cpp: boolean;
}

const SECTION_SHORTHANDS = new Set(['.text', '.data', '.rodata', '.bss']);

const builtinCache = new Map<string, boolean>();

/** Names that are never symbols when they appear as the mnemonic of a statement. */
function isBuiltinMnemonic(name: string): boolean {
  let b = builtinCache.get(name);
  if (b === undefined) {
    const l = name.toLowerCase();
    b = specsFor(l).length > 0 || pseudoFormsOf(l).length > 0;
    // Bounded: user names that are not mnemonics would otherwise accumulate forever.
    if (builtinCache.size < 4096) builtinCache.set(name, b);
  }
  return b;
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Indexes a whole file; `cpp` for files that go through the C preprocessor (`.S`). */
export function scanFile(text: string, cpp: boolean): FileIndex {
  const lines = splitLines(text);
  const defs: Def[] = [];
  const occurrences = new Map<string, Occurrence[]>();
  const localLabels: (Occurrence & { n: string })[] = [];
  const includes: IncludeRef[] = [];
  const sections: { name: string; line: number }[] = [];
  const folds: Fold[] = [];
  const functions = new Set<string>();
  const blocks: { kind: 'macro' | 'rept' | 'if' | 'ppif'; line: number; def?: Def }[] = [];
  const inBlockAt = new Uint8Array(lines.length);
  let inBlock = false;
  let commentStart = -1;

  const occur = (name: string, o: Occurrence) => {
    const l = occurrences.get(name);
    if (l) l.push(o); else occurrences.set(name, [o]);
  };
  const close = (kind: 'macro' | 'rept' | 'if' | 'ppif', line: number) => {
    for (let k = blocks.length - 1; k >= 0; k--) {
      if (blocks[k].kind !== kind) continue;
      const b = blocks[k];
      blocks.length = k;
      if (line > b.line) folds.push({ start: b.line, end: line, comment: false });
      if (b.def) b.def.endLine = line;
      return;
    }
  };

  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln];
    const wasInBlock = inBlock;
    if (inBlock) inBlockAt[ln] = 1;
    const r = tokenizeLine(line, inBlock, cpp);
    inBlock = r.inBlock;
    if (!wasInBlock && inBlock) commentStart = ln;
    if (wasInBlock && !inBlock && commentStart >= 0) {
      if (ln > commentStart) folds.push({ start: commentStart, end: ln, comment: true });
      commentStart = -1;
    }
    const toks = r.tokens.some((t) => t.k === 'comment') ? r.tokens.filter((t) => t.k !== 'comment') : r.tokens;
    if (!toks.length) continue;
    const text = (t: Token) => line.slice(t.s, t.e);

    if (toks[0].k === 'pp') {
      const d = text(toks[0]).slice(1).trim();
      const rest = toks.slice(1);
      if (d === 'include' || d === 'include_next') {
        const t = rest[0];
        if (t?.k === 'string') includes.push({ name: text(t).replace(/^"|"$/g, ''), line: ln, start: t.s + 1, end: Math.max(t.s + 1, t.e - 1), cpp: true, angled: false });
        else if (t && text(t) === '<') {
          const close = line.indexOf('>', t.e);
          const end = close < 0 ? line.length : close;
          includes.push({ name: line.slice(t.e, end).trim(), line: ln, start: t.e, end, cpp: true, angled: true });
        }
      } else if (d === 'define' && rest[0]?.k === 'ident') {
        const t = rest[0];
        const name = text(t);
        defs.push({ name, kind: 'define', line: ln, start: t.s, end: t.e, detail: line.slice(t.e).trim() });
        occur(name, { line: ln, start: t.s, end: t.e });
      } else if (d === 'if' || d === 'ifdef' || d === 'ifndef') blocks.push({ kind: 'ppif', line: ln });
      else if (d === 'endif') close('ppif', ln);
      for (const t of rest.slice(d === 'define' ? 1 : 0)) if (t.k === 'ident') occur(text(t), { line: ln, start: t.s, end: t.e });
      continue;
    }

    // Statements are separated by `;`; most lines hold one.
    if (!line.includes(';')) { statement(toks, ln, line); continue; }
    let st = 0;
    while (st < toks.length) {
      let en = st;
      while (en < toks.length && !(toks[en].k === 'punct' && line.charCodeAt(toks[en].s) === 59)) en++;
      statement(toks.slice(st, en), ln, line);
      st = en + 1;
    }
  }
  if (commentStart >= 0 && lines.length - 1 > commentStart) folds.push({ start: commentStart, end: lines.length - 1, comment: true });
  for (const b of blocks) if (b.def) b.def.endLine = lines.length - 1;
  return { lines, defs, occurrences, localLabels, includes, sections, folds, functions, inBlockAt, cpp };

  function statement(toks: Token[], ln: number, line: string): void {
    const text = (t: Token) => line.slice(t.s, t.e);
    const operands = (from: number) => {
      for (let k = from; k < toks.length; k++) {
        const t = toks[k];
        if (t.k !== 'ident') continue;
        const name = text(t);
        if (name !== '.' && registerNumber(name) === undefined) occur(name, { line: ln, start: t.s, end: t.e });
      }
    };
    let p = 0;
    // Labels: `name:` or `1:` (but not `name :=`).
    while (p + 1 < toks.length && (toks[p].k === 'ident' || toks[p].k === 'number') && text(toks[p + 1]) === ':' && line[toks[p + 1].e] !== '=') {
      const t = toks[p];
      const name = text(t);
      if (t.k === 'number') { if (/^\d+$/.test(name)) localLabels.push({ n: name, line: ln, start: t.s, end: t.e }); }
      else {
        defs.push({ name, kind: 'label', line: ln, start: t.s, end: t.e, detail: '' });
        occur(name, { line: ln, start: t.s, end: t.e });
      }
      p += 2;
    }
    if (p >= toks.length) return;
    const op = toks[p];
    if (op.k !== 'ident') { operands(p); return; }
    const opName = text(op);
    const next = toks[p + 1];
    if (next && text(next) === '=' && line[next.e] !== '=') {
      defs.push({ name: opName, kind: 'equ', line: ln, start: op.s, end: op.e, detail: line.slice(next.e).trim() });
      occur(opName, { line: ln, start: op.s, end: op.e });
      operands(p + 2);
      return;
    }
    if (opName[0] !== '.') {
      if (!isBuiltinMnemonic(opName)) occur(opName, { line: ln, start: op.s, end: op.e });
      operands(p + 1);
      return;
    }
    const d = opName.toLowerCase();
    const args = toks.slice(p + 1);
    const restText = args.length ? line.slice(args[0].s, args[args.length - 1].e) : '';
    switch (d) {
      case '.equ': case '.set': case '.equiv': case '.eqv': {
        const t = args[0];
        if (t?.k === 'ident') {
          const comma = restText.indexOf(',');
          defs.push({ name: text(t), kind: 'equ', line: ln, start: t.s, end: t.e, detail: comma < 0 ? '' : restText.slice(comma + 1).trim() });
        }
        break;
      }
      case '.macro': {
        const t = args[0];
        if (t?.k === 'ident') {
          const def: Def = { name: text(t), kind: 'macro', line: ln, start: t.s, end: t.e, detail: line.slice(t.e, args[args.length - 1].e).replace(/^\s*,?\s*/, '') };
          defs.push(def);
          occur(def.name, { line: ln, start: t.s, end: t.e });
          blocks.push({ kind: 'macro', line: ln, def });
        } else blocks.push({ kind: 'macro', line: ln });
        // Parameter names are not symbols.
        return;
      }
      case '.endm': case '.endmacro': close('macro', ln); return;
      case '.rept': case '.irp': case '.irpc': blocks.push({ kind: 'rept', line: ln }); break;
      case '.endr': close('rept', ln); return;
      case '.endif': close('if', ln); return;
      case '.include': {
        const t = args[0];
        if (t?.k === 'string') includes.push({ name: text(t).replace(/^"|"$/g, ''), line: ln, start: t.s + 1, end: Math.max(t.s + 1, t.e - 1), cpp: false, angled: false });
        return;
      }
      case '.section': case '.pushsection': {
        const t = args[0];
        if (t) sections.push({ name: text(t).replace(/^"|"$/g, ''), line: ln });
        return;
      }
      case '.type': {
        if (args[0]?.k === 'ident' && /function/.test(restText)) functions.add(text(args[0]));
        break;
      }
      case '.comm': case '.lcomm': {
        const t = args[0];
        if (t?.k === 'ident') defs.push({ name: text(t), kind: 'label', line: ln, start: t.s, end: t.e, detail: '' });
        break;
      }
      case '.option': return;
      default:
        if (SECTION_SHORTHANDS.has(d)) { sections.push({ name: d, line: ln }); return; }
        if (d.startsWith('.if')) blocks.push({ kind: 'if', line: ln });
    }
    operands(p + 1);
  }
}

/** The tokens of one line of an indexed file, and the token under a cursor column (ends included). */
export function tokensAt(index: FileIndex, line: number, character: number): { tokens: Token[]; at?: Token; text: string } {
  const text = index.lines[line] ?? '';
  const tokens = tokenizeLine(text, index.inBlockAt[line] === 1, index.cpp).tokens;
  let at: Token | undefined;
  for (const t of tokens) {
    if (t.s <= character && character <= t.e) {
      // At a boundary between two tokens, the word-like one is meant.
      if (!at || (at.k === 'punct' && t.k !== 'punct') || (character === at.e && t.s === character && t.k !== 'punct' && t.k !== 'comment')) at = t;
    }
  }
  return { tokens, at, text };
}
