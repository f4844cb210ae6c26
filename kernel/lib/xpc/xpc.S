/*
 * xpc.S — the XPC user library (docs/xpc-library.md): xpc_call, the x-entry trampoline with its
 * call-context pools, and the relay-segment helpers. Link it once into every process that calls
 * or serves x-entries; x-entries themselves are defined with the XPC_ENTRY macro (xpc.inc).
 *
 * Nothing survives xcall/xret but pc: the callee may clobber every register, sp included, and
 * the hardware restores none. The only value a callee cannot forge is the return address in the
 * kernel-only link stack. So xpc_call executes its xcall inside one of XPC_CALL_SLOTS return
 * stubs, one per call slot: when xret lands in stub k, the stub's address names slot k, where
 * xpc_call left the caller's sp before the call; the rest of the caller's state is on that stack.
 * Slots are taken atomically, so calls from several threads of a process, nested calls and
 * re-entry (A -> B -> A -> ...) each get their own.
 *
 * Configuration (C preprocessor): -D XPC_CALL_SLOTS=n (default XPC_CALL_SLOTS_DEFAULT = 16),
 * -D XPC_DATA_SECTION=name (default .bss; zeroed memory of the process).
 */
        .include "xpc-lib.inc"

#ifndef XPC_CALL_SLOTS
#define XPC_CALL_SLOTS XPC_CALL_SLOTS_DEFAULT
#endif
#ifndef XPC_DATA_SECTION
#define XPC_DATA_SECTION .bss
#endif

        .pushsection XPC_DATA_SECTION
        .balign 16
        .globl  xpc_call_slots
xpc_call_slots:
        .skip   XPC_CALL_SLOTS * XPC_SLOT_SIZE
        .popsection

        .text
/*
 * xpc_call — a6 = x-entry id, a0..a5 = arguments; the current relay segment, as masked by
 * seg-mask (XPC_SEG_MASK), is handed to the callee.
 * Returns a7 = status (XPC_OK or XPC_E_*), a0, a1 = the callee's results (0 on an error).
 * Preserves ra, sp, gp, tp, s0..s11 (a normal call); clobbers t0..t6, a2..a6.
 * The callee sees a0..a6 and nothing else of the caller: every other register is zero at xcall.
 */
        .globl  xpc_call
        .balign 4
xpc_call:
        blez    a6, .Linvalid_entry
        addi    sp, sp, -XPC_FRAME_SIZE
        sd      ra, XPC_FRAME_RA(sp)
        sd      gp, XPC_FRAME_GP(sp)
        sd      tp, XPC_FRAME_TP(sp)
        sd      s0, XPC_FRAME_S0(sp)
        sd      s1, XPC_FRAME_S1(sp)
        sd      s2, XPC_FRAME_S2(sp)
        sd      s3, XPC_FRAME_S3(sp)
        sd      s4, XPC_FRAME_S4(sp)
        sd      s5, XPC_FRAME_S5(sp)
        sd      s6, XPC_FRAME_S6(sp)
        sd      s7, XPC_FRAME_S7(sp)
        sd      s8, XPC_FRAME_S8(sp)
        sd      s9, XPC_FRAME_S9(sp)
        sd      s10, XPC_FRAME_S10(sp)
        sd      s11, XPC_FRAME_S11(sp)
        /* take the first free call slot */
        la      t0, xpc_call_slots
        li      t1, XPC_CALL_SLOTS
        li      t2, 1
1:      amoswap.d.aq t3, t2, (t0)
        beqz    t3, 2f
        addi    t0, t0, XPC_SLOT_SIZE
        addi    t1, t1, -1
        bnez    t1, 1b
        addi    sp, sp, XPC_FRAME_SIZE          /* nothing was clobbered that the frame holds */
        li      a7, XPC_E_NO_SLOT
        li      a0, 0
        li      a1, 0
        ret
2:      sd      sp, XPC_SLOT_SP(t0)
        /* slot k (at slots + 16k) returns through stub k (at stubs + 16k) */
        la      t1, xpc_call_slots
        sub     t0, t0, t1
        la      t5, xpc_call_stubs
        add     t5, t5, t0
        /* nothing of the caller but a0..a6 reaches the callee (t5 is cleared by the stub) */
        li      ra, 0
        li      sp, 0
        li      gp, 0
        li      tp, 0
        li      t0, 0
        li      t1, 0
        li      t2, 0
        li      t3, 0
        li      t4, 0
        li      t6, 0
        li      s0, 0
        li      s1, 0
        li      s2, 0
        li      s3, 0
        li      s4, 0
        li      s5, 0
        li      s6, 0
        li      s7, 0
        li      s8, 0
        li      s9, 0
        li      s10, 0
        li      s11, 0
        li      a7, 0
        jr      t5

.Linvalid_entry:
        li      a7, XPC_E_INVALID_ENTRY
        li      a0, 0
        li      a1, 0
        ret

/*
 * The return stubs, XPC_STUB_SIZE bytes each: stub k's xcall returns (xret, or the kernel's
 * recovery of a dead callee) to stub k + 8, whose jal hands xpc_call_resume its own address.
 */
        .balign 16
        .globl  xpc_call_stubs
xpc_call_stubs:
        .option push
        .option norvc
        .rept   XPC_CALL_SLOTS
        li      t5, 0
        xcall   a6
        jal     t0, xpc_call_resume
        unimp
        .endr
        .option pop

/* t0 = stub k + 12; a0, a1, a7 from the callee (or the kernel); nothing else is trusted. */
xpc_call_resume:
        la      t1, xpc_call_stubs + XPC_STUB_XCALL + 8
        sub     t0, t0, t1
        la      t1, xpc_call_slots
        add     t0, t0, t1
        ld      sp, XPC_SLOT_SP(t0)
        amoswap.d.rl zero, zero, (t0)
        ld      ra, XPC_FRAME_RA(sp)
        ld      gp, XPC_FRAME_GP(sp)
        ld      tp, XPC_FRAME_TP(sp)
        ld      s0, XPC_FRAME_S0(sp)
        ld      s1, XPC_FRAME_S1(sp)
        ld      s2, XPC_FRAME_S2(sp)
        ld      s3, XPC_FRAME_S3(sp)
        ld      s4, XPC_FRAME_S4(sp)
        ld      s5, XPC_FRAME_S5(sp)
        ld      s6, XPC_FRAME_S6(sp)
        ld      s7, XPC_FRAME_S7(sp)
        ld      s8, XPC_FRAME_S8(sp)
        ld      s9, XPC_FRAME_S9(sp)
        ld      s10, XPC_FRAME_S10(sp)
        ld      s11, XPC_FRAME_S11(sp)
        addi    sp, sp, XPC_FRAME_SIZE
        ret

/*
 * xpc_trampoline — reached from an x-entry's stub (XPC_ENTRY) with t0 = its pool, t1 = the
 * number of contexts, t2 = a context's size, t3 = the handler; a0..a5 = the caller's arguments.
 * Every other register is the caller's and is not trusted.
 */
        .globl  xpc_trampoline
        .balign 4
xpc_trampoline:
        li      t4, 1
1:      amoswap.d.aq t5, t4, (t0)
        beqz    t5, 2f
        add     t0, t0, t2
        addi    t1, t1, -1
        bnez    t1, 1b
        /* every context is busy: say so, touching nothing (seg-reg is still the handed window) */
        li      a0, 0
        li      a1, 0
        li      a7, XPC_E_NO_CONTEXT
        j       xpc_clear_and_xret
2:      csrr    a6, uxcaller                    /* early: a CSR read takes a few cycles */
        mv      tp, t0
        add     sp, t0, t2
        addi    sp, sp, -16
        sd      t0, 0(sp)                       /* the context, found again through sp */
        li      t4, -1
        sd      t4, XPC_CTX_SEG_SLOT(tp)
        sd      t3, XPC_CTX_HANDLER(tp)
        sd      a6, XPC_CTX_CALLER(tp)
        jalr    t3
        ld      t0, 0(sp)
        li      a7, XPC_OK
        /* the handed segment back in seg-reg (xret raises 29 otherwise) */
        ld      t1, XPC_CTX_SEG_SLOT(t0)
        bltz    t1, 3f
        swapseg t1
3:      amoswap.d.rl zero, zero, (t0)
/* Clears every register but a0, a1, a7 and returns to the caller: nothing leaks back. */
xpc_clear_and_xret:
        li      ra, 0
        li      sp, 0
        li      gp, 0
        li      tp, 0
        li      t0, 0
        li      t1, 0
        li      t2, 0
        li      t3, 0
        li      t4, 0
        li      t5, 0
        li      t6, 0
        li      s0, 0
        li      s1, 0
        li      s2, 0
        li      s3, 0
        li      s4, 0
        li      s5, 0
        li      s6, 0
        li      s7, 0
        li      s8, 0
        li      s9, 0
        li      s10, 0
        li      s11, 0
        li      a2, 0
        li      a3, 0
        li      a4, 0
        li      a5, 0
        li      a6, 0
        xret

/*
 * xpc_seg_swap — a0 = seg-list slot: swapseg with it. Inside a handler (tp = its call context)
 * the context records where the handed segment went, so that the trampoline can put it back in
 * seg-reg before xret; use this, not a bare swapseg, in handlers. Clobbers t0.
 */
        .globl  xpc_seg_swap
xpc_seg_swap:
        swapseg a0
        beqz    tp, 2f
        ld      t0, XPC_CTX_SEG_SLOT(tp)
        bgez    t0, 1f
        sd      a0, XPC_CTX_SEG_SLOT(tp)        /* it was in seg-reg: now in slot a0 */
        ret
1:      bne     t0, a0, 2f                      /* another slot: it stays where it is */
        li      t0, -1
        sd      t0, XPC_CTX_SEG_SLOT(tp)        /* it came back to seg-reg */
2:      ret

/* xpc_seg_mask — a0 = offset, a1 = length (XPC_SEGMASK_ALL: to the end), a2 = perm (bit 0 R,
 * bit 1 W): the window the next xcall hands over. Reset by every xcall/xret: call it last. */
        .globl  xpc_seg_mask
xpc_seg_mask:
        csrw    segmask_off, a0
        csrw    segmask_len, a1
        csrw    segmask_perm, a2
        ret

/* xpc_seg_query — a0 = the relay segment's va, a1 = its length (0: none), a2 = its perm. */
        .globl  xpc_seg_query
xpc_seg_query:
        csrr    a0, useg_va
        csrr    a1, useg_len
        csrr    a2, useg_perm
        ret
