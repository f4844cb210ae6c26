/*
 * crt0.S — start-up code for the C programs on the xpc-virt board: stack, gp, a cleared .bss,
 * main(), and main's return value to the SiFive test finisher (0 passes, n fails with code n).
 * A trap ends the run with exit code 255 (the programs do not expect any).
 * Assembled by this project's assembler and by GNU as alike.
 */
#define FINISHER_BASE 0x100000
#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333

        .section .text.init, "ax"
        .globl  _start
_start:
        .option push
        .option norelax
        la      gp, __global_pointer$
        .option pop
        la      sp, stack_top
        la      t0, trap
        csrw    mtvec, t0
        la      t0, __bss_start
        la      t1, _end
1:      bgeu    t0, t1, 2f
        sd      zero, 0(t0)
        addi    t0, t0, 8
        j       1b
2:      call    main
        /* fall through: a0 = exit code */
        .globl  exit
exit:
        li      t0, FINISHER_PASS
        beqz    a0, 3f
        andi    a0, a0, 0xff
        slli    a0, a0, 16
        li      t0, FINISHER_FAIL
        or      t0, t0, a0
3:      li      t1, FINISHER_BASE
        sw      t0, 0(t1)
4:      j       4b

        .balign 4
trap:
        li      a0, 255
        j       exit

        .bss
        .balign 16
stack:  .skip   16384
stack_top:
