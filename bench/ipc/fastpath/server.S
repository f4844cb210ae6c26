/*
 * server.S — the kernel-IPC side of the benchmark (bench/ipc/fastpath): three threads at the
 * client's priority, each waiting on its own endpoint, so every register-only Call and ReplyRecv
 * takes the kernel's fastpath (docs/kernel.md).
 *   stamp: answers a0 = the cycle counter on arrival (its first instruction after the kernel
 *          returns), a1 = the counter right before its ReplyRecv: the client computes both
 *          one-way figures from them.
 *   null:  answers at once (the round trip).
 *   copy:  answers a0 = the counter on arrival of a long message (t0 bytes in the IPC buffer).
 * The labels bench_arrive / bench_arrive_stamp / bench_depart mark the stamp thread's stamps for
 * the harness's phase breakdown (bench/ipc/breakdown.ts).
 */
        .include "user.inc"
        .include "layout.inc"
        .include "bench.inc"

        .text
        .globl  stamp_main, null_main, copy_main, bench_arrive, bench_arrive_stamp
stamp_main:
        li      a6, STAMP
        li      t2, RSTAMP
        li      a7, SYS_RECV
        ecall
bench_arrive:
        nop                             /* STOP a0, spelt out for the breakdown's labels */
bench_arrive_stamp:
        rdcycle a0
        li      t0, 0
        li      t2, RSTAMP
        li      a7, SYS_REPLY_RECV
        rdcycle a1
        ecall
        j       bench_arrive

null_main:
        li      a6, NULLEP
        li      t2, RNULL
        li      a7, SYS_RECV
        ecall
1:      li      t0, 0
        li      t2, RNULL
        li      a7, SYS_REPLY_RECV
        ecall
        j       1b

copy_main:
        li      a6, COPY
        li      t2, RCOPY
        li      a7, SYS_RECV
        ecall
1:      STOP    a0
        li      t0, 0
        li      t2, RCOPY
        li      a7, SYS_REPLY_RECV
        ecall
        j       1b
