import { strict as assert } from 'node:assert';
import { EXIT_A0, runOnHart } from './hart-harness';

const prog = (body: string, data = '') => `.globl _start\n_start:\n${body}\n  j exit_a0\n${EXIT_A0}\n.data\n${data}`;

describe('hart: basics', () => {
  it('runs arithmetic and exits through the finisher with a computed code', () => {
    const r = runOnHart(prog('  li a0, 40\n  addi a0, a0, 2'));
    assert.equal(r.exit, 42);
  });

  it('sums 1..100 in a loop (branches, compressed forms)', () => {
    const r = runOnHart(prog('  li a0, 0\n  li t0, 100\n1: add a0, a0, t0\n  addi t0, t0, -1\n  bnez t0, 1b\n  li t1, 5050\n  sub a0, a0, t1\n  seqz a0, a0'));
    assert.equal(r.exit, 1);
  });

  it('handles 64-bit values: li of big constants, shifts and comparisons', () => {
    const r = runOnHart(prog([
      '  li t0, 0x123456789abcdef0', '  srli t1, t0, 32', '  li t2, 0x12345678', '  bne t1, t2, fail',
      '  slli t1, t0, 4', '  li t2, 0x23456789abcdef00', '  bne t1, t2, fail',
      '  li t1, -1', '  srai t2, t1, 63', '  bne t1, t2, fail',
      '  li t1, 0x8000000000000000', '  bgez t1, fail', '  sltu t2, zero, t1', '  beqz t2, fail',
      '  li a0, 7', '  j done', 'fail: li a0, 99', 'done:',
    ].join('\n')));
    assert.equal(r.exit, 7);
  });

  it('loads and stores every width with sign and zero extension', () => {
    const r = runOnHart(prog([
      '  la t0, buf', '  li t1, -2', '  sd t1, 0(t0)', '  lb t2, 0(t0)', '  li t3, -2', '  bne t2, t3, fail',
      '  lbu t2, 0(t0)', '  li t3, 254', '  bne t2, t3, fail', '  lwu t2, 4(t0)', '  li t3, 0xffffffff', '  bne t2, t3, fail',
      '  sh zero, 2(t0)', '  ld t2, 0(t0)', '  li t3, 0xffffffff0000fffe', '  bne t2, t3, fail',
      '  lw t2, 1(t0)', // misaligned: performed by the hardware
      '  li a0, 3', '  j done', 'fail: li a0, 99', 'done:',
    ].join('\n'), '.balign 8\nbuf: .dword 0'));
    assert.equal(r.exit, 3);
  });

  it('multiplies and divides with the spec results for zero and overflow', () => {
    const r = runOnHart(prog([
      '  li t0, 7', '  li t1, -3', '  mul t2, t0, t1', '  li t3, -21', '  bne t2, t3, fail',
      '  div t2, t0, zero', '  li t3, -1', '  bne t2, t3, fail',
      '  rem t2, t0, zero', '  bne t2, t0, fail',
      '  li t4, 0x8000000000000000', '  li t5, -1', '  div t2, t4, t5', '  bne t2, t4, fail',
      '  mulhu t2, t4, t4', '  li t3, 0x4000000000000000', '  bne t2, t3, fail',
      '  divw t2, t1, t0', '  bnez t2, fail',
      '  li a0, 5', '  j done', 'fail: li a0, 99', 'done:',
    ].join('\n')));
    assert.equal(r.exit, 5);
  });

  it('takes an illegal-instruction trap to mtvec with mcause, mepc and mtval', () => {
    const r = runOnHart(prog([
      '  la t0, handler', '  csrw mtvec, t0',
      'bad: .insn 0xffffffff',
      '  li a0, 99', '  j exit_a0',
      '.balign 4', 'handler:', '  csrr t1, mcause', '  li t2, 2', '  bne t1, t2, fail',
      '  csrr t1, mepc', '  la t2, bad', '  bne t1, t2, fail',
      '  csrr t1, mtval', '  li t2, 0xffffffff', '  bne t1, t2, fail',
      '  li a0, 9', '  j done', 'fail: li a0, 98', 'done:',
    ].join('\n')));
    assert.equal(r.exit, 9);
  });

  it('drops to U-mode with mret and comes back through ecall (cause 8)', () => {
    const r = runOnHart(prog([
      '  la t0, handler', '  csrw mtvec, t0',
      '  la t0, user', '  csrw mepc, t0', '  li t0, 0x1800', '  csrc mstatus, t0', '  mret',
      'user: ecall',
      '.balign 4', 'handler:', '  csrr a0, mcause', '  j done', 'done:',
    ].join('\n')));
    assert.equal(r.exit, 8);
  });
});
