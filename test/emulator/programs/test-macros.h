/*
 * test-macros.h — the harness of the self-checking test programs for the xpc-virt board
 * (riscv-tests style). Every program is one .S file:
 *
 *     #include "test-macros.h"
 *     TEST_BEGIN
 *         TEST_RR_OP(1, add, 3, 1, 2)
 *         ...
 *     TEST_PASS
 *     TEST_END
 *
 * and ends the run through the SiFive test finisher: exit code 0 when every case passed, the
 * number of the failing case otherwise, XPC_EXIT_UNEXPECTED_TRAP (255) for a trap no case asked
 * for. On a failure a line naming the case (and the trap) is written to the UART first, so the
 * case is named even where the exit status is truncated to 8 bits (QEMU's is). Test numbers are
 * 1..250 so that no failure code can read as a pass modulo 256.
 *
 * Registers owned by the harness (a case must not keep anything live in them):
 *   gp (TESTNUM)  the number of the running case, reported on failure.
 *   tp            0, or the resume address of a case that expects a trap; after the trap it
 *                 holds the cause. -1 asks the handlers to fail the case, -2 to return to
 *                 M-mode (see TEST_FAIL, RETURN_TO_M).
 *   t5            after an expected trap: xepc of the trap; also a jump target for RETURN_TO_M.
 *   t6            after an expected trap: xtval; otherwise the comparison scratch of the macros.
 * Every other register is the cases' own; besides those above the macros write only a0..a2
 * (operands and results of the TEST_*_OP forms, CHECK_TVAL's scratch).
 *
 * Traps: mtvec and stvec point at handlers (direct mode). A trap while tp is 0 is unexpected
 * and ends the run; otherwise the handler resumes at tp in the trapping mode, with tp = cause,
 * t5 = epc, t6 = tval. After an interrupt it also clears that interrupt's bit in mie (sie) and
 * returns with xIE clear, so that nothing is taken again before the case has looked. The S-mode
 * handler serves traps delegated through medeleg/mideleg the same way. The handlers touch no
 * memory (so they work under any satp/MPRV setting) and need no stack.
 *
 * Data a program uses goes in .data/.bss; code stays in .text.init, where TEST_BEGIN puts it,
 * so that the assembler can relax every branch to the failure path.
 *
 * Built with XPC_QEMU defined (for QEMU 7.2), a few cases accept QEMU's departures from the
 * privileged spec as well (see TEST_TRAP_AMO and the programs' #ifdef XPC_QEMU blocks).
 */
#ifndef XPC_TEST_MACROS_H
#define XPC_TEST_MACROS_H

#define TESTNUM gp

/* ---- the board (platform.md) ---- */
#define FINISHER_BASE   0x100000
#define FINISHER_PASS   0x5555
#define FINISHER_FAIL   0x3333
#define UART_BASE       0x10000000
#define UART_LSR        5
#define UART_LSR_THRE   0x20
#define CLINT_BASE      0x2000000
#define CLINT_MSIP      (CLINT_BASE + 0x0)
#define CLINT_MTIMECMP  (CLINT_BASE + 0x4000)
#define CLINT_MTIME     (CLINT_BASE + 0xBFF8)
#define RAM_BASE        0x80000000

#define XPC_EXIT_UNEXPECTED_TRAP 255
#define XPC_EXIT_BAD_TESTNUM     254
#define XPC_EXIT_HARNESS_FAULT   253

/* ---- privileged architecture constants ---- */
#define MSTATUS_SIE     0x2
#define MSTATUS_MIE     0x8
#define MSTATUS_SPIE    0x20
#define MSTATUS_UBE     0x40
#define MSTATUS_MPIE    0x80
#define MSTATUS_SPP     0x100
#define MSTATUS_MPP     0x1800
#define MSTATUS_MPP_S   0x800
#define MSTATUS_MPP_M   0x1800
#define MSTATUS_FS      0x6000
#define MSTATUS_XS      0x18000
#define MSTATUS_MPRV    0x20000
#define MSTATUS_SUM     0x40000
#define MSTATUS_MXR     0x80000
#define MSTATUS_TVM     0x100000
#define MSTATUS_TW      0x200000
#define MSTATUS_TSR     0x400000
#define MSTATUS_UXL     0x300000000
#define MSTATUS_SXL     0xC00000000

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define CAUSE_MISALIGNED_FETCH    0
#define CAUSE_FETCH_ACCESS        1
#define CAUSE_ILLEGAL_INSTRUCTION 2
#define CAUSE_BREAKPOINT          3
#define CAUSE_MISALIGNED_LOAD     4
#define CAUSE_LOAD_ACCESS         5
#define CAUSE_MISALIGNED_STORE    6
#define CAUSE_STORE_ACCESS        7
#define CAUSE_USER_ECALL          8
#define CAUSE_SUPERVISOR_ECALL    9
#define CAUSE_MACHINE_ECALL       11
#define CAUSE_FETCH_PAGE_FAULT    12
#define CAUSE_LOAD_PAGE_FAULT     13
#define CAUSE_STORE_PAGE_FAULT    15

#define IRQ_S_SOFT   1
#define IRQ_M_SOFT   3
#define IRQ_S_TIMER  5
#define IRQ_M_TIMER  7
#define IRQ_S_EXT    9
#define IRQ_M_EXT    11
#define MIP_SSIP     (1 << IRQ_S_SOFT)
#define MIP_MSIP     (1 << IRQ_M_SOFT)
#define MIP_STIP     (1 << IRQ_S_TIMER)
#define MIP_MTIP     (1 << IRQ_M_TIMER)
#define MIP_SEIP     (1 << IRQ_S_EXT)
#define MIP_MEIP     (1 << IRQ_M_EXT)

#define SATP_MODE_SV39 0x8000000000000000
#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80

/* Not in the assembler's CSR table (PMP is optional on the board): by number. */
#define CSR_PMPCFG0  0x3a0
#define CSR_PMPADDR0 0x3b0

/* ---- start and end ---- */

/*
 * The hart enters at 0x8000_0000 in M-mode (a0 = hartid, a1 = a device-tree/boot-info address:
 * not used). Every register is cleared so that no case depends on what the boot code left.
 * PMP entry 0 is opened over all memory first, because QEMU denies S/U accesses when no PMP
 * entry matches; a board without PMP CSRs traps on the write, and the temporary mtvec skips it.
 */
#define TEST_BEGIN                                                        \
        .section .text.init, "ax";                                        \
        .globl _start;                                                    \
_start:                                                                   \
        xpc_clear_registers;                                              \
        la t0, 80f; csrw mtvec, t0;                                       \
        li t0, -1; csrw CSR_PMPADDR0, t0;                                 \
        li t0, 0x1f; csrw CSR_PMPCFG0, t0;                                \
        .balign 4;                                                        \
80:     la t0, xpc_mtrap; csrw mtvec, t0;                                 \
        la t0, xpc_strap; csrw stvec, t0;                                 \
        csrw medeleg, zero; csrw mideleg, zero; csrw mie, zero;           \
        csrw satp, zero; sfence.vma;                                      \
        li t0, MSTATUS_MPP; csrc mstatus, t0;                             \
        csrci mstatus, MSTATUS_MIE | MSTATUS_SIE;                         \
        li t0, 0; li tp, 0; li TESTNUM, 0;

/* Ends the run with exit code 0. Only from M-mode (or S/U with paging off). */
#define TEST_PASS                                                         \
        fence;                                                            \
        li t6, FINISHER_BASE; li t5, FINISHER_PASS; sw t5, 0(t6);         \
81:     j 81b;

/* Fails the current case (gp) from any mode. */
#define TEST_FAIL j xpc_fail

/* Emits the harness code; once, after the last case. */
#define TEST_END xpc_harness

/* ---- cases ---- */

#define XPC_CHECK_NUM(n)                                                  \
        .if ((n) < 1) || ((n) > 250);                                     \
        .error "test numbers must be 1..250";                             \
        .endif

/* Runs code, then requires reg == expected (a constant). */
#define TEST_CASE(n, reg, expected, ...)                                  \
        XPC_CHECK_NUM(n);                                                 \
        li TESTNUM, n;                                                    \
        __VA_ARGS__;                                                      \
        li t6, expected;                                                  \
        bne reg, t6, xpc_fail;

/* Runs code, then requires reg == the address of sym (+ offset). */
#define TEST_CASE_ADDR(n, reg, sym, ...)                                  \
        XPC_CHECK_NUM(n);                                                 \
        li TESTNUM, n;                                                    \
        __VA_ARGS__;                                                      \
        la t6, sym;                                                       \
        bne reg, t6, xpc_fail;

/* Runs code, which branches to xpc_fail itself when something is wrong. */
#define TEST_RUN(n, ...)                                                  \
        XPC_CHECK_NUM(n);                                                 \
        li TESTNUM, n;                                                    \
        __VA_ARGS__;

/* Requires reg == expected in the current case (after TEST_RUN or a TEST_CASE). */
#define CHECK(reg, expected)   li t6, expected; bne reg, t6, xpc_fail;
#define CHECK_REG(reg, other)  bne reg, other, xpc_fail;
/* After an expected trap: requires tval (t6) == expected; clobbers a0. */
#define CHECK_TVAL(expected)   mv a0, t6; li t6, expected; bne a0, t6, xpc_fail;
/* After an expected trap on a 4-byte instruction: requires tval == its encoding; clobbers a0. */
#define CHECK_TVAL_INSN        lwu a0, 0(t5); bne t6, a0, xpc_fail;

/* Register-register, register-immediate and unary forms: result in a0, operands a1, a2. */
#define TEST_RR_OP(n, inst, result, val1, val2)                           \
        TEST_CASE(n, a0, result, li a1, val1; li a2, val2; inst a0, a1, a2)
#define TEST_RR_SRC1_EQ_DEST(n, inst, result, val1, val2)                 \
        TEST_CASE(n, a1, result, li a1, val1; li a2, val2; inst a1, a1, a2)
#define TEST_RR_SRC2_EQ_DEST(n, inst, result, val1, val2)                 \
        TEST_CASE(n, a2, result, li a1, val1; li a2, val2; inst a2, a1, a2)
#define TEST_RR_SRC12_EQ_DEST(n, inst, result, val1)                      \
        TEST_CASE(n, a1, result, li a1, val1; inst a1, a1, a1)
#define TEST_RR_ZEROSRC1(n, inst, result, val)                            \
        TEST_CASE(n, a0, result, li a2, val; inst a0, x0, a2)
#define TEST_RR_ZEROSRC2(n, inst, result, val)                            \
        TEST_CASE(n, a0, result, li a1, val; inst a0, a1, x0)
#define TEST_RR_ZERODEST(n, inst, val1, val2)                             \
        TEST_CASE(n, x0, 0, li a1, val1; li a2, val2; inst x0, a1, a2)
#define TEST_IMM_OP(n, inst, result, val1, imm)                           \
        TEST_CASE(n, a0, result, li a1, val1; inst a0, a1, imm)
#define TEST_IMM_SRC1_EQ_DEST(n, inst, result, val1, imm)                 \
        TEST_CASE(n, a1, result, li a1, val1; inst a1, a1, imm)
#define TEST_IMM_ZEROSRC1(n, inst, result, imm)                           \
        TEST_CASE(n, a0, result, inst a0, x0, imm)
#define TEST_IMM_ZERODEST(n, inst, val1, imm)                             \
        TEST_CASE(n, x0, 0, li a1, val1; inst x0, a1, imm)

/* Loads and stores against a data label: a1 = base, a0 = loaded value. */
#define TEST_LD_OP(n, inst, result, offset, base)                         \
        TEST_CASE(n, a0, result, la a1, base; inst a0, offset(a1))
#define TEST_ST_OP(n, ldinst, stinst, result, offset, base)               \
        TEST_CASE(n, a0, result, la a1, base; li a2, result;              \
                  stinst a2, offset(a1); ldinst a0, offset(a1))

/* Conditional branches: taken forwards and backwards, or not taken. */
#define TEST_BR2_OP_TAKEN(n, inst, val1, val2)                            \
        XPC_CHECK_NUM(n); li TESTNUM, n;                                  \
        li a1, val1; li a2, val2;                                         \
        inst a1, a2, 82f; j xpc_fail;                                     \
83:     j 84f;                                                            \
82:     inst a1, a2, 83b; j xpc_fail;                                     \
84:
#define TEST_BR2_OP_NOTTAKEN(n, inst, val1, val2)                         \
        XPC_CHECK_NUM(n); li TESTNUM, n;                                  \
        li a1, val1; li a2, val2;                                         \
        inst a1, a2, 82f; j 83f;                                          \
82:     j xpc_fail;                                                       \
83:     inst a1, a2, 82b;

/* ---- expected traps ---- */

/*
 * Runs code expecting it to trap with an exception `cause`; execution resumes after code (the
 * rest of code after the trapping instruction is skipped). Afterwards t5 = epc, t6 = tval, and
 * tp is 0 again (the cause check leaves it so), so the next trap is unexpected.
 */
#define TEST_TRAP(n, cause, ...)                                          \
        XPC_CHECK_NUM(n); li TESTNUM, n;                                  \
        la tp, 85f;                                                       \
        __VA_ARGS__;                                                      \
85:     addi tp, tp, -(cause); bnez tp, xpc_fail;

/*
 * As TEST_TRAP for an AMO, whose faults are the store/AMO ones (6, 7, 15). QEMU 7.2 reports
 * misaligned and faulting AMOs with the load causes (4, 5, 13) instead; built for QEMU
 * (XPC_QEMU defined) either is accepted.
 */
#ifdef XPC_QEMU
#define TEST_TRAP_AMO(n, cause, ...)                                      \
        XPC_CHECK_NUM(n); li TESTNUM, n;                                  \
        la tp, 85f;                                                       \
        __VA_ARGS__;                                                      \
85:     addi tp, tp, -(cause); beqz tp, 79f;                              \
        addi tp, tp, 2; bnez tp, xpc_fail;                                \
79:
#else
#define TEST_TRAP_AMO(n, cause, ...) TEST_TRAP(n, cause, __VA_ARGS__)
#endif

/* As TEST_TRAP, and also requires tval == expected (a constant). */
#define TEST_TRAP_TVAL(n, cause, tval, ...)                               \
        TEST_TRAP(n, cause, __VA_ARGS__)                                  \
        li tp, tval; bne t6, tp, xpc_fail; li tp, 0;

/* As TEST_TRAP, and also requires tval == reg (set up before, and kept by code). */
#define TEST_TRAP_TVAL_REG(n, cause, reg, ...)                            \
        TEST_TRAP(n, cause, __VA_ARGS__)                                  \
        bne t6, reg, xpc_fail;

/*
 * One trapping instruction: requires the cause and epc == the instruction's address (as seen by
 * the trapping code). Afterwards t6 = tval (compare with CHECK_REG(t6, reg)).
 */
#define TEST_TRAP_AT(n, cause, ...)                                       \
        XPC_CHECK_NUM(n); li TESTNUM, n;                                  \
        la tp, 86f;                                                       \
87:     __VA_ARGS__;                                                      \
86:     addi tp, tp, -(cause); bnez tp, xpc_fail;                         \
        la tp, 87b; bne t5, tp, xpc_fail; li tp, 0;

/* Runs code expecting an interrupt with the given code (cause = 1<<63 | code). */
#define TEST_INTERRUPT(n, code, ...)                                      \
        XPC_CHECK_NUM(n); li TESTNUM, n;                                  \
        la tp, 88f;                                                       \
        __VA_ARGS__;                                                      \
88:     CHECK_INTERRUPT(code)

/*
 * For a trap window opened by hand with EXPECT_TRAP_AT(label) (e.g. before an xret into a
 * mode where a pending interrupt is taken at once): at label, require the exception cause or
 * the interrupt code. Both leave tp = 0.
 */
#define CHECK_TRAP(cause)                                                 \
        addi tp, tp, -(cause); bnez tp, xpc_fail;
#define CHECK_INTERRUPT(code)                                             \
        bgez tp, xpc_fail; slli tp, tp, 1;                                \
        addi tp, tp, -2 * (code); bnez tp, xpc_fail;

/* Closes a trap window opened by hand (EXPECT_TRAP_AT) that did not trap. */
#define TRAP_DONE li tp, 0;

/* Opens a trap window by hand: a trap resumes at label, with tp = cause. */
#define EXPECT_TRAP_AT(label) la tp, label;

/* ---- privilege changes ---- */

/* From M-mode: continue at label in S-mode / U-mode / M-mode (through mret). */
#define XPC_MRET_TO(label, mpp)                                           \
        li t6, MSTATUS_MPP; csrc mstatus, t6;                             \
        li t6, mpp; csrs mstatus, t6;                                     \
        la t6, label; csrw mepc, t6; mret;
#define GOTO_S(label) XPC_MRET_TO(label, MSTATUS_MPP_S)
#define GOTO_U(label) XPC_MRET_TO(label, 0)

/*
 * From S- or U-mode: continue in M-mode after this point (through ecall; a delegated ecall is
 * forwarded by the S-mode handler, so this works unless medeleg delegates S-mode ecalls too).
 */
#define RETURN_TO_M                                                       \
        la t5, 89f; li tp, -2; ecall;                                     \
89:     li tp, 0;

/* ---- the harness (gas macros, expanded once by TEST_END) ---- */

        .macro xpc_clear_registers
        .irp r, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15, x16, x17, x18, x19, x20, x21, x22, x23, x24, x25, x26, x27, x28, x29, x30, x31
        li \r, 0
        .endr
        .endm

        .macro xpc_harness
/*
 * A case failed (gp names it). Reading mstatus is the probe for the mode: in M-mode it reads and
 * the report is direct; in S/U-mode it traps with tp = -1, and the handler that takes the trap
 * reports from its own mode.
 */
xpc_fail:
        fence
        li tp, -1
        csrr t6, mstatus
        li a0, 0
        j xpc_report

/* The M-mode handler (direct mode). */
        .balign 4
xpc_mtrap:
        beqz tp, 1f
        not tp, tp
        beqz tp, 2f             /* tp was -1: a failing case in S/U-mode */
        addi tp, tp, -1
        beqz tp, 3f             /* tp was -2: RETURN_TO_M */
        not tp, tp
        addi tp, tp, -1         /* undo the probe: tp = resume address again */
        csrr t5, mepc
        csrw mepc, tp
        csrr tp, mcause
        bgez tp, 4f
        li t6, 1                /* an interrupt: disable it in mie, or it comes straight back, */
        sll t6, t6, tp
        csrc mie, t6
        li t6, MSTATUS_MPIE     /* and return with MIE clear, so no other one lands before the */
        csrc mstatus, t6        /* case has checked this one */
4:      csrr t6, mtval
        mret
1:      li a0, 1
        csrr a1, mcause
        csrr a2, mepc
        csrr a3, mtval
        j xpc_report
2:      li a0, 0
        j xpc_report
3:      li tp, MSTATUS_MPP
        csrs mstatus, tp        /* MPP = M: the mret below stays in M-mode */
        csrw mepc, t5
        li tp, 0
        mret

/* The S-mode handler: traps delegated to S-mode, same protocol. */
        .balign 4
xpc_strap:
        beqz tp, 1f
        not tp, tp
        beqz tp, 2f
        addi tp, tp, -1
        beqz tp, 3f
        not tp, tp
        addi tp, tp, -1
        csrr t5, sepc
        csrw sepc, tp
        csrr tp, scause
        bgez tp, 4f
        li t6, 1
        sll t6, t6, tp
        csrc sie, t6
        li t6, MSTATUS_SPIE
        csrc sstatus, t6
4:      csrr t6, stval
        sret
1:      li a0, 2
        csrr a1, scause
        csrr a2, sepc
        csrr a3, stval
        j xpc_sreport
2:      li a0, 0
        j xpc_sreport
3:      li tp, -2               /* forward RETURN_TO_M: an ecall from S-mode reaches M-mode */
        ecall

/* Reporting from S-mode: paging off first (the board's devices are mapped 1:1 then). */
xpc_sreport:
        csrw satp, zero
        sfence.vma
        la t0, xpc_panic
        csrw stvec, t0
        j xpc_report_body

/*
 * a0 = 0 (a case failed), 1 (unexpected trap in M-mode), 2 (unexpected trap in S-mode);
 * a1..a3 = cause, epc, tval of the trap. Writes one line to the UART and stops the board.
 * Uses only RV64I, and a trap on the way ends the run through xpc_panic.
 */
xpc_report:
        la t0, xpc_panic
        csrw mtvec, t0
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
xpc_report_body:
        mv s0, a0
        mv s1, a1
        mv s2, a2
        mv s3, a3
        beqz s0, 4f
        la a0, xpc_msg_trap
        call xpc_puts
        li a0, 'M'
        li t0, 1
        beq s0, t0, 5f
        li a0, 'S'
5:      call xpc_putc
        la a0, xpc_msg_test
        call xpc_puts
        mv a0, gp
        call xpc_putdec
        la a0, xpc_msg_cause
        call xpc_puts
        mv a0, s1
        call xpc_puthex
        la a0, xpc_msg_epc
        call xpc_puts
        mv a0, s2
        call xpc_puthex
        la a0, xpc_msg_tval
        call xpc_puts
        mv a0, s3
        call xpc_puthex
        li a0, '\n'
        call xpc_putc
        li a0, XPC_EXIT_UNEXPECTED_TRAP
        j xpc_exit
4:      la a0, xpc_msg_fail
        call xpc_puts
        mv a0, gp
        call xpc_putdec
        li a0, '\n'
        call xpc_putc
        mv a0, gp
        li t0, 250
        bgtu a0, t0, 6f
        bnez a0, xpc_exit
6:      li a0, XPC_EXIT_BAD_TESTNUM
/* a0 = exit code (1..255). */
xpc_exit:
        fence
        slli a0, a0, 16
        li t0, FINISHER_FAIL
        or a0, a0, t0
        li t0, FINISHER_BASE
        sw a0, 0(t0)
7:      j 7b

/* A trap while reporting: stop without printing. */
        .balign 4
xpc_panic:
        li a0, (XPC_EXIT_HARNESS_FAULT << 16) | FINISHER_FAIL
        li t0, FINISHER_BASE
        sw a0, 0(t0)
8:      j 8b

/* a0 = character. Waits (boundedly) for the transmitter. */
xpc_putc:
        li t0, UART_BASE
        li t2, 100000
1:      lbu t1, UART_LSR(t0)
        andi t1, t1, UART_LSR_THRE
        bnez t1, 2f
        addi t2, t2, -1
        bnez t2, 1b
2:      sb a0, 0(t0)
        ret

/* a0 = NUL-terminated string. */
xpc_puts:
        mv t3, ra
        mv t4, a0
1:      lbu a0, 0(t4)
        beqz a0, 2f
        call xpc_putc
        addi t4, t4, 1
        j 1b
2:      mv ra, t3
        ret

/* a0 = value, as 0x and 16 hex digits. */
xpc_puthex:
        mv t3, ra
        mv t4, a0
        li a0, '0'
        call xpc_putc
        li a0, 'x'
        call xpc_putc
        li t5, 60
1:      srl a0, t4, t5
        andi a0, a0, 15
        addi a0, a0, '0'
        li t6, '9'
        ble a0, t6, 2f
        addi a0, a0, 'a' - '0' - 10
2:      call xpc_putc
        addi t5, t5, -4
        bgez t5, 1b
        mv ra, t3
        ret

/* a0 = value below 100000, in decimal, by repeated subtraction (no M extension needed). */
xpc_putdec:
        mv t3, ra
        mv t4, a0
        li t5, 10000
        li t6, 0                /* a nonzero digit was printed: later zeros count */
1:      li a0, '0'
2:      bltu t4, t5, 3f
        sub t4, t4, t5
        addi a0, a0, 1
        j 2b
3:      li t0, '0'
        bne a0, t0, 4f
        bnez t6, 4f
        li t0, 1
        bne t5, t0, 5f          /* leading zero: skipped, except for the last digit */
4:      li t6, 1
        call xpc_putc
5:      li t0, 10
        li t1, 0
6:      bltu t5, t0, 7f         /* t5 /= 10, by counting */
        sub t5, t5, t0
        addi t1, t1, 1
        j 6b
7:      mv t5, t1
        bnez t5, 1b
        mv ra, t3
        ret

        .pushsection .rodata
xpc_msg_fail:  .asciz "FAIL: test "
xpc_msg_trap:  .asciz "FAIL: unexpected trap in "
xpc_msg_test:  .asciz "-mode handler, test "
xpc_msg_cause: .asciz ", cause "
xpc_msg_epc:   .asciz ", epc "
xpc_msg_tval:  .asciz ", tval "
        .popsection
        .endm

#endif
