/*
 * middle.S (B) — the x-entry `forward`: it was handed the client's segment (seg-reg), checks it
 * sees the same address the client wrote to, and hands the first half of it on to the server
 * (XPC_SEG_MASK: a window), again without copying.
 */
        .include "user.inc"
        .include "xpc.inc"

        XPC_ENTRY forward_entry, forward, 1

        .text
        .globl  _start
_start: PARK_MAIN PARK

/* forward(a0 = the address the client wrote the request at) → the server's results. */
forward:
        addi    sp, sp, -16
        sd      ra, 0(sp)
        sd      a0, 8(sp)
        csrr    t0, useg_va
        bne     t0, a0, bad
        PRINT   passing
        ld      a0, 8(sp)
        XPC_SEG_MASK 0, 2048, 3         /* only the first 2 KiB go on */
        li      a6, XENTRY_ANSWER
        call    xpc_call
        bnez    a7, bad
        ld      ra, 0(sp)
        addi    sp, sp, 16
        ret
bad:    li      a0, -1
        ld      ra, 0(sp)
        addi    sp, sp, 16
        ret

        .section .rodata
passing: .asciz "middle: handed the client's segment at the same address; passing 2 KiB of it to the server\n"
