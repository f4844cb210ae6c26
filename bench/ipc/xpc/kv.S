/*
 * kv.S — the key-value server over XPC (bench/ipc/xpc): a0 = op (KV_PUT/GET/DEL), a1 = key;
 * the value travels in the relay segment (its first KV_VALUE bytes), which this server hands on
 * to the storage server with the op and the slot (key mod KV_SLOTS). Answers a0 = 0 on success.
 */
#include "world.h"
#include "kv.inc"
        .text
        BENCH_PARK
kv_handler:
        addi    t0, a0, -1
        li      t1, KV_DEL - 1
        bgtu    t0, t1, 1f              /* an op out of range */
        andi    a1, a1, KV_SLOTS - 1
        addi    sp, sp, -16
        sd      ra, 0(sp)
        li      a6, XENTRY_STORE
        call    xpc_call
        or      a0, a0, a7
        ld      ra, 0(sp)
        addi    sp, sp, 16
        ret
1:      li      a0, -1
        ret

        XPC_ENTRY kv_entry, kv_handler, 1, 2048, 0, BENCH_PRIVATE_SECTION
