/*
 * client.S — measures kernel IPC with rdcycle (bench/ipc/fastpath, docs/evaluation.md):
 *   oneway.fastpath     Call one-way: our rdcycle before the ecall → the server's first stamp
 *   reply.fastpath      ReplyRecv one-way: the server's rdcycle before its ecall → our stamp
 *   roundtrip.fastpath  Call to an empty server and back
 *   copy.N.ipc          an N-byte message through the IPC buffer, one-way (our rdcycle → the
 *                       server's stamp on arrival of the last piece); the kernel copies at most
 *                       4 KiB per Call, so N > 4096 takes N/4096 Calls (each piece answered at
 *                       once by a register-only reply); N = 0 is a register-only Call (fastpath).
 * Every figure BENCH_ROUNDS times (cold = first, warm = last); prints them and exits 0, or 1 when
 * a Call failed.
 */
        .include "user.inc"
        .include "layout.inc"
        .include "bench.inc"

        .text
        .globl  _start, bench_call_stamp, bench_call_ecall
_start:
        li      s6, 0                   /* error codes, or-ed */
        la      a0, m_stamp
        call    rounds
        la      a0, m_null
        call    rounds
        li      s4, 0                   /* message sizes through the IPC buffer */
1:      la      t0, sizes
        slli    t1, s4, 3
        add     t0, t0, t1
        ld      s8, 0(t0)
        bltz    s8, 2f
        la      a0, m_copy
        call    rounds
        addi    s4, s4, 1
        j       1b
2:      call    bench_report
        snez    a0, s6
        SYSCALL SYS_EXIT

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

/* Call and reply one-way: the stamp thread answers a0 = arrival, a1 = departure */
m_stamp:
        mv      s3, ra
        li      a6, STAMP
        li      t0, 0
        li      a7, SYS_CALL
bench_call_stamp:
        rdcycle s0
bench_call_ecall:
        ecall
        STOP    s1
        or      s6, s6, a7
        mv      s2, a1
        sub     a0, a0, s0
        li      a1, 0
        call    bench_record
        sub     a0, s1, s2
        li      a1, 1
        call    bench_record
        jr      s3

/* round trip to the empty server */
m_null:
        mv      s3, ra
        li      a6, NULLEP
        li      t0, 0
        li      a7, SYS_CALL
        rdcycle s0
        ecall
        STOP    s1
        or      s6, s6, a7
        sub     a0, s1, s0
        li      a1, 2
        call    bench_record
        jr      s3

/* s8 bytes in pieces of at most 4 KiB; figure 3 + s4 */
m_copy:
        mv      s3, ra
        mv      s5, s8                  /* bytes left */
        li      a6, COPY
        rdcycle s0
1:      mv      t0, s5
        li      t1, IPC_BUFFER_SIZE
        bleu    t0, t1, 2f
        mv      t0, t1
2:      sub     s5, s5, t0
        li      a7, SYS_CALL
        ecall
        bnez    s5, 1b
        or      s6, s6, a7
        sub     a0, a0, s0
        addi    a1, s4, 3
        call    bench_record
        jr      s3

        BENCH_SUPPORT

        .section .rodata
        .balign 8
sizes:  .dword  0, 64, 256, 1024, 2048, 4096, 8192, 16384, -1
bench_names:
        .dword  n_oneway, n_reply, n_rt
        .dword  n_c0, n_c64, n_c256, n_c1k, n_c2k, n_c4k, n_c8k, n_c16k, 0
n_oneway: .asciz "oneway.fastpath"
n_reply:  .asciz "reply.fastpath"
n_rt:     .asciz "roundtrip.fastpath"
n_c0:     .asciz "copy.0.ipc"
n_c64:    .asciz "copy.64.ipc"
n_c256:   .asciz "copy.256.ipc"
n_c1k:    .asciz "copy.1024.ipc"
n_c2k:    .asciz "copy.2048.ipc"
n_c4k:    .asciz "copy.4096.ipc"
n_c8k:    .asciz "copy.8192.ipc"
n_c16k:   .asciz "copy.16384.ipc"

        .section .data
        .balign 8
bench_warm: .skip 8 * 11
bench_cold: .skip 8 * 11
