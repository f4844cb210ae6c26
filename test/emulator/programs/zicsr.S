/*
 * zicsr.S — Zicsr semantics and the machine-level CSRs of the board: csrrw/csrrs/csrrc and the
 * immediate forms (old value in rd, 5-bit zero-extended immediates), rd = x0 and rs1 = x0 /
 * uimm = 0 (no write: allowed on read-only CSRs), mscratch, mcycle/minstret/cycle/instret/time
 * counting (time agrees with the CLINT's mtime), misa (RV64 with I, M, A, C, S, U; no F, D),
 * mhartid 0, sstatus as a view of mstatus, mepc/sepc bit 0, the counter-enable rules for S and
 * U, and illegal instruction (with the instruction bits in mtval) for: writing a read-only CSR,
 * a CSR that does not exist, and M-level CSRs from S/U and S-level CSRs from U.
 */
#include "test-macros.h"

TEST_BEGIN

        /* ---- csrrw / csrrs / csrrc ---- */
        TEST_CASE(1, a0, 0, csrw mscratch, zero; li a1, 0x0123456789abcdef; csrrw a0, mscratch, a1)
        TEST_CASE(2, a0, 0x0123456789abcdef, csrr a0, mscratch)
        TEST_CASE(3, a0, 0x0123456789abcdef, li a1, 0xff00; csrrs a0, mscratch, a1)
        TEST_CASE(4, a0, 0x0123456789abffef, csrr a0, mscratch)
        TEST_CASE(5, a0, 0x0123456789abffef, li a1, 0x0f000000000000ff; csrrc a0, mscratch, a1)
        TEST_CASE(6, a0, 0x0023456789abff00, csrr a0, mscratch)
        /* rd = rs1: the old value goes to rd, the register's old value into the CSR */
        TEST_RUN(7, li a1, 77; csrrw a1, mscratch, a1; CHECK(a1, 0x0023456789abff00); csrr a2, mscratch; CHECK(a2, 77))
        TEST_RUN(8, li a1, 0x100; csrrs a1, mscratch, a1; CHECK(a1, 77); csrr a2, mscratch; CHECK(a2, 0x14d))
        TEST_RUN(9, li a1, 0x4c; csrrc a1, mscratch, a1; CHECK(a1, 0x14d); csrr a2, mscratch; CHECK(a2, 0x101))
        /* rd = x0 still writes (csrw, csrs, csrc) */
        TEST_RUN(10, li a1, -1; csrrw x0, mscratch, a1; csrr a2, mscratch; CHECK(a2, -1))
        TEST_RUN(11, li a1, 0xf0; csrc mscratch, a1; csrr a2, mscratch; CHECK(a2, 0xffffffffffffff0f))
        TEST_RUN(12, csrw mscratch, zero; li a1, 0x8000000000000001; csrs mscratch, a1; csrr a2, mscratch; CHECK(a2, 0x8000000000000001))
        /* rs1 = x0: no write, value unchanged */
        TEST_RUN(13, csrrs a0, mscratch, x0; CHECK(a0, 0x8000000000000001); csrrc a0, mscratch, x0; CHECK(a0, 0x8000000000000001))

        /* ---- immediate forms: uimm 0..31, zero-extended ---- */
        TEST_RUN(14, csrrwi a0, mscratch, 31; CHECK(a0, 0x8000000000000001); csrr a0, mscratch; CHECK(a0, 31))
        TEST_RUN(15, csrrci a0, mscratch, 0x11; CHECK(a0, 31); csrr a0, mscratch; CHECK(a0, 0x0e))
        TEST_RUN(16, csrrsi a0, mscratch, 0x10; CHECK(a0, 0x0e); csrr a0, mscratch; CHECK(a0, 0x1e))
        TEST_RUN(17, csrwi mscratch, 0; csrsi mscratch, 5; csrci mscratch, 1; csrr a0, mscratch; CHECK(a0, 4))
        TEST_RUN(18, csrrsi a0, mscratch, 0; CHECK(a0, 4); csrrci a0, mscratch, 0; CHECK(a0, 4); csrr a0, mscratch; CHECK(a0, 4))
        TEST_RUN(19, li a1, -1; csrw mscratch, a1; csrrci a0, mscratch, 31; CHECK(a0, -1); csrr a0, mscratch; CHECK(a0, 0xffffffffffffffe0))
        TEST_RUN(20, csrrwi x0, mscratch, 0; csrr a0, mscratch; CHECK(a0, 0))

        /* ---- identification ---- */
        TEST_CASE(21, a0, 0, csrr a0, mhartid)
        /* misa: MXL = 2 (RV64) and I, M, A, C, S, U; no F, D, Q, E */
        TEST_RUN(22, csrr a0, misa; srli a1, a0, 62; CHECK(a1, 2))
        TEST_RUN(23, csrr a0, misa; li a1, (1 << 8) | (1 << 12) | (1 << 0) | (1 << 2) | (1 << 18) | (1 << 20);
                and a2, a0, a1; CHECK_REG(a2, a1))
        TEST_RUN(24, csrr a0, misa; li a1, (1 << 5) | (1 << 3) | (1 << 16) | (1 << 4); and a2, a0, a1; CHECK(a2, 0))
        /* reading the other identification registers is allowed (values are implementation's) */
        TEST_RUN(25, csrr a0, mvendorid; csrr a0, marchid; csrr a0, mimpid)
        TEST_RUN(26, csrr a0, mconfigptr)

        /* ---- counters ---- */
        TEST_RUN(27, csrr a0, mcycle; li a2, 100; 1: addi a2, a2, -1; bnez a2, 1b; csrr a1, mcycle; bleu a1, a0, xpc_fail)
        TEST_RUN(28, csrr a0, minstret; li a2, 100; 1: addi a2, a2, -1; bnez a2, 1b; csrr a1, minstret; bleu a1, a0, xpc_fail)
        TEST_RUN(29, rdcycle a0; li a2, 100; 1: addi a2, a2, -1; bnez a2, 1b; rdcycle a1; bleu a1, a0, xpc_fail)
        TEST_RUN(30, rdinstret a0; li a2, 100; 1: addi a2, a2, -1; bnez a2, 1b; rdinstret a1; bleu a1, a0, xpc_fail)
        /* 100 loop iterations retire at least 200 instructions */
        TEST_RUN(31, csrr a0, minstret; li a2, 100; 1: addi a2, a2, -1; bnez a2, 1b; csrr a1, minstret; sub a1, a1, a0; li a3, 200; bltu a1, a3, xpc_fail)
        /* the machine counters are writable and keep counting from the written value */
        TEST_RUN(32, li a1, 0x100000000; csrw mcycle, a1; csrr a0, mcycle; bltu a0, a1, xpc_fail; li a2, 0x100000000 + 0x1000000; bgeu a0, a2, xpc_fail)
        TEST_RUN(33, li a1, 0x200000000; csrw minstret, a1; csrr a0, minstret; bltu a0, a1, xpc_fail; li a2, 0x200000000 + 0x1000000; bgeu a0, a2, xpc_fail)
        /* time advances and lies between two reads of the CLINT's mtime */
        TEST_RUN(34, li a3, CLINT_MTIME; ld a0, 0(a3); rdtime a1; ld a2, 0(a3); bltu a1, a0, xpc_fail; bltu a2, a1, xpc_fail)
        TEST_RUN(35, rdtime a0; li a2, 1000000; 1: rdtime a1; bne a1, a0, 2f; addi a2, a2, -1; bnez a2, 1b; j xpc_fail; 2: bltu a1, a0, xpc_fail)

        /* ---- read-only CSRs: reading is fine, writing is illegal ---- */
        TEST_RUN(36, li a1, 5; csrrs a0, mhartid, x0; csrrc a0, mhartid, x0; csrrsi a0, mhartid, 0; csrrci a0, mvendorid, 0; CHECK(a1, 5))
        TEST_TRAP_AT(37, CAUSE_ILLEGAL_INSTRUCTION, csrw mhartid, zero)
        TEST_RUN(38, CHECK_TVAL_INSN)
        TEST_TRAP_AT(39, CAUSE_ILLEGAL_INSTRUCTION, csrrwi a0, mvendorid, 0)
        TEST_RUN(40, CHECK_TVAL_INSN; li a1, 1)
        TEST_TRAP_AT(41, CAUSE_ILLEGAL_INSTRUCTION, csrrs a0, mimpid, a1)
        TEST_RUN(42, li a0, 0x00000000f135a573 /* csrrs a0, mimpid, a1 */; CHECK_REG(t6, a0))
        TEST_TRAP_AT(43, CAUSE_ILLEGAL_INSTRUCTION, csrw cycle, zero)
        TEST_RUN(44, CHECK_TVAL_INSN)
        TEST_TRAP_AT(45, CAUSE_ILLEGAL_INSTRUCTION, csrrsi a0, instret, 1)
        TEST_RUN(46, CHECK_TVAL_INSN; li a1, 2)
        TEST_TRAP_AT(47, CAUSE_ILLEGAL_INSTRUCTION, csrrc a0, time, a1)
        TEST_RUN(48, CHECK_TVAL_INSN)
        /* a CSR that does not exist (custom machine read/write range) */
        TEST_TRAP_AT(49, CAUSE_ILLEGAL_INSTRUCTION, csrr a0, 0x7c0)
        TEST_RUN(50, CHECK_TVAL_INSN)
        TEST_TRAP_AT(51, CAUSE_ILLEGAL_INSTRUCTION, csrw 0x7c0, a0)
        TEST_RUN(52, li a0, 0x7c051073; CHECK_REG(t6, a0))
        /* a trapping CSR instruction changes neither rd nor the CSR */
        TEST_RUN(53, li a0, 1234; csrw mscratch, zero)
        TEST_TRAP(54, CAUSE_ILLEGAL_INSTRUCTION, csrrw a0, mhartid, a0)
        TEST_RUN(55, CHECK(a0, 1234))

        /* ---- sstatus is a restricted view of mstatus ---- */
        TEST_RUN(56, li a1, MSTATUS_MPP; csrs mstatus, a1; csrr a0, sstatus; and a0, a0, a1; CHECK(a0, 0))
        TEST_RUN(57, li a1, MSTATUS_SUM; csrs sstatus, a1; csrr a0, mstatus; and a0, a0, a1; CHECK_REG(a0, a1))
        TEST_RUN(58, li a1, MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SPP | MSTATUS_SPIE;
                csrs mstatus, a1; csrr a0, sstatus; and a0, a0, a1; CHECK_REG(a0, a1);
                csrc sstatus, a1; csrr a0, mstatus; and a0, a0, a1; CHECK(a0, 0))
        TEST_RUN(59, li a1, MSTATUS_MIE | MSTATUS_MPIE; csrc mstatus, a1; csrs sstatus, a1; csrr a0, mstatus; and a0, a0, a1; CHECK(a0, 0))
        /* mstatus.UXL and SXL read 2 (64-bit) */
        TEST_RUN(60, csrr a0, mstatus; srli a0, a0, 32; andi a0, a0, 0xf; CHECK(a0, 0xa))
        TEST_RUN(61, csrr a0, sstatus; srli a0, a0, 32; andi a0, a0, 0x3; CHECK(a0, 0x2))
        TEST_RUN(62, li a1, MSTATUS_MPP; csrc mstatus, a1)

        /* ---- xepc: bit 0 always reads zero ---- */
#ifdef XPC_QEMU
        /* QEMU 7.2 keeps bit 0 of a written mepc/sepc; the spec clears it. */
        TEST_RUN(63, li a1, 0x80001235; csrw mepc, a1; csrr a0, mepc; andi a0, a0, -2; CHECK(a0, 0x80001234))
        TEST_RUN(64, li a1, 0x80001237; csrw sepc, a1; csrr a0, sepc; andi a0, a0, -2; CHECK(a0, 0x80001236))
#else
        TEST_RUN(63, li a1, 0x80001235; csrw mepc, a1; csrr a0, mepc; CHECK(a0, 0x80001234))
        TEST_RUN(64, li a1, 0x80001237; csrw sepc, a1; csrr a0, sepc; CHECK(a0, 0x80001236))
#endif
        TEST_RUN(65, li a1, 0x80001232; csrw mepc, a1; csrr a0, mepc; CHECK(a0, 0x80001232))

        /* ---- S-mode: S CSRs allowed, M CSRs illegal ---- */
        TEST_RUN(66, li a0, 0x11; csrw sscratch, a0; csrw mcounteren, zero; csrw scounteren, zero)
        GOTO_S(s_mode)
s_mode:
        TEST_RUN(67, csrr a0, sscratch; CHECK(a0, 0x11); li a1, 0x22; csrw sscratch, a1; csrr a0, sscratch; CHECK(a0, 0x22))
        TEST_RUN(68, csrr a0, sstatus; csrr a0, stvec; csrr a0, sepc; csrr a0, scause; csrr a0, stval; csrr a0, satp)
        TEST_TRAP_AT(69, CAUSE_ILLEGAL_INSTRUCTION, csrr a0, mscratch)
        TEST_RUN(70, CHECK_TVAL_INSN)
        TEST_TRAP_AT(71, CAUSE_ILLEGAL_INSTRUCTION, csrr a0, mstatus)
        TEST_RUN(72, CHECK_TVAL_INSN)
        TEST_TRAP_AT(73, CAUSE_ILLEGAL_INSTRUCTION, csrw mtvec, zero)
        TEST_RUN(74, CHECK_TVAL_INSN)
        TEST_TRAP_AT(75, CAUSE_ILLEGAL_INSTRUCTION, csrr a0, mhartid)
        TEST_RUN(76, CHECK_TVAL_INSN)
        TEST_TRAP_AT(77, CAUSE_ILLEGAL_INSTRUCTION, csrr a0, mcycle)
        TEST_RUN(78, CHECK_TVAL_INSN)
        /* counters from S-mode need mcounteren */
        TEST_TRAP_AT(79, CAUSE_ILLEGAL_INSTRUCTION, rdcycle a0)
        TEST_RUN(80, CHECK_TVAL_INSN)
        TEST_TRAP_AT(81, CAUSE_ILLEGAL_INSTRUCTION, rdinstret a0)
        TEST_TRAP_AT(82, CAUSE_ILLEGAL_INSTRUCTION, rdtime a0)
        RETURN_TO_M
        TEST_RUN(83, csrr a0, sscratch; CHECK(a0, 0x22))
        TEST_RUN(84, li a0, 7; csrw mcounteren, a0)
        GOTO_S(s_mode2)
s_mode2:
        TEST_RUN(85, rdcycle a0; rdinstret a1; rdtime a2)
        TEST_RUN(86, rdinstret a0; nop; nop; rdinstret a1; bleu a1, a0, xpc_fail)
        RETURN_TO_M

        /* ---- U-mode: S and M CSRs illegal; counters need mcounteren and scounteren ---- */
        TEST_RUN(87, csrw mcounteren, zero; csrw scounteren, zero)
        GOTO_U(u_mode)
u_mode:
        TEST_TRAP_AT(88, CAUSE_ILLEGAL_INSTRUCTION, csrr a0, sscratch)
        TEST_RUN(89, CHECK_TVAL_INSN)
        TEST_TRAP_AT(90, CAUSE_ILLEGAL_INSTRUCTION, csrw sstatus, zero)
        TEST_RUN(91, CHECK_TVAL_INSN)
        TEST_TRAP_AT(92, CAUSE_ILLEGAL_INSTRUCTION, csrr a0, mscratch)
        TEST_RUN(93, CHECK_TVAL_INSN)
        TEST_TRAP_AT(94, CAUSE_ILLEGAL_INSTRUCTION, csrr a0, satp)
        TEST_RUN(95, CHECK_TVAL_INSN)
        TEST_TRAP_AT(96, CAUSE_ILLEGAL_INSTRUCTION, rdcycle a0)
        TEST_RUN(97, CHECK_TVAL_INSN)
        TEST_TRAP_AT(98, CAUSE_ILLEGAL_INSTRUCTION, rdtime a0)
        RETURN_TO_M
        /* mcounteren alone is not enough for U-mode when S-mode exists */
        TEST_RUN(99, li a0, 7; csrw mcounteren, a0; csrw scounteren, zero)
        GOTO_U(u_mode2)
u_mode2:
        TEST_TRAP_AT(100, CAUSE_ILLEGAL_INSTRUCTION, rdinstret a0)
        RETURN_TO_M
        TEST_RUN(101, li a0, 7; csrw scounteren, a0)
        GOTO_U(u_mode3)
u_mode3:
        TEST_RUN(102, rdcycle a0; rdinstret a1; rdtime a2)
        TEST_RUN(103, rdcycle a0; nop; nop; rdcycle a1; bleu a1, a0, xpc_fail)
        RETURN_TO_M
        /* only the enabled counter: cycle on, instret off */
        TEST_RUN(104, li a0, 1; csrw scounteren, a0)
        GOTO_U(u_mode4)
u_mode4:
        TEST_RUN(105, rdcycle a0)
        TEST_TRAP_AT(106, CAUSE_ILLEGAL_INSTRUCTION, rdinstret a0)
        TEST_TRAP_AT(107, CAUSE_ILLEGAL_INSTRUCTION, rdtime a0)
        RETURN_TO_M
        TEST_RUN(108, csrw mcounteren, zero; csrw scounteren, zero)

        TEST_PASS
        TEST_END
