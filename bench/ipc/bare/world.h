/*
 * world.h (bare-metal fallback) — what the XPC benchmark sources (bench/ipc/xpc/*.S) need from
 * their world, when they all run in one program on bench-world.h instead of as processes under
 * the kernel (bench/ipc/common/world.h is the kernel's version of this file).
 */
#ifndef BENCH_WORLD_H
#define BENCH_WORLD_H
#define BENCH_BARE_WORLD 1
        .include "xpc.inc"
        .include "bench.inc"
/* the call-context pools and the handlers' private data: each domain's own 2 MiB window */
#define BENCH_PRIVATE_SECTION .bss.xpcpriv
/* S0 (16 KiB, RW) starts in seg-reg */
#define BENCH_SEG_INIT
#define BENCH_EXIT(reg) bnez reg, bench_failed; XW_PASS
/* entry ids: the order of the XW_ENTRY list in bare/world.S = the xEntries order in xpc/system.json */
#define XENTRY_BARE_ONE 1
#define XENTRY_BARE_RT  2
#define XENTRY_X_STAMP  3
#define XENTRY_X_NULL   4
#define XENTRY_HOP1     5
#define XENTRY_HOP2     6
#define XENTRY_HOP3     7
#define XENTRY_HOP4     8
#define XENTRY_KV       9
#define XENTRY_STORE    10
/* the serving domains have no thread of their own here */
#define BENCH_PARK
#endif
