// Debug Console and condition expressions: C-like arithmetic over 64-bit values with registers
// (ABI or x names, pc), CSRs (by name), symbols (their address), memory through casts
// (`*(u64*)(sp+8)`, `*(u8*)buf`) and `$`-prefixed names when a symbol shadows a register.
// Values are BigInts wrapped to 64 bits; comparisons and logic give 0 or 1.

export interface EvalContext {
  register(name: string): bigint | undefined;
  csr(name: string): bigint | undefined;
  symbol(name: string): bigint | undefined;
  /** `size` bytes (1, 2, 4, 8) at a virtual address, little-endian, or undefined if unmapped. */
  readMemory(address: bigint, size: number): bigint | undefined;
}

export class EvalError extends Error {}

type Tok = { k: 'num'; v: bigint } | { k: 'id'; v: string } | { k: 'op'; v: string };

const OPS = ['<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '&', '|', '^', '~', '!', '<', '>', '(', ')', '?', ':'];

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    const num = /^(0x[0-9a-fA-F_]+|0b[01_]+|0o[0-7_]+|[0-9][0-9_]*)/.exec(text.slice(i));
    if (num) {
      out.push({ k: 'num', v: BigInt(num[1].replace(/_/g, '')) });
      i += num[1].length;
      continue;
    }
    const id = /^[$A-Za-z_.][$A-Za-z0-9_.]*/.exec(text.slice(i));
    if (id) { out.push({ k: 'id', v: id[0] }); i += id[0].length; continue; }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new EvalError(`unexpected '${c}' at column ${i + 1}`);
    out.push({ k: 'op', v: op });
    i += op.length;
  }
  return out;
}

const M64 = (1n << 64n) - 1n;
const wrap = (v: bigint) => v & M64;
const signed = (v: bigint) => BigInt.asIntN(64, v);

const CASTS: Record<string, number> = { u8: 1, i8: 1, s8: 1, char: 1, u16: 2, i16: 2, s16: 2, u32: 4, i32: 4, s32: 4, int: 4, u64: 8, i64: 8, s64: 8, long: 8 };

const BINARY: readonly (readonly string[])[] = [
  ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
];

/** Evaluates an expression to an unsigned 64-bit value; throws EvalError with a readable message. */
export function evaluateExpression(text: string, ctx: EvalContext): bigint {
  const toks = tokenize(text);
  if (!toks.length) throw new EvalError('empty expression');
  let pos = 0;
  const peek = (): Tok | undefined => toks[pos];
  const isOp = (v: string) => { const t = peek(); return t?.k === 'op' && t.v === v; };
  const expect = (v: string) => { if (!isOp(v)) throw new EvalError(`expected '${v}'${peek() ? ` before '${show(peek()!)}'` : ' at the end'}`); pos++; };

  const ternary = (): bigint => {
    const c = binary(0);
    if (!isOp('?')) return c;
    pos++;
    const a = ternary();
    expect(':');
    const b = ternary();
    return c !== 0n ? a : b;
  };

  const binary = (level: number): bigint => {
    if (level >= BINARY.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const t = peek();
      if (t?.k !== 'op' || !BINARY[level].includes(t.v)) return left;
      pos++;
      const right = binary(level + 1);
      left = applyBinary(t.v, left, right);
    }
  };

  const unary = (): bigint => {
    const t = peek();
    if (t?.k === 'op') {
      if (t.v === '-') { pos++; return wrap(-unary()); }
      if (t.v === '~') { pos++; return wrap(~unary()); }
      if (t.v === '!') { pos++; return unary() === 0n ? 1n : 0n; }
      if (t.v === '*') {
        pos++;
        // *(type*)expr reads that many bytes; a bare *expr reads 8.
        let size = 8;
        const cast = castAt(pos);
        if (cast) { size = cast.size; pos = cast.next; }
        const addr = unary();
        const v = ctx.readMemory(addr, size);
        if (v === undefined) throw new EvalError(`cannot read ${size} byte${size > 1 ? 's' : ''} at 0x${addr.toString(16)} (not mapped)`);
        return v;
      }
      if (t.v === '(') {
        const cast = castAt(pos);
        if (cast) { pos = cast.next; return unary(); }
        pos++;
        const v = ternary();
        expect(')');
        return v;
      }
    }
    return primary();
  };

  /** `(u64*)` or `(u64)` at index i: the size and the index after it. */
  const castAt = (i: number): { size: number; next: number } | undefined => {
    const a = toks[i], b = toks[i + 1], c = toks[i + 2], d = toks[i + 3];
    if (a?.k !== 'op' || a.v !== '(' || b?.k !== 'id' || !(b.v in CASTS)) return undefined;
    if (c?.k === 'op' && c.v === '*' && d?.k === 'op' && d.v === ')') return { size: CASTS[b.v], next: i + 4 };
    if (c?.k === 'op' && c.v === ')') return { size: CASTS[b.v], next: i + 3 };
    return undefined;
  };

  const primary = (): bigint => {
    const t = peek();
    if (!t) throw new EvalError('unexpected end of expression');
    pos++;
    if (t.k === 'num') return wrap(t.v);
    if (t.k === 'id') return wrap(lookup(t.v, ctx));
    throw new EvalError(`unexpected '${t.v}'`);
  };

  const v = ternary();
  if (pos < toks.length) throw new EvalError(`unexpected '${show(toks[pos])}'`);
  return v;
}

function show(t: Tok): string { return t.k === 'num' ? t.v.toString() : t.v; }

function lookup(name: string, ctx: EvalContext): bigint {
  const bare = name.startsWith('$') ? name.slice(1) : name;
  // `$name` prefers registers and CSRs; a plain name prefers a symbol only when it is no register.
  const v = ctx.register(bare) ?? (name.startsWith('$') ? ctx.csr(bare) ?? ctx.symbol(bare) : ctx.symbol(bare) ?? ctx.csr(bare));
  if (v === undefined) throw new EvalError(`unknown name '${name}' (not a register, CSR or symbol)`);
  return v;
}

function applyBinary(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case '+': return wrap(a + b);
    case '-': return wrap(a - b);
    case '*': return wrap(a * b);
    case '/': if (b === 0n) throw new EvalError('division by zero'); return wrap(a / b);
    case '%': if (b === 0n) throw new EvalError('division by zero'); return wrap(a % b);
    case '<<': return wrap(a << (b & 63n));
    case '>>': return a >> (b & 63n);
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    // Ordering is signed, as for C's `long`: `sp < 0x80000000` and `a0 < 0` both read naturally.
    case '<': return signed(a) < signed(b) ? 1n : 0n;
    case '<=': return signed(a) <= signed(b) ? 1n : 0n;
    case '>': return signed(a) > signed(b) ? 1n : 0n;
    case '>=': return signed(a) >= signed(b) ? 1n : 0n;
    case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
    case '||': return a !== 0n || b !== 0n ? 1n : 0n;
  }
  throw new EvalError(`unknown operator '${op}'`);
}

/** Formats a value as the variables views do: hex by default, or signed decimal. */
export function formatValue(v: bigint, hex: boolean): string {
  return hex ? `0x${wrap(v).toString(16)}` : signed(v).toString();
}
