/*
 * server.S — the x-entry `fragile` dies in the middle of a call: it swaps the segment it was
 * handed into its own seg-list (borrowing it) and then loads from address 0. The fault ends the
 * server; the kernel resumes the caller at its xcall with XPC_E_DEAD_CALLEE and gives the
 * borrowed segment back.
 */
        .include "user.inc"
        .include "xpc.inc"

        XPC_ENTRY fragile_entry, fragile, 1

        .text
        .globl  _start
_start: PARK_MAIN PARK

fragile:
        addi    sp, sp, -16
        sd      ra, 0(sp)
        PRINT   dying
        li      a0, 0                   /* the handed segment into our seg-list slot 0 */
        call    xpc_seg_swap
        ld      a0, 0(zero)             /* load page fault: the server dies here */
        ld      ra, 0(sp)
        addi    sp, sp, 16
        ret

        .section .rodata
dying:  .asciz "server: borrowing the caller's segment, then crashing mid-call\n"
