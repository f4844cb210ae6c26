/*
 * boot.S — the M-mode "kernel" of the bare-metal XPC example: it builds what the XPC engine
 * reads (an x-entry table, the client's xcall-cap bitmap, a link stack, a relay segment), gives
 * each domain its own Sv39 page table and address-space id, and drops to the client in U-mode.
 * The client's ecall ends the run: exit code a0 through the SiFive test finisher.
 *
 * Build and run:  npx xpc asm -o bare-xpc.elf boot.S && npx xpc run bare-xpc.elf
 */
#include "board.h"

        .section .text.init, "ax"
        .globl  _start
_start:
        la      t0, trap
        csrw    mtvec, t0

        /* two address spaces: satp = Sv39 | ASID << 44 | PPN of the root table */
        la      t0, client_pt
        srli    t0, t0, 12
        li      t1, SATP_SV39 | (1 << 44)
        or      s0, t0, t1              /* s0 = the client's satp */
        la      t0, server_pt
        srli    t0, t0, 12
        li      t1, SATP_SV39 | (2 << 44)
        or      s1, t0, t1              /* s1 = the server's satp */

        /* x-entry ECHO_ENTRY: the server's satp, entry point and domain, VALID */
        la      t0, xentries + ECHO_ENTRY * XENTRY_SIZE
        sd      s1, 0(t0)               /* satp */
        la      t1, server_caps
        sd      t1, 8(t0)               /* xcap */
        la      t1, server_echo
        sd      t1, 16(t0)              /* entry_pc */
        sd      zero, 24(t0)            /* xseglist: none */
        sd      zero, 32(t0)            /* xseglist_len */
        li      t1, 2
        sd      t1, 40(t0)              /* domain 2: the server */
        li      t1, 1
        sd      t1, 48(t0)              /* flags: VALID */

        /* the engine's registers for the client's thread (domain 1) */
        la      t0, xentries
        csrw    xentry_base, t0
        li      t0, 2
        csrw    xentry_size, t0
        la      t0, client_caps
        csrw    xcap, t0
        la      t0, link_stack
        csrw    xlink, t0
        csrw    xlink_base, t0
        addi    t0, t0, 4 * LINK_RECORD
        csrw    xlink_limit, t0
        csrw    xseglist, zero
        csrw    xseglist_len, zero
        li      t0, 1
        csrw    xdomain, t0
        /* the client owns the relay segment that carries the message */
        li      t0, MSG_VA
        csrw    xseg_va, t0
        la      t0, message_buffer
        csrw    xseg_pa, t0
        li      t0, MSG_LEN
        csrw    xseg_len, t0
        li      t0, SEG_RW
        csrw    xseg_perm, t0
        li      t0, XCTL_EN | XCTL_FLUSH
        csrw    xctl, t0

        /* into the client, U-mode, in its own address space */
        csrw    satp, s0
        sfence.vma
        li      t0, MSTATUS_MPP
        csrc    mstatus, t0             /* MPP = U */
        la      t0, client_main
        csrw    mepc, t0
        la      sp, client_stack_top
        mret

/* Any trap ends the run: the client's ecall with its a0, anything else as a failure. */
        .balign 4
trap:
        csrr    t0, mcause
        li      t1, CAUSE_U_ECALL
        bne     t0, t1, 1f
        li      t0, FINISHER_BASE
        li      t1, FINISHER_PASS
        beqz    a0, 2f
        slli    t1, a0, 16
        li      t2, FINISHER_FAIL
        or      t1, t1, t2
2:      sw      t1, 0(t0)
1:      li      t0, FINISHER_BASE
        li      t1, (255 << 16) | FINISHER_FAIL
        sw      t1, 0(t0)
3:      j       3b

#include "client.S"
#include "server.S"

        .data
        .balign 4096
/* Both tables map the I/O gigapage and RAM 1:1; they differ only in being two address spaces. */
client_pt:
        .dword  PTE_IO
        .dword  0
        .dword  (0x80000000 >> 2) | PTE_RAM
        .skip   4096 - 24
server_pt:
        .dword  PTE_IO
        .dword  0
        .dword  (0x80000000 >> 2) | PTE_RAM
        .skip   4096 - 24

        .balign 64
xentries:
        .skip   2 * XENTRY_SIZE         /* entry 0 is reserved, entry 1 is the echo server */
client_caps:
        .byte   1 << ECHO_ENTRY         /* the client may call ECHO_ENTRY */
server_caps:
        .byte   0                       /* the server calls nobody */
        .balign 128
link_stack:
        .skip   4 * LINK_RECORD
message_buffer:
        .skip   MSG_LEN

        .bss
        .balign 16
        .skip   4096
client_stack_top:
        .skip   4096
server_stack_top:
