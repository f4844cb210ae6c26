/*
 * boot.S — machine mode: the first code after the boot ROM, and the M-mode trap handler.
 * Runs at physical addresses (no translation in M-mode), so it uses only pc-relative `la`.
 * It delegates every user exception and the supervisor interrupts to S-mode, owns the CLINT
 * timer (forwarding each tick to S-mode as STIP; S-mode re-arms it with an ecall), builds the
 * kernel's root page table (the upper-half window) and drops to the S-mode kernel.
 */
        .include "abi.inc"

        .equ    MIP_STIP, 0x20
        .equ    MIE_MTIE, 0x80
        .equ    MIE_STIE, 0x20
        .equ    MSTATUS_MPP_S, 0x800
        .equ    PTE_KERNEL_RW, 0xe7      /* V R W . . G A D */
        .equ    PTE_KERNEL_RWX, 0xef     /* V R W X . G A D */
        .equ    SATP_SV39, 0x8000000000000000

        .section .text.init, "ax"
        .globl  _start
_start:
        la      t0, m_save
        csrw    mscratch, t0
        la      t0, m_trap
        csrw    mtvec, t0
        li      t0, 0x3f00b1ff          /* every exception from U (and S page faults) except ecall from S; XPC 24–29 */
        csrw    medeleg, t0
        li      t0, 0x222               /* supervisor software, timer and external interrupts */
        csrw    mideleg, t0
        li      t0, 7
        csrw    mcounteren, t0          /* cycle, time, instret readable below M */
        li      t0, -1
        li      t1, CLINT_MTIMECMP
        sd      t0, 0(t1)               /* no tick until the kernel arms one */
        li      t0, MIE_MTIE | MIE_STIE
        csrw    mie, t0
        /* The kernel window: gigapages at VPN2 256 (PA 0: devices) and 258 (PA 2 GiB: RAM). */
        la      t0, kernel_root_pt
        li      t2, 256*8
        add     t2, t2, t0
        li      t1, PTE_KERNEL_RW
        sd      t1, 0(t2)
        li      t1, ((0x80000000 >> 12) << 10) | PTE_KERNEL_RWX
        sd      t1, 16(t2)
        srli    t0, t0, 12
        li      t1, SATP_SV39
        or      t0, t0, t1
        csrw    satp, t0
        sfence.vma
        li      t0, MSTATUS_MPP_S
        csrw    mstatus, t0
        la      t0, kernel_main
        li      t1, KERNEL_OFFSET
        add     t0, t0, t1
        csrw    mepc, t0
        mret

/*
 * M-mode traps: the machine timer (forwarded as STIP) and ecall from S (set the next tick:
 * a0 = mtimecmp value; clears STIP). Anything else is a kernel bug: stop the board with code 99.
 */
        .balign 4
m_trap:
        csrrw   sp, mscratch, sp
        sd      t0, 0(sp)
        sd      t1, 8(sp)
        csrr    t0, mcause
        bltz    t0, 1f
        li      t1, 9
        bne     t0, t1, m_panic
        li      t1, CLINT_MTIMECMP
        sd      a0, 0(t1)
        li      t1, MIP_STIP
        csrc    mip, t1
        li      t1, MIE_MTIE
        csrs    mie, t1
        csrr    t0, mepc
        addi    t0, t0, 4
        csrw    mepc, t0
        j       2f
1:      li      t1, MIE_MTIE
        csrc    mie, t1
        li      t1, MIP_STIP
        csrs    mip, t1
2:      ld      t0, 0(sp)
        ld      t1, 8(sp)
        csrrw   sp, mscratch, sp
        mret
m_panic:
        li      t0, 0x100000
        li      t1, (99 << 16) | 0x3333
        sw      t1, 0(t0)
        j       m_panic

        .bss
        .balign 16
m_save: .skip   64
