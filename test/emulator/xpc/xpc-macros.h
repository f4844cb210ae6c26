/*
 * xpc-macros.h — the harness of the XPC acceptance programs (shared/spec/xpc-isa.md is the
 * contract; docs/xpc-isa.md the project's copy). It extends test-macros.h (same exit protocol:
 * finisher 0 = pass, N = failing case N, a "FAIL: test N" line on the UART) with:
 *
 *  - a "world": an x-entry table, per-domain xcall-cap bitmaps, seg-lists, one link stack, four
 *    relay-segment buffers and Sv39 page tables, all built in memory by M-mode (the kernel);
 *  - xpc_home, which puts every XPC register and the world's memory back into one known home
 *    state (domain 1, empty link stack, relay segment A active, seg-mask reset, engine enabled
 *    and its cache flushed), so that every case starts from the same state;
 *  - a capture mechanism: XRUN runs a piece of code in U- or S-mode until its first trap, which
 *    an M-mode handler takes. The handler records the trap (cause, epc, tval, mstatus), all 31
 *    registers and a snapshot of every XPC CSR, satp and the world's memory, and returns to the
 *    M-mode code after XRUN, which then checks them against the snapshot taken just before the
 *    code started. A stop is simply `ecall`: e.g. a callee's first instruction is an ecall, so
 *    the state "at the callee's entry" is what the capture shows.
 *
 * This is how "no exception leaves any state changed" is checked: the faulting instruction runs
 * alone (XFAULT), and every CSR, satp, the table/bitmaps/seg-lists/link stack/segment buffers
 * and all registers must be what they were, and epc the instruction's own address.
 *
 * Registers: gp (case number) and tp (0) as in test-macros.h. XRUN, XRESUME and the checks use
 * t0/t1 before entering the code (they are part of the registers the code starts with, and of
 * the comparison); after a capture every register is free in the M-mode check code (the
 * captured ones are in memory, and XRESUME restores them).
 */
#ifndef XPC_MACROS_H
#define XPC_MACROS_H

#include "../programs/test-macros.h"

/* ---- the contract's numbers (xpc-isa.md) ---- */
#define CAUSE_XPC_INVALID_ENTRY    24
#define CAUSE_XPC_INVALID_CAP      25
#define CAUSE_XPC_INVALID_LINKAGE  26
#define CAUSE_XPC_SWAPSEG          27
#define CAUSE_XPC_LINK_OVERFLOW    28
#define CAUSE_XPC_SEG_NOT_RETURNED 29

/* x-entry, 64 bytes */
#define XE_SATP     0
#define XE_CAP      8
#define XE_PC       16
#define XE_SEGLIST  24
#define XE_SEGLEN   32
#define XE_DOMAIN   40
#define XE_FLAGS    48
#define XE_SIZE     64
/* linkage record, 128 bytes */
#define LR_SATP         0
#define LR_RET_PC       8
#define LR_XCAP         16
#define LR_SEGLIST      24
#define LR_SEGLEN       32
#define LR_DOMAIN       40
#define LR_CALLER       48
#define LR_SEG_VA       56
#define LR_SEG_PA       64
#define LR_SEG_LEN      72
#define LR_SEG_PERM     80
#define LR_HANDED_VA    88
#define LR_HANDED_LEN   96
#define LR_HANDED_PERM  104
#define LR_FLAGS        112
#define LR_SIZE         128
/* seg-list slot, 32 bytes */
#define SL_VA    0
#define SL_PA    8
#define SL_LEN   16
#define SL_PERM  24
#define SL_SIZE  32

#define SEG_R 1
#define SEG_W 2
#define SEG_RW 3
#define XCTL_EN    1
#define XCTL_FLUSH 2

/* ---- modes for XRUN (the value of mstatus.MPP) ---- */
#define U_MODE 0
#define S_MODE MSTATUS_MPP_S

/* ---- the world ---- */
/* Nothing at this physical address on the board: engine accesses there must fault. */
#define UNMAPPED_PA 0x40000
/*
 * Relay-segment VAs. In the Sv39 tables the page at SEGA_VA is mapped (U, RWX) to a "shadow"
 * page with other contents, so that a segment's priority over the page table is visible; the
 * other segment VAs are not mapped at all. In Bare mode nothing is at these physical addresses.
 */
#define SEGA_VA  0x40000000
#define SEGB_VA  0x40010000
#define SEGC_VA  0x40020000
#define SEGD_VA  0x40030000
#define SEGA_LEN 0x100
#define SEGB_LEN 0x80
#define SEGC_LEN 0x80
#define SEGD_LEN 0x40
/* Contents: dword k of a buffer/page holds its pattern + k. */
#define PAT_A 0xaaaa000000000000
#define PAT_B 0xbbbb000000000000
#define PAT_C 0xcccc000000000000
#define PAT_D 0xdddd000000000000
#define PAT_SHADOW_A 0x5a5a000000000000
#define PAT_SHADOW_B 0x5b5b000000000000

#define XTAB_ENTRIES     12     /* entries 0..11 exist in memory */
#define HOME_XENTRY_SIZE 11     /* ... but xentry_size leaves entry 11 out */
#define LSTACK_SLOTS     6      /* link-stack memory: 6 records, the last two beyond the limit */
#define HOME_LINK_RECS   4      /* xlink_limit = lstack + 4 * 128 */
#define HOME_XCAPS_1     0x0bef /* domain 1 may call 0,1,2,3,5,6,7,8,9,11 (not 4, not 10) */
#define XCAPS_2          0x04   /* domain 2 may call entry 2 only */
#define XCAPS_7          0x80   /* domain 7 may call entry 7 (itself) */

/*
 * The x-entries (xpc_home writes them):
 *   id domain satp    xcap     entry_pc      seg-list      flags
 *   0  10     satp_b  caps(2)  callee_stop   seglist2, 2   VALID   (reserved: never valid)
 *   1  2      satp_b  caps(2)  callee_stop   seglist2, 2   VALID
 *   2  3      satp_c  caps(3)  callee_stop   seglist3, 3   VALID
 *   3  3      satp_b  caps(2)  callee_stop   seglist2, 2   0       (not valid)
 *   4  4      satp_b  caps(4)  callee_stop   seglist2, 2   VALID   (cap bit clear in caps(1))
 *   5  5      satp_b  caps(5)  callee_stop   seglist3, 3   VALID
 *   6  6      satp_s  caps(6)  callee_stop   seglist3, 3   VALID   (for S-mode callers)
 *   7  7      satp_b  caps(7)  callee_stop   0, 0          VALID
 *   8  8      satp_b  caps(2)  callee_stop   seglist2, 2   ~VALID  (every flag bit but VALID)
 *   9  9      satp_b  caps(9)  callee_stop2  seglist2, 2   VALID   (cap: byte 1, bit 1)
 *   10 10     satp_b  caps(2)  callee_stop   seglist2, 2   VALID   (cap bit clear; bit 10%8 of byte 0 set)
 *   11 11     satp_b  caps(2)  callee_stop   seglist2, 2   VALID   (beyond xentry_size; cap bit set)
 * satp_a: Sv39, ASID 1, pt_a (the home domain). satp_b: ASID 2, pt_b. satp_c: ASID 3, pt_a.
 * satp_s: ASID 6, pt_s (RAM without U, for S-mode code; SEGA_VA -> shadow_a, a U page). pt_a and
 * pt_b map RAM 1:1 as one U RWX
 * gigapage (so the same code runs in every domain) and SEGA_VA's page to shadow_a / shadow_b.
 * seglist1 (4 slots): B, empty, C (R only), empty. seglist2 (2): empty, D. seglist3 (3): empty.
 * Segment A (SEGA_VA, bufa, 0x100, RW) is the home seg-reg. B = (SEGB_VA, bufb, 0x80, RW),
 * C = (SEGC_VA, bufc, 0x80, R), D = (SEGD_VA, bufd, 0x40, RW). Empty slots are all zeros.
 */

/* ---- the snapshot (xpc_snap): CSRs in this order, then the world's memory ---- */
#define S_XENTRY_BASE   0
#define S_XENTRY_SIZE   1
#define S_XCAP          2
#define S_XLINK         3
#define S_XLINK_BASE    4
#define S_XLINK_LIMIT   5
#define S_XSEGLIST      6
#define S_XSEGLIST_LEN  7
#define S_XDOMAIN       8
#define S_XCTL          9
#define S_XSEG_VA       10
#define S_XSEG_PA       11
#define S_XSEG_LEN      12
#define S_XSEG_PERM     13
#define S_XCALLER       14
#define S_SEGMASK_OFF   15
#define S_SEGMASK_LEN   16
#define S_SEGMASK_PERM  17
#define S_SATP          18
#define S_USEG_VA       19
#define S_USEG_LEN      20
#define S_USEG_PERM     21
#define S_UXCALLER      22
#define SNAP_NCSR       23
#define SNAP_KMEM       192
/* The world's memory (kmem_start..kmem_end), as offsets: the snapshot's copy is addressed so. */
#define K_XTAB      0
#define K_CAPS      768
#define K_SEGLIST1  864
#define K_SEGLIST2  992
#define K_SEGLIST3  1056
#define K_LSTACK    1152
#define K_BUFA      1920
#define K_BUFB      2176
#define K_BUFC      2304
#define K_BUFD      2432
#define KMEM_SIZE   2496
#define BIT(i) (1 << (i))
/* Masks of the snapshot entries an operation may change (xpc_compare ignores those). */
#define M_SEGREG  (BIT(S_XSEG_VA) | BIT(S_XSEG_PA) | BIT(S_XSEG_LEN) | BIT(S_XSEG_PERM) | BIT(S_USEG_VA) | BIT(S_USEG_LEN) | BIT(S_USEG_PERM))
#define M_SEGMASK (BIT(S_SEGMASK_OFF) | BIT(S_SEGMASK_LEN) | BIT(S_SEGMASK_PERM))
/* What xcall and xret switch; xentry_base/size, xlink_base/limit and xctl are never among them. */
#define M_SWITCH  (BIT(S_SATP) | BIT(S_XCAP) | BIT(S_XLINK) | BIT(S_XSEGLIST) | BIT(S_XSEGLIST_LEN) | BIT(S_XDOMAIN) | BIT(S_XCALLER) | BIT(S_UXCALLER) | M_SEGREG | M_SEGMASK)

/* ---- starting cases ---- */

/* Case n, from the home state (xpc_home sets every register but ra, gp, tp to 0x5eed...n). */
#define XCASE(n)  XPC_CHECK_NUM(n); li TESTNUM, n; call xpc_home;
/* Case n, continuing from the state the previous case left. */
#define XSTEP(n)  XPC_CHECK_NUM(n); li TESTNUM, n;

/*
 * From M-mode: run the code in `mode` (U_MODE or S_MODE), with the registers as they are, until
 * its first trap; then continue after XRUN in M-mode with the capture. If the code ends without
 * trapping, the ecall after it is the trap (cause 8/9, which the case's checks then reject).
 */
#define XRUN(mode, ...)                                                   \
        la t0, 91f; la t1, xgo_pc; sd t0, 0(t1);                          \
        li t0, mode; sd t0, 8(t1);                                        \
        la t0, 92f; sd t0, 16(t1);                                        \
        j xgo;                                                            \
91:     __VA_ARGS__;                                                      \
        ecall;                                                            \
92:

/* From M-mode after a capture: continue the captured code after its ecall (epc + 4), in its mode
 * and with its registers (as changed by XSETREG), until its next trap. */
#define XRESUME                                                           \
        la t0, 92f; la t1, xgo_pc; sd t0, 16(t1);                         \
        j xresume;                                                        \
92:
/* ... or at label instead. */
#define XRESUME_AT(label)                                                 \
        la t0, 92f; la t1, xgo_pc; sd t0, 16(t1);                         \
        la a0, label; j xresume_at;                                       \
92:
/* Before XRESUME: the captured register x<num> becomes value. */
#define XSETREG(num, value)  li a0, value; la a1, regs_after; sd a0, (num) * 8(a1);

/*
 * The one instruction insn, run alone in mode, must trap with `cause` at its own address, in
 * that mode (nothing delegated here: M-mode takes it), and leave everything unchanged: every
 * XPC CSR, seg-mask, satp, the world's memory and all registers. Check tval afterwards.
 */
#define XFAULT(mode, cause, ...)                                          \
        XRUN(mode, 93: __VA_ARGS__)                                       \
        CAP_AT(mode, cause, 93b)                                          \
        SAME_ALL

/* ---- checks after a capture (M-mode; every register is free) ---- */

/* a0 == a1, or report both (and the check's address) and fail the case. */
#define XEQ  call xpc_expect;

/* The capture: the trap came from `mode` with `cause`, at label. */
#define CAP_AT(mode, cause, label)                                        \
        la a0, cap_cause; ld a0, 0(a0); li a1, cause; XEQ                 \
        la a0, cap_epc; ld a0, 0(a0); la a1, label; XEQ                   \
        la a0, cap_status; ld a0, 0(a0); li a1, MSTATUS_MPP; and a0, a0, a1; li a1, mode; XEQ
/* ... at a constant address (e.g. a fetch fault's target) */
#define CAP_AT_VA(mode, cause, va)                                        \
        la a0, cap_cause; ld a0, 0(a0); li a1, cause; XEQ                 \
        la a0, cap_epc; ld a0, 0(a0); li a1, va; XEQ                      \
        la a0, cap_status; ld a0, 0(a0); li a1, MSTATUS_MPP; and a0, a0, a1; li a1, mode; XEQ
/* reg = the trap's tval / epc */
#define CAP_TVAL(reg)  la reg, cap_tval; ld reg, 0(reg);
#define CAP_EPC(reg)   la reg, cap_epc; ld reg, 0(reg);
#define TVAL_IS(value) CAP_TVAL(a0) li a1, value; XEQ
#define TVAL_IS_ADDR(sym) CAP_TVAL(a0) la a1, sym; XEQ

/* reg = snapshot entry idx before the code ran / at the capture */
#define BEFORE(reg, idx)  la reg, snap_before; ld reg, (idx) * 8(reg);
#define AFTER(reg, idx)   la reg, snap_after; ld reg, (idx) * 8(reg);
/* register numbers, for REG/REG_IS/XSETREG */
#define X_A0 10
#define X_A1 11
#define X_S2 18
#define X_S3 19
#define X_S4 20
#define X_S5 21
#define X_S6 22
#define X_S7 23
#define X_T3 28
/* reg = the captured register x<num> */
#define REG(reg, num)     la reg, regs_after; ld reg, (num) * 8(reg);
/* reg = field of link-stack slot k (as captured: the snapshot's copy of memory) */
#define REC(reg, k, field) la reg, snap_after + SNAP_KMEM + K_LSTACK + (k) * LR_SIZE + (field); ld reg, 0(reg);
/* reg = field of seg-list slot k of the list at offset K_SEGLISTn (as captured) */
#define SLOT(reg, klist, k, field) la reg, snap_after + SNAP_KMEM + (klist) + (k) * SL_SIZE + (field); ld reg, 0(reg);
/* reg = a dword of the world's memory (as captured), by offset, e.g. MEMAT(a0, K_BUFA + 8) */
#define MEMAT(reg, koff) la reg, snap_after + SNAP_KMEM + (koff); ld reg, 0(reg);
/* reg = one of the world's variables (satp_a, ...) */
#define VAR(reg, name)    la reg, name; ld reg, 0(reg);

#define AFTER_IS(idx, value)      AFTER(a0, idx) li a1, value; XEQ
#define AFTER_IS_ADDR(idx, sym)   AFTER(a0, idx) la a1, sym; XEQ
#define AFTER_IS_VAR(idx, name)   AFTER(a0, idx) VAR(a1, name) XEQ
#define AFTER_SAME(idx)           AFTER(a0, idx) BEFORE(a1, idx) XEQ
#define REC_IS(k, field, value)   REC(a0, k, field) li a1, value; XEQ
#define REC_IS_ADDR(k, field, sym) REC(a0, k, field) la a1, sym; XEQ
#define REC_IS_VAR(k, field, name) REC(a0, k, field) VAR(a1, name) XEQ
/* the record's VALID bit (flags bit 0) is v */
#define REC_VALID_IS(k, v)        REC(a0, k, LR_FLAGS) andi a0, a0, 1; li a1, v; XEQ
#define REG_IS(num, value)        REG(a0, num) li a1, value; XEQ

/* The seg-reg at the capture is (va, pa, len, perm); pa as a symbol + offset. */
#define SEGREG_IS(va, pasym, len, perm)                                   \
        AFTER_IS(S_XSEG_VA, va) AFTER_IS_ADDR(S_XSEG_PA, pasym)           \
        AFTER_IS(S_XSEG_LEN, len) AFTER_IS(S_XSEG_PERM, perm)
/* seg-mask at its reset value: off 0, len all ones, perm 0b11 */
#define SEGMASK_IS_RESET                                                  \
        AFTER_IS(S_SEGMASK_OFF, 0) AFTER_IS(S_SEGMASK_LEN, -1) AFTER_IS(S_SEGMASK_PERM, 3)
/* The read-only views equal the kernel registers they show. */
#define VIEWS_MATCH                                                       \
        AFTER(a0, S_USEG_VA) AFTER(a1, S_XSEG_VA) XEQ                     \
        AFTER(a0, S_USEG_LEN) AFTER(a1, S_XSEG_LEN) XEQ                   \
        AFTER(a0, S_USEG_PERM) AFTER(a1, S_XSEG_PERM) XEQ                 \
        AFTER(a0, S_UXCALLER) AFTER(a1, S_XCALLER) XEQ

/*
 * Nothing changed between XRUN's start and the capture: every snapshot entry, the world's memory
 * and the registers. SAME_EXCEPT lets the entries in mask and the memory [start, start + len)
 * differ (and compares registers unless regs is 0). Differences are listed on the UART.
 */
#define SAME_ALL  li a0, 0; li a1, 0; li a2, 0; li a3, 1; call xpc_compare; bnez a0, xpc_fail;
#define SAME_EXCEPT(mask, start, len, regs)                               \
        li a0, mask; la a1, start; li a2, len; li a3, regs; call xpc_compare; bnez a0, xpc_fail;
#define SAME_EXCEPT_NOMEM(mask, regs)                                     \
        li a0, mask; li a1, 0; li a2, 0; li a3, regs; call xpc_compare; bnez a0, xpc_fail;

/* ---- changing the world from M-mode (between cases) ---- */
/* x-entry i's field = value / = address of sym; the engine cache is NOT flushed by these. */
#define SET_XE(i, field, value)    la a0, xtab + (i) * XE_SIZE + (field); li a1, value; sd a1, 0(a0);
#define SET_XE_ADDR(i, field, sym) la a0, xtab + (i) * XE_SIZE + (field); la a1, sym; sd a1, 0(a0);
#define FLUSH_XPC_CACHE            csrsi xctl, XCTL_FLUSH;
/* the seg-reg = (va, pa, len, perm) */
#define SET_SEGREG(va, pasym, len, perm)                                  \
        li a0, va; csrw xseg_va, a0; la a0, pasym; csrw xseg_pa, a0;      \
        li a0, len; csrw xseg_len, a0; li a0, perm; csrw xseg_perm, a0;
#define SET_SEGMASK(off, len, perm)                                       \
        li a0, off; csrw segmask_off, a0; li a0, len; csrw segmask_len, a0; \
        li a0, perm; csrw segmask_perm, a0;
/* Link-stack slot k = a VALID record returning to label, into domain 5 (caller 6) with satp_b,
 * caps(5), seglist3/3 and segment C as the caller's full segment; handed = (hva, hlen, hperm). */
#define MAKE_RECORD(k, label, hva, hlen, hperm)                           \
        li a0, k; la a1, label; li a2, hva; li a3, hlen; li a4, hperm; call xpc_make_record;

/* ---- start and end ---- */
#define XPC_BEGIN  TEST_BEGIN call xpc_world_init;
#define XPC_END    TEST_END; xpc_support

/* reg = the Sv39 PTE of the physical page at pa_reg with flags (scratch: t6) */
#define XPC_PTE(reg, pa_reg, flags)                                       \
        srli reg, pa_reg, 12; slli reg, reg, 10; li t6, flags; or reg, reg, t6;
#define XPC_LEAF (PTE_V | PTE_A | PTE_D | PTE_R | PTE_W | PTE_X)

        /* sd of every register but t0 (x5) at base + 8 * n */
        .macro xpc_save_regs base
        .irp r, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        sd x\r, \r * 8(\base)
        .endr
        .endm
        .macro xpc_load_regs base
        .irp r, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        ld x\r, \r * 8(\base)
        .endr
        .endm

        .macro xpc_support

/* ---- the callees' code: stop at entry (the capture shows the state there), then return ---- */
        .balign 4
callee_stop:
        ecall
        xret
        ecall
callee_stop2:
        ecall
        xret
        ecall

/*
 * xgo: xgo_pc / xgo_mode / xgo_resume are set; enter the code with the current registers.
 * xgo_loaded: ... with the registers in regs_before.
 */
xgo:
        csrw mscratch, t0
        la t0, regs_before
        xpc_save_regs t0
        csrr t1, mscratch
        sd t1, 5 * 8(t0)
xgo_loaded:
        la a0, snap_before
        call xpc_snap
        la t0, xgo_pc
        ld t1, 0(t0)
        csrw mepc, t1
        li t1, MSTATUS_MPP | MSTATUS_MPRV
        csrc mstatus, t1
        ld t1, 8(t0)
        csrs mstatus, t1
        la t1, xpc_cap_trap
        csrw mtvec, t1
        la t0, regs_before
        xpc_load_regs t0
        ld t0, 5 * 8(t0)
        mret

/* XRESUME: at the captured epc + 4. xresume_at: at a0. Mode and registers: the captured ones. */
xresume:
        la a0, cap_epc
        ld a0, 0(a0)
        addi a0, a0, 4
xresume_at:
        la t0, xgo_pc
        sd a0, 0(t0)
        la a1, cap_status
        ld a1, 0(a1)
        li a2, MSTATUS_MPP
        and a1, a1, a2
        sd a1, 8(t0)
        la a0, regs_after
        la a1, regs_before
        li a2, 32
1:      ld a3, 0(a0)
        sd a3, 0(a1)
        addi a0, a0, 8
        addi a1, a1, 8
        addi a2, a2, -1
        bnez a2, 1b
        la a1, regs_before
        sd gp, 3 * 8(a1)        /* the case number is the current one, not the captured one */
        j xgo_loaded

/*
 * The capture handler (M-mode, direct): registers, trap CSRs and a snapshot, then back to the
 * M-mode code after XRUN/XRESUME with the harness's handler in place again.
 */
        .balign 4
xpc_cap_trap:
        csrw mscratch, t0
        la t0, regs_after
        xpc_save_regs t0
        csrr t1, mscratch
        sd t1, 5 * 8(t0)
        la t1, xpc_mtrap
        csrw mtvec, t1
        la t0, cap_cause
        csrr t1, mcause
        sd t1, 0(t0)
        csrr t1, mepc
        sd t1, 8(t0)
        csrr t1, mtval
        sd t1, 16(t0)
        csrr t1, mstatus
        sd t1, 24(t0)
        la a0, snap_after
        call xpc_snap
        la t0, regs_before
        ld gp, 3 * 8(t0)
        li tp, 0
        la t0, xgo_resume
        ld t0, 0(t0)
        jr t0

/* a0 = buffer: every XPC CSR and satp (S_* order), then a copy of [kmem_start, kmem_end). */
xpc_snap:
        csrr t0, xentry_base;  sd t0, S_XENTRY_BASE * 8(a0)
        csrr t0, xentry_size;  sd t0, S_XENTRY_SIZE * 8(a0)
        csrr t0, xcap;         sd t0, S_XCAP * 8(a0)
        csrr t0, xlink;        sd t0, S_XLINK * 8(a0)
        csrr t0, xlink_base;   sd t0, S_XLINK_BASE * 8(a0)
        csrr t0, xlink_limit;  sd t0, S_XLINK_LIMIT * 8(a0)
        csrr t0, xseglist;     sd t0, S_XSEGLIST * 8(a0)
        csrr t0, xseglist_len; sd t0, S_XSEGLIST_LEN * 8(a0)
        csrr t0, xdomain;      sd t0, S_XDOMAIN * 8(a0)
        csrr t0, xctl;         sd t0, S_XCTL * 8(a0)
        csrr t0, xseg_va;      sd t0, S_XSEG_VA * 8(a0)
        csrr t0, xseg_pa;      sd t0, S_XSEG_PA * 8(a0)
        csrr t0, xseg_len;     sd t0, S_XSEG_LEN * 8(a0)
        csrr t0, xseg_perm;    sd t0, S_XSEG_PERM * 8(a0)
        csrr t0, xcaller;      sd t0, S_XCALLER * 8(a0)
        csrr t0, segmask_off;  sd t0, S_SEGMASK_OFF * 8(a0)
        csrr t0, segmask_len;  sd t0, S_SEGMASK_LEN * 8(a0)
        csrr t0, segmask_perm; sd t0, S_SEGMASK_PERM * 8(a0)
        csrr t0, satp;         sd t0, S_SATP * 8(a0)
        csrr t0, useg_va;      sd t0, S_USEG_VA * 8(a0)
        csrr t0, useg_len;     sd t0, S_USEG_LEN * 8(a0)
        csrr t0, useg_perm;    sd t0, S_USEG_PERM * 8(a0)
        csrr t0, uxcaller;     sd t0, S_UXCALLER * 8(a0)
        la t1, kmem_start
        la t2, kmem_end
        addi t3, a0, SNAP_KMEM
1:      ld t0, 0(t1)
        sd t0, 0(t3)
        addi t1, t1, 8
        addi t3, t3, 8
        bltu t1, t2, 1b
        ret

/*
 * Compares snap_before with snap_after and regs_before with regs_after. a0 = mask of snapshot
 * entries allowed to differ, [a1, a1 + a2) = memory allowed to differ, a3 = 1: compare the
 * registers too. Returns a0 = the number of differences, each listed on the UART (the first 12).
 */
xpc_compare:
        mv s11, ra
        mv s0, a0
        mv s1, a1
        add s2, a1, a2
        mv s3, a3
        li s4, 0
        li s5, 0
1:      li t0, SNAP_NCSR
        bgeu s5, t0, 3f
        srl t0, s0, s5
        andi t0, t0, 1
        bnez t0, 2f
        slli t1, s5, 3
        la t2, snap_before
        add t2, t2, t1
        ld s6, 0(t2)
        la t2, snap_after
        add t2, t2, t1
        ld s7, 0(t2)
        beq s6, s7, 2f
        la t2, xpc_csr_names
        add t2, t2, t1
        ld a0, 0(t2)
        li a1, -1
        call xpc_diff_line
2:      addi s5, s5, 1
        j 1b
3:      la s5, kmem_start
        la s8, snap_before + SNAP_KMEM
        la s9, snap_after + SNAP_KMEM
4:      la t0, kmem_end
        bgeu s5, t0, 6f
        bltu s5, s1, 41f
        bltu s5, s2, 5f
41:     ld s6, 0(s8)
        ld s7, 0(s9)
        beq s6, s7, 5f
        la a0, xpc_msg_mem
        mv a1, s5
        call xpc_diff_line
5:      addi s5, s5, 8
        addi s8, s8, 8
        addi s9, s9, 8
        j 4b
6:      beqz s3, 9f
        li s5, 1
7:      slli t1, s5, 3
        la t2, regs_before
        add t2, t2, t1
        ld s6, 0(t2)
        la t2, regs_after
        add t2, t2, t1
        ld s7, 0(t2)
        beq s6, s7, 8f
        la a0, xpc_msg_reg
        li a1, -2
        call xpc_diff_line
8:      addi s5, s5, 1
        li t0, 32
        bltu s5, t0, 7b
9:      mv a0, s4
        mv ra, s11
        ret

/*
 * One line "  <what>[ 0x<a1>| <s5>] before 0x<s6> after 0x<s7>": a1 = -1: no address,
 * -2: the register number s5 in decimal. Counts in s4; prints the first 12 only.
 */
xpc_diff_line:
        mv s10, ra
        addi s4, s4, 1
        li t0, 12
        bgtu s4, t0, 3f
        la t0, xpc_diff_a1      /* a1 across the calls: the s registers are all taken */
        sd a1, 0(t0)
        call xpc_puts
        la t0, xpc_diff_a1
        ld a1, 0(t0)
        li t0, -1
        beq a1, t0, 2f
        li t0, -2
        bne a1, t0, 1f
        mv a0, s5
        call xpc_putdec
        j 2f
1:      li a0, ' '
        call xpc_putc
        la t0, xpc_diff_a1
        ld a0, 0(t0)
        call xpc_puthex
2:      la a0, xpc_msg_before
        call xpc_puts
        mv a0, s6
        call xpc_puthex
        la a0, xpc_msg_after
        call xpc_puts
        mv a0, s7
        call xpc_puthex
        li a0, '\n'
        call xpc_putc
3:      mv ra, s10
        ret

/* a0 == a1, or print "  check at <ra - 4>: got a0 expected a1" and fail the case. */
xpc_expect:
        bne a0, a1, 1f
        ret
1:      mv s6, a0
        mv s7, a1
        mv s5, ra
        la a0, xpc_msg_check
        call xpc_puts
        addi a0, s5, -4
        call xpc_puthex
        la a0, xpc_msg_got
        call xpc_puts
        mv a0, s6
        call xpc_puthex
        la a0, xpc_msg_expected
        call xpc_puts
        mv a0, s7
        call xpc_puthex
        li a0, '\n'
        call xpc_putc
        j xpc_fail

/* x-entry a0 = (a1 satp, a2 xcap, a3 entry_pc, a4 xseglist, a5 len, a6 domain, a7 flags) */
xpc_set_entry:
        la t0, xtab
        slli a0, a0, 6
        add t0, t0, a0
        sd a1, XE_SATP(t0)
        sd a2, XE_CAP(t0)
        sd a3, XE_PC(t0)
        sd a4, XE_SEGLIST(t0)
        sd a5, XE_SEGLEN(t0)
        sd a6, XE_DOMAIN(t0)
        sd a7, XE_FLAGS(t0)
        sd zero, 56(t0)
        ret

/* seg-list slot at a0 = (a1 va, a2 pa, a3 len, a4 perm) */
xpc_set_slot:
        sd a1, SL_VA(a0)
        sd a2, SL_PA(a0)
        sd a3, SL_LEN(a0)
        sd a4, SL_PERM(a0)
        ret

/* [a0, a0 + a1) (dwords) = a2 + k for dword k */
xpc_fill:
        beqz a1, 2f
1:      sd a2, 0(a0)
        addi a0, a0, 8
        addi a2, a2, 1
        addi a1, a1, -8
        bnez a1, 1b
2:      ret

/* MAKE_RECORD: slot a0, ret_pc a1, handed (a2 va, a3 len, a4 perm). */
xpc_make_record:
        la t0, lstack
        slli a0, a0, 7
        add t0, t0, a0
        la t1, satp_b
        ld t1, 0(t1)
        sd t1, LR_SATP(t0)
        sd a1, LR_RET_PC(t0)
        la t1, caps + 5 * 8
        sd t1, LR_XCAP(t0)
        la t1, seglist3
        sd t1, LR_SEGLIST(t0)
        li t1, 3
        sd t1, LR_SEGLEN(t0)
        li t1, 5
        sd t1, LR_DOMAIN(t0)
        li t1, 6
        sd t1, LR_CALLER(t0)
        li t1, SEGC_VA
        sd t1, LR_SEG_VA(t0)
        la t1, bufc
        sd t1, LR_SEG_PA(t0)
        li t1, SEGC_LEN
        sd t1, LR_SEG_LEN(t0)
        li t1, SEG_R
        sd t1, LR_SEG_PERM(t0)
        sd a2, LR_HANDED_VA(t0)
        sd a3, LR_HANDED_LEN(t0)
        sd a4, LR_HANDED_PERM(t0)
        li t1, 1
        sd t1, LR_FLAGS(t0)
        sd zero, 120(t0)
        ret

/* Once, at the start: page tables, the satp values, the shadow pages. */
xpc_world_init:
        mv s11, ra
        /* the K_* offsets must describe the layout below (a harness fault otherwise) */
        la a0, kmem_start
        la a1, lstack
        sub a1, a1, a0
        li a2, K_LSTACK
        bne a1, a2, 1f
        la a1, kmem_end
        sub a1, a1, a0
        li a2, KMEM_SIZE
        beq a1, a2, 2f
1:      li a0, (XPC_EXIT_HARNESS_FAULT << 16) | FINISHER_FAIL
        li t0, FINISHER_BASE
        sw a0, 0(t0)
        j 1b
2:
        /* pt_a: RAM 1:1 as a U RWX gigapage; SEGA_VA's page -> shadow_a */
        la a0, pt_a
        li a1, RAM_BASE
        XPC_PTE(a2, a1, XPC_LEAF | PTE_U)
        sd a2, 2 * 8(a0)
        la a1, pt_a_l1
        XPC_PTE(a2, a1, PTE_V)
        sd a2, 1 * 8(a0)
        la a0, pt_a_l1
        la a1, pt_a_l0
        XPC_PTE(a2, a1, PTE_V)
        sd a2, 0(a0)
        la a0, pt_a_l0
        la a1, shadow_a
        XPC_PTE(a2, a1, XPC_LEAF | PTE_U)
        sd a2, 0(a0)
        /* pt_b: the same, but SEGA_VA's page -> shadow_b */
        la a0, pt_b
        li a1, RAM_BASE
        XPC_PTE(a2, a1, XPC_LEAF | PTE_U)
        sd a2, 2 * 8(a0)
        la a1, pt_b_l1
        XPC_PTE(a2, a1, PTE_V)
        sd a2, 1 * 8(a0)
        la a0, pt_b_l1
        la a1, pt_b_l0
        XPC_PTE(a2, a1, PTE_V)
        sd a2, 0(a0)
        la a0, pt_b_l0
        la a1, shadow_b
        XPC_PTE(a2, a1, XPC_LEAF | PTE_U)
        sd a2, 0(a0)
        /* pt_s: RAM 1:1 without U (S-mode code), SEGA_VA's page -> shadow_a (a U page) */
        la a0, pt_s
        li a1, RAM_BASE
        XPC_PTE(a2, a1, XPC_LEAF)
        sd a2, 2 * 8(a0)
        la a1, pt_a_l1
        XPC_PTE(a2, a1, PTE_V)
        sd a2, 1 * 8(a0)
        /* satp values */
        la a0, pt_a
        srli a0, a0, 12
        li a1, SATP_MODE_SV39 | (1 << 44)
        or a1, a1, a0
        la a2, satp_a
        sd a1, 0(a2)
        li a1, SATP_MODE_SV39 | (3 << 44)
        or a1, a1, a0
        la a2, satp_c
        sd a1, 0(a2)
        la a0, pt_b
        srli a0, a0, 12
        li a1, SATP_MODE_SV39 | (2 << 44)
        or a1, a1, a0
        la a2, satp_b
        sd a1, 0(a2)
        la a0, pt_s
        srli a0, a0, 12
        li a1, SATP_MODE_SV39 | (6 << 44)
        or a1, a1, a0
        la a2, satp_s
        sd a1, 0(a2)
        /* shadow pages */
        la a0, shadow_a
        li a1, 4096
        li a2, PAT_SHADOW_A
        call xpc_fill
        la a0, shadow_b
        li a1, 4096
        li a2, PAT_SHADOW_B
        call xpc_fill
        mv ra, s11
        ret

/*
 * The home state: the world's memory rewritten, every XPC register set, the engine enabled and
 * its cache flushed (the table was just rewritten). Every register but ra, gp, tp ends up
 * holding 0x5eed000000000000 + its number.
 */
xpc_home:
        mv s11, ra
        /* the whole world's memory: zeros, then the entries, caps, seg-lists and buffers */
        la a0, kmem_start
        la a1, kmem_end
1:      sd zero, 0(a0)
        addi a0, a0, 8
        bltu a0, a1, 1b
        la s0, satp_b
        ld s0, 0(s0)
        la s1, callee_stop
        la s2, seglist2
        la s3, seglist3
        /* id, satp, xcap, entry_pc, xseglist, len, domain, flags */
        li a0, 0;  mv a1, s0; la a2, caps + 2 * 8; mv a3, s1; mv a4, s2; li a5, 2; li a6, 10; li a7, 1; call xpc_set_entry
        li a0, 1;  mv a1, s0; la a2, caps + 2 * 8; mv a3, s1; mv a4, s2; li a5, 2; li a6, 2;  li a7, 1; call xpc_set_entry
        la a1, satp_c; ld a1, 0(a1)
        li a0, 2;  la a2, caps + 3 * 8; mv a3, s1; mv a4, s3; li a5, 3; li a6, 3;  li a7, 1; call xpc_set_entry
        li a0, 3;  mv a1, s0; la a2, caps + 2 * 8; mv a3, s1; mv a4, s2; li a5, 2; li a6, 3;  li a7, 0; call xpc_set_entry
        li a0, 4;  mv a1, s0; la a2, caps + 4 * 8; mv a3, s1; mv a4, s2; li a5, 2; li a6, 4;  li a7, 1; call xpc_set_entry
        li a0, 5;  mv a1, s0; la a2, caps + 5 * 8; mv a3, s1; mv a4, s3; li a5, 3; li a6, 5;  li a7, 1; call xpc_set_entry
        la a1, satp_s; ld a1, 0(a1)
        li a0, 6;  la a2, caps + 6 * 8; mv a3, s1; mv a4, s3; li a5, 3; li a6, 6;  li a7, 1; call xpc_set_entry
        li a0, 7;  mv a1, s0; la a2, caps + 7 * 8; mv a3, s1; li a4, 0;  li a5, 0; li a6, 7;  li a7, 1; call xpc_set_entry
        li a0, 8;  mv a1, s0; la a2, caps + 2 * 8; mv a3, s1; mv a4, s2; li a5, 2; li a6, 8;  li a7, -2; call xpc_set_entry
        li a0, 9;  mv a1, s0; la a2, caps + 9 * 8; la a3, callee_stop2; mv a4, s2; li a5, 2; li a6, 9; li a7, 1; call xpc_set_entry
        li a0, 10; mv a1, s0; la a2, caps + 2 * 8; mv a3, s1; mv a4, s2; li a5, 2; li a6, 10; li a7, 1; call xpc_set_entry
        li a0, 11; mv a1, s0; la a2, caps + 2 * 8; mv a3, s1; mv a4, s2; li a5, 2; li a6, 11; li a7, 1; call xpc_set_entry
        /* xcall-cap bitmaps */
        la a0, caps
        li a1, HOME_XCAPS_1
        sd a1, 1 * 8(a0)
        li a1, XCAPS_2
        sd a1, 2 * 8(a0)
        li a1, XCAPS_7
        sd a1, 7 * 8(a0)
        /* seg-lists (empty slots stay zero) */
        la a0, seglist1 + 0 * SL_SIZE; li a1, SEGB_VA; la a2, bufb; li a3, SEGB_LEN; li a4, SEG_RW; call xpc_set_slot
        la a0, seglist1 + 2 * SL_SIZE; li a1, SEGC_VA; la a2, bufc; li a3, SEGC_LEN; li a4, SEG_R; call xpc_set_slot
        la a0, seglist2 + 1 * SL_SIZE; li a1, SEGD_VA; la a2, bufd; li a3, SEGD_LEN; li a4, SEG_RW; call xpc_set_slot
        /* segment buffers */
        la a0, bufa; li a1, SEGA_LEN; li a2, PAT_A; call xpc_fill
        la a0, bufb; li a1, SEGB_LEN; li a2, PAT_B; call xpc_fill
        la a0, bufc; li a1, SEGC_LEN; li a2, PAT_C; call xpc_fill
        la a0, bufd; li a1, SEGD_LEN; li a2, PAT_D; call xpc_fill
        /* registers */
        la t0, satp_a
        ld t0, 0(t0)
        csrw satp, t0
        sfence.vma
        la t0, xtab
        csrw xentry_base, t0
        li t0, HOME_XENTRY_SIZE
        csrw xentry_size, t0
        la t0, caps + 1 * 8
        csrw xcap, t0
        la t0, lstack
        csrw xlink, t0
        csrw xlink_base, t0
        addi t0, t0, HOME_LINK_RECS * LR_SIZE
        csrw xlink_limit, t0
        la t0, seglist1
        csrw xseglist, t0
        li t0, 4
        csrw xseglist_len, t0
        li t0, 1
        csrw xdomain, t0
        csrw xcaller, zero
        li t0, SEGA_VA
        csrw xseg_va, t0
        la t0, bufa
        csrw xseg_pa, t0
        li t0, SEGA_LEN
        csrw xseg_len, t0
        li t0, SEG_RW
        csrw xseg_perm, t0
        csrw segmask_off, zero
        li t0, -1
        csrw segmask_len, t0
        li t0, 3
        csrw segmask_perm, t0
        li t0, XCTL_EN | XCTL_FLUSH
        csrw xctl, t0
        mv ra, s11
        /* Every register the case does not set gets a distinct nonzero value, so that an
         * instruction that saves, clears or swaps registers shows in the comparison. */
        .irp r, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        li x\r, 0x5eed000000000000 + \r
        .endr
        ret

        .pushsection .rodata
        .balign 8
xpc_csr_names:
        .dword xpc_n0, xpc_n1, xpc_n2, xpc_n3, xpc_n4, xpc_n5, xpc_n6, xpc_n7, xpc_n8, xpc_n9, xpc_n10, xpc_n11
        .dword xpc_n12, xpc_n13, xpc_n14, xpc_n15, xpc_n16, xpc_n17, xpc_n18, xpc_n19, xpc_n20, xpc_n21, xpc_n22
xpc_n0:  .asciz "  xentry_base"
xpc_n1:  .asciz "  xentry_size"
xpc_n2:  .asciz "  xcap"
xpc_n3:  .asciz "  xlink"
xpc_n4:  .asciz "  xlink_base"
xpc_n5:  .asciz "  xlink_limit"
xpc_n6:  .asciz "  xseglist"
xpc_n7:  .asciz "  xseglist_len"
xpc_n8:  .asciz "  xdomain"
xpc_n9:  .asciz "  xctl"
xpc_n10: .asciz "  xseg_va"
xpc_n11: .asciz "  xseg_pa"
xpc_n12: .asciz "  xseg_len"
xpc_n13: .asciz "  xseg_perm"
xpc_n14: .asciz "  xcaller"
xpc_n15: .asciz "  segmask_off"
xpc_n16: .asciz "  segmask_len"
xpc_n17: .asciz "  segmask_perm"
xpc_n18: .asciz "  satp"
xpc_n19: .asciz "  useg_va"
xpc_n20: .asciz "  useg_len"
xpc_n21: .asciz "  useg_perm"
xpc_n22: .asciz "  uxcaller"
xpc_msg_mem:      .asciz "  memory at"
xpc_msg_reg:      .asciz "  x"
xpc_msg_before:   .asciz " before "
xpc_msg_after:    .asciz " after "
xpc_msg_check:    .asciz "  check at "
xpc_msg_got:      .asciz ": got "
xpc_msg_expected: .asciz " expected "
        .popsection

        .pushsection .data
        .balign 8
xgo_pc:     .dword 0
xgo_mode:   .dword 0
xgo_resume: .dword 0
cap_cause:  .dword 0
cap_epc:    .dword 0
cap_tval:   .dword 0
cap_status: .dword 0
satp_a:     .dword 0
satp_b:     .dword 0
satp_c:     .dword 0
satp_s:     .dword 0
xpc_diff_a1: .dword 0
regs_before: .skip 32 * 8
regs_after:  .skip 32 * 8

/* The world's memory: everything the engine reads or writes, and the segment buffers. */
        .balign 128
kmem_start:
xtab:     .skip XTAB_ENTRIES * XE_SIZE
caps:     .skip 12 * 8
seglist1: .skip 4 * SL_SIZE
seglist2: .skip 2 * SL_SIZE
seglist3: .skip 3 * SL_SIZE
lstack:   .skip LSTACK_SLOTS * LR_SIZE
bufa:     .skip SEGA_LEN
bufb:     .skip SEGB_LEN
bufc:     .skip SEGC_LEN
bufd:     .skip SEGD_LEN
kmem_end:

snap_before: .skip SNAP_KMEM + KMEM_SIZE
snap_after:  .skip SNAP_KMEM + KMEM_SIZE
        .popsection

        .pushsection .bss
        .balign 4096
pt_a:     .skip 4096
pt_a_l1:  .skip 4096
pt_a_l0:  .skip 4096
pt_b:     .skip 4096
pt_b_l1:  .skip 4096
pt_b_l0:  .skip 4096
pt_s:     .skip 4096
shadow_a: .skip 4096
shadow_b: .skip 4096
        .popsection
        .endm

#endif
