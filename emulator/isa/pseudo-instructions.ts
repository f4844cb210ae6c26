// Pseudo-instructions as documentation data: the syntax users write, what it does and what it
// expands to. The assembler's expansions (language/asm/pseudo.ts) implement exactly these; a
// test keeps the two lists equal. Hover, completion and the reference page read this table.

export interface PseudoInstruction {
  readonly mnemonic: string;
  /** Operand syntax as written, e.g. `rd, symbol`. */
  readonly syntax: string;
  readonly summary: string;
  /** The base instructions it becomes (GNU as's expansion). */
  readonly expansion: string;
}

const P = (mnemonic: string, syntax: string, summary: string, expansion: string): PseudoInstruction => ({ mnemonic, syntax, summary, expansion });

const loads = ['lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu'].map((m) =>
  P(m, 'rd, symbol', `${m} from a symbol's address (pc-relative)`, `auipc rd, %pcrel_hi(symbol); ${m} rd, %pcrel_lo(1b)(rd)`));
const stores = ['sb', 'sh', 'sw', 'sd'].map((m) =>
  P(m, 'rs2, symbol, rt', `${m} to a symbol's address through temporary rt`, `auipc rt, %pcrel_hi(symbol); ${m} rs2, %pcrel_lo(1b)(rt)`));

const immediateForms = ([
  ['add', 'addi'], ['and', 'andi'], ['or', 'ori'], ['xor', 'xori'], ['sll', 'slli'], ['srl', 'srli'], ['sra', 'srai'],
  ['slt', 'slti'], ['sltu', 'sltiu'], ['addw', 'addiw'], ['sllw', 'slliw'], ['srlw', 'srliw'], ['sraw', 'sraiw'],
] as const).map(([m, i]) => P(m, 'rd, rs1, imm', `${m} with an immediate (GNU as accepts it)`, `${i} rd, rs1, imm`));

export const PSEUDO_INSTRUCTIONS: readonly PseudoInstruction[] = [
  ...immediateForms,
  P('nop', '', 'No operation', 'addi zero, zero, 0 (c.nop)'),
  P('li', 'rd, imm', 'Load any 64-bit constant', 'addi rd, zero, imm (c.li) for 12 bits; else lui/addiw, slli and addi in the sequence GNU as chooses'),
  P('la', 'rd, symbol', 'Load a symbol\'s address (pc-relative: there is no GOT here)', 'auipc rd, %pcrel_hi(symbol); addi rd, rd, %pcrel_lo(1b)'),
  P('lla', 'rd, symbol', 'Load a symbol\'s local address (pc-relative)', 'auipc rd, %pcrel_hi(symbol); addi rd, rd, %pcrel_lo(1b)'),
  ...loads,
  ...stores,
  P('call', '[rd,] symbol', 'Call a function anywhere within ±2 GiB', 'auipc ra, %pcrel_hi(symbol); jalr ra, %pcrel_lo(symbol)(ra)'),
  P('tail', 'symbol', 'Tail call (jump without linking) within ±2 GiB', 'auipc t1, %pcrel_hi(symbol); jalr zero, %pcrel_lo(symbol)(t1)'),
  P('jump', 'symbol, rt', 'Jump within ±2 GiB through temporary rt', 'auipc rt, %pcrel_hi(symbol); jalr zero, %pcrel_lo(symbol)(rt)'),
  P('ret', '', 'Return from a function', 'jalr zero, 0(ra) (c.jr ra)'),
  P('mv', 'rd, rs', 'Copy a register', 'addi rd, rs, 0 (c.mv)'),
  P('not', 'rd, rs', 'Bitwise not', 'xori rd, rs, -1'),
  P('neg', 'rd, rs', 'Negate', 'sub rd, zero, rs'),
  P('negw', 'rd, rs', 'Negate word', 'subw rd, zero, rs'),
  P('sext.w', 'rd, rs', 'Sign-extend the low word', 'addiw rd, rs, 0'),
  P('seqz', 'rd, rs', 'Set if zero', 'sltiu rd, rs, 1'),
  P('snez', 'rd, rs', 'Set if not zero', 'sltu rd, zero, rs'),
  P('sltz', 'rd, rs', 'Set if negative', 'slt rd, rs, zero'),
  P('sgtz', 'rd, rs', 'Set if positive', 'slt rd, zero, rs'),
  P('j', 'offset', 'Jump', 'jal zero, offset (c.j when near)'),
  P('jal', 'offset', 'Jump and link in ra', 'jal ra, offset'),
  P('jr', 'rs[, offset]', 'Jump to a register', 'jalr zero, offset(rs) (c.jr)'),
  P('jalr', 'rs', 'Call through a register (link in ra)', 'jalr ra, 0(rs) (c.jalr)'),
  P('beqz', 'rs, offset', 'Branch if zero', 'beq rs, zero, offset'),
  P('bnez', 'rs, offset', 'Branch if not zero', 'bne rs, zero, offset'),
  P('blez', 'rs, offset', 'Branch if ≤ 0', 'bge zero, rs, offset'),
  P('bgez', 'rs, offset', 'Branch if ≥ 0', 'bge rs, zero, offset'),
  P('bltz', 'rs, offset', 'Branch if < 0', 'blt rs, zero, offset'),
  P('bgtz', 'rs, offset', 'Branch if > 0', 'blt zero, rs, offset'),
  P('bgt', 'rs, rt, offset', 'Branch if greater (signed)', 'blt rt, rs, offset'),
  P('ble', 'rs, rt, offset', 'Branch if less or equal (signed)', 'bge rt, rs, offset'),
  P('bgtu', 'rs, rt, offset', 'Branch if greater (unsigned)', 'bltu rt, rs, offset'),
  P('bleu', 'rs, rt, offset', 'Branch if less or equal (unsigned)', 'bgeu rt, rs, offset'),
  P('csrr', 'rd, csr', 'Read a CSR', 'csrrs rd, csr, zero'),
  P('csrw', 'csr, rs|imm', 'Write a CSR', 'csrrw zero, csr, rs (csrrwi for an immediate)'),
  P('csrs', 'csr, rs|imm', 'Set bits in a CSR', 'csrrs zero, csr, rs (csrrsi for an immediate)'),
  P('csrc', 'csr, rs|imm', 'Clear bits in a CSR', 'csrrc zero, csr, rs (csrrci for an immediate)'),
  P('csrwi', 'csr, imm', 'Write a CSR with a 5-bit immediate', 'csrrwi zero, csr, imm'),
  P('csrsi', 'csr, imm', 'Set CSR bits with a 5-bit immediate', 'csrrsi zero, csr, imm'),
  P('csrci', 'csr, imm', 'Clear CSR bits with a 5-bit immediate', 'csrrci zero, csr, imm'),
  P('csrrw', 'rd, csr, imm', 'CSR read and write of an immediate', 'csrrwi rd, csr, imm'),
  P('csrrs', 'rd, csr, imm', 'CSR read and set bits of an immediate', 'csrrsi rd, csr, imm'),
  P('csrrc', 'rd, csr, imm', 'CSR read and clear bits of an immediate', 'csrrci rd, csr, imm'),
  P('rdcycle', 'rd', 'Read the cycle counter', 'csrrs rd, cycle, zero'),
  P('rdtime', 'rd', 'Read the real-time counter', 'csrrs rd, time, zero'),
  P('rdinstret', 'rd', 'Read the instructions-retired counter', 'csrrs rd, instret, zero'),
  P('fence', '', 'Full memory fence', 'fence iorw, iorw'),
  P('sfence.vma', '[rs1]', 'Flush address translations (all, or one address)', 'sfence.vma rs1, zero'),
  P('unimp', '', 'The canonical illegal instruction', 'c.unimp (0x0000) with compressed instructions, else csrrw zero, cycle, zero'),
  P('scall', '', 'Old name of ecall', 'ecall'),
  P('sbreak', '', 'Old name of ebreak', 'ebreak'),
];

const byMnemonic = new Map<string, PseudoInstruction[]>();
for (const p of PSEUDO_INSTRUCTIONS) (byMnemonic.get(p.mnemonic) ?? byMnemonic.set(p.mnemonic, []).get(p.mnemonic)!).push(p);

/** Pseudo forms of a mnemonic (some, like `lw` or `jal`, are also real instructions). */
export function pseudoFormsOf(mnemonic: string): readonly PseudoInstruction[] {
  return byMnemonic.get(mnemonic) ?? [];
}
