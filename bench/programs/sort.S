/* Insertion sort of 2048 pseudo-random dwords, 12 times; exits 0 through the finisher if sorted. */
        .globl _start
_start:
        li      s3, 12                  /* rounds */
round:
        la      s0, array
        li      s1, 2048
        li      t0, 0x9e3779b97f4a7c15  /* xorshift seed */
        mv      t1, s0
        mv      t2, s1
fill:   slli    t3, t0, 13
        xor     t0, t0, t3
        srli    t3, t0, 7
        xor     t0, t0, t3
        slli    t3, t0, 17
        xor     t0, t0, t3
        sd      t0, 0(t1)
        addi    t1, t1, 8
        addi    t2, t2, -1
        bnez    t2, fill
        li      t1, 1                   /* i */
outer:  bge     t1, s1, sorted
        slli    t2, t1, 3
        add     t2, s0, t2
        ld      t3, 0(t2)               /* key */
        mv      t4, t1                  /* j */
inner:  beqz    t4, place
        ld      t5, -8(t2)
        ble     t5, t3, place
        sd      t5, 0(t2)
        addi    t2, t2, -8
        addi    t4, t4, -1
        j       inner
place:  sd      t3, 0(t2)
        addi    t1, t1, 1
        j       outer
sorted: addi    s3, s3, -1
        bnez    s3, round
        /* check */
        la      t1, array
        li      t2, 2047
check:  ld      t3, 0(t1)
        ld      t4, 8(t1)
        bgt     t3, t4, bad
        addi    t1, t1, 8
        addi    t2, t2, -1
        bnez    t2, check
        li      t0, 0x100000
        li      t1, 0x5555
        sw      t1, 0(t0)
bad:    li      t0, 0x100000
        li      t1, 0x13333
        sw      t1, 0(t0)
        .bss
        .balign 8
array:  .skip   2048 * 8
