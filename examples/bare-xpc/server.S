/*
 * server.S — domain 2, U-mode, entered only through x-entry ECHO_ENTRY. It runs in its own
 * address space on the client's thread; the relay segment it was handed holds the message.
 * It upper-cases the message in place, returns its length in a0 and goes back with xret, which
 * also hands the segment back to the client.
 */
#include "board.h"

        .text
        .globl  server_echo
server_echo:
        li      a1, MSG_VA              /* the handed segment: same window, now ours */
        mv      a2, a0                  /* a0 = the buffer's size */
        li      a0, 0
1:      bgeu    a0, a2, 3f
        add     t0, a1, a0
        lbu     t1, 0(t0)
        beqz    t1, 3f
        li      t2, 'a'
        bltu    t1, t2, 2f
        li      t2, 'z'
        bgtu    t1, t2, 2f
        addi    t1, t1, 'A' - 'a'
        sb      t1, 0(t0)
2:      addi    a0, a0, 1
        j       1b
3:      xret                            /* back to the client, after its xcall */
