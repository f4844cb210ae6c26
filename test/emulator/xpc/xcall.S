/*
 * xcall.S — xcall, step by step as xpc-isa.md ("Semantics", xcall 1–7) states it:
 *   1  a negative id is a prefetch: no architectural change, pc += 4;
 *   2  id ≥ xentry_size or entry not VALID (entry 0 never) → 24, stval = id;
 *   3  cap bit clear in the bitmap at xcap (bit i%8 of byte i/8) → 25, stval = id;
 *   4  xlink + 128 > xlink_limit → 28, stval = xlink;
 *   5  the handed window (seg-mask off/len/perm against the seg-reg, off ≥ len: no segment);
 *   6  the linkage record, every field, VALID; xlink += 128;
 *   7  satp, xcap, xseglist(_len), xcaller ← old xdomain, xdomain, seg-reg ← window, seg-mask
 *      reset, pc ← entry_pc;
 * the order of the checks, "no exception leaves any state changed" (every fault runs alone and
 * the whole state is compared), no general register saved or cleared, S-mode callers, and the
 * engine's table/bitmap/link-stack accesses hitting no RAM (load/store access fault).
 *
 * The world (entries, domains, segments) is described in xpc-macros.h. Every case starts from
 * the home state: domain 1, satp_a, empty link stack (limit 4 records), segment A =
 * (SEGA_VA, bufa, 0x100, RW) in seg-reg, seg-mask reset.
 */
#include "xpc-macros.h"

XPC_BEGIN

        /* ---- 1: the harness's home state reads back as set (a CSR that does not hold its
         * value shows here first, not as a puzzling failure later) ---- */
        XCASE(1)
        XRUN(U_MODE, c1: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c1)
        AFTER_IS_ADDR(S_XENTRY_BASE, xtab)
        AFTER_IS(S_XENTRY_SIZE, HOME_XENTRY_SIZE)
        AFTER_IS_ADDR(S_XCAP, caps + 8)
        AFTER_IS_ADDR(S_XLINK, lstack)
        AFTER_IS_ADDR(S_XLINK_BASE, lstack)
        AFTER_IS_ADDR(S_XLINK_LIMIT, lstack + HOME_LINK_RECS * LR_SIZE)
        AFTER_IS_ADDR(S_XSEGLIST, seglist1)
        AFTER_IS(S_XSEGLIST_LEN, 4)
        AFTER_IS(S_XDOMAIN, 1)
        AFTER_IS(S_XCTL, XCTL_EN)               /* the flush bit written by xpc_home reads 0 */
        AFTER_IS(S_XCALLER, 0)
        AFTER_IS_VAR(S_SATP, satp_a)
        SEGREG_IS(SEGA_VA, bufa, SEGA_LEN, SEG_RW)
        SEGMASK_IS_RESET
        VIEWS_MATCH

        /* ---- step 1: id < 0 is a prefetch of entry -id: nothing architectural changes
         * (every CSR, seg-mask, satp, the link stack and tables, the registers), pc += 4 ---- */
        /* 2: -1, a valid callable entry */
        XCASE(2)
        li a0, -1
        XRUN(U_MODE, c2: xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c2 + 4)
        SAME_ALL
        /* 3: -3, an entry that is not VALID: still no exception */
        XCASE(3)
        li a0, -3
        XRUN(U_MODE, c3: xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c3 + 4)
        SAME_ALL
        /* 4: -1000, far beyond the table (and xentry_size) */
        XCASE(4)
        li a0, -1000
        XRUN(U_MODE, c4: xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c4 + 4)
        SAME_ALL
        /* 5: the most negative id (its negation does not fit: still a prefetch, no effect) */
        XCASE(5)
        li a0, 0x8000000000000000
        XRUN(U_MODE, c5: xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c5 + 4)
        SAME_ALL
        /* 6: a prefetch from S-mode (paging off for S-mode code) */
        XCASE(6)
        csrw satp, zero
        li a0, -2
        XRUN(S_MODE, c6: xcall a0)
        CAP_AT(S_MODE, CAUSE_SUPERVISOR_ECALL, c6 + 4)
        SAME_ALL
        /* 7: a prefetch, then the call itself works as usual */
        XCASE(7)
        li a0, -1
        li a1, 1
        XRUN(U_MODE, xcall a0; xcall a1)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        AFTER_IS(S_XDOMAIN, 2)

        /* ---- step 2: id ≥ xentry_size, or entry id not VALID → 24, stval = id ---- */
        /* 8: id = xentry_size (11). Entry 11 is VALID in memory and its cap bit is set: the
         * bound is the xentry_size register */
        XCASE(8)
        li a0, HOME_XENTRY_SIZE
        XFAULT(U_MODE, CAUSE_XPC_INVALID_ENTRY, xcall a0)
        TVAL_IS(HOME_XENTRY_SIZE)
        /* 9: id = 12 */
        XCASE(9)
        li a0, 12
        XFAULT(U_MODE, CAUSE_XPC_INVALID_ENTRY, xcall a0)
        TVAL_IS(12)
        /* 10: the largest positive id */
        XCASE(10)
        li a0, 0x7fffffffffffffff
        XFAULT(U_MODE, CAUSE_XPC_INVALID_ENTRY, xcall a0)
        TVAL_IS(0x7fffffffffffffff)
        /* 11: entry 3: flags = 0 (not VALID), its cap bit set */
        XCASE(11)
        li a0, 3
        XFAULT(U_MODE, CAUSE_XPC_INVALID_ENTRY, xcall a0)
        TVAL_IS(3)
        /* 12: entry 8: every flag bit set except VALID (bit 0) */
        XCASE(12)
        li a0, 8
        XFAULT(U_MODE, CAUSE_XPC_INVALID_ENTRY, xcall a0)
        TVAL_IS(8)
        /* 13: entry 0 is reserved and never valid: in memory it is VALID, and its cap bit is
         * set, yet xcall 0 raises 24 */
        XCASE(13)
        li a0, 0
        XFAULT(U_MODE, CAUSE_XPC_INVALID_ENTRY, xcall a0)
        TVAL_IS(0)
        /* 14: xentry_size = 2: entry 2 (valid, callable) is out of bounds */
        XCASE(14)
        li a0, 2
        csrw xentry_size, a0
        XFAULT(U_MODE, CAUSE_XPC_INVALID_ENTRY, xcall a0)
        TVAL_IS(2)
        /* 15: xentry_size = 0: nothing is callable */
        XCASE(15)
        csrw xentry_size, zero
        li a0, 1
        XFAULT(U_MODE, CAUSE_XPC_INVALID_ENTRY, xcall a0)
        TVAL_IS(1)
        /* 16: xentry_size = 12: entry 11 is now within bounds and is called (domain 11) */
        XCASE(16)
        li a0, 12
        csrw xentry_size, a0
        li a0, 11
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        AFTER_IS(S_XDOMAIN, 11)
        /* 17: the order of the checks: entry 3 (not VALID) with its cap bit cleared and the link
         * stack full → 24, not 25 or 28 */
        XCASE(17)
        la a0, caps + 8
        li a1, HOME_XCAPS_1 & ~BIT(3)
        sd a1, 0(a0)
        csrr a0, xlink_limit
        csrw xlink, a0
        li a0, 3
        XFAULT(U_MODE, CAUSE_XPC_INVALID_ENTRY, xcall a0)
        TVAL_IS(3)

        /* ---- step 3: cap bit id of the bitmap at xcap is 0 → 25, stval = id ---- */
        /* 18: entry 4, valid, bit 4 of byte 0 clear */
        XCASE(18)
        li a0, 4
        XFAULT(U_MODE, CAUSE_XPC_INVALID_CAP, xcall a0)
        TVAL_IS(4)
        /* 19: entry 10: bit 2 of byte 1 clear (bit 2 of byte 0 is set: byte i/8, bit i%8) */
        XCASE(19)
        li a0, 10
        XFAULT(U_MODE, CAUSE_XPC_INVALID_CAP, xcall a0)
        TVAL_IS(10)
        /* 20: entry 9: bit 1 of byte 1 set → called (its own entry_pc, domain 9) */
        XCASE(20)
        li a0, 9
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop2)
        AFTER_IS(S_XDOMAIN, 9)
        /* 21: the bitmap is the one at xcap: with xcap = caps(2) (entry 2 only), entry 1 → 25 */
        XCASE(21)
        la a0, caps + 2 * 8
        csrw xcap, a0
        li a0, 1
        XFAULT(U_MODE, CAUSE_XPC_INVALID_CAP, xcall a0)
        TVAL_IS(1)
        /* 22: ... and entry 2 is callable (domain 3) */
        XCASE(22)
        la a0, caps + 2 * 8
        csrw xcap, a0
        li a0, 2
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        AFTER_IS(S_XDOMAIN, 3)
        /* 23: the order: entry 4 (valid, cap clear) with the link stack full → 25, not 28 */
        XCASE(23)
        csrr a0, xlink_limit
        csrw xlink, a0
        li a0, 4
        XFAULT(U_MODE, CAUSE_XPC_INVALID_CAP, xcall a0)
        TVAL_IS(4)

        /* ---- step 4: xlink + 128 > xlink_limit → 28, stval = xlink ---- */
        /* 24: xlink = xlink_limit */
        XCASE(24)
        csrr a0, xlink_limit
        csrw xlink, a0
        li a0, 1
        XFAULT(U_MODE, CAUSE_XPC_LINK_OVERFLOW, xcall a0)
        TVAL_IS_ADDR(lstack + HOME_LINK_RECS * LR_SIZE)
        /* 25: one byte short: xlink = lstack + 128, xlink_limit = lstack + 255 */
        XCASE(25)
        la a0, lstack + LR_SIZE
        csrw xlink, a0
        addi a0, a0, LR_SIZE - 1
        csrw xlink_limit, a0
        li a0, 1
        XFAULT(U_MODE, CAUSE_XPC_LINK_OVERFLOW, xcall a0)
        TVAL_IS_ADDR(lstack + LR_SIZE)
        /* 26: exactly enough: xlink = lstack + 128, xlink_limit = lstack + 256 → the call
         * succeeds, the record goes to lstack + 128, xlink becomes the limit; slot 0 untouched */
        XCASE(26)
        la a0, lstack + LR_SIZE
        csrw xlink, a0
        addi a0, a0, LR_SIZE
        csrw xlink_limit, a0
        li a0, 1
        XRUN(U_MODE, c26: xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        AFTER_IS_ADDR(S_XLINK, lstack + 2 * LR_SIZE)
        REC_IS_ADDR(1, LR_RET_PC, c26 + 4)
        REC_VALID_IS(1, 1)
        SAME_EXCEPT(M_SWITCH, lstack + LR_SIZE, LR_SIZE, 1)

        /* ---- step 5: the handed window; the callee's seg-reg and the record's handed_* ---- */
        /* 27: seg-mask at reset (0, all ones, RW): the whole segment A */
        XCASE(27)
        li a0, 1
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        SEGREG_IS(SEGA_VA, bufa, SEGA_LEN, SEG_RW)
        REC_IS(0, LR_HANDED_VA, SEGA_VA)
        REC_IS(0, LR_HANDED_LEN, SEGA_LEN)
        REC_IS(0, LR_HANDED_PERM, SEG_RW)
        VIEWS_MATCH
        /* 28: off 0x10, len 0x20, perm R: va' = va + off, pa' = pa + off, len' = 0x20, R */
        XCASE(28)
        SET_SEGMASK(0x10, 0x20, SEG_R)
        li a0, 1
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        SEGREG_IS(SEGA_VA + 0x10, bufa + 0x10, 0x20, SEG_R)
        REC_IS(0, LR_HANDED_VA, SEGA_VA + 0x10)
        REC_IS(0, LR_HANDED_LEN, 0x20)
        REC_IS(0, LR_HANDED_PERM, SEG_R)
        /* 29: off 0x40, len 0x1000 (beyond the end): len' = seg_len - off = 0xc0 */
        XCASE(29)
        SET_SEGMASK(0x40, 0x1000, SEG_RW)
        li a0, 1
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        SEGREG_IS(SEGA_VA + 0x40, bufa + 0x40, SEGA_LEN - 0x40, SEG_RW)
        REC_IS(0, LR_HANDED_LEN, SEGA_LEN - 0x40)
        /* 30: perm' = seg_perm & segmask_perm: a W-only segment, mask RW → W */
        XCASE(30)
        li a0, SEG_W
        csrw xseg_perm, a0
        li a0, 1
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        SEGREG_IS(SEGA_VA, bufa, SEGA_LEN, SEG_W)
        REC_IS(0, LR_HANDED_PERM, SEG_W)
        REC_IS(0, LR_SEG_PERM, SEG_W)
        /* 31: ... an RW segment, mask 0 → perm 0 */
        XCASE(31)
        SET_SEGMASK(0, -1, 0)
        li a0, 1
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        SEGREG_IS(SEGA_VA, bufa, SEGA_LEN, 0)
        REC_IS(0, LR_HANDED_PERM, 0)
        /* 32: off = seg_len: the callee gets no segment (len 0, also through useg_len); the
         * record still holds the caller's whole segment */
        XCASE(32)
        SET_SEGMASK(SEGA_LEN, -1, SEG_RW)
        li a0, 1
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        AFTER_IS(S_XSEG_LEN, 0)
        AFTER_IS(S_USEG_LEN, 0)
        REC_IS(0, LR_HANDED_LEN, 0)
        REC_IS(0, LR_SEG_VA, SEGA_VA)
        REC_IS_ADDR(0, LR_SEG_PA, bufa)
        REC_IS(0, LR_SEG_LEN, SEGA_LEN)
        REC_IS(0, LR_SEG_PERM, SEG_RW)
        /* 33: off well beyond the end */
        XCASE(33)
        SET_SEGMASK(0x1000, -1, SEG_RW)
        li a0, 1
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        AFTER_IS(S_XSEG_LEN, 0)
        REC_IS(0, LR_HANDED_LEN, 0)
        /* 34: off = all ones (compared unsigned: far beyond the end, not negative) */
        XCASE(34)
        SET_SEGMASK(-1, -1, SEG_RW)
        li a0, 1
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        AFTER_IS(S_XSEG_LEN, 0)
        REC_IS(0, LR_HANDED_LEN, 0)
        /* 35: the caller has no segment (seg_len 0): neither has the callee */
        XCASE(35)
        csrw xseg_len, zero
        li a0, 1
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        AFTER_IS(S_XSEG_LEN, 0)
        REC_IS(0, LR_HANDED_LEN, 0)
        REC_IS(0, LR_SEG_LEN, 0)
        /* 36: off = seg_len - 1: the last byte only */
        XCASE(36)
        SET_SEGMASK(SEGA_LEN - 1, -1, SEG_RW)
        li a0, 1
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        SEGREG_IS(SEGA_VA + SEGA_LEN - 1, bufa + SEGA_LEN - 1, 1, SEG_RW)
        /* 37: segmask_len = 0: len' = min(seg_len - off, 0) = 0 */
        XCASE(37)
        SET_SEGMASK(0, 0, SEG_RW)
        li a0, 1
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        AFTER_IS(S_XSEG_LEN, 0)
        REC_IS(0, LR_HANDED_LEN, 0)
        /* 38: off 0x10 with len all ones: len' = seg_len - off (no overflow of off + len) */
        XCASE(38)
        SET_SEGMASK(0x10, -1, SEG_RW)
        li a0, 1
        XRUN(U_MODE, xcall a0)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        SEGREG_IS(SEGA_VA + 0x10, bufa + 0x10, SEGA_LEN - 0x10, SEG_RW)

        /* ---- steps 6 and 7: one call, seen at the callee's first instruction ----
         * Home with xcaller = 0x33 (the home thread's own caller) and seg-mask (0x10, 0x20, R). */
        XCASE(39)
        li a0, 0x33
        csrw xcaller, a0
        SET_SEGMASK(0x10, 0x20, SEG_R)
        li a0, 1
        XRUN(U_MODE, c39: xcall a0)
        /* 39: pc ← entry.entry_pc; no trap, no change of privilege (the stop is a U ecall) */
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_stop)
        /* 40: satp ← entry.satp */
        XSTEP(40)
        AFTER_IS_VAR(S_SATP, satp_b)
        /* 41: xcap, xseglist, xseglist_len ← the entry's */
        XSTEP(41)
        AFTER_IS_ADDR(S_XCAP, caps + 2 * 8)
        AFTER_IS_ADDR(S_XSEGLIST, seglist2)
        AFTER_IS(S_XSEGLIST_LEN, 2)
        /* 42: xcaller ← old xdomain (1), xdomain ← entry.domain (2); uxcaller shows xcaller */
        XSTEP(42)
        AFTER_IS(S_XCALLER, 1)
        AFTER_IS(S_UXCALLER, 1)
        AFTER_IS(S_XDOMAIN, 2)
        /* 43: seg-reg ← the handed window; the U views show it */
        XSTEP(43)
        SEGREG_IS(SEGA_VA + 0x10, bufa + 0x10, 0x20, SEG_R)
        VIEWS_MATCH
        /* 44: seg-mask ← reset */
        XSTEP(44)
        SEGMASK_IS_RESET
        /* 45: xlink += 128 */
        XSTEP(45)
        AFTER_IS_ADDR(S_XLINK, lstack + LR_SIZE)
        /* 46: nothing else: xentry_base/size, xlink_base/limit, xctl, the memory other than the
         * record, and every general register (no register is saved or cleared by hardware) */
        XSTEP(46)
        SAME_EXCEPT(M_SWITCH, lstack, LR_SIZE, 1)
        /* 47..53: the linkage record at the old xlink */
        XSTEP(47)
        REC_IS_VAR(0, LR_SATP, satp_a)
        XSTEP(48)
        REC_IS_ADDR(0, LR_RET_PC, c39 + 4)      /* the xcall's address + 4 */
        XSTEP(49)
        REC_IS_ADDR(0, LR_XCAP, caps + 8)
        REC_IS_ADDR(0, LR_SEGLIST, seglist1)
        REC_IS(0, LR_SEGLEN, 4)
        XSTEP(50)
        REC_IS(0, LR_DOMAIN, 1)                 /* the caller's domain */
        REC_IS(0, LR_CALLER, 0x33)              /* the caller's own xcaller */
        XSTEP(51)
        REC_IS(0, LR_SEG_VA, SEGA_VA)           /* the caller's full seg-reg */
        REC_IS_ADDR(0, LR_SEG_PA, bufa)
        REC_IS(0, LR_SEG_LEN, SEGA_LEN)
        REC_IS(0, LR_SEG_PERM, SEG_RW)
        XSTEP(52)
        REC_IS(0, LR_HANDED_VA, SEGA_VA + 0x10) /* the window given to the callee */
        REC_IS(0, LR_HANDED_LEN, 0x20)
        REC_IS(0, LR_HANDED_PERM, SEG_R)
        XSTEP(53)
        REC_VALID_IS(0, 1)

        /* 54: the callee runs under its own satp: SEGA_VA + 0x800 (outside segment A) is
         * shadow_a through pt_a before the call and shadow_b through pt_b after it */
        XCASE(54)
        SET_XE_ADDR(1, XE_PC, callee_satp)
        FLUSH_XPC_CACHE
        li a0, 1
        li t3, SEGA_VA + 0x800
        XRUN(U_MODE, ld s2, 0(t3); xcall a0; ld s4, 0(t3); c54_back: ecall)
        CAP_AT(U_MODE, CAUSE_USER_ECALL, callee_satp_stop)
        REG_IS(X_S2, PAT_SHADOW_A + 0x100)
        REG_IS(X_S3, PAT_SHADOW_B + 0x100)
        /* 62: after the xret the caller's table is back (no sfence.vma: the TLB is ASID-tagged,
         * and a stale translation from the callee's ASID must not be used) */
        XSTEP(62)
        XRESUME
        CAP_AT(U_MODE, CAUSE_USER_ECALL, c54_back)
        REG_IS(X_S4, PAT_SHADOW_A + 0x100)

        /* ---- xcall from S-mode (legal): home in Bare mode, entry 6 has satp_s (S pages) ---- */
        /* 55: the call: same privilege (an S ecall at entry_pc), satp_s, domain 6, record */
        XCASE(55)
        csrw satp, zero
        li a0, 6
        XRUN(S_MODE, c55: xcall a0)
        CAP_AT(S_MODE, CAUSE_SUPERVISOR_ECALL, callee_stop)
        AFTER_IS_VAR(S_SATP, satp_s)
        AFTER_IS(S_XDOMAIN, 6)
        AFTER_IS(S_XCALLER, 1)
        REC_IS(0, LR_SATP, 0)
        REC_IS_ADDR(0, LR_RET_PC, c55 + 4)
        SAME_EXCEPT(M_SWITCH, lstack, LR_SIZE, 1)
        /* 56: ... and its xret, in S-mode, back to the caller: Bare again, domain 1 */
        XSTEP(56)
        XRESUME
        CAP_AT(S_MODE, CAUSE_SUPERVISOR_ECALL, c55 + 4)
        AFTER_IS(S_SATP, 0)
        AFTER_IS(S_XDOMAIN, 1)
        AFTER_IS_ADDR(S_XLINK, lstack)
        /* 57: an XPC exception in S-mode changes nothing either (entry 4: cap clear) */
        XCASE(57)
        csrw satp, zero
        li a0, 4
        XFAULT(S_MODE, CAUSE_XPC_INVALID_CAP, xcall a0)
        TVAL_IS(4)
        /* 58: ... nor in S-mode with 24 */
        XCASE(58)
        csrw satp, zero
        li a0, 3
        XFAULT(S_MODE, CAUSE_XPC_INVALID_ENTRY, xcall a0)
        TVAL_IS(3)

        /* ---- engine accesses that hit no RAM: a load/store access fault instead, and no
         * state changed (stval is not specified for these) ---- */
        /* 59: the x-entry table */
        XCASE(59)
        li a0, UNMAPPED_PA
        csrw xentry_base, a0
        li a0, 1
        XFAULT(U_MODE, CAUSE_LOAD_ACCESS, xcall a0)
        /* 60: the cap bitmap */
        XCASE(60)
        li a0, UNMAPPED_PA
        csrw xcap, a0
        li a0, 1
        XFAULT(U_MODE, CAUSE_LOAD_ACCESS, xcall a0)
        /* 61: the link stack (the record's write) */
        XCASE(61)
        li a0, UNMAPPED_PA
        csrw xlink, a0
        csrw xlink_base, a0
        addi a0, a0, HOME_LINK_RECS * LR_SIZE
        csrw xlink_limit, a0
        li a0, 1
        XFAULT(U_MODE, CAUSE_STORE_ACCESS, xcall a0)

        TEST_PASS

/* Case 54's callee: the same load as the caller's, under the callee's page table. */
        .balign 4
callee_satp:
        ld s3, 0(t3)
callee_satp_stop:
        ecall
        xret

XPC_END
