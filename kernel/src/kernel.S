/*
 * kernel.S — the S-mode kernel: boot from the boot info, the scheduler (priority ready queues,
 * round-robin on the timer tick, the idle loop), the syscall slowpaths (IPC, notifications,
 * debug output, exit) and user faults.
 * Conventions: s0 = the current TCB from trap entry to kernel exit; top-level handlers use
 * s1–s11 freely (the user's registers are already saved); helpers use only a/t registers
 * and keep s-registers intact.
 */
        .include "abi.inc"
        .include "xpc-lib.inc"
        .include "regs.inc"

        .equ    SIP_STIP, 0x20
        .equ    SIE_STIE, 0x20

        .text
/* ---------------------------------------------------------------- boot */
        .globl  kernel_main
kernel_main:
        la      sp, kernel_stack_top
        li      s1, KERNEL_OFFSET
        li      t0, BOOTINFO_PA
        add     s2, t0, s1              /* s2 = boot info */
        la      t0, tick_interval
        ld      t1, BI_TICK(s2)
        sd      t1, 0(t0)
        la      t0, exit_proc
        ld      t1, BI_EXIT_PROC(s2)
        sd      t1, 0(t0)
        la      t0, num_procs
        ld      t1, BI_NPROCS(s2)
        sd      t1, 0(t0)
        la      t0, num_threads
        ld      t1, BI_NTHREADS(s2)
        sd      t1, 0(t0)
        la      t0, num_endpoints
        ld      t1, BI_NENDPOINTS(s2)
        sd      t1, 0(t0)
        la      t0, num_notifications
        ld      t1, BI_NNOTIFS(s2)
        sd      t1, 0(t0)

        /* Processes: adopt the address space the builder made, add the kernel window to it. */
        ld      s3, BI_NPROCS(s2)
        ld      s4, BI_PROCS(s2)
        add     s4, s4, s2
        la      s5, kernel_procs
        li      s6, 0
1:      bgeu    s6, s3, 4f
        li      t0, PS_LIVE
        sd      t0, PROC_STATE(s5)
        ld      t0, BIP_ASID(s4)
        sd      t0, PROC_ASID(s5)
        ld      t0, BIP_NAME(s4)
        sd      t0, PROC_NAME(s5)
        sd      s6, PROC_ID(s5)
        ld      t0, BIP_SATP(s4)
        sd      t0, PROC_SATP(s5)
        slli    t0, t0, 20
        srli    t0, t0, 20
        slli    t0, t0, 12
        add     t0, t0, s1              /* its root page table */
        la      t1, kernel_root_pt
        li      t2, 256*8
        li      t6, 512*8
2:      add     t3, t1, t2
        ld      t4, 0(t3)
        add     t3, t0, t2
        sd      t4, 0(t3)
        addi    t2, t2, 8
        blt     t2, t6, 2b
        addi    s4, s4, BIP_SIZE
        li      t0, PROC_SIZE
        add     s5, s5, t0
        addi    s6, s6, 1
        j       1b

        /* Threads: registers, IPC buffer, name; all start ready. */
4:      ld      s3, BI_NTHREADS(s2)
        ld      s4, BI_THREADS(s2)
        add     s4, s4, s2
        la      s5, kernel_tcbs
        li      s6, 0
1:      bgeu    s6, s3, 4f
        ld      t0, BIT_PROC(s4)
        li      t1, PROC_SIZE
        mul     t0, t0, t1
        la      t1, kernel_procs
        add     t0, t0, t1
        sd      t0, TCB_PROC(s5)
        sd      t0, TCB_HOME(s5)
        ld      t1, PROC_LIVE_THREADS(t0)
        addi    t1, t1, 1
        sd      t1, PROC_LIVE_THREADS(t0)
        ld      t0, BIT_PRIO(s4)
        sd      t0, TCB_PRIO(s5)
        ld      t0, BIT_ENTRY(s4)
        sd      t0, TCB_PC(s5)
        ld      t0, BIT_SP(s4)
        sd      t0, R_SP(s5)
        ld      t0, BIT_IPCBUF_VA(s4)
        sd      t0, TCB_IPCBUF_VA(s5)
        sd      t0, R_A0(s5)
        ld      t0, BIT_IPCBUF_KVA(s4)
        sd      t0, TCB_IPCBUF_KVA(s5)
        ld      t0, BIT_ARG(s4)
        sd      t0, R_A1(s5)
        sd      s6, TCB_ID(s5)
        addi    a0, s5, TCB_NAME
        ld      a1, BIT_NAME(s4)
        call    copy_name
        mv      a0, s5
        call    make_ready
        addi    s4, s4, BIT_SIZE
        li      t0, TCB_SIZE
        add     s5, s5, t0
        addi    s6, s6, 1
        j       1b

        /* Capabilities: object index → object address by type. */
4:      ld      s3, BI_NCAPS(s2)
        ld      s4, BI_CAPS(s2)
        add     s4, s4, s2
        li      s6, 0
1:      bgeu    s6, s3, 4f
        ld      t0, BIC_PROC(s4)
        li      t1, PROC_SIZE
        mul     t0, t0, t1
        la      t1, kernel_procs
        add     t0, t0, t1
        ld      t1, BIC_SLOT(s4)
        slli    t1, t1, 5
        add     t0, t0, t1
        addi    t0, t0, PROC_CSPACE
        ld      t1, BIC_TYPE(s4)
        sd      t1, CAP_TYPE(t0)
        la      t3, cap_objects
        slli    t4, t1, 4
        add     t3, t3, t4
        ld      t4, 0(t3)
        ld      t5, 8(t3)
        ld      t2, BIC_OBJECT(s4)
        mul     t2, t2, t5
        add     t2, t2, t4
        sd      t2, CAP_OBJECT(t0)
        ld      t1, BIC_BADGE(s4)
        sd      t1, CAP_BADGE(t0)
        ld      t1, BIC_RIGHTS(s4)
        sd      t1, CAP_RIGHTS(t0)
        addi    s4, s4, BIC_SIZE
        addi    s6, s6, 1
        j       1b

4:      /* XPC (issue #7), when the description asks for it. */
        ld      t0, BI_POOL_PAGES(s2)
        beqz    t0, 4f
        call    xpc_boot
4:      /* Object ids, so the debugger can name them. */
        la      t0, kernel_endpoints
        li      t1, 0
        li      t2, MAX_ENDPOINTS
1:      sd      t1, EP_ID(t0)
        addi    t0, t0, EP_SIZE
        addi    t1, t1, 1
        blt     t1, t2, 1b
        la      t0, kernel_notifications
        li      t1, 0
        li      t2, MAX_NOTIFICATIONS
1:      sd      t1, NTFN_ID(t0)
        addi    t0, t0, NTFN_SIZE
        addi    t1, t1, 1
        blt     t1, t2, 1b
        la      t0, kernel_replies
        li      t1, 0
        li      t2, MAX_REPLIES
1:      sd      t1, REPLY_ID(t0)
        addi    t0, t0, REPLY_SIZE
        addi    t1, t1, 1
        blt     t1, t2, 1b
        la      t0, idle_tcb
        li      t1, TS_IDLE
        sd      t1, TCB_STATE(t0)
        li      t1, MAX_THREADS
        sd      t1, TCB_ID(t0)
        addi    a0, t0, TCB_NAME
        la      a1, str_idle
        call    copy_name

        csrw    sscratch, zero          /* 0 = in the kernel (see trap_entry) */
        la      t0, trap_entry
        csrw    stvec, t0
        li      t0, 7
        csrw    scounteren, t0
        li      t0, SIE_STIE
        csrw    sie, t0
        call    set_next_tick
        j       schedule

/* copy_name(a0 = destination, a1 = NUL-terminated source): at most 31 bytes, always terminated. */
copy_name:
        li      t0, 31
1:      lbu     t1, 0(a1)
        beqz    t1, 2f
        beqz    t0, 2f
        sb      t1, 0(a0)
        addi    a0, a0, 1
        addi    a1, a1, 1
        addi    t0, t0, -1
        j       1b
2:      sb      zero, 0(a0)
        ret

/* set_next_tick(): ask M-mode for a timer interrupt tick_interval from now (clears STIP). */
set_next_tick:
        csrr    a0, time
        la      t0, tick_interval
        ld      t0, 0(t0)
        add     a0, a0, t0
        li      a7, 0
        ecall
        ret

/* ---------------------------------------------------------------- queues */
/* q_append(a0 = queue, a1 = thread): at the tail. */
        .globl  q_append
q_append:
        sd      a0, TCB_QUEUE(a1)
        sd      zero, TCB_NEXT(a1)
        ld      t0, Q_TAIL(a0)
        sd      t0, TCB_PREV(a1)
        sd      a1, Q_TAIL(a0)
        beqz    t0, 1f
        sd      a1, TCB_NEXT(t0)
        ret
1:      sd      a1, Q_HEAD(a0)
        ret

/* q_remove(a0 = queue, a1 = thread in it). Keeps a0 and a1. */
q_remove:
        ld      t0, TCB_PREV(a1)
        ld      t1, TCB_NEXT(a1)
        beqz    t0, 1f
        sd      t1, TCB_NEXT(t0)
        j       2f
1:      sd      t1, Q_HEAD(a0)
2:      beqz    t1, 3f
        sd      t0, TCB_PREV(t1)
        j       4f
3:      sd      t0, Q_TAIL(a0)
4:      sd      zero, TCB_NEXT(a1)
        sd      zero, TCB_PREV(a1)
        sd      zero, TCB_QUEUE(a1)
        ret

/* ep_pop(a0 = endpoint with a non-empty queue) → a0 = its first thread; the endpoint goes idle when emptied. */
ep_pop:
        addi    sp, sp, -16
        sd      ra, 0(sp)
        ld      a1, EP_QUEUE+Q_HEAD(a0)
        call    q_remove
        ld      t0, EP_QUEUE+Q_HEAD(a0)
        bnez    t0, 1f
        sd      zero, EP_STATE(a0)
1:      mv      a0, a1
        ld      ra, 0(sp)
        addi    sp, sp, 16
        ret

/* make_ready(a0 = thread): READY, at the tail of its priority's ready queue. Keeps a0. */
        .globl  make_ready
make_ready:
        li      t0, TS_READY
        sd      t0, TCB_STATE(a0)
        ld      t1, TCB_PRIO(a0)
        la      t2, ready_queues
        slli    t3, t1, 4
        add     t2, t2, t3              /* t2 = queue */
        sd      t2, TCB_QUEUE(a0)
        sd      zero, TCB_NEXT(a0)
        ld      t3, Q_TAIL(t2)
        sd      t3, TCB_PREV(a0)
        sd      a0, Q_TAIL(t2)
        beqz    t3, 1f
        sd      a0, TCB_NEXT(t3)
        j       2f
1:      sd      a0, Q_HEAD(t2)
2:      la      t2, ready_bitmap
        ld      t3, 0(t2)
        li      t4, 1
        sll     t4, t4, t1
        or      t3, t3, t4
        sd      t3, 0(t2)
        ret

/* dequeue_thread(a0 = thread): take it out of whatever queue holds it; keeps queue states true. */
        .globl  dequeue_thread
dequeue_thread:
        addi    sp, sp, -16
        sd      ra, 0(sp)
        sd      s1, 8(sp)
        mv      s1, a0
        ld      a0, TCB_QUEUE(s1)
        beqz    a0, 9f
        mv      a1, s1
        call    q_remove
        ld      t0, Q_HEAD(a0)
        bnez    t0, 9f
        ld      t1, TCB_STATE(s1)
        li      t2, TS_READY
        bne     t1, t2, 1f
        la      t2, ready_bitmap        /* the ready queue emptied */
        ld      t3, 0(t2)
        ld      t4, TCB_PRIO(s1)
        li      t5, 1
        sll     t5, t5, t4
        not     t5, t5
        and     t3, t3, t5
        sd      t3, 0(t2)
        j       9f
1:      li      t2, TS_BLOCKED_SEND
        beq     t1, t2, 2f
        li      t2, TS_BLOCKED_RECV
        bne     t1, t2, 9f
2:      sd      zero, EP_STATE(a0)      /* the endpoint queue emptied */
9:      ld      ra, 0(sp)
        ld      s1, 8(sp)
        addi    sp, sp, 16
        ret

/* ---------------------------------------------------------------- scheduler */
/* pick_next() → a0 = the first thread of the highest non-empty priority, dequeued; 0 if none. */
pick_next:
        la      t0, ready_bitmap
        ld      t1, 0(t0)
        beqz    t1, 3f
        li      t2, NUM_PRIORITIES-1
1:      srl     t3, t1, t2
        andi    t3, t3, 1
        bnez    t3, 2f
        addi    t2, t2, -1
        j       1b
2:      la      t4, ready_queues
        slli    t5, t2, 4
        add     t4, t4, t5              /* t4 = queue */
        ld      a0, Q_HEAD(t4)
        ld      t5, TCB_NEXT(a0)
        sd      t5, Q_HEAD(t4)
        bnez    t5, 1f
        sd      zero, Q_TAIL(t4)
        li      t5, 1
        sll     t5, t5, t2
        not     t5, t5
        and     t1, t1, t5
        sd      t1, 0(t0)
        j       2f
1:      sd      zero, TCB_PREV(t5)
2:      sd      zero, TCB_NEXT(a0)
        sd      zero, TCB_QUEUE(a0)
        ret
3:      li      a0, 0
        ret

/* schedule: run the best ready thread, or idle. Never returns. */
        .globl  schedule
schedule:
        la      sp, kernel_stack_top
        call    pick_next
        beqz    a0, idle
        li      t0, TS_RUNNING
        sd      t0, TCB_STATE(a0)
        j       return_to_user

/*
 * kernel_exit: back to the current thread s0 if it can still run and no higher priority is
 * ready; otherwise reschedule (a preempted current thread goes to the tail of its queue).
 */
        .globl  kernel_exit
kernel_exit:
        ld      t0, TCB_STATE(s0)
        li      t1, TS_RUNNING
        bne     t0, t1, schedule
        la      t0, ready_bitmap
        ld      t0, 0(t0)
        ld      t1, TCB_PRIO(s0)
        addi    t1, t1, 1
        srl     t0, t0, t1
        bnez    t0, 1f
        mv      a0, s0
        j       return_to_user
1:      mv      a0, s0
        call    make_ready
        j       schedule

/*
 * The idle thread: waits with wfi for the next tick. Nothing but the tick can wake a thread on
 * this board, so when the tick finds nothing ready no thread can ever run again: the run ends.
 */
idle:
        la      a0, idle_tcb
        la      t0, current_tcb
        sd      a0, 0(t0)
1:      wfi
        csrr    t0, sip
        andi    t0, t0, SIP_STIP
        beqz    t0, 1b
        call    set_next_tick
        call    pick_next
        beqz    a0, 2f
        li      t0, TS_RUNNING
        sd      t0, TCB_STATE(a0)
        j       return_to_user
2:      la      a0, str_deadlock
        call    kputs
        li      a0, DEADLOCK_EXIT_CODE
        j       finish

/* ---------------------------------------------------------------- traps */
        .globl  handle_interrupt
handle_interrupt:
        sd      t1, TCB_PC(s0)
        call    set_next_tick           /* the only enabled interrupt: the tick */
        mv      a0, s0
        call    make_ready
        j       schedule

/* A trap taken in the kernel itself is a kernel bug: report it and stop the board (code 99). */
        .globl  kernel_trap
kernel_trap:
        csrrw   sp, sscratch, sp        /* back to the kernel stack; sscratch = 0 again */
        la      a0, str_panic
        call    kputs
        csrr    a0, scause
        call    kput_hex
        la      a0, str_at_pc
        call    kputs
        csrr    a0, sepc
        call    kput_hex
        la      a0, str_tval
        call    kputs
        csrr    a0, stval
        call    kput_hex
        li      a0, 10
        call    kputc
        li      a0, 99
        j       finish

/*
 * A user exception: report it in one line and end the process (the domain the thread runs in).
 * t1 = sepc, t2 = scause. XPC exceptions of an xcall (24 invalid x-entry, 25 no xcall-cap,
 * 28 link stack full) are reported the same way but the caller continues after its xcall with
 * a7 = XPC_E_INVALID_ENTRY / XPC_E_DENIED / XPC_E_LINK_OVERFLOW; an xret that meets a record
 * invalidated by a dead domain (26) resumes the nearest live caller with XPC_E_DEAD_CALLEE.
 */
        .globl  handle_fault
handle_fault:
        sd      t1, TCB_PC(s0)
        mv      s1, t2
        csrr    s2, stval
        la      s3, str_fault1
        li      s4, 0                   /* s4 = the status an xcall error returns, 0 = the process ends */
        li      t0, XPC_CAUSE_BASE
        bltu    s1, t0, 5f
        call    xpc_sync
        li      t0, XPC_CAUSE_BASE+2
        bne     s1, t0, 1f
        mv      a0, s0
        call    xpc_broken_link
        li      t0, 1
        beq     a0, t0, kernel_exit
        li      t0, 2
        beq     a0, t0, orphan_ends
1:      li      t0, XPC_CAUSE_BASE
        li      s4, XPC_E_INVALID_ENTRY
        beq     s1, t0, 4f
        li      t0, XPC_CAUSE_BASE+1
        li      s4, XPC_E_DENIED
        beq     s1, t0, 4f
        li      t0, XPC_CAUSE_BASE+4
        li      s4, XPC_E_LINK_OVERFLOW
        beq     s1, t0, 4f
        li      s4, 0
        j       5f
4:      la      s3, str_xcall_error
5:      mv      a0, s3
        call    kputs
        ld      a0, TCB_PROC(s0)
        ld      a0, PROC_NAME(a0)
        call    kputs
        la      a0, str_fault2
        call    kputs
        addi    a0, s0, TCB_NAME
        call    kputs
        la      a0, str_colon
        call    kputs
        la      a0, str_unknown_cause
        li      t0, 30
        bgeu    s1, t0, 1f
        la      t0, cause_words
        slli    t1, s1, 3
        add     t0, t0, t1
        ld      a0, 0(t0)
1:      call    kputs
        la      a0, str_at_pc
        call    kputs
        ld      a0, TCB_PC(s0)
        call    kput_hex
        la      a0, str_tval
        call    kputs
        mv      a0, s2
        call    kput_hex
        li      a0, 10
        call    kputc
        beqz    s4, 6f
        sd      s4, R_A7(s0)            /* the xcall fails; the caller goes on after it */
        ld      t0, TCB_PC(s0)
        addi    t0, t0, 4
        sd      t0, TCB_PC(s0)
        j       kernel_exit
6:      ld      a0, TCB_PROC(s0)
        addi    a1, s1, FAULT_EXIT_BASE
        li      a2, PS_FAULTED
        call    kill_process
        j       schedule

/*
 * A thread whose process ended while it ran inside callees has unwound back to the record into
 * that process (invalid): no caller is left to resume, so it ends (it is in no queue).
 */
orphan_ends:
        la      a0, str_orphan1
        call    kputs
        ld      a0, TCB_HOME(s0)
        ld      a0, PROC_NAME(a0)
        call    kputs
        li      a0, '.'
        call    kputc
        addi    a0, s0, TCB_NAME
        call    kputs
        la      a0, str_orphan2
        call    kputs
        li      t0, TS_DEAD
        sd      t0, TCB_STATE(s0)
        j       schedule

/*
 * kill_process(a0 = process, a1 = exit code, a2 = new state): every thread running in it dies
 * and leaves its queue, unless XPC resumes it in a live caller; a thread of it running inside
 * another process's x-entry runs on until it would return into it (xpc_thread_survives). Ends
 * the run when the description says this exit ends it.
 */
kill_process:
        addi    sp, sp, -48
        sd      ra, 0(sp)
        sd      s1, 8(sp)
        sd      s2, 16(sp)
        sd      s3, 24(sp)
        sd      s4, 32(sp)
        mv      s1, a0
        sd      a2, PROC_STATE(s1)
        sd      a1, PROC_EXIT_CODE(s1)
        sd      zero, PROC_LIVE_THREADS(s1)
        call    xpc_sync                /* every thread's XPC state is in its TCB from here */
        la      s2, kernel_tcbs
        la      t0, num_threads
        ld      s3, 0(t0)
        li      t0, TCB_SIZE
        mul     s3, s3, t0
        add     s3, s3, s2              /* s3 = end of the live TCBs */
1:      bgeu    s2, s3, 3f
        ld      t0, TCB_STATE(s2)
        li      t1, TS_DEAD
        beq     t0, t1, 2f
        mv      a0, s2
        mv      a1, s1
        call    xpc_thread_survives
        bnez    a0, 2f
        mv      a0, s2
        call    dequeue_thread
        ld      t0, TCB_REPLY(s2)       /* a dead caller leaves its reply object unbound */
        beqz    t0, 7f
        sd      zero, REPLY_CALLER(t0)
7:      sd      zero, TCB_REPLY(s2)
        sd      zero, TCB_RECV_REPLY(s2)
        li      t0, TS_DEAD
        sd      t0, TCB_STATE(s2)
2:      li      t0, TCB_SIZE
        add     s2, s2, t0
        j       1b
3:      mv      a0, s1
        call    xpc_reclaim
        la      t0, exit_proc
        ld      t0, 0(t0)
        bltz    t0, 4f
        ld      t1, PROC_ID(s1)
        bne     t0, t1, 9f
        ld      a0, PROC_EXIT_CODE(s1)
        j       finish
4:      /* EXIT_WHEN_ALL: when the last process ends, exit with the first non-zero code (else 0). */
        la      s2, kernel_procs
        la      t0, num_procs
        ld      s3, 0(t0)
        li      s4, 0                   /* the run's code */
5:      beqz    s3, 7f
        ld      t0, PROC_STATE(s2)
        li      t1, PS_LIVE
        beq     t0, t1, 9f
        bnez    s4, 6f
        ld      s4, PROC_EXIT_CODE(s2)
6:      li      t0, PROC_SIZE
        add     s2, s2, t0
        addi    s3, s3, -1
        j       5b
7:      mv      a0, s4
        j       finish
9:      ld      ra, 0(sp)
        ld      s1, 8(sp)
        ld      s2, 16(sp)
        ld      s3, 24(sp)
        ld      s4, 32(sp)
        addi    sp, sp, 48
        ret

/* finish(a0 = exit code): stop the board through the SiFive test finisher. */
        .globl  finish
finish:
        li      t0, FINISHER_KVA
        bnez    a0, 1f
        li      t1, 0x5555
        sw      t1, 0(t0)
        j       finish
1:      slli    t1, a0, 16
        li      t2, 0x3333
        or      t1, t1, t2
        sw      t1, 0(t0)
        j       finish

/* ---------------------------------------------------------------- syscalls */
        .globl  handle_syscall
handle_syscall:
        li      t0, NUM_SYSCALLS
        bgeu    a7, t0, sys_bad
        la      t0, syscall_table
        slli    t1, a7, 3
        add     t0, t0, t1
        ld      t0, 0(t0)
        jr      t0
sys_bad:
        li      a0, E_BAD_SYSCALL
        j       sys_error

        .globl  sys_ok, sys_error, sys_error_a1, sys_bad_arg
sys_ok:
        sd      zero, R_A7(s0)
        j       kernel_exit
sys_error_a1:
        mv      a0, a1
sys_error:
        sd      a0, R_A7(s0)
        j       kernel_exit
sys_bad_arg:
        li      a0, E_BAD_ARG
        j       sys_error

sys_putchar:
        call    kputc
        j       sys_ok

sys_puts:
        mv      s1, a0
        li      s2, IPC_BUFFER_SIZE
1:      beqz    s2, sys_bad_arg
        mv      a0, s1
        call    user_byte
        bltz    a0, sys_bad_arg
        beqz    a0, sys_ok
        call    kputc
        addi    s1, s1, 1
        addi    s2, s2, -1
        j       1b

sys_set_name:
        mv      s1, a0
        addi    s2, s0, TCB_NAME
        li      s3, 31
1:      mv      a0, s1
        call    user_byte
        bltz    a0, sys_bad_arg
        sb      a0, 0(s2)
        beqz    a0, sys_ok
        addi    s1, s1, 1
        addi    s2, s2, 1
        addi    s3, s3, -1
        bnez    s3, 1b
        sb      zero, 0(s2)
        j       sys_ok

sys_exit:
        mv      a1, a0
        ld      a0, TCB_PROC(s0)
        li      a2, PS_EXITED
        call    kill_process
        j       schedule

sys_yield:
        sd      zero, R_A7(s0)
        mv      a0, s0
        call    make_ready
        j       schedule

/* Send, NBSend and Call share this path; s3 = 0 send, TF_CALL call, 2 non-blocking. */
sys_send:
        li      s3, 0
        j       do_send
sys_nbsend:
        li      s3, 2
        j       do_send
sys_call:
        li      s3, TF_CALL
do_send:
        mv      a0, a6
        li      a1, CAP_ENDPOINT
        li      a2, RIGHT_WRITE
        call    lookup_cap
        beqz    a0, sys_error_a1
        mv      s4, a0                  /* s4 = cap slot */
        ld      t0, R_T0(s0)
        li      t1, IPC_BUFFER_SIZE
        bgtu    t0, t1, sys_bad_arg
        ld      s5, CAP_OBJECT(s4)      /* s5 = endpoint */
        sd      zero, R_A7(s0)
        ld      t0, EP_STATE(s5)
        li      t1, EPS_RECV
        bne     t0, t1, 2f
        mv      a0, s5
        call    ep_pop
        mv      s6, a0                  /* s6 = receiver */
        mv      a0, s0
        mv      a1, s6
        ld      a2, CAP_BADGE(s4)
        call    transfer
        ld      t1, TCB_RECV_REPLY(s6)  /* the reply object the receiver named (0 = none) */
        sd      zero, TCB_RECV_REPLY(s6)
        andi    t0, s3, TF_CALL
        beqz    t0, 1f
        bnez    t1, 3f
        li      t0, E_NO_REPLY          /* delivered, but no reply can ever come */
        sd      t0, R_A7(s0)
        j       1f
3:      sd      s0, REPLY_CALLER(t1)    /* bind the caller to the receiver's reply object */
        sd      t1, TCB_REPLY(s0)
        li      t0, TS_BLOCKED_REPLY
        sd      t0, TCB_STATE(s0)
1:      mv      a0, s6
        call    make_ready
        j       kernel_exit
2:      andi    t0, s3, 2
        bnez    t0, kernel_exit         /* NBSend with nobody waiting: dropped */
        li      t0, TS_BLOCKED_SEND
        sd      t0, TCB_STATE(s0)
        ld      t0, CAP_BADGE(s4)
        sd      t0, TCB_SEND_BADGE(s0)
        sd      s3, TCB_FLAGS(s0)
        sd      s5, TCB_WAITOBJ(s0)
        mv      a0, s5
        mv      a1, s0
        call    q_append
        li      t0, EPS_SEND
        sd      t0, EP_STATE(s5)
        j       schedule

sys_recv:
        mv      a0, a6
        li      a1, CAP_ENDPOINT
        li      a2, RIGHT_READ
        call    lookup_cap
        beqz    a0, sys_error_a1
        ld      s5, CAP_OBJECT(a0)
        call    get_reply
        bnez    a1, sys_error_a1
        mv      s7, a0
        beqz    s7, do_recv
        ld      t0, REPLY_CALLER(s7)
        li      a0, E_NO_REPLY          /* still bound: Reply through it first */
        bnez    t0, sys_error
/* do_recv: s5 = endpoint, s7 = the reply object a Call binds to (0 = none). */
do_recv:
        ld      t0, EP_STATE(s5)
        li      t1, EPS_SEND
        bne     t0, t1, 2f
        mv      a0, s5
        call    ep_pop
        mv      s6, a0                  /* s6 = sender */
        mv      a1, s0
        ld      a2, TCB_SEND_BADGE(s6)
        call    transfer
        ld      t0, TCB_FLAGS(s6)
        sd      zero, TCB_FLAGS(s6)
        andi    t0, t0, TF_CALL
        beqz    t0, 1f
        bnez    s7, 3f
        li      t0, E_NO_REPLY          /* delivered, but no reply can ever come */
        sd      t0, R_A7(s6)
        j       1f
3:      sd      s6, REPLY_CALLER(s7)
        sd      s7, TCB_REPLY(s6)
        li      t0, TS_BLOCKED_REPLY
        sd      t0, TCB_STATE(s6)
        j       kernel_exit
1:      mv      a0, s6
        call    make_ready
        j       kernel_exit
2:      li      t0, TS_BLOCKED_RECV
        sd      t0, TCB_STATE(s0)
        sd      s5, TCB_WAITOBJ(s0)
        sd      s7, TCB_RECV_REPLY(s0)
        mv      a0, s5
        mv      a1, s0
        call    q_append
        li      t0, EPS_RECV
        sd      t0, EP_STATE(s5)
        j       schedule

sys_reply:
        call    get_reply
        bnez    a1, sys_error_a1
        li      a1, E_INVALID_CAP       /* Reply needs a reply object */
        beqz    a0, sys_error_a1
        call    do_reply
        bnez    a0, sys_error
        j       sys_ok

sys_reply_recv:
        mv      a0, a6
        li      a1, CAP_ENDPOINT
        li      a2, RIGHT_READ
        call    lookup_cap
        beqz    a0, sys_error_a1
        ld      s5, CAP_OBJECT(a0)
        call    get_reply
        bnez    a1, sys_error_a1
        li      a1, E_INVALID_CAP       /* ReplyRecv needs a reply object */
        beqz    a0, sys_error_a1
        mv      s7, a0
        call    do_reply
        li      t0, E_BAD_ARG
        beq     a0, t0, sys_error       /* an unbound reply object is fine: just receive */
        j       do_recv

/*
 * get_reply() → the reply cap named by the user's t2: a0 = reply object, a1 = 0; a0 = 0, a1 = 0
 * for REPLY_NONE; a0 = 0, a1 = error code for an invalid or wrong-type slot.
 */
get_reply:
        ld      a0, R_T2(s0)
        li      t0, REPLY_NONE
        bne     a0, t0, 1f
        li      a0, 0
        li      a1, 0
        ret
1:      addi    sp, sp, -16
        sd      ra, 0(sp)
        li      a1, CAP_REPLY
        li      a2, 0
        call    lookup_cap
        beqz    a0, 9f
        ld      a0, CAP_OBJECT(a0)
        li      a1, 0
9:      ld      ra, 0(sp)
        addi    sp, sp, 16
        ret

/*
 * do_reply(a0 = reply object) → a0 = error code: the reply (a0–a5, t0 bytes) to the caller bound
 * to the reply object, which is unbound.
 */
do_reply:
        addi    sp, sp, -16
        sd      ra, 0(sp)
        mv      t2, a0
        ld      t0, R_T0(s0)
        li      t1, IPC_BUFFER_SIZE
        li      a0, E_BAD_ARG
        bgtu    t0, t1, 9f
        li      a0, E_NO_CALLER
        ld      a1, REPLY_CALLER(t2)
        beqz    a1, 9f
        sd      zero, REPLY_CALLER(t2)
        sd      zero, TCB_REPLY(a1)
        ld      t0, TCB_STATE(a1)
        li      t1, TS_BLOCKED_REPLY
        bne     t0, t1, 9f
        mv      a0, s0
        li      a2, 0
        call    transfer
        mv      a0, a1
        call    make_ready
        sd      zero, R_A7(s0)
        li      a0, 0
9:      ld      ra, 0(sp)
        addi    sp, sp, 16
        ret

sys_signal:
        mv      a0, a6
        li      a1, CAP_NOTIFICATION
        li      a2, RIGHT_WRITE
        call    lookup_cap
        beqz    a0, sys_error_a1
        ld      s5, CAP_OBJECT(a0)
        ld      t0, CAP_BADGE(a0)
        ld      t1, NTFN_WORD(s5)
        or      t1, t1, t0
        sd      t1, NTFN_WORD(s5)
        ld      a1, NTFN_QUEUE+Q_HEAD(s5)
        beqz    a1, sys_ok
        mv      a0, s5
        call    q_remove
        ld      t1, NTFN_WORD(s5)
        sd      t1, R_T1(a1)
        sd      zero, NTFN_WORD(s5)
        sd      zero, R_A7(a1)
        mv      a0, a1
        call    make_ready
        j       sys_ok

sys_wait:
        mv      a0, a6
        li      a1, CAP_NOTIFICATION
        li      a2, RIGHT_READ
        call    lookup_cap
        beqz    a0, sys_error_a1
        ld      s5, CAP_OBJECT(a0)
        ld      t1, NTFN_WORD(s5)
        beqz    t1, 1f
        sd      t1, R_T1(s0)
        sd      zero, NTFN_WORD(s5)
        j       sys_ok
1:      sd      zero, R_A7(s0)
        li      t0, TS_BLOCKED_NOTIF
        sd      t0, TCB_STATE(s0)
        sd      s5, TCB_WAITOBJ(s0)
        mv      a0, s5
        mv      a1, s0
        call    q_append
        j       schedule

/*
 * lookup_cap(a0 = slot index, a1 = type, a2 = rights needed) → a0 = slot address, or 0 with
 * a1 = the error code. Every syscall that names an object goes through here.
 */
        .globl  lookup_cap
lookup_cap:
        li      t0, CSPACE_SLOTS
        bgeu    a0, t0, 1f
        ld      t1, TCB_PROC(s0)
        slli    t0, a0, 5
        add     t0, t0, t1
        addi    t0, t0, PROC_CSPACE
        ld      t1, CAP_TYPE(t0)
        beqz    t1, 1f
        bne     t1, a1, 2f
        ld      t1, CAP_RIGHTS(t0)
        and     t1, t1, a2
        bne     t1, a2, 3f
        mv      a0, t0
        ret
1:      li      a1, E_INVALID_CAP
        li      a0, 0
        ret
2:      li      a1, E_WRONG_TYPE
        li      a0, 0
        ret
3:      li      a1, E_NO_RIGHTS
        li      a0, 0
        ret

/*
 * transfer(a0 = sender, a1 = receiver, a2 = badge): a0–a5, the info word t0 (the length of the
 * long message, validated ≤ 4096 by the caller) and the badge in t1; success in a7; the long
 * message is copied between the IPC buffers through the kernel window. Keeps a0–a2.
 */
transfer:
        ld      t0, R_A0(a0)
        sd      t0, R_A0(a1)
        ld      t0, R_A1(a0)
        sd      t0, R_A1(a1)
        ld      t0, R_A2(a0)
        sd      t0, R_A2(a1)
        ld      t0, R_A3(a0)
        sd      t0, R_A3(a1)
        ld      t0, R_A4(a0)
        sd      t0, R_A4(a1)
        ld      t0, R_A5(a0)
        sd      t0, R_A5(a1)
        sd      a2, R_T1(a1)
        sd      zero, R_A7(a1)
        ld      t0, R_T0(a0)
        sd      t0, R_T0(a1)
        beqz    t0, 2f
        ld      t1, TCB_IPCBUF_KVA(a0)
        ld      t2, TCB_IPCBUF_KVA(a1)
        addi    t0, t0, 7
        srli    t0, t0, 3
1:      ld      t3, 0(t1)
        sd      t3, 0(t2)
        addi    t1, t1, 8
        addi    t2, t2, 8
        addi    t0, t0, -1
        bnez    t0, 1b
2:      ret

/*
 * user_byte(a0 = user address) → a0 = the byte, or -1 when the current process has no
 * user-readable mapping there (a software Sv39 walk, so a bad pointer never faults the kernel).
 * An address in the current thread's relay segment (seg-reg, R) is read through it.
 */
user_byte:
        csrr    t1, xseg_len            /* the relay segment in seg-reg comes first, as for the hardware */
        beqz    t1, 3f
        csrr    t2, xseg_va
        sub     t3, a0, t2
        bgeu    t3, t1, 3f
        csrr    t4, xseg_perm
        andi    t4, t4, 1
        beqz    t4, 9f
        csrr    t2, xseg_pa
        add     t3, t3, t2
        li      t6, KERNEL_OFFSET
        add     t3, t3, t6
        lbu     a0, 0(t3)
        ret
3:      li      t0, USER_VA_LIMIT
        bgeu    a0, t0, 9f
        ld      t1, TCB_PROC(s0)
        ld      t1, PROC_SATP(t1)
        slli    t1, t1, 20
        srli    t1, t1, 20
        slli    t1, t1, 12              /* t1 = table (physical) */
        li      t6, KERNEL_OFFSET
        li      t2, 30                  /* shift of this level's VPN */
1:      srl     t3, a0, t2
        andi    t3, t3, 511
        slli    t3, t3, 3
        add     t3, t3, t1
        add     t3, t3, t6
        ld      t4, 0(t3)
        andi    t5, t4, 1
        beqz    t5, 9f
        andi    t5, t4, 0xe
        bnez    t5, 2f
        srli    t1, t4, 10
        slli    t1, t1, 12
        addi    t2, t2, -9
        li      t5, 12
        blt     t2, t5, 9f
        j       1b
2:      andi    t5, t4, 0x12            /* U and R */
        li      t3, 0x12
        bne     t5, t3, 9f
        srli    t1, t4, 10
        slli    t1, t1, 12
        li      t5, 1
        sll     t5, t5, t2
        addi    t5, t5, -1
        and     t5, a0, t5
        add     t1, t1, t5
        add     t1, t1, t6
        lbu     a0, 0(t1)
        ret
9:      li      a0, -1
        ret

/* ---------------------------------------------------------------- console */
/* kputc(a0 = byte). Keeps a0. */
        .globl  kputc
kputc:
        li      t0, UART_KVA
1:      lbu     t1, 5(t0)
        andi    t1, t1, 0x20
        beqz    t1, 1b
        sb      a0, 0(t0)
        ret

/* kputs(a0 = kernel address of a NUL-terminated string). */
        .globl  kputs
kputs:
        li      t0, UART_KVA
1:      lbu     t2, 0(a0)
        beqz    t2, 3f
2:      lbu     t1, 5(t0)
        andi    t1, t1, 0x20
        beqz    t1, 2b
        sb      t2, 0(t0)
        addi    a0, a0, 1
        j       1b
3:      ret

/* kput_hex(a0): hexadecimal without leading zeros. */
kput_hex:
        addi    sp, sp, -16
        sd      ra, 0(sp)
        sd      s1, 8(sp)
        mv      s1, a0
        li      t2, 60                  /* skip leading zero digits, keep the last */
1:      beqz    t2, 2f
        srl     t3, s1, t2
        andi    t3, t3, 15
        bnez    t3, 2f
        addi    t2, t2, -4
        j       1b
2:      srl     t3, s1, t2
        andi    t3, t3, 15
        la      t4, hex_digits
        add     t4, t4, t3
        lbu     a0, 0(t4)
        mv      t5, t2
        call    kputc
        mv      t2, t5
        addi    t2, t2, -4
        bgez    t2, 2b
        ld      ra, 0(sp)
        ld      s1, 8(sp)
        addi    sp, sp, 16
        ret

/* ---------------------------------------------------------------- tables and state */
        .section .rodata
        .balign 8
syscall_table:
        .dword  sys_putchar, sys_puts, sys_exit, sys_set_name, sys_yield
        .dword  sys_send, sys_nbsend, sys_recv, sys_call, sys_reply, sys_reply_recv
        .dword  sys_signal, sys_wait
        .rept   SYS_XPC_SEG_ALLOC - SYS_WAIT - 1
        .dword  sys_bad
        .endr
        .dword  sys_xpc_seg_alloc, sys_xpc_seg_free, sys_xpc_register, sys_xpc_grant, sys_xpc_revoke
/* Capability type → (first object, object size), to turn a boot-info object index into an address. */
cap_objects:
        .dword  0, 0
        .dword  kernel_endpoints, EP_SIZE
        .dword  kernel_notifications, NTFN_SIZE
        .dword  kernel_replies, REPLY_SIZE
        .dword  kernel_procs, PROC_SIZE
        .dword  kernel_tcbs, TCB_SIZE
        .dword  xentry_table, XE_SIZE
        .dword  0, 0                    /* XPC control: no object */
cause_words:
        .dword  c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c10, c12, c13, c10, c15
        .dword  c10, c10, c10, c10, c10, c10, c10, c10, c24, c25, c26, c27, c28, c29
str_orphan1:    .asciz  "[kernel] thread "
str_orphan2:    .asciz  " ends: its process has ended and no live caller is left\n"
c0:     .asciz  "instruction address misaligned"
c1:     .asciz  "instruction access fault"
c2:     .asciz  "illegal instruction"
c3:     .asciz  "breakpoint"
c4:     .asciz  "load address misaligned"
c5:     .asciz  "load access fault"
c6:     .asciz  "store/AMO address misaligned"
c7:     .asciz  "store/AMO access fault"
c8:     .asciz  "environment call from U-mode"
c9:     .asciz  "environment call from S-mode"
c10:    .asciz  "reserved exception"
c12:    .asciz  "instruction page fault"
c13:    .asciz  "load page fault"
c15:    .asciz  "store/AMO page fault"
c24:    .asciz  "invalid x-entry"
c25:    .asciz  "invalid xcall-cap"
c26:    .asciz  "invalid linkage"
c27:    .asciz  "swapseg error"
c28:    .asciz  "link stack overflow"
c29:    .asciz  "relay segment not returned"
str_unknown_cause: .asciz "unknown exception"
str_fault1:     .asciz  "[kernel] fault: process "
str_xcall_error: .asciz "[kernel] xcall failed: process "
str_fault2:     .asciz  ", thread "
str_colon:      .asciz  ": "
str_at_pc:      .asciz  " at pc 0x"
str_tval:       .asciz  ", tval 0x"
str_panic:      .asciz  "[kernel] panic: trap in the kernel, scause 0x"
str_deadlock:   .asciz  "[kernel] no thread can run again: deadlock\n"
str_idle:       .asciz  "idle"
hex_digits:     .ascii  "0123456789abcdef"

        .data
        .balign 8
        .globl  current_tcb, ready_bitmap, tick_interval, exit_proc
        .globl  num_procs, num_threads, num_endpoints, num_notifications
current_tcb:    .dword  0
ready_bitmap:   .dword  0
tick_interval:  .dword  0
exit_proc:      .dword  -1
num_procs:      .dword  0
num_threads:    .dword  0
num_endpoints:  .dword  0
num_notifications: .dword 0

        .bss
        .balign 4096
        .globl  kernel_root_pt, kernel_tcbs, idle_tcb, kernel_procs, kernel_endpoints
        .globl  kernel_notifications, kernel_replies, ready_queues, kernel_stack_top
kernel_root_pt: .skip   4096
kernel_stack:   .skip   16384
kernel_stack_top:
kernel_tcbs:    .skip   TCB_SIZE * MAX_THREADS
idle_tcb:       .skip   TCB_SIZE
kernel_procs:   .skip   PROC_SIZE * MAX_PROCS
kernel_endpoints: .skip EP_SIZE * MAX_ENDPOINTS
kernel_notifications: .skip NTFN_SIZE * MAX_NOTIFICATIONS
kernel_replies: .skip   REPLY_SIZE * MAX_REPLIES
ready_queues:   .skip   Q_SIZE * NUM_PRIORITIES
