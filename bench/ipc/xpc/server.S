/*
 * server.S — the XPC callees of the one-way / round-trip / message-size figures (bench/ipc/xpc):
 *   bare_one  an x-entry without the library: stamps the cycle counter into s1 (a bare xcall
 *             keeps every register, so the caller reads it) and returns
 *   bare_rt   returns at once (the bare round trip)
 *   x_stamp   through the library's trampoline: the handler answers a0 = the counter on arrival
 *   x_null    through the trampoline, an empty handler (xpc_call's round trip)
 */
#include "world.h"
        .text
        BENCH_PARK
        .globl  bare_one, bare_rt
        .balign 4
bare_one:
        STOP    s1
        xret
bare_rt:
        xret

h_null: ret
h_stamp:
        STOP    a0
        ret

        XPC_ENTRY x_stamp, h_stamp, 1, 1024, 0, BENCH_PRIVATE_SECTION
        XPC_ENTRY x_null, h_null, 1, 1024, 0, BENCH_PRIVATE_SECTION
