/*
 * client.S — calls `fragile`, whose server dies mid-call: xpc_call returns XPC_E_DEAD_CALLEE
 * (the caller never hangs), our relay segment is back in seg-reg, and calling again finds the
 * x-entry gone (XPC_E_INVALID_ENTRY). Exits 0 when all of that holds.
 */
        .include "user.inc"
        .include "xpc.inc"

        .text
        .globl  _start
_start:
        li      a0, SEG_BUF
        call    xpc_seg_swap
        call    xpc_seg_query
        mv      s1, a0
        mv      s2, a1
        PRINT   calling
        li      a6, XENTRY_FRAGILE
        call    xpc_call
        mv      s3, a7
        PRINT   status
        mv      a0, s3
        call    put_dec
        PRINT   newline
        li      t0, XPC_E_DEAD_CALLEE
        bne     s3, t0, fail
        call    xpc_seg_query
        bne     a0, s1, fail
        bne     a1, s2, fail
        PRINT   seg_back
        li      a6, XENTRY_FRAGILE
        call    xpc_call
        mv      s3, a7
        PRINT   again
        mv      a0, s3
        call    put_dec
        PRINT   newline
        li      t0, XPC_E_INVALID_ENTRY
        bne     s3, t0, fail
        EXIT    0
fail:   PRINT   wrong
        EXIT    1

        .section .rodata
calling:  .asciz "client: calling fragile\n"
status:   .asciz "client: xpc_call status "
seg_back: .asciz "client: my relay segment is back in seg-reg\n"
again:    .asciz "client: calling again, status "
newline:  .asciz "\n"
wrong:    .asciz "client: unexpected result\n"
