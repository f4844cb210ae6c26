/*
 * hop.S — one hop of the call chain over endpoints (bench/ipc/chain-ipc; the same source serves
 * hop1..hop4, each with its own endpoint SELF and the next hop's NEXT). a0 = hops left including
 * this one; the 4 KiB message is in our IPC buffer (t0 = its length), copied there by the kernel.
 * Not the last: Call the next hop with the same buffer (the kernel copies it again). The last
 * hop answers a0 = CHAIN_REPLY in a register-only reply (the XPC chain's last hop writes the
 * same one dword in place).
 */
        .include "user.inc"
        .include "layout.inc"
        .equ    CHAIN_REPLY, 0x7ad

        .text
        .globl  _start
_start:
        li      a6, SELF
        li      t2, REPLY
        li      a7, SYS_RECV
        ecall
serve:  addi    a0, a0, -1
        beqz    a0, 1f
        li      a6, NEXT                /* t0 = the length received */
        li      a7, SYS_CALL
        ecall
        j       2f
1:      li      a0, CHAIN_REPLY
2:      li      t0, 0
        li      a6, SELF
        li      t2, REPLY
        li      a7, SYS_REPLY_RECV
        ecall
        j       serve
