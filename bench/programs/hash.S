/* FNV-1a and a multiply-rotate hash over a 64 KiB buffer, 40 rounds; exits with the low bits. */
        .globl _start
_start:
        la      s0, buffer
        li      s1, 65536
        li      t0, 0
        mv      t1, s0
init:   sb      t0, 0(t1)
        addi    t0, t0, 7
        addi    t1, t1, 1
        addi    s1, s1, -1
        bnez    s1, init
        li      s2, 40
        li      a0, 0xcbf29ce484222325
        li      a1, 0x100000001b3
        li      a2, 0
rounds: mv      t1, s0
        li      t2, 65536
bytes:  lbu     t3, 0(t1)
        xor     a0, a0, t3
        mul     a0, a0, a1
        add     a2, a2, a0
        slli    t4, a2, 13
        srli    a2, a2, 51
        or      a2, a2, t4
        addi    t1, t1, 1
        addi    t2, t2, -1
        bnez    t2, bytes
        addi    s2, s2, -1
        bnez    s2, rounds
        li      t0, 0x100000
        li      t1, 0x5555
        sw      t1, 0(t0)
        .bss
buffer: .skip   65536
