/*
 * client.S (A) — writes a request into its relay segment `buf` and calls middle (B), handing
 * the whole segment over; B hands a window of it on to server (C), which writes the reply in
 * place. The reply is read where the request was written: one segment, two hops, no copy.
 * Exits 0 when the reply is right and the segment came back whole.
 */
        .include "user.inc"
        .include "xpc.inc"

        .text
        .globl  _start
_start:
        li      a0, SEG_BUF             /* the segment from our seg-list into seg-reg */
        call    xpc_seg_swap
        call    xpc_seg_query
        mv      s1, a0                  /* s1 = its va */
        mv      s2, a1                  /* s2 = its length */
        la      t1, request
        mv      t2, s1
1:      lbu     t3, 0(t1)
        sb      t3, 0(t2)
        addi    t1, t1, 1
        addi    t2, t2, 1
        bnez    t3, 1b
        PRINT   says
        mv      a0, s1
        SYSCALL SYS_PUTS
        PRINT   newline
        mv      a0, s1                  /* B checks that it sees the segment at this same address */
        li      a6, XENTRY_FORWARD
        call    xpc_call
        bnez    a7, fail
        PRINT   got
        mv      a0, s1
        SYSCALL SYS_PUTS
        PRINT   newline
        call    xpc_seg_query           /* seg-reg holds the whole segment again */
        bne     a0, s1, fail
        bne     a1, s2, fail
        la      t1, expected
        mv      t2, s1
2:      lbu     t3, 0(t1)
        lbu     t4, 0(t2)
        bne     t3, t4, fail
        addi    t1, t1, 1
        addi    t2, t2, 1
        bnez    t3, 2b
        PRINT   done
        EXIT    0
fail:   PRINT   wrong
        EXIT    1

        .section .rodata
request:  .asciz "ping through three processes"
expected: .asciz "PONG FROM THE SERVER, WRITTEN IN PLACE"
says:     .asciz "client: request in the relay segment: "
got:      .asciz "client: reply in the same bytes: "
done:     .asciz "client: one segment, two hops, nothing copied\n"
newline:  .asciz "\n"
wrong:    .asciz "client: wrong reply\n"
