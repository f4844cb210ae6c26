/*
 * worker.S — runs at a lower priority than `faulty`, so it starts after the fault; it finishes
 * its work and exits 0, which ends the run (the description's exitOn).
 */
        .include "user.inc"

        .equ    STEPS, 3

        .text
        .globl  _start
_start:
        li      s1, 1
1:      PRINT   step
        mv      a0, s1
        call    put_dec
        PRINT   of
        addi    s1, s1, 1
        li      t0, STEPS
        ble     s1, t0, 1b
        PRINT   done
        EXIT    0

        .section .rodata
step:   .asciz "worker: step "
of:     .asciz " of 3\n"
done:   .asciz "worker: finished despite the crash\n"
