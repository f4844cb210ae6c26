/*
 * entry.S — the S-mode trap path: entry (save the user registers into the current TCB), the
 * register-only fastpaths for Call and ReplyRecv (as seL4's), and the exit to user mode.
 * While a thread runs in U-mode, sscratch holds its TCB (0 while the kernel runs, so a trap
 * from the kernel itself is told apart); the kernel is not preemptible and runs on one stack. Kept lean: issue #7 measures the cycles of this path against XPC.
 */
        .include "abi.inc"

        .include "regs.inc"

        .text
        .balign 4
        .globl  trap_entry
trap_entry:
        csrrw   sp, sscratch, sp        /* sp = TCB, sscratch = user sp */
        beqz    sp, kernel_trap         /* sscratch is 0 while the kernel runs */
        sd      x1, 1*8(sp)
        sd      x3, 3*8(sp)
        sd      x4, 4*8(sp)
        sd      x5, 5*8(sp)
        sd      x6, 6*8(sp)
        sd      x7, 7*8(sp)
        sd      x8, 8*8(sp)
        sd      x9, 9*8(sp)
        sd      x10, 10*8(sp)
        sd      x11, 11*8(sp)
        sd      x12, 12*8(sp)
        sd      x13, 13*8(sp)
        sd      x14, 14*8(sp)
        sd      x15, 15*8(sp)
        sd      x16, 16*8(sp)
        sd      x17, 17*8(sp)
        sd      x18, 18*8(sp)
        sd      x19, 19*8(sp)
        sd      x20, 20*8(sp)
        sd      x21, 21*8(sp)
        sd      x22, 22*8(sp)
        sd      x23, 23*8(sp)
        sd      x24, 24*8(sp)
        sd      x25, 25*8(sp)
        sd      x26, 26*8(sp)
        sd      x27, 27*8(sp)
        sd      x28, 28*8(sp)
        sd      x29, 29*8(sp)
        sd      x30, 30*8(sp)
        sd      x31, 31*8(sp)
        csrrw   t0, sscratch, zero
        sd      t0, R_SP(sp)
        csrr    t1, sepc
        mv      s0, sp                  /* s0 = current TCB for the whole kernel entry */
        la      sp, kernel_stack_top
        la      t4, xpc_hw_on           /* XPC on: the thread runs in the domain xdomain names */
        ld      t4, 0(t4)
        beqz    t4, 1f
        csrr    t3, xdomain
        la      t4, domain_procs
        slli    t3, t3, 3
        add     t4, t4, t3
        ld      t4, 0(t4)
        sd      t4, TCB_PROC(s0)
1:
        csrr    t2, scause
        bltz    t2, handle_interrupt
        li      t3, 8
        bne     t2, t3, handle_fault
        addi    t1, t1, 4               /* resume after the ecall */
        sd      t1, TCB_PC(s0)
        li      t3, SYS_CALL
        beq     a7, t3, fastpath_call
        li      t3, SYS_REPLY_RECV
        beq     a7, t3, fastpath_reply_recv
        j       handle_syscall

/*
 * Fastpath Call: register-only message (t0 = 0), a valid endpoint cap with W, a receiver
 * waiting whose priority is at least the caller's and that named a reply object in its Recv
 * (seL4 MCS: the kernel binds the caller to it). Anything else takes the slowpath.
 */
fastpath_call:
        ld      t4, R_T0(s0)
        bnez    t4, handle_syscall
        li      t5, CSPACE_SLOTS
        bgeu    a6, t5, handle_syscall
        ld      t5, TCB_PROC(s0)
        slli    t6, a6, 5
        add     t6, t6, t5
        addi    t6, t6, PROC_CSPACE     /* t6 = cap slot */
        ld      t4, CAP_TYPE(t6)
        li      t3, CAP_ENDPOINT
        bne     t4, t3, handle_syscall
        ld      t4, CAP_RIGHTS(t6)
        andi    t4, t4, RIGHT_WRITE
        beqz    t4, handle_syscall
        ld      t3, CAP_OBJECT(t6)      /* t3 = endpoint */
        ld      t4, EP_STATE(t3)
        li      t2, EPS_RECV
        bne     t4, t2, handle_syscall
        ld      t2, EP_QUEUE+Q_HEAD(t3) /* t2 = receiver */
        ld      t4, TCB_PRIO(t2)
        ld      t5, TCB_PRIO(s0)
        blt     t4, t5, handle_syscall
        ld      t5, TCB_RECV_REPLY(t2)  /* t5 = the reply object the receiver named */
        beqz    t5, handle_syscall      /* none: the slowpath fails the Call with E_NO_REPLY */
        /* Dequeue the receiver. */
        ld      t4, TCB_NEXT(t2)
        sd      t4, EP_QUEUE+Q_HEAD(t3)
        bnez    t4, 1f
        sd      zero, EP_QUEUE+Q_TAIL(t3)
        sd      zero, EP_STATE(t3)
        j       2f
1:      sd      zero, TCB_PREV(t4)
2:      sd      zero, TCB_NEXT(t2)
        sd      zero, TCB_QUEUE(t2)
        sd      zero, TCB_RECV_REPLY(t2)
        /* The message, the badge and success; bind the caller to the reply object. */
        ld      t4, CAP_BADGE(t6)
        sd      t4, R_T1(t2)
        sd      zero, R_T0(t2)
        sd      zero, R_A7(t2)
        sd      s0, REPLY_CALLER(t5)
        sd      t5, TCB_REPLY(s0)
        li      t4, TS_BLOCKED_REPLY
        sd      t4, TCB_STATE(s0)
        j       fastpath_switch

/*
 * Fastpath ReplyRecv: register-only reply through a valid reply cap (t2) bound to a caller
 * blocked on reply, a valid endpoint cap with R and no sender queued on it, the caller's
 * priority at least ours. The user's s1 is saved in the TCB, so s1 is free here.
 */
fastpath_reply_recv:
        ld      t4, R_T0(s0)
        bnez    t4, handle_syscall
        ld      t5, R_T2(s0)            /* the reply cap slot */
        li      t4, CSPACE_SLOTS
        bgeu    t5, t4, handle_syscall
        ld      t4, TCB_PROC(s0)
        slli    t5, t5, 5
        add     t5, t5, t4
        addi    t5, t5, PROC_CSPACE
        ld      t4, CAP_TYPE(t5)
        li      t3, CAP_REPLY
        bne     t4, t3, handle_syscall
        ld      s1, CAP_OBJECT(t5)      /* s1 = reply object */
        ld      t2, REPLY_CALLER(s1)    /* t2 = caller */
        beqz    t2, handle_syscall
        ld      t4, TCB_STATE(t2)
        li      t3, TS_BLOCKED_REPLY
        bne     t4, t3, handle_syscall
        li      t5, CSPACE_SLOTS
        bgeu    a6, t5, handle_syscall
        ld      t5, TCB_PROC(s0)
        slli    t6, a6, 5
        add     t6, t6, t5
        addi    t6, t6, PROC_CSPACE
        ld      t4, CAP_TYPE(t6)
        li      t3, CAP_ENDPOINT
        bne     t4, t3, handle_syscall
        ld      t4, CAP_RIGHTS(t6)
        andi    t4, t4, RIGHT_READ
        beqz    t4, handle_syscall
        ld      t3, CAP_OBJECT(t6)      /* t3 = endpoint */
        ld      t4, EP_STATE(t3)
        li      t5, EPS_SEND
        beq     t4, t5, handle_syscall
        ld      t4, TCB_PRIO(t2)
        ld      t5, TCB_PRIO(s0)
        blt     t4, t5, handle_syscall
        /* Unbind the reply object; block ourselves at the tail of the receive queue with it. */
        sd      zero, REPLY_CALLER(s1)
        sd      zero, TCB_REPLY(t2)
        sd      s1, TCB_RECV_REPLY(s0)
        li      t4, TS_BLOCKED_RECV
        sd      t4, TCB_STATE(s0)
        addi    t5, t3, EP_QUEUE
        sd      t5, TCB_QUEUE(s0)
        sd      zero, TCB_NEXT(s0)
        ld      t4, Q_TAIL(t5)
        sd      t4, TCB_PREV(s0)
        sd      s0, Q_TAIL(t5)
        bnez    t4, 1f
        sd      s0, Q_HEAD(t5)
        j       2f
1:      sd      s0, TCB_NEXT(t4)
2:      li      t4, EPS_RECV
        sd      t4, EP_STATE(t3)
        sd      zero, R_T0(t2)
        sd      zero, R_T1(t2)
        sd      zero, R_A7(t2)

/* Hand a0–a5 (still in registers) to t2 and run it. */
fastpath_switch:
        sd      a0, R_A0(t2)
        sd      a1, R_A1(t2)
        sd      a2, R_A2(t2)
        sd      a3, R_A3(t2)
        sd      a4, R_A4(t2)
        sd      a5, R_A5(t2)
        li      t4, TS_RUNNING
        sd      t4, TCB_STATE(t2)
        mv      a0, t2

/*
 * Return to user mode in thread a0 (its state already RUNNING): its XPC registers (when another
 * thread had them), the address space of the domain it runs in (each process has its own ASID,
 * so no TLB flush) and every register.
 */
        .globl  return_to_user
return_to_user:
        la      t0, current_tcb
        sd      a0, 0(t0)
        ld      t1, TCB_PROC(a0)        /* XPC: the hardware registers follow the thread */
        ld      t1, PROC_XPC_USER(t1)
        la      t0, xpc_hw_on
        ld      t2, 0(t0)
        beqz    t1, 2f
        bnez    t2, 3f
        call    xpc_enable              /* from a thread that ran with XPC off */
3:      la      t0, xpc_owner
        ld      t1, 0(t0)
        beq     t1, a0, 1f
        call    xpc_switch
        j       1f
2:      beqz    t2, 1f                  /* a process without XPC rights runs with XPC off */
        call    xpc_disable
1:
        ld      t1, TCB_PROC(a0)
        ld      t1, PROC_SATP(t1)
        csrr    t2, satp
        beq     t1, t2, 1f
        csrw    satp, t1
1:      ld      t1, TCB_PC(a0)
        csrw    sepc, t1
        csrw    sscratch, a0
        mv      sp, a0
        ld      x1, 1*8(sp)
        ld      x3, 3*8(sp)
        ld      x4, 4*8(sp)
        ld      x5, 5*8(sp)
        ld      x6, 6*8(sp)
        ld      x7, 7*8(sp)
        ld      x8, 8*8(sp)
        ld      x9, 9*8(sp)
        ld      x10, 10*8(sp)
        ld      x11, 11*8(sp)
        ld      x12, 12*8(sp)
        ld      x13, 13*8(sp)
        ld      x14, 14*8(sp)
        ld      x15, 15*8(sp)
        ld      x16, 16*8(sp)
        ld      x17, 17*8(sp)
        ld      x18, 18*8(sp)
        ld      x19, 19*8(sp)
        ld      x20, 20*8(sp)
        ld      x21, 21*8(sp)
        ld      x22, 22*8(sp)
        ld      x23, 23*8(sp)
        ld      x24, 24*8(sp)
        ld      x25, 25*8(sp)
        ld      x26, 26*8(sp)
        ld      x27, 27*8(sp)
        ld      x28, 28*8(sp)
        ld      x29, 29*8(sp)
        ld      x30, 30*8(sp)
        ld      x31, 31*8(sp)
        ld      x2, 2*8(sp)
        sret
