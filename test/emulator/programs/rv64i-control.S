/*
 * rv64i-control.S — RV64I control transfer: beq, bne, blt, bge, bltu, bgeu taken (forwards and
 * backwards) and not taken on signed/unsigned edge values; the branch pseudo-instructions; jal
 * and jalr: link value, rd == rs1, the cleared low bit of the jalr target, negative offsets,
 * x0 links; branches far enough to need the long form.
 */
#include "test-macros.h"

TEST_BEGIN

        /* beq */
        TEST_BR2_OP_TAKEN(1, beq, 0, 0)
        TEST_BR2_OP_TAKEN(2, beq, 1, 1)
        TEST_BR2_OP_TAKEN(3, beq, -1, -1)
        TEST_BR2_OP_NOTTAKEN(4, beq, 0, 1)
        TEST_BR2_OP_NOTTAKEN(5, beq, 1, 0)
        TEST_BR2_OP_NOTTAKEN(6, beq, -1, 1)
        TEST_BR2_OP_NOTTAKEN(7, beq, 1, -1)
        TEST_BR2_OP_NOTTAKEN(8, beq, -2, -1)
        TEST_BR2_OP_NOTTAKEN(9, beq, -1, -2)
        TEST_BR2_OP_NOTTAKEN(10, beq, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR2_OP_NOTTAKEN(11, beq, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR2_OP_NOTTAKEN(12, beq, 0x8000000000000000, 0)
        TEST_BR2_OP_NOTTAKEN(13, beq, 0xffffffff, 0x100000000)
        TEST_BR2_OP_NOTTAKEN(14, beq, 0x100000000, 0xffffffff)
        TEST_BR2_OP_NOTTAKEN(15, beq, 0x100000000, 0x200000000)
        /* bne */
        TEST_BR2_OP_NOTTAKEN(16, bne, 0, 0)
        TEST_BR2_OP_NOTTAKEN(17, bne, 1, 1)
        TEST_BR2_OP_NOTTAKEN(18, bne, -1, -1)
        TEST_BR2_OP_TAKEN(19, bne, 0, 1)
        TEST_BR2_OP_TAKEN(20, bne, 1, 0)
        TEST_BR2_OP_TAKEN(21, bne, -1, 1)
        TEST_BR2_OP_TAKEN(22, bne, 1, -1)
        TEST_BR2_OP_TAKEN(23, bne, -2, -1)
        TEST_BR2_OP_TAKEN(24, bne, -1, -2)
        TEST_BR2_OP_TAKEN(25, bne, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR2_OP_TAKEN(26, bne, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR2_OP_TAKEN(27, bne, 0x8000000000000000, 0)
        TEST_BR2_OP_TAKEN(28, bne, 0xffffffff, 0x100000000)
        TEST_BR2_OP_TAKEN(29, bne, 0x100000000, 0xffffffff)
        TEST_BR2_OP_TAKEN(30, bne, 0x100000000, 0x200000000)
        /* blt */
        TEST_BR2_OP_NOTTAKEN(31, blt, 0, 0)
        TEST_BR2_OP_NOTTAKEN(32, blt, 1, 1)
        TEST_BR2_OP_NOTTAKEN(33, blt, -1, -1)
        TEST_BR2_OP_TAKEN(34, blt, 0, 1)
        TEST_BR2_OP_NOTTAKEN(35, blt, 1, 0)
        TEST_BR2_OP_TAKEN(36, blt, -1, 1)
        TEST_BR2_OP_NOTTAKEN(37, blt, 1, -1)
        TEST_BR2_OP_TAKEN(38, blt, -2, -1)
        TEST_BR2_OP_NOTTAKEN(39, blt, -1, -2)
        TEST_BR2_OP_TAKEN(40, blt, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR2_OP_NOTTAKEN(41, blt, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR2_OP_TAKEN(42, blt, 0x8000000000000000, 0)
        TEST_BR2_OP_TAKEN(43, blt, 0xffffffff, 0x100000000)
        TEST_BR2_OP_NOTTAKEN(44, blt, 0x100000000, 0xffffffff)
        TEST_BR2_OP_TAKEN(45, blt, 0x100000000, 0x200000000)
        /* bge */
        TEST_BR2_OP_TAKEN(46, bge, 0, 0)
        TEST_BR2_OP_TAKEN(47, bge, 1, 1)
        TEST_BR2_OP_TAKEN(48, bge, -1, -1)
        TEST_BR2_OP_NOTTAKEN(49, bge, 0, 1)
        TEST_BR2_OP_TAKEN(50, bge, 1, 0)
        TEST_BR2_OP_NOTTAKEN(51, bge, -1, 1)
        TEST_BR2_OP_TAKEN(52, bge, 1, -1)
        TEST_BR2_OP_NOTTAKEN(53, bge, -2, -1)
        TEST_BR2_OP_TAKEN(54, bge, -1, -2)
        TEST_BR2_OP_NOTTAKEN(55, bge, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR2_OP_TAKEN(56, bge, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR2_OP_NOTTAKEN(57, bge, 0x8000000000000000, 0)
        TEST_BR2_OP_NOTTAKEN(58, bge, 0xffffffff, 0x100000000)
        TEST_BR2_OP_TAKEN(59, bge, 0x100000000, 0xffffffff)
        TEST_BR2_OP_NOTTAKEN(60, bge, 0x100000000, 0x200000000)
        /* bltu */
        TEST_BR2_OP_NOTTAKEN(61, bltu, 0, 0)
        TEST_BR2_OP_NOTTAKEN(62, bltu, 1, 1)
        TEST_BR2_OP_NOTTAKEN(63, bltu, -1, -1)
        TEST_BR2_OP_TAKEN(64, bltu, 0, 1)
        TEST_BR2_OP_NOTTAKEN(65, bltu, 1, 0)
        TEST_BR2_OP_NOTTAKEN(66, bltu, -1, 1)
        TEST_BR2_OP_TAKEN(67, bltu, 1, -1)
        TEST_BR2_OP_TAKEN(68, bltu, -2, -1)
        TEST_BR2_OP_NOTTAKEN(69, bltu, -1, -2)
        TEST_BR2_OP_NOTTAKEN(70, bltu, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR2_OP_TAKEN(71, bltu, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR2_OP_NOTTAKEN(72, bltu, 0x8000000000000000, 0)
        TEST_BR2_OP_TAKEN(73, bltu, 0xffffffff, 0x100000000)
        TEST_BR2_OP_NOTTAKEN(74, bltu, 0x100000000, 0xffffffff)
        TEST_BR2_OP_TAKEN(75, bltu, 0x100000000, 0x200000000)
        /* bgeu */
        TEST_BR2_OP_TAKEN(76, bgeu, 0, 0)
        TEST_BR2_OP_TAKEN(77, bgeu, 1, 1)
        TEST_BR2_OP_TAKEN(78, bgeu, -1, -1)
        TEST_BR2_OP_NOTTAKEN(79, bgeu, 0, 1)
        TEST_BR2_OP_TAKEN(80, bgeu, 1, 0)
        TEST_BR2_OP_TAKEN(81, bgeu, -1, 1)
        TEST_BR2_OP_NOTTAKEN(82, bgeu, 1, -1)
        TEST_BR2_OP_NOTTAKEN(83, bgeu, -2, -1)
        TEST_BR2_OP_TAKEN(84, bgeu, -1, -2)
        TEST_BR2_OP_TAKEN(85, bgeu, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_BR2_OP_NOTTAKEN(86, bgeu, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_BR2_OP_TAKEN(87, bgeu, 0x8000000000000000, 0)
        TEST_BR2_OP_NOTTAKEN(88, bgeu, 0xffffffff, 0x100000000)
        TEST_BR2_OP_TAKEN(89, bgeu, 0x100000000, 0xffffffff)
        TEST_BR2_OP_NOTTAKEN(90, bgeu, 0x100000000, 0x200000000)

        /* same register on both sides */
        TEST_RUN(91, li a1, -5; beq a1, a1, 1f; j xpc_fail; 1: bne a1, a1, xpc_fail; bge a1, a1, 2f; j xpc_fail; 2: blt a1, a1, xpc_fail; bltu a1, a1, xpc_fail)
        /* x0 as an operand */
        TEST_RUN(92, li a1, -1; blt x0, a1, xpc_fail; bltu x0, a1, 1f; j xpc_fail; 1: bge x0, x0, 2f; j xpc_fail; 2:)
        /* pseudo-instructions (swapped operands, x0) */
        TEST_BR2_OP_TAKEN(93, bgt, 1, -1)
        TEST_BR2_OP_NOTTAKEN(94, bgt, -1, 1)
        TEST_BR2_OP_TAKEN(95, ble, -1, -1)
        TEST_BR2_OP_NOTTAKEN(96, ble, 0, -1)
        TEST_BR2_OP_TAKEN(97, bgtu, -1, 1)
        TEST_BR2_OP_NOTTAKEN(98, bgtu, 1, -1)
        TEST_BR2_OP_TAKEN(99, bleu, 1, -1)
        TEST_BR2_OP_NOTTAKEN(100, bleu, -1, 1)
        TEST_RUN(101, li a1, 0; bnez a1, xpc_fail; beqz a1, 1f; j xpc_fail; 1:)
        TEST_RUN(102, li a1, -3; bgez a1, xpc_fail; bgtz a1, xpc_fail; bltz a1, 1f; j xpc_fail; 1: blez a1, 2f; j xpc_fail; 2:)
        TEST_RUN(103, li a1, 0; bltz a1, xpc_fail; bgtz a1, xpc_fail; blez a1, 1f; j xpc_fail; 1: bgez a1, 2f; j xpc_fail; 2:)

        /* jal: rd = address of the next instruction */
        TEST_RUN(104, jal ra, 1f; 2: j xpc_fail; 1: la a1, 2b; CHECK_REG(ra, a1))
        TEST_RUN(105, li a0, 1; jal a0, 1f; 2: j xpc_fail; 1: la a1, 2b; CHECK_REG(a0, a1))
        TEST_RUN(106, li a0, 7; jal x0, 1f; li a0, 8; 1: CHECK(a0, 7))
        TEST_RUN(107, j 2f; 1: j 3f; 2: jal t0, 1b; j xpc_fail; 3: CHECK(x0, 0))    /* backwards */
        /* the link value of a 4-byte jal is pc + 4, even with compressed code around */
        TEST_RUN(108, .option push; .option norvc; 1: jal a0, 2f; 2: .option pop; la a1, 1b; sub a0, a0, a1; CHECK(a0, 4))

        /* jalr */
        TEST_RUN(109, la a1, 1f; jalr ra, 0(a1); 2: j xpc_fail; 1: la a2, 2b; CHECK_REG(ra, a2))
        TEST_RUN(110, la a1, 1f + 8; jalr a0, -8(a1); j xpc_fail; 1:)
        TEST_RUN(111, la a1, 1f - 2040; jalr a0, 2040(a1); j xpc_fail; 1:)
        /* the low bit of the target is cleared */
        TEST_RUN(112, la a1, 1f + 1; jalr a0, 0(a1); j xpc_fail; 1:)
        TEST_RUN(113, la a1, 1f; jalr a0, 1(a1); j xpc_fail; 1:)
        TEST_RUN(114, la a1, 1f + 3; jalr a0, -3(a1); j xpc_fail; 1:)
        /* rd == rs1: the target uses the old value */
        TEST_RUN(115, .option push; .option norvc; la a1, 1f; 3: jalr a1, 0(a1); 2: j xpc_fail; 1: .option pop; la a2, 2b; CHECK_REG(a1, a2))
        /* jalr x0 (jr/ret) writes nothing */
        TEST_RUN(116, la a1, 1f; jalr x0, 0(a1); j xpc_fail; 1: CHECK(x0, 0))
        TEST_CASE(117, a0, 9, li a0, 0; call jr_target; addi a0, a0, 2)
        TEST_CASE(118, a0, 12, li a0, 1; la a1, jr_target; jalr a1; addi a0, a0, 4)
        /* a call chain through a register holding a return address */
        TEST_CASE(119, a0, 3, li a0, 0; call nested_outer)

        /* branches and jumps across more than 4 KiB (the assembler's long forms) */
        TEST_RUN(120, li a1, 1; li a2, 1; beq a1, a2, far_target; j xpc_fail)
far_back:
        TEST_RUN(122, li a1, 1; li a2, 2; blt a1, a2, 1f; j xpc_fail; 1:)
        j after_far

jr_target:
        addi a0, a0, 7
        ret

nested_outer:
        mv s1, ra
        addi a0, a0, 1
        call nested_inner
        addi a0, a0, 1
        mv ra, s1
        ret
nested_inner:
        addi a0, a0, 1
        ret

        .skip 5000
far_target:
        TEST_RUN(121, li a1, 3; li a2, 4; bne a1, a2, far_back; j xpc_fail)
after_far:
        TEST_RUN(123, la a1, far_back; la a2, far_target; sub a1, a2, a1; li a3, 5000; bltu a1, a3, xpc_fail)

        TEST_PASS
        TEST_END
