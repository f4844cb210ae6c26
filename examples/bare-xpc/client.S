/*
 * client.S — domain 1, U-mode. Writes a message into the relay segment it owns, calls the echo
 * server through x-entry ECHO_ENTRY (xcall: no trap, no kernel), and checks the reply: the
 * server upper-cases the message in place and returns its length in a0.
 */
#include "board.h"

        .text
        .globl  client_main
client_main:
        li      s0, MSG_VA              /* the relay segment, as this domain sees it */
        la      a1, greeting
        mv      a2, s0
1:      lbu     t0, 0(a1)               /* copy the greeting into the segment */
        sb      t0, 0(a2)
        addi    a1, a1, 1
        addi    a2, a2, 1
        bnez    t0, 1b

        li      t0, ECHO_ENTRY
        li      a0, MSG_LEN             /* argument: the buffer's size */
        xcall   t0                      /* -> server_echo, in domain 2 */
        mv      s1, a0                  /* the reply: the message's length */

        mv      a0, s0                  /* print the upper-cased message */
        call    client_puts
        li      t0, 18                  /* strlen("hello through xpc\n") */
        sub     a0, s1, t0              /* exit code 0 when the reply is right */
        ecall

/* client_puts(a0 = NUL-terminated string) on the UART, busy-waiting for the transmitter. */
client_puts:
        li      t0, UART_BASE
1:      lbu     t1, 0(a0)
        beqz    t1, 3f
2:      lbu     t2, UART_LSR(t0)
        andi    t2, t2, LSR_THR_EMPTY
        beqz    t2, 2b
        sb      t1, 0(t0)
        addi    a0, a0, 1
        j       1b
3:      ret

        .section .rodata
greeting:
        .asciz  "hello through xpc\n"
