/*
 * index.S — the kv server's index, the same over both transports: key → storage slot.
 * kv_lookup(a0 = op, a1 = key) → a0 = the storage slot, or -1 (get/delete: no such key; put: full).
 * Put takes the key's slot or a free one; delete frees it.
 */
        .include "kv.inc"

        .text
        .globl  kv_lookup
kv_lookup:
        la      t0, keys
        addi    t1, a1, 1               /* stored as key + 1: 0 = free */
        li      t2, 0
        li      t5, -1                  /* the first free slot */
1:      li      t3, KV_SLOTS
        beq     t2, t3, 3f
        slli    t4, t2, 3
        add     t4, t4, t0
        ld      t3, 0(t4)
        beq     t3, t1, 2f
        bnez    t3, 4f
        bgez    t5, 4f
        mv      t5, t2
4:      addi    t2, t2, 1
        j       1b
2:      li      t3, OP_DEL              /* found at t2 */
        bne     a0, t3, 5f
        sd      zero, 0(t4)
5:      mv      a0, t2
        ret
3:      li      t3, OP_PUT              /* not found */
        bne     a0, t3, 6f
        bltz    t5, 6f
        slli    t4, t5, 3
        add     t4, t4, t0
        sd      t1, 0(t4)
        mv      a0, t5
        ret
6:      li      a0, -1
        ret

        .bss
        .balign 8
keys:   .skip   8 * KV_SLOTS
