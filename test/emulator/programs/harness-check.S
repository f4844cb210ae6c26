/*
 * harness-check.S — checks the harness itself: that a failing case and an unexpected trap are
 * reported (UART line and exit code) from every mode. Not a test program of its own: built once
 * per SCENARIO (see HARNESS_SCENARIOS in programs.ts), each of which must end with its code.
 *   1 a case fails in M-mode            -> exit 7
 *   2 a case fails in U-mode            -> exit 9
 *   3 a case fails in S-mode, the probe trap delegated to S-mode, under Sv39 -> exit 19
 *   4 an unexpected trap in M-mode      -> exit 255
 *   5 an unexpected trap taken in S-mode under Sv39 -> exit 255
 *   6 every case passes (after an expected trap in U-mode) -> exit 0
 */
#include "test-macros.h"

#ifndef SCENARIO
#define SCENARIO 6
#endif

/* root table: one gigapage, RAM at its own address, for S-mode only */
#define MAP_RAM_AND_ENABLE_SV39                                           \
        la a0, pt_root; li a1, RAM_BASE >> 12; slli a1, a1, 10;          \
        ori a1, a1, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;        \
        sd a1, 2 * 8(a0);                                                 \
        srli a0, a0, 12; li a1, SATP_MODE_SV39; or a0, a0, a1;            \
        csrw satp, a0; sfence.vma;

TEST_BEGIN
        TEST_RR_OP(1, add, 3, 1, 2)

#if SCENARIO == 1
        TEST_RR_OP(7, add, 4, 1, 2)
#elif SCENARIO == 2
        GOTO_U(1f)
1:      TEST_RR_OP(8, add, 3, 1, 2)
        TEST_RR_OP(9, sub, 3, 1, 2)
#elif SCENARIO == 3
        li t0, 1 << CAUSE_ILLEGAL_INSTRUCTION
        csrw medeleg, t0
        MAP_RAM_AND_ENABLE_SV39
        GOTO_S(1f)
1:      TEST_CASE(19, a0, 5, li a0, 4)
#elif SCENARIO == 4
        li gp, 77
        ebreak
#elif SCENARIO == 5
        li t0, 1 << CAUSE_LOAD_PAGE_FAULT
        csrw medeleg, t0
        MAP_RAM_AND_ENABLE_SV39
        GOTO_S(1f)
1:      li gp, 78
        li a0, 0x1000
        ld a0, 0(a0)
#else
        GOTO_U(1f)
1:      TEST_TRAP(2, CAUSE_USER_ECALL, ecall)
        RETURN_TO_M
        TEST_RR_OP(3, add, 3, 1, 2)
#endif
        TEST_PASS
        TEST_END

        .bss
        .balign 4096
pt_root:
        .skip 4096
