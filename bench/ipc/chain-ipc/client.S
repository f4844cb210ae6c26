/*
 * client.S — call chains over endpoints (bench/ipc/chain-ipc, docs/evaluation.md):
 *   chain.H.copy  a round trip through H hops (H = 1..4) with a 4 KiB message in the IPC buffer,
 *                 copied by the kernel at each hop; the last hop answers in a register
 * Every figure BENCH_ROUNDS times (cold = first, warm = last); prints them; exits 0, or 1 when a
 * Call failed or the reply was wrong.
 */
        .include "user.inc"
        .include "layout.inc"
        .include "bench.inc"
        .equ    CHAIN_REPLY, 0x7ad

        .text
        .globl  _start
_start:
        li      s6, 0
        li      s4, 1
1:      li      s10, 0
2:      STAMP_COST
        mv      a0, s4
        li      t0, 4096
        li      a6, HOP1
        li      a7, SYS_CALL
        rdcycle s0
        ecall
        STOP    s1
        or      s6, s6, a7
        addi    a0, a0, -CHAIN_REPLY
        or      s6, s6, a0
        sub     a0, s1, s0
        addi    a1, s4, -1
        call    bench_record
        addi    s10, s10, 1
        li      t0, BENCH_ROUNDS
        blt     s10, t0, 2b
        addi    s4, s4, 1
        li      t0, 4
        ble     s4, t0, 1b
        call    bench_report
        snez    a0, s6
        SYSCALL SYS_EXIT

        BENCH_SUPPORT

        .section .rodata
        .balign 8
bench_names: .dword n1, n2, n3, n4, 0
n1:     .asciz  "chain.1.copy"
n2:     .asciz  "chain.2.copy"
n3:     .asciz  "chain.3.copy"
n4:     .asciz  "chain.4.copy"
        .section .data
        .balign 8
bench_warm: .skip 8 * 4
bench_cold: .skip 8 * 4
