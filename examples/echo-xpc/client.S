/*
 * client.S — calls the echo server through its x-entry (XENTRY_ECHO, generated from
 * system.json) with the XPC library's xpc_call: no trap, no kernel. First a register-only call,
 * then a message in the relay segment `msg` (SEG_MSG: our seg-list slot), which the server
 * capitalises in place: no byte is copied. Exits 0 when both answers are right.
 */
        .include "user.inc"
        .include "xpc.inc"

        .text
        .globl  _start
_start:
        PRINT   hello
        li      a0, 0                   /* op 0: sum */
        li      a1, 1
        li      a2, 2
        li      a3, 3
        li      a4, 4
        li      a5, 5
        li      a6, XENTRY_ECHO
        call    xpc_call
        bnez    a7, fail
        mv      s2, a0
        mv      s3, a1
        PRINT   sum_is
        mv      a0, s2
        call    put_dec
        PRINT   domain_is
        mv      a0, s3
        call    put_dec
        PRINT   newline
        li      t0, 15
        bne     s2, t0, fail
        li      t0, 2                   /* the client is process 1: domain 2 */
        bne     s3, t0, fail

        /* The relay segment into seg-reg, the message into it. */
        li      a0, SEG_MSG
        call    xpc_seg_swap
        call    xpc_seg_query
        beqz    a1, fail
        mv      s1, a0                  /* s1 = the segment's va */
        la      t1, text
        mv      t2, s1
1:      lbu     t3, 0(t1)
        sb      t3, 0(t2)
        addi    t1, t1, 1
        addi    t2, t2, 1
        bnez    t3, 1b
        sub     s4, t2, s1
        addi    s4, s4, -1              /* its length without the NUL */
        li      a0, 1                   /* op 1: capitals, in place */
        mv      a1, s4
        li      a6, XENTRY_ECHO
        call    xpc_call
        bnez    a7, fail
        bne     a0, s4, fail
        PRINT   reply_is
        mv      a0, s1                  /* the kernel reads the segment through seg-reg too */
        SYSCALL SYS_PUTS
        bnez    a7, fail
        PRINT   newline
        li      a0, 0
        SYSCALL SYS_EXIT
fail:   PRINT   wrong
        li      a0, 1
        SYSCALL SYS_EXIT

        .section .rodata
hello:     .asciz "client: calling the echo server over XPC\n"
sum_is:    .asciz "client: 1+2+3+4+5 = "
domain_is: .asciz ", seen by the server as domain "
reply_is:  .asciz "client: reply in place: "
newline:   .asciz "\n"
wrong:     .asciz "client: wrong answer\n"
text:      .asciz "a message in a relay segment, capitalised by the server where it lies"
