/*
 * cache.S — the XPC engine cache (xpc-isa.md: "writing [xctl] bit 1 flushes the XPC engine
 * cache (reads 0)"; docs/xpc-isa.md: writing xentry_base flushes it too; a negative id
 * prefetches an entry into it). The spec does not say that a stale entry must be used after
 * the kernel rewrites the table without flushing, so nothing here depends on staleness: each
 * case first gets entry 5 into the cache (by calling or prefetching it), then rewrites it in
 * memory, flushes, and requires the next xcall to use the new contents.
 *
 * Entry 5: domain 5, satp_b, caps(5), seglist3/3, entry_pc callee_stop (xpc-macros.h).
 */
#include "xpc-macros.h"

XPC_BEGIN

        /* 1: a call to entry 5 (now cached) and its return */
        XCASE(1)
        li a0, 5
        XRUN(U_MODE, c1: xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        XRESUME
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c1 + 4)
        AFTER_IS(S_XDOMAIN, 1)

        /* 2: entry_pc rewritten, xctl bit 1 written (EN kept, the bit reads 0): the next call
         * enters at the new entry_pc */
        XSTEP(2)
        SET_XE_ADDR(5, XE_PC, callee_stop2)
        csrsi xctl, XCTL_FLUSH
        csrr a0, xctl
        li a1, XCTL_EN
        XEQ
        li a0, 5
        XRUN(U_MODE, c2: xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop2)
        XRESUME
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c2 + 4)

        /* 3: entry_pc rewritten back, xentry_base rewritten (same value): the new entry_pc */
        XSTEP(3)
        SET_XE_ADDR(5, XE_PC, callee_stop)
        la a0, xtab
        csrw xentry_base, a0
        li a0, 5
        XRUN(U_MODE, c3: xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        XRESUME
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c3 + 4)

        /* 4: a prefetch of entry 5 (-5), then entry_pc rewritten and a flush, then the call */
        XSTEP(4)
        li a0, -5
        li a1, 5
        XRUN(U_MODE, xcall a0; c4: ecall; xcall a1)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c4)
        SET_XE_ADDR(5, XE_PC, callee_stop2)
        FLUSH_XPC_CACHE
        XRESUME
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop2)

        /* 5: every field of the entry rewritten (after a call that cached it), flushed: the
         * call switches to the new satp, xcap, seg-list and domain */
        XCASE(5)
        li a0, 5
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        XRESUME
        la a0, satp_c
        ld a1, 0(a0)
        la a0, xtab + 5 * XE_SIZE + XE_SATP
        sd a1, 0(a0)
        SET_XE_ADDR(5, XE_CAP, caps + 7 * 8)
        SET_XE_ADDR(5, XE_SEGLIST, seglist1)
        SET_XE(5, XE_SEGLEN, 4)
        SET_XE(5, XE_DOMAIN, 0x55)
        SET_XE_ADDR(5, XE_PC, callee_stop2)
        FLUSH_XPC_CACHE
        li a0, 5
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop2)
        AFTER_IS_VAR(S_SATP, satp_c)
        AFTER_IS_ADDR(S_XCAP, caps + 7 * 8)
        AFTER_IS_ADDR(S_XSEGLIST, seglist1)
        AFTER_IS(S_XSEGLIST_LEN, 4)
        AFTER_IS(S_XDOMAIN, 0x55)

        /* 6: VALID cleared (after a call that cached the entry), flushed: → 24, no change */
        XCASE(6)
        li a0, 5
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        XRESUME
        SET_XE(5, XE_FLAGS, 0)
        FLUSH_XPC_CACHE
        li a0, 5
        XFAULT(U_MODE, CAUSE_XPC_INVALID_ENTRY, xcall a0)
        TVAL_IS(5)

        /* 7: the cap bit cleared (after a call), flushed: → 25, no change */
        XCASE(7)
        li a0, 5
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        XRESUME
        la a0, caps + 8
        li a1, HOME_XCAPS_1 & ~BIT(5)
        sd a1, 0(a0)
        FLUSH_XPC_CACHE
        li a0, 5
        XFAULT(U_MODE, CAUSE_XPC_INVALID_CAP, xcall a0)
        TVAL_IS(5)

        TEST_PASS
XPC_END
