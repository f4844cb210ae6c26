// Pseudo-instructions: each expands to base instructions exactly as GNU as expands it (same
// instruction sequence, same registers), so that compressed forms are then chosen the same way.

import { CompiledSpec, compress, encodeWord, specsFor } from '../../emulator/isa/codec';
import { Expr } from './expr';
import type { Assembler } from './assembler';
import { Operand } from './lines';
import { FieldMode, Fixup } from './object';

export type InsnOperand = Operand;

export interface InsnApi {
  readonly asm: Assembler;
  reg(o: InsnOperand): number;
  expr(o: InsnOperand): Expr;
  constOf(e: Expr): bigint | undefined;
  fail(message: string, col?: number): never;
}

/** Returns false when the operands do not fit the pseudo form, so the table's forms are tried. */
type Handler = (api: InsnApi, ops: readonly InsnOperand[], mnemonic: string) => boolean;

const base = (m: string): CompiledSpec => specsFor(m).find((c) => c.length === 4)!;

const ZERO = 0, RA = 1, T1 = 6;

function emit(api: InsnApi, m: string, values: readonly number[], cols: readonly number[] = []): void {
  api.asm.emitInsn(base(m), values, undefined, cols);
}

/**
 * GNU as writes some aliases through opcode-table entries of their own, each allowing only
 * certain compressed forms (`mv` only c.mv, `li` only c.li): anything else stays 4 bytes, even
 * where the base instruction written out would compress (`mv a0, zero` is not c.li).
 */
function emitCompressedOnlyAs(api: InsnApi, allowed: readonly string[], m: string, values: readonly number[], cols: readonly number[] = []): void {
  const c = base(m);
  const z = api.asm.rvcEnabled ? compress(c, values) : undefined;
  if (z && allowed.includes(z.spec.spec.mnemonic)) api.asm.emitRaw16(z.word);
  else api.asm.emitInsn(c, values, undefined, cols, false);
}

/** `ret`, `jr rs` and `jalr rs`: GNU's aliases for c.jr/c.jalr, which the base jalr never becomes. */
function emitJump(api: InsnApi, compressed: 'c.jr' | 'c.jalr', link: number, rs: number): void {
  const c = specsFor(compressed)[0];
  const z = api.asm.rvcEnabled ? encodeWord(c, [rs]) : -1;
  if (z >= 0) api.asm.emitRaw16(z);
  else emit(api, 'jalr', [link, 0, rs]);
}

function emitFix(api: InsnApi, m: string, values: readonly (number | undefined)[], index: number, expr: Expr, mode: FieldMode, hi?: Fixup): Fixup | undefined {
  return api.asm.emitInsn(base(m), values, { index, expr, mode, col: expr.col, hi }, []);
}

function isRegister(api: InsnApi, o: InsnOperand): boolean {
  try { api.reg(o); return true; } catch { return false; }
}

/** `li`: GNU's load_const, so that the instruction sequence is byte-identical. */
export function loadConstSequence(v: bigint): { op: 'lui' | 'addiw' | 'slli' | 'addi'; src: 'rd' | 'zero'; imm: number }[] {
  const out: { op: 'lui' | 'addiw' | 'slli' | 'addi'; src: 'rd' | 'zero'; imm: number }[] = [];
  const rec = (x: bigint) => {
    const lower = BigInt.asIntN(12, x);
    let upper = BigInt.asIntN(64, x - lower);
    if (x !== BigInt.asIntN(32, x)) {
      let shift = 12n;
      while (((upper >> shift) & 1n) === 0n) shift++;
      upper = upper >> shift;
      rec(upper);
      out.push({ op: 'slli', src: 'rd', imm: Number(shift) });
      if (lower !== 0n) out.push({ op: 'addi', src: 'rd', imm: Number(lower) });
    } else {
      let hi = false;
      if (upper !== 0n) { out.push({ op: 'lui', src: 'rd', imm: Number(BigInt.asUintN(32, upper) >> 12n) }); hi = true; }
      if (lower !== 0n || !hi) out.push({ op: 'addiw', src: hi ? 'rd' : 'zero', imm: Number(lower) });
    }
  };
  if (v >= -2048n && v < 2048n) return [{ op: 'addi', src: 'zero', imm: Number(v) }];
  rec(v);
  return out;
}

function li(api: InsnApi, ops: readonly InsnOperand[]): boolean {
  if (ops.length !== 2) api.fail('li takes a register and a constant', ops[0]?.col);
  const rd = api.reg(ops[0]);
  const e = api.expr(ops[1]);
  const v = api.constOf(e);
  if (v === undefined) {
    if (e.t === 'reloc' && e.fn === 'lo') { emitFix(api, 'addi', [rd, ZERO, undefined], 2, e.e, 'lo'); return true; }
    api.fail(`li needs a constant known at this point; use la/lla to load an address`, ops[1].col);
  }
  if (v >= -2048n && v < 2048n) {
    // GNU's `li rd, imm12` entries: c.li, else a plain addi (never c.nop for `li zero, 0`).
    emitCompressedOnlyAs(api, ['c.li'], 'addi', [rd, ZERO, Number(v)]);
    return true;
  }
  for (const s of loadConstSequence(v)) {
    const src = s.src === 'rd' ? rd : ZERO;
    if (s.op === 'lui') emit(api, 'lui', [rd, s.imm]);
    else emit(api, s.op, [rd, src, s.imm]);
  }
  return true;
}

/** auipc with %pcrel_hi(target), then the instruction taking the matching %pcrel_lo. */
function pcrelPair(api: InsnApi, hiReg: number, target: Expr, second: (lo: { expr: Expr; hi: Fixup | undefined }) => void): void {
  // The low part refers to the auipc's fixup directly, where a user would write a label.
  const hi = emitFix(api, 'auipc', [hiReg, undefined], 1, target, 'pcrel_hi');
  second({ expr: target, hi });
}

function la(api: InsnApi, ops: readonly InsnOperand[], m: string): boolean {
  if (ops.length !== 2) api.fail(`${m} takes a register and a symbol`, ops[0]?.col);
  const rd = api.reg(ops[0]);
  const target = api.expr(ops[1]);
  pcrelPair(api, rd, target, (lo) => emitFix(api, 'addi', [rd, rd, undefined], 2, lo.expr, 'pcrel_lo', lo.hi));
  return true;
}

/** `lw rd, symbol` and `sw rs, symbol, rt`: pc-relative access to a global. */
function memSymbol(api: InsnApi, ops: readonly InsnOperand[], m: string): boolean {
  const isStore = m[0] === 's';
  const addr = ops[1];
  if (!addr || /\)\s*$/.test(addr.text) || (isStore ? ops.length !== 3 : ops.length !== 2)) return false;
  const r = api.reg(ops[0]);
  const tmp = isStore ? api.reg(ops[2]) : r;
  const target = api.expr(addr);
  pcrelPair(api, tmp, target, (lo) => emitFix(api, m, [r, undefined, tmp], 1, lo.expr, 'pcrel_lo', lo.hi));
  return true;
}

function call(api: InsnApi, ops: readonly InsnOperand[], m: string): boolean {
  if (m === 'tail') {
    if (ops.length !== 1) api.fail('tail takes a symbol', ops[0]?.col);
    api.asm.emitCall(ZERO, T1, api.expr(ops[0]));
    return true;
  }
  if (m === 'jump') {
    if (ops.length !== 2) api.fail('jump takes a symbol and a temporary register', ops[0]?.col);
    api.asm.emitCall(ZERO, api.reg(ops[1]), api.expr(ops[0]));
    return true;
  }
  if (ops.length === 1) { api.asm.emitCall(RA, RA, api.expr(ops[0])); return true; }
  // `call rd, sym` goes through t1 (GNU's "call d,c" entry); only `call sym` uses ra for both.
  if (ops.length === 2) { api.asm.emitCall(api.reg(ops[0]), T1, api.expr(ops[1])); return true; }
  api.fail('call takes a symbol (and optionally a link register first)', ops[0]?.col);
}

/** Branch pseudo-instructions map onto a table branch with reordered/zero operands. */
function branchAlias(target: string, order: (a: InsnOperand, b: InsnOperand | undefined) => [InsnOperand | 'zero', InsnOperand | 'zero'], arity: number): Handler {
  return (api, ops, m) => {
    if (ops.length !== arity + 1) api.fail(`${m} takes ${arity + 1} operands`, ops[0]?.col);
    const [x, y] = order(ops[0], arity === 2 ? ops[1] : undefined);
    const reg = (o: InsnOperand | 'zero') => (o === 'zero' ? ZERO : api.reg(o));
    const c = base(target);
    const rs1 = reg(x), rs2 = reg(y);
    const e = api.expr(ops[arity]);
    const rvc = rs2 === ZERO && rs1 >= 8 && rs1 <= 15 && (target === 'beq' || target === 'bne');
    api.asm.emitBranch(c, [rs1, rs2], e, rvc);
    return true;
  };
}

function unary(target: string, shape: (rd: number, rs: number) => number[]): Handler {
  return (api, ops, m) => {
    if (ops.length !== 2) api.fail(`${m} takes two registers`, ops[0]?.col);
    emit(api, target, shape(api.reg(ops[0]), api.reg(ops[1])), [ops[0].col, ops[1].col]);
    return true;
  };
}

function csrAlias(target: string, immTarget: string | undefined, hasRd: boolean): Handler {
  return (api, ops, m) => {
    if (ops.length !== (hasRd ? 2 : 2)) api.fail(`${m} takes two operands`, ops[0]?.col);
    if (hasRd) {
      // csrr rd, csr
      api.asm.encodeWithSyntax(base(target), [ops[0], ops[1], { text: 'zero', col: ops[1].col }], ops[0].col);
      return true;
    }
    const useImm = immTarget !== undefined && !isRegister(api, ops[1]);
    api.asm.encodeWithSyntax(base(useImm ? immTarget! : target), [{ text: 'zero', col: ops[0].col }, ops[0], ops[1]], ops[0].col);
    return true;
  };
}

/** `csrrw rd, csr, imm` is accepted as csrrwi (GNU does the same). */
function csrImmediate(immTarget: string): Handler {
  return (api, ops) => {
    if (ops.length !== 3 || isRegister(api, ops[2])) return false;
    api.asm.encodeWithSyntax(base(immTarget), ops, ops[0].col);
    return true;
  };
}

function counter(csr: string): Handler {
  return (api, ops, m) => {
    if (ops.length !== 1) api.fail(`${m} takes one register`, ops[0]?.col);
    api.asm.encodeWithSyntax(base('csrrs'), [ops[0], { text: csr, col: ops[0].col }, { text: 'zero', col: ops[0].col }], ops[0].col);
    return true;
  };
}

/**
 * `add rd, rs, imm` and friends: GNU as accepts an immediate as the last operand of a register
 * ALU op and assembles the immediate form (compressing it as usual).
 */
const IMMEDIATE_FORMS: Readonly<Record<string, string>> = {
  add: 'addi', and: 'andi', or: 'ori', xor: 'xori', sll: 'slli', srl: 'srli', sra: 'srai', slt: 'slti', sltu: 'sltiu',
  addw: 'addiw', sllw: 'slliw', srlw: 'srliw', sraw: 'sraiw',
};

function immediateForm(target: string): Handler {
  return (api, ops) => {
    if (ops.length !== 3 || isRegister(api, ops[2])) return false;
    api.asm.encodeWithSyntax(base(target), ops, ops[0].col);
    return true;
  };
}

export const PSEUDO_HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ...Object.entries(IMMEDIATE_FORMS).map(([m, t]): [string, Handler] => [m, immediateForm(t)]),
  ['nop', (api, ops) => { if (ops.length) api.fail('nop takes no operands', ops[0].col); emit(api, 'addi', [ZERO, ZERO, 0]); return true; }],
  ['li', li],
  ['la', la], ['lla', la],
  ['lb', memSymbol], ['lh', memSymbol], ['lw', memSymbol], ['ld', memSymbol], ['lbu', memSymbol], ['lhu', memSymbol], ['lwu', memSymbol],
  ['sb', memSymbol], ['sh', memSymbol], ['sw', memSymbol], ['sd', memSymbol],
  ['call', call], ['tail', call], ['jump', call],
  ['ret', (api, ops) => { if (ops.length) api.fail('ret takes no operands', ops[0].col); emitJump(api, 'c.jr', ZERO, RA); return true; }],
  ['mv', (api, ops, m) => {
    if (ops.length !== 2) api.fail(`${m} takes two registers`, ops[0]?.col);
    emitCompressedOnlyAs(api, ['c.mv'], 'addi', [api.reg(ops[0]), api.reg(ops[1]), 0], [ops[0].col, ops[1].col]);
    return true;
  }],
  ['not', unary('xori', (rd, rs) => [rd, rs, -1])],
  ['neg', unary('sub', (rd, rs) => [rd, ZERO, rs])],
  ['negw', unary('subw', (rd, rs) => [rd, ZERO, rs])],
  ['sext.w', unary('addiw', (rd, rs) => [rd, rs, 0])],
  ['seqz', unary('sltiu', (rd, rs) => [rd, rs, 1])],
  ['snez', unary('sltu', (rd, rs) => [rd, ZERO, rs])],
  ['sltz', unary('slt', (rd, rs) => [rd, rs, ZERO])],
  ['sgtz', unary('slt', (rd, rs) => [rd, ZERO, rs])],
  ['j', (api, ops) => {
    if (ops.length !== 1) api.fail('j takes a target', ops[0]?.col);
    api.asm.emitBranch(base('jal'), [ZERO], api.expr(ops[0]), true);
    return true;
  }],
  ['jal', (api, ops) => {
    if (ops.length !== 1) return false;
    api.asm.emitBranch(base('jal'), [RA], api.expr(ops[0]), false);
    return true;
  }],
  ['jr', (api, ops) => {
    if (ops.length === 1 && /\(/.test(ops[0].text)) { api.asm.encodeWithSyntax(base('jalr'), [{ text: 'zero', col: ops[0].col }, ops[0]], ops[0].col); return true; }
    if (ops.length === 1) { emitJump(api, 'c.jr', ZERO, api.reg(ops[0])); return true; }
    if (ops.length === 2) { api.asm.encodeWithSyntax(base('jalr'), [{ text: 'zero', col: ops[0].col }, { text: `${ops[1].text}(${ops[0].text})`, col: ops[1].col }], ops[0].col); return true; }
    return api.fail('jr takes a register (and an optional offset)', ops[0]?.col);
  }],
  ['jalr', (api, ops) => {
    if (ops.length === 1 && !/\(/.test(ops[0].text)) { emitJump(api, 'c.jalr', RA, api.reg(ops[0])); return true; }
    if (ops.length === 1) { api.asm.encodeWithSyntax(base('jalr'), [{ text: 'ra', col: ops[0].col }, ops[0]], ops[0].col); return true; }
    if (ops.length === 2 && !/\(/.test(ops[1].text)) { emit(api, 'jalr', [api.reg(ops[0]), 0, api.reg(ops[1])]); return true; }
    if (ops.length === 3) { api.asm.encodeWithSyntax(base('jalr'), [ops[0], { text: `${ops[2].text}(${ops[1].text})`, col: ops[1].col }], ops[0].col); return true; }
    return false;
  }],
  ['beqz', branchAlias('beq', (a) => [a, 'zero'], 1)],
  ['bnez', branchAlias('bne', (a) => [a, 'zero'], 1)],
  ['blez', branchAlias('bge', (a) => ['zero', a], 1)],
  ['bgez', branchAlias('bge', (a) => [a, 'zero'], 1)],
  ['bltz', branchAlias('blt', (a) => [a, 'zero'], 1)],
  ['bgtz', branchAlias('blt', (a) => ['zero', a], 1)],
  ['bgt', branchAlias('blt', (a, b) => [b!, a], 2)],
  ['ble', branchAlias('bge', (a, b) => [b!, a], 2)],
  ['bgtu', branchAlias('bltu', (a, b) => [b!, a], 2)],
  ['bleu', branchAlias('bgeu', (a, b) => [b!, a], 2)],
  ['csrr', csrAlias('csrrs', undefined, true)],
  ['csrw', csrAlias('csrrw', 'csrrwi', false)],
  ['csrs', csrAlias('csrrs', 'csrrsi', false)],
  ['csrc', csrAlias('csrrc', 'csrrci', false)],
  ['csrwi', csrAlias('csrrwi', undefined, false)],
  ['csrsi', csrAlias('csrrsi', undefined, false)],
  ['csrci', csrAlias('csrrci', undefined, false)],
  ['csrrw', csrImmediate('csrrwi')], ['csrrs', csrImmediate('csrrsi')], ['csrrc', csrImmediate('csrrci')],
  ['rdcycle', counter('cycle')], ['rdtime', counter('time')], ['rdinstret', counter('instret')],
  ['fence', (api, ops) => { if (ops.length) return false; emit(api, 'fence', [15, 15]); return true; }],
  ['sfence.vma', (api, ops) => {
    if (ops.length === 0) { emit(api, 'sfence.vma', [ZERO, ZERO]); return true; }
    if (ops.length === 1) { emit(api, 'sfence.vma', [api.reg(ops[0]), ZERO]); return true; }
    return false;
  }],
  ['unimp', (api, ops) => {
    if (ops.length) api.fail('unimp takes no operands', ops[0].col);
    // GNU: c.unimp (all zeros) with compressed instructions on, else csrrw x0, cycle, x0.
    if (api.asm.rvcEnabled) api.asm.emitRaw16(0); else emit(api, 'csrrw', [ZERO, 0xc00, ZERO]);
    return true;
  }],
  ['scall', (api) => { emit(api, 'ecall', []); return true; }],
  ['sbreak', (api) => { emit(api, 'ebreak', []); return true; }],
]);

