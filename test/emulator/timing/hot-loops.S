/*
 * Hot loops for the timed block tier's equivalence test (block-equivalence.test.ts): each loop
 * runs often enough to be compiled, and together they reach every charge a timed block makes
 * inline and every way a block ends. The result is a checksum in s0 and fault count in s3; the
 * test compares the whole final state and cycle count with the timed interpreter's, so the
 * program checks nothing itself and exits 0 through the finisher.
 */
        .globl _start
_start:
        la      t0, trap
        csrw    mtvec, t0
        li      s0, 0                   /* checksum */
        li      s3, 0                   /* faults taken */

/* 1. Loads and stores of every width, load-use, mul/mulw, a backward loop branch. */
        la      s1, buf
        li      s2, 300
1:      ld      t1, 0(s1)
        add     t1, t1, s2
        sd      t1, 8(s1)
        lw      t2, 4(s1)
        lbu     t3, 3(s1)
        lh      t4, 2(s1)
        mul     t5, t1, t2
        mulw    t6, t2, t3
        add     s0, s0, t5
        xor     s0, s0, t6
        sb      t3, 17(s1)
        sh      t4, 18(s1)
        sw      t2, 20(s1)
        lwu     a2, 20(s1)
        lhu     a3, 18(s1)
        lb      a4, 17(s1)
        add     s0, s0, a2
        sub     s0, s0, a3
        add     s0, s0, a4
        addi    s1, s1, 24
        addi    s2, s2, -1
        bnez    s2, 1b

/* 2. Calls and returns (RAS, jalr), a branch taken one time in four (the BHT relearns). */
        li      s2, 200
2:      mv      a0, s2
        call    twice_plus_three
        add     s0, s0, a0
        andi    t0, s2, 3
        beqz    t0, 3f
        addi    s0, s0, 1
3:      addi    s2, s2, -1
        bnez    s2, 2b

/* 3. A device in a hot loop: mtime depends on the cycle count when the load executes. */
        li      s1, 0x200bff8
        li      s2, 100
4:      slli    s0, s0, 1
        addi    s2, s2, -1
        ld      t0, 0(s1)               /* not the block's first instruction */
        add     s0, s0, t0
        bnez    s2, 4b

/* 4. Access faults inside a block (not at its first instruction): every 8th iteration loads
      from an address nothing answers at; the handler skips the load. */
        li      s2, 100
        la      s4, buf
        li      s5, 0x40000000
        sub     s5, s5, s4              /* bad address - buf */
5:      andi    t0, s2, 7
        seqz    t0, t0
        neg     t0, t0
        and     t0, t0, s5
        add     t1, s4, t0
        .option norvc
        ld      t2, 0(t1)               /* 4 bytes: the handler adds 4 to mepc */
        .option rvc
        add     s0, s0, t2
        addi    s2, s2, -1
        bnez    s2, 5b

/* 5. A stride of one line per load over 32 KiB (twice the D-cache): a miss on every load. */
        la      s1, big
        li      s2, 512
6:      ld      t0, 0(s1)
        add     s0, s0, t0
        sd      s0, 8(s1)
        addi    s1, s1, 64
        addi    s2, s2, -1
        bnez    s2, 6b

/* 6. Code rewritten while hot: loop B stores over an instruction of loop A (compiled), which
      drops the page's blocks and ends the running one. */
        li      s6, 3
7:      li      s2, 80
8:      addi    s0, s0, 1               /* patched below */
        addi    s2, s2, -1
        bnez    s2, 8b
        la      a1, 8b
        lw      t0, 0(a1)
        li      s2, 70
9:      sw      t0, 0(a1)               /* the same word: behaviour unchanged, blocks dropped */
        add     s0, s0, s2
        addi    s2, s2, -1
        bnez    s2, 9b
        addi    s6, s6, -1
        bnez    s6, 7b

/* 7. U-mode under Sv39: data through 4 KiB pages, a stride of 37 pages over 64 (more pages
      than TLB entries), then ecall back to M. */
        la      a0, root
        la      a1, l1
        la      a2, l0
        la      a3, pages
        li      t1, 0x20000000          /* root[2]: 1 GiB identity leaf at 0x8000_0000 (PPN << 10), */
        ori     t1, t1, 0xdf                /* D|A|U|X|W|R|V */
        sd      t1, 16(a0)
        srli    t0, a1, 12
        slli    t0, t0, 10
        ori     t0, t0, 1
        sd      t0, 8(a0)               /* root[1] -> l1 */
        srli    t0, a2, 12
        slli    t0, t0, 10
        ori     t0, t0, 1
        sd      t0, 0(a1)               /* l1[0] -> l0 */
        li      t2, 64
        mv      t3, a2
        srli    t0, a3, 12
10:     slli    t1, t0, 10
        ori     t1, t1, 0xd7            /* D|A|U|W|R|V */
        sd      t1, 0(t3)
        addi    t3, t3, 8
        addi    t0, t0, 1
        addi    t2, t2, -1
        bnez    t2, 10b
        srli    t0, a0, 12
        li      t1, 8
        slli    t1, t1, 60
        or      t0, t0, t1
        csrw    satp, t0
        sfence.vma
        li      t0, 0x1800
        csrc    mstatus, t0             /* MPP = U */
        la      t0, user
        csrw    mepc, t0
        mret
user:   li      s2, 400
        li      s1, 0
        li      s7, 0x40000000
11:     slli    t0, s1, 12
        add     t0, t0, s7
        ld      t1, 0(t0)
        add     t1, t1, s2
        sd      t1, 0(t0)
        add     s0, s0, t1
        addi    s1, s1, 37
        andi    s1, s1, 63
        addi    s2, s2, -1
        bnez    s2, 11b
        ecall
back:
        csrw    satp, zero
        li      t0, 0x100000
        li      t1, 0x5555
        sw      t1, 0(t0)
1:      j       1b

twice_plus_three:
        slli    a0, a0, 1
        addi    a0, a0, 3
        ret

        .balign 4
trap:   csrr    t0, mcause
        li      t1, 8
        beq     t0, t1, 1f
        csrr    t0, mepc                /* an access fault: skip the load */
        addi    t0, t0, 4
        csrw    mepc, t0
        addi    s3, s3, 1
        mret
1:      la      t0, back                /* ecall from U: back to M */
        csrw    mepc, t0
        li      t0, 0x1800
        csrs    mstatus, t0
        mret

        .bss
        .balign 4096
root:   .skip   4096
l1:     .skip   4096
l0:     .skip   4096
pages:  .skip   64 * 4096
buf:    .skip   300 * 24 + 64
        .balign 64
big:    .skip   32768 + 64
