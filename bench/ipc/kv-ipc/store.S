/*
 * store.S — the storage server over endpoints (bench/ipc/kv-ipc): a0 = op, a1 = slot. put
 * copies the value from its IPC buffer into its table, get copies it into its IPC buffer and
 * replies with it (t0 = KV_VALUE), delete forgets it. Answers a0 = 0, or 1 for a get of an empty
 * slot. The table and the copy are those of the XPC store (bench/ipc/xpc/store.S).
 */
        .include "user.inc"
        .include "layout.inc"
#include "kv.inc"

        .text
        .globl  _start
_start:
        li      s1, USER_IPCBUF_BASE    /* our IPC buffer (thread 0) */
        li      a6, REQUESTS
        li      t2, REPLY
        li      a7, SYS_RECV
        ecall
serve:  la      t0, store_table
        slli    t1, a1, 10
        add     t0, t0, t1              /* the slot's value */
        la      t2, store_valid
        slli    t1, a1, 3
        add     t2, t2, t1              /* its valid flag */
        mv      t4, s1
        li      t3, 0                   /* reply length */
        li      t1, KV_PUT
        beq     a0, t1, 1f
        li      t1, KV_GET
        beq     a0, t1, 2f
        sd      zero, 0(t2)             /* delete */
        li      a0, 0
        j       3f
1:      li      t1, 1
        sd      t1, 0(t2)
        KV_COPY t0, t4
        li      a0, 0
        j       3f
2:      ld      t1, 0(t2)
        li      a0, 1
        beqz    t1, 3f
        KV_COPY t4, t0
        li      a0, 0
        li      t3, KV_VALUE
3:      mv      t0, t3
        li      a6, REQUESTS
        li      t2, REPLY
        li      a7, SYS_REPLY_RECV
        ecall
        j       serve

        .section .bss
        .balign 64
store_valid: .skip 8 * KV_SLOTS
store_table: .skip KV_VALUE * KV_SLOTS
