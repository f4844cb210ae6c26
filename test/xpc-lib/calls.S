/*
 * calls.S — the XPC user library (kernel/lib/xpc) on bare XPC hardware (world: xlib-world.h).
 * Domain 1 (A) runs main; B is domain 2, C domain 3. Cases:
 *   1-2   xpc_call: arguments, results, the caller's domain id; the caller's registers survive
 *   3     nothing of the caller but a0..a6 reaches the handler (s0..s11, gp are zero there)
 *   4     after a bare xcall into a trampoline every register but the results is zero (x<r> as
 *         case 100 + r on failure)
 *   5-7   nested A -> B -> A; exhaustion: B's single context is busy when A re-enters B, the
 *         inner call gets XPC_E_NO_CONTEXT and everything else goes on (canary in B's locals);
 *         the context is free again afterwards
 *   8     A -> B -> C with one relay segment: B hands C a window of A's segment, C writes the
 *         reply in place, A reads it in its own segment; A's full segment is back after
 *   9-12  the trampoline puts the handed segment back in seg-reg whatever the handler swapped
 *   13-14 a dead callee (the kernel's recovery, simulated): XPC_E_DEAD_CALLEE to the nearest
 *         live caller, directly and one hop down a chain
 *   15    invalid entry ids are refused without an xcall
 *   16-17 call slots: recursion until the caller's slots run out (XPC_E_NO_SLOT), released after
 *   18-20 windows set with XPC_SEG_MASK and xpc_seg_mask as the callee sees them (xpc_seg_query);
 *         seg-mask is back to "everything" for the next call; a window past the end is no segment
 *   21    the world itself: each domain has its own copy of the private window
 */
#include "xlib-world.h"
        .include "xpc.inc"

#define E_ADD   1
#define E_LEAK  2
#define E_NEST  3
#define E_INC   4
#define E_REPLY 5
#define E_FWD   6
#define E_SWAP  7
#define E_DIE   8
#define E_REC   9
#define E_QUERY 10
#define E_PRIV  11
#define CANARY  0xca11ab1e
#define PRIV    .bss.xpcpriv

XW_BEGIN

main:
        /* 1: a0..a5 summed, a1 = the caller's domain (1) */
        li a0, 1
        li a1, 2
        li a2, 3
        li a3, 4
        li a4, 5
        li a5, 6
        li a6, E_ADD
        call xpc_call
        XW_CHECK(1, a7, XPC_OK)
        XW_CHECK(1, a0, 21)
        XW_CHECK(1, a1, 1)

        /* 2: sp, gp, tp, s0..s11 as they were */
        mv s0, sp
        .irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
        li s\r, 0x1000 + \r
        .endr
        li gp, 0x77
        li a6, E_ADD
        call xpc_call
        XW_CHECK(2, a7, XPC_OK)
        sub t0, s0, sp
        XW_CHECK(2, t0, 0)
        XW_CHECK(2, gp, 0x77)
        XW_CHECK(2, tp, 0)
        .irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
        XW_CHECK(2, s\r, 0x1000 + \r)
        .endr

        /* 3: the handler sees none of the caller's s0..s11, gp (its a1 = mask of non-zero ones) */
        li a6, E_LEAK
        call xpc_call
        XW_CHECK(3, a7, XPC_OK)
        XW_CHECK(3, a0, 0x600d)
        XW_CHECK(3, a1, 0)
        XW_CHECK(3, s5, 0x1005)

        /* 4: a bare xcall into the trampoline: the handler fills every register, yet only its
         * results come back (a1: it saw all 13 of our markers, which a bare caller hands over) */
        .irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        li x\r, 0x4444000000000000 + \r
        .endr
        li a6, E_LEAK
        xcall a6
        .irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        beqz x\r, 1f
        mv a1, x\r
        li a2, 0
        li a0, 100 + \r
        j xw_fail
1:
        .endr
        la sp, xw_main_stack + MAIN_STACK
        XW_CHECK(4, a0, 0x600d)
        XW_CHECK(4, a1, 0x1fff)

        /* 5: A -> B -> A: B adds 100 to what A's entry returns (5 + 1) */
        li a0, 5
        li a1, 0
        li a6, E_NEST
        call xpc_call
        XW_CHECK(5, a7, XPC_OK)
        XW_CHECK(5, a0, 106)
        XW_CHECK(5, a1, 0)
        /* 6: A -> B -> A -> B: B's only context is busy: the innermost call fails cleanly */
        li a0, 5
        li a1, 1
        li a6, E_NEST
        call xpc_call
        XW_CHECK(6, a7, XPC_OK)
        XW_CHECK(6, a0, 100)
        XW_CHECK(6, a1, XPC_E_NO_CONTEXT)
        /* 7: and B's context is free again */
        li a0, 7
        li a1, 0
        li a6, E_NEST
        call xpc_call
        XW_CHECK(7, a7, XPC_OK)
        XW_CHECK(7, a0, 108)

        /* 8: the chain: request dwords 1..8 at S0 + 0x100; C (handed S0 + 0x100, 0x80 bytes by
         * B) multiplies each by 10 in place and writes their sum after them */
        li t0, SEG0_VA + 0x100
        li t1, 1
2:      sd t1, 0(t0)
        addi t0, t0, 8
        addi t1, t1, 1
        li t2, 9
        bne t1, t2, 2b
        li a0, 0x100
        li a1, 0x80
        li a2, E_REPLY
        li a6, E_FWD
        call xpc_call
        XW_CHECK(8, a7, XPC_OK)
        XW_CHECK(8, a0, SEG0_VA + 0x100)        /* C's view of the window */
        XW_CHECK(8, a1, 0x80)
        li t0, SEG0_VA + 0x100
        ld t1, 64(t0)
        XW_CHECK(8, t1, 36)
        ld t1, 0(t0)
        XW_CHECK(8, t1, 10)
        ld t1, 56(t0)
        XW_CHECK(8, t1, 80)
        csrr t1, useg_va
        XW_CHECK(8, t1, SEG0_VA)
        csrr t1, useg_len
        XW_CHECK(8, t1, SEG0_LEN)
        csrr t1, useg_perm
        XW_CHECK(8, t1, 3)

        /* 9: the handler swaps the handed segment out (into its empty slot 0) and returns */
        li a0, 1
        li a6, E_SWAP
        call xpc_call
        XW_CHECK(9, a7, XPC_OK)
        XW_CHECK(9, a0, 0)                      /* its seg-reg was empty then */
        csrr t1, useg_len
        XW_CHECK(9, t1, SEG0_LEN)
        /* 10: it swaps its own segment SB in from slot 1 and returns with it in seg-reg */
        li a0, 2
        li a6, E_SWAP
        call xpc_call
        XW_CHECK(10, a7, XPC_OK)
        XW_CHECK(10, a0, SEGB_LEN)
        li t0, PAT_SEGB
        XW_CHECK(10, a1, PAT_SEGB)
        /* 11: it swaps slot 1 in and back out: nothing for the trampoline to do */
        li a0, 3
        li a6, E_SWAP
        call xpc_call
        XW_CHECK(11, a7, XPC_OK)
        XW_CHECK(11, a0, SEG0_LEN)
        /* 12: SB is still in B's slot 1, slot 0 empty again (case 9 again, then 10) */
        li a0, 1
        li a6, E_SWAP
        call xpc_call
        XW_CHECK(12, a7, XPC_OK)
        XW_CHECK(12, a0, 0)
        li a0, 2
        li a6, E_SWAP
        call xpc_call
        XW_CHECK(12, a7, XPC_OK)
        XW_CHECK(12, a1, PAT_SEGB)

        /* 13: C dies while serving A: A gets XPC_E_DEAD_CALLEE, its own registers intact */
        li s3, 0x3333
        li a6, E_DIE
        call xpc_call
        XW_CHECK(13, a7, XPC_E_DEAD_CALLEE)
        XW_CHECK(13, a0, 0)
        XW_CHECK(13, s3, 0x3333)
        csrr t1, useg_len
        XW_CHECK(13, t1, SEG0_LEN)
        /* 14: C dies serving B on A's behalf: B (the nearest live caller) gets the error */
        li a0, 0
        li a1, -1
        li a2, E_DIE
        li a6, E_FWD
        call xpc_call
        XW_CHECK(14, a7, XPC_OK)
        XW_CHECK(14, a0, 0xbad)
        XW_CHECK(14, a1, XPC_E_DEAD_CALLEE)

        /* 15: ids <= 0 are refused before any xcall */
        li a6, 0
        call xpc_call
        XW_CHECK(15, a7, XPC_E_INVALID_ENTRY)
        li a6, -3
        call xpc_call
        XW_CHECK(15, a7, XPC_E_INVALID_ENTRY)

        /* 16: A's entry recurses into itself 20 deep; with XPC_CALL_SLOTS slots, main's call
         * and levels 1..SLOTS-1 get one each and level SLOTS's call fails with XPC_E_NO_SLOT */
        li a0, 20
        li a6, E_REC
        call xpc_call
        XW_CHECK(16, a7, XPC_OK)
        XW_CHECK(16, a0, XPC_CALL_SLOTS_DEFAULT - 1)
        XW_CHECK(16, a1, XPC_E_NO_SLOT)
        /* 17: every slot was released: the same again, and a shallow one succeeds */
        li a0, 20
        li a6, E_REC
        call xpc_call
        XW_CHECK(17, a0, XPC_CALL_SLOTS_DEFAULT - 1)
        XW_CHECK(17, a1, XPC_E_NO_SLOT)
        li a0, 3
        li a6, E_REC
        call xpc_call
        XW_CHECK(17, a7, XPC_OK)
        XW_CHECK(17, a0, 3)
        XW_CHECK(17, a1, 0)

        /* 18: a window from constants: C sees (S0 + 0x200, 0x40, R) */
        XPC_SEG_MASK 0x200, 0x40, 1
        li a6, E_QUERY
        call xpc_call
        XW_CHECK(18, a7, XPC_OK)
        XW_CHECK(18, a0, SEG0_VA + 0x200)
        XW_CHECK(18, a1, (0x40 << 8) | 1)
        /* 19: seg-mask was reset by the xcall/xret: the whole segment now; then a window from
         * registers, to the end of the segment */
        li a6, E_QUERY
        call xpc_call
        XW_CHECK(19, a0, SEG0_VA)
        XW_CHECK(19, a1, (SEG0_LEN << 8) | 3)
        li a0, 0xff0
        li a1, XPC_SEGMASK_ALL
        li a2, 3
        call xpc_seg_mask
        li a6, E_QUERY
        call xpc_call
        XW_CHECK(19, a0, SEG0_VA + 0xff0)
        XW_CHECK(19, a1, (0x10 << 8) | 3)
        /* 20: an offset past the end hands no segment */
        XPC_SEG_MASK SEG0_LEN, -1, 3
        li a6, E_QUERY
        call xpc_call
        XW_CHECK(20, a7, XPC_OK)
        XW_CHECK(20, a0, 0)
        XW_CHECK(20, a1, 0)
        call xpc_seg_query
        XW_CHECK(20, a0, SEG0_VA)
        XW_CHECK(20, a1, SEG0_LEN)
        XW_CHECK(20, a2, 3)

        /* 21: B writes its copy of priv_probe (and reports the old value); A's stays 0 */
        li a6, E_PRIV
        call xpc_call
        XW_CHECK(21, a1, 0)
        li a6, E_PRIV
        call xpc_call
        XW_CHECK(21, a1, 0xb)
        la t0, priv_probe
        ld t0, 0(t0)
        XW_CHECK(21, t0, 0)

        XW_PASS

/* ---- the handlers (normal functions; a0..a5 arguments, a6 = caller's domain, tp = context) ---- */

h_add:
        add a0, a0, a1
        add a0, a0, a2
        add a0, a0, a3
        add a0, a0, a4
        add a0, a0, a5
        mv a1, a6
        ret

/* a1 = the mask of non-zero s0..s11 (bits 0..11), gp (bit 12); a0 = 0x600d; then every
 * register but sp, a0, a1 and the way back (t6) filled with a marker */
h_leak:
        li t0, 0
        .irp r, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
        snez t1, s\r
        slli t1, t1, \r
        or t0, t0, t1
        .endr
        snez t1, gp
        slli t1, t1, 12
        or a1, t0, t1
        li a0, 0x600d
        mv t6, ra
        .irp r, 1, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
        li x\r, 0x5ec0000000000000 + \r
        .endr
        jr t6

/* a0 = x, a1 = flag: A's entry E_INC(x, flag) + 100 (0xbad, status if that call failed; 0xdead
 * if this context's locals were overwritten meanwhile) */
h_nest:
        addi sp, sp, -16
        sd ra, 0(sp)
        li t0, CANARY
        sd t0, XPC_CTX_LOCALS(tp)
        li a6, E_INC
        call xpc_call
        bnez a7, 2f
        addi a0, a0, 100
        ld t0, XPC_CTX_LOCALS(tp)
        li t1, CANARY
        beq t0, t1, 1f
        li a0, 0xdead
1:      ld ra, 0(sp)
        addi sp, sp, 16
        ret
2:      li a0, 0xbad
        mv a1, a7
        j 1b

/* A's entry: flag 0: x + 1; else B's E_NEST(x, 0): a0 = its result, a1 = the status */
h_inc:
        bnez a1, 1f
        addi a0, a0, 1
        li a1, 0
        ret
1:      addi sp, sp, -16
        sd ra, 0(sp)
        li a1, 0
        li a6, E_NEST
        call xpc_call
        mv a1, a7
        ld ra, 0(sp)
        addi sp, sp, 16
        ret

/* C: the window it was handed holds 8 request dwords; each *= 10 in place, their sum after
 * them; returns its view of the window (va, len) */
h_reply:
        csrr t0, useg_va
        li t2, 0
        li t3, 8
1:      ld t1, 0(t0)
        add t2, t2, t1
        li t4, 10
        mul t1, t1, t4
        sd t1, 0(t0)
        addi t0, t0, 8
        addi t3, t3, -1
        bnez t3, 1b
        sd t2, 0(t0)
        csrr a0, useg_va
        csrr a1, useg_len
        ret

/* B: hands the window (a0 = offset, a1 = length, RW) of the segment it holds to entry a2 */
h_fwd:
        addi sp, sp, -16
        sd ra, 0(sp)
        csrr t0, useg_len
        li t1, SEG0_LEN
        bne t0, t1, 3f                          /* B must have been handed all of S0 */
        mv a6, a2
        li a2, 3
        call xpc_seg_mask
        call xpc_call
        bnez a7, 2f
1:      ld ra, 0(sp)
        addi sp, sp, 16
        ret
2:      li a0, 0xbad
        mv a1, a7
        j 1b
3:      li a0, 0xbad1
        j 1b

/* B: mode a0 = 1: swap the handed segment into slot 0; 2: swap slot 1 in (a1 = its dword 0);
 * 3: swap slot 1 in and out again. a0 = seg-reg's length at the end. */
h_swap:
        addi sp, sp, -16
        sd ra, 0(sp)
        li t1, 1
        bne a0, t1, 1f
        li a0, 0
        call xpc_seg_swap
        j 9f
1:      mv s0, a0
        li a0, 1
        call xpc_seg_swap
        csrr t0, useg_va
        ld a1, 0(t0)
        li t1, 3
        bne s0, t1, 9f
        li a0, 1
        call xpc_seg_swap
9:      csrr a0, useg_len
        ld ra, 0(sp)
        addi sp, sp, 16
        ret

/* C dies: the simulated kernel recovers its caller */
h_die:
        li a7, XW_ECALL_DIE
        ecall
        j h_die

/* A's entry recursing into itself: n = 0: (0, 0); else E_REC(n - 1) + 1, its a1 passed up;
 * a failing call ends the recursion with (0, status) */
h_rec:
        beqz a0, 3f
        addi sp, sp, -16
        sd ra, 0(sp)
        addi a0, a0, -1
        li a6, E_REC
        call xpc_call
        bnez a7, 2f
        addi a0, a0, 1
1:      ld ra, 0(sp)
        addi sp, sp, 16
        ret
2:      li a0, 0
        mv a1, a7
        j 1b
3:      li a1, 0
        ret

/* C: a0 = the handed window's va, a1 = its length << 8 | its perm */
h_query:
        addi sp, sp, -16
        sd ra, 0(sp)
        call xpc_seg_query
        slli a1, a1, 8
        or a1, a1, a2
        ld ra, 0(sp)
        addi sp, sp, 16
        ret

/* B: a1 = its priv_probe, which it then sets to 0xb */
h_priv:
        la t0, priv_probe
        ld a1, 0(t0)
        li t1, 0xb
        sd t1, 0(t0)
        ret

        .pushsection PRIV
        .balign 8
priv_probe: .skip 8
        .popsection

        XPC_ENTRY b_add, h_add, 1, 1024, 0, PRIV
        XPC_ENTRY b_leak, h_leak, 1, 1024, 0, PRIV
        XPC_ENTRY b_nest, h_nest, 1, 1024, 16, PRIV
        XPC_ENTRY a_inc, h_inc, 2, 1024, 0, PRIV
        XPC_ENTRY c_reply, h_reply, 1, 1024, 0, PRIV
        XPC_ENTRY b_fwd, h_fwd, 2, 1024, 0, PRIV
        XPC_ENTRY b_swap, h_swap, 1, 1024, 0, PRIV
        XPC_ENTRY c_die, h_die, 4, 512, 0, PRIV
        XPC_ENTRY a_rec, h_rec, 20, 512, 0, PRIV
        XPC_ENTRY c_query, h_query, 1, 1024, 0, PRIV
        XPC_ENTRY b_priv, h_priv, 1, 1024, 0, PRIV

XW_ENTRIES_BEGIN
        XW_ENTRY(2, b_add)
        XW_ENTRY(2, b_leak)
        XW_ENTRY(2, b_nest)
        XW_ENTRY(1, a_inc)
        XW_ENTRY(3, c_reply)
        XW_ENTRY(2, b_fwd)
        XW_ENTRY(2, b_swap)
        XW_ENTRY(3, c_die)
        XW_ENTRY(1, a_rec)
        XW_ENTRY(3, c_query)
        XW_ENTRY(2, b_priv)
XW_ENTRIES_END
