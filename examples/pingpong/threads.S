/*
 * threads.S — three threads of one process (they share its memory):
 *   boss (priority 20) waits on a notification; it runs first and preempts whoever signals it.
 *   ping and pong (priority 10) share the processor round-robin: ping spins until pong has run,
 *   which only the timer tick can make happen (ping never blocks or yields while spinning);
 *   then they alternate strictly through the shared `turn` word, yielding to each other.
 * The output is the same whatever the timing model, since every step waits for a flag.
 */
        .include "user.inc"

        .equ    ROUNDS, 3

        .text
        .globl  boss
boss:
        PRINT   boss_wait
        li      a6, WAKE
        SYSCALL SYS_WAIT
        mv      s1, t1
        PRINT   boss_woke
        mv      a0, s1
        call    put_dec
        PRINT   boss_woke2
        li      a6, WAKE
        SYSCALL SYS_WAIT                /* nobody signals again: boss stays blocked */

        .globl  ping
ping:
        PRINT   ping_spin
        la      s1, pong_ran
1:      ld      t0, 0(s1)               /* no syscall here: only a tick lets pong run */
        beqz    t0, 1b
        PRINT   ping_saw
        li      s2, 1                   /* round */
        la      s3, turn
2:      ld      t0, 0(s3)               /* wait for our turn (0), yielding to pong */
        beqz    t0, 3f
        SYSCALL SYS_YIELD
        j       2b
3:      PRINT   ping_n
        mv      a0, s2
        call    put_dec
        PRINT   newline
        li      t0, 1
        sd      t0, 0(s3)
        addi    s2, s2, 1
        li      t0, ROUNDS
        ble     s2, t0, 2b
4:      ld      t0, 0(s3)               /* wait for pong's last round */
        beqz    t0, 5f
        SYSCALL SYS_YIELD
        j       4b
5:      PRINT   done
        EXIT    0

        .globl  pong
pong:
        PRINT   pong_run
        li      t0, 1
        la      t1, pong_ran
        sd      t0, 0(t1)
        PRINT   pong_signal
        li      a6, WAKE_SIGNAL
        SYSCALL SYS_SIGNAL              /* boss has the higher priority: it runs at once */
        li      s2, 1
        la      s3, turn
2:      ld      t0, 0(s3)               /* wait for our turn (1) */
        bnez    t0, 3f
        SYSCALL SYS_YIELD
        j       2b
3:      PRINT   pong_n
        mv      a0, s2
        call    put_dec
        PRINT   newline
        sd      zero, 0(s3)
        addi    s2, s2, 1
        li      t0, ROUNDS
        ble     s2, t0, 2b
6:      SYSCALL SYS_YIELD               /* ping ends the process */
        j       6b

        .section .rodata
boss_wait:   .asciz "boss: waiting for a signal (priority 20, runs first)\n"
boss_woke:   .asciz "boss: woken with badge "
boss_woke2:  .asciz ", before pong could print another line\n"
ping_spin:   .asciz "ping: spinning until pong runs (only the timer tick can preempt me)\n"
ping_saw:    .asciz "ping: pong ran, so the tick preempted me\n"
ping_n:      .asciz "ping "
pong_run:    .asciz "pong: running while ping still spins\n"
pong_signal: .asciz "pong: signalling boss\n"
pong_n:      .asciz "pong "
newline:     .asciz "\n"
done:        .asciz "ping: done\n"

        .data
        .balign 8
pong_ran: .dword 0
turn:     .dword 0
