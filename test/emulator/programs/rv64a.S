/*
 * rv64a.S — RV64A: every AMO in .w and .d form (rd = the old value, sign-extended for .w; the
 * .w forms touch only their word; min/max compare 32-bit values for .w), rd = x0, rd = rs2, the
 * .aq/.rl/.aqrl orderings; LR/SC behaviour the ISA guarantees (an SC after an LR to the same
 * address eventually succeeds in a constrained loop; any SC ends the reservation, so an SC
 * without an LR since the last SC fails and writes nothing); misaligned AMOs raise
 * store/AMO address misaligned (6) and misaligned LRs load address misaligned (4), tval = the
 * address.
 */
#include "test-macros.h"

/* amo_word holds init; rs2 = src; then rd must be old and the doubleword at amo_word mem. */
#define TEST_AMO(n, inst, init, src, old, mem)                            \
        TEST_RUN(n, la a1, amo_word; li a2, init; sd a2, 0(a1);           \
                li a2, src; inst a0, a2, (a1);                            \
                CHECK(a0, old); ld a3, 0(a1); CHECK(a3, mem))

/* A misaligned AMO: store/AMO address misaligned with tval = the address (in reg). */
#define TEST_AMO_MISALIGNED(n, reg, ...)                                  \
        TEST_TRAP_AMO(n, CAUSE_MISALIGNED_STORE, __VA_ARGS__)             \
        bne t6, reg, xpc_fail;

TEST_BEGIN

        TEST_AMO(1, amoswap.w, 0x5a5a5a5a00000005, 0x0000000000000003, 0x0000000000000005, 0x5a5a5a5a00000003)
        TEST_AMO(2, amoswap.w, 0x5a5a5a5a80000000, 0x000000007fffffff, 0xffffffff80000000, 0x5a5a5a5a7fffffff)
        TEST_AMO(3, amoswap.w, 0x5a5a5a5a00000000, 0x7fffffffffffffff, 0x0000000000000000, 0x5a5a5a5affffffff)
        TEST_AMO(4, amoswap.w, 0x5a5a5a5afffffff0, 0xffffffff00000010, 0xfffffffffffffff0, 0x5a5a5a5a00000010)
        TEST_AMO(5, amoswap.w, 0x5a5a5a5a9abcdef0, 0x0fedcba987654321, 0xffffffff9abcdef0, 0x5a5a5a5a87654321)
        TEST_AMO(6, amoadd.w, 0x5a5a5a5a00000005, 0x0000000000000003, 0x0000000000000005, 0x5a5a5a5a00000008)
        TEST_AMO(7, amoadd.w, 0x5a5a5a5a80000000, 0x000000007fffffff, 0xffffffff80000000, 0x5a5a5a5affffffff)
        TEST_AMO(8, amoadd.w, 0x5a5a5a5a00000000, 0x7fffffffffffffff, 0x0000000000000000, 0x5a5a5a5affffffff)
        TEST_AMO(9, amoadd.w, 0x5a5a5a5afffffff0, 0xffffffff00000010, 0xfffffffffffffff0, 0x5a5a5a5a00000000)
        TEST_AMO(10, amoadd.w, 0x5a5a5a5a9abcdef0, 0x0fedcba987654321, 0xffffffff9abcdef0, 0x5a5a5a5a22222211)
        TEST_AMO(11, amoxor.w, 0x5a5a5a5a00000005, 0x0000000000000003, 0x0000000000000005, 0x5a5a5a5a00000006)
        TEST_AMO(12, amoxor.w, 0x5a5a5a5a80000000, 0x000000007fffffff, 0xffffffff80000000, 0x5a5a5a5affffffff)
        TEST_AMO(13, amoxor.w, 0x5a5a5a5a00000000, 0x7fffffffffffffff, 0x0000000000000000, 0x5a5a5a5affffffff)
        TEST_AMO(14, amoxor.w, 0x5a5a5a5afffffff0, 0xffffffff00000010, 0xfffffffffffffff0, 0x5a5a5a5affffffe0)
        TEST_AMO(15, amoxor.w, 0x5a5a5a5a9abcdef0, 0x0fedcba987654321, 0xffffffff9abcdef0, 0x5a5a5a5a1dd99dd1)
        TEST_AMO(16, amoand.w, 0x5a5a5a5a00000005, 0x0000000000000003, 0x0000000000000005, 0x5a5a5a5a00000001)
        TEST_AMO(17, amoand.w, 0x5a5a5a5a80000000, 0x000000007fffffff, 0xffffffff80000000, 0x5a5a5a5a00000000)
        TEST_AMO(18, amoand.w, 0x5a5a5a5a00000000, 0x7fffffffffffffff, 0x0000000000000000, 0x5a5a5a5a00000000)
        TEST_AMO(19, amoand.w, 0x5a5a5a5afffffff0, 0xffffffff00000010, 0xfffffffffffffff0, 0x5a5a5a5a00000010)
        TEST_AMO(20, amoand.w, 0x5a5a5a5a9abcdef0, 0x0fedcba987654321, 0xffffffff9abcdef0, 0x5a5a5a5a82244220)
        TEST_AMO(21, amoor.w, 0x5a5a5a5a00000005, 0x0000000000000003, 0x0000000000000005, 0x5a5a5a5a00000007)
        TEST_AMO(22, amoor.w, 0x5a5a5a5a80000000, 0x000000007fffffff, 0xffffffff80000000, 0x5a5a5a5affffffff)
        TEST_AMO(23, amoor.w, 0x5a5a5a5a00000000, 0x7fffffffffffffff, 0x0000000000000000, 0x5a5a5a5affffffff)
        TEST_AMO(24, amoor.w, 0x5a5a5a5afffffff0, 0xffffffff00000010, 0xfffffffffffffff0, 0x5a5a5a5afffffff0)
        TEST_AMO(25, amoor.w, 0x5a5a5a5a9abcdef0, 0x0fedcba987654321, 0xffffffff9abcdef0, 0x5a5a5a5a9ffddff1)
        TEST_AMO(26, amomin.w, 0x5a5a5a5a00000005, 0x0000000000000003, 0x0000000000000005, 0x5a5a5a5a00000003)
        TEST_AMO(27, amomin.w, 0x5a5a5a5a80000000, 0x000000007fffffff, 0xffffffff80000000, 0x5a5a5a5a80000000)
        TEST_AMO(28, amomin.w, 0x5a5a5a5a00000000, 0x7fffffffffffffff, 0x0000000000000000, 0x5a5a5a5affffffff)
        TEST_AMO(29, amomin.w, 0x5a5a5a5afffffff0, 0xffffffff00000010, 0xfffffffffffffff0, 0x5a5a5a5afffffff0)
        TEST_AMO(30, amomin.w, 0x5a5a5a5a9abcdef0, 0x0fedcba987654321, 0xffffffff9abcdef0, 0x5a5a5a5a87654321)
        TEST_AMO(31, amomax.w, 0x5a5a5a5a00000005, 0x0000000000000003, 0x0000000000000005, 0x5a5a5a5a00000005)
        TEST_AMO(32, amomax.w, 0x5a5a5a5a80000000, 0x000000007fffffff, 0xffffffff80000000, 0x5a5a5a5a7fffffff)
        TEST_AMO(33, amomax.w, 0x5a5a5a5a00000000, 0x7fffffffffffffff, 0x0000000000000000, 0x5a5a5a5a00000000)
        TEST_AMO(34, amomax.w, 0x5a5a5a5afffffff0, 0xffffffff00000010, 0xfffffffffffffff0, 0x5a5a5a5a00000010)
        TEST_AMO(35, amomax.w, 0x5a5a5a5a9abcdef0, 0x0fedcba987654321, 0xffffffff9abcdef0, 0x5a5a5a5a9abcdef0)
        TEST_AMO(36, amominu.w, 0x5a5a5a5a00000005, 0x0000000000000003, 0x0000000000000005, 0x5a5a5a5a00000003)
        TEST_AMO(37, amominu.w, 0x5a5a5a5a80000000, 0x000000007fffffff, 0xffffffff80000000, 0x5a5a5a5a7fffffff)
        TEST_AMO(38, amominu.w, 0x5a5a5a5a00000000, 0x7fffffffffffffff, 0x0000000000000000, 0x5a5a5a5a00000000)
        TEST_AMO(39, amominu.w, 0x5a5a5a5afffffff0, 0xffffffff00000010, 0xfffffffffffffff0, 0x5a5a5a5a00000010)
        TEST_AMO(40, amominu.w, 0x5a5a5a5a9abcdef0, 0x0fedcba987654321, 0xffffffff9abcdef0, 0x5a5a5a5a87654321)
        TEST_AMO(41, amomaxu.w, 0x5a5a5a5a00000005, 0x0000000000000003, 0x0000000000000005, 0x5a5a5a5a00000005)
        TEST_AMO(42, amomaxu.w, 0x5a5a5a5a80000000, 0x000000007fffffff, 0xffffffff80000000, 0x5a5a5a5a80000000)
        TEST_AMO(43, amomaxu.w, 0x5a5a5a5a00000000, 0x7fffffffffffffff, 0x0000000000000000, 0x5a5a5a5affffffff)
        TEST_AMO(44, amomaxu.w, 0x5a5a5a5afffffff0, 0xffffffff00000010, 0xfffffffffffffff0, 0x5a5a5a5afffffff0)
        TEST_AMO(45, amomaxu.w, 0x5a5a5a5a9abcdef0, 0x0fedcba987654321, 0xffffffff9abcdef0, 0x5a5a5a5a9abcdef0)
        TEST_AMO(46, amoswap.d, 0x0000000000000005, 0x0000000000000003, 0x0000000000000005, 0x0000000000000003)
        TEST_AMO(47, amoswap.d, 0xffffffff80000000, 0x000000007fffffff, 0xffffffff80000000, 0x000000007fffffff)
        TEST_AMO(48, amoswap.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_AMO(49, amoswap.d, 0x00000000fffffff0, 0xffffffff00000010, 0x00000000fffffff0, 0xffffffff00000010)
        TEST_AMO(50, amoswap.d, 0x123456789abcdef0, 0x0fedcba987654321, 0x123456789abcdef0, 0x0fedcba987654321)
        TEST_AMO(51, amoadd.d, 0x0000000000000005, 0x0000000000000003, 0x0000000000000005, 0x0000000000000008)
        TEST_AMO(52, amoadd.d, 0xffffffff80000000, 0x000000007fffffff, 0xffffffff80000000, 0xffffffffffffffff)
        TEST_AMO(53, amoadd.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
        TEST_AMO(54, amoadd.d, 0x00000000fffffff0, 0xffffffff00000010, 0x00000000fffffff0, 0x0000000000000000)
        TEST_AMO(55, amoadd.d, 0x123456789abcdef0, 0x0fedcba987654321, 0x123456789abcdef0, 0x2222222222222211)
        TEST_AMO(56, amoxor.d, 0x0000000000000005, 0x0000000000000003, 0x0000000000000005, 0x0000000000000006)
        TEST_AMO(57, amoxor.d, 0xffffffff80000000, 0x000000007fffffff, 0xffffffff80000000, 0xffffffffffffffff)
        TEST_AMO(58, amoxor.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
        TEST_AMO(59, amoxor.d, 0x00000000fffffff0, 0xffffffff00000010, 0x00000000fffffff0, 0xffffffffffffffe0)
        TEST_AMO(60, amoxor.d, 0x123456789abcdef0, 0x0fedcba987654321, 0x123456789abcdef0, 0x1dd99dd11dd99dd1)
        TEST_AMO(61, amoand.d, 0x0000000000000005, 0x0000000000000003, 0x0000000000000005, 0x0000000000000001)
        TEST_AMO(62, amoand.d, 0xffffffff80000000, 0x000000007fffffff, 0xffffffff80000000, 0x0000000000000000)
        TEST_AMO(63, amoand.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x0000000000000000)
        TEST_AMO(64, amoand.d, 0x00000000fffffff0, 0xffffffff00000010, 0x00000000fffffff0, 0x0000000000000010)
        TEST_AMO(65, amoand.d, 0x123456789abcdef0, 0x0fedcba987654321, 0x123456789abcdef0, 0x0224422882244220)
        TEST_AMO(66, amoor.d, 0x0000000000000005, 0x0000000000000003, 0x0000000000000005, 0x0000000000000007)
        TEST_AMO(67, amoor.d, 0xffffffff80000000, 0x000000007fffffff, 0xffffffff80000000, 0xffffffffffffffff)
        TEST_AMO(68, amoor.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
        TEST_AMO(69, amoor.d, 0x00000000fffffff0, 0xffffffff00000010, 0x00000000fffffff0, 0xfffffffffffffff0)
        TEST_AMO(70, amoor.d, 0x123456789abcdef0, 0x0fedcba987654321, 0x123456789abcdef0, 0x1ffddff99ffddff1)
        TEST_AMO(71, amomin.d, 0x0000000000000005, 0x0000000000000003, 0x0000000000000005, 0x0000000000000003)
        TEST_AMO(72, amomin.d, 0xffffffff80000000, 0x000000007fffffff, 0xffffffff80000000, 0xffffffff80000000)
        TEST_AMO(73, amomin.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000)
        TEST_AMO(74, amomin.d, 0x00000000fffffff0, 0xffffffff00000010, 0x00000000fffffff0, 0xffffffff00000010)
        TEST_AMO(75, amomin.d, 0x123456789abcdef0, 0x0fedcba987654321, 0x123456789abcdef0, 0x0fedcba987654321)
        TEST_AMO(76, amomax.d, 0x0000000000000005, 0x0000000000000003, 0x0000000000000005, 0x0000000000000005)
        TEST_AMO(77, amomax.d, 0xffffffff80000000, 0x000000007fffffff, 0xffffffff80000000, 0x000000007fffffff)
        TEST_AMO(78, amomax.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_AMO(79, amomax.d, 0x00000000fffffff0, 0xffffffff00000010, 0x00000000fffffff0, 0x00000000fffffff0)
        TEST_AMO(80, amomax.d, 0x123456789abcdef0, 0x0fedcba987654321, 0x123456789abcdef0, 0x123456789abcdef0)
        TEST_AMO(81, amominu.d, 0x0000000000000005, 0x0000000000000003, 0x0000000000000005, 0x0000000000000003)
        TEST_AMO(82, amominu.d, 0xffffffff80000000, 0x000000007fffffff, 0xffffffff80000000, 0x000000007fffffff)
        TEST_AMO(83, amominu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
        TEST_AMO(84, amominu.d, 0x00000000fffffff0, 0xffffffff00000010, 0x00000000fffffff0, 0x00000000fffffff0)
        TEST_AMO(85, amominu.d, 0x123456789abcdef0, 0x0fedcba987654321, 0x123456789abcdef0, 0x0fedcba987654321)
        TEST_AMO(86, amomaxu.d, 0x0000000000000005, 0x0000000000000003, 0x0000000000000005, 0x0000000000000005)
        TEST_AMO(87, amomaxu.d, 0xffffffff80000000, 0x000000007fffffff, 0xffffffff80000000, 0xffffffff80000000)
        TEST_AMO(88, amomaxu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000)
        TEST_AMO(89, amomaxu.d, 0x00000000fffffff0, 0xffffffff00000010, 0x00000000fffffff0, 0xffffffff00000010)
        TEST_AMO(90, amomaxu.d, 0x123456789abcdef0, 0x0fedcba987654321, 0x123456789abcdef0, 0x123456789abcdef0)

        /* rd = x0 discards the old value; memory is still updated */
        TEST_RUN(91, la a1, amo_word; li a2, 40; sd a2, 0(a1); li a2, 2; amoadd.d x0, a2, (a1); ld a3, 0(a1); CHECK(a3, 42); CHECK(x0, 0))
        TEST_RUN(92, la a1, amo_word; li a2, -1; sd a2, 0(a1); li a2, 0x0f; amoand.w x0, a2, (a1); ld a3, 0(a1); CHECK(a3, 0xffffffff0000000f))
        /* rd = rs2: memory receives the old rs2, rd the old memory */
        TEST_RUN(93, la a1, amo_word; li a2, 111; sd a2, 0(a1); li a2, 222; amoswap.d a2, a2, (a1); CHECK(a2, 111); ld a3, 0(a1); CHECK(a3, 222))
        TEST_RUN(94, la a1, amo_word; li a2, 5; sd a2, 0(a1); li a2, 7; amoadd.w a2, a2, (a1); CHECK(a2, 5); ld a3, 0(a1); CHECK(a3, 12))
        /* the ordering bits change nothing on one hart */
        TEST_RUN(95, la a1, amo_word; sd x0, 0(a1); li a2, 1;
                amoadd.d.aq a0, a2, (a1); amoadd.d.rl a0, a2, (a1); amoadd.d.aqrl a0, a2, (a1);
                amoadd.w.aq a0, a2, (a1); amoadd.w.rl a0, a2, (a1); amoadd.w.aqrl a0, a2, (a1);
                CHECK(a0, 5); ld a3, 0(a1); CHECK(a3, 6))
        /* the .w forms on the upper word of a doubleword */
        TEST_RUN(96, la a1, amo_word; li a2, 0x00000001ffffffff; sd a2, 0(a1); li a2, -1;
                addi a4, a1, 4; amoadd.w a0, a2, (a4); CHECK(a0, 1); ld a3, 0(a1); CHECK(a3, 0xffffffff))
        TEST_RUN(97, la a1, amo_word; li a2, 0x8000000012345678; sd a2, 0(a1); li a2, 0;
                addi a4, a1, 4; amomin.w a0, a2, (a4); CHECK(a0, 0xffffffff80000000); ld a3, 0(a1); CHECK(a3, 0x8000000012345678))

        /* lr: loads like lw/ld */
        TEST_RUN(98, la a1, amo_word; li a2, 0x00000000fedcba98; sd a2, 0(a1); lr.w a0, (a1); CHECK(a0, 0xfffffffffedcba98))
        TEST_RUN(99, la a1, amo_word; li a2, 0xfedcba9876543210; sd a2, 0(a1); lr.d a0, (a1); CHECK(a0, 0xfedcba9876543210))
        /* a constrained LR/SC loop succeeds (in a bounded number of tries) and stores */
        TEST_RUN(100, la a1, amo_word; li a2, 0x1111111122222222; sd a2, 0(a1); li a5, 100;
                1: addi a5, a5, -1; beqz a5, xpc_fail; lr.d a0, (a1); addi a0, a0, 1; sc.d a3, a0, (a1); bnez a3, 1b;
                CHECK(a3, 0); ld a4, 0(a1); CHECK(a4, 0x1111111122222223))
        TEST_RUN(101, la a1, amo_word; li a2, 0x000000007fffffff; sd a2, 0(a1); li a5, 100;
                1: addi a5, a5, -1; beqz a5, xpc_fail; lr.w a0, (a1); addi a0, a0, 1; sc.w a3, a0, (a1); bnez a3, 1b;
                CHECK(a3, 0); ld a4, 0(a1); CHECK(a4, 0x0000000080000000))
        TEST_RUN(102, la a1, amo_word; li a5, 100;
                1: addi a5, a5, -1; beqz a5, xpc_fail; lr.w.aq a0, (a1); li a0, -1; sc.w.rl a3, a0, (a1); bnez a3, 1b;
                ld a4, 0(a1); CHECK(a4, 0x00000000ffffffff))
        TEST_RUN(103, la a1, amo_word; li a5, 100;
                1: addi a5, a5, -1; beqz a5, xpc_fail; lr.d.aqrl a0, (a1); li a0, 77; sc.d.aqrl a3, a0, (a1); bnez a3, 1b;
                ld a4, 0(a1); CHECK(a4, 77))
        /* an SC succeeds only once per LR: the second fails and does not store */
        TEST_RUN(104, la a1, amo_word; li a5, 100;
                1: addi a5, a5, -1; beqz a5, xpc_fail; lr.d a0, (a1); li a0, 5; sc.d a3, a0, (a1); bnez a3, 1b;
                li a0, 6; sc.d a3, a0, (a1); beqz a3, xpc_fail; ld a4, 0(a1); CHECK(a4, 5))
        TEST_RUN(105, la a1, amo_word; li a5, 100;
                1: addi a5, a5, -1; beqz a5, xpc_fail; lr.w a0, (a1); li a0, 8; sc.w a3, a0, (a1); bnez a3, 1b;
                li a0, 9; sc.w a3, a0, (a1); beqz a3, xpc_fail; ld a4, 0(a1); CHECK(a4, 8))
        /*
         * An SC to another address may succeed or fail (the reservation set may be larger than
         * the word), but either way it ends the reservation: an SC to the LR's address then fails.
         */
        TEST_RUN(106, la a1, amo_word; la a2, far_word; li a0, 3; sd a0, 0(a1);
                lr.d a0, (a1); li a0, 4; sc.d a3, a0, (a2); li a0, 5; sc.d a3, a0, (a1); beqz a3, xpc_fail; ld a4, 0(a1); CHECK(a4, 3))
        TEST_RUN(107, la a1, amo_word; la a2, far_word; li a0, 3; sd a0, 0(a2);
                lr.w a0, (a1); li a0, 4; sc.w a3, a0, (a2); li a0, 5; sc.w a3, a0, (a1); beqz a3, xpc_fail; ld a4, 0(a1); CHECK(a4, 3);
                li a0, 3; sd a0, 0(a2))
        /* with no LR since the last SC there is no reservation */
        TEST_RUN(108, la a2, far_word; li a0, 10; sc.d a3, a0, (a2); beqz a3, xpc_fail; ld a4, 0(a2); CHECK(a4, 3))
        /* a failing SC writes rd even when rd = rs2 */
        TEST_RUN(109, la a2, far_word; li a0, 10; sc.w a0, a0, (a2); beqz a0, xpc_fail; li t6, 10; beq a0, t6, xpc_fail;
                ld a4, 0(a2); CHECK(a4, 3))

        /* misaligned AMOs: store/AMO address misaligned, tval = the address, memory unchanged */
        TEST_RUN(110, la a1, amo_word; li a2, 0x0102030405060708; sd a2, 0(a1); sd a2, 8(a1))
        TEST_AMO_MISALIGNED(111, a4, li a2, 1; addi a4, a1, 2; li a0, 0x55; amoadd.w a0, a2, (a4))
        TEST_RUN(112, CHECK(a0, 0x55); ld a3, 0(a1); CHECK(a3, 0x0102030405060708))
        TEST_AMO_MISALIGNED(113, a4, addi a4, a1, 1; amoswap.w a0, a2, (a4))
        TEST_AMO_MISALIGNED(114, a4, addi a4, a1, 3; amoor.w a0, a2, (a4))
        TEST_AMO_MISALIGNED(115, a4, addi a4, a1, 4; amoadd.d a0, a2, (a4))
        TEST_AMO_MISALIGNED(116, a4, addi a4, a1, 6; amomaxu.d a0, a2, (a4))
        TEST_AMO_MISALIGNED(117, a4, addi a4, a1, 7; amoswap.d a0, a2, (a4))
        TEST_AMO_MISALIGNED(118, a4, addi a4, a1, 5; amomin.w a0, a2, (a4))
        TEST_RUN(119, ld a3, 0(a1); CHECK(a3, 0x0102030405060708); ld a3, 8(a1); CHECK(a3, 0x0102030405060708))
        /* the trapping AMO's epc is its own address */
        TEST_AMO_MISALIGNED(120, a4, 1: amoxor.d a0, a2, (a4))
        TEST_RUN(121, la a5, 1b; CHECK_REG(t5, a5))

        /* misaligned LRs: load address misaligned */
        TEST_TRAP_TVAL_REG(122, CAUSE_MISALIGNED_LOAD, a4, addi a4, a1, 2; lr.w a0, (a4))
        TEST_TRAP_TVAL_REG(123, CAUSE_MISALIGNED_LOAD, a4, addi a4, a1, 4; lr.d a0, (a4))
        TEST_TRAP_TVAL_REG(124, CAUSE_MISALIGNED_LOAD, a4, addi a4, a1, 1; lr.d a0, (a4))
        /* a misaligned LR makes no reservation: a following aligned SC fails */
        TEST_RUN(125, lr.d a0, (a1); sc.d a3, a0, (a1));
        TEST_TRAP(126, CAUSE_MISALIGNED_LOAD, addi a4, a1, 4; lr.d a0, (a4))
        TEST_RUN(127, li a0, 99; sc.d a3, a0, (a1); beqz a3, xpc_fail; ld a3, 0(a1); CHECK(a3, 0x0102030405060708))

        TEST_PASS
        TEST_END

        .data
        .balign 64
amo_word:
        .dword 0, 0
        .skip 1024
far_word:
        .dword 0
