/*
 * storage-ipc.S — the storage server over endpoints: 16 values of 1 KiB; a put's value arrives
 * in our IPC buffer, a get's value leaves through it.
 */
        .include "user.inc"
        .include "kv.inc"

        .text
        .globl  _start
_start:
        mv      s1, a0                  /* our IPC buffer */
        li      a6, STORE
        li      t2, REPLY
        SYSCALL SYS_RECV
serve:  /* a0 = op, a1 = slot */
        la      t3, data
        slli    t4, a1, 10
        add     t3, t3, t4
        li      t5, 0                   /* reply length */
        li      t4, OP_DEL
        beq     a0, t4, 8f
        mv      t0, s1                  /* put: IPC buffer → slot */
        li      t4, OP_PUT
        beq     a0, t4, 1f
        mv      t0, t3                  /* get: slot → IPC buffer */
        mv      t3, s1
        li      t5, VALUE_SIZE
1:      li      t2, VALUE_SIZE
        add     t2, t0, t2
2:      ld      t4, 0(t0)
        sd      t4, 0(t3)
        addi    t0, t0, 8
        addi    t3, t3, 8
        bltu    t0, t2, 2b
8:      li      a0, KV_OK
        mv      t0, t5
        li      a6, STORE
        li      t2, REPLY
        SYSCALL SYS_REPLY_RECV
        j       serve

        .bss
        .balign 64
data:   .skip   VALUE_SIZE * KV_SLOTS
