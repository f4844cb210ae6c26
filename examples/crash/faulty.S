/*
 * faulty.S — a process that dereferences a null pointer. The kernel reports the fault in one
 * line (process, thread, cause, pc, tval) and ends this process; the others keep running.
 */
        .include "user.inc"

        .text
        .globl  _start
_start:
        PRINT   about
        li      a0, 0
        ld      a1, 0(a0)               /* load page fault: nothing is mapped at 0 */
        PRINT   unreachable
        EXIT    0

        .section .rodata
about:       .asciz "faulty: about to read address 0\n"
unreachable: .asciz "faulty: still alive?!\n"
