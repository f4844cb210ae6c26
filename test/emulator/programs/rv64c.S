/*
 * rv64c.S — RV64C: every compressed instruction of RV64IMAC, written explicitly (c.*) with
 * immediates at their limits, and the same operations written as base instructions that the
 * assembler compresses (checked at run time: the instruction must be 2 bytes long). Also the
 * link value of c.jalr (pc + 2), c.ebreak, the illegal all-zero instruction and a reserved
 * encoding (illegal instruction with the 16 instruction bits in mtval), and HINT encodings,
 * which execute as no-ops.
 */
#include "test-macros.h"

/*
 * C2(insn) marks one instruction; C2_OK, run afterwards in the same case (also after a jump
 * away and back), requires the most recent C2 instruction to be 2 bytes long.
 */
#define C2(...) 93: __VA_ARGS__; 94:
#define C2_OK   la a6, 93b; la a7, 94b; sub a7, a7, a6; li t6, 2; bne a7, t6, xpc_fail;

TEST_BEGIN
        la sp, c_stack

        /* ---- explicit compressed forms ---- */

        /* c.addi4spn: rd' = sp + nzuimm (scaled by 4) */
        TEST_CASE_ADDR(1, s0, c_stack + 4, c.addi4spn s0, sp, 4)
        TEST_CASE_ADDR(2, a5, c_stack + 1020, c.addi4spn a5, sp, 1020)
        /* c.lw, c.sw (offsets scaled by 4, up to 124), c.ld, c.sd (by 8, up to 248) */
        TEST_CASE(3, a0, 0xffffffff87654321,
                la s1, c_data; li a1, 0x87654321; c.sw a1, 0(s1); c.lw a0, 0(s1))
        TEST_CASE(4, a0, 0x0000000012345678,
                la s1, c_data; li a1, 0x12345678; c.sw a1, 124(s1); c.lw a0, 124(s1))
        TEST_CASE(5, a0, 0xfedcba9876543210,
                la s1, c_data; li a1, 0xfedcba9876543210; c.sd a1, 8(s1); c.ld a0, 8(s1))
        TEST_CASE(6, a0, 0x0123456789abcdef,
                la s1, c_data; li a1, 0x0123456789abcdef; c.sd a1, 248(s1); c.ld a0, 248(s1))
        /* c.lwsp, c.swsp (up to 252), c.ldsp, c.sdsp (up to 504); rd may be any register */
        TEST_CASE(7, t0, 0xffffffff80000001, li a1, 0x80000001; c.swsp a1, 252(sp); c.lwsp t0, 252(sp))
        TEST_CASE(8, ra, 0x0000000011112222, li a1, 0x11112222; c.swsp a1, 0(sp); c.lwsp ra, 0(sp))
        TEST_CASE(9, t3, 0x8000000000000000, li a1, 0x8000000000000000; c.sdsp a1, 504(sp); c.ldsp t3, 504(sp))
        TEST_CASE(10, s11, 0x5555aaaa5555aaaa, li a1, 0x5555aaaa5555aaaa; c.sdsp a1, 16(sp); c.ldsp s11, 16(sp))
        /* c.nop */
        TEST_CASE(11, a0, 3, li a0, 3; c.nop)
        /* c.addi: sign-extended 6-bit immediate */
        TEST_CASE(12, a0, 0x0000000000000020, li a0, 1; c.addi a0, 31)
        TEST_CASE(13, t4, 0xffffffffffffffe0, li t4, 0; c.addi t4, -32)
        TEST_CASE(14, a0, 0x0000000000000000, li a0, 0xffffffffffffffff; c.addi a0, 1)
        /* c.addiw: 32-bit result sign-extended; immediate 0 is sext.w */
        TEST_CASE(15, a0, 0xffffffff80000000, li a0, 0x7fffffff; c.addiw a0, 1)
        TEST_CASE(16, a0, 0xffffffff89abcdef, li a0, 0x0123456789abcdef; c.addiw a0, 0)
        TEST_CASE(17, t1, 0x000000007fffffe0, li t1, 0xffffffff80000000; c.addiw t1, -32)
        /* c.li */
        TEST_CASE(18, a0, 31, c.li a0, 31)
        TEST_CASE(19, s2, -32, c.li s2, -32)
        TEST_CASE(20, a0, 0, li a0, 5; c.li a0, 0)
        /* c.addi16sp: multiples of 16, -512..496 */
        TEST_CASE_ADDR(21, sp, c_stack + 496, la sp, c_stack; c.addi16sp sp, 496)
        TEST_CASE_ADDR(22, sp, c_stack, c.addi16sp sp, -496)
        TEST_CASE_ADDR(23, sp, c_stack - 512, c.addi16sp sp, -512)
        TEST_CASE_ADDR(24, sp, c_stack, c.addi16sp sp, 512 - 16; c.addi16sp sp, 16)
        /* c.lui: bits 17..12, sign-extended from bit 17 */
        TEST_CASE(25, a0, 0x000000000001f000, c.lui a0, 0x1f)
        TEST_CASE(26, a0, 0xfffffffffffe0000, c.lui a0, 0xfffe0)
        TEST_CASE(27, t2, 0xfffffffffffff000, c.lui t2, 0xfffff)
        TEST_CASE(28, a0, 0x0000000000001000, c.lui a0, 1)
        /* c.srli, c.srai, c.andi (rd' only) */
        TEST_CASE(29, a0, 0x0000000000000001, li a0, 0x8000000000000000; c.srli a0, 63)
        TEST_CASE(30, a0, 0x0000000080000000, li a0, 0x8000000000000000; c.srli a0, 32)
        TEST_CASE(31, a0, 0x4000000000000000, li a0, 0x8000000000000000; c.srli a0, 1)
        TEST_CASE(32, a0, 0xffffffffffffffff, li a0, 0x8000000000000000; c.srai a0, 63)
        TEST_CASE(33, a0, 0xffffffff80000000, li a0, 0x8000000000000000; c.srai a0, 32)
        TEST_CASE(34, s1, 0x0000000000000fed, li s1, 0x0000000000fedcba; c.srai s1, 12)
        TEST_CASE(35, a0, 0x000000000000001a, li a0, 0x123456789abcdefa; c.andi a0, 31)
        TEST_CASE(36, a0, 0x123456789abcdee0, li a0, 0x123456789abcdefa; c.andi a0, -32)
        TEST_CASE(37, a0, 0x0000000000000000, li a0, -1; c.andi a0, 0)
        /* c.sub, c.xor, c.or, c.and, c.subw, c.addw */
        TEST_CASE(38, a0, 0xfffffffffffffffe, li a0, 5; li a1, 7; c.sub a0, a1)
        TEST_CASE(39, s0, 0x8000000000000000, li s0, 0x7fffffffffffffff; li s1, -1; c.sub s0, s1)
        TEST_CASE(40, a0, 0xff00ff00ff00ff00, li a0, 0x0f0f0f0f0f0f0f0f; li a1, 0xf00ff00ff00ff00f; c.xor a0, a1)
        TEST_CASE(41, a2, 0xff0fff0fff0fff0f, li a2, 0x0f0f0f0f0f0f0f0f; li a3, 0xf00ff00ff00ff00f; c.or a2, a3)
        TEST_CASE(42, a4, 0x000f000f000f000f, li a4, 0x0f0f0f0f0f0f0f0f; li a5, 0xf00ff00ff00ff00f; c.and a4, a5)
        TEST_CASE(43, a0, 0x000000007fffffff, li a0, 0xffffffff80000000; li a1, 1; c.subw a0, a1)
        TEST_CASE(44, a0, 0xffffffff80000000, li a0, 0x000000007fffffff; li a1, 0x100000001; c.addw a0, a1)
        TEST_CASE(45, a0, 0x0000000000000000, li a0, 0x1234567800000000; li a1, 0; c.addw a0, a1)
        /* c.slli: shift amounts up to 63, any rd */
        TEST_CASE(46, a0, 0x8000000000000000, li a0, 1; c.slli a0, 63)
        TEST_CASE(47, t5, 0x0000000100000000, li t5, 1; c.slli t5, 32)
        TEST_CASE(48, a0, 0x2468acf13579bde0, li a0, 0x123456789abcdef0; c.slli a0, 1)
        /* c.mv, c.add (any registers) */
        TEST_CASE(49, t0, 0x0123456789abcdef, li a1, 0x0123456789abcdef; c.mv t0, a1)
        TEST_CASE(50, s10, 0xffffffffffffffff, li s10, 1; li a1, -1; c.mv s10, a1)
        TEST_CASE(51, t0, 0x1111111111111110, li t0, 0x0123456789abcdef; li t1, 0x0fedcba987654321; c.add t0, t1)
        TEST_CASE(52, ra, 0x0000000000000002, li ra, 1; c.add ra, ra)

        /* c.j, c.beqz, c.bnez: taken both ways and not taken */
        TEST_RUN(53, c.j 1f; j xpc_fail; 1:)
        TEST_RUN(54, c.j 2f; 1: c.j 3f; 2: c.j 1b; j xpc_fail; 3:)
        TEST_RUN(55, li a0, 0; c.beqz a0, 1f; j xpc_fail; 1: li a0, 1; c.beqz a0, 2f; c.j 3f; 2: j xpc_fail; 3:)
        TEST_RUN(56, li s0, 0; c.bnez s0, 2f; li s0, -1; c.bnez s0, 1f; 2: j xpc_fail; 1:)
        TEST_RUN(57, li a5, 0; c.j 2f; 1: c.j 3f; 2: c.beqz a5, 1b; j xpc_fail; 3:)
        TEST_RUN(58, li a5, 0x100000000; c.bnez a5, 1f; j xpc_fail; 1: c.beqz a5, 2f; c.j 3f; 2: j xpc_fail; 3:)
        /* c.jr, c.jalr: the link value of c.jalr is pc + 2 */
        TEST_RUN(59, la a1, 1f; c.jr a1; j xpc_fail; 1:)
        TEST_RUN(60, la t0, 1f; 2: c.jalr t0; j xpc_fail; 1: la a1, 2b; sub a1, ra, a1; CHECK(a1, 2))
        TEST_RUN(61, la a1, 1f + 1; c.jr a1; j xpc_fail; 1:)           /* bit 0 cleared */
        TEST_CASE(62, a0, 8, li a0, 1; la a2, c_func; c.jalr a2; addi a0, a0, 1)
        /* c.ebreak: breakpoint, epc = its address */
        TEST_TRAP_AT(63, CAUSE_BREAKPOINT, c.ebreak)

        /* ---- base instructions the assembler compresses ---- */
        TEST_RUN(64, C2(addi s0, sp, 8); C2_OK; la a1, c_stack + 8; CHECK_REG(s0, a1))
        TEST_RUN(65, la s1, c_data; li a1, -77; C2(sw a1, 4(s1)); C2_OK; C2(lw a2, 4(s1)); C2_OK; CHECK(a2, -77))
        TEST_RUN(66, la s1, c_data; li a1, -78; C2(sd a1, 16(s1)); C2_OK; C2(ld a2, 16(s1)); C2_OK; CHECK(a2, -78))
        TEST_RUN(67, li a1, 0x3456; C2(sw a1, 8(sp)); C2_OK; C2(lw t1, 8(sp)); C2_OK; CHECK(t1, 0x3456))
        TEST_RUN(68, li a1, 0x345678; C2(sd a1, 24(sp)); C2_OK; C2(ld t1, 24(sp)); C2_OK; CHECK(t1, 0x345678))
        TEST_RUN(69, li a0, 0; C2(nop); C2_OK; C2(addi a0, a0, -3); C2_OK; CHECK(a0, -3))
        TEST_RUN(70, li a0, 0x7fffffff; C2(addiw a0, a0, 1); C2_OK; CHECK(a0, 0xffffffff80000000))
        TEST_RUN(71, li a0, 0x0123456789abcdef; C2(sext.w a0, a0); C2_OK; CHECK(a0, 0xffffffff89abcdef))
        TEST_RUN(72, C2(li a0, -5); C2_OK; CHECK(a0, -5))
        TEST_RUN(73, C2(addi sp, sp, 32); C2_OK; C2(addi sp, sp, -32); C2_OK; la a1, c_stack; CHECK_REG(sp, a1))
        TEST_RUN(74, C2(lui a0, 0x1e); C2_OK; CHECK(a0, 0x1e000))
        TEST_RUN(75, li a0, -1; C2(srli a0, a0, 60); C2_OK; CHECK(a0, 15))
        TEST_RUN(76, li a0, -256; C2(srai a0, a0, 4); C2_OK; CHECK(a0, -16))
        TEST_RUN(77, li a0, -1; C2(andi a0, a0, 0x15); C2_OK; CHECK(a0, 0x15))
        TEST_RUN(78, li a0, 9; li a1, 4; C2(sub a0, a0, a1); C2_OK; CHECK(a0, 5))
        TEST_RUN(79, li a0, 9; li a1, 4; C2(xor a0, a0, a1); C2_OK; CHECK(a0, 13))
        TEST_RUN(80, li a0, 9; li a1, 4; C2(or a0, a0, a1); C2_OK; CHECK(a0, 13))
        TEST_RUN(81, li a0, 9; li a1, 12; C2(and a0, a0, a1); C2_OK; CHECK(a0, 8))
        TEST_RUN(82, li a0, 0x80000000; li a1, 1; C2(subw a0, a0, a1); C2_OK; CHECK(a0, 0x7fffffff))
        TEST_RUN(83, li a0, 0x7fffffff; li a1, 1; C2(addw a0, a0, a1); C2_OK; CHECK(a0, 0xffffffff80000000))
        TEST_RUN(84, li t2, 3; C2(slli t2, t2, 62); C2_OK; CHECK(t2, 0xc000000000000000))
        TEST_RUN(85, li a1, 17; C2(mv t2, a1); C2_OK; CHECK(t2, 17))
        TEST_RUN(86, li t2, 17; li a1, 4; C2(add t2, t2, a1); C2_OK; CHECK(t2, 21))
        TEST_RUN(87, li t2, 17; li a1, 4; C2(add t2, a1, t2); C2_OK; CHECK(t2, 21))      /* commuted */
        TEST_RUN(88, li a0, 0; C2(beqz a0, 1f); j xpc_fail; 1: C2_OK)
        TEST_RUN(89, li a0, 1; C2(bnez a0, 1f); j xpc_fail; 1: C2_OK)
        TEST_RUN(90, C2(j 1f); j xpc_fail; 1: C2_OK)
        TEST_RUN(91, la a1, 1f; C2(jr a1); j xpc_fail; 1: C2_OK)
        TEST_CASE(92, a0, 8, li a0, 1; la a2, c_func; C2(jalr a2); addi a0, a0, 1)
        TEST_RUN(93, C2_OK)
        TEST_TRAP(94, CAUSE_BREAKPOINT, C2(ebreak))
        TEST_RUN(95, C2_OK)

        /* ---- illegal and reserved encodings ---- */
        TEST_TRAP_AT(96, CAUSE_ILLEGAL_INSTRUCTION, .half 0x0000)        /* defined illegal */
        TEST_RUN(97, CHECK_TVAL(0))
        TEST_TRAP_AT(98, CAUSE_ILLEGAL_INSTRUCTION, .half 0x6081)        /* c.lui ra, 0: reserved */
        TEST_RUN(99, CHECK_TVAL(0x6081))
        TEST_TRAP_AT(100, CAUSE_ILLEGAL_INSTRUCTION, .half 0x6101)       /* c.addi16sp 0: reserved */
        TEST_RUN(101, CHECK_TVAL(0x6101))
        TEST_TRAP_AT(102, CAUSE_ILLEGAL_INSTRUCTION, .half 0x4002)       /* c.lwsp x0, 0: reserved */
        TEST_RUN(103, CHECK_TVAL(0x4002))
        TEST_TRAP_AT(104, CAUSE_ILLEGAL_INSTRUCTION, .half 0x8002)       /* c.jr x0: reserved */
        TEST_RUN(105, CHECK_TVAL(0x8002))

        /* ---- HINTs: no architectural effect ---- */
        TEST_CASE(106, a0, 3, li a0, 3; .half 0x0005)        /* c.nop 1 */
        TEST_CASE(107, a0, 3, li a0, 3; .half 0x0501)        /* c.addi a0, 0 */
        TEST_CASE(108, x0, 0, .half 0x4005)                  /* c.li x0, 1 */
        TEST_CASE(109, x0, 0, .half 0x6005)                  /* c.lui x0, 1 */
        TEST_CASE(110, x0, 0, li a0, 5; .half 0x802a)        /* c.mv x0, a0 */
        TEST_CASE(111, x0, 0, li a0, 5; .half 0x902a)        /* c.add x0, a0 */
        TEST_CASE(112, x0, 0, .half 0x0006)                  /* c.slli x0, 1 */

        TEST_PASS

c_func:
        c.addi a0, 6
c_ret:
        c.jr ra

        TEST_END

        .data
        .balign 16
c_data:
        .skip 256
        .skip 512
c_stack:
        .skip 1024
