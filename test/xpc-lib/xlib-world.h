/*
 * xlib-world.h — a bare-metal world for testing the XPC user library (kernel/lib/xpc) without a
 * kernel. M-mode plays the kernel once at start: it builds three domains, each a U-mode address
 * space (Sv39, its own ASID) that maps
 *   - gigapage 0 (the UART and the test finisher) to itself, U RW, so U-mode code reports directly;
 *   - RAM 0x8000_0000..0x803F_FFFF (this program's code and shared data) to itself, U RWX;
 *   - the private window 0x8040_0000..0x805F_FFFF (section .bss.xpcpriv: the library's call
 *     slots and context pools, the main stack) to a 2 MiB frame of its own, so that every domain
 *     has its own copy of the library's state, as separate processes would;
 * and nothing else: the kernel data (section .bss.kworld at 0x8060_0000: the x-entry table, the
 * cap bitmaps, the link stack, the seg-lists, the relay-segment buffers and the page tables) is
 * out of U-mode's reach, and relay-segment VAs (0x4000_0000...) are mapped by no page table.
 * The x-entry table comes from the program's `xw_entries` list (XW_ENTRY lines: id 1, 2, ... in
 * order); every domain may call every entry. Domain 1 starts at `main` in U-mode with sp at the
 * top of its private main stack, holding relay segment S0 (SEG0_VA, 4 KiB, RW) in seg-reg;
 * seg-lists (2 slots each): domain 1: empty, S1; domain 2: empty, SB; domain 3: empty, empty.
 *
 * Reporting (U-mode, any domain): XW_CHECK(n, reg, value) fails case n unless reg == value, with
 * "FAIL: test n: got X expected Y" on the UART and exit code n; XW_PASS ends the run with 0. Any
 * trap ends the run with a "TRAP cause epc tval" line and exit code 255, except the simulated
 * kernel's dead-callee recovery: `ecall` with a7 = XW_ECALL_DIE from a callee pops the top
 * linkage record as the kernel will (issue #7) and resumes the caller at its ret_pc with
 * a7 = XPC_E_DEAD_CALLEE and every other register zero.
 */
#ifndef XLIB_WORLD_H
#define XLIB_WORLD_H

#define FINISHER_BASE 0x100000
#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333
#define UART_BASE     0x10000000
#define RAM_BASE      0x80000000
#define PRIV_VA       0x80400000
#define MEGA          0x200000
#define SATP_SV39     0x8000000000000000
#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_A 0x40
#define PTE_D 0x80
#define MSTATUS_MPP 0x1800

/* The world's size: a user of this header (bench/ipc/bare) may define these first. */
#ifndef NDOMAINS
#define NDOMAINS   3
#endif
#define LINK_RECS  40
#define SEG0_VA    0x40000000
#ifndef SEG0_LEN
#define SEG0_LEN   0x1000
#endif
#ifndef SEG1_VA
#define SEG1_VA    0x40010000
#endif
#define SEG1_LEN   0x100
#ifndef SEGB_VA
#define SEGB_VA    0x40020000
#endif
#define SEGB_LEN   0x100
#define PAT_SEGB   0x5e9b000000000000
#define MAIN_STACK 0x4000

#define XW_ECALL_DIE 0xdead

/* x-entry layout (docs/xpc-isa.md) */
#define XE_SATP 0
#define XE_CAP 8
#define XE_PC 16
#define XE_SEGLIST 24
#define XE_SEGLEN 32
#define XE_DOMAIN 40
#define XE_FLAGS 48
#define LR_SATP 0
#define LR_RET_PC 8
#define LR_XCAP 16
#define LR_SEGLIST 24
#define LR_SEGLEN 32
#define LR_DOMAIN 40
#define LR_CALLER 48
#define LR_SEG_VA 56
#define LR_SEG_PA 64
#define LR_SEG_LEN 72
#define LR_SEG_PERM 80
#define LR_FLAGS 112

/* case n fails unless reg == value (clobbers t6, and a0..a2 on failure) */
#define XW_CHECK(n, reg, value)                                           \
        li t6, value; beq reg, t6, 99f;                                   \
        mv a1, reg; mv a2, t6; li a0, n; j xw_fail;                       \
99:
#define XW_PASS                                                           \
        fence; li t6, FINISHER_BASE; li t5, FINISHER_PASS; sw t5, 0(t6);  \
98:     j 98b;

/* one x-entry: id = its position in the list (from 1), owned by `domain` */
#define XW_ENTRY(domain, pc) .dword domain, pc;

/* The private window starts with 1 KiB of padding: the page-aligned start of the window would
 * share D-cache set 0 with the PTEs of every walk (see xw_pts). */
#define XW_BEGIN                                                          \
        .section .text.init, "ax";                                        \
        .globl _start;                                                    \
_start: j xw_start;                                                       \
        .pushsection .bss.xpcpriv; xw_priv_pad: .skip 1024; .popsection;  \
        .text;

/* The list of x-entries, then the support code (once, at the end). */
#define XW_ENTRIES_BEGIN .pushsection .rodata; .balign 8; xw_entries:
#define XW_ENTRIES_END   .dword 0, 0; .popsection; xw_support

        .macro xw_support
        .pushsection .text
/* ---- M-mode: build the world, enter domain 1 ---- */
xw_start:
        la t0, 1f
        csrw mtvec, t0
        li t0, -1
        csrw 0x3b0, t0                  /* PMP open, where there is PMP */
        li t0, 0x1f
        csrw 0x3a0, t0
        .balign 4
1:      la t0, xw_mtrap
        csrw mtvec, t0
        csrw medeleg, zero
        csrw mideleg, zero
        csrw mie, zero
        li t0, 7
        csrw mcounteren, t0
        csrw scounteren, t0
        /* page tables: domain d (1..3) */
        li s0, 1
2:      addi s1, s0, -1
        slli s1, s1, 13                 /* root at pts + 8 KiB * (d - 1), its L1 4 KiB above */
        la t0, xw_pts
        add s1, s1, t0                  /* s1 = root */
        li t1, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
        sd t1, 0(s1)                    /* gigapage 0: devices */
        li t0, 4096
        add s2, s1, t0                  /* s2 = L1 of RAM's gigapage */
        srli t1, s2, 12
        slli t1, t1, 10
        ori t1, t1, PTE_V
        sd t1, 16(s1)
        li t2, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D
        li t1, RAM_BASE
        srli t1, t1, 12
        slli t1, t1, 10
        or t1, t1, t2
        sd t1, 0(s2)
        li t3, MEGA >> 2
        add t1, t1, t3
        sd t1, 8(s2)
        mv a0, s0
        call xw_priv_pa
        srli t1, a0, 12
        slli t1, t1, 10
        or t1, t1, t2
        sd t1, 16(s2)
        srli t1, s1, 12                 /* satp_d */
        li t0, SATP_SV39
        or t1, t1, t0
        slli t0, s0, 44
        or t1, t1, t0
        la t0, xw_satp
        slli t3, s0, 3
        add t0, t0, t3
        sd t1, 0(t0)
        la t0, xw_caps                  /* every domain may call entries 0..63 */
        add t0, t0, t3
        li t1, -1
        sd t1, 0(t0)
        addi s0, s0, 1
        li t0, NDOMAINS
        ble s0, t0, 2b
        /* seg-lists: 1: (empty, S1); 2: (empty, SB); 3: (empty, empty). 32 bytes a slot. */
        la t0, xw_seglists + 1 * 64 + 32
        li t1, SEG1_VA
        sd t1, 0(t0)
        la t1, xw_seg1
        sd t1, 8(t0)
        li t1, SEG1_LEN
        sd t1, 16(t0)
        li t1, 3
        sd t1, 24(t0)
        la t0, xw_seglists + 2 * 64 + 32
        li t1, SEGB_VA
        sd t1, 0(t0)
        la t1, xw_segb
        sd t1, 8(t0)
        li t1, SEGB_LEN
        sd t1, 16(t0)
        li t1, 3
        sd t1, 24(t0)
        la t0, xw_segb                  /* SB's dword k = PAT_SEGB + k */
        li t1, PAT_SEGB
        li t2, SEGB_LEN / 8
3:      sd t1, 0(t0)
        addi t0, t0, 8
        addi t1, t1, 1
        addi t2, t2, -1
        bnez t2, 3b
        /* the x-entry table from xw_entries */
        la s0, xw_entries
        li s1, 1                        /* id */
4:      ld a0, 0(s0)                    /* domain */
        beqz a0, 5f
        la t0, xw_xtab
        slli t1, s1, 6
        add t0, t0, t1
        slli t3, a0, 3
        la t1, xw_satp
        add t1, t1, t3
        ld t1, 0(t1)
        sd t1, XE_SATP(t0)
        la t1, xw_caps
        add t1, t1, t3
        sd t1, XE_CAP(t0)
        ld t1, 8(s0)
        sd t1, XE_PC(t0)
        la t1, xw_seglists
        slli t2, a0, 6
        add t1, t1, t2
        sd t1, XE_SEGLIST(t0)
        li t1, 2
        sd t1, XE_SEGLEN(t0)
        sd a0, XE_DOMAIN(t0)
        li t1, 1
        sd t1, XE_FLAGS(t0)
        addi s0, s0, 16
        addi s1, s1, 1
        j 4b
5:      /* the XPC registers: domain 1 at home, holding S0 */
        la t0, xw_xtab
        csrw xentry_base, t0
        csrw xentry_size, s1
        la t0, xw_caps + 8
        csrw xcap, t0
        la t0, xw_lstack
        csrw xlink, t0
        csrw xlink_base, t0
        li t1, LINK_RECS * 128
        add t0, t0, t1
        csrw xlink_limit, t0
        la t0, xw_seglists + 64
        csrw xseglist, t0
        li t0, 2
        csrw xseglist_len, t0
        li t0, 1
        csrw xdomain, t0
        csrw xcaller, zero
        li t0, SEG0_VA
        csrw xseg_va, t0
        la t0, xw_seg0
        csrw xseg_pa, t0
        li t0, SEG0_LEN
        csrw xseg_len, t0
        li t0, 3
        csrw xseg_perm, t0
        li t0, 3                        /* EN | FLUSH */
        csrw xctl, t0
        la t0, xw_satp + 8
        ld t0, 0(t0)
        csrw satp, t0
        sfence.vma
        la t0, main
        csrw mepc, t0
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        .irp r, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        li x\r, 0
        .endr
        la sp, xw_main_stack + MAIN_STACK
        mret

/* a0 = domain -> a0 = the physical frame behind its private window (domain 1: the window itself) */
xw_priv_pa:
        li t0, 1
        beq a0, t0, 1f
        slli a0, a0, 21
        li t0, PRIV_VA + 2 * MEGA
        add a0, a0, t0                  /* 2 -> 0x80c0_0000, 3 -> 0x80e0_0000 */
        ret
1:      li a0, PRIV_VA
        ret

/* ---- M-mode traps: the dead-callee recovery on request, any other trap ends the run ---- */
        .balign 4
xw_mtrap:
        csrw mscratch, t0
        csrr t0, mcause
        addi t0, t0, -8
        bnez t0, xw_unexpected
        li t0, XW_ECALL_DIE
        bne a7, t0, xw_unexpected
        /* pop the top linkage record as the kernel will: the caller's state back, VALID cleared */
        csrr t0, xlink
        addi t0, t0, -128
        ld t1, LR_SATP(t0)
        csrw satp, t1
        sfence.vma
        ld t1, LR_XCAP(t0)
        csrw xcap, t1
        ld t1, LR_SEGLIST(t0)
        csrw xseglist, t1
        ld t1, LR_SEGLEN(t0)
        csrw xseglist_len, t1
        ld t1, LR_DOMAIN(t0)
        csrw xdomain, t1
        ld t1, LR_CALLER(t0)
        csrw xcaller, t1
        ld t1, LR_SEG_VA(t0)
        csrw xseg_va, t1
        ld t1, LR_SEG_PA(t0)
        csrw xseg_pa, t1
        ld t1, LR_SEG_LEN(t0)
        csrw xseg_len, t1
        ld t1, LR_SEG_PERM(t0)
        csrw xseg_perm, t1
        csrw segmask_off, zero
        li t1, -1
        csrw segmask_len, t1
        li t1, 3
        csrw segmask_perm, t1
        ld t1, LR_RET_PC(t0)
        csrw mepc, t1
        sd zero, LR_FLAGS(t0)
        csrw xlink, t0
        .irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        li x\r, 0
        .endr
        li a7, XPC_E_DEAD_CALLEE
        mret
xw_unexpected:
        la a0, xw_msg_trap
        call xw_puts
        csrr a0, mcause
        call xw_puthex
        li a0, ' '
        call xw_putc
        csrr a0, mepc
        call xw_puthex
        li a0, ' '
        call xw_putc
        csrr a0, mtval
        call xw_puthex
        li a0, '\n'
        call xw_putc
        li a0, (255 << 16) | FINISHER_FAIL
        li t0, FINISHER_BASE
        sw a0, 0(t0)
1:      j 1b

/* ---- reporting (any mode: the devices are mapped 1:1 for U-mode) ---- */
/* a0 = case, a1 = got, a2 = expected */
xw_fail:
        mv s0, a0
        mv s1, a1
        mv s2, a2
        la a0, xw_msg_fail
        call xw_puts
        mv a0, s0
        call xw_putdec
        la a0, xw_msg_got
        call xw_puts
        mv a0, s1
        call xw_puthex
        la a0, xw_msg_expected
        call xw_puts
        mv a0, s2
        call xw_puthex
        li a0, '\n'
        call xw_putc
        slli a0, s0, 16
        li t0, FINISHER_FAIL
        or a0, a0, t0
        li t0, FINISHER_BASE
        sw a0, 0(t0)
1:      j 1b

/* xw_putc(a0); xw_puts(a0 = string); xw_puthex(a0); xw_putdec(a0): clobber a0, t0..t4 */
xw_putc:
        li t0, UART_BASE
        sb a0, 0(t0)
        ret
xw_puts:
        li t0, UART_BASE
1:      lbu t1, 0(a0)
        beqz t1, 2f
        sb t1, 0(t0)
        addi a0, a0, 1
        j 1b
2:      ret
xw_puthex:
        li t0, UART_BASE
        li t1, '0'
        sb t1, 0(t0)
        li t1, 'x'
        sb t1, 0(t0)
        li t2, 60
1:      srl t1, a0, t2
        andi t1, t1, 15
        li t3, 10
        blt t1, t3, 2f
        addi t1, t1, 'a' - '0' - 10
2:      addi t1, t1, '0'
        sb t1, 0(t0)
        addi t2, t2, -4
        bgez t2, 1b
        ret
xw_putdec:
        li t0, UART_BASE
        la t1, xw_decbuf + 24
        sb zero, 0(t1)
        li t2, 10
1:      remu t3, a0, t2
        addi t3, t3, '0'
        addi t1, t1, -1
        sb t3, 0(t1)
        divu a0, a0, t2
        bnez a0, 1b
2:      lbu t3, 0(t1)
        beqz t3, 3f
        sb t3, 0(t0)
        addi t1, t1, 1
        j 2b
3:      ret
        .popsection

        .pushsection .rodata
xw_msg_trap:     .asciz "TRAP cause/epc/tval "
xw_msg_fail:     .asciz "FAIL: test "
xw_msg_got:      .asciz ": got "
xw_msg_expected: .asciz " expected "
        .popsection

        .pushsection .data
        .balign 8
xw_satp:   .skip 8 * (NDOMAINS + 1)
xw_decbuf: .skip 32
        .popsection

        .pushsection .bss.xpcpriv
        .balign 16
xw_main_stack: .skip MAIN_STACK
        .popsection

        .pushsection .bss.kworld
        .balign 4096
/* Page tables are page-aligned, so the PTEs every walk reads (root[2], L1[0..2]) share
 * D-cache set 0; the engine's data is kept out of that set so that, with Rocket's untagged TLBs
 * (a walk after every xcall/xret), a 4-way cache still holds them all. */
xw_pts:      .skip 8192 * NDOMAINS
xw_xtab:     .skip 32 * 64          /* entries 0..31 */
xw_caps:     .skip 8 * (NDOMAINS + 1)
        .balign 64
xw_seglists: .skip 64 * (NDOMAINS + 1)
        .balign 128
xw_lstack:   .skip 128 * LINK_RECS
        .balign 4096
xw_seg0:     .skip SEG0_LEN
xw_seg1:     .skip SEG1_LEN
xw_segb:     .skip SEGB_LEN
        .popsection
        .endm

#endif
