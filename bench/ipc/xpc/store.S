/*
 * store.S — the storage server over XPC (bench/ipc/xpc): a0 = op, a1 = slot. put copies the
 * value from the relay segment into its table, get copies it back into the segment in place,
 * delete forgets it. Answers a0 = 0, or 1 for a get of an empty slot.
 */
#include "world.h"
#include "kv.inc"
        .text
        BENCH_PARK
store_handler:
        la      t0, store_table
        slli    t1, a1, 10
        add     t0, t0, t1              /* the slot's value */
        la      t2, store_valid
        slli    t1, a1, 3
        add     t2, t2, t1              /* its valid flag */
        csrr    t4, useg_va
        li      t1, KV_PUT
        beq     a0, t1, 1f
        li      t1, KV_GET
        beq     a0, t1, 2f
        sd      zero, 0(t2)             /* delete */
        li      a0, 0
        ret
1:      li      t1, 1
        sd      t1, 0(t2)
        KV_COPY t0, t4
        li      a0, 0
        ret
2:      ld      t1, 0(t2)
        li      a0, 1
        beqz    t1, 3f
        KV_COPY t4, t0
        li      a0, 0
3:      ret

        XPC_ENTRY store_entry, store_handler, 1, 2048, 0, BENCH_PRIVATE_SECTION
        .pushsection BENCH_PRIVATE_SECTION
        .balign 64
store_valid: .skip 8 * KV_SLOTS
store_table: .skip KV_VALUE * KV_SLOTS
        .popsection
