/*
 * hop.S — one hop of the call chain over XPC (bench/ipc/xpc; the same source serves hop1..hop4).
 * a0 = hops left including this one, a1 = the next hop's x-entry id. Not the last: call the next
 * hop with xpc_call, handing on the relay segment as received (no byte copied). The last hop
 * writes its reply in place (the segment's first dword = CHAIN_REPLY) and answers a0 = CHAIN_REPLY.
 */
#include "world.h"
        .equ    CHAIN_REPLY, 0x7ad
        .text
        BENCH_PARK
hop_handler:
        addi    a0, a0, -1
        beqz    a0, 1f
        addi    sp, sp, -16
        sd      ra, 0(sp)
        mv      a6, a1
        addi    a1, a1, 1
        call    xpc_call
        ld      ra, 0(sp)
        addi    sp, sp, 16
        ret
1:      csrr    t0, useg_va
        li      a0, CHAIN_REPLY
        sd      a0, 0(t0)
        ret

        XPC_ENTRY hop_entry, hop_handler, 1, 2048, 0, BENCH_PRIVATE_SECTION
