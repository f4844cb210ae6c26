/*
 * nesting.S — calls inside calls (xpc-isa.md, xcall/xret semantics applied repeatedly):
 *   - three levels: domain 1 → 2 → 3 and back; xcaller/xdomain (and uxcaller, read in U-mode) at
 *     every level; each level's record (the caller's own xcaller saved and restored); the bitmap
 *     of the current domain deciding (domain 3 may call nothing: 25); the relay segment handed
 *     down through two seg-mask windows (set by U-mode code) and the full segments restored on
 *     the way back;
 *   - a recursive entry filling the link stack to xlink_limit: the call that does not fit raises
 *     28 with stval = xlink and leaves the stack as it was (nothing written past the limit); the
 *     returns then unwind every level;
 *   - a limit that is not a whole number of records.
 *
 * Entry 1 = domain 2 (satp_b, caps(2): entry 2 only, seglist2), entry 2 = domain 3 (satp_c,
 * caps(3): nothing), entry 7 = domain 7 (caps(7): entry 7 only).
 */
#include "xpc-macros.h"

XPC_BEGIN

        /* ---- three levels ---- */
        XCASE(1)
        SET_XE_ADDR(1, XE_PC, n1_entry)
        SET_XE_ADDR(2, XE_PC, n2_entry)
        FLUSH_XPC_CACHE
        li a0, 0x21
        csrw xcaller, a0                        /* the home thread's own caller */
        SET_SEGMASK(0x10, -1, SEG_RW)
        li a0, 1
        XRUN(U_MODE, h_call: xcall a0; h_stop: ecall)
        /* 1: level 1 (domain 2): xcaller = 1, as U-mode reads it too */
        CAP_AT(U_MODE, CAUSE_USER_ECALL, n1_stop)
        AFTER_IS(S_XDOMAIN, 2)
        AFTER_IS(S_XCALLER, 1)
        REG_IS(X_S2, 1)
        /* 2: its window: (A + 0x10, bufa + 0x10, 0xf0, RW) */
        XSTEP(2)
        SEGREG_IS(SEGA_VA + 0x10, bufa + 0x10, SEGA_LEN - 0x10, SEG_RW)
        /* 3: record 0: the home's domain and own caller, ret to h_call + 4 */
        XSTEP(3)
        AFTER_IS_ADDR(S_XLINK, lstack + LR_SIZE)
        REC_IS(0, LR_DOMAIN, 1)
        REC_IS(0, LR_CALLER, 0x21)
        REC_IS_ADDR(0, LR_RET_PC, h_call + 4)
        REC_VALID_IS(0, 1)

        /* level 1 sets seg-mask (0x10, 0x20, R) in U-mode and calls entry 2 */
        XSTEP(4)
        XRESUME
        /* 4: level 2 (domain 3): xcaller = 2 (U reads 2), satp_c, caps(3), seglist3 */
        CAP_AT(U_MODE, CAUSE_USER_ECALL, n2_stop)
        AFTER_IS(S_XDOMAIN, 3)
        AFTER_IS(S_XCALLER, 2)
        REG_IS(X_S3, 2)
        AFTER_IS_VAR(S_SATP, satp_c)
        AFTER_IS_ADDR(S_XCAP, caps + 3 * 8)
        AFTER_IS_ADDR(S_XSEGLIST, seglist3)
        AFTER_IS(S_XSEGLIST_LEN, 3)
        /* 5: the window of the window: off 0x10 into (A + 0x10, 0xf0, RW), len 0x20, R */
        XSTEP(5)
        SEGREG_IS(SEGA_VA + 0x20, bufa + 0x20, 0x20, SEG_R)
        SEGMASK_IS_RESET
        /* 6: record 1, at lstack + 128: level 1's state */
        XSTEP(6)
        AFTER_IS_ADDR(S_XLINK, lstack + 2 * LR_SIZE)
        REC_IS_VAR(1, LR_SATP, satp_b)
        REC_IS_ADDR(1, LR_RET_PC, n1_call + 4)
        REC_IS_ADDR(1, LR_XCAP, caps + 2 * 8)
        REC_IS_ADDR(1, LR_SEGLIST, seglist2)
        REC_IS(1, LR_SEGLEN, 2)
        REC_IS(1, LR_DOMAIN, 2)
        REC_IS(1, LR_CALLER, 1)
        REC_IS(1, LR_SEG_VA, SEGA_VA + 0x10)
        REC_IS_ADDR(1, LR_SEG_PA, bufa + 0x10)
        REC_IS(1, LR_SEG_LEN, SEGA_LEN - 0x10)
        REC_IS(1, LR_SEG_PERM, SEG_RW)
        REC_IS(1, LR_HANDED_VA, SEGA_VA + 0x20)
        REC_IS(1, LR_HANDED_LEN, 0x20)
        REC_IS(1, LR_HANDED_PERM, SEG_R)
        REC_VALID_IS(1, 1)
        /* 7: record 0 untouched (all memory but record 1 as at level 1) */
        XSTEP(7)
        SAME_EXCEPT(M_SWITCH, lstack + LR_SIZE, LR_SIZE, 0)

        /* 8: domain 3's bitmap is empty: its xcall 1 → 25, nothing changed */
        XSTEP(8)
        XSETREG(X_A0, 1)
        XRESUME
        CAP_AT(U_MODE, CAUSE_XPC_INVALID_CAP, n2_bad)
        TVAL_IS(1)
        SAME_ALL

        /* level 2 returns */
        XSTEP(9)
        XRESUME_AT(n2_ret)
        /* 9: back in level 1 after its xcall: domain 2, xcaller = record 1's caller (1) */
        CAP_AT(U_MODE, CAUSE_USER_ECALL, n1_back)
        AFTER_IS(S_XDOMAIN, 2)
        AFTER_IS(S_XCALLER, 1)
        AFTER_IS(S_UXCALLER, 1)
        /* 10: level 1's satp, xcap, seg-list, full segment (not the window it handed) */
        XSTEP(10)
        AFTER_IS_VAR(S_SATP, satp_b)
        AFTER_IS_ADDR(S_XCAP, caps + 2 * 8)
        AFTER_IS_ADDR(S_XSEGLIST, seglist2)
        AFTER_IS(S_XSEGLIST_LEN, 2)
        SEGREG_IS(SEGA_VA + 0x10, bufa + 0x10, SEGA_LEN - 0x10, SEG_RW)
        SEGMASK_IS_RESET
        /* 11: one record popped: record 1 no longer VALID, record 0 still */
        XSTEP(11)
        AFTER_IS_ADDR(S_XLINK, lstack + LR_SIZE)
        REC_VALID_IS(1, 0)
        REC_VALID_IS(0, 1)

        /* level 1 returns */
        XSTEP(12)
        XRESUME
        /* 12: home: domain 1, xcaller back to its own caller (0x21) */
        CAP_AT(U_MODE, CAUSE_USER_ECALL, h_stop)
        AFTER_IS(S_XDOMAIN, 1)
        AFTER_IS(S_XCALLER, 0x21)
        AFTER_IS(S_UXCALLER, 0x21)
        /* 13: home's satp, xcap, seg-list and whole segment A; empty link stack */
        XSTEP(13)
        AFTER_IS_VAR(S_SATP, satp_a)
        AFTER_IS_ADDR(S_XCAP, caps + 8)
        AFTER_IS_ADDR(S_XSEGLIST, seglist1)
        AFTER_IS(S_XSEGLIST_LEN, 4)
        SEGREG_IS(SEGA_VA, bufa, SEGA_LEN, SEG_RW)
        AFTER_IS_ADDR(S_XLINK, lstack)
        REC_VALID_IS(0, 0)
        REC_VALID_IS(1, 0)

        /* ---- recursion to the link limit: xlink_limit = lstack + 3 records; entry 7 calls
         * itself at rec_entry until a call does not fit ---- */
        XCASE(14)
        SET_XE_ADDR(7, XE_PC, rec_entry)
        FLUSH_XPC_CACHE
        la a0, lstack + 3 * LR_SIZE
        csrw xlink_limit, a0
        li a0, 7
        XRUN(U_MODE, r_call: xcall a0; r_stop: ecall)
        /* 14: three calls fit; the fourth → 28 at rec_entry, stval = xlink = the limit */
        CAP_AT(U_MODE, CAUSE_XPC_LINK_OVERFLOW, rec_entry)
        TVAL_IS_ADDR(lstack + 3 * LR_SIZE)
        AFTER_IS_ADDR(S_XLINK, lstack + 3 * LR_SIZE)
        /* 15: domain 7 called by domain 7; the records: 1 → 7 → 7 */
        XSTEP(15)
        AFTER_IS(S_XDOMAIN, 7)
        AFTER_IS(S_XCALLER, 7)
        REC_IS(0, LR_DOMAIN, 1)
        REC_IS(0, LR_CALLER, 0)
        REC_IS_ADDR(0, LR_RET_PC, r_call + 4)
        REC_IS(1, LR_DOMAIN, 7)
        REC_IS(1, LR_CALLER, 1)
        REC_IS_ADDR(1, LR_RET_PC, rec_entry + 4)
        REC_IS(2, LR_DOMAIN, 7)
        REC_IS(2, LR_CALLER, 7)
        REC_IS_ADDR(2, LR_RET_PC, rec_entry + 4)
        REC_VALID_IS(0, 1)
        REC_VALID_IS(1, 1)
        REC_VALID_IS(2, 1)
        /* 16: nothing beyond the limit was written (slots 3..5 as before), no register changed */
        XSTEP(16)
        SAME_EXCEPT(M_SWITCH, lstack, 3 * LR_SIZE, 1)
        /* 17: unwinding: three xrets bring back the home state and an empty link stack */
        XSTEP(17)
        XRESUME_AT(rec_entry + 4)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, r_stop)
        AFTER_IS_ADDR(S_XLINK, lstack)
        AFTER_IS(S_XDOMAIN, 1)
        AFTER_IS(S_XCALLER, 0)
        AFTER_IS_VAR(S_SATP, satp_a)
        SEGREG_IS(SEGA_VA, bufa, SEGA_LEN, SEG_RW)
        REC_VALID_IS(0, 0)
        REC_VALID_IS(1, 0)
        REC_VALID_IS(2, 0)

        /* 18: a limit of 2.5 records: the third call → 28 at xlink = lstack + 256 */
        XCASE(18)
        SET_XE_ADDR(7, XE_PC, rec_entry)
        FLUSH_XPC_CACHE
        la a0, lstack + 2 * LR_SIZE + LR_SIZE / 2
        csrw xlink_limit, a0
        li a0, 7
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_XPC_LINK_OVERFLOW, rec_entry)
        TVAL_IS_ADDR(lstack + 2 * LR_SIZE)
        AFTER_IS_ADDR(S_XLINK, lstack + 2 * LR_SIZE)
        SAME_EXCEPT(M_SWITCH, lstack, 2 * LR_SIZE, 1)

        TEST_PASS

        .balign 4
/* level 1 (domain 2) */
n1_entry:
        csrr s2, uxcaller
n1_stop:
        ecall
        li t2, 0x10
        csrw segmask_off, t2
        li t2, 0x20
        csrw segmask_len, t2
        li t2, SEG_R
        csrw segmask_perm, t2
        li a0, 2
n1_call:
        xcall a0
n1_back:
        ecall
        xret
        ecall
/* level 2 (domain 3) */
n2_entry:
        csrr s3, uxcaller
n2_stop:
        ecall
n2_bad:
        xcall a0
n2_ret:
        xret
        ecall
/* entry 7: calls itself (a0 = 7); returns on the way back */
rec_entry:
        xcall a0
        xret
        ecall

XPC_END
