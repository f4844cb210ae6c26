/*
 * kv-ipc.S — the key-value server over endpoints, for comparison: it receives the request (a
 * put's value copied by the kernel into our IPC buffer), looks the key up and Calls the storage
 * server with the value (copied again), then replies (a get's value copied a third time).
 */
        .include "user.inc"
        .include "kv.inc"

        .text
        .globl  _start
_start:
        li      a6, KV
        li      t2, REPLY
        SYSCALL SYS_RECV
serve:  /* a0 = op, a1 = key, t0 = length of the value in our IPC buffer */
        mv      s2, a0
        mv      s3, t0
        call    kv_lookup
        bltz    a0, missing
        mv      a1, a0
        mv      a0, s2
        mv      t0, s3                  /* a put's value goes on from our IPC buffer */
        li      a6, STORE
        SYSCALL SYS_CALL
        bnez    a7, full
        j       reply                   /* a0 = status, t0 = length of a get's value */
missing:
        li      a0, KV_NOT_FOUND
        li      t1, OP_PUT
        bne     s2, t1, 1f
full:   li      a0, KV_FULL
1:      li      t0, 0
reply:  li      a6, KV
        li      t2, REPLY
        SYSCALL SYS_REPLY_RECV
        j       serve
