/*
 * rv64i-mem.S — RV64I loads and stores: lb, lbu, lh, lhu, lw, lwu, ld, sb, sh, sw, sd with
 * sign/zero extension, positive/negative/extreme offsets, byte lanes of partial stores, the base
 * register as destination, x0 as destination; misaligned loads and stores, which the board
 * performs in hardware (platform.md), also across an 8-byte and a page boundary; fence (with the
 * fields it must ignore); and fence.i after rewriting code that has already run.
 */
#include "test-macros.h"

TEST_BEGIN

        /* lb, lbu */
        TEST_LD_OP(1, lb, 0xffffffffffffffff, 0, b_data)
        TEST_LD_OP(2, lb, 0x0000000000000000, 1, b_data)
        TEST_LD_OP(3, lb, 0xfffffffffffffff0, 2, b_data)
        TEST_LD_OP(4, lb, 0x000000000000000f, 3, b_data)
        TEST_LD_OP(5, lb, 0xffffffffffffff80, 4, b_data)
        TEST_LD_OP(6, lb, 0x000000000000007f, 5, b_data)
        TEST_LD_OP(7, lb, 0xffffffffffffffff, -8, b_data_end)
        TEST_LD_OP(8, lb, 0xfffffffffffffffe, -1, b_data_end)
        TEST_LD_OP(9, lbu, 0x00000000000000ff, 0, b_data)
        TEST_LD_OP(10, lbu, 0x0000000000000000, 1, b_data)
        TEST_LD_OP(11, lbu, 0x00000000000000f0, 2, b_data)
        TEST_LD_OP(12, lbu, 0x000000000000000f, 3, b_data)
        TEST_LD_OP(13, lbu, 0x0000000000000080, 4, b_data)
        TEST_LD_OP(14, lbu, 0x000000000000007f, 5, b_data)
        TEST_LD_OP(15, lbu, 0x00000000000000ff, -8, b_data_end)
        TEST_LD_OP(16, lbu, 0x00000000000000fe, -1, b_data_end)

        /* lh, lhu */
        TEST_LD_OP(17, lh, 0x00000000000000ff, 0, h_data)
        TEST_LD_OP(18, lh, 0xffffffffffffff00, 2, h_data)
        TEST_LD_OP(19, lh, 0x0000000000000ff0, 4, h_data)
        TEST_LD_OP(20, lh, 0xfffffffffffff00f, 6, h_data)
        TEST_LD_OP(21, lh, 0xffffffffffff8000, 8, h_data)
        TEST_LD_OP(22, lh, 0x0000000000007fff, 10, h_data)
        TEST_LD_OP(23, lh, 0xffffffffffffff00, -10, h_data_end)
        TEST_LD_OP(24, lhu, 0x00000000000000ff, 0, h_data)
        TEST_LD_OP(25, lhu, 0x000000000000ff00, 2, h_data)
        TEST_LD_OP(26, lhu, 0x0000000000000ff0, 4, h_data)
        TEST_LD_OP(27, lhu, 0x000000000000f00f, 6, h_data)
        TEST_LD_OP(28, lhu, 0x0000000000008000, 8, h_data)
        TEST_LD_OP(29, lhu, 0x0000000000007fff, 10, h_data)
        TEST_LD_OP(30, lhu, 0x000000000000ff00, -10, h_data_end)

        /* lw, lwu */
        TEST_LD_OP(31, lw, 0x0000000000ff00ff, 0, w_data)
        TEST_LD_OP(32, lw, 0xffffffffff00ff00, 4, w_data)
        TEST_LD_OP(33, lw, 0x000000000ff00ff0, 8, w_data)
        TEST_LD_OP(34, lw, 0xfffffffff00ff00f, 12, w_data)
        TEST_LD_OP(35, lw, 0xffffffff80000000, 16, w_data)
        TEST_LD_OP(36, lw, 0x000000007fffffff, 20, w_data)
        TEST_LD_OP(37, lw, 0xfffffffff00ff00f, -12, w_data_end)
        TEST_LD_OP(38, lwu, 0x0000000000ff00ff, 0, w_data)
        TEST_LD_OP(39, lwu, 0x00000000ff00ff00, 4, w_data)
        TEST_LD_OP(40, lwu, 0x000000000ff00ff0, 8, w_data)
        TEST_LD_OP(41, lwu, 0x00000000f00ff00f, 12, w_data)
        TEST_LD_OP(42, lwu, 0x0000000080000000, 16, w_data)
        TEST_LD_OP(43, lwu, 0x000000007fffffff, 20, w_data)
        TEST_LD_OP(44, lwu, 0x00000000f00ff00f, -12, w_data_end)

        /* ld */
        TEST_LD_OP(45, ld, 0x00ff00ff00ff00ff, 0, d_data)
        TEST_LD_OP(46, ld, 0xff00ff00ff00ff00, 8, d_data)
        TEST_LD_OP(47, ld, 0x0ff00ff00ff00ff0, 16, d_data)
        TEST_LD_OP(48, ld, 0xf00ff00ff00ff00f, 24, d_data)
        TEST_LD_OP(49, ld, 0xf00ff00ff00ff00f, -8, d_data_end)
        TEST_LD_OP(50, ld, 0x00ff00ff00ff00ff, -32, d_data_end)

        /* the extreme 12-bit offsets */
        TEST_LD_OP(51, ld, 0xff00ff00ff00ff00, -2048, d_data + 8 + 2048)
        TEST_LD_OP(52, ld, 0x0ff00ff00ff00ff0, 2047, d_data + 16 - 2047)
        TEST_LD_OP(53, lbu, 0x00000000000000f0, 2047, b_data + 2 - 2047)
        /* the base register is also the destination */
        TEST_CASE(54, a1, 0xff00ff00ff00ff00, la a1, d_data; ld a1, 8(a1))
        TEST_CASE(55, a1, 0xffffffffffffff80, la a1, b_data; lb a1, 4(a1))
        /* a load into x0 is performed and discarded */
        TEST_CASE(56, x0, 0, la a1, d_data; ld x0, 0(a1); lw x0, 4(a1); lbu x0, 0(a1))
        /* a pointer chain: the loaded value is used as the next base at once */
        TEST_CASE(57, a0, 0x0ff00ff00ff00ff0, la a1, chain; ld a1, 0(a1); ld a1, 0(a1); ld a0, 0(a1))

        /* stores: value round trip */
        TEST_ST_OP(58, lb, sb, 0xffffffffffffffaa, 0, st_area)
        TEST_ST_OP(59, lb, sb, 0x0000000000000000, 1, st_area)
        TEST_ST_OP(60, lbu, sb, 0x00000000000000a0, 2, st_area)
        TEST_ST_OP(61, lb, sb, 0x000000000000000a, 3, st_area)
        TEST_ST_OP(62, lh, sh, 0x00000000000000aa, 0, st_area)
        TEST_ST_OP(63, lh, sh, 0xffffffffffffaa00, 2, st_area)
        TEST_ST_OP(64, lhu, sh, 0x000000000000a00a, 4, st_area)
        TEST_ST_OP(65, lh, sh, 0x0000000000000aa0, 6, st_area)
        TEST_ST_OP(66, lw, sw, 0x0000000000aa00aa, 0, st_area)
        TEST_ST_OP(67, lw, sw, 0xffffffffaa00aa00, 4, st_area)
        TEST_ST_OP(68, lwu, sw, 0x00000000a00aa00a, 8, st_area)
        TEST_ST_OP(69, lw, sw, 0x000000000aa00aa0, 12, st_area)
        TEST_ST_OP(70, ld, sd, 0x00aa00aa00aa00aa, 16, st_area)
        TEST_ST_OP(71, ld, sd, 0xaa00aa00aa00aa00, 24, st_area)
        TEST_ST_OP(72, ld, sd, 0x0aa00aa00aa00aa0, 32, st_area)
        TEST_ST_OP(73, ld, sd, 0xa00aa00aa00aa00a, -8, st_area + 48)
        TEST_ST_OP(74, lw, sw, 0xffffffff87654321, -2048, st_area + 2048)

        /* partial stores write only their bytes (and only the low bits of rs2) */
        TEST_CASE(75, a0, 0xffffffff12ffffff,
                la a1, st_area; li a2, -1; sd a2, 0(a1);
                li a2, 0x7777777777777712; sb a2, 3(a1); ld a0, 0(a1))
        TEST_CASE(76, a0, 0xffff3412ffffffff,
                la a1, st_area; li a2, -1; sd a2, 0(a1);
                li a2, 0x5555555555553412; sh a2, 4(a1); ld a0, 0(a1))
        TEST_CASE(77, a0, 0x78563412ffffffff,
                la a1, st_area; li a2, -1; sd a2, 0(a1);
                li a2, 0x9999999978563412; sw a2, 4(a1); ld a0, 0(a1))
        TEST_CASE(78, a0, 0x0000000000000000,
                la a1, st_area; li a2, -1; sd a2, 0(a1); sd x0, 0(a1); ld a0, 0(a1))
        /* little-endian byte order of a doubleword */
        TEST_CASE(79, a0, 0x0000000000000011,
                la a1, st_area; li a2, 0x8877665544332211; sd a2, 0(a1); lbu a0, 0(a1))
        TEST_CASE(80, a0, 0x0000000000000088,
                la a1, st_area; lbu a0, 7(a1))
        TEST_CASE(81, a0, 0x0000000044332211,
                la a1, st_area; lwu a0, 0(a1))
        TEST_CASE(82, a0, 0xffffffff88776655,
                la a1, st_area; lw a0, 4(a1))
        /* a store with the base register as the data register */
        TEST_CASE_ADDR(83, a0, st_area + 8,
                la a1, st_area + 8; sd a1, 0(a1); ld a0, 0(a1))
        /* a load right after a store to an overlapping address */
        TEST_CASE(84, a0, 0x00000000000000cd,
                la a1, st_area; li a2, 0xabcd; sh a2, 0(a1); lbu a0, 0(a1))

        TEST_LD_OP(85, lh, 0x0000000000000382, 1, mis_data)
        TEST_LD_OP(86, lh, 0x0000000000000584, 3, mis_data)
        TEST_LD_OP(87, lh, 0x0000000000000786, 5, mis_data)
        TEST_LD_OP(88, lh, 0xfffffffffffff988, 7, mis_data)
        TEST_LD_OP(89, lhu, 0x0000000000000382, 1, mis_data)
        TEST_LD_OP(90, lhu, 0x0000000000000584, 3, mis_data)
        TEST_LD_OP(91, lhu, 0x0000000000000786, 5, mis_data)
        TEST_LD_OP(92, lhu, 0x000000000000f988, 7, mis_data)
        TEST_LD_OP(93, lw, 0x0000000005840382, 1, mis_data)
        TEST_LD_OP(94, lw, 0xffffffff86058403, 2, mis_data)
        TEST_LD_OP(95, lw, 0x0000000007860584, 3, mis_data)
        TEST_LD_OP(96, lw, 0xfffffffff9880786, 5, mis_data)
        TEST_LD_OP(97, lw, 0xffffffffeaf98807, 6, mis_data)
        TEST_LD_OP(98, lw, 0xffffffffdbeaf988, 7, mis_data)
        TEST_LD_OP(99, lwu, 0x0000000005840382, 1, mis_data)
        TEST_LD_OP(100, lwu, 0x0000000086058403, 2, mis_data)
        TEST_LD_OP(101, lwu, 0x0000000007860584, 3, mis_data)
        TEST_LD_OP(102, lwu, 0x00000000f9880786, 5, mis_data)
        TEST_LD_OP(103, lwu, 0x00000000eaf98807, 6, mis_data)
        TEST_LD_OP(104, lwu, 0x00000000dbeaf988, 7, mis_data)
        TEST_LD_OP(105, ld, 0xf988078605840382, 1, mis_data)
        TEST_LD_OP(106, ld, 0xeaf9880786058403, 2, mis_data)
        TEST_LD_OP(107, ld, 0xdbeaf98807860584, 3, mis_data)
        TEST_LD_OP(108, ld, 0xccdbeaf988078605, 4, mis_data)
        TEST_LD_OP(109, ld, 0xbdccdbeaf9880786, 5, mis_data)
        TEST_LD_OP(110, ld, 0xaebdccdbeaf98807, 6, mis_data)
        TEST_LD_OP(111, ld, 0x9faebdccdbeaf988, 7, mis_data)

        /* misaligned stores, read back both misaligned and aligned */
        TEST_CASE(112, a0, 0x0000000000443322,
                la a1, st_area; sd x0, 0(a1); sd x0, 8(a1);
                li a2, 0x0000000000443322; sw a2, 1(a1); ld a0, 0(a1); srli a0, a0, 8)
        TEST_RUN(113,
                la a1, st_area; sd x0, 0(a1); sd x0, 8(a1);
                li a2, 0x2211; sh a2, 7(a1); ld a0, 0(a1); ld a3, 8(a1);
                CHECK(a0, 0x1100000000000000); CHECK(a3, 0x22))
        TEST_CASE(114, a0, 0x8899aabbccddeeff,
                la a1, st_area; li a2, 0x8899aabbccddeeff; sd a2, 3(a1); ld a0, 3(a1))
        TEST_CASE(115, a0, 0xbbccddeeff000000,
                la a1, st_area; ld a0, 0(a1))
        TEST_CASE(116, a0, 0x00000000000000ff,
                la a1, st_area; lbu a0, 3(a1))
        TEST_CASE(117, a0, 0x00000000008899aa,
                la a1, st_area; ld a0, 8(a1))
        TEST_CASE(118, a0, 0xffffffffddccbbaa,
                la a1, st_area; li a2, 0xddccbbaa; sw a2, 5(a1); lw a0, 5(a1))
        TEST_CASE(119, a0, 0xffffffffffffeedd,
                la a1, st_area; li a2, 0xeedd; sh a2, 3(a1); lh a0, 3(a1))

        /* misaligned accesses across a page boundary (both pages are RAM) */
        TEST_LD_OP(120, ld, 0x4444444433333333, 4, page_cross)
        TEST_LD_OP(121, lw, 0x0000000033333322, 3, page_cross)
        TEST_LD_OP(122, lhu, 0x0000000000004433, 7, page_cross)
        TEST_CASE(123, a0, 0x0123456789abcdef,
                la a1, page_cross; li a2, 0x0123456789abcdef; sd a2, 5(a1); ld a0, 5(a1))
        TEST_CASE(124, a0, 0x0000000000000089,
                la a1, page_cross; lbu a0, 8(a1))
        TEST_CASE(125, a0, 0x0000000089abcdef,
                la a1, page_cross; lwu a0, 5(a1))

        /* fence orders memory; with one hart it is a no-op, but it must execute */
        TEST_CASE(126, a0, 0x5a,
                la a1, st_area; li a2, 0x5a; sb a2, 0(a1); fence; fence rw, rw; fence w, r; fence.tso; lbu a0, 0(a1))

        /*
         * The fields fence leaves unused (rd, rs1) and reserved fm values must be ignored by base
         * implementations ("shall ignore"; reserved fm = a normal fence): no trap, no register write.
         */
        TEST_CASE(127, ra, 0x1234, li ra, 0x1234; .word 0x0ff0008f /* fence, rd = ra */)
        TEST_CASE(128, a0, 0x5a, la a1, st_area; .word 0x0ff5800f /* fence, rs1 = a1 */; lbu a0, 0(a1))
        TEST_CASE(129, a0, 0x5a, .word 0x1ff0000f /* fence, fm = 1 */; la a1, st_area; lbu a0, 0(a1))

        /*
         * fence.i: code that has already run is rewritten, and the new instruction is what runs
         * next (an emulator caching decoded instructions must drop them here).
         */
        TEST_CASE(130, a0, 1, li a0, 0; call smc_slot)
        TEST_CASE(131, a0, 42,
                la a1, smc_slot; li a2, 0x02a00513 /* addi a0, x0, 42 */; sw a2, 0(a1);
                fence.i; li a0, 0; call smc_slot)
        TEST_CASE(132, a0, 43,
                la a1, smc_slot; li a2, 0x02b00513 /* addi a0, x0, 43 */; sw a2, 0(a1);
                fence.i; li a0, 0; call smc_slot)
        /* a compressed instruction written over the first half of the slot */
        TEST_CASE(133, a0, 5,
                la a1, smc_slot; li a2, 0x4515 /* c.li a0, 5 */; sh a2, 0(a1); li a2, 0x0001 /* c.nop */; sh a2, 2(a1);
                fence.i; li a0, 0; call smc_slot)

        TEST_PASS

        .option push
        .option norvc
smc_slot:
        addi a0, x0, 1
        ret
        .option pop

        TEST_END

        .data
        .balign 16
b_data: .byte 0xff, 0x00, 0xf0, 0x0f, 0x80, 0x7f, 0x01, 0xfe
b_data_end:
        .balign 16
h_data: .half 0x00ff, 0xff00, 0x0ff0, 0xf00f, 0x8000, 0x7fff
h_data_end:
        .balign 16
w_data: .word 0x00ff00ff, 0xff00ff00, 0x0ff00ff0, 0xf00ff00f, 0x80000000, 0x7fffffff
w_data_end:
        .balign 16
d_data: .dword 0x00ff00ff00ff00ff, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf00ff00ff00ff00f
d_data_end:
chain:  .dword chain1
chain1: .dword d_data + 16
        .balign 16
mis_data:
        .byte 0x01, 0x82, 0x03, 0x84, 0x05, 0x86, 0x07, 0x88, 0xf9, 0xea, 0xdb, 0xcc, 0xbd, 0xae, 0x9f, 0x70
        .balign 16
st_area:
        .skip 64

        /* page_cross + 8 is the first byte of a page */
        .balign 4096
        .skip 4096 - 8
page_cross:
        .dword 0x3333333322222222, 0x5555555544444444
