/**
 * The C preprocessor that the assembler runs over `.S` files, modelled on
 * `gcc -E -x assembler-with-cpp`.
 *
 * The one deliberate difference from a normal cpp run is the output shape: instead of a text
 * stream with `# line` markers, every physical source line of every file read becomes exactly one
 * {@link PreprocessedLine}, so the assembler's line numbers map 1:1 back to source origins.
 * Directive lines, skipped lines and the continuation lines of spliced or joined lines are kept
 * as empty text for that reason.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SourceOrigin { file: string; line: number }

export interface PreprocessedLine {
  text: string;
  origin: SourceOrigin;
  /** Outermost first: where each enclosing `#include` was written. */
  includeChain: SourceOrigin[];
}

export interface PreprocessorDiagnostic {
  severity: 'error' | 'warning';
  file: string;
  line: number;
  column: number;
  message: string;
  includeChain: SourceOrigin[];
}

export interface PreprocessorHost {
  readFile(path: string): string | undefined;
  resolveInclude(name: string, fromFile: string, angled: boolean, searchDirs: string[]): string | undefined;
}

export interface PreprocessOptions {
  /** Like `-D`: the key may be `NAME` or `NAME(params)`. */
  defines?: Map<string, string>;
  includeDirs?: string[];
  host: PreprocessorHost;
}

type Severity = PreprocessorDiagnostic['severity'];

// Limits. They exist so that hostile or random input (endless recursion, exponential macro
// growth, absurd nesting) ends with a diagnostic instead of a hang or a stack overflow; real
// sources stay far below every one of them.
const MAX_INCLUDE_DEPTH = 200;
const MAX_ARGUMENT_NESTING = 200;
const MAX_EXPRESSION_NESTING = 256;
const LINE_WORK_LIMIT = 1_000_000;
// The whole-run budget grows with the input so that large generated sources are never cut short.
const TOTAL_WORK_BASE = 5_000_000;
const TOTAL_WORK_PER_LINE = 200;
const MAX_TOTAL_LINES = 2_000_000;

const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

// ---------------------------------------------------------------------------------------------
// Lexing

const TAB = 9, SPACE = 32, DQUOTE = 34, HASH = 35, SQUOTE = 39, LPAREN = 40, STAR = 42, PLUS = 43;
const MINUS = 45, DOT = 46, SLASH = 47, BACKSLASH = 92;

function isHSpace(c: number): boolean { return c === SPACE || c === TAB || c === 11 || c === 12 || c === 13; }
function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
function isIdentStart(c: number): boolean {
  // `$` is an identifier character by default in GCC, so `a$b` must not expand a macro `a`.
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}
function isIdentPart(c: number): boolean { return isIdentStart(c) || isDigit(c); }
function isExponent(c: number): boolean { return c === 101 || c === 69 || c === 112 || c === 80; }
function skipHSpace(s: string, i: number): number {
  while (i < s.length && isHSpace(s.charCodeAt(i))) i++;
  return i;
}

/** `paste` and `placemarker` only ever occur inside a macro substitution in progress. */
type TokKind = 'ws' | 'ident' | 'number' | 'string' | 'char' | 'punct' | 'paste' | 'placemarker';

interface Token {
  readonly kind: TokKind;
  readonly text: string;
  /** 0-based physical line within the file being processed. */
  readonly line: number;
  /** 0-based column. */
  readonly col: number;
  /** Names of the macros whose expansion produced this token (the "blue paint" hide set). */
  readonly hide?: ReadonlySet<string>;
}

const PUNCTUATORS = ['...', '<<=', '>>=', '##', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '->', '++',
  '--', '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|='];
const PUNCT_START = new Set([...'.<>#=!&|-+*/%^'].map((c) => c.charCodeAt(0)));

function scanQuoted(s: string, i: number, quote: number): number {
  let j = i + 1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === BACKSLASH) { j += 2; continue; }
    if (c === quote) return j + 1;
    j++;
  }
  // An unterminated literal runs to the end of the line, as in GCC's assembler mode.
  return s.length;
}

/**
 * Scans one preprocessing token at `i`. `fullChars` selects C character-literal lexing (used in
 * `#if`); otherwise only a complete one-character literal such as `'a'` or `'\n'` is a token,
 * because assembly uses `'` unbalanced (`.byte 'a`) and an opening quote must not swallow the rest
 * of the line.
 */
function scanToken(s: string, i: number, fullChars: boolean): [TokKind, number] {
  const c = s.charCodeAt(i);
  if (isHSpace(c)) return ['ws', skipHSpace(s, i + 1)];
  if (isIdentStart(c)) {
    let j = i + 1;
    while (j < s.length && isIdentPart(s.charCodeAt(j))) j++;
    return ['ident', j];
  }
  if (isDigit(c) || (c === DOT && isDigit(s.charCodeAt(i + 1)))) {
    // pp-number: this is what keeps local label references like `1f` and `2b` away from macros.
    let j = i + 1;
    while (j < s.length) {
      const d = s.charCodeAt(j);
      if ((d === PLUS || d === MINUS) && isExponent(s.charCodeAt(j - 1))) j++;
      else if (isIdentPart(d) || d === DOT) j++;
      else break;
    }
    return ['number', j];
  }
  if (c === DQUOTE) return ['string', scanQuoted(s, i, DQUOTE)];
  if (c === SQUOTE) {
    if (fullChars) return ['char', scanQuoted(s, i, SQUOTE)];
    const a = s.charCodeAt(i + 1);
    if (a === BACKSLASH) {
      if (i + 3 < s.length && s.charCodeAt(i + 3) === SQUOTE) return ['char', i + 4];
    } else if (i + 2 < s.length && a !== SQUOTE && s.charCodeAt(i + 2) === SQUOTE) {
      return ['char', i + 3];
    }
    return ['punct', i + 1];
  }
  if (PUNCT_START.has(c)) {
    for (const p of PUNCTUATORS) if (s.startsWith(p, i)) return ['punct', i + p.length];
  }
  return ['punct', i + 1];
}

/** Lexes text that has no source position of its own (a pasted token); every token sits at `line`/`col`. */
function lexDetached(text: string, line: number, col: number): Token[] {
  const toks: Token[] = [];
  for (let i = 0; i < text.length;) {
    const [kind, end] = scanToken(text, i, false);
    toks.push({ kind, text: text.slice(i, end), line, col });
    i = end;
  }
  return toks;
}

// ---------------------------------------------------------------------------------------------
// Physical lines -> logical lines (backslash splicing, comment removal)

interface LogicalLine {
  /** Text after splicing and comment removal. */
  readonly text: string;
  /**
   * Triples (offset in text, physical line, column) that start each run of contiguous source
   * characters, so diagnostics point at the physical position even after splices and comments.
   */
  readonly segs: readonly number[];
  readonly first: number;
  readonly count: number;
}

function splitPhysical(text: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text === '') return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function posAt(ll: LogicalLine, off: number): [number, number] {
  const s = ll.segs;
  if (s.length === 0) return [ll.first, off];
  let k = 0;
  while (k + 3 < s.length && s[k + 3] <= off) k += 3;
  return [s[k + 1], s[k + 2] + off - s[k]];
}

function tokenizeLine(ll: LogicalLine, from: number, fullChars: boolean): Token[] {
  const toks: Token[] = [];
  const s = ll.segs;
  let k = 0;
  for (let i = from; i < ll.text.length;) {
    const [kind, end] = scanToken(ll.text, i, fullChars);
    while (k + 3 < s.length && s[k + 3] <= i) k += 3;
    const line = s.length ? s[k + 1] : ll.first;
    const col = s.length ? s[k + 2] + i - s[k] : i;
    toks.push({ kind, text: ll.text.slice(i, end), line, col });
    i = end;
  }
  return toks;
}

interface Stripped { text: string; runs: number[]; inComment: boolean; openedAt: number }

/** Removes comments from one spliced line; `inComment` carries a block comment across lines. */
function stripComments(raw: string, inComment: boolean, fullChars: boolean): Stripped {
  let text = '';
  const runs: number[] = []; // pairs (offset in text, offset in raw)
  let openedAt = -1;
  let hadComment = false;
  let runStart = -1;
  const flush = (upTo: number): void => {
    if (runStart >= 0 && upTo > runStart) {
      runs.push(text.length, runStart);
      text += raw.slice(runStart, upTo);
    }
    runStart = -1;
  };
  let i = 0;
  while (i < raw.length) {
    if (inComment) {
      const close = raw.indexOf('*/', i);
      if (close < 0) { i = raw.length; break; }
      i = close + 2;
      inComment = false;
      continue;
    }
    const c = raw.charCodeAt(i);
    if (c === SLASH && raw.charCodeAt(i + 1) === STAR) {
      flush(i);
      // A space, not nothing, so that `a/**/b` stays two tokens as in C.
      runs.push(text.length, i);
      text += ' ';
      inComment = true;
      hadComment = true;
      openedAt = i;
      i += 2;
      continue;
    }
    if (c === SLASH && raw.charCodeAt(i + 1) === SLASH) {
      flush(i);
      hadComment = true;
      i = raw.length;
      break;
    }
    if (runStart < 0) runStart = i;
    i = c === DQUOTE || c === SQUOTE ? scanToken(raw, i, fullChars)[1] : i + 1;
  }
  flush(i);
  if (hadComment) {
    let e = text.length;
    while (e > 0 && isHSpace(text.charCodeAt(e - 1))) e--;
    text = text.slice(0, e);
  }
  return { text, runs, inComment, openedAt };
}

function toSegments(runs: readonly number[], textLength: number, rawSegs: readonly number[]): number[] {
  const segs: number[] = [];
  for (let r = 0; r < runs.length; r += 2) {
    let out = runs[r];
    let raw = runs[r + 1];
    const runEnd = raw + (r + 2 < runs.length ? runs[r + 2] : textLength) - out;
    let k = 0;
    while (k + 3 < rawSegs.length && rawSegs[k + 3] <= raw) k += 3;
    for (;;) {
      segs.push(out, rawSegs[k + 1], raw - rawSegs[k] + rawSegs[k + 2]);
      const segEnd = k + 3 < rawSegs.length ? rawSegs[k + 3] : Infinity;
      if (runEnd <= segEnd) break;
      out += segEnd - raw;
      raw = segEnd;
      k += 3;
    }
  }
  return segs;
}

/** `'` is a C character-literal delimiter only on these lines. */
const CONDITION_LINE = /^[ \t\v\f\r]*#[ \t\v\f\r]*(?:if|elif)(?![A-Za-z0-9_$])/;

type Reporter = (severity: Severity, line: number, col: number, message: string) => void;

function buildLogicalLines(phys: readonly string[], report: Reporter): LogicalLine[] {
  const result: LogicalLine[] = [];
  let inComment = false;
  let openLine = 0, openCol = 0;
  for (let p = 0; p < phys.length;) {
    const first = p;
    let raw = '';
    const rawSegs: number[] = [];
    for (;;) {
      const physical = phys[p];
      let end = physical.length;
      while (end > 0 && isHSpace(physical.charCodeAt(end - 1))) end--;
      const spliced = end > 0 && physical.charCodeAt(end - 1) === BACKSLASH;
      if (spliced && end < physical.length) report('warning', p, end - 1, 'backslash and newline separated by space');
      rawSegs.push(raw.length, p, 0);
      raw += spliced ? physical.slice(0, end - 1) : physical;
      p++;
      if (!spliced || p >= phys.length) break;
    }
    const startsInComment = inComment;
    let stripped = stripComments(raw, startsInComment, false);
    if (CONDITION_LINE.test(stripped.text)) stripped = stripComments(raw, startsInComment, true);
    const segs = toSegments(stripped.runs, stripped.text.length, rawSegs);
    if (stripped.openedAt >= 0 && stripped.inComment) {
      const ll: LogicalLine = { text: raw, segs: rawSegs, first, count: p - first };
      [openLine, openCol] = posAt(ll, stripped.openedAt);
    }
    inComment = stripped.inComment;
    result.push({ text: stripped.text, segs, first, count: p - first });
  }
  if (inComment) report('error', openLine, openCol, 'unterminated comment');
  return result;
}

type DirectiveHead =
  | { readonly kind: 'null' }
  | { readonly kind: 'other' }
  | { readonly kind: 'directive'; readonly name: string; readonly nameOff: number; readonly restOff: number };

const DIRECTIVES = new Set(['define', 'undef', 'include', 'include_next', 'import', 'if', 'ifdef', 'ifndef',
  'elif', 'elifdef', 'elifndef', 'else', 'endif', 'error', 'warning', 'line', 'pragma', 'ident', 'sccs',
  'assert', 'unassert']);
const CONDITIONALS = new Set(['if', 'ifdef', 'ifndef', 'elif', 'elifdef', 'elifndef', 'else', 'endif']);

/** `undefined` when the line does not start with `#`. */
function directiveHead(text: string): DirectiveHead | undefined {
  let k = skipHSpace(text, 0);
  if (text.charCodeAt(k) !== HASH) return undefined;
  k = skipHSpace(text, k + 1);
  if (k >= text.length) return { kind: 'null' };
  if (!isIdentStart(text.charCodeAt(k))) return { kind: 'other' };
  let e = k + 1;
  while (e < text.length && isIdentPart(text.charCodeAt(e))) e++;
  const name = text.slice(k, e);
  return DIRECTIVES.has(name) ? { kind: 'directive', name, nameOff: k, restOff: e } : { kind: 'other' };
}

function isHashLine(text: string): boolean {
  return text.charCodeAt(skipHSpace(text, 0)) === HASH;
}

// ---------------------------------------------------------------------------------------------
// Macros

type Builtin = '__FILE__' | '__LINE__' | '__COUNTER__' | '__INCLUDE_LEVEL__' | '__BASE_FILE__';
const BUILTINS: readonly Builtin[] = ['__FILE__', '__LINE__', '__COUNTER__', '__INCLUDE_LEVEL__', '__BASE_FILE__'];

interface BodyItem {
  readonly tok: Token;
  readonly role: 'plain' | 'param' | 'stringify' | 'paste';
  /** Parameter index for `param` and `stringify`, otherwise -1. */
  readonly param: number;
}

interface Macro {
  readonly name: string;
  readonly functionLike: boolean;
  readonly params: readonly string[];
  /** The last parameter collects all remaining arguments. */
  readonly variadic: boolean;
  readonly body: readonly BodyItem[];
  readonly builtin?: Builtin;
  /** Normalised spelling, to tell an identical (allowed) redefinition from a conflicting one. */
  readonly signature: string;
  readonly where: string;
  readonly nameTok: Token;
}

const EMPTY_HIDE: ReadonlySet<string> = new Set();
// Hide sets grow along chains of nested expansions; sharing them keeps each step O(1) instead of
// copying a set per invocation.
const hideSetCache = new WeakMap<ReadonlySet<string>, Map<string, ReadonlySet<string>>>();

function withName(hide: ReadonlySet<string> | undefined, name: string): ReadonlySet<string> {
  const base = hide ?? EMPTY_HIDE;
  if (base.has(name)) return base;
  let byName = hideSetCache.get(base);
  if (!byName) {
    byName = new Map();
    hideSetCache.set(base, byName);
  }
  let s = byName.get(name);
  if (!s) {
    const grown = new Set<string>(base);
    grown.add(name);
    s = grown;
    byName.set(name, s);
  }
  return s;
}

function intersect(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): ReadonlySet<string> | undefined {
  if (!a || !b) return undefined;
  const s = new Set<string>();
  for (const x of a) if (b.has(x)) s.add(x);
  return s.size ? s : undefined;
}

function union(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): ReadonlySet<string> {
  if (!a || a === b) return b;
  let missing = false;
  for (const x of a) if (!b.has(x)) { missing = true; break; }
  if (!missing) return b;
  const s = new Set<string>(b);
  for (const x of a) s.add(x);
  return s;
}

/** Appends without spread, which overflows the call stack on very large arrays. */
function append<T>(dst: T[], src: readonly T[]): void {
  for (const x of src) dst.push(x);
}

function pushReversed(stack: Token[], toks: readonly Token[]): void {
  for (let k = toks.length - 1; k >= 0; k--) stack.push(toks[k]);
}

function skipWs(toks: readonly Token[], k: number): number {
  while (k < toks.length && toks[k].kind === 'ws') k++;
  return k;
}

function isPunct(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'punct' && t.text === text;
}

function quote(s: string): string {
  return '"' + s.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n') + '"';
}

function neighbour(body: readonly BodyItem[], i: number, step: 1 | -1): BodyItem | undefined {
  for (let j = i + step; j >= 0 && j < body.length; j += step) if (body[j].tok.kind !== 'ws') return body[j];
  return undefined;
}

/** Would printing `a` directly before `b` make them lex as different tokens? */
function wouldPaste(a: string, b: string): boolean {
  if (a.endsWith('/') && (b.startsWith('/') || b.startsWith('*'))) return true;
  return scanToken(a + b, 0, false)[1] !== a.length;
}

function render(toks: readonly Token[]): string {
  let s = '';
  let prev: Token | undefined;
  for (const t of toks) {
    if (t.kind === 'placemarker' || t.kind === 'paste') continue;
    // Only where a macro expansion meets its neighbours can two tokens that were apart become
    // adjacent (`-NEG` with NEG = -1 must not print as `--1`); source text is kept as written.
    if (prev && t.kind !== 'ws' && prev.kind !== 'ws' && (prev.hide || t.hide) && wouldPaste(prev.text, t.text)) s += ' ';
    s += t.text;
    prev = t;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// #if expressions

interface Value { readonly v: bigint; readonly u: boolean }

class ExprFailure {
  constructor(readonly tok: Token, readonly message: string) {}
}

const BINARY_PRECEDENCE: ReadonlyMap<string, number> = new Map([
  ['||', 1], ['&&', 2], ['|', 3], ['^', 4], ['&', 5], ['==', 6], ['!=', 6], ['<', 7], ['>', 7], ['<=', 7],
  ['>=', 7], ['<<', 8], ['>>', 8], ['+', 9], ['-', 9], ['*', 10], ['/', 10], ['%', 10],
]);
const EXPRESSION_OPERATORS = new Set([...BINARY_PRECEDENCE.keys(), '!', '~', '?', ':', ',', '(', ')']);

function norm(v: bigint, u: boolean): Value {
  return { v: u ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v), u };
}
function truth(b: boolean): Value { return { v: b ? 1n : 0n, u: false }; }

function parseDigits(digits: string, radix: number): { value: bigint; overflow: boolean } {
  const r = BigInt(radix);
  let value = 0n;
  let overflow = false;
  for (const ch of digits) {
    value = value * r + BigInt(parseInt(ch, radix));
    // Reducing as we go keeps a thousand-digit constant linear instead of quadratic.
    if (value > UINT64_MAX) { overflow = true; value = BigInt.asUintN(64, value); }
  }
  return { value, overflow };
}

function utf8Bytes(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}

const SIMPLE_ESCAPES: ReadonlyMap<string, number> = new Map([
  ['n', 10], ['t', 9], ['r', 13], ['a', 7], ['b', 8], ['f', 12], ['v', 11], ['e', 27], ['E', 27],
  ['\\', 92], ['\'', 39], ['"', 34], ['?', 63],
]);

/**
 * Recursive-descent evaluator over already macro-expanded tokens, in intmax_t/uintmax_t (64-bit)
 * arithmetic. `live` is false inside the unevaluated operand of `&&`, `||` and `?:`, where C says
 * division by zero is not an error.
 */
class ExprParser {
  private pos = 0;
  private nesting = 0;

  constructor(private readonly toks: readonly Token[], private readonly warn: (tok: Token, message: string) => void) {}

  evaluate(): Value {
    const v = this.comma(true);
    const t = this.toks[this.pos];
    if (t) throw this.trailing(t);
    return v;
  }

  private trailing(t: Token): ExprFailure {
    if (isPunct(t, ')')) return new ExprFailure(t, "missing '(' in expression");
    if (isPunct(t, ':')) return new ExprFailure(t, "':' without preceding '?'");
    if (t.kind === 'number' || t.kind === 'ident' || t.kind === 'char' || isPunct(t, '(')) {
      return new ExprFailure(t, `missing binary operator before token "${t.text}"`);
    }
    return new ExprFailure(t, `token "${t.text}" is not valid in preprocessor expressions`);
  }

  private enter(t: Token): void {
    if (++this.nesting > MAX_EXPRESSION_NESTING) throw new ExprFailure(t, '#if expression nested too deeply');
  }

  private peekOp(text: string): boolean { return isPunct(this.toks[this.pos], text); }

  private comma(live: boolean): Value {
    let v = this.cond(live);
    while (this.peekOp(',')) {
      this.pos++;
      v = this.cond(live);
    }
    return v;
  }

  private cond(live: boolean): Value {
    const c = this.binary(1, live);
    if (!this.peekOp('?')) return c;
    const q = this.toks[this.pos++];
    this.enter(q);
    const yes = this.comma(live && c.v !== 0n);
    const colon = this.toks[this.pos];
    if (!isPunct(colon, ':')) throw new ExprFailure(colon ?? q, "'?' without following ':'");
    this.pos++;
    const no = this.cond(live && c.v === 0n);
    this.nesting--;
    return norm((c.v !== 0n ? yes : no).v, yes.u || no.u);
  }

  private binary(minPrec: number, live: boolean): Value {
    let left = this.unary(live);
    for (;;) {
      const t = this.toks[this.pos];
      const prec = t && t.kind === 'punct' ? BINARY_PRECEDENCE.get(t.text) : undefined;
      if (prec === undefined || prec < minPrec) return left;
      this.pos++;
      if (t.text === '&&') {
        const r = this.binary(prec + 1, live && left.v !== 0n);
        left = truth(left.v !== 0n && r.v !== 0n);
      } else if (t.text === '||') {
        const r = this.binary(prec + 1, live && left.v === 0n);
        left = truth(left.v !== 0n || r.v !== 0n);
      } else {
        left = this.apply(t, left, this.binary(prec + 1, live), live);
      }
    }
  }

  private unary(live: boolean): Value {
    const t = this.toks[this.pos];
    if (!t || t.kind !== 'punct' || !['+', '-', '~', '!'].includes(t.text)) return this.primary(live);
    this.pos++;
    this.enter(t);
    const a = this.unary(live);
    this.nesting--;
    switch (t.text) {
      case '+': return a;
      case '-': return this.arith(-a.v, a.u, live, t);
      case '~': return norm(~a.v, a.u);
      default: return truth(a.v === 0n);
    }
  }

  private primary(live: boolean): Value {
    const t = this.toks[this.pos];
    const prev = this.toks[this.pos - 1];
    if (!t) {
      // The caller guarantees a non-empty token list, so running out means an operand is missing.
      throw new ExprFailure(prev, isPunct(prev, '(') ? "missing ')' in expression" : `operator '${prev.text}' has no right operand`);
    }
    this.pos++;
    switch (t.kind) {
      case 'number': return this.number(t);
      case 'char': return this.character(t);
      // C11 6.10.1p4: identifiers left after macro expansion evaluate to 0.
      case 'ident': return { v: 0n, u: false };
      default: break;
    }
    if (isPunct(t, '(')) {
      if (this.peekOp(')')) throw new ExprFailure(this.toks[this.pos], "missing expression between '(' and ')'");
      this.enter(t);
      const v = this.comma(live);
      this.nesting--;
      const close = this.toks[this.pos];
      if (!isPunct(close, ')')) throw new ExprFailure(close ?? t, "missing ')' in expression");
      this.pos++;
      return v;
    }
    if (t.kind === 'punct' && EXPRESSION_OPERATORS.has(t.text)) {
      if (prev && prev.kind === 'punct' && EXPRESSION_OPERATORS.has(prev.text) && prev.text !== ')') {
        throw new ExprFailure(t, `operator '${prev.text}' has no right operand`);
      }
      if (t.text === ')') throw new ExprFailure(t, "missing '(' in expression");
      throw new ExprFailure(t, `operator '${t.text}' has no left operand`);
    }
    throw new ExprFailure(t, `token "${t.text}" is not valid in preprocessor expressions`);
  }

  private arith(r: bigint, u: boolean, live: boolean, at: Token): Value {
    const n = norm(r, u);
    if (!u && n.v !== r && live) this.warn(at, 'integer overflow in preprocessor expression');
    return n;
  }

  private apply(op: Token, a: Value, b: Value, live: boolean): Value {
    if (op.text === '<<' || op.text === '>>') return shift(op.text, a, b);
    const u = a.u || b.u;
    const x = u ? BigInt.asUintN(64, a.v) : a.v;
    const y = u ? BigInt.asUintN(64, b.v) : b.v;
    switch (op.text) {
      case '*': return this.arith(x * y, u, live, op);
      case '/':
      case '%':
        if (y === 0n) {
          if (live) throw new ExprFailure(op, 'division by zero in #if');
          return { v: 0n, u };
        }
        return this.arith(op.text === '/' ? x / y : x % y, u, live, op);
      case '+': return this.arith(x + y, u, live, op);
      case '-': return this.arith(x - y, u, live, op);
      case '<': return truth(x < y);
      case '>': return truth(x > y);
      case '<=': return truth(x <= y);
      case '>=': return truth(x >= y);
      case '==': return truth(x === y);
      case '!=': return truth(x !== y);
      case '&': return norm(x & y, u);
      case '^': return norm(x ^ y, u);
      default: return norm(x | y, u);
    }
  }

  private number(t: Token): Value {
    const m = /^(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))([uUlL]*)$/.exec(t.text);
    if (!m || !/^(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?$/.test(m[5])) {
      const hex = /^0[xX]/.test(t.text);
      const floating = t.text.includes('.') || (hex ? /[pP]/.test(t.text) : /[eE]/.test(t.text));
      throw new ExprFailure(t, floating ? 'floating constant in preprocessor expression' : `invalid integer constant "${t.text}"`);
    }
    const [digits, radix] = m[1] !== undefined ? [m[1], 16] : m[2] !== undefined ? [m[2], 2] : m[3] !== undefined ? [m[3] || '0', 8] : [m[4], 10];
    const { value, overflow } = parseDigits(digits, radix);
    let u = /[uU]/.test(m[5]);
    if (overflow) {
      this.warn(t, 'integer constant is too large for its type');
      u = true;
    } else if (!u && value > INT64_MAX) {
      if (radix === 10) this.warn(t, 'integer constant is so large that it is unsigned');
      u = true;
    }
    return norm(value, u);
  }

  private character(t: Token): Value {
    const s = t.text;
    const bytes: number[] = [];
    let closed = false;
    for (let i = 1; i < s.length;) {
      const c = s[i];
      if (c === '\'') { closed = i === s.length - 1; break; }
      if (c !== '\\') {
        const cp = s.codePointAt(i) ?? 0;
        append(bytes, utf8Bytes(cp));
        i += cp > 0xffff ? 2 : 1;
        continue;
      }
      const e = s[i + 1] ?? '';
      const simple = SIMPLE_ESCAPES.get(e);
      if (simple !== undefined) { bytes.push(simple); i += 2; continue; }
      if (e >= '0' && e <= '7') {
        let j = i + 1, v = 0;
        while (j < s.length && j < i + 4 && s[j] >= '0' && s[j] <= '7') v = v * 8 + (s.charCodeAt(j++) - 48);
        bytes.push(v & 0xff);
        i = j;
        continue;
      }
      if (e === 'x') {
        let j = i + 2, v = 0;
        while (j < s.length && /[0-9a-fA-F]/.test(s[j])) v = ((v << 4) | parseInt(s[j++], 16)) & 0xff;
        if (j === i + 2) throw new ExprFailure(t, '\\x used with no following hex digits');
        bytes.push(v);
        i = j;
        continue;
      }
      this.warn(t, `unknown escape sequence '\\${e}'`);
      bytes.push(e.charCodeAt(0) & 0xff);
      i += 2;
    }
    if (!closed) throw new ExprFailure(t, "missing terminating ' character");
    if (bytes.length === 0) throw new ExprFailure(t, 'empty character constant');
    // RISC-V's plain char is unsigned, so '\xff' is 255, as GCC computes it for this target.
    if (bytes.length === 1) return { v: BigInt(bytes[0]), u: false };
    this.warn(t, 'multi-character character constant');
    let v = 0n;
    for (const b of bytes) v = BigInt.asIntN(32, (v << 8n) | BigInt(b));
    return { v, u: false };
  }
}

function shift(op: string, a: Value, b: Value): Value {
  let n = b.u ? BigInt.asUintN(64, b.v) : b.v;
  let left = op === '<<';
  // GCC treats a negative count as a shift the other way.
  if (n < 0n) { n = -n; left = !left; }
  if (left) return n >= 64n ? { v: 0n, u: a.u } : norm(a.v << n, a.u);
  if (n >= 64n) return { v: !a.u && a.v < 0n ? -1n : 0n, u: a.u };
  return norm(a.v >> n, a.u);
}

// ---------------------------------------------------------------------------------------------
// The driver

interface Conditional {
  readonly directive: string;
  readonly line: number;
  readonly col: number;
  readonly presumedLine: number;
  /** Whether the enclosing group is being processed at all. */
  readonly parentActive: boolean;
  /** A branch has been taken (or must never be, inside a skipped group). */
  taken: boolean;
  active: boolean;
  sawElse: boolean;
}

interface FileFrame {
  readonly actual: string;
  /** File and line numbering as changed by `#line`; used for origins and diagnostics, like GCC. */
  presumed: string;
  lineDelta: number;
  readonly chain: SourceOrigin[];
  lls: LogicalLine[];
  emitted: number;
  readonly conds: Conditional[];
  /** Set after runaway #include recursion so that unwinding does not start it all over again. */
  includesDisabled: boolean;
}

interface ExpandCtx {
  readonly frame: FileFrame;
  /** Physical line that `__LINE__` reports. */
  readonly line: number;
  readonly inIf: boolean;
  /** An error has been reported for this directive; later ones would only be noise. */
  failed: boolean;
  unterminatedReported: boolean;
}

/** Lets a function-like macro invocation continue onto the following source lines. */
class LineFeed {
  last: number;

  constructor(private readonly lls: readonly LogicalLine[], index: number) {
    this.last = index;
  }

  /** The next line's tokens, preceded by the whitespace its newline turns into; none past a directive. */
  pull(): Token[] | undefined {
    const j = this.last + 1;
    if (j >= this.lls.length || isHashLine(this.lls[j].text)) return undefined;
    this.last = j;
    const ll = this.lls[j];
    const toks: Token[] = [{ kind: 'ws', text: ' ', line: ll.first, col: 0 }];
    append(toks, tokenizeLine(ll, 0, false));
    return toks;
  }

  /** Whether the first token after any blank lines is `(`, as C requires when looking for arguments. */
  parenFollows(): boolean {
    for (let j = this.last + 1; j < this.lls.length; j++) {
      const t = this.lls[j].text;
      const k = skipHSpace(t, 0);
      if (k < t.length) return t.charCodeAt(k) === LPAREN;
    }
    return false;
  }
}

interface IncludeSpec { name: string; angled: boolean; line: number; col: number }

class Preprocessor {
  readonly lines: PreprocessedLine[] = [];
  readonly diagnostics: PreprocessorDiagnostic[] = [];
  private readonly macros = new Map<string, Macro>();
  private readonly onceFiles = new Set<string>();
  private readonly frames: FileFrame[] = [];
  private counter = 0;
  private totalLines = 0;
  private totalLinesReported = false;
  private lineWork = 0;
  private totalWork = 0;
  private exhausted = false;
  private nestingReported = false;

  constructor(private readonly opts: PreprocessOptions, private readonly baseFile: string) {}

  run(text: string): void {
    const builtin = this.pseudoFrame('<built-in>');
    for (const name of BUILTINS) {
      this.macros.set(name, { name, functionLike: false, params: [], variadic: false, body: [], builtin: name, signature: `builtin ${name}`, where: '<built-in>',
        nameTok: { kind: 'ident', text: name, line: 0, col: 0 } });
    }
    for (const [name, value] of [['__ASSEMBLER__', '1'], ['__riscv', '1'], ['__riscv_xlen', '64'], ['__riscv_compressed', '1']]) {
      this.defineFromText(builtin, `${name} ${value}`);
    }
    const commandLine = this.pseudoFrame('<command-line>');
    for (const [name, value] of this.opts.defines ?? []) this.defineFromText(commandLine, `${name} ${value}`);
    this.processFile(text, this.baseFile, []);
  }

  // --- output and diagnostics ---

  private emit(frame: FileFrame, text: string): void {
    const p = frame.emitted++;
    this.lines.push({ text, origin: { file: frame.presumed, line: p + 1 + frame.lineDelta }, includeChain: frame.chain });
  }

  private padTo(frame: FileFrame, end: number): void {
    while (frame.emitted < end) this.emit(frame, '');
  }

  private report(frame: FileFrame, severity: Severity, line: number, col: number, message: string): void {
    this.diagnostics.push({ severity, file: frame.presumed, line: line + 1 + frame.lineDelta, column: col + 1, message, includeChain: frame.chain });
  }

  private reportAt(frame: FileFrame, severity: Severity, tok: Token, message: string): void {
    this.report(frame, severity, tok.line, tok.col, message);
  }

  private pseudoFrame(name: string): FileFrame {
    return { actual: name, presumed: name, lineDelta: 0, chain: [], lls: [], emitted: 0, conds: [], includesDisabled: false };
  }

  private charge(n: number): void {
    this.lineWork += n;
    this.totalWork += n;
    if (this.lineWork > LINE_WORK_LIMIT || this.totalExceeded()) this.exhausted = true;
  }

  private totalExceeded(): boolean {
    return this.totalWork > TOTAL_WORK_BASE + TOTAL_WORK_PER_LINE * this.totalLines;
  }

  // --- files and lines ---

  private processFile(text: string, actual: string, chain: SourceOrigin[]): void {
    const phys = splitPhysical(text);
    this.totalLines += phys.length;
    const frame: FileFrame = { actual, presumed: actual, lineDelta: 0, chain, lls: [], emitted: 0, conds: [], includesDisabled: false };
    this.frames.push(frame);
    try {
      frame.lls = buildLogicalLines(phys, (severity, line, col, message) => this.report(frame, severity, line, col, message));
      for (let i = 0; i < frame.lls.length;) {
        let next = i + 1;
        try {
          next = this.processLine(frame, i);
        } catch (e) {
          // Defensive only: a bug must cost one line of output, never the caller's whole run.
          this.report(frame, 'error', frame.lls[i].first, 0, `internal preprocessor error: ${e instanceof Error ? e.message : String(e)}`);
        }
        const last = frame.lls[next - 1];
        this.padTo(frame, last.first + last.count);
        i = next;
      }
      this.padTo(frame, phys.length);
      for (const c of frame.conds) {
        this.diagnostics.push({
          severity: 'error', file: frame.presumed, line: c.presumedLine, column: c.col + 1, includeChain: frame.chain,
          message: `unterminated #${c.directive}: the conditional opened at line ${c.presumedLine} has no matching #endif`,
        });
      }
    } finally {
      this.frames.pop();
    }
  }

  private isSkipping(frame: FileFrame): boolean {
    const top = frame.conds[frame.conds.length - 1];
    return top !== undefined && !top.active;
  }

  private newCtx(frame: FileFrame, line: number, inIf: boolean): ExpandCtx {
    return { frame, line, inIf, failed: false, unterminatedReported: false };
  }

  /** Processes logical line `i` and returns the index of the next unprocessed one. */
  private processLine(frame: FileFrame, i: number): number {
    const ll = frame.lls[i];
    const end = ll.first + ll.count;
    this.lineWork = 0;
    this.exhausted = this.totalExceeded();
    const exhaustedBefore = this.exhausted;
    const head = directiveHead(ll.text);
    const skipping = this.isSkipping(frame);
    let next = i + 1;
    if (head === undefined) {
      if (!skipping) {
        const feed = new LineFeed(frame.lls, i);
        const out = this.expand(tokenizeLine(ll, 0, false), this.newCtx(frame, ll.first, false), feed, 0);
        this.emit(frame, render(out));
        next = feed.last + 1;
      }
    } else if (head.kind === 'other') {
      // GNU as treats `#` as a comment character, so `# text` and `#123` are comments, not errors.
      if (!skipping) this.emit(frame, ll.text);
    } else if (head.kind === 'directive') {
      this.padTo(frame, end);
      this.directive(frame, ll, head.name, head.nameOff, head.restOff, skipping);
    }
    if (this.exhausted && !exhaustedBefore) {
      const message = this.totalExceeded()
        ? 'macro expansion work limit for this file exceeded; further macros are left unexpanded'
        : `macro expansion of this line exceeds ${LINE_WORK_LIMIT} tokens; the rest is left unexpanded`;
      this.report(frame, 'error', ll.first, 0, message);
    }
    return next;
  }

  // --- directives ---

  private directive(frame: FileFrame, ll: LogicalLine, name: string, nameOff: number, restOff: number, skipping: boolean): void {
    const [line, col] = posAt(ll, nameOff);
    const at: Token = { kind: 'ident', text: name, line, col };
    if (CONDITIONALS.has(name)) {
      this.conditional(frame, ll, at, restOff);
      return;
    }
    if (skipping) return;
    switch (name) {
      case 'define': {
        const m = this.parseDefine(frame, tokenizeLine(ll, restOff, false), at);
        if (m) this.install(frame, m);
        return;
      }
      case 'undef': return this.undef(frame, ll, at, restOff);
      case 'include':
      case 'include_next':
      case 'import': return this.include(frame, ll, at, restOff);
      case 'error':
      case 'warning': {
        const text = ll.text.slice(restOff).trim();
        this.reportAt(frame, name, at, `#${name}${text ? ' ' + text : ''}`);
        return;
      }
      case 'line': return this.lineDirective(frame, ll, at, restOff);
      case 'pragma': {
        const toks = tokenizeLine(ll, restOff, false).filter((t) => t.kind !== 'ws');
        if (toks.length === 1 && toks[0].text === 'once') this.onceFiles.add(frame.actual);
        return;
      }
      case 'assert':
      case 'unassert':
        this.reportAt(frame, 'warning', at, `#${name} is not supported; the directive is ignored`);
        return;
      default:
        return; // #ident and #sccs only matter to object files the assembler does not write.
    }
  }

  private extraTokens(frame: FileFrame, ll: LogicalLine, from: number, directive: string): void {
    const k = skipHSpace(ll.text, from);
    if (k < ll.text.length) {
      const [line, col] = posAt(ll, k);
      this.report(frame, 'warning', line, col, `extra tokens at end of #${directive} directive`);
    }
  }

  /** Reads the macro name operand of #ifdef/#ifndef/#undef; returns the offset after it. */
  private macroNameOperand(frame: FileFrame, ll: LogicalLine, at: Token, restOff: number): { name: string; end: number } | undefined {
    const k = skipHSpace(ll.text, restOff);
    if (k >= ll.text.length) {
      this.reportAt(frame, 'error', at, `no macro name given in #${at.text} directive`);
      return undefined;
    }
    const [kind, end] = scanToken(ll.text, k, false);
    const [line, col] = posAt(ll, k);
    const name = ll.text.slice(k, end);
    if (kind !== 'ident') {
      this.report(frame, 'error', line, col, 'macro names must be identifiers');
      return undefined;
    }
    if (name === 'defined' && at.text === 'undef') {
      this.report(frame, 'error', line, col, '"defined" cannot be used as a macro name');
      return undefined;
    }
    return { name, end };
  }

  private conditional(frame: FileFrame, ll: LogicalLine, at: Token, restOff: number): void {
    const name = at.text;
    const conds = frame.conds;
    const top = conds[conds.length - 1];
    if (name === 'if' || name === 'ifdef' || name === 'ifndef') {
      const parentActive = !this.isSkipping(frame);
      const value = parentActive && this.condition(frame, ll, at, restOff);
      conds.push({
        directive: name, line: at.line, col: at.col, presumedLine: at.line + 1 + frame.lineDelta, parentActive,
        taken: value || !parentActive, active: value, sawElse: false,
      });
      return;
    }
    if (!top) {
      this.reportAt(frame, 'error', at, `#${name} without #if`);
      return;
    }
    if (name === 'endif') {
      conds.pop();
      if (top.parentActive) this.extraTokens(frame, ll, restOff, name);
      return;
    }
    if (top.sawElse) {
      this.reportAt(frame, 'error', at, `#${name} after #else (the conditional began at line ${top.presumedLine})`);
      top.active = false;
      return;
    }
    if (name === 'else') {
      top.sawElse = true;
      top.active = top.parentActive && !top.taken;
      top.taken = true;
      if (top.parentActive) this.extraTokens(frame, ll, restOff, name);
      return;
    }
    // #elif and friends: once a branch was taken the condition is not even looked at, as in GCC.
    if (top.taken) {
      top.active = false;
      return;
    }
    top.active = this.condition(frame, ll, at, restOff);
    top.taken = top.active;
  }

  private condition(frame: FileFrame, ll: LogicalLine, at: Token, restOff: number): boolean {
    const name = at.text;
    if (name === 'if' || name === 'elif') return this.evalIf(frame, ll, at, restOff);
    const operand = this.macroNameOperand(frame, ll, at, restOff);
    if (!operand) return false;
    this.extraTokens(frame, ll, operand.end, name);
    const defined = this.macros.has(operand.name) || operand.name === '__has_include' || operand.name === '__has_include_next';
    return defined === (name === 'ifdef' || name === 'elifdef');
  }

  private evalIf(frame: FileFrame, ll: LogicalLine, at: Token, restOff: number): boolean {
    const ctx = this.newCtx(frame, ll.first, true);
    const toks = this.expand(tokenizeLine(ll, restOff, true), ctx, undefined, 0).filter((t) => t.kind !== 'ws');
    if (ctx.failed) return false;
    if (toks.length === 0) {
      this.reportAt(frame, 'error', at, `#${at.text} with no expression`);
      return false;
    }
    try {
      return new ExprParser(toks, (t, m) => this.reportAt(frame, 'warning', t, m)).evaluate().v !== 0n;
    } catch (e) {
      if (!(e instanceof ExprFailure)) throw e;
      this.reportAt(frame, 'error', e.tok, e.message);
      return false;
    }
  }

  private undef(frame: FileFrame, ll: LogicalLine, at: Token, restOff: number): void {
    const operand = this.macroNameOperand(frame, ll, at, restOff);
    if (!operand) return;
    this.extraTokens(frame, ll, operand.end, 'undef');
    if (this.macros.get(operand.name)?.builtin) this.reportAt(frame, 'warning', at, `undefining "${operand.name}"`);
    this.macros.delete(operand.name);
  }

  private lineDirective(frame: FileFrame, ll: LogicalLine, at: Token, restOff: number): void {
    const toks = this.expand(tokenizeLine(ll, restOff, false), this.newCtx(frame, ll.first, false), undefined, 0)
      .filter((t) => t.kind !== 'ws');
    const num = toks[0];
    if (!num || num.kind !== 'number' || !/^[0-9]+$/.test(num.text)) {
      this.reportAt(frame, 'error', num ?? at, `"${num?.text ?? ''}" after #line is not a positive integer`);
      return;
    }
    let n = Number(num.text);
    if (n < 1 || n > 2147483647) {
      // Clamped so that every origin stays a usable 1-based line number.
      this.reportAt(frame, 'warning', num, 'line number out of range');
      n = Math.min(Math.max(n, 1), 2147483647);
    }
    let file: string | undefined;
    const name = toks[1];
    if (name) {
      if (name.kind !== 'string' || name.text.length < 2 || !name.text.endsWith('"')) {
        this.reportAt(frame, 'error', name, `invalid filename ${name.text}`);
        return;
      }
      file = name.text.slice(1, -1).replace(/\\(.)/g, '$1');
      if (toks.length > 2) this.reportAt(frame, 'warning', toks[2], 'extra tokens at end of #line directive');
    }
    frame.lineDelta = n - (ll.first + ll.count) - 1;
    if (file !== undefined) frame.presumed = file;
  }

  private parseIncludeName(frame: FileFrame, ll: LogicalLine, at: Token, restOff: number): IncludeSpec | undefined {
    const text = ll.text;
    const k = skipHSpace(text, restOff);
    const [line, col] = posAt(ll, k);
    let spelled: string;
    const c = text[k];
    if (c === '"' || c === '<') {
      spelled = text.slice(k);
    } else {
      // A computed include: the macros must expand to "name" or <name>.
      spelled = render(this.expand(tokenizeLine(ll, k, false), this.newCtx(frame, ll.first, false), undefined, 0)).trim();
    }
    const open = spelled[0];
    const close = open === '"' ? spelled.indexOf('"', 1) : open === '<' ? spelled.indexOf('>', 1) : -1;
    if (close < 0) {
      const message = open === '"' || open === '<'
        ? `missing terminating ${open === '"' ? '"' : '>'} character`
        : `#${at.text} expects "FILENAME" or <FILENAME>`;
      this.report(frame, 'error', line, col, message);
      return undefined;
    }
    const name = spelled.slice(1, close);
    if (spelled.slice(close + 1).trim() !== '') this.reportAt(frame, 'warning', at, `extra tokens at end of #${at.text} directive`);
    if (name === '') {
      this.report(frame, 'error', line, col, `empty filename in #${at.text}`);
      return undefined;
    }
    return { name, angled: open === '<', line, col };
  }

  private include(frame: FileFrame, ll: LogicalLine, at: Token, restOff: number): void {
    const spec = this.parseIncludeName(frame, ll, at, restOff);
    if (!spec || frame.includesDisabled) return;
    const dirs = this.opts.includeDirs ?? [];
    let searchDirs = dirs;
    let angled = spec.angled;
    if (at.text === 'include_next') {
      const found = dirs.findIndex((d) => {
        const rel = path.relative(d, frame.actual);
        return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
      });
      if (found >= 0) {
        searchDirs = dirs.slice(found + 1);
        angled = true;
      }
    }
    const shown = spec.angled ? `<${spec.name}>` : `"${spec.name}"`;
    const host = this.opts.host;
    const resolved = guarded(() => host.resolveInclude(spec.name, frame.actual, angled, searchDirs));
    if (resolved === undefined) {
      this.report(frame, 'error', spec.line, spec.col, `cannot find include file ${shown}`);
      return;
    }
    if (this.onceFiles.has(resolved)) return;
    if (at.text === 'import') this.onceFiles.add(resolved);
    if (frame.chain.length + 1 > MAX_INCLUDE_DEPTH) {
      const recursive = this.frames.some((f) => f.actual === resolved);
      this.report(frame, 'error', spec.line, spec.col, recursive
        ? `#include nested more than ${MAX_INCLUDE_DEPTH} levels deep: ${shown} includes itself recursively`
        : `#include nested more than ${MAX_INCLUDE_DEPTH} levels deep`);
      for (const f of this.frames) if (f.chain.length > 0) f.includesDisabled = true;
      return;
    }
    if (this.totalLines > MAX_TOTAL_LINES) {
      if (!this.totalLinesReported) {
        this.report(frame, 'error', spec.line, spec.col, `more than ${MAX_TOTAL_LINES} lines included; further #include directives are ignored`);
        this.totalLinesReported = true;
      }
      return;
    }
    const content = guarded(() => host.readFile(resolved));
    if (content === undefined) {
      this.report(frame, 'error', spec.line, spec.col, `cannot read include file ${shown}`);
      return;
    }
    this.processFile(content, resolved, [...frame.chain, { file: frame.presumed, line: ll.first + 1 + frame.lineDelta }]);
  }

  // --- macro definitions ---

  private defineFromText(frame: FileFrame, text: string): void {
    const ll: LogicalLine = { text, segs: [0, 0, 0], first: 0, count: 1 };
    const m = this.parseDefine(frame, tokenizeLine(ll, 0, false), { kind: 'ident', text: 'define', line: 0, col: 0 });
    if (m) this.macros.set(m.name, m);
  }

  private install(frame: FileFrame, m: Macro): void {
    const prev = this.macros.get(m.name);
    if (prev && prev.signature !== m.signature) {
      this.reportAt(frame, 'warning', m.nameTok, `"${m.name}" redefined (previous definition at ${prev.where})`);
    }
    this.macros.set(m.name, m);
  }

  private parseDefine(frame: FileFrame, toks: readonly Token[], at: Token): Macro | undefined {
    let k = skipWs(toks, 0);
    const nameTok = toks[k];
    if (!nameTok) {
      this.reportAt(frame, 'error', at, 'no macro name given in #define directive');
      return undefined;
    }
    if (nameTok.kind !== 'ident') {
      this.reportAt(frame, 'error', nameTok, 'macro names must be identifiers');
      return undefined;
    }
    if (nameTok.text === 'defined') {
      this.reportAt(frame, 'error', nameTok, '"defined" cannot be used as a macro name');
      return undefined;
    }
    const last = toks[toks.length - 1];
    const eol: Token = { kind: 'ws', text: '', line: last.line, col: last.col + last.text.length };
    const fail = (t: Token | undefined, message: string): undefined => {
      this.reportAt(frame, 'error', t ?? eol, message);
      return undefined;
    };
    k++;
    const params: string[] = [];
    let functionLike = false;
    let variadic = false;
    if (isPunct(toks[k], '(')) {
      // Only a `(` touching the name makes a function-like macro.
      functionLike = true;
      k++;
      let afterComma = false;
      for (;;) {
        k = skipWs(toks, k);
        const t = toks[k];
        if (!t) return fail(undefined, "missing ')' in macro parameter list");
        if (isPunct(t, ')') && !afterComma) { k++; break; }
        if (isPunct(t, '...')) {
          variadic = true;
          params.push('__VA_ARGS__');
          k = skipWs(toks, k + 1);
          if (!isPunct(toks[k], ')')) return fail(toks[k], 'expected \')\' after "..."');
          k++;
          break;
        }
        if (t.kind !== 'ident') return fail(t, `expected parameter name, found "${t.text}"`);
        if (t.text === '__VA_ARGS__') return fail(t, '__VA_ARGS__ can only appear in the expansion of a C99 variadic macro');
        if (params.includes(t.text)) return fail(t, `duplicate macro parameter "${t.text}"`);
        params.push(t.text);
        k = skipWs(toks, k + 1);
        const sep = toks[k];
        if (isPunct(sep, '...')) {
          variadic = true;
          k = skipWs(toks, k + 1);
          if (!isPunct(toks[k], ')')) return fail(toks[k], 'expected \')\' after "..."');
          k++;
          break;
        }
        if (isPunct(sep, ')')) { k++; break; }
        if (!isPunct(sep, ',')) return fail(sep, sep ? `expected ',' or ')', found "${sep.text}"` : "missing ')' in macro parameter list");
        k++;
        afterComma = true;
      }
    } else if (k < toks.length && toks[k].kind !== 'ws') {
      this.reportAt(frame, 'warning', toks[k], 'missing whitespace after the macro name');
    }

    let bodyEnd = toks.length;
    while (bodyEnd > k && toks[bodyEnd - 1].kind === 'ws') bodyEnd--;
    k = skipWs(toks, k);
    const body: BodyItem[] = [];
    let vaWarned = false;
    for (let j = k; j < bodyEnd; j++) {
      const t = toks[j];
      if (t.kind === 'ws') {
        body.push({ tok: { kind: 'ws', text: ' ', line: t.line, col: t.col }, role: 'plain', param: -1 });
        continue;
      }
      if (t.kind === 'ident') {
        const p = functionLike ? params.indexOf(t.text) : -1;
        if (p >= 0) {
          body.push({ tok: t, role: 'param', param: p });
          continue;
        }
        if (t.text === '__VA_ARGS__' && !vaWarned) {
          this.reportAt(frame, 'warning', t, '__VA_ARGS__ can only appear in the expansion of a C99 variadic macro');
          vaWarned = true;
        }
      } else if (isPunct(t, '##')) {
        body.push({ tok: t, role: 'paste', param: -1 });
        continue;
      } else if (functionLike && isPunct(t, '#')) {
        const n = skipWs(toks, j + 1);
        const p = n < bodyEnd && toks[n].kind === 'ident' ? params.indexOf(toks[n].text) : -1;
        if (p >= 0) {
          body.push({ tok: toks[n], role: 'stringify', param: p });
          j = n;
          continue;
        }
        // Otherwise a plain `#`: in assembler-with-cpp mode it is kept, as it may start a comment.
      }
      body.push({ tok: t, role: 'plain', param: -1 });
    }
    const edge = body.length ? [body[0], body[body.length - 1]].find((b) => b.role === 'paste') : undefined;
    if (edge) return fail(edge.tok, "'##' cannot appear at either end of a macro expansion");

    const spelled = body.map((b) => (b.role === 'stringify' ? '#' : '') + b.tok.text).join('');
    const signature = `${functionLike ? `(${params.join(',')}${variadic ? '...' : ''})` : ''} ${spelled}`;
    return {
      name: nameTok.text, functionLike, params, variadic, body, signature,
      where: `${frame.presumed}:${nameTok.line + 1 + frame.lineDelta}`, nameTok,
    };
  }

  // --- macro expansion ---

  /**
   * Expands `tokens` with the hide-set algorithm (Prosser's, as used by GCC): a token never
   * expands a macro whose name is in its hide set, which is how the "blue paint" rule survives
   * rescanning. `feed` lets an invocation take its arguments from the following source lines.
   */
  private expand(tokens: readonly Token[], ctx: ExpandCtx, feed: LineFeed | undefined, depth: number): Token[] {
    const input: Token[] = [];
    pushReversed(input, tokens);
    const out: Token[] = [];
    while (input.length > 0) {
      if (this.exhausted) {
        while (input.length > 0) out.push(input.pop() as Token);
        break;
      }
      const t = input.pop() as Token;
      this.charge(1);
      if (t.kind !== 'ident') {
        out.push(t);
        continue;
      }
      if (ctx.inIf && t.text === 'defined') {
        out.push(this.evalDefined(t, input, ctx));
        continue;
      }
      if (ctx.inIf && (t.text === '__has_include' || t.text === '__has_include_next')) {
        out.push(this.evalHasInclude(t, input, ctx));
        continue;
      }
      const m = this.macros.get(t.text);
      if (!m || t.hide?.has(t.text)) {
        out.push(t);
        continue;
      }
      if (m.builtin) {
        out.push(this.builtinToken(m.builtin, t, ctx));
        continue;
      }
      if (!m.functionLike) {
        pushReversed(input, this.substitute(m, [], withName(t.hide, m.name), t, ctx, depth));
        continue;
      }
      if (!this.parenFollows(input, feed)) {
        out.push(t);
        continue;
      }
      const call = this.collectArgs(m, t, input, feed, ctx);
      if (!call) {
        out.push(t);
        continue;
      }
      const hs = withName(intersect(t.hide, call.close.hide), m.name);
      pushReversed(input, this.substitute(m, call.args, hs, t, ctx, depth));
    }
    return out;
  }

  private evalDefined(t: Token, input: Token[], ctx: ExpandCtx): Token {
    // The operand is taken raw from the input so that it is not macro-expanded.
    const next = (): Token | undefined => {
      while (input.length > 0 && input[input.length - 1].kind === 'ws') input.pop();
      return input.pop();
    };
    let u = next();
    const paren = isPunct(u, '(');
    if (paren) u = next();
    let value = false;
    if (!u || u.kind !== 'ident') {
      this.ifError(ctx, u ?? t, 'operator "defined" requires an identifier');
    } else {
      // GCC reports the __has_include operators as defined so that headers can test for them.
      value = this.macros.has(u.text) || u.text === '__has_include' || u.text === '__has_include_next';
      if (paren) {
        const close = next();
        if (!isPunct(close, ')')) this.ifError(ctx, close ?? u, 'missing \')\' after "defined"');
      }
    }
    return { kind: 'number', text: value ? '1' : '0', line: t.line, col: t.col, hide: withName(t.hide, 'defined') };
  }

  private evalHasInclude(t: Token, input: Token[], ctx: ExpandCtx): Token {
    const next = (): Token | undefined => {
      while (input.length > 0 && input[input.length - 1].kind === 'ws') input.pop();
      return input.pop();
    };
    const result = (value: boolean): Token => ({ kind: 'number', text: value ? '1' : '0', line: t.line, col: t.col, hide: withName(t.hide, t.text) });
    const open = next();
    if (!isPunct(open, '(')) {
      this.ifError(ctx, open ?? t, `missing '(' after "${t.text}"`);
      return result(false);
    }
    const u = next();
    let spec: { name: string; angled: boolean } | undefined;
    if (u?.kind === 'string' && u.text.length >= 2 && u.text.endsWith('"')) {
      spec = { name: u.text.slice(1, -1), angled: false };
    } else if (isPunct(u, '<')) {
      // <name> is not one token here; its pieces are joined back as written.
      let name = '';
      let closed = false;
      for (let x = input.pop(); x && !closed; x = closed ? undefined : input.pop()) {
        if (isPunct(x, '>')) closed = true;
        else name += x.text;
      }
      if (closed && name !== '') spec = { name, angled: true };
    }
    if (!spec) {
      this.ifError(ctx, u ?? t, `operator "${t.text}" requires a header-name`);
      return result(false);
    }
    const close = next();
    if (!isPunct(close, ')')) {
      this.ifError(ctx, close ?? t, `missing ')' after "${t.text}" operand`);
      return result(false);
    }
    const frame = ctx.frame;
    const dirs = this.opts.includeDirs ?? [];
    const found = spec.name !== '' && guarded(() => this.opts.host.resolveInclude(spec.name, frame.actual, spec.angled, dirs)) !== undefined;
    return result(found);
  }

  private ifError(ctx: ExpandCtx, tok: Token, message: string): void {
    if (!ctx.failed) this.reportAt(ctx.frame, 'error', tok, message);
    ctx.failed = true;
  }

  private builtinToken(name: Builtin, t: Token, ctx: ExpandCtx): Token {
    const frame = ctx.frame;
    const hide = withName(t.hide, name);
    const make = (kind: TokKind, text: string): Token => ({ kind, text, line: t.line, col: t.col, hide });
    switch (name) {
      case '__FILE__': return make('string', quote(frame.presumed));
      case '__BASE_FILE__': return make('string', quote(this.baseFile));
      case '__LINE__': return make('number', String(ctx.line + 1 + frame.lineDelta));
      case '__COUNTER__': return make('number', String(this.counter++));
      default: return make('number', String(frame.chain.length));
    }
  }

  private parenFollows(input: readonly Token[], feed: LineFeed | undefined): boolean {
    for (let k = input.length - 1; k >= 0; k--) {
      if (input[k].kind !== 'ws') return isPunct(input[k], '(');
    }
    return feed !== undefined && feed.parenFollows();
  }

  private collectArgs(m: Macro, name: Token, input: Token[], feed: LineFeed | undefined, ctx: ExpandCtx): { args: Token[][]; close: Token } | undefined {
    const consumed: Token[] = [];
    const take = (): Token | undefined => {
      if (input.length === 0 && feed) {
        const more = feed.pull();
        if (more) pushReversed(input, more);
      }
      const t = input.pop();
      if (t) {
        consumed.push(t);
        this.charge(1);
      }
      return t;
    };
    // A failed invocation gives its tokens back, so that they are still output (and expanded).
    const giveBack = (): undefined => {
      pushReversed(input, consumed);
      return undefined;
    };
    let t = take();
    while (t && t.kind === 'ws') t = take();
    if (!isPunct(t, '(')) return giveBack();

    const args: Token[][] = [[]];
    const vaIndex = m.variadic ? m.params.length - 1 : -1;
    let nesting = 0;
    let close: Token | undefined;
    for (t = take(); t; t = take()) {
      if (t.kind === 'punct') {
        if (t.text === '(') nesting++;
        else if (t.text === ')') {
          if (nesting === 0) { close = t; break; }
          nesting--;
        } else if (t.text === ',' && nesting === 0 && args.length - 1 !== vaIndex) {
          args.push([]);
          continue;
        }
      }
      args[args.length - 1].push(t);
      if (this.exhausted) break;
    }
    if (!close) {
      if (!ctx.unterminatedReported && !this.exhausted) this.reportAt(ctx.frame, 'error', name, `unterminated argument list invoking macro "${m.name}"`);
      ctx.unterminatedReported = true;
      ctx.failed = ctx.failed || ctx.inIf;
      return giveBack();
    }
    const trimmed = args.map((a) => {
      let s = 0, e = a.length;
      while (s < e && a[s].kind === 'ws') s++;
      while (e > s && a[e - 1].kind === 'ws') e--;
      return a.slice(s, e);
    });
    const want = m.params.length;
    if (want === 0 && trimmed.length === 1 && trimmed[0].length === 0) return { args: [], close };
    if (m.variadic && trimmed.length === want - 1) trimmed.push([]);
    if (trimmed.length !== want) {
      const message = trimmed.length < want
        ? `macro "${m.name}" requires ${m.variadic ? 'at least ' : ''}${m.variadic ? want - 1 : want} argument${want === 1 ? '' : 's'}, but only ${trimmed.length} given`
        : `macro "${m.name}" passed ${trimmed.length} arguments, but takes just ${want}`;
      if (ctx.inIf) this.ifError(ctx, name, message);
      else this.reportAt(ctx.frame, 'error', name, message);
      return giveBack();
    }
    return { args: trimmed, close };
  }

  private expandArgument(arg: readonly Token[], ctx: ExpandCtx, depth: number): Token[] {
    if (depth >= MAX_ARGUMENT_NESTING) {
      if (!this.nestingReported) this.reportAt(ctx.frame, 'error', arg[0] ?? { kind: 'ws', text: '', line: ctx.line, col: 0 }, 'macro arguments nested too deeply');
      this.nestingReported = true;
      return [...arg];
    }
    return this.expand(arg, ctx, undefined, depth + 1);
  }

  private substitute(m: Macro, args: readonly Token[][], hs: ReadonlySet<string>, at: Token, ctx: ExpandCtx, depth: number): Token[] {
    const body = m.body;
    const vaIndex = m.variadic ? m.params.length - 1 : -1;
    const expanded: Token[][] = [];
    const work: Token[] = [];
    // Checked per item: nested invocations return here one level at a time, and each level
    // could otherwise copy an argument that already exhausted the budget again.
    for (let i = 0; i < body.length && !this.exhausted; i++) {
      const item = body[i];
      switch (item.role) {
        case 'stringify': {
          const text = stringify(args[item.param] ?? []);
          this.charge(text.length);
          work.push({ kind: 'string', text, line: at.line, col: at.col });
          break;
        }
        case 'param': {
          const arg = args[item.param] ?? [];
          if (neighbour(body, i, -1)?.role === 'paste' || neighbour(body, i, 1)?.role === 'paste') {
            // Operands of ## are used as written, not macro-expanded.
            if (arg.length === 0) work.push({ kind: 'placemarker', text: '', line: at.line, col: at.col });
            else append(work, arg);
          } else {
            expanded[item.param] ??= this.expandArgument(arg, ctx, depth);
            append(work, expanded[item.param]);
            this.charge(expanded[item.param].length);
          }
          break;
        }
        case 'paste': {
          const prev = neighbour(body, i, -1);
          const next = neighbour(body, i, 1);
          if (vaIndex >= 0 && prev?.role === 'plain' && prev.tok.text === ',' && next?.role === 'param' && next.param === vaIndex) {
            // GNU `, ## __VA_ARGS__`: drop the comma when there are no variable arguments, never paste.
            while (work.length > 0 && work[work.length - 1].kind === 'ws') work.pop();
            if ((args[vaIndex] ?? []).length === 0) work.pop();
            while (i + 1 < body.length && body[i + 1].tok.kind === 'ws') i++;
            break;
          }
          work.push({ kind: 'paste', text: '##', line: at.line, col: at.col });
          break;
        }
        default:
          work.push({ kind: item.tok.kind, text: item.tok.text, line: at.line, col: at.col });
      }
    }

    const pasted: Token[] = [];
    for (let i = 0; i < work.length; i++) {
      const t = work[i];
      if (t.kind !== 'paste') {
        pasted.push(t);
        continue;
      }
      while (pasted.length > 0 && pasted[pasted.length - 1].kind === 'ws') pasted.pop();
      let j = i + 1;
      while (j < work.length && work[j].kind === 'ws') j++;
      const left = pasted.pop();
      const right = work[j];
      i = j;
      if (!left || !right) {
        const only = left ?? right;
        if (only) pasted.push(only);
        continue;
      }
      append(pasted, this.paste(left, right));
    }

    const result: Token[] = [];
    for (const t of pasted) {
      if (t.kind === 'placemarker') continue;
      result.push(t.kind === 'ws' ? t : { kind: t.kind, text: t.text, line: t.line, col: t.col, hide: union(t.hide, hs) });
    }
    this.charge(result.length);
    return result;
  }

  private paste(left: Token, right: Token): Token[] {
    if (left.kind === 'placemarker') return [right];
    if (right.kind === 'placemarker') return [left];
    const text = left.text + right.text;
    this.charge(text.length);
    // In assembler mode GCC accepts a paste that does not form one token and keeps the pieces.
    return lexDetached(text, left.line, left.col);
  }
}

function stringify(arg: readonly Token[]): string {
  let s = '';
  let space = false;
  for (const t of arg) {
    if (t.kind === 'ws') {
      space = s.length > 0;
      continue;
    }
    if (space) s += ' ';
    space = false;
    s += t.kind === 'string' || t.kind === 'char' ? t.text.replace(/[\\"]/g, '\\$&') : t.text;
  }
  return '"' + s + '"';
}

/** Host callbacks are outside our control; a throwing one counts as "not found". */
function guarded<T>(f: () => T | undefined): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/**
 * Runs the preprocessor over `text`, the contents of `file`. Never throws: every problem is
 * reported in `diagnostics` and processing goes on.
 */
export function preprocess(text: string, file: string, opts: PreprocessOptions): { lines: PreprocessedLine[]; diagnostics: PreprocessorDiagnostic[] } {
  const pp = new Preprocessor(opts, file);
  try {
    pp.run(text);
  } catch (e) {
    pp.diagnostics.push({
      severity: 'error', file, line: 1, column: 1, includeChain: [],
      message: `internal preprocessor error: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  return { lines: pp.lines, diagnostics: pp.diagnostics };
}

/** Host on the real file system. `"x.h"` is searched in the including file's directory, then `searchDirs`; `<x.h>` only in `searchDirs`. */
export function defaultHost(): PreprocessorHost {
  const isFile = (p: string): boolean => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  return {
    readFile(p: string): string | undefined {
      try {
        return fs.readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    resolveInclude(name: string, fromFile: string, angled: boolean, searchDirs: string[]): string | undefined {
      if (path.isAbsolute(name)) return isFile(name) ? name : undefined;
      const dirs = angled ? searchDirs : [path.dirname(fromFile), ...searchDirs];
      for (const d of dirs) {
        const candidate = path.join(d, name);
        if (isFile(candidate)) return candidate;
      }
      return undefined;
    },
  };
}
