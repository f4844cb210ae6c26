/*
 * hello.S — the smallest process: print a line through the kernel and exit with code 0.
 * Syscalls: a7 = number (kernel/include/abi.inc), ecall; the error code comes back in a7.
 */
        .include "abi.inc"

        .text
        .globl  _start
_start:
        la      a0, message
        li      a7, SYS_PUTS
        ecall
        li      a0, 0
        li      a7, SYS_EXIT
        ecall

        .section .rodata
message:
        .asciz  "hello from process 'hello'\n"
