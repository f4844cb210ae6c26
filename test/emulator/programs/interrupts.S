/*
 * interrupts.S — the CLINT and interrupts: mtime advances; mtimecmp drives mip.MTIP (read-only
 * in mip); a pending, enabled interrupt is taken only with mstatus.MIE in M-mode but always from
 * S/U; cause = 1<<63 | code; WFI stalls until the timer and wakes with MIE clear (execution
 * continues) or set (the interrupt is taken, mepc = the instruction after the WFI); the
 * machine software interrupt through CLINT msip; priority MSI over MTI; vectored mtvec
 * (interrupt n enters at base + 4n); S-mode interrupts set by M-mode in mip and delegated with
 * mideleg, supervisor software interrupts raised by S-mode itself.
 */
#include "test-macros.h"

/* How long a case waits for an interrupt before giving up (loop iterations). */
#define PATIENCE 5000000

/* Spins until an interrupt resumes at the trap window (TEST_INTERRUPT), else fails. */
#define WAIT_FOR_INTERRUPT                                                \
        li a5, PATIENCE; 1: addi a5, a5, -1; bnez a5, 1b; j xpc_fail;

/* a0 = mtime */
#define READ_MTIME(reg) li reg, CLINT_MTIME; ld reg, 0(reg);
/* mtimecmp = mtime + delta (delta > 0) / = value */
#define TIMER_IN(delta)  li t0, CLINT_MTIME; ld t0, 0(t0); li t1, delta; add t0, t0, t1; li t1, CLINT_MTIMECMP; sd t0, 0(t1);
#define TIMER_SET(value) li t0, value; li t1, CLINT_MTIMECMP; sd t0, 0(t1);
#define TIMER_OFF        TIMER_SET(-1)

TEST_BEGIN
        TIMER_OFF

        /* ---- mtime and mtimecmp ---- */
        TEST_RUN(1, READ_MTIME(a0); li a2, PATIENCE; 1: READ_MTIME(a1); bne a1, a0, 2f; addi a2, a2, -1; bnez a2, 1b; j xpc_fail; 2: bltu a1, a0, xpc_fail)
        TEST_RUN(2, li a1, 0x123456789abcdef0; li a2, CLINT_MTIMECMP; sd a1, 0(a2); ld a0, 0(a2); CHECK_REG(a0, a1))
        /* 32-bit halves of the 64-bit registers */
        TEST_RUN(3, li a2, CLINT_MTIMECMP; lwu a0, 0(a2); CHECK(a0, 0x9abcdef0); lwu a0, 4(a2); CHECK(a0, 0x12345678))
        TEST_RUN(4, li a2, CLINT_MTIMECMP; li a1, 0x55; sw a1, 4(a2); ld a0, 0(a2); CHECK(a0, 0x000000559abcdef0))
        /* MTIP follows mtime >= mtimecmp */
        TEST_RUN(5, TIMER_OFF; csrr a0, mip; andi a0, a0, MIP_MTIP; CHECK(a0, 0))
        TEST_RUN(6, TIMER_SET(0); csrr a0, mip; andi a0, a0, MIP_MTIP; CHECK(a0, MIP_MTIP))
        /* ... and is read-only in mip */
        TEST_RUN(7, li a1, MIP_MTIP; csrc mip, a1; csrr a0, mip; andi a0, a0, MIP_MTIP; CHECK(a0, MIP_MTIP))
        TEST_RUN(8, TIMER_OFF; li a1, MIP_MTIP; csrs mip, a1; csrr a0, mip; andi a0, a0, MIP_MTIP; CHECK(a0, 0))
        /* a timer set in the future is not pending yet (far enough for a busy host), and a near one
           becomes pending later */
        TEST_RUN(9, TIMER_IN(0x100000000); csrr a0, mip; andi a0, a0, MIP_MTIP; CHECK(a0, 0); TIMER_IN(500);
                li a2, PATIENCE; 1: csrr a0, mip; andi a0, a0, MIP_MTIP; bnez a0, 2f; addi a2, a2, -1; bnez a2, 1b; j xpc_fail; 2:
                READ_MTIME(a3); li a4, CLINT_MTIMECMP; ld a4, 0(a4); bltu a3, a4, xpc_fail)

        /* ---- taking the timer interrupt ---- */
        /* pending and enabled in mie, but mstatus.MIE = 0: not taken in M-mode */
        TEST_RUN(10, TIMER_SET(0); li a1, MIP_MTIP; csrs mie, a1; li a2, 1000; 1: addi a2, a2, -1; bnez a2, 1b)
        /* MIE = 1: taken (the handler then disables it in mie and returns with MIE clear) */
        TEST_INTERRUPT(11, IRQ_M_TIMER, csrsi mstatus, MSTATUS_MIE; WAIT_FOR_INTERRUPT)
        TEST_RUN(12, csrr a0, mie; CHECK(a0, 0); csrr a0, mip; andi a0, a0, MIP_MTIP; CHECK(a0, MIP_MTIP))
        TEST_RUN(13, TIMER_OFF; csrr a0, mip; andi a0, a0, MIP_MTIP; CHECK(a0, 0))
        /* a timer in the future interrupts a running loop; mcause, mtval = 0 */
        TEST_RUN(14, csrw mcause, zero; li a1, MIP_MTIP; csrs mie, a1)
        TEST_INTERRUPT(15, IRQ_M_TIMER, TIMER_IN(300); csrsi mstatus, MSTATUS_MIE; WAIT_FOR_INTERRUPT)
        TEST_RUN(16, CHECK_TVAL(0); csrci mstatus, MSTATUS_MIE)
        TEST_RUN(17, TIMER_OFF; csrr a0, mcause; li a1, 0x8000000000000007; CHECK_REG(a0, a1))
        /* MIE = 1 but mie.MTIE = 0: not taken */
        TEST_RUN(18, csrw mie, zero; TIMER_SET(0); csrsi mstatus, MSTATUS_MIE; li a2, 1000; 1: addi a2, a2, -1; bnez a2, 1b;
                csrci mstatus, MSTATUS_MIE; TIMER_OFF)

        /* ---- WFI ---- */
        /* MIE = 0, MTIE = 1: WFI returns once the timer is pending (no trap); it stalls meanwhile */
        TEST_RUN(19, li a1, MIP_MTIP; csrs mie, a1; TIMER_IN(400);
                li a2, 1000; 1: addi a2, a2, -1; beqz a2, xpc_fail; wfi; csrr a0, mip; andi a0, a0, MIP_MTIP; beqz a0, 1b;
                READ_MTIME(a3); li a4, CLINT_MTIMECMP; ld a4, 0(a4); bltu a3, a4, xpc_fail; TIMER_OFF)
        /* MIE = 1: the interrupt is taken after the WFI, mepc = the next instruction */
        TEST_INTERRUPT(20, IRQ_M_TIMER, TIMER_IN(400); csrsi mstatus, MSTATUS_MIE; 2: wfi; 3: WAIT_FOR_INTERRUPT)
        TEST_RUN(21, la a0, 3b; CHECK_REG(t5, a0); TIMER_OFF; csrci mstatus, MSTATUS_MIE)

        /* ---- machine software interrupt (CLINT msip) ---- */
        TEST_RUN(22, li a1, CLINT_MSIP; li a0, 1; sw a0, 0(a1); lw a0, 0(a1); CHECK(a0, 1);
                csrr a0, mip; andi a0, a0, MIP_MSIP; CHECK(a0, MIP_MSIP))
        TEST_INTERRUPT(23, IRQ_M_SOFT, li a1, MIP_MSIP; csrs mie, a1; csrsi mstatus, MSTATUS_MIE; WAIT_FOR_INTERRUPT)
        TEST_RUN(24, csrci mstatus, MSTATUS_MIE; li a1, CLINT_MSIP; sw zero, 0(a1); csrr a0, mip; andi a0, a0, MIP_MSIP; CHECK(a0, 0))
        /* both pending: software before timer */
        TEST_RUN(25, li a1, MIP_MTIP | MIP_MSIP; csrs mie, a1; TIMER_SET(0); li a1, CLINT_MSIP; li a0, 1; sw a0, 0(a1))
        TEST_INTERRUPT(26, IRQ_M_SOFT, csrsi mstatus, MSTATUS_MIE; WAIT_FOR_INTERRUPT)
        TEST_INTERRUPT(27, IRQ_M_TIMER, csrsi mstatus, MSTATUS_MIE; WAIT_FOR_INTERRUPT)
        TEST_RUN(28, csrci mstatus, MSTATUS_MIE; li a1, CLINT_MSIP; sw zero, 0(a1))
        TEST_RUN(29, TIMER_OFF; csrr a0, mie; CHECK(a0, 0))

        /* ---- vectored mtvec: interrupt n enters at base + 4n ---- */
        TEST_RUN(30, la t0, vec_table; ori t0, t0, 1; csrw mtvec, t0; la a0, vec_hit; sd zero, 0(a0))
        TEST_INTERRUPT(31, IRQ_M_TIMER, li a1, MIP_MTIP; csrs mie, a1; TIMER_SET(0); csrsi mstatus, MSTATUS_MIE; WAIT_FOR_INTERRUPT)
        TEST_RUN(32, csrci mstatus, MSTATUS_MIE; TIMER_OFF; la a0, vec_hit; ld a0, 0(a0); CHECK(a0, IRQ_M_TIMER))
        TEST_INTERRUPT(33, IRQ_M_SOFT, li a1, MIP_MSIP; csrw mie, a1; li a1, CLINT_MSIP; li a0, 1; sw a0, 0(a1); csrsi mstatus, MSTATUS_MIE; WAIT_FOR_INTERRUPT)
        TEST_RUN(34, csrci mstatus, MSTATUS_MIE; li a1, CLINT_MSIP; sw zero, 0(a1); la a0, vec_hit; ld a0, 0(a0); CHECK(a0, IRQ_M_SOFT))
        /* an exception in vectored mode still enters at the base */
        TEST_TRAP(35, CAUSE_MACHINE_ECALL, ecall)
        TEST_RUN(36, la a0, vec_hit; ld a0, 0(a0); CHECK(a0, 0x100))
        TEST_RUN(37, csrw mie, zero; la t0, xpc_mtrap; csrw mtvec, t0)

        /* ---- M-mode interrupts are always enabled below M, whatever mstatus.MIE ---- */
        /* (pending before the mret: the trap window is opened first) */
        TEST_RUN(38, li a1, MIP_MTIP; csrs mie, a1; TIMER_SET(0); li t0, MSTATUS_MPIE; csrc mstatus, t0)
        EXPECT_TRAP_AT(2f)
        GOTO_S(1f)
1:      WAIT_FOR_INTERRUPT
2:      CHECK_INTERRUPT(IRQ_M_TIMER)
        TEST_RUN(39, csrr a0, sstatus)      /* back in S-mode */
        RETURN_TO_M
        TEST_RUN(40, li a1, MIP_MTIP; csrs mie, a1; li t0, MSTATUS_MPIE; csrc mstatus, t0)
        EXPECT_TRAP_AT(2f)
        GOTO_U(1f)
1:      WAIT_FOR_INTERRUPT
2:      CHECK_INTERRUPT(IRQ_M_TIMER)
        TEST_TRAP(41, CAUSE_ILLEGAL_INSTRUCTION, csrr a0, sstatus)     /* back in U-mode */
        RETURN_TO_M
        TEST_RUN(42, TIMER_OFF; csrw mie, zero)

        /* ---- S-mode interrupts ---- */
        /* STIP set by M-mode, not delegated: an M-mode trap with cause 5 */
        TEST_INTERRUPT(43, IRQ_S_TIMER, li a1, MIP_STIP; csrs mip, a1; csrs mie, a1; csrsi mstatus, MSTATUS_MIE; WAIT_FOR_INTERRUPT)
        TEST_RUN(44, csrci mstatus, MSTATUS_MIE; li a1, MIP_STIP; csrc mip, a1)
        /* delegated: taken by S-mode when sstatus.SIE and sie.STIE */
        TEST_RUN(45, li a1, MIP_STIP | MIP_SSIP; csrw mideleg, a1; li a1, MIP_STIP; csrs mie, a1; csrs mip, a1; csrw scause, zero;
                csrci mstatus, MSTATUS_SIE)
        GOTO_S(1f)
        /* in S-mode with SIE = 0: not taken */
1:      TEST_RUN(46, li a2, 1000; 2: addi a2, a2, -1; bnez a2, 2b; csrr a0, sip; andi a0, a0, MIP_STIP; CHECK(a0, MIP_STIP))
        TEST_INTERRUPT(47, IRQ_S_TIMER, csrsi sstatus, MSTATUS_SIE; WAIT_FOR_INTERRUPT)
        TEST_RUN(48, csrr a0, scause; li a1, 0x8000000000000005; CHECK_REG(a0, a1); csrr a0, sie; andi a0, a0, MIP_STIP; CHECK(a0, 0);
                csrci sstatus, MSTATUS_SIE)
        RETURN_TO_M
        /* a delegated interrupt is not taken in M-mode, even with MIE */
        TEST_RUN(49, li a1, MIP_STIP; csrs mie, a1; csrsi mstatus, MSTATUS_MIE; li a2, 1000; 1: addi a2, a2, -1; bnez a2, 1b;
                csrci mstatus, MSTATUS_MIE)
        /* in U-mode, S interrupts are enabled whatever SIE says (SIE = 0 here) */
        TEST_RUN(50, li a1, MIP_STIP; csrs mip, a1)
        EXPECT_TRAP_AT(2f)
        GOTO_U(1f)
1:      WAIT_FOR_INTERRUPT
2:      CHECK_INTERRUPT(IRQ_S_TIMER)
        RETURN_TO_M
        TEST_RUN(51, li a1, MIP_STIP; csrc mip, a1; csrr a0, scause; li a1, 0x8000000000000005; CHECK_REG(a0, a1))
        /* S-mode raises its own software interrupt through sip.SSIP */
        GOTO_S(1f)
1:      TEST_INTERRUPT(52, IRQ_S_SOFT, csrsi sie, MIP_SSIP; csrsi sstatus, MSTATUS_SIE; csrsi sip, MIP_SSIP; WAIT_FOR_INTERRUPT)
        TEST_RUN(53, csrci sstatus, MSTATUS_SIE; csrci sip, MIP_SSIP; csrr a0, sip; andi a0, a0, MIP_SSIP; CHECK(a0, 0))
        RETURN_TO_M
        TEST_RUN(54, csrw mideleg, zero; csrw mie, zero; csrw mip, zero)

        TEST_PASS

/* Vectored mode: the slot records its number, then the harness's handler. */
        .balign 256
vec_table:
        .option push
        .option norvc
        j vec_exception
        .rept 2
        j xpc_fail
        .endr
        j vec_msi
        .rept 3
        j xpc_fail
        .endr
        j vec_mti
        .rept 8
        j xpc_fail
        .endr
        .option pop
vec_exception:
        la t5, vec_hit
        li t6, 0x100
        sd t6, 0(t5)
        j xpc_mtrap
vec_msi:
        la t5, vec_hit
        li t6, IRQ_M_SOFT
        sd t6, 0(t5)
        j xpc_mtrap
vec_mti:
        la t5, vec_hit
        li t6, IRQ_M_TIMER
        sd t6, 0(t5)
        j xpc_mtrap

        TEST_END

        .data
        .balign 8
vec_hit:
        .dword 0
