/*
 * xret.S — xret as xpc-isa.md ("Semantics", xret 1–3) states it:
 *   1  xlink == xlink_base, or the top record (at xlink − 128) not VALID → 26, stval = xlink;
 *   2  seg-reg differs from the record's handed window (va, len, perm) → 29, stval = xlink
 *      (the callee must swap the segment it was handed back before returning);
 *   3  restore satp, xcap, xseglist(_len), xdomain, xcaller, the caller's full seg-reg; clear the
 *      record's VALID; xlink −= 128; seg-mask reset; pc ← ret_pc;
 * the order of the checks, no state changed by any exception, S-mode use, and a link-stack read
 * that hits no RAM (load access fault).
 *
 * Most cases return through a record built by hand (MAKE_RECORD, xpc-macros.h): ret_pc = a label
 * here, satp_b, caps(5), seglist3/3, domain 5, caller 6, the caller's segment = C (SEGC_VA,
 * bufc, 0x80, R), handed window as given. The "callee" state before the xret is the home state
 * with xlink moved up; since every restored value differs from it, each restore is visible.
 */
#include "xpc-macros.h"

XPC_BEGIN

        /* ---- step 1: → 26, stval = xlink ---- */
        /* 1: an empty link stack (xlink == xlink_base) */
        XCASE(1)
        XFAULT(U_MODE, CAUSE_XPC_INVALID_LINKAGE, xret)
        TVAL_IS_ADDR(lstack)
        /* 2: xlink == xlink_base even with a VALID record just below: the bound wins */
        XCASE(2)
        MAKE_RECORD(0, r_ret, SEGA_VA, SEGA_LEN, SEG_RW)
        la a0, lstack + LR_SIZE
        csrw xlink, a0
        csrw xlink_base, a0
        XFAULT(U_MODE, CAUSE_XPC_INVALID_LINKAGE, xret)
        TVAL_IS_ADDR(lstack + LR_SIZE)
        /* 3: the top record's flags are 0 */
        XCASE(3)
        MAKE_RECORD(0, r_ret, SEGA_VA, SEGA_LEN, SEG_RW)
        la a0, lstack + LR_FLAGS
        sd zero, 0(a0)
        la a0, lstack + LR_SIZE
        csrw xlink, a0
        XFAULT(U_MODE, CAUSE_XPC_INVALID_LINKAGE, xret)
        TVAL_IS_ADDR(lstack + LR_SIZE)
        /* 4: every flag bit set but VALID (bit 0) */
        XCASE(4)
        MAKE_RECORD(0, r_ret, SEGA_VA, SEGA_LEN, SEG_RW)
        la a0, lstack + LR_FLAGS
        li a1, -2
        sd a1, 0(a0)
        la a0, lstack + LR_SIZE
        csrw xlink, a0
        XFAULT(U_MODE, CAUSE_XPC_INVALID_LINKAGE, xret)
        TVAL_IS_ADDR(lstack + LR_SIZE)

        /* ---- step 2: seg-reg ≠ handed window → 29, stval = xlink ---- */
        /* 5: va differs (handed A, seg-reg A moved up 0x10: same len and perm) */
        XCASE(5)
        MAKE_RECORD(0, r_ret, SEGA_VA, SEGA_LEN, SEG_RW)
        la a0, lstack + LR_SIZE
        csrw xlink, a0
        SET_SEGREG(SEGA_VA + 0x10, bufa + 0x10, SEGA_LEN, SEG_RW)
        XFAULT(U_MODE, CAUSE_XPC_SEG_NOT_RETURNED, xret)
        TVAL_IS_ADDR(lstack + LR_SIZE)
        /* 6: len differs */
        XCASE(6)
        MAKE_RECORD(0, r_ret, SEGA_VA, SEGA_LEN, SEG_RW)
        la a0, lstack + LR_SIZE
        csrw xlink, a0
        SET_SEGREG(SEGA_VA, bufa, SEGA_LEN - 8, SEG_RW)
        XFAULT(U_MODE, CAUSE_XPC_SEG_NOT_RETURNED, xret)
        TVAL_IS_ADDR(lstack + LR_SIZE)
        /* 7: perm differs */
        XCASE(7)
        MAKE_RECORD(0, r_ret, SEGA_VA, SEGA_LEN, SEG_RW)
        la a0, lstack + LR_SIZE
        csrw xlink, a0
        SET_SEGREG(SEGA_VA, bufa, SEGA_LEN, SEG_R)
        XFAULT(U_MODE, CAUSE_XPC_SEG_NOT_RETURNED, xret)
        TVAL_IS_ADDR(lstack + LR_SIZE)
        /* 8: seg-reg empty (len 0) while a window was handed */
        XCASE(8)
        MAKE_RECORD(0, r_ret, SEGA_VA, SEGA_LEN, SEG_RW)
        la a0, lstack + LR_SIZE
        csrw xlink, a0
        csrw xseg_len, zero
        XFAULT(U_MODE, CAUSE_XPC_SEG_NOT_RETURNED, xret)
        TVAL_IS_ADDR(lstack + LR_SIZE)
        /* 9: the order: a record not VALID and a wrong seg-reg → 26 */
        XCASE(9)
        MAKE_RECORD(0, r_ret, SEGA_VA, SEGA_LEN, SEG_RW)
        la a0, lstack + LR_FLAGS
        sd zero, 0(a0)
        la a0, lstack + LR_SIZE
        csrw xlink, a0
        csrw xseg_len, zero
        XFAULT(U_MODE, CAUSE_XPC_INVALID_LINKAGE, xret)
        TVAL_IS_ADDR(lstack + LR_SIZE)
        /* 10: the order: an empty link stack and a wrong seg-reg → 26 */
        XCASE(10)
        csrw xseg_len, zero
        XFAULT(U_MODE, CAUSE_XPC_INVALID_LINKAGE, xret)
        TVAL_IS_ADDR(lstack)

        /* ---- step 3: a return through a hand-built record. The "callee" has seg-reg = the
         * handed window (A), seg-mask (0x30, 5, R), xcaller 0x77 ---- */
        XCASE(11)
        MAKE_RECORD(0, r_ret, SEGA_VA, SEGA_LEN, SEG_RW)
        la a0, lstack + LR_SIZE
        csrw xlink, a0
        SET_SEGMASK(0x30, 5, SEG_R)
        li a0, 0x77
        csrw xcaller, a0
        XRUN(U_MODE, xret)
        /* 11: pc ← ret_pc (the record's, here not after any xcall); privilege unchanged */
        CAP_AT(U_MODE, CAUSE_USER_ECALL, r_ret)
        /* 12: satp ← record.satp */
        XSTEP(12)
        AFTER_IS_VAR(S_SATP, satp_b)
        /* 13: xcap, xseglist, xseglist_len ← the record's */
        XSTEP(13)
        AFTER_IS_ADDR(S_XCAP, caps + 5 * 8)
        AFTER_IS_ADDR(S_XSEGLIST, seglist3)
        AFTER_IS(S_XSEGLIST_LEN, 3)
        /* 14: xdomain = record.domain, xcaller = record.caller (uxcaller shows it) */
        XSTEP(14)
        AFTER_IS(S_XDOMAIN, 5)
        AFTER_IS(S_XCALLER, 6)
        AFTER_IS(S_UXCALLER, 6)
        /* 15: seg-reg ← the caller's full segment (C) from the record, pa included */
        XSTEP(15)
        SEGREG_IS(SEGC_VA, bufc, SEGC_LEN, SEG_R)
        VIEWS_MATCH
        /* 16: xlink −= 128 */
        XSTEP(16)
        AFTER_IS_ADDR(S_XLINK, lstack)
        /* 17: seg-mask ← reset */
        XSTEP(17)
        SEGMASK_IS_RESET
        /* 18: the record's VALID is cleared */
        XSTEP(18)
        REC_VALID_IS(0, 0)
        /* 19: nothing else: xentry_base/size, xlink_base/limit, xctl, the memory outside the
         * record, every general register */
        XSTEP(19)
        SAME_EXCEPT(M_SWITCH, lstack, LR_SIZE, 1)

        /* 20: two records: xret pops only the top one (slot 1); slot 0 stays as it was, VALID */
        XCASE(20)
        MAKE_RECORD(0, r_ret2, SEGC_VA, SEGC_LEN, SEG_R)
        MAKE_RECORD(1, r_ret, SEGA_VA, SEGA_LEN, SEG_RW)
        la a0, lstack + 2 * LR_SIZE
        csrw xlink, a0
        XRUN(U_MODE, xret)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, r_ret)
        AFTER_IS_ADDR(S_XLINK, lstack + LR_SIZE)
        REC_VALID_IS(1, 0)
        REC_VALID_IS(0, 1)
        SAME_EXCEPT(M_SWITCH, lstack + LR_SIZE, LR_SIZE, 1)
        /* 21: ... and the next xret (r_ret's) pops slot 0: its handed window (C) is what the
         * first xret restored, so it returns to r_ret2 with an empty link stack */
        XSTEP(21)
        XRESUME
        CAP_AT(U_MODE, CAUSE_USER_ECALL, r_ret2)
        AFTER_IS_ADDR(S_XLINK, lstack)
        REC_VALID_IS(0, 0)

        /* 22: xret from S-mode (legal): a record with satp 0, home in Bare mode */
        XCASE(22)
        csrw satp, zero
        MAKE_RECORD(0, r_ret, SEGA_VA, SEGA_LEN, SEG_RW)
        la a0, lstack + LR_SATP
        sd zero, 0(a0)
        la a0, lstack + LR_SIZE
        csrw xlink, a0
        XRUN(S_MODE, xret)
        CAP_AT(S_MODE, CAUSE_SUPERVISOR_ECALL, r_ret)
        AFTER_IS(S_SATP, 0)
        AFTER_IS(S_XDOMAIN, 5)
        AFTER_IS_ADDR(S_XLINK, lstack)

        /* ---- a real call whose callee swaps the handed segment away (callee_swap) ---- */
        /* 23: xcall 1 → the callee swaps seg-list slot 1 (D) in: seg-reg = D */
        XCASE(23)
        SET_XE_ADDR(1, XE_PC, callee_swap)
        FLUSH_XPC_CACHE
        li a0, 1
        XRUN(U_MODE, c23: xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_swap)
        XRESUME
        CAP_AT(U_MODE, CAUSE_USER_ECALL, cs_stop2)
        SEGREG_IS(SEGD_VA, bufd, SEGD_LEN, SEG_RW)
        /* 24: its xret → 29, stval = xlink; nothing changed (seg-reg still D, the record VALID) */
        XSTEP(24)
        XRESUME
        CAP_AT(U_MODE, CAUSE_XPC_SEG_NOT_RETURNED, cs_xret)
        SAME_ALL
        TVAL_IS_ADDR(lstack + LR_SIZE)
        /* 25: the callee swaps A back and returns: the caller's state is back, D in its slot */
        XSTEP(25)
        XRESUME_AT(cs_back)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c23 + 4)
        SEGREG_IS(SEGA_VA, bufa, SEGA_LEN, SEG_RW)
        AFTER_IS(S_XDOMAIN, 1)
        AFTER_IS_ADDR(S_XLINK, lstack)
        SLOT(a0, K_SEGLIST2, 1, SL_VA)
        li a1, SEGD_VA
        XEQ

        /* 26: a sub-window was handed (0x10, 0x20, R); the callee returns it untouched: the
         * caller gets its whole segment back, not the window */
        XCASE(26)
        SET_SEGMASK(0x10, 0x20, SEG_R)
        li a0, 1
        XRUN(U_MODE, c26: xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        SEGREG_IS(SEGA_VA + 0x10, bufa + 0x10, 0x20, SEG_R)
        XRESUME
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c26 + 4)
        SEGREG_IS(SEGA_VA, bufa, SEGA_LEN, SEG_RW)
        SEGMASK_IS_RESET

        /* 27: the callee got no segment (off = seg_len) and returns without touching seg-reg:
         * no 29, and the caller's segment is back */
        XCASE(27)
        SET_SEGMASK(SEGA_LEN, -1, SEG_RW)
        li a0, 1
        XRUN(U_MODE, c27: xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        XRESUME
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c27 + 4)
        SEGREG_IS(SEGA_VA, bufa, SEGA_LEN, SEG_RW)

        /* 28: the callee got no segment but swaps one (D) in before returning → 29 */
        XCASE(28)
        SET_XE_ADDR(1, XE_PC, callee_swap)
        FLUSH_XPC_CACHE
        SET_SEGMASK(SEGA_LEN, -1, SEG_RW)
        li a0, 1
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_swap)
        XRESUME
        CAP_AT(U_MODE, CAUSE_USER_ECALL, cs_stop2)
        XRESUME
        CAP_AT(U_MODE, CAUSE_XPC_SEG_NOT_RETURNED, cs_xret)
        SAME_ALL
        TVAL_IS_ADDR(lstack + LR_SIZE)

        /* 29: the link stack's read hits no RAM → load access fault, nothing changed */
        XCASE(29)
        li a0, UNMAPPED_PA
        csrw xlink_base, a0
        addi a0, a0, LR_SIZE
        csrw xlink, a0
        XFAULT(U_MODE, CAUSE_LOAD_ACCESS, xret)

        TEST_PASS

/* Return targets of the hand-built records: stop; when resumed, return again. */
        .balign 4
r_ret:
        ecall
        xret
        ecall
r_ret2:
        ecall
        ecall

/* A callee that swaps its handed segment for seg-list slot 1 (D in seglist2), tries to return,
 * and (resumed at cs_back) swaps it back and returns. */
callee_swap:
        ecall
        li t3, 1
        swapseg t3
cs_stop2:
        ecall
cs_xret:
        xret
        ecall
cs_back:
        swapseg t3
        xret
        ecall

XPC_END
