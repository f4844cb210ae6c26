/*
 * client.S — holds the right to call `echo` only. Its xcall of `secret` raises exception 25
 * (invalid xcall-cap): the kernel reports it in one line and the call returns
 * XPC_E_DENIED; an xcall of an id no x-entry has raises 24 and returns XPC_E_INVALID_ENTRY.
 * Everything else goes on: the allowed call still works. Exits 0 when all three answers are right.
 */
        .include "user.inc"
        .include "xpc.inc"

        .text
        .globl  _start
_start:
        PRINT   try_secret
        li      a6, XENTRY_SECRET
        call    xpc_call
        mv      s1, a7
        PRINT   status
        mv      a0, s1
        call    put_dec
        PRINT   newline
        li      t0, XPC_E_DENIED
        bne     s1, t0, fail

        PRINT   try_missing
        li      a6, 40                  /* no x-entry has this id */
        call    xpc_call
        mv      s1, a7
        PRINT   status
        mv      a0, s1
        call    put_dec
        PRINT   newline
        li      t0, XPC_E_INVALID_ENTRY
        bne     s1, t0, fail

        li      a0, 41
        li      a6, XENTRY_ECHO
        call    xpc_call
        bnez    a7, fail
        mv      s1, a0
        PRINT   echo_says
        mv      a0, s1
        call    put_dec
        PRINT   newline
        li      t0, 42
        bne     s1, t0, fail
        EXIT    0
fail:   PRINT   wrong
        EXIT    1

        .section .rodata
try_secret:  .asciz "client: calling secret (no right)\n"
try_missing: .asciz "client: calling x-entry 40 (none)\n"
status:      .asciz "client: xpc_call status "
echo_says:   .asciz "client: echo(41) = "
newline:     .asciz "\n"
wrong:       .asciz "client: unexpected answer\n"
