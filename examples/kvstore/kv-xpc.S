/*
 * kv-xpc.S — the key-value server over XPC: the x-entry `kv` looks the key up and hands the
 * 1 KiB window it was given straight on to the storage server (x-entry `store`): the value is
 * never copied by this process.
 */
        .include "user.inc"
        .include "xpc.inc"
        .include "kv.inc"

        XPC_ENTRY kv_entry, kv, 2

        .text
        .globl  _start
_start: PARK_MAIN PARK

/* kv(a0 = op, a1 = key) → a0 = KV_* status. */
kv:     addi    sp, sp, -16
        sd      ra, 0(sp)
        sd      a0, 8(sp)
        call    kv_lookup
        bltz    a0, 2f
        mv      a1, a0                  /* the slot */
        ld      a0, 8(sp)
        li      a6, XENTRY_STORE        /* the handed window goes on whole (seg-mask was reset) */
        call    xpc_call
        beqz    a7, 1f
        li      a0, KV_FULL
1:      ld      ra, 0(sp)
        addi    sp, sp, 16
        ret
2:      ld      t0, 8(sp)
        li      a0, KV_NOT_FOUND
        li      t1, OP_PUT
        bne     t0, t1, 1b
        li      a0, KV_FULL
        j       1b
