/*
 * server.S — the echo server over XPC. Its thread only announces itself and parks: the work is
 * done by the x-entry `echo_entry`, which runs on the CALLER's thread inside this process's
 * address space (migrating threads), with a call context from its pool of 2.
 *   op 0 (a0): returns a0 = a1+a2+a3+a4+a5, a1 = the caller's domain id;
 *   op 1: capitalises the first a1 bytes of the relay segment it was handed, in place.
 */
        .include "user.inc"
        .include "xpc.inc"

        XPC_ENTRY echo_entry, echo, 2

        .text
        .globl  _start
_start:
        PRINT   ready
        li      a6, PARK
        SYSCALL SYS_WAIT                /* nobody signals: the thread parks for good */
        li      a0, 1
        SYSCALL SYS_EXIT

/* echo(a0 = op, a1..a5, a6 = caller's domain) — a handler: a normal function on a context stack. */
echo:
        addi    sp, sp, -32
        sd      ra, 0(sp)
        sd      s1, 8(sp)
        sd      s2, 16(sp)
        mv      s1, a0
        mv      s2, a1
        sd      a6, 24(sp)
        bnez    s1, capitals
        add     s2, a1, a2
        add     s2, s2, a3
        add     s2, s2, a4
        add     s2, s2, a5
        PRINT   asked_sum               /* a syscall from inside the callee: the kernel sees this domain */
        mv      a0, s2
        ld      a1, 24(sp)
        j       out
capitals:
        PRINT   asked_caps
        csrr    t2, useg_va             /* the handed window of the caller's segment */
        csrr    t3, useg_len
        bltu    t3, s2, refuse
        add     t3, t2, s2
1:      beq     t2, t3, 3f
        lbu     t4, 0(t2)
        addi    t5, t4, -97
        li      t6, 26
        bgeu    t5, t6, 2f
        addi    t4, t4, -32
        sb      t4, 0(t2)
2:      addi    t2, t2, 1
        j       1b
3:      mv      a0, s2
        li      a1, 0
        j       out
refuse: li      a0, 0
        li      a1, 0
out:    ld      ra, 0(sp)
        ld      s1, 8(sp)
        ld      s2, 16(sp)
        addi    sp, sp, 32
        ret

        .section .rodata
ready:      .asciz "server: ready (x-entry echo, 2 call contexts)\n"
asked_sum:  .asciz "server: sum requested\n"
asked_caps: .asciz "server: capitals requested, writing into the relay segment\n"
