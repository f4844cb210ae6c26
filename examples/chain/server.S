/*
 * server.S (C) — the x-entry `answer`: reads the request in the window it was handed and writes
 * the reply over it, in place.
 */
        .include "user.inc"
        .include "xpc.inc"

        XPC_ENTRY answer_entry, answer, 1

        .text
        .globl  _start
_start: PARK_MAIN PARK

/* answer(a0 = where the client wrote) → a0 = 0. */
answer:
        addi    sp, sp, -16
        sd      ra, 0(sp)
        csrr    s1, useg_va
        csrr    s2, useg_len
        bne     s1, a0, 9f
        PRINT   window
        mv      a0, s2
        call    put_dec
        PRINT   bytes
        la      t1, reply
        mv      t2, s1
1:      lbu     t3, 0(t1)
        sb      t3, 0(t2)
        addi    t1, t1, 1
        addi    t2, t2, 1
        bnez    t3, 1b
        li      a0, 0
        j       2f
9:      li      a0, -1
2:      ld      ra, 0(sp)
        addi    sp, sp, 16
        ret

        .section .rodata
window: .asciz "server: writing the reply in place, in a window of "
bytes:  .asciz " bytes\n"
reply:  .asciz "PONG FROM THE SERVER, WRITTEN IN PLACE"
