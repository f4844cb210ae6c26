// Expressions as GNU as reads them: its operator precedence (not C's), 64-bit wrap-around,
// logical `>>`, comparisons yielding -1 for true, and the RISC-V relocation operators.

export type RelocFn = 'hi' | 'lo' | 'pcrel_hi' | 'pcrel_lo';
export const RELOC_FNS: readonly RelocFn[] = ['hi', 'lo', 'pcrel_hi', 'pcrel_lo'];

export type Expr =
  | { t: 'num'; v: bigint; col: number }
  | { t: 'sym'; name: string; col: number }
  | { t: 'un'; op: '-' | '~' | '!' | '+'; e: Expr; col: number }
  | { t: 'bin'; op: string; l: Expr; r: Expr; col: number }
  | { t: 'reloc'; fn: RelocFn; e: Expr; col: number };

export class ExprError extends Error {
  constructor(message: string, readonly col: number) { super(message); }
}

export interface ExprContext {
  /** Name for a numeric local label reference `1b`/`1f`. */
  localLabel(n: string, dir: 'b' | 'f', col: number): string;
  /** Name of a label standing for the current location `.`. */
  dot(): string;
}

const MASK64 = (1n << 64n) - 1n;
export const wrap64 = (v: bigint): bigint => BigInt.asIntN(64, v);

// gas precedence, highest first; `!` binary is "or not".
const LEVELS: readonly (readonly string[])[] = [
  ['||', '&&'],
  ['+', '-', '==', '<>', '!=', '<', '>', '>=', '<='],
  ['|', '&', '^', '!'],
  ['*', '/', '%', '<<', '>>'],
];

interface Tok { k: 'num' | 'id' | 'op' | 'str' | 'end'; s: string; v?: bigint; col: number }

// Bounds that keep parsing and evaluation (both recursive) far from the stack's end on random
// input; real expressions are a few dozen tokens deep at most.
const MAX_TOKENS = 4096;
const MAX_NESTING = 256;

const OPS = ['<<', '>>', '<=', '>=', '==', '!=', '<>', '&&', '||', '+', '-', '*', '/', '%', '&', '|', '^', '~', '!', '<', '>', '(', ')', ','];

/** Tokenizes the expression text starting at `start` in `text` (columns are 1-based in the line). */
export class ExprLexer {
  private toks: Tok[] = [];
  private i = 0;
  /** Open parentheses and unary operators being parsed (bounded by MAX_NESTING). */
  nesting = 0;

  constructor(readonly text: string, readonly colBase: number) {
    let p = 0;
    const n = text.length;
    while (p < n) {
      const c = text[p];
      if (c === ' ' || c === '\t') { p++; continue; }
      const col = colBase + p;
      const rest = text.slice(p);
      let m: RegExpMatchArray | null;
      if ((m = rest.match(/^0[xX][0-9a-fA-F]+/))) { this.toks.push({ k: 'num', s: m[0], v: BigInt(m[0]), col }); p += m[0].length; continue; }
      if ((m = rest.match(/^0[bB][01]+(?![\w$])/))) { this.toks.push({ k: 'num', s: m[0], v: BigInt(m[0]), col }); p += m[0].length; continue; }
      if ((m = rest.match(/^(\d+)([bf])(?![\w$.])/))) { this.toks.push({ k: 'id', s: `\u0000${m[1]}${m[2]}`, col }); p += m[0].length; continue; }
      if ((m = rest.match(/^\d+/))) {
        const s = m[0];
        if (/^[\w$.]/.test(rest.slice(s.length))) throw new ExprError(`bad number '${rest.match(/^[\w$.]+/)![0]}'`, col);
        const v = s.length > 1 && s[0] === '0' ? (/^[0-7]+$/.test(s) ? BigInt('0o' + s.slice(1)) : undefined) : BigInt(s);
        if (v === undefined) throw new ExprError(`bad octal number '${s}'`, col);
        this.toks.push({ k: 'num', s, v, col }); p += s.length; continue;
      }
      if (c === "'") {
        const r = readCharLiteral(text, p + 1);
        if (!r) throw new ExprError('bad character constant', col);
        this.toks.push({ k: 'num', s: text.slice(p, r.end), v: BigInt(r.value), col });
        p = r.end;
        continue;
      }
      if ((m = rest.match(/^[A-Za-z_.$][\w.$]*/))) { this.toks.push({ k: 'id', s: m[0], col }); p += m[0].length; continue; }
      if (c === '%' && /^%[A-Za-z_]/.test(rest)) {
        m = rest.match(/^%([A-Za-z_]\w*)/)!;
        this.toks.push({ k: 'op', s: '%' + m[1], col }); p += m[0].length; continue;
      }
      const op = OPS.find((o) => rest.startsWith(o));
      if (op) { this.toks.push({ k: 'op', s: op, col }); p += op.length; continue; }
      if (c === '"') throw new ExprError('unexpected string in expression', col);
      throw new ExprError(`unexpected character '${c}' in expression`, col);
    }
    if (this.toks.length > MAX_TOKENS) throw new ExprError(`expression too long (more than ${MAX_TOKENS} tokens)`, colBase);
    this.toks.push({ k: 'end', s: '', col: colBase + n });
  }

  peek(): Tok { return this.toks[this.i]; }
  next(): Tok { return this.toks[this.i++]; }
  atEnd(): boolean { return this.toks[this.i].k === 'end'; }
}

function readCharLiteral(text: string, p: number): { value: number; end: number } | undefined {
  if (p >= text.length) return undefined;
  let value: number;
  if (text[p] === '\\') {
    const e = text[p + 1];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, b: 8, f: 12, v: 11, a: 7 };
    if (e === undefined || !(e in simple)) return undefined;
    value = simple[e];
    p += 2;
  } else {
    value = text.charCodeAt(p);
    p += 1;
  }
  if (text[p] === "'") p++;
  return { value, end: p };
}

export function parseExpr(lx: ExprLexer, ctx: ExprContext): Expr {
  return parseLevel(lx, ctx, 0);
}

function parseLevel(lx: ExprLexer, ctx: ExprContext, level: number): Expr {
  if (level === LEVELS.length) return parseUnary(lx, ctx);
  let l = parseLevel(lx, ctx, level + 1);
  for (;;) {
    const t = lx.peek();
    if (t.k !== 'op' || !LEVELS[level].includes(t.s)) return l;
    lx.next();
    const r = parseLevel(lx, ctx, level + 1);
    l = { t: 'bin', op: t.s, l, r, col: t.col };
  }
}

function parseUnary(lx: ExprLexer, ctx: ExprContext): Expr {
  if (lx.nesting >= MAX_NESTING) throw new ExprError(`expression nested too deeply (more than ${MAX_NESTING} levels)`, lx.peek().col);
  lx.nesting++;
  try {
    return parsePrimary(lx, ctx);
  } finally {
    lx.nesting--;
  }
}

function parsePrimary(lx: ExprLexer, ctx: ExprContext): Expr {
  const t = lx.next();
  if (t.k === 'num') return { t: 'num', v: t.v!, col: t.col };
  if (t.k === 'id') {
    if (t.s[0] === '\u0000') return { t: 'sym', name: ctx.localLabel(t.s.slice(1, -1), t.s.slice(-1) as 'b' | 'f', t.col), col: t.col };
    if (t.s === '.') return { t: 'sym', name: ctx.dot(), col: t.col };
    return { t: 'sym', name: t.s, col: t.col };
  }
  if (t.k === 'op') {
    if (t.s === '(') {
      const e = parseExpr(lx, ctx);
      const c = lx.next();
      if (c.s !== ')') throw new ExprError("missing ')'", c.col);
      return e;
    }
    if (t.s === '-' || t.s === '~' || t.s === '!' || t.s === '+') return { t: 'un', op: t.s, e: parseUnary(lx, ctx), col: t.col };
    if (t.s[0] === '%') {
      const fn = t.s.slice(1);
      if (!(RELOC_FNS as readonly string[]).includes(fn)) throw new ExprError(`unsupported relocation operator '%${fn}' (supported: %hi, %lo, %pcrel_hi, %pcrel_lo)`, t.col);
      const o = lx.next();
      if (o.s !== '(') throw new ExprError(`'(' expected after %${fn}`, o.col);
      const e = parseExpr(lx, ctx);
      const c = lx.next();
      if (c.s !== ')') throw new ExprError("missing ')'", c.col);
      return { t: 'reloc', fn: fn as RelocFn, e, col: t.col };
    }
  }
  if (t.k === 'end') throw new ExprError('expression expected', t.col);
  throw new ExprError(`unexpected '${t.s}' in expression`, t.col);
}

const PLAIN_NUMBER = /^-?(?:0[xX][0-9a-fA-F]+|[1-9][0-9]*|0)$/;
const PLAIN_SYMBOL = /^[A-Za-z_$][\w.$]*$/;

/** Parses a whole string as one expression. */
export function parseExpression(text: string, colBase: number, ctx: ExprContext): Expr {
  // Fast paths for the two commonest operands: a plain number and a plain symbol.
  if (PLAIN_NUMBER.test(text)) {
    const neg = text[0] === '-';
    const v = BigInt(neg ? text.slice(1) : text);
    return { t: 'num', v: neg ? -v : v, col: colBase };
  }
  if (PLAIN_SYMBOL.test(text)) return { t: 'sym', name: text, col: colBase };
  const lx = new ExprLexer(text, colBase);
  const e = parseExpr(lx, ctx);
  if (!lx.atEnd()) {
    const t = lx.peek();
    throw new ExprError(`junk '${text.slice(t.col - colBase).trim()}' after expression`, t.col);
  }
  return e;
}

/** Returns the value, or undefined when a symbol is not (yet) known. */
export type SymbolLookup = (name: string, col: number) => bigint | undefined;

export function evaluate(e: Expr, lookup: SymbolLookup): bigint | undefined {
  switch (e.t) {
    case 'num': return wrap64(e.v);
    case 'sym': return lookup(e.name, e.col);
    case 'un': {
      const v = evaluate(e.e, lookup);
      if (v === undefined) return undefined;
      switch (e.op) {
        case '-': return wrap64(-v);
        case '~': return wrap64(~v);
        case '!': return v === 0n ? 1n : 0n;
        default: return v;
      }
    }
    case 'bin': {
      const l = evaluate(e.l, lookup);
      const r = evaluate(e.r, lookup);
      if (l === undefined || r === undefined) return undefined;
      return binary(e.op, l, r, e.col);
    }
    case 'reloc': {
      const v = evaluate(e.e, lookup);
      if (v === undefined) return undefined;
      if (e.fn === 'hi') return hi20(v);
      if (e.fn === 'lo') return lo12(v);
      // pc-relative operators need the instruction's address: the caller handles them.
      return undefined;
    }
  }
}

function binary(op: string, l: bigint, r: bigint, col: number): bigint {
  const T = -1n;
  switch (op) {
    case '+': return wrap64(l + r);
    case '-': return wrap64(l - r);
    case '*': return wrap64(l * r);
    case '/': if (r === 0n) throw new ExprError('division by zero', col); return wrap64(l / r);
    case '%': if (r === 0n) throw new ExprError('division by zero', col); return wrap64(l % r);
    case '<<': return r >= 64n || r < 0n ? 0n : wrap64(l << r);
    case '>>': return r >= 64n || r < 0n ? 0n : wrap64((l & MASK64) >> r);
    case '&': return l & r;
    case '|': return l | r;
    case '^': return l ^ r;
    case '!': return wrap64(l | ~r);
    case '==': return l === r ? T : 0n;
    case '!=': case '<>': return l !== r ? T : 0n;
    case '<': return l < r ? T : 0n;
    case '>': return l > r ? T : 0n;
    case '<=': return l <= r ? T : 0n;
    case '>=': return l >= r ? T : 0n;
    case '&&': return l !== 0n && r !== 0n ? 1n : 0n;
    case '||': return l !== 0n || r !== 0n ? 1n : 0n;
  }
  throw new ExprError(`unknown operator ${op}`, col);
}

/** %hi: the upper 20 bits, rounded so that adding %lo (sign-extended) gives the value. */
export const hi20 = (v: bigint): bigint => ((BigInt.asUintN(64, v) + 0x800n) >> 12n) & 0xfffffn;
/** %lo: the low 12 bits as a signed value. */
export const lo12 = (v: bigint): bigint => BigInt.asIntN(12, v);

/** Symbols an expression mentions (for "undefined symbol" reports and dependency checks). */
export function symbolsOf(e: Expr, out: string[] = []): string[] {
  if (e.t === 'sym') out.push(e.name);
  else if (e.t === 'un' || e.t === 'reloc') symbolsOf(e.e, out);
  else if (e.t === 'bin') { symbolsOf(e.l, out); symbolsOf(e.r, out); }
  return out;
}
