/*
 * client.S — the key-value service over endpoints (bench/ipc/kv-ipc, docs/evaluation.md):
 *   kvstore.ipc.cycles  cycles for KV_KEYS × (put, get, delete) of 1 KiB values through the
 *                       key-value server and the storage server, values in the IPC buffers
 * (the same batch as kvstore.xpc.cycles in bench/ipc/xpc). BENCH_ROUNDS times; prints it; exits
 * 0, or 1 when a call failed or a value came back wrong.
 */
        .include "user.inc"
        .include "layout.inc"
        .include "bench.inc"
#include "kv.inc"

        .text
        .globl  _start
_start:
        li      s9, USER_IPCBUF_BASE    /* our IPC buffer (thread 0) */
        li      s6, 0
        li      s10, 0
round:  STAMP_COST
        li      s5, 0                   /* key */
        rdcycle s0
5:      mv      t0, s9
        KV_FILL t0, s5
        li      a0, KV_PUT
        mv      a1, s5
        li      t0, KV_VALUE
        li      a6, KV
        li      a7, SYS_CALL
        ecall
        or      s6, s6, a7
        or      s6, s6, a0
        sd      zero, 0(s9)             /* forget the value: get must bring it back */
        li      a0, KV_GET
        mv      a1, s5
        li      t0, 0
        li      a6, KV
        li      a7, SYS_CALL
        ecall
        or      s6, s6, a7
        or      s6, s6, a0
        ld      t0, 0(s9)
        sub     t0, t0, s5
        or      s6, s6, t0
        li      a0, KV_DEL
        mv      a1, s5
        li      t0, 0
        li      a6, KV
        li      a7, SYS_CALL
        ecall
        or      s6, s6, a7
        or      s6, s6, a0
        addi    s5, s5, 1
        li      t0, KV_KEYS
        blt     s5, t0, 5b
        STOP    s1
        sub     a0, s1, s0
        li      a1, 0
        call    bench_record
        addi    s10, s10, 1
        li      t0, BENCH_ROUNDS
        blt     s10, t0, round
        call    bench_report
        snez    a0, s6
        SYSCALL SYS_EXIT

        BENCH_SUPPORT

        .section .rodata
        .balign 8
bench_names: .dword n_kv, 0
n_kv:   .asciz  "kvstore.ipc.cycles"
        .section .data
        .balign 8
bench_warm: .skip 8
bench_cold: .skip 8
