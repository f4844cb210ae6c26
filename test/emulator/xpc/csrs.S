/*
 * csrs.S — the XPC registers and the instructions' legality (xpc-isa.md, "Instructions" and
 * "Registers"; platform.md for illegal instructions: cause 2, tval = the instruction bits):
 *   - seg-mask resets to off 0, len all ones, perm 0b11 at reset;
 *   - xctl: bit 0 EN; writing bit 1 flushes and it reads 0;
 *   - while xctl.EN = 0, xcall (either sign of id), xret and swapseg are illegal (U and S);
 *   - any other funct3/field value in custom-0 is illegal;
 *   - the kernel registers 0x5C0–0x5CE: S-mode read/write, illegal from U-mode;
 *   - 0xCC0–0xCC3 are read-only views at every privilege (writes illegal in U, S and M) whose
 *     reads equal xseg_va/xseg_len/xseg_perm/xcaller; no view of the segment's pa;
 *   - seg-mask 0x800–0x802: U-mode read/write;
 *   - XPC exceptions 24–29 are delegated to S-mode through medeleg like any other.
 * Every illegal access runs alone and must change nothing (XFAULT, xpc-macros.h).
 */
#include "xpc-macros.h"

/* After a capture: tval == the bits of the instruction at epc (identity-mapped here). */
#define TVAL_IS_INSN  CAP_EPC(a1) lwu a1, 0(a1); CAP_TVAL(a0) XEQ

/* An S-mode write then read of a kernel register: the value holds (and the snapshot shows it). */
#define S_RW(n, csr, idx, value)                                          \
        XCASE(n); csrw satp, zero;                                        \
        li s2, value;                                                     \
        XRUN(S_MODE, csrw csr, s2; csrr s3, csr);                         \
        la a0, cap_cause; ld a0, 0(a0); li a1, CAUSE_SUPERVISOR_ECALL; XEQ \
        REG_IS(X_S3, value) AFTER_IS(idx, value)

/* A U-mode read of a kernel register: illegal, nothing changed. */
#define U_READ_ILLEGAL(n, csr)                                            \
        XCASE(n);                                                         \
        XFAULT(U_MODE, CAUSE_ILLEGAL_INSTRUCTION, csrr s2, csr)           \
        TVAL_IS_INSN

/* A reserved custom-0 encoding (bits), run in U-mode with the engine on: illegal, no change. */
#define RESERVED(n, bits)                                                 \
        XCASE(n); li a0, 1; li s5, 0;                                     \
        XFAULT(U_MODE, CAUSE_ILLEGAL_INSTRUCTION, .word bits)             \
        TVAL_IS(bits)

/* An XPC exception delegated to S-mode (medeleg bit cause) from U-mode (Bare: the harness's
 * S-mode handler must be executable): the S handler takes it, at the instruction (sepc), with
 * scause = cause. Afterwards (back in M-mode) check stval with the CSR. */
#define DELEGATED(n, cause, insn)                                         \
        csrw satp, zero;                                                  \
        li t0, 1 << (cause); csrw medeleg, t0;                            \
        csrw scause, zero; csrw stval, zero;                              \
        GOTO_U(1f);                                                       \
1:      TEST_TRAP_AT(n, cause, insn)                                      \
        RETURN_TO_M                                                       \
        csrw medeleg, zero;                                               \
        csrr a0, scause; li a1, cause; XEQ

XPC_BEGIN

        /* ---- seg-mask at reset (nothing has written it yet) ---- */
        /* 1: read in M-mode */
        TEST_RUN(1, csrr a0, segmask_off; li a1, 0; XEQ
                csrr a0, segmask_len; li a1, -1; XEQ
                csrr a0, segmask_perm; li a1, 3; XEQ)
        /* 2: read in U-mode (paging is off) */
        XSTEP(2)
        XRUN(U_MODE, csrr s2, segmask_off; csrr s3, segmask_len; csrr s4, segmask_perm)
        la a0, cap_cause; ld a0, 0(a0); li a1, CAUSE_USER_ECALL; XEQ
        REG_IS(X_S2, 0)
        REG_IS(X_S3, -1)
        REG_IS(X_S4, 3)

        /* ---- xctl ---- */
        /* 3: write EN | FLUSH: reads EN (the flush bit reads 0) */
        TEST_RUN(3, li a0, 3; csrw xctl, a0; csrr a0, xctl; li a1, 1; XEQ)
        /* 4: write FLUSH alone: EN cleared, reads 0 */
        TEST_RUN(4, li a0, 2; csrw xctl, a0; csrr a0, xctl; li a1, 0; XEQ)
        /* 5: set FLUSH with EN on: reads EN */
        TEST_RUN(5, li a0, 1; csrw xctl, a0; csrsi xctl, 2; csrr a0, xctl; li a1, 1; XEQ)

        /* ---- xctl.EN = 0: the three instructions are illegal; what they would have done
         * (each is valid in the home state) does not happen ---- */
        /* 6: xcall of a valid, callable entry */
        XCASE(6)
        csrw xctl, zero
        li a0, 1
        XFAULT(U_MODE, CAUSE_ILLEGAL_INSTRUCTION, xcall a0)
        TVAL_IS_INSN
        /* 7: xcall with a negative id (a prefetch) */
        XCASE(7)
        csrw xctl, zero
        li a0, -1
        XFAULT(U_MODE, CAUSE_ILLEGAL_INSTRUCTION, xcall a0)
        TVAL_IS_INSN
        /* 8: xret over a valid record */
        XCASE(8)
        MAKE_RECORD(0, callee_stop, SEGA_VA, SEGA_LEN, SEG_RW)
        la a0, lstack + LR_SIZE
        csrw xlink, a0
        csrw xctl, zero
        XFAULT(U_MODE, CAUSE_ILLEGAL_INSTRUCTION, xret)
        TVAL_IS_INSN
        /* 9: swapseg of a valid slot */
        XCASE(9)
        csrw xctl, zero
        li s5, 0
        XFAULT(U_MODE, CAUSE_ILLEGAL_INSTRUCTION, swapseg s5)
        TVAL_IS_INSN
        /* 10: xcall in S-mode */
        XCASE(10)
        csrw satp, zero
        csrw xctl, zero
        li a0, 1
        XFAULT(S_MODE, CAUSE_ILLEGAL_INSTRUCTION, xcall a0)
        TVAL_IS_INSN
        /* 11: swapseg in S-mode */
        XCASE(11)
        csrw satp, zero
        csrw xctl, zero
        li s5, 0
        XFAULT(S_MODE, CAUSE_ILLEGAL_INSTRUCTION, swapseg s5)
        TVAL_IS_INSN

        /* ---- U-mode access to the kernel registers 0x5C0–0x5CE: illegal ---- */
        U_READ_ILLEGAL(12, xentry_base)
        U_READ_ILLEGAL(13, xentry_size)
        U_READ_ILLEGAL(14, xcap)
        U_READ_ILLEGAL(15, xlink)
        U_READ_ILLEGAL(16, xlink_base)
        U_READ_ILLEGAL(17, xlink_limit)
        U_READ_ILLEGAL(18, xseglist)
        U_READ_ILLEGAL(19, xseglist_len)
        U_READ_ILLEGAL(20, xdomain)
        U_READ_ILLEGAL(21, xctl)
        U_READ_ILLEGAL(22, xseg_va)
        U_READ_ILLEGAL(23, xseg_pa)
        U_READ_ILLEGAL(24, xseg_len)
        U_READ_ILLEGAL(25, xseg_perm)
        U_READ_ILLEGAL(26, xcaller)
        /* 27: a U write (xdomain): illegal, the value unchanged */
        XCASE(27)
        li s2, 9
        XFAULT(U_MODE, CAUSE_ILLEGAL_INSTRUCTION, csrw xdomain, s2)
        TVAL_IS_INSN
        /* 28: a U write of the segment's pa */
        XCASE(28)
        li s2, 0x80000000
        XFAULT(U_MODE, CAUSE_ILLEGAL_INSTRUCTION, csrw xseg_pa, s2)
        TVAL_IS_INSN

        /* ---- S-mode reads and writes every kernel register ---- */
        S_RW(29, xentry_base, S_XENTRY_BASE, 0x80001000)
        S_RW(30, xentry_size, S_XENTRY_SIZE, 5)
        S_RW(31, xcap, S_XCAP, 0x80002008)
        S_RW(32, xlink, S_XLINK, 0x80003080)
        S_RW(33, xlink_base, S_XLINK_BASE, 0x80003000)
        S_RW(34, xlink_limit, S_XLINK_LIMIT, 0x80004000)
        S_RW(35, xseglist, S_XSEGLIST, 0x80005000)
        S_RW(36, xseglist_len, S_XSEGLIST_LEN, 7)
        S_RW(37, xdomain, S_XDOMAIN, 9)
        S_RW(38, xseg_va, S_XSEG_VA, 0x40050000)
        S_RW(39, xseg_pa, S_XSEG_PA, 0x80006000)
        S_RW(40, xseg_len, S_XSEG_LEN, 0x40)
        S_RW(41, xseg_perm, S_XSEG_PERM, 1)
        S_RW(42, xcaller, S_XCALLER, 0x12)
        /* 43: xctl from S-mode: EN | FLUSH reads EN */
        XCASE(43)
        csrw satp, zero
        li s2, 3
        XRUN(S_MODE, csrw xctl, s2; csrr s3, xctl)
        REG_IS(X_S3, 1)

        /* ---- the read-only views read the kernel registers ---- */
        XCASE(44)
        li a0, 0x40070000
        csrw xseg_va, a0
        li a0, 0x123
        csrw xseg_len, a0
        li a0, SEG_W
        csrw xseg_perm, a0
        li a0, 0x45
        csrw xcaller, a0
        /* 44: from U-mode */
        XRUN(U_MODE, csrr s2, useg_va; csrr s3, useg_len; csrr s4, useg_perm; csrr s5, uxcaller)
        la a0, cap_cause; ld a0, 0(a0); li a1, CAUSE_USER_ECALL; XEQ
        REG_IS(X_S2, 0x40070000)
        REG_IS(X_S3, 0x123)
        REG_IS(X_S4, SEG_W)
        REG_IS(X_S5, 0x45)
        /* 45: from S-mode */
        XSTEP(45)
        csrw satp, zero
        XRUN(S_MODE, csrr s2, useg_va; csrr s3, useg_len; csrr s4, useg_perm; csrr s5, uxcaller)
        la a0, cap_cause; ld a0, 0(a0); li a1, CAUSE_SUPERVISOR_ECALL; XEQ
        REG_IS(X_S2, 0x40070000)
        REG_IS(X_S3, 0x123)
        REG_IS(X_S4, SEG_W)
        REG_IS(X_S5, 0x45)
        /* 46: from M-mode */
        TEST_RUN(46, csrr a0, useg_va; li a1, 0x40070000; XEQ
                csrr a0, useg_len; li a1, 0x123; XEQ
                csrr a0, useg_perm; li a1, SEG_W; XEQ
                csrr a0, uxcaller; li a1, 0x45; XEQ)

        /* ---- ... and cannot be written, at any privilege ---- */
        /* 47..50: U-mode, each view */
        XCASE(47)
        li s2, 0x40080000
        XFAULT(U_MODE, CAUSE_ILLEGAL_INSTRUCTION, csrw useg_va, s2)
        TVAL_IS_INSN
        XCASE(48)
        li s2, 8
        XFAULT(U_MODE, CAUSE_ILLEGAL_INSTRUCTION, csrw useg_len, s2)
        TVAL_IS_INSN
        XCASE(49)
        li s2, 1
        XFAULT(U_MODE, CAUSE_ILLEGAL_INSTRUCTION, csrw useg_perm, s2)
        TVAL_IS_INSN
        XCASE(50)
        li s2, 3
        XFAULT(U_MODE, CAUSE_ILLEGAL_INSTRUCTION, csrw uxcaller, s2)
        TVAL_IS_INSN
        /* 51: csrrs with a source register other than x0 is a write, even of zero bits */
        XCASE(51)
        li s6, 0
        XFAULT(U_MODE, CAUSE_ILLEGAL_INSTRUCTION, csrrs s2, useg_len, s6)
        TVAL_IS_INSN
        /* 52: S-mode */
        XCASE(52)
        csrw satp, zero
        XFAULT(S_MODE, CAUSE_ILLEGAL_INSTRUCTION, csrrwi s2, useg_perm, 1)
        TVAL_IS_INSN
        XCASE(53)
        csrw satp, zero
        li s2, 7
        XFAULT(S_MODE, CAUSE_ILLEGAL_INSTRUCTION, csrw uxcaller, s2)
        TVAL_IS_INSN
        /* 54: M-mode (the harness's own handler: trap at the instruction; value unchanged) */
        XCASE(54)
        li a0, 0x66
        csrw xcaller, a0
        li a2, 0x12
        TEST_TRAP_AT(54, CAUSE_ILLEGAL_INSTRUCTION, csrw uxcaller, a2)
        TEST_RUN(54, csrr a0, xcaller; li a1, 0x66; XEQ; csrr a0, uxcaller; XEQ)
        /* 55: there is no view of the segment's physical base (0xCC4 does not exist) */
        XCASE(55)
        XFAULT(U_MODE, CAUSE_ILLEGAL_INSTRUCTION, csrr s2, 0xcc4)
        TVAL_IS_INSN

        /* ---- seg-mask: U-mode read/write; the kernel sees the values ---- */
        /* 56: U writes and reads back */
        XCASE(56)
        li s5, 0x123
        li s6, 0x456
        li s7, 1
        XRUN(U_MODE, csrw segmask_off, s5; csrw segmask_len, s6; csrw segmask_perm, s7;
                csrr s2, segmask_off; csrr s3, segmask_len; csrr s4, segmask_perm)
        la a0, cap_cause; ld a0, 0(a0); li a1, CAUSE_USER_ECALL; XEQ
        REG_IS(X_S2, 0x123)
        REG_IS(X_S3, 0x456)
        REG_IS(X_S4, 1)
        AFTER_IS(S_SEGMASK_OFF, 0x123)
        AFTER_IS(S_SEGMASK_LEN, 0x456)
        AFTER_IS(S_SEGMASK_PERM, 1)
        /* 57: S-mode too */
        XCASE(57)
        csrw satp, zero
        li s5, 0x20
        XRUN(S_MODE, csrw segmask_off, s5; csrr s2, segmask_off)
        REG_IS(X_S2, 0x20)

        /* ---- any other custom-0 encoding is illegal (engine on; a0 = 1, s5 = 0 so that a
         * misdecoded xcall/swapseg would succeed) ---- */
        RESERVED(58, 0x0000300b)        /* funct3 3 */
        RESERVED(59, 0x0000400b)        /* funct3 4 */
        RESERVED(60, 0x0000500b)        /* funct3 5 */
        RESERVED(61, 0x0000600b)        /* funct3 6 */
        RESERVED(62, 0x0000700b)        /* funct3 7 */
        RESERVED(63, 0x0005008b)        /* xcall a0 with rd = x1 */
        RESERVED(64, 0x0015000b)        /* xcall a0 with rs2 = x1 */
        RESERVED(65, 0x0205000b)        /* xcall a0 with funct7 = 1 */
        RESERVED(66, 0x8005000b)        /* xcall a0 with funct7 = 0x40 */
        RESERVED(67, 0x0000900b)        /* xret with rs1 = x1 */
        RESERVED(68, 0x0000108b)        /* xret with rd = x1 */
        RESERVED(69, 0x0010100b)        /* xret with rs2 = x1 */
        RESERVED(70, 0x000aa08b)        /* swapseg s5 with rd = x1 */
        RESERVED(71, 0x001aa00b)        /* swapseg s5 with rs2 = x1 */
        RESERVED(72, 0x020aa00b)        /* swapseg s5 with funct7 = 1 */

        /* ---- delegation: medeleg bits 24–29 exist and send XPC exceptions to S-mode ---- */
        /* 73: the bits are writable */
        TEST_RUN(73, li a0, 0x3f000000; csrw medeleg, a0; csrr a0, medeleg; li a1, 0x3f000000;
                and a0, a0, a1; XEQ; csrw medeleg, zero)
        /* 74: 24 (entry 3 not VALID), stval = id */
        XCASE(74)
        li a0, 3
        DELEGATED(74, CAUSE_XPC_INVALID_ENTRY, xcall a0)
        csrr a0, stval
        li a1, 3
        XEQ
        /* 75: 25 (entry 4: cap clear) */
        XCASE(75)
        li a0, 4
        DELEGATED(75, CAUSE_XPC_INVALID_CAP, xcall a0)
        csrr a0, stval
        li a1, 4
        XEQ
        /* 76: 26 (empty link stack), stval = xlink */
        XCASE(76)
        DELEGATED(76, CAUSE_XPC_INVALID_LINKAGE, xret)
        csrr a0, stval
        la a1, lstack
        XEQ
        /* 77: 27 (slot 4 of 4), stval = idx */
        XCASE(77)
        li s5, 4
        DELEGATED(77, CAUSE_XPC_SWAPSEG, swapseg s5)
        csrr a0, stval
        li a1, 4
        XEQ
        /* 78: 28 (link stack full), stval = xlink */
        XCASE(78)
        csrr a0, xlink_limit
        csrw xlink, a0
        li a0, 1
        DELEGATED(78, CAUSE_XPC_LINK_OVERFLOW, xcall a0)
        csrr a0, stval
        csrr a1, xlink_limit
        XEQ
        /* 79: 29 (seg-reg is not the handed window C), stval = xlink */
        XCASE(79)
        MAKE_RECORD(0, callee_stop, SEGC_VA, SEGC_LEN, SEG_R)
        la a0, lstack + LR_SIZE
        csrw xlink, a0
        DELEGATED(79, CAUSE_XPC_SEG_NOT_RETURNED, xret)
        csrr a0, stval
        la a1, lstack + LR_SIZE
        XEQ

        TEST_PASS
XPC_END
