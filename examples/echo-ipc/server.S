/*
 * server.S — the echo server: receives on its endpoint (cap ECHO), answers a register message
 * with the sum of a0–a5 and the caller's badge, and a long message (t0 bytes in its IPC buffer)
 * with the same text in capitals. ReplyRecv answers and waits for the next call in one syscall
 * (the kernel's fastpath when the message is register-only).
 */
        .include "user.inc"

        .text
        .globl  _start
_start:
        mv      s1, a0                  /* our IPC buffer */
        li      a6, ECHO
        li      t2, REPLY
        SYSCALL SYS_RECV
serve:  /* a0–a5 = message, t0 = length of the long part, t1 = badge */
        mv      s2, t0
        beqz    s2, registers
        mv      t2, s1                  /* capitalise the long message in place */
        add     t3, s1, s2
1:      lbu     t4, 0(t2)
        addi    t5, t4, -97
        li      t6, 26
        bgeu    t5, t6, 2f
        addi    t4, t4, -32
        sb      t4, 0(t2)
2:      addi    t2, t2, 1
        bltu    t2, t3, 1b
        mv      t0, s2                  /* reply with the same length */
        j       reply
registers:
        add     a0, a0, a1
        add     a0, a0, a2
        add     a0, a0, a3
        add     a0, a0, a4
        add     a0, a0, a5
        mv      a1, t1
        li      t0, 0
reply:  li      a6, ECHO
        li      t2, REPLY
        SYSCALL SYS_REPLY_RECV
        j       serve
