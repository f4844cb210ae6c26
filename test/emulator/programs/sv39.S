/*
 * sv39.S — Sv39 translation, built by the program itself: 4 KiB pages, 2 MiB and 1 GiB
 * superpages (and misaligned ones, which fault); page faults 12/13/15 with the virtual address
 * in mtval/stval, taken in M-mode or delegated to S-mode; R/W/X permissions and the reserved
 * W-without-R encoding; invalid PTEs, a non-leaf last level, non-canonical addresses; the U bit
 * for U-mode and for S-mode (SUM; never executable from S); MXR; the A and D bits, which the
 * hardware sets (as QEMU does, and platform.md's emulator); MPRV in M-mode; switching satp and
 * changing a PTE, each followed by sfence.vma.
 *
 * Address space (root table pt_root):
 *   0x0000_0000..0x001f_ffff  4 KiB pages through pt_l1[0] -> pt_l0 (the test pages, below)
 *   0x0020_0000..0x003f_ffff  a 2 MiB page at PA 0x8020_0000 (pt_l1[1])
 *   0x0040_0000..0x005f_ffff  a misaligned 2 MiB page (PA 0x8020_1000): faults (pt_l1[2])
 *   0x4000_0000..0x7fff_ffff  1 GiB: RAM again, with U set: U-mode code runs here
 *   0x8000_0000..0xbfff_ffff  1 GiB: RAM at its own address (S-mode code and the handlers)
 *   0xc000_0000..0xffff_ffff  a misaligned 1 GiB page (PA 0x8020_0000): faults
 *   0x1_0000_0000..           1 GiB read-only view of RAM
 * 4 KiB pages at VA n * 0x1000 (pt_l0[n]):
 *   1 page0 RW   2 page1 R   3 page0 X only   4 page1 RW U   5 invalid   6 page2 RW, A = D = 0
 *   7 page2 RW, A set, D = 0   8 page0 W only (reserved)   9 code page X   10 pointer at level 0
 *   11 page0 with reserved bits 63/62:61 set
 */
#include "test-macros.h"

#define VA_RW       0x1000
#define VA_RO       0x2000
#define VA_XO       0x3000
#define VA_USER     0x4000
#define VA_INVALID  0x5000
#define VA_NOA      0x6000
#define VA_NOD      0x7000
#define VA_WO       0x8000
#define VA_CODE     0x9000
#define VA_NONLEAF  0xa000
#define VA_RSVD     0xb000
#define VA_MEGA     0x200000
#define VA_MEGA_BAD 0x400000
#define VA_UALIAS_OFFSET 0x40000000     /* RAM address - this = the U-mode alias */
#define VA_GIGA_BAD 0xc0000000
#define VA_GIGA_RO  0x100000000
#define PA_MEGA     0x80200000

#define PAGE0_VALUE 0x1111111111111111
#define PAGE1_VALUE 0x2222222222222222
#define PAGE2_VALUE 0x3333333333333333

#define LEAF(flags) (PTE_V | PTE_A | PTE_D | (flags))

/* reg = the PTE for the page at physical address pa_reg */
#define MAKE_PTE(reg, pa_reg, flags)                                      \
        srli reg, pa_reg, 12; slli reg, reg, 10; li t6, flags; or reg, reg, t6;

/* From M-mode: run label in U-mode at its alias address. */
#define GOTO_U_ALIAS(label)                                               \
        li t6, MSTATUS_MPP; csrc mstatus, t6;                             \
        la t6, label; li t5, VA_UALIAS_OFFSET; sub t6, t6, t5;            \
        csrw mepc, t6; mret;
/* From U-mode code running at the alias: continue in M-mode at the RAM address. */
#define U_RETURN_TO_M                                                     \
        la t5, 89f; li t6, VA_UALIAS_OFFSET; add t5, t5, t6;              \
        li tp, -2; ecall;                                                 \
89:     li tp, 0;

#define SATP_FOR(reg, table) la reg, table; srli reg, reg, 12; li t6, SATP_MODE_SV39; or reg, reg, t6;

/* the PTE of a 4 KiB test page: reg = its address */
#define PTE_ADDR(reg, va) la reg, pt_l0 + ((va) >> 12) * 8;

TEST_BEGIN
        /* the 2 MiB page at PA_MEGA must not overlap the program */
        TEST_RUN(1, la a0, program_end; li a1, PA_MEGA; bgeu a0, a1, xpc_fail)
        call build_tables
        TEST_RUN(2, SATP_FOR(a0, pt_root); csrw satp, a0; csrr a1, satp; CHECK_REG(a1, a0); sfence.vma)

        /* ---- S-mode, faults taken by M-mode (mtval = the virtual address) ---- */
        GOTO_S(s1)
s1:
        TEST_CASE(3, a0, PAGE0_VALUE, li a1, VA_RW; ld a0, 0(a1))
        TEST_CASE(4, a0, 0x0123456789abcdef, li a1, VA_RW; li a2, 0x0123456789abcdef; sd a2, 8(a1); ld a0, 8(a1))
        /* the same physical memory through the identity map */
        TEST_CASE(5, a0, 0x0123456789abcdef, la a1, page0; ld a0, 8(a1))
        TEST_CASE(6, a0, PAGE1_VALUE, li a1, VA_RO; ld a0, 0(a1))
        TEST_TRAP(7, CAUSE_STORE_PAGE_FAULT, li a1, VA_RO; sd a0, 16(a1))
        TEST_RUN(8, CHECK_TVAL(VA_RO + 16); la a1, page1; ld a0, 16(a1); CHECK(a0, 0))
        TEST_TRAP_AMO(9, CAUSE_STORE_PAGE_FAULT, li a1, VA_RO; amoadd.d a0, a0, (a1))
        TEST_RUN(10, CHECK_TVAL(VA_RO))
        /* invalid PTE: load, store, fetch */
        TEST_TRAP(11, CAUSE_LOAD_PAGE_FAULT, li a1, VA_INVALID; lw a0, 4(a1))
        TEST_RUN(12, CHECK_TVAL(VA_INVALID + 4))
        TEST_TRAP(13, CAUSE_STORE_PAGE_FAULT, li a1, VA_INVALID; sb a0, 7(a1))
        TEST_RUN(14, CHECK_TVAL(VA_INVALID + 7))
        TEST_TRAP(15, CAUSE_FETCH_PAGE_FAULT, li a1, VA_INVALID + 0x10; jalr a1)
        TEST_RUN(16, CHECK_TVAL(VA_INVALID + 0x10); CHECK(t5, VA_INVALID + 0x10))
        /* fetch from a page without X */
        TEST_TRAP(17, CAUSE_FETCH_PAGE_FAULT, li a1, VA_RW; jalr a1)
        TEST_RUN(18, CHECK_TVAL(VA_RW))
        /* execute from an X page (the code page holds `li a0, 42; ret`) */
        TEST_CASE(19, a0, 42, li a0, 0; li a1, VA_CODE; jalr a1)
        /* a load from an execute-only page faults (MXR = 0) */
        TEST_TRAP(20, CAUSE_LOAD_PAGE_FAULT, li a1, VA_XO; ld a0, 0(a1))
        TEST_RUN(21, CHECK_TVAL(VA_XO))
        /* ... and works with MXR = 1; stores still fault */
        TEST_CASE(22, a0, PAGE0_VALUE, li a1, MSTATUS_MXR; csrs sstatus, a1; li a1, VA_XO; ld a0, 0(a1))
        TEST_TRAP(23, CAUSE_STORE_PAGE_FAULT, li a1, VA_XO; sd a0, 0(a1))
        TEST_RUN(24, li a1, MSTATUS_MXR; csrc sstatus, a1)
        /* W without R is reserved: any access faults */
        TEST_TRAP(25, CAUSE_LOAD_PAGE_FAULT, li a1, VA_WO; ld a0, 0(a1))
        TEST_TRAP(26, CAUSE_STORE_PAGE_FAULT, li a1, VA_WO; sd a0, 0(a1))
        TEST_RUN(27, CHECK_TVAL(VA_WO))
        /* a pointer PTE at the last level faults */
        TEST_TRAP(28, CAUSE_LOAD_PAGE_FAULT, li a1, VA_NONLEAF; ld a0, 0(a1))
        TEST_RUN(29, CHECK_TVAL(VA_NONLEAF))
        /* reserved PTE bits (N, PBMT without Svnapot/Svpbmt) fault */
        TEST_TRAP(30, CAUSE_LOAD_PAGE_FAULT, li a1, VA_RSVD; ld a0, 0(a1))
        /* non-canonical addresses (bits 63..39 not all equal to bit 38) */
        TEST_TRAP(31, CAUSE_LOAD_PAGE_FAULT, li a1, 0x0000004000000000; ld a0, 0(a1))
        TEST_RUN(32, CHECK_TVAL(0x0000004000000000))
        TEST_TRAP(33, CAUSE_STORE_PAGE_FAULT, li a1, 0x8000000000001000; sd a0, 0(a1))
        TEST_RUN(34, CHECK_TVAL(0x8000000000001000))

        /* ---- the U bit from S-mode: SUM ---- */
        TEST_TRAP(35, CAUSE_LOAD_PAGE_FAULT, li a1, VA_USER; ld a0, 0(a1))
        TEST_TRAP(36, CAUSE_STORE_PAGE_FAULT, li a1, VA_USER; sd a0, 0(a1))
        TEST_CASE(37, a0, PAGE1_VALUE, li a1, MSTATUS_SUM; csrs sstatus, a1; li a1, VA_USER; ld a0, 0(a1))
        TEST_CASE(38, a0, 77, li a1, VA_USER; li a0, 77; sd a0, 24(a1); ld a0, 24(a1))
        /* S-mode never executes from a U page, SUM or not */
        TEST_TRAP(39, CAUSE_FETCH_PAGE_FAULT, la a1, u_code; li a2, VA_UALIAS_OFFSET; sub a1, a1, a2; jalr a1)
        TEST_RUN(40, li a1, MSTATUS_SUM; csrc sstatus, a1)

        /* ---- superpages ---- */
        TEST_CASE(41, a0, 0x5555666677778888, li a1, VA_MEGA + 0x1ff000; ld a0, 0x18(a1))
        TEST_CASE(42, a0, 0xabcd, li a1, VA_MEGA + 0x12340; li a0, 0xabcd; sd a0, 0(a1); li a1, PA_MEGA + 0x12340; ld a0, 0(a1))
        TEST_TRAP(43, CAUSE_LOAD_PAGE_FAULT, li a1, VA_MEGA_BAD + 0x2000; ld a0, 0(a1))
        TEST_RUN(44, CHECK_TVAL(VA_MEGA_BAD + 0x2000))
        TEST_TRAP(45, CAUSE_LOAD_PAGE_FAULT, li a1, VA_GIGA_BAD; ld a0, 0(a1))
        TEST_RUN(46, CHECK_TVAL(VA_GIGA_BAD))
        /* the read-only gigapage view of RAM */
        TEST_CASE(47, a0, PAGE2_VALUE, la a1, page2; li a2, VA_GIGA_RO - RAM_BASE; add a1, a1, a2; ld a0, 0(a1))
        TEST_TRAP(48, CAUSE_STORE_PAGE_FAULT, la a1, page2; li a2, VA_GIGA_RO - RAM_BASE; add a1, a1, a2; sd a0, 0(a1))
        TEST_TRAP(49, CAUSE_FETCH_PAGE_FAULT, la a1, s1; li a2, VA_GIGA_RO - RAM_BASE; add a1, a1, a2; jalr a1)

        /* ---- A and D: set by the hardware ---- */
        TEST_RUN(50, PTE_ADDR(a2, VA_NOA); ld a3, 0(a2); andi a3, a3, PTE_A | PTE_D; CHECK(a3, 0))
        TEST_CASE(51, a0, PAGE2_VALUE, li a1, VA_NOA; ld a0, 0(a1))
        TEST_RUN(52, PTE_ADDR(a2, VA_NOA); ld a3, 0(a2); andi a3, a3, PTE_A | PTE_D; CHECK(a3, PTE_A))
        TEST_RUN(53, li a1, VA_NOA; li a0, 5; sw a0, 0x40(a1); PTE_ADDR(a2, VA_NOA); ld a3, 0(a2); andi a3, a3, PTE_A | PTE_D; CHECK(a3, PTE_A | PTE_D))
        TEST_RUN(54, li a1, VA_NOD; li a0, 6; sw a0, 0x48(a1); PTE_ADDR(a2, VA_NOD); ld a3, 0(a2); andi a3, a3, PTE_A | PTE_D; CHECK(a3, PTE_A | PTE_D))
        TEST_RUN(55, la a1, page2; lw a0, 0x40(a1); CHECK(a0, 5); lw a0, 0x48(a1); CHECK(a0, 6))
        /* the rest of the PTE is unchanged */
        TEST_RUN(56, PTE_ADDR(a2, VA_NOA); ld a3, 0(a2); la a4, page2; MAKE_PTE(a5, a4, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D); CHECK_REG(a3, a5))

        /* ---- changing a PTE, then sfence.vma ---- */
        TEST_RUN(57, PTE_ADDR(a2, VA_RW); la a4, page2; MAKE_PTE(a5, a4, LEAF(PTE_R | PTE_W)); sd a5, 0(a2);
                li a0, VA_RW; sfence.vma a0, zero; ld a0, 0(a0); CHECK(a0, PAGE2_VALUE))
        TEST_RUN(58, PTE_ADDR(a2, VA_RW); la a4, page0; MAKE_PTE(a5, a4, LEAF(PTE_R | PTE_W)); sd a5, 0(a2);
                sfence.vma; li a0, VA_RW; ld a0, 0(a0); CHECK(a0, PAGE0_VALUE))
        /* switching satp to another root (VA_RW -> page1 there) */
        TEST_RUN(59, SATP_FOR(a0, pt_root2); csrw satp, a0; sfence.vma; li a1, VA_RW; ld a0, 0(a1); CHECK(a0, PAGE1_VALUE))
        TEST_RUN(60, SATP_FOR(a0, pt_root); csrw satp, a0; sfence.vma; li a1, VA_RW; ld a0, 0(a1); CHECK(a0, PAGE0_VALUE))
        /* a PTE made invalid */
        TEST_RUN(61, PTE_ADDR(a2, VA_RW); sd zero, 0(a2); sfence.vma)
        TEST_TRAP(62, CAUSE_LOAD_PAGE_FAULT, li a1, VA_RW; ld a0, 0(a1))
        TEST_RUN(63, PTE_ADDR(a2, VA_RW); la a4, page0; MAKE_PTE(a5, a4, LEAF(PTE_R | PTE_W)); sd a5, 0(a2); sfence.vma)
        RETURN_TO_M

        /* ---- U-mode ---- */
        GOTO_U_ALIAS(u_code)
u_code:
        TEST_CASE(64, a0, PAGE1_VALUE, li a1, VA_USER; ld a0, 0(a1))
        TEST_CASE(65, a0, 99, li a1, VA_USER; li a0, 99; sd a0, 32(a1); ld a0, 32(a1))
        TEST_TRAP(66, CAUSE_LOAD_PAGE_FAULT, li a1, VA_RW; ld a0, 0(a1))
        TEST_RUN(67, CHECK_TVAL(VA_RW))
        TEST_TRAP(68, CAUSE_STORE_PAGE_FAULT, li a1, VA_RW; sd a0, 0(a1))
        /* U-mode code fetch from a non-U page (the identity map of this very code) */
        TEST_TRAP(69, CAUSE_FETCH_PAGE_FAULT, la a1, u_code; li a2, VA_UALIAS_OFFSET; add a1, a1, a2; jalr a1)
        /* the U alias is executable and writable: data reached through it */
        TEST_CASE(70, a0, PAGE2_VALUE, la a1, page2; ld a0, 0(a1))
        U_RETURN_TO_M

        /* ---- faults delegated to S-mode: stval ---- */
        TEST_RUN(71, li a0, (1 << CAUSE_FETCH_PAGE_FAULT) | (1 << CAUSE_LOAD_PAGE_FAULT) | (1 << CAUSE_STORE_PAGE_FAULT); csrw medeleg, a0;
                csrw stval, zero; csrw mtval, zero)
        GOTO_U_ALIAS(u_code2)
u_code2:
        TEST_TRAP(72, CAUSE_LOAD_PAGE_FAULT, li a1, VA_INVALID + 8; ld a0, 0(a1))
        TEST_RUN(73, CHECK_TVAL(VA_INVALID + 8))
        TEST_TRAP(74, CAUSE_STORE_PAGE_FAULT, li a1, VA_RO + 3; sb a0, 0(a1))
        TEST_RUN(75, CHECK_TVAL(VA_RO + 3))
        TEST_TRAP(76, CAUSE_FETCH_PAGE_FAULT, li a1, VA_INVALID; jalr a1)
        TEST_RUN(77, CHECK_TVAL(VA_INVALID))
        U_RETURN_TO_M
        /* M-mode did not see them */
        TEST_RUN(78, csrr a0, mtval; CHECK(a0, 0); csrr a0, stval; CHECK(a0, VA_INVALID); csrr a0, scause; CHECK(a0, CAUSE_FETCH_PAGE_FAULT))
        GOTO_S(s2)
s2:
        TEST_TRAP(79, CAUSE_LOAD_PAGE_FAULT, li a1, VA_USER; ld a0, 0(a1))
        TEST_RUN(80, CHECK_TVAL(VA_USER); csrr a0, scause; CHECK(a0, CAUSE_LOAD_PAGE_FAULT))
        RETURN_TO_M
        TEST_RUN(81, csrw medeleg, zero)

        /* ---- MPRV: M-mode loads and stores translated as MPP's ---- */
        TEST_RUN(82, li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, MSTATUS_MPP_S | MSTATUS_MPRV; csrs mstatus, t0;
                li a1, VA_RO; ld a0, 0(a1); li t0, MSTATUS_MPRV; csrc mstatus, t0; CHECK(a0, PAGE1_VALUE))
        TEST_RUN(83, li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, MSTATUS_MPRV; csrs mstatus, t0;
                li a1, VA_USER; ld a0, 0(a1); li t0, MSTATUS_MPRV; csrc mstatus, t0; CHECK(a0, PAGE1_VALUE))
        /* without MPRV, M-mode is not translated: VA_RW is just a physical address */
        TEST_TRAP(84, CAUSE_LOAD_ACCESS, li a1, VA_RW + 0x10000; ld a0, 0(a1))

        TEST_RUN(85, csrw satp, zero; sfence.vma)
        TEST_PASS

/* Builds the page tables (M-mode, before paging). Values at the start of each data page. */
build_tables:
        la a0, page0
        li a1, PAGE0_VALUE
        sd a1, 0(a0)
        la a0, page1
        li a1, PAGE1_VALUE
        sd a1, 0(a0)
        la a0, page2
        li a1, PAGE2_VALUE
        sd a1, 0(a0)
        li a0, PA_MEGA + 0x1ff018
        li a1, 0x5555666677778888
        sd a1, 0(a0)

        /* root */
        la a0, pt_root
        la a1, pt_l1
        MAKE_PTE(a2, a1, PTE_V)
        sd a2, 0(a0)
        li a1, RAM_BASE
        MAKE_PTE(a2, a1, LEAF(PTE_R | PTE_W | PTE_X | PTE_U))
        sd a2, 1 * 8(a0)
        MAKE_PTE(a2, a1, LEAF(PTE_R | PTE_W | PTE_X))
        sd a2, 2 * 8(a0)
        li a1, PA_MEGA
        MAKE_PTE(a2, a1, LEAF(PTE_R | PTE_W))
        sd a2, 3 * 8(a0)
        li a1, RAM_BASE
        MAKE_PTE(a2, a1, LEAF(PTE_R))
        sd a2, 4 * 8(a0)

        /* level 1 */
        la a0, pt_l1
        la a1, pt_l0
        MAKE_PTE(a2, a1, PTE_V)
        sd a2, 0(a0)
        li a1, PA_MEGA
        MAKE_PTE(a2, a1, LEAF(PTE_R | PTE_W))
        sd a2, 1 * 8(a0)
        li a1, PA_MEGA + 0x1000
        MAKE_PTE(a2, a1, LEAF(PTE_R | PTE_W))
        sd a2, 2 * 8(a0)

        /* level 0 */
        la a0, pt_l0
        la a1, page0
        MAKE_PTE(a2, a1, LEAF(PTE_R | PTE_W))
        sd a2, 1 * 8(a0)
        la a1, page1
        MAKE_PTE(a2, a1, LEAF(PTE_R))
        sd a2, 2 * 8(a0)
        la a1, page0
        MAKE_PTE(a2, a1, LEAF(PTE_X))
        sd a2, 3 * 8(a0)
        la a1, page1
        MAKE_PTE(a2, a1, LEAF(PTE_R | PTE_W | PTE_U))
        sd a2, 4 * 8(a0)
        la a1, page2
        MAKE_PTE(a2, a1, LEAF(PTE_R | PTE_W) & ~PTE_V)
        sd a2, 5 * 8(a0)
        MAKE_PTE(a2, a1, PTE_V | PTE_R | PTE_W)
        sd a2, 6 * 8(a0)
        MAKE_PTE(a2, a1, PTE_V | PTE_R | PTE_W | PTE_A)
        sd a2, 7 * 8(a0)
        la a1, page0
        MAKE_PTE(a2, a1, LEAF(PTE_W))
        sd a2, 8 * 8(a0)
        la a1, code_page
        MAKE_PTE(a2, a1, LEAF(PTE_X))
        sd a2, 9 * 8(a0)
        la a1, page0
        MAKE_PTE(a2, a1, PTE_V)
        sd a2, 10 * 8(a0)
        MAKE_PTE(a2, a1, LEAF(PTE_R | PTE_W))
        li a3, 0xe000000000000000
        or a2, a2, a3
        sd a2, 11 * 8(a0)

        /* the second root: the same, but VA_RW maps page1 */
        la a0, pt_root2
        la a1, pt_root
        li a3, 512
1:      ld a2, 0(a1)
        sd a2, 0(a0)
        addi a0, a0, 8
        addi a1, a1, 8
        addi a3, a3, -1
        bnez a3, 1b
        la a0, pt_root2
        la a1, pt_l1_b
        MAKE_PTE(a2, a1, PTE_V)
        sd a2, 0(a0)
        la a0, pt_l1_b
        la a1, pt_l0_b
        MAKE_PTE(a2, a1, PTE_V)
        sd a2, 0(a0)
        la a0, pt_l0_b
        la a1, page1
        MAKE_PTE(a2, a1, LEAF(PTE_R | PTE_W))
        sd a2, 1 * 8(a0)
        ret

        /* the code page, mapped at VA_CODE (execute only) */
        .balign 4096
code_page:
        li a0, 42
        ret
        .balign 4096

        TEST_END

        .bss
        .balign 4096
pt_root:  .skip 4096
pt_l1:    .skip 4096
pt_l0:    .skip 4096
pt_root2: .skip 4096
pt_l1_b:  .skip 4096
pt_l0_b:  .skip 4096
page0:    .skip 4096
page1:    .skip 4096
page2:    .skip 4096
program_end:
