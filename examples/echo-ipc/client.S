/*
 * client.S — calls the echo server twice: a register-only message (six numbers, answered with
 * their sum and our badge) and a long message through the IPC buffer (answered in capitals).
 * Exits 0 when both answers are right, 1 otherwise.
 */
        .include "user.inc"

        .text
        .globl  _start
_start:
        mv      s1, a0                  /* our IPC buffer */
        PRINT   hello
        li      a0, 1
        li      a1, 2
        li      a2, 3
        li      a3, 4
        li      a4, 5
        li      a5, 6
        li      t0, 0
        li      a6, SERVER
        SYSCALL SYS_CALL
        bnez    a7, fail
        mv      s2, a0
        mv      s3, a1
        PRINT   sum_is
        mv      a0, s2
        call    put_dec
        PRINT   badge_is
        mv      a0, s3
        call    put_dec
        PRINT   newline
        li      t0, 21
        bne     s2, t0, fail
        li      t0, 42
        bne     s3, t0, fail

        /* The long message: copy it into the IPC buffer, t0 = its length (with the NUL). */
        la      t1, long_text
        mv      t2, s1
1:      lbu     t3, 0(t1)
        sb      t3, 0(t2)
        addi    t1, t1, 1
        addi    t2, t2, 1
        bnez    t3, 1b
        la      t1, long_text
        sub     t0, t2, s1
        mv      s4, t0
        li      a6, SERVER
        SYSCALL SYS_CALL
        bnez    a7, fail
        bne     t0, s4, fail
        PRINT   reply_is
        mv      a0, s1
        SYSCALL SYS_PUTS
        PRINT   newline
        EXIT    0
fail:   PRINT   wrong
        EXIT    1

        .section .rodata
hello:    .asciz "client: calling the echo server\n"
sum_is:   .asciz "client: 1+2+3+4+5+6 = "
badge_is: .asciz ", my badge is "
reply_is: .asciz "client: long reply: "
newline:  .asciz "\n"
wrong:    .asciz "client: wrong answer\n"
long_text:
        .ascii  "a long message travels through the IPC buffer, copied by the kernel "
        .asciz  "from the sender's buffer to the receiver's, as seL4's slowpath does."
