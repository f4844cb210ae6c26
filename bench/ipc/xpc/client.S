/*
 * client.S — measures XPC with rdcycle (bench/ipc/xpc, docs/evaluation.md):
 *   oneway.xcall        bare xcall: our rdcycle before it → the callee's first instruction
 *   roundtrip.xcall     bare xcall + xret, back here
 *   oneway.xpc_call     the library's xpc_call → the handler's first instruction (trampoline,
 *                       context taken, registers saved and cleared)
 *   roundtrip.xpc_call  xpc_call to an empty handler and back
 *   copy.N.relay        an N-byte message handed over in the relay segment (seg-mask window
 *                       [0, N)), one-way through xpc_call to the handler's stamp
 *   chain.H.relay       a round trip through H hops handing one 4 KiB window on at each hop;
 *                       the last hop writes its reply in place
 *   kvstore.xpc         cycles for KV_KEYS × (put, get, delete) of 1 KiB values through the
 *                       key-value server and the storage server, values in the relay segment
 * Every figure BENCH_ROUNDS times (cold = first, warm = last); prints them; exits 0, or 1 when a
 * call failed or a reply was wrong.
 */
#include "world.h"
#include "kv.inc"
        .equ    CHAIN_REPLY, 0x7ad

        .text
#ifndef BENCH_BARE_WORLD
        .globl  _start
_start:
#endif
main:
        BENCH_SEG_INIT
        li      s6, 0                   /* errors, or-ed */
        la      a0, m_bare_one
        call    rounds
        la      a0, m_bare_rt
        call    rounds
        la      a0, m_xstamp
        call    rounds
        la      a0, m_xnull
        call    rounds
        li      s4, 0                   /* message sizes */
1:      la      t0, sizes
        slli    t1, s4, 3
        add     t0, t0, t1
        ld      s8, 0(t0)
        bltz    s8, 2f
        la      a0, m_relay
        call    rounds
        addi    s4, s4, 1
        j       1b
2:      li      s4, 1                   /* chains of 1..4 hops */
3:      la      a0, m_chain
        call    rounds
        addi    s4, s4, 1
        li      t0, 4
        ble     s4, t0, 3b
        la      a0, m_kv
        call    rounds
        call    bench_report
        BENCH_EXIT(s6)

/* rounds(a0 = measurement): runs it BENCH_ROUNDS times in a row (s10 = round, s11 = stamp cost) */
rounds:
        addi    sp, sp, -16
        sd      ra, 0(sp)
        mv      s7, a0
        li      s10, 0
1:      STAMP_COST
        jalr    s7
        addi    s10, s10, 1
        li      t0, BENCH_ROUNDS
        blt     s10, t0, 1b
        ld      ra, 0(sp)
        addi    sp, sp, 16
        ret

m_bare_one:
        li      a6, XENTRY_BARE_ONE
        rdcycle s0
        xcall   a6
        sub     a0, s1, s0              /* s1: the callee's stamp */
        li      a1, 0
        j       bench_record

m_bare_rt:
        li      a6, XENTRY_BARE_RT
        rdcycle s0
        xcall   a6
        STOP    s1
        sub     a0, s1, s0
        li      a1, 1
        j       bench_record

m_xstamp:
        mv      s3, ra
        li      a6, XENTRY_X_STAMP
        rdcycle s0
        call    xpc_call
        or      s6, s6, a7
        sub     a0, a0, s0              /* a0: the handler's stamp */
        li      a1, 2
        mv      ra, s3
        j       bench_record

m_xnull:
        mv      s3, ra
        li      a6, XENTRY_X_NULL
        rdcycle s0
        call    xpc_call
        STOP    s1
        or      s6, s6, a7
        sub     a0, s1, s0
        li      a1, 3
        mv      ra, s3
        j       bench_record

/* s8 bytes handed over in the segment; figure 4 + s4 */
m_relay:
        mv      s3, ra
        li      a6, XENTRY_X_STAMP
        rdcycle s0
        csrw    segmask_len, s8
        call    xpc_call
        or      s6, s6, a7
        sub     a0, a0, s0
        addi    a1, s4, 4
        mv      ra, s3
        j       bench_record

/* s4 hops, a 4 KiB window; figure 11 + s4 */
m_chain:
        mv      s3, ra
        csrr    t0, useg_va
        sd      zero, 0(t0)
        mv      a0, s4
        li      a1, XENTRY_HOP1 + 1
        li      a6, XENTRY_HOP1
        li      t1, 4096
        rdcycle s0
        csrw    segmask_len, t1
        call    xpc_call
        STOP    s1
        or      s6, s6, a7
        addi    a0, a0, -CHAIN_REPLY
        or      s6, s6, a0
        csrr    t0, useg_va             /* the reply, written in place by the last hop */
        ld      t0, 0(t0)
        addi    t0, t0, -CHAIN_REPLY
        or      s6, s6, t0
        sub     a0, s1, s0
        addi    a1, s4, 11
        mv      ra, s3
        j       bench_record

/* KV_KEYS × (put, get, delete); figure 16 */
m_kv:
        mv      s3, ra
        li      s5, 0                   /* key */
        rdcycle s0
5:      csrr    t0, useg_va
        KV_FILL t0, s5
        li      a0, KV_PUT
        mv      a1, s5
        li      a6, XENTRY_KV
        call    xpc_call
        or      s6, s6, a7
        or      s6, s6, a0
        csrr    t0, useg_va             /* forget the value: get must bring it back */
        sd      zero, 0(t0)
        li      a0, KV_GET
        mv      a1, s5
        li      a6, XENTRY_KV
        call    xpc_call
        or      s6, s6, a7
        or      s6, s6, a0
        csrr    t0, useg_va
        ld      t0, 0(t0)
        sub     t0, t0, s5
        or      s6, s6, t0
        li      a0, KV_DEL
        mv      a1, s5
        li      a6, XENTRY_KV
        call    xpc_call
        or      s6, s6, a7
        or      s6, s6, a0
        addi    s5, s5, 1
        li      t0, KV_KEYS
        blt     s5, t0, 5b
        STOP    s1
        sub     a0, s1, s0
        li      a1, 16
        mv      ra, s3
        j       bench_record

        BENCH_SUPPORT

        .section .rodata
        .balign 8
sizes:  .dword  0, 64, 256, 1024, 2048, 4096, 8192, 16384, -1
bench_names:
        .dword  n_x1, n_x2, n_x3, n_x4
        .dword  n_r0, n_r64, n_r256, n_r1k, n_r2k, n_r4k, n_r8k, n_r16k
        .dword  n_h1, n_h2, n_h3, n_h4, n_kv, 0
n_x1:   .asciz  "oneway.xcall"
n_x2:   .asciz  "roundtrip.xcall"
n_x3:   .asciz  "oneway.xpc_call"
n_x4:   .asciz  "roundtrip.xpc_call"
n_r0:   .asciz  "copy.0.relay"
n_r64:  .asciz  "copy.64.relay"
n_r256: .asciz  "copy.256.relay"
n_r1k:  .asciz  "copy.1024.relay"
n_r2k:  .asciz  "copy.2048.relay"
n_r4k:  .asciz  "copy.4096.relay"
n_r8k:  .asciz  "copy.8192.relay"
n_r16k: .asciz  "copy.16384.relay"
n_h1:   .asciz  "chain.1.relay"
n_h2:   .asciz  "chain.2.relay"
n_h3:   .asciz  "chain.3.relay"
n_h4:   .asciz  "chain.4.relay"
n_kv:   .asciz  "kvstore.xpc.cycles"

        .section .data
        .balign 8
bench_warm: .skip 8 * 17
bench_cold: .skip 8 * 17
