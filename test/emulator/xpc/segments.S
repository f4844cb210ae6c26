/*
 * segments.S — relay-segment translation (xpc-isa.md, "Relay-segment translation"): for a U-mode
 * access to va with seg_len > 0 and seg_va ≤ va < seg_va + seg_len, pa = seg_pa + (va − seg_va)
 * and the page table is not consulted (whatever satp's mode, Bare included); a load needs R, a
 * store or AMO needs W, an instruction fetch is never allowed there; a violation is a
 * load/store/instruction access fault (5/7/1); segment translations never enter the TLB. Also
 * the window a callee sees through seg-mask (off, len, perm; off ≥ len: no segment), and writes
 * through it landing in the caller's buffer.
 *
 * Home: satp_a, whose page table maps SEGA_VA's 4 KiB page (U, RWX) to shadow_a; segment A =
 * (SEGA_VA, bufa, 0x100, RW). Dword k of bufa is PAT_A + k, of shadow_a PAT_SHADOW_A + k, of
 * shadow_b (the page at SEGA_VA for satp_b, the callees' table) PAT_SHADOW_B + k. Physical
 * contents are checked from M-mode (untranslated): the snapshot's copy of the world's memory
 * for bufa, direct loads for the shadow pages.
 */
#include "xpc-macros.h"

/* reg = dword at byte offset off of shadow page, read physically */
#define SHADOW(reg, page, off) la reg, page; ld reg, off(reg);

XPC_BEGIN

        /* ---- inside the segment: seg_pa + offset, ahead of the page at the same VA ---- */
        /* 1: a load reads bufa, not the mapped page */
        XCASE(1)
        li t3, SEGA_VA
        XRUN(U_MODE, ld s2, 8(t3); c1: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c1)
        REG_IS(X_S2, PAT_A + 1)
        /* 2: a store lands in bufa + 0x10 (the physical alias shows it); the page is untouched */
        XCASE(2)
        li t3, SEGA_VA
        li s4, 0x1122334455667788
        XRUN(U_MODE, sd s4, 0x10(t3); c2: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c2)
        MEMAT(a0, K_BUFA + 0x10)
        li a1, 0x1122334455667788
        XEQ
        SHADOW(a0, shadow_a, 0x10)
        li a1, PAT_SHADOW_A + 2
        XEQ
        /* 3: the segment's last byte (seg_va + seg_len - 1) */
        XCASE(3)
        li t3, SEGA_VA
        XRUN(U_MODE, lbu s2, (SEGA_LEN - 1)(t3); c3: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c3)
        REG_IS(X_S2, 0xaa)
        /* 4: the first byte past it (same page): the page table again */
        XCASE(4)
        li t3, SEGA_VA
        XRUN(U_MODE, ld s2, SEGA_LEN(t3); c4: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c4)
        REG_IS(X_S2, PAT_SHADOW_A + SEGA_LEN / 8)
        /* 5: below seg_va: the page table (unmapped there: load page fault, tval = va) */
        XCASE(5)
        li t3, SEGA_VA
        XFAULT(U_MODE, CAUSE_LOAD_PAGE_FAULT, ld s2, -8(t3))
        TVAL_IS(SEGA_VA - 8)

        /* ---- permissions: load needs R, store/AMO needs W; violations are access faults
         * (5/7) with tval = va, changing nothing (bufa is in the compared memory) ---- */
        /* 6: perm R: a load works */
        XCASE(6)
        li a0, SEG_R
        csrw xseg_perm, a0
        li t3, SEGA_VA
        XRUN(U_MODE, ld s2, 0x18(t3); c6: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c6)
        REG_IS(X_S2, PAT_A + 3)
        /* 7: perm R: a store → 7 (not a page fault: the page would allow it) */
        XCASE(7)
        li a0, SEG_R
        csrw xseg_perm, a0
        li t3, SEGA_VA
        li s4, 0x1234
        XFAULT(U_MODE, CAUSE_STORE_ACCESS, sd s4, 0x18(t3))
        TVAL_IS(SEGA_VA + 0x18)
        SHADOW(a0, shadow_a, 0x18)
        li a1, PAT_SHADOW_A + 3
        XEQ
        /* 8: perm W: a load → 5 */
        XCASE(8)
        li a0, SEG_W
        csrw xseg_perm, a0
        li t3, SEGA_VA
        XFAULT(U_MODE, CAUSE_LOAD_ACCESS, ld s2, 0x20(t3))
        TVAL_IS(SEGA_VA + 0x20)
        /* 9: perm W: a store works */
        XCASE(9)
        li a0, SEG_W
        csrw xseg_perm, a0
        li t3, SEGA_VA
        li s4, 0x99
        XRUN(U_MODE, sd s4, 0x20(t3); c9: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c9)
        MEMAT(a0, K_BUFA + 0x20)
        li a1, 0x99
        XEQ
        /* 10: perm 0: a load → 5 */
        XCASE(10)
        csrw xseg_perm, zero
        li t3, SEGA_VA
        XFAULT(U_MODE, CAUSE_LOAD_ACCESS, lw s2, 0x24(t3))
        TVAL_IS(SEGA_VA + 0x24)
        /* 11: perm 0: a store → 7 */
        XCASE(11)
        csrw xseg_perm, zero
        li t3, SEGA_VA
        XFAULT(U_MODE, CAUSE_STORE_ACCESS, sb s4, 0x25(t3))
        TVAL_IS(SEGA_VA + 0x25)
        /* 12: an AMO with RW: works on bufa */
        XCASE(12)
        li t4, SEGA_VA + 0x28
        li s4, 0x10
        XRUN(U_MODE, amoadd.d s2, s4, (t4); c12: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c12)
        REG_IS(X_S2, PAT_A + 5)
        MEMAT(a0, K_BUFA + 0x28)
        li a1, PAT_A + 5 + 0x10
        XEQ
        /* 13: an AMO with R only → 7 */
        XCASE(13)
        li a0, SEG_R
        csrw xseg_perm, a0
        li t4, SEGA_VA + 0x28
        li s4, 0x10
        XFAULT(U_MODE, CAUSE_STORE_ACCESS, amoadd.d s2, s4, (t4))
        TVAL_IS(SEGA_VA + 0x28)
        /* 14: an instruction fetch from the segment (RW) → 1 at the target, although the page
         * at that VA is executable */
        XCASE(14)
        li t4, SEGA_VA + 0x40
        XRUN(U_MODE, jr t4)
        CAP_AT_VA(U_MODE, CAUSE_FETCH_ACCESS, SEGA_VA + 0x40)
        TVAL_IS(SEGA_VA + 0x40)
        SAME_ALL

        /* ---- only U-mode accesses use the segment ---- */
        /* 15: S-mode (satp_s maps SEGA_VA's page to shadow_a, a U page: SUM on) loads the page */
        XCASE(15)
        la a0, satp_s
        ld a0, 0(a0)
        csrw satp, a0
        li a0, MSTATUS_SUM
        csrs mstatus, a0
        li t3, SEGA_VA
        XRUN(S_MODE, ld s2, 8(t3); c15: ecall)
        li a0, MSTATUS_SUM
        csrc mstatus, a0
        CAP_AT(S_MODE, CAUSE_SUPERVISOR_ECALL, c15)
        REG_IS(X_S2, PAT_SHADOW_A + 1)
        /* 16: ... and stores to it: shadow_a changes, bufa does not */
        XCASE(16)
        la a0, satp_s
        ld a0, 0(a0)
        csrw satp, a0
        li a0, MSTATUS_SUM
        csrs mstatus, a0
        li t3, SEGA_VA
        li s4, 0x5555
        XRUN(S_MODE, sd s4, 0x30(t3); c16: ecall)
        li a0, MSTATUS_SUM
        csrc mstatus, a0
        CAP_AT(S_MODE, CAUSE_SUPERVISOR_ECALL, c16)
        SHADOW(a0, shadow_a, 0x30)
        li a1, 0x5555
        XEQ
        MEMAT(a0, K_BUFA + 0x30)
        li a1, PAT_A + 6
        XEQ
        li a0, PAT_SHADOW_A + 6                 /* put shadow_a back */
        la a1, shadow_a
        sd a0, 0x30(a1)

        /* ---- Bare mode: the segment still translates U-mode accesses ---- */
        /* 17: a load */
        XCASE(17)
        csrw satp, zero
        li t3, SEGA_VA
        XRUN(U_MODE, ld s2, 0x38(t3); c17: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c17)
        REG_IS(X_S2, PAT_A + 7)
        /* 18: a store */
        XCASE(18)
        csrw satp, zero
        li t3, SEGA_VA
        li s4, 0x77
        XRUN(U_MODE, sd s4, 0x38(t3); c18: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c18)
        MEMAT(a0, K_BUFA + 0x38)
        li a1, 0x77
        XEQ
        /* 19: past the segment the address is physical: nothing there → 5 */
        XCASE(19)
        csrw satp, zero
        li t3, SEGA_VA
        XFAULT(U_MODE, CAUSE_LOAD_ACCESS, ld s2, SEGA_LEN(t3))
        TVAL_IS(SEGA_VA + SEGA_LEN)

        /* 20: seg_len = 0: no segment, the page table serves SEGA_VA */
        XCASE(20)
        csrw xseg_len, zero
        li t3, SEGA_VA
        XRUN(U_MODE, ld s2, 8(t3); c20: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c20)
        REG_IS(X_S2, PAT_SHADOW_A + 1)

        /* 21: segment translations never enter the TLB, and the segment wins over a TLB entry:
         * segment (bufa) → swapseg it away → page (shadow_a, now in the TLB) → swap it back →
         * segment again; no sfence.vma anywhere */
        XCASE(21)
        li t3, SEGA_VA
        li s5, 1
        XRUN(U_MODE, ld s2, 8(t3); swapseg s5; ld s3, 8(t3); swapseg s5; ld s4, 8(t3); c21: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c21)
        REG_IS(X_S2, PAT_A + 1)
        REG_IS(X_S3, PAT_SHADOW_A + 1)
        REG_IS(X_S4, PAT_A + 1)

        /* ---- the window a callee sees: seg-mask (0x40, 0x20, R) → (SEGA_VA + 0x40, bufa +
         * 0x40, 0x20, R); the callee's page table (pt_b) maps shadow_b around it ---- */
        XCASE(22)
        SET_XE_ADDR(1, XE_PC, callee_probe)
        FLUSH_XPC_CACHE
        SET_SEGMASK(0x40, 0x20, SEG_R)
        li a0, 1
        li t3, SEGA_VA
        li s6, 0xbad
        XRUN(U_MODE, xcall a0)
        /* 22: window start → bufa + 0x40, its last dword → bufa + 0x58, just past it and just
         * below it → the callee's page (shadow_b) */
        CAP_AT(U_MODE, CAUSE_USER_ECALL, probe_stop)
        REG_IS(X_S2, PAT_A + 8)
        REG_IS(X_S3, PAT_A + 11)
        REG_IS(X_S4, PAT_SHADOW_B + 12)
        REG_IS(X_S5, PAT_SHADOW_B + 7)
        /* 23: the window is R: a store into it → 7, nothing changed */
        XSTEP(23)
        XRESUME
        CAP_AT(U_MODE, CAUSE_STORE_ACCESS, probe_store)
        TVAL_IS(SEGA_VA + 0x40)
        SAME_ALL

        /* 24: an RW window: the callee's store lands in the caller's buffer (pa' = seg_pa +
         * off), which the caller reads after the xret */
        XCASE(24)
        SET_XE_ADDR(1, XE_PC, callee_write)
        FLUSH_XPC_CACHE
        SET_SEGMASK(0x40, 0x20, SEG_RW)
        li a0, 1
        li t3, SEGA_VA
        li s6, 0xfeed
        XRUN(U_MODE, xcall a0; ld s7, 0x48(t3); c24: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c24)
        REG_IS(X_S7, 0xfeed)
        MEMAT(a0, K_BUFA + 0x48)
        li a1, 0xfeed
        XEQ

        /* 25: off ≥ seg_len: the callee has no segment; SEGA_VA is its page (shadow_b) */
        XCASE(25)
        SET_XE_ADDR(1, XE_PC, callee_probe0)
        FLUSH_XPC_CACHE
        SET_SEGMASK(SEGA_LEN, -1, SEG_RW)
        li a0, 1
        li t3, SEGA_VA
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, probe0_stop)
        REG_IS(X_S2, PAT_SHADOW_B)

        TEST_PASS

        .balign 4
callee_probe:
        ld s2, 0x40(t3)
        ld s3, 0x58(t3)
        ld s4, 0x60(t3)
        ld s5, 0x38(t3)
probe_stop:
        ecall
probe_store:
        sd s6, 0x40(t3)
        ecall
callee_write:
        sd s6, 0x48(t3)
        xret
        ecall
callee_probe0:
        ld s2, 0(t3)
probe0_stop:
        ecall

XPC_END
