// The instruction table: the single source of truth for every instruction the project knows.
// The decoder, disassembler, assembler, hover documentation and timing model all read it.
//
// `args` is the assembly operand syntax, written with operand-kind names (see operands.ts):
//   'rd, imm12(rs1)'   — a load: destination, then offset(base)
//   'c_rd!0'           — operand must be non-zero; zero is a reserved encoding (decoder rejects)
//   'c_rd~0'           — operand must be non-zero when assembling; zero is a HINT (decodes fine)
//   'c_rd!0!2'         — several excluded values
//   'sp'               — a fixed register written literally
// Compressed instructions name the base instruction they expand to (`base`), with the compressed
// operands substituted into it; this is what the assembler uses to compress and what the
// decoder uses to execute them.

export type Extension = 'I' | 'M' | 'A' | 'C' | 'Zicsr' | 'Zifencei' | 'Priv' | 'XPC';

export type Format =
  | 'R' | 'I' | 'S' | 'B' | 'U' | 'J' | 'R-amo' | 'I-shift' | 'I-csr' | 'fence' | 'system'
  | 'CR' | 'CI' | 'CSS' | 'CIW' | 'CL' | 'CS' | 'CA' | 'CB' | 'CJ' | 'XPC';

/** Timing classes of the instructions (docs/timing.md describes what the cycle model charges). */
export type TimingClass =
  | 'alu' | 'lui' | 'branch' | 'jal' | 'jalr' | 'load' | 'load-narrow' | 'store' | 'mul' | 'mul-word' | 'div'
  | 'amo' | 'lr' | 'sc' | 'csr' | 'csr-imm' | 'fence' | 'fence.i' | 'system' | 'trap-return' | 'wfi'
  | 'sfence.vma' | 'xcall' | 'xret' | 'swapseg';

export interface InstructionSpec {
  readonly mnemonic: string;
  readonly format: Format;
  readonly match: number;
  readonly mask: number;
  /** Operand syntax in assembly order (see the header comment). */
  readonly args: string;
  readonly ext: Extension;
  readonly timing: TimingClass;
  /** One line, for completion lists and the first line of hover. */
  readonly summary: string;
  /** Semantics in pseudo-code plus notes, for hover and the reference page. */
  readonly description: string;
  /** Compressed only: the base instruction it expands to, e.g. 'addi c_rd, c_rd, c_imm6'. */
  readonly base?: string;
  /** Only valid on RV64 (all our tables are RV64; kept so the docs can say so). */
  readonly rv64Only?: boolean;
  /** Base R-type ops whose rs1/rs2 may be exchanged when compressing (GNU does for c.add etc.). */
  readonly commutative?: boolean;
  /**
   * Bits the hart actually checks when it is looser than `mask`: fields the spec says an
   * implementation ignores (FENCE's rs1, rd and reserved fm values run as a plain FENCE). The
   * disassembler and assembler keep the strict mask, as GNU binutils do.
   */
  readonly execMask?: number;
  /** Compressed only: further base forms the assembler compresses into this one (as GNU as does). */
  readonly alsoFrom?: readonly string[];
  /**
   * Compressed only: never chosen for the base instruction as written, only for the
   * pseudo-instructions GNU as compresses to it (`jalr zero, 0(ra)` stays 4 bytes; `ret` is c.jr).
   */
  readonly aliasOnly?: boolean;
}

type Spec = Omit<InstructionSpec, 'match' | 'mask' | 'format'>;

// Encoders for the match bits of each base format; masks follow the format's fixed fields.
const OPC = 0x7f, F3 = 0x7000, F7 = 0xfe000000 | 0;
const enc = (opcode: number, f3 = 0, f7 = 0) => ((f7 << 25) | (f3 << 12) | opcode) >>> 0;

const table: InstructionSpec[] = [];

function add(format: Format, match: number, mask: number, spec: Spec): void {
  table.push({ ...spec, format, match: match >>> 0, mask: mask >>> 0 });
}

function R(m: string, opcode: number, f3: number, f7: number, ext: Extension, timing: TimingClass, summary: string, sem: string, extra: Partial<Spec> = {}) {
  add('R', enc(opcode, f3, f7), OPC | F3 | F7, { mnemonic: m, args: 'rd, rs1, rs2', ext, timing, summary, description: sem, ...extra });
}
function I(m: string, opcode: number, f3: number, ext: Extension, timing: TimingClass, summary: string, sem: string, args = 'rd, rs1, imm12', extra: Partial<Spec> = {}) {
  add('I', enc(opcode, f3), OPC | F3, { mnemonic: m, args, ext, timing, summary, description: sem, ...extra });
}
function shiftI(m: string, opcode: number, f3: number, f6: number, word: boolean, summary: string, sem: string) {
  const f7bits = word ? f6 << 1 : f6;
  const match = (word ? (f7bits << 25) : (f6 << 26)) | (f3 << 12) | opcode;
  const mask = (word ? 0xfe000000 : 0xfc000000) | F3 | OPC;
  add('I-shift', match, mask, { mnemonic: m, args: word ? 'rd, rs1, shamt5' : 'rd, rs1, shamt6', ext: 'I', timing: 'alu', summary, description: sem, rv64Only: word || undefined });
}
function load(m: string, f3: number, summary: string, sem: string) {
  // Rocket returns words and doublewords a cycle earlier than bytes and halfwords (no alignment step).
  const narrow = f3 === 0 || f3 === 1 || f3 === 4 || f3 === 5;
  I(m, 0x03, f3, 'I', narrow ? 'load-narrow' : 'load', summary, sem, 'rd, imm12(rs1)');
}
function store(m: string, f3: number, summary: string, sem: string) {
  add('S', enc(0x23, f3), OPC | F3, { mnemonic: m, args: 'rs2, simm12(rs1)', ext: 'I', timing: 'store', summary, description: sem });
}
function branch(m: string, f3: number, summary: string, sem: string) {
  add('B', enc(0x63, f3), OPC | F3, { mnemonic: m, args: 'rs1, rs2, bimm', ext: 'I', timing: 'branch', summary, description: sem });
}
function exact(m: string, word: number, ext: Extension, timing: TimingClass, summary: string, sem: string) {
  add('system', word, 0xffffffff, { mnemonic: m, args: '', ext, timing, summary, description: sem });
}

// ---- RV64I -----------------------------------------------------------------------------------
add('U', 0x37, OPC, { mnemonic: 'lui', args: 'rd, uimm20', ext: 'I', timing: 'lui', summary: 'Load upper immediate', description: 'x[rd] = sext(uimm20 << 12)\nPlaces the 20-bit immediate in bits 31:12 and sign-extends bit 31 to 64 bits. With `%hi(sym)` it forms the upper part of an absolute address.' });
add('U', 0x17, OPC, { mnemonic: 'auipc', args: 'rd, uimm20', ext: 'I', timing: 'lui', summary: 'Add upper immediate to pc', description: 'x[rd] = pc + sext(uimm20 << 12)\nWith `%pcrel_hi(sym)` it forms the upper part of a pc-relative address; the matching `%pcrel_lo` names this instruction\'s label.' });
add('J', 0x6f, OPC, { mnemonic: 'jal', args: 'rd, jimm', ext: 'I', timing: 'jal', summary: 'Jump and link', description: 'x[rd] = pc + 4 (2 if compressed); pc += sext(offset)\nRange ±1 MiB. `jal label` links in ra; `j label` is jal x0.' });
I('jalr', 0x67, 0, 'I', 'jalr', 'Jump and link register', 't = pc + 4; pc = (x[rs1] + sext(imm)) & ~1; x[rd] = t\nUsed for returns (`ret` = jalr x0, 0(ra)), indirect calls and, with auipc, far calls.', 'rd, imm12(rs1)');
branch('beq', 0, 'Branch if equal', 'if (x[rs1] == x[rs2]) pc += sext(offset)\nRange ±4 KiB; the assembler turns an out-of-range branch into an inverted branch over a jal.');
branch('bne', 1, 'Branch if not equal', 'if (x[rs1] != x[rs2]) pc += sext(offset)');
branch('blt', 4, 'Branch if less than (signed)', 'if (x[rs1] <s x[rs2]) pc += sext(offset)');
branch('bge', 5, 'Branch if greater or equal (signed)', 'if (x[rs1] >=s x[rs2]) pc += sext(offset)');
branch('bltu', 6, 'Branch if less than (unsigned)', 'if (x[rs1] <u x[rs2]) pc += sext(offset)');
branch('bgeu', 7, 'Branch if greater or equal (unsigned)', 'if (x[rs1] >=u x[rs2]) pc += sext(offset)');
load('lb', 0, 'Load byte', 'x[rd] = sext(M[x[rs1] + sext(offset)][7:0])');
load('lh', 1, 'Load halfword', 'x[rd] = sext(M[x[rs1] + sext(offset)][15:0])\nMisaligned accesses are performed by this board (as QEMU does).');
load('lw', 2, 'Load word', 'x[rd] = sext(M[x[rs1] + sext(offset)][31:0])');
load('ld', 3, 'Load doubleword', 'x[rd] = M[x[rs1] + sext(offset)][63:0]');
load('lbu', 4, 'Load byte unsigned', 'x[rd] = zext(M[x[rs1] + sext(offset)][7:0])');
load('lhu', 5, 'Load halfword unsigned', 'x[rd] = zext(M[x[rs1] + sext(offset)][15:0])');
load('lwu', 6, 'Load word unsigned', 'x[rd] = zext(M[x[rs1] + sext(offset)][31:0])');
store('sb', 0, 'Store byte', 'M[x[rs1] + sext(offset)] = x[rs2][7:0]');
store('sh', 1, 'Store halfword', 'M[x[rs1] + sext(offset)] = x[rs2][15:0]');
store('sw', 2, 'Store word', 'M[x[rs1] + sext(offset)] = x[rs2][31:0]');
store('sd', 3, 'Store doubleword', 'M[x[rs1] + sext(offset)] = x[rs2][63:0]');
I('addi', 0x13, 0, 'I', 'alu', 'Add immediate', 'x[rd] = x[rs1] + sext(imm)\n`addi x0, x0, 0` is the canonical nop; `mv rd, rs` is addi rd, rs, 0.');
I('slti', 0x13, 2, 'I', 'alu', 'Set if less than immediate (signed)', 'x[rd] = (x[rs1] <s sext(imm)) ? 1 : 0');
I('sltiu', 0x13, 3, 'I', 'alu', 'Set if less than immediate (unsigned)', 'x[rd] = (x[rs1] <u sext(imm)) ? 1 : 0\n`seqz rd, rs` is sltiu rd, rs, 1.');
I('xori', 0x13, 4, 'I', 'alu', 'Exclusive-or immediate', 'x[rd] = x[rs1] ^ sext(imm)\n`not rd, rs` is xori rd, rs, -1.');
I('ori', 0x13, 6, 'I', 'alu', 'Or immediate', 'x[rd] = x[rs1] | sext(imm)');
I('andi', 0x13, 7, 'I', 'alu', 'And immediate', 'x[rd] = x[rs1] & sext(imm)');
shiftI('slli', 0x13, 1, 0x00, false, 'Shift left logical immediate', 'x[rd] = x[rs1] << shamt  (shamt 0..63)');
shiftI('srli', 0x13, 5, 0x00, false, 'Shift right logical immediate', 'x[rd] = x[rs1] >>u shamt  (shamt 0..63)');
shiftI('srai', 0x13, 5, 0x10, false, 'Shift right arithmetic immediate', 'x[rd] = x[rs1] >>s shamt  (shamt 0..63)');
R('add', 0x33, 0, 0x00, 'I', 'alu', 'Add', 'x[rd] = x[rs1] + x[rs2]', { commutative: true });
R('sub', 0x33, 0, 0x20, 'I', 'alu', 'Subtract', 'x[rd] = x[rs1] - x[rs2]');
R('sll', 0x33, 1, 0x00, 'I', 'alu', 'Shift left logical', 'x[rd] = x[rs1] << x[rs2][5:0]');
R('slt', 0x33, 2, 0x00, 'I', 'alu', 'Set if less than (signed)', 'x[rd] = (x[rs1] <s x[rs2]) ? 1 : 0');
R('sltu', 0x33, 3, 0x00, 'I', 'alu', 'Set if less than (unsigned)', 'x[rd] = (x[rs1] <u x[rs2]) ? 1 : 0\n`snez rd, rs` is sltu rd, x0, rs.');
R('xor', 0x33, 4, 0x00, 'I', 'alu', 'Exclusive-or', 'x[rd] = x[rs1] ^ x[rs2]', { commutative: true });
R('srl', 0x33, 5, 0x00, 'I', 'alu', 'Shift right logical', 'x[rd] = x[rs1] >>u x[rs2][5:0]');
R('sra', 0x33, 5, 0x20, 'I', 'alu', 'Shift right arithmetic', 'x[rd] = x[rs1] >>s x[rs2][5:0]');
R('or', 0x33, 6, 0x00, 'I', 'alu', 'Or', 'x[rd] = x[rs1] | x[rs2]', { commutative: true });
R('and', 0x33, 7, 0x00, 'I', 'alu', 'And', 'x[rd] = x[rs1] & x[rs2]', { commutative: true });
add('fence', enc(0x0f, 0), OPC | F3 | 0xf0000000 | 0xf8000 | 0xf80, { mnemonic: 'fence', args: 'pred, succ', ext: 'I', timing: 'fence', execMask: OPC | F3, summary: 'Memory fence', description: 'Orders the predecessor accesses (i, o, r, w) before the successor ones. `fence` alone is fence iorw, iorw. Single-hart board: ordering is always satisfied; the timing model charges the drain.' });
exact('fence.tso', 0x8330000f, 'I', 'fence', 'Total-store-order fence', 'fence rw, rw with TSO semantics (fm = 1000).');
exact('ecall', 0x00000073, 'I', 'system', 'Environment call', 'Raises an environment-call exception (8 from U, 9 from S, 11 from M). The kernel\'s system-call entry.');
exact('ebreak', 0x00100073, 'I', 'system', 'Breakpoint', 'Raises a breakpoint exception (3). The debugger uses it for software breakpoints only when asked.');
I('addiw', 0x1b, 0, 'I', 'alu', 'Add word immediate', 'x[rd] = sext((x[rs1] + sext(imm))[31:0])\n`sext.w rd, rs` is addiw rd, rs, 0.', 'rd, rs1, imm12', { rv64Only: true });
shiftI('slliw', 0x1b, 1, 0x00, true, 'Shift left logical word immediate', 'x[rd] = sext((x[rs1] << shamt)[31:0])  (shamt 0..31)');
shiftI('srliw', 0x1b, 5, 0x00, true, 'Shift right logical word immediate', 'x[rd] = sext(x[rs1][31:0] >>u shamt)  (shamt 0..31)');
shiftI('sraiw', 0x1b, 5, 0x10, true, 'Shift right arithmetic word immediate', 'x[rd] = sext(x[rs1][31:0] >>s shamt)  (shamt 0..31)');
R('addw', 0x3b, 0, 0x00, 'I', 'alu', 'Add word', 'x[rd] = sext((x[rs1] + x[rs2])[31:0])', { rv64Only: true, commutative: true });
R('subw', 0x3b, 0, 0x20, 'I', 'alu', 'Subtract word', 'x[rd] = sext((x[rs1] - x[rs2])[31:0])', { rv64Only: true });
R('sllw', 0x3b, 1, 0x00, 'I', 'alu', 'Shift left logical word', 'x[rd] = sext((x[rs1] << x[rs2][4:0])[31:0])', { rv64Only: true });
R('srlw', 0x3b, 5, 0x00, 'I', 'alu', 'Shift right logical word', 'x[rd] = sext(x[rs1][31:0] >>u x[rs2][4:0])', { rv64Only: true });
R('sraw', 0x3b, 5, 0x20, 'I', 'alu', 'Shift right arithmetic word', 'x[rd] = sext(x[rs1][31:0] >>s x[rs2][4:0])', { rv64Only: true });

// ---- Zifencei, Zicsr ------------------------------------------------------------------------
add('I', enc(0x0f, 1), 0xffffffff, { mnemonic: 'fence.i', args: '', ext: 'Zifencei', timing: 'fence.i', summary: 'Instruction-fetch fence', description: 'Makes earlier stores visible to instruction fetch on this hart (needed after writing code). Flushes the emulator\'s decoded-instruction cache for the hart.' });
const csrDoc = (op: string) => `t = CSR[csr]; CSR[csr] = ${op}; x[rd] = t\nWith rd = x0 the read has no side effects; with a zero source a write-capable CSR is not written.`;
add('I-csr', enc(0x73, 1), OPC | F3, { mnemonic: 'csrrw', args: 'rd, csr, rs1', ext: 'Zicsr', timing: 'csr', summary: 'CSR read and write', description: 't = CSR[csr]; CSR[csr] = x[rs1]; x[rd] = t\nWith rd = x0 the CSR is not read (no read side effects).' });
add('I-csr', enc(0x73, 2), OPC | F3, { mnemonic: 'csrrs', args: 'rd, csr, rs1', ext: 'Zicsr', timing: 'csr', summary: 'CSR read and set bits', description: csrDoc('t | x[rs1]') });
add('I-csr', enc(0x73, 3), OPC | F3, { mnemonic: 'csrrc', args: 'rd, csr, rs1', ext: 'Zicsr', timing: 'csr', summary: 'CSR read and clear bits', description: csrDoc('t & ~x[rs1]') });
add('I-csr', enc(0x73, 5), OPC | F3, { mnemonic: 'csrrwi', args: 'rd, csr, zimm5', ext: 'Zicsr', timing: 'csr-imm', summary: 'CSR read and write immediate', description: 't = CSR[csr]; CSR[csr] = zext(zimm5); x[rd] = t' });
add('I-csr', enc(0x73, 6), OPC | F3, { mnemonic: 'csrrsi', args: 'rd, csr, zimm5', ext: 'Zicsr', timing: 'csr-imm', summary: 'CSR read and set bits immediate', description: csrDoc('t | zext(zimm5)') });
add('I-csr', enc(0x73, 7), OPC | F3, { mnemonic: 'csrrci', args: 'rd, csr, zimm5', ext: 'Zicsr', timing: 'csr-imm', summary: 'CSR read and clear bits immediate', description: csrDoc('t & ~zext(zimm5)') });

// ---- M ----------------------------------------------------------------------------------------
const mulDiv: [string, number, number, TimingClass, string, string][] = [
  ['mul', 0x33, 0, 'mul', 'Multiply', 'x[rd] = (x[rs1] * x[rs2])[63:0]'],
  ['mulh', 0x33, 1, 'mul', 'Multiply high (signed × signed)', 'x[rd] = (sext(x[rs1]) * sext(x[rs2]))[127:64]'],
  ['mulhsu', 0x33, 2, 'mul', 'Multiply high (signed × unsigned)', 'x[rd] = (sext(x[rs1]) * zext(x[rs2]))[127:64]'],
  ['mulhu', 0x33, 3, 'mul', 'Multiply high (unsigned × unsigned)', 'x[rd] = (zext(x[rs1]) * zext(x[rs2]))[127:64]'],
  ['div', 0x33, 4, 'div', 'Divide (signed)', 'x[rd] = x[rs1] /s x[rs2]  (÷0 → -1; overflow → dividend)'],
  ['divu', 0x33, 5, 'div', 'Divide (unsigned)', 'x[rd] = x[rs1] /u x[rs2]  (÷0 → all ones)'],
  ['rem', 0x33, 6, 'div', 'Remainder (signed)', 'x[rd] = x[rs1] %s x[rs2]  (÷0 → dividend; overflow → 0)'],
  ['remu', 0x33, 7, 'div', 'Remainder (unsigned)', 'x[rd] = x[rs1] %u x[rs2]  (÷0 → dividend)'],
  ['mulw', 0x3b, 0, 'mul-word', 'Multiply word', 'x[rd] = sext((x[rs1] * x[rs2])[31:0])'],
  ['divw', 0x3b, 4, 'div', 'Divide word (signed)', 'x[rd] = sext(x[rs1][31:0] /s x[rs2][31:0])'],
  ['divuw', 0x3b, 5, 'div', 'Divide word (unsigned)', 'x[rd] = sext(x[rs1][31:0] /u x[rs2][31:0])'],
  ['remw', 0x3b, 6, 'div', 'Remainder word (signed)', 'x[rd] = sext(x[rs1][31:0] %s x[rs2][31:0])'],
  ['remuw', 0x3b, 7, 'div', 'Remainder word (unsigned)', 'x[rd] = sext(x[rs1][31:0] %u x[rs2][31:0])'],
];
for (const [m, opc, f3, t, s, d] of mulDiv) R(m, opc, f3, 0x01, 'M', t, s, d, { rv64Only: opc === 0x3b || undefined, commutative: m === 'mul' || m === 'mulh' || m === 'mulhu' || m === 'mulw' || undefined });

// ---- A (each with the .aq, .rl and .aqrl ordering suffixes) ---------------------------------
const amoOps: [string, number, string][] = [
  ['amoadd', 0x00, 'x[rd] = M[x[rs1]]; M[x[rs1]] = x[rd] + x[rs2]'],
  ['amoswap', 0x01, 'x[rd] = M[x[rs1]]; M[x[rs1]] = x[rs2]'],
  ['amoxor', 0x04, 'x[rd] = M[x[rs1]]; M[x[rs1]] = x[rd] ^ x[rs2]'],
  ['amoor', 0x08, 'x[rd] = M[x[rs1]]; M[x[rs1]] = x[rd] | x[rs2]'],
  ['amoand', 0x0c, 'x[rd] = M[x[rs1]]; M[x[rs1]] = x[rd] & x[rs2]'],
  ['amomin', 0x10, 'x[rd] = M[x[rs1]]; M[x[rs1]] = min_s(x[rd], x[rs2])'],
  ['amomax', 0x14, 'x[rd] = M[x[rs1]]; M[x[rs1]] = max_s(x[rd], x[rs2])'],
  ['amominu', 0x18, 'x[rd] = M[x[rs1]]; M[x[rs1]] = min_u(x[rd], x[rs2])'],
  ['amomaxu', 0x1c, 'x[rd] = M[x[rs1]]; M[x[rs1]] = max_u(x[rd], x[rs2])'],
];
const orderings: [string, number, string][] = [['', 0, ''], ['.aq', 2, ' Acquire ordering.'], ['.rl', 1, ' Release ordering.'], ['.aqrl', 3, ' Acquire and release ordering.']];
for (const [width, f3] of [['w', 2], ['d', 3]] as const) {
  const size = width === 'w' ? 'word (32-bit, sign-extended into rd)' : 'doubleword';
  for (const [suffix, aqrl, orderDoc] of orderings) {
    const ext = { ext: 'A' as const, rv64Only: width === 'd' || undefined };
    add('R-amo', enc(0x2f, f3, (0x02 << 2) | aqrl), OPC | F3 | F7 | 0x01f00000, { mnemonic: `lr.${width}${suffix}`, args: 'rd, (rs1)', timing: 'lr', summary: `Load-reserved ${width === 'w' ? 'word' : 'doubleword'}`, description: `x[rd] = M[x[rs1]]; reserve the address. Must be naturally aligned (misaligned → exception 4).${orderDoc}`, ...ext });
    add('R-amo', enc(0x2f, f3, (0x03 << 2) | aqrl), OPC | F3 | F7, { mnemonic: `sc.${width}${suffix}`, args: 'rd, rs2, (rs1)', timing: 'sc', summary: `Store-conditional ${width === 'w' ? 'word' : 'doubleword'}`, description: `if reserved(x[rs1]) { M[x[rs1]] = x[rs2]; x[rd] = 0 } else x[rd] = 1. Must be naturally aligned (misaligned → exception 6).${orderDoc}`, ...ext });
    for (const [op, f5, sem] of amoOps) {
      add('R-amo', enc(0x2f, f3, (f5 << 2) | aqrl), OPC | F3 | F7, { mnemonic: `${op}.${width}${suffix}`, args: 'rd, rs2, (rs1)', timing: 'amo', summary: `Atomic ${op.slice(3)} ${size}`, description: `${sem} — atomically. Must be naturally aligned (misaligned → exception 6).${orderDoc}`, ...ext });
    }
  }
}

// ---- Privileged -----------------------------------------------------------------------------
exact('mret', 0x30200073, 'Priv', 'trap-return', 'Return from M-mode trap', 'pc = mepc; privilege = mstatus.MPP; MIE = MPIE; MPIE = 1; MPP = U (MPRV cleared if MPP ≠ M).');
exact('sret', 0x10200073, 'Priv', 'trap-return', 'Return from S-mode trap', 'pc = sepc; privilege = sstatus.SPP; SIE = SPIE; SPIE = 1; SPP = U. Illegal in S-mode when mstatus.TSR = 1.');
exact('wfi', 0x10500073, 'Priv', 'wfi', 'Wait for interrupt', 'Stalls until an interrupt is pending (the emulator skips time to the next timer event). Illegal in U-mode; in S-mode when mstatus.TW = 1.');
add('R', enc(0x73, 0, 0x09), OPC | F3 | F7 | 0xf80, { mnemonic: 'sfence.vma', args: 'rs1, rs2', ext: 'Priv', timing: 'sfence.vma', summary: 'Flush address-translation caches', description: 'Orders page-table updates before later translations. rs1 = x0: all addresses, else only x[rs1]; rs2 = x0: all ASIDs, else only ASID x[rs2]. Illegal in S-mode when mstatus.TVM = 1.' });

// ---- XPC (custom-0, see docs/xpc-isa.md) ----------------------------------------------------
add('XPC', 0x0000000b, 0xfff07fff, { mnemonic: 'xcall', args: 'rs1', ext: 'XPC', timing: 'xcall', summary: 'Cross-process call to x-entry x[rs1]', description: 'id = x[rs1]. id < 0: prefetch x-entry −id (no architectural effect). Else check the entry is valid (24) and callable under xcap (25), push a linkage record at xlink (28 on overflow), hand the seg-mask window of the relay segment to the callee, switch satp, xcap, seg-list and domain to the entry\'s and jump to its entry pc. No register is saved or cleared.' });
add('XPC', 0x0000100b, 0xffffffff, { mnemonic: 'xret', args: '', ext: 'XPC', timing: 'xret', summary: 'Return from a cross-process call', description: 'Pop the top linkage record (26 if none or invalid), check the relay segment handed to this callee is back in seg-reg (29 otherwise), restore the caller\'s satp, xcap, seg-list, domain, xcaller and full relay segment, and jump to the return pc.' });
add('XPC', 0x0000200b, 0xfff07fff, { mnemonic: 'swapseg', args: 'rs1', ext: 'XPC', timing: 'swapseg', summary: 'Swap the relay segment with seg-list slot x[rs1]', description: 'idx = x[rs1]; idx ≥ xseglist_len raises 27. Otherwise exchange seg-reg (va, pa, len, perm) with seg-list slot idx atomically; an empty slot empties seg-reg.' });

// ---- C (RV64C; compressed forms and the base instruction each expands to) -------------------
function C(m: string, format: Format, match: number, mask: number, args: string, base: string, timing: TimingClass, summary: string, extra: Partial<Spec> = {}) {
  add(format, match, mask, { mnemonic: m, args, base, ext: 'C', timing, summary, description: `Expands to \`${base.replace(/c_(rdq|rs1q|rs2q|rd|rs2)\b/g, (_, r: string) => r.replace(/q$/, "'")).replace(/c_\w+/g, 'imm')}\`.`, ...extra });
}
C('c.addi4spn', 'CIW', 0x0000, 0xe003, 'c_rdq, sp, c_addi4spn!0', 'addi c_rdq, sp, c_addi4spn', 'alu', 'Add scaled immediate to sp');
C('c.lw', 'CL', 0x4000, 0xe003, 'c_rdq, c_lw(c_rs1q)', 'lw c_rdq, c_lw(c_rs1q)', 'load', 'Load word');
C('c.ld', 'CL', 0x6000, 0xe003, 'c_rdq, c_ld(c_rs1q)', 'ld c_rdq, c_ld(c_rs1q)', 'load', 'Load doubleword', { rv64Only: true });
C('c.sw', 'CS', 0xc000, 0xe003, 'c_rs2q, c_lw(c_rs1q)', 'sw c_rs2q, c_lw(c_rs1q)', 'store', 'Store word');
C('c.sd', 'CS', 0xe000, 0xe003, 'c_rs2q, c_ld(c_rs1q)', 'sd c_rs2q, c_ld(c_rs1q)', 'store', 'Store doubleword', { rv64Only: true });
C('c.nop', 'CI', 0x0001, 0xffff, '', 'addi zero, zero, 0', 'alu', 'No operation');
C('c.addi', 'CI', 0x0001, 0xe003, 'c_rd~0, c_imm6~0', 'addi c_rd, c_rd, c_imm6', 'alu', 'Add immediate');
C('c.addiw', 'CI', 0x2001, 0xe003, 'c_rd!0, c_imm6', 'addiw c_rd, c_rd, c_imm6', 'alu', 'Add word immediate', { rv64Only: true });
C('c.li', 'CI', 0x4001, 0xe003, 'c_rd~0, c_imm6', 'addi c_rd, zero, c_imm6', 'alu', 'Load immediate');
C('c.addi16sp', 'CI', 0x6101, 0xef83, 'sp, c_addi16sp!0', 'addi sp, sp, c_addi16sp', 'alu', 'Add scaled immediate to sp');
C('c.lui', 'CI', 0x6001, 0xe003, 'c_rd~0!2, c_lui!0', 'lui c_rd, c_lui', 'lui', 'Load upper immediate');
C('c.srli', 'CB', 0x8001, 0xec03, 'c_rs1q, c_shamt~0', 'srli c_rs1q, c_rs1q, c_shamt', 'alu', 'Shift right logical immediate');
C('c.srai', 'CB', 0x8401, 0xec03, 'c_rs1q, c_shamt~0', 'srai c_rs1q, c_rs1q, c_shamt', 'alu', 'Shift right arithmetic immediate');
C('c.andi', 'CB', 0x8801, 0xec03, 'c_rs1q, c_imm6', 'andi c_rs1q, c_rs1q, c_imm6', 'alu', 'And immediate');
C('c.sub', 'CA', 0x8c01, 0xfc63, 'c_rs1q, c_rs2q', 'sub c_rs1q, c_rs1q, c_rs2q', 'alu', 'Subtract');
C('c.xor', 'CA', 0x8c21, 0xfc63, 'c_rs1q, c_rs2q', 'xor c_rs1q, c_rs1q, c_rs2q', 'alu', 'Exclusive-or');
C('c.or', 'CA', 0x8c41, 0xfc63, 'c_rs1q, c_rs2q', 'or c_rs1q, c_rs1q, c_rs2q', 'alu', 'Or');
C('c.and', 'CA', 0x8c61, 0xfc63, 'c_rs1q, c_rs2q', 'and c_rs1q, c_rs1q, c_rs2q', 'alu', 'And');
C('c.subw', 'CA', 0x9c01, 0xfc63, 'c_rs1q, c_rs2q', 'subw c_rs1q, c_rs1q, c_rs2q', 'alu', 'Subtract word', { rv64Only: true });
C('c.addw', 'CA', 0x9c21, 0xfc63, 'c_rs1q, c_rs2q', 'addw c_rs1q, c_rs1q, c_rs2q', 'alu', 'Add word', { rv64Only: true });
C('c.j', 'CJ', 0xa001, 0xe003, 'c_jimm', 'jal zero, c_jimm', 'jal', 'Jump');
C('c.beqz', 'CB', 0xc001, 0xe003, 'c_rs1q, c_bimm', 'beq c_rs1q, zero, c_bimm', 'branch', 'Branch if zero');
C('c.bnez', 'CB', 0xe001, 0xe003, 'c_rs1q, c_bimm', 'bne c_rs1q, zero, c_bimm', 'branch', 'Branch if not zero');
C('c.slli', 'CI', 0x0002, 0xe003, 'c_rd~0, c_shamt~0', 'slli c_rd, c_rd, c_shamt', 'alu', 'Shift left logical immediate');
C('c.lwsp', 'CI', 0x4002, 0xe003, 'c_rd!0, c_lwsp(sp)', 'lw c_rd, c_lwsp(sp)', 'load', 'Load word from stack');
C('c.ldsp', 'CI', 0x6002, 0xe003, 'c_rd!0, c_ldsp(sp)', 'ld c_rd, c_ldsp(sp)', 'load', 'Load doubleword from stack', { rv64Only: true });
C('c.jr', 'CR', 0x8002, 0xf07f, 'c_rd!0', 'jalr zero, 0(c_rd)', 'jalr', 'Jump register', { aliasOnly: true });
C('c.mv', 'CR', 0x8002, 0xf003, 'c_rd~0, c_rs2!0', 'add c_rd, zero, c_rs2', 'alu', 'Move', { alsoFrom: ['addi c_rd, c_rs2, 0'] });
C('c.ebreak', 'CR', 0x9002, 0xffff, '', 'ebreak', 'system', 'Breakpoint');
C('c.jalr', 'CR', 0x9002, 0xf07f, 'c_rd!0', 'jalr ra, 0(c_rd)', 'jalr', 'Jump and link register', { aliasOnly: true });
C('c.add', 'CR', 0x9002, 0xf003, 'c_rd~0, c_rs2!0', 'add c_rd, c_rd, c_rs2', 'alu', 'Add');
C('c.swsp', 'CSS', 0xc002, 0xe003, 'c_rs2, c_swsp(sp)', 'sw c_rs2, c_swsp(sp)', 'store', 'Store word to stack');
C('c.sdsp', 'CSS', 0xe002, 0xe003, 'c_rs2, c_sdsp(sp)', 'sd c_rs2, c_sdsp(sp)', 'store', 'Store doubleword to stack', { rv64Only: true });

export const INSTRUCTIONS: readonly InstructionSpec[] = table;

/** Encoded length in bytes of the instruction whose first halfword is `low16`. */
export function instructionLength(low16: number): 2 | 4 {
  return (low16 & 3) === 3 ? 4 : 2;
}
