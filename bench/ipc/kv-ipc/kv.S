/*
 * kv.S — the key-value server over endpoints (bench/ipc/kv-ipc): receives a0 = op, a1 = key and,
 * for a put, the 1 KiB value in its IPC buffer (copied by the kernel); Calls the storage server
 * with the op, the slot (key mod KV_SLOTS) and the value (copied again), and replies with its
 * answer: a0 = 0 on success, and for a get the value (copied back at each step).
 */
        .include "user.inc"
        .include "layout.inc"
#include "kv.inc"

        .text
        .globl  _start
_start:
        li      a6, CLIENTS
        li      t2, REPLY
        li      a7, SYS_RECV
        ecall
serve:  addi    t1, a0, -1
        li      t2, KV_DEL - 1
        bgtu    t1, t2, 1f              /* an op out of range */
        andi    a1, a1, KV_SLOTS - 1
        li      a6, STORE               /* t0 = the length received: the value, if any */
        li      a7, SYS_CALL
        ecall
        or      a0, a0, a7
        j       2f                      /* t0 = the length of the store's answer */
1:      li      a0, -1
        li      t0, 0
2:      li      a6, CLIENTS
        li      t2, REPLY
        li      a7, SYS_REPLY_RECV
        ecall
        j       serve
