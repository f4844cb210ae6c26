/* server.S — two x-entries: `echo` (granted to the client) and `secret` (granted to nobody). */
        .include "user.inc"
        .include "xpc.inc"

        XPC_ENTRY echo_entry, echo, 1
        XPC_ENTRY secret_entry, secret, 1

        .text
        .globl  _start
_start: PARK_MAIN PARK

/* echo(a0) → a0 + 1 */
echo:   addi    a0, a0, 1
        ret

/* secret() → never reached by the client: its xcall has no right. */
secret: addi    sp, sp, -16
        sd      ra, 0(sp)
        PRINT   leaked
        ld      ra, 0(sp)
        addi    sp, sp, 16
        li      a0, 0xbad
        ret

        .section .rodata
leaked: .asciz "server: the secret was called!\n"
