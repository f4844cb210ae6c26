/*
 * bench-world.h — the XPC benchmarks' bare-metal fallback world (bench/ipc, docs/evaluation.md):
 * test/xpc-lib's world (xlib-world.h: domains with private memory, an x-entry table, cap
 * bitmaps, link stacks and relay segments set up by M-mode), sized here for eight domains and a
 * 16 KiB relay segment S0, used when the kernel's XPC support cannot run the benchmark systems.
 */
#ifndef BENCH_BARE_WORLD_H
#define BENCH_BARE_WORLD_H
#define NDOMAINS   8
#define SEG0_LEN   0x4000
#define SEG1_VA    0x40100000
#define SEGB_VA    0x40200000
#include "../../../test/xpc-lib/xlib-world.h"
#endif
