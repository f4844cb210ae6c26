/*
 * world.h (kernel) — what the XPC benchmark sources (bench/ipc/xpc/*.S) need from their world
 * when each runs as a process under the kernel (bench/ipc/bare/world.h is the bare-metal
 * fallback's version of this file). XENTRY_<NAME> and SEG_<NAME> come from the builder.
 */
#ifndef BENCH_WORLD_H
#define BENCH_WORLD_H
        .include "user.inc"
        .include "xpc.inc"
        .include "bench.inc"
        .include "layout.inc"
#define BENCH_PRIVATE_SECTION .bss
/* the client's relay segment `msg` (16 KiB) from its seg-list into seg-reg */
#define BENCH_SEG_INIT li t0, SEG_MSG; swapseg t0
#define BENCH_EXIT(reg) snez a0, reg; li a7, SYS_EXIT; ecall
/* the main thread of a process that only serves x-entries: waits forever on the endpoint park */
#define BENCH_PARK .globl _start; _start: li a6, PARK; li t2, REPLY_NONE; li a7, SYS_RECV; ecall; j _start
#endif
