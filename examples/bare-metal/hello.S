/*
 * hello.S — the smallest complete program for the xpc-virt board: print a line on the
 * NS16550A UART and stop the machine through the SiFive test finisher (exit code 0).
 * Build:  npx xpc asm -o hello.elf examples/bare-metal/hello.S
 */
#define UART_BASE      0x10000000
#define UART_THR       0          /* transmit holding register */
#define UART_LSR       5          /* line status register */
#define LSR_THR_EMPTY  0x20
#define FINISHER_BASE  0x100000
#define FINISHER_PASS  0x5555

        .section .text.init, "ax"
        .globl  _start
_start:
        la      sp, stack_top
        la      a0, message
        call    puts
        li      t0, FINISHER_BASE
        li      t1, FINISHER_PASS
        sw      t1, 0(t0)
1:      wfi                     # not reached: the finisher stops the board
        j       1b

/* puts(a0 = NUL-terminated string): busy-waits for the transmitter before each byte. */
        .text
        .type   puts, @function
puts:
        li      t0, UART_BASE
.Lnext:
        lbu     t1, 0(a0)
        beqz    t1, .Ldone
.Lwait:
        lbu     t2, UART_LSR(t0)
        andi    t2, t2, LSR_THR_EMPTY
        beqz    t2, .Lwait
        sb      t1, UART_THR(t0)
        addi    a0, a0, 1
        j       .Lnext
.Ldone:
        ret
        .size   puts, . - puts

        .section .rodata
message:
        .asciz  "hello from xpc-virt\n"

        .bss
        .balign 16
stack:  .skip   4096
stack_top:
