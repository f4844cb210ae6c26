/*
 * swapseg.S — swapseg as xpc-isa.md states it: idx = x[rs1]; idx ≥ xseglist_len → 27,
 * stval = idx (nothing changed); otherwise seg-reg (va, pa, len, perm) and slot idx of the
 * seg-list at xseglist are exchanged (an empty slot is allowed: seg-reg becomes empty); pc += 4.
 * Also: nothing else changes (seg-mask included), S-mode use, a seg-list read that hits no RAM,
 * translation following the new seg-reg, and a callee using its own seg-list.
 *
 * Home: seg-reg = A (SEGA_VA, bufa, 0x100, RW); xseglist = seglist1, 4 slots:
 * 0 = B (SEGB_VA, bufb, 0x80, RW), 1 = empty (zeros), 2 = C (SEGC_VA, bufc, 0x80, R), 3 = empty.
 */
#include "xpc-macros.h"

XPC_BEGIN

        /* ---- idx ≥ xseglist_len → 27, stval = idx, nothing changed ---- */
        /* 1: idx = xseglist_len (4) */
        XCASE(1)
        li s5, 4
        XFAULT(U_MODE, CAUSE_XPC_SWAPSEG, swapseg s5)
        TVAL_IS(4)
        /* 2: idx = 100 */
        XCASE(2)
        li s5, 100
        XFAULT(U_MODE, CAUSE_XPC_SWAPSEG, swapseg s5)
        TVAL_IS(100)
        /* 3: idx = all ones (an index: compared unsigned) */
        XCASE(3)
        li s5, -1
        XFAULT(U_MODE, CAUSE_XPC_SWAPSEG, swapseg s5)
        TVAL_IS(-1)
        /* 4: xseglist_len = 0: no index is valid */
        XCASE(4)
        csrw xseglist_len, zero
        li s5, 0
        XFAULT(U_MODE, CAUSE_XPC_SWAPSEG, swapseg s5)
        TVAL_IS(0)
        /* 5: xseglist_len = 2: slot 2 (C, in memory) is out of bounds: the register bounds it */
        XCASE(5)
        li s5, 2
        csrw xseglist_len, s5
        XFAULT(U_MODE, CAUSE_XPC_SWAPSEG, swapseg s5)
        TVAL_IS(2)

        /* ---- the exchange: slot 0 (B), with seg-mask not at reset (swapseg leaves it) ---- */
        XCASE(6)
        SET_SEGMASK(0x10, 0x20, SEG_R)
        li s5, 0
        XRUN(U_MODE, c6: swapseg s5)
        /* 6: no trap, pc += 4, same privilege */
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c6 + 4)
        /* 7: seg-reg = B, all four fields; the U views show it */
        XSTEP(7)
        SEGREG_IS(SEGB_VA, bufb, SEGB_LEN, SEG_RW)
        VIEWS_MATCH
        /* 8: slot 0 = A, all four fields */
        XSTEP(8)
        SLOT(a0, K_SEGLIST1, 0, SL_VA)
        li a1, SEGA_VA
        XEQ
        SLOT(a0, K_SEGLIST1, 0, SL_PA)
        la a1, bufa
        XEQ
        SLOT(a0, K_SEGLIST1, 0, SL_LEN)
        li a1, SEGA_LEN
        XEQ
        SLOT(a0, K_SEGLIST1, 0, SL_PERM)
        li a1, SEG_RW
        XEQ
        /* 9: nothing else: the other slots, every other CSR (seg-mask too), the registers */
        XSTEP(9)
        SAME_EXCEPT(M_SEGREG, seglist1, SL_SIZE, 1)

        /* 10: an empty slot (1, zeros): seg-reg becomes empty (useg_len 0), slot 1 = A */
        XCASE(10)
        li s5, 1
        XRUN(U_MODE, c10: swapseg s5)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c10 + 4)
        AFTER_IS(S_XSEG_LEN, 0)
        AFTER_IS(S_USEG_LEN, 0)
        AFTER_IS(S_XSEG_VA, 0)
        AFTER_IS(S_XSEG_PA, 0)
        AFTER_IS(S_XSEG_PERM, 0)
        SLOT(a0, K_SEGLIST1, 1, SL_VA)
        li a1, SEGA_VA
        XEQ
        SLOT(a0, K_SEGLIST1, 1, SL_PA)
        la a1, bufa
        XEQ
        SLOT(a0, K_SEGLIST1, 1, SL_LEN)
        li a1, SEGA_LEN
        XEQ
        SAME_EXCEPT(M_SEGREG, seglist1 + SL_SIZE, SL_SIZE, 1)

        /* 11: an empty seg-reg (all zeros) into slot 2 (C): seg-reg = C, slot 2 = zeros */
        XCASE(11)
        SET_SEGREG(0, kmem_start, 0, 0)
        csrw xseg_pa, zero
        li s5, 2
        XRUN(U_MODE, c11: swapseg s5)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c11 + 4)
        SEGREG_IS(SEGC_VA, bufc, SEGC_LEN, SEG_R)
        SLOT(a0, K_SEGLIST1, 2, SL_LEN)
        li a1, 0
        XEQ
        SLOT(a0, K_SEGLIST1, 2, SL_VA)
        li a1, 0
        XEQ
        SLOT(a0, K_SEGLIST1, 2, SL_PA)
        li a1, 0
        XEQ
        SLOT(a0, K_SEGLIST1, 2, SL_PERM)
        li a1, 0
        XEQ

        /* 12: twice with the same slot: everything is as before */
        XCASE(12)
        li s5, 0
        XRUN(U_MODE, swapseg s5; c12: swapseg s5)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c12 + 4)
        SAME_ALL

        /* 13: swapseg zero: idx = x0 = 0 → B */
        XCASE(13)
        XRUN(U_MODE, c13: swapseg zero)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c13 + 4)
        SEGREG_IS(SEGB_VA, bufb, SEGB_LEN, SEG_RW)

        /* 14: from S-mode (legal), paging off */
        XCASE(14)
        csrw satp, zero
        li s5, 0
        XRUN(S_MODE, c14: swapseg s5)
        CAP_AT(S_MODE, CAUSE_SUPERVISOR_ECALL, c14 + 4)
        SEGREG_IS(SEGB_VA, bufb, SEGB_LEN, SEG_RW)
        SAME_EXCEPT(M_SEGREG, seglist1, SL_SIZE, 1)

        /* 15: the seg-list is the one at xseglist: seglist2 (2 slots), slot 1 = D; seglist1
         * untouched */
        XCASE(15)
        la a0, seglist2
        csrw xseglist, a0
        li a0, 2
        csrw xseglist_len, a0
        li s5, 1
        XRUN(U_MODE, c15: swapseg s5)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c15 + 4)
        SEGREG_IS(SEGD_VA, bufd, SEGD_LEN, SEG_RW)
        SLOT(a0, K_SEGLIST2, 1, SL_VA)
        li a1, SEGA_VA
        XEQ
        SAME_EXCEPT(M_SEGREG, seglist2 + SL_SIZE, SL_SIZE, 1)

        /* 16: the seg-list read hits no RAM: a load or store access fault (which one the spec
         * leaves open), at the swapseg, nothing changed */
        XCASE(16)
        li a0, UNMAPPED_PA
        csrw xseglist, a0
        li s5, 0
        XRUN(U_MODE, c16: swapseg s5)
        la a0, cap_cause
        ld a0, 0(a0)
        li a1, CAUSE_LOAD_ACCESS
        beq a0, a1, 1f
        li a1, CAUSE_STORE_ACCESS
        XEQ
1:      CAP_EPC(a0)
        la a1, c16
        XEQ
        SAME_ALL

        /* 17: translation follows seg-reg: after swapping B in, SEGB_VA reads bufb and SEGA_VA
         * (A no longer active) reads the page table's shadow_a */
        XCASE(17)
        li s5, 0
        li t3, SEGB_VA + 8
        li t4, SEGA_VA + 8
        XRUN(U_MODE, swapseg s5; ld s2, 0(t3); ld s3, 0(t4); c17: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c17)
        REG_IS(X_S2, PAT_B + 1)
        REG_IS(X_S3, PAT_SHADOW_A + 1)

        /* 18: a callee uses its own seg-list (seglist2, 2 slots): slot 2 → 27 there */
        XCASE(18)
        SET_XE_ADDR(1, XE_PC, callee_sw)
        FLUSH_XPC_CACHE
        li a0, 1
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_XPC_SWAPSEG, csw_fault)
        TVAL_IS(2)
        /* 19: ... and slot 1 gives it D, the handed A going into seglist2's slot 1 */
        XSTEP(19)
        XRESUME_AT(csw_ok)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, csw_stop)
        SEGREG_IS(SEGD_VA, bufd, SEGD_LEN, SEG_RW)
        SLOT(a0, K_SEGLIST2, 1, SL_VA)
        li a1, SEGA_VA
        XEQ
        SLOT(a0, K_SEGLIST2, 1, SL_LEN)
        li a1, SEGA_LEN
        XEQ

        TEST_PASS

        .balign 4
callee_sw:
        li t3, 2
csw_fault:
        swapseg t3
        ecall
csw_ok:
        li t3, 1
        swapseg t3
csw_stop:
        ecall

XPC_END
