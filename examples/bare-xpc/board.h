/*
 * board.h — the xpc-virt board and the XPC numbers the bare-metal example uses
 * (../../docs/xpc-isa.md is the reference).
 */
#ifndef BARE_XPC_BOARD_H
#define BARE_XPC_BOARD_H

#define UART_BASE      0x10000000
#define UART_LSR       5
#define LSR_THR_EMPTY  0x20
#define FINISHER_BASE  0x100000
#define FINISHER_PASS  0x5555
#define FINISHER_FAIL  0x3333

#define SATP_SV39      (8 << 60)
#define MSTATUS_MPP    0x1800
#define CAUSE_U_ECALL  8

/* Sv39 leaf flags: V R W X U A D; the UART/finisher gigapage without X */
#define PTE_RAM        0xdf
#define PTE_IO         0xd7

#define XCTL_EN        1
#define XCTL_FLUSH     2
#define SEG_RW         3
#define XENTRY_SIZE    64     /* bytes of one x-entry */
#define LINK_RECORD    128    /* bytes of one linkage record */

/* The x-entry the server registers; the client holds the capability bit for it. */
#define ECHO_ENTRY     1
/* The relay segment's VA: a window no page table maps. */
#define MSG_VA         0x40000000
#define MSG_LEN        0x100

#endif
