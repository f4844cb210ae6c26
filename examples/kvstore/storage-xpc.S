/*
 * storage-xpc.S — the storage server over XPC: the x-entry `store` keeps 16 values of 1 KiB;
 * put copies the value out of the window it was handed, get writes it into that window in place.
 */
        .include "user.inc"
        .include "xpc.inc"
        .include "kv.inc"

        XPC_ENTRY store_entry, store, 2

        .text
        .globl  _start
_start: PARK_MAIN PARK

/* store(a0 = op, a1 = slot) → a0 = KV_OK. */
store:  csrr    t0, useg_va
        csrr    t1, useg_len
        li      t2, VALUE_SIZE
        bltu    t1, t2, 9f
        la      t3, data
        slli    t4, a1, 10
        add     t3, t3, t4              /* t3 = the slot's value */
        li      t4, OP_DEL
        beq     a0, t4, 8f
        li      t4, OP_PUT
        beq     a0, t4, 1f
        mv      t4, t0                  /* get: slot → window */
        mv      t0, t3
        mv      t3, t4
1:      add     t2, t0, t2              /* copy [t0, t0+1024) → t3 */
2:      ld      t4, 0(t0)
        sd      t4, 0(t3)
        addi    t0, t0, 8
        addi    t3, t3, 8
        bltu    t0, t2, 2b
8:      li      a0, KV_OK
        ret
9:      li      a0, KV_FULL
        ret

        .bss
        .balign 64
data:   .skip   VALUE_SIZE * KV_SLOTS
