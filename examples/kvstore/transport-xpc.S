/*
 * transport-xpc.S — the client's transport over XPC: the value lives in the relay segment `val`
 * (seg-reg); each operation hands a 1 KiB window of it to the kv server with one xpc_call.
 */
        .include "user.inc"
        .include "xpc.inc"
        .include "kv.inc"

        .text
        .globl  transport_init, kv_op
transport_init:
        addi    sp, sp, -16
        sd      ra, 0(sp)
        li      a0, SEG_VAL
        call    xpc_seg_swap
        call    xpc_seg_query           /* a0 = its va */
        ld      ra, 0(sp)
        addi    sp, sp, 16
        ret

kv_op:
        XPC_SEG_MASK 0, VALUE_SIZE, 3
        li      a6, XENTRY_KV
        j       xpc_call                /* returns to our caller: a7 = status, a0 = the kv status */
