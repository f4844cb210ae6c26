/*
 * xpc.S — the kernel's part of XPC (issue #7, docs/kernel.md "XPC"): it owns the x-entry table,
 * the per-process xcall-cap bitmaps and seg-lists, the per-thread link stacks (kernel memory,
 * never mapped for users) and the relay segments. xcall/xret/swapseg never enter the kernel; the
 * kernel only sets the engine up at boot, switches each thread's XPC registers with the thread,
 * turns XPC exceptions into errors or faults, and cleans up when a domain dies.
 *
 * Domains: process i is domain i+1 (PROC_DOMAIN); domain_procs[d] is its process. A thread's
 * TCB_HOME is its own process, TCB_PROC the domain it runs in now (set from xdomain on every
 * trap), so cap lookups, faults and puts belong to the callee while a thread runs inside it.
 *
 * The hardware XPC registers hold the state of the thread xpc_owner; every other thread's state
 * is in its TCB (TCB_XLINK…). return_to_user switches them lazily (only when another thread
 * runs); code that edits a thread's XPC state in its TCB first calls xpc_sync.
 */
        .include "abi.inc"
        .include "xpc-lib.inc"
        .include "regs.inc"

        .equ    RELAY_VA_DELTA, USER_RELAY_BASE - KERNEL_PA   /* va of a relay segment = pa + this */

/* Saving the XPC registers into a TCB (t2 scratch). */
        .macro  XPC_SAVE tcb
        csrr    t2, xlink
        sd      t2, TCB_XLINK(\tcb)
        csrr    t2, xcap
        sd      t2, TCB_XCAP(\tcb)
        csrr    t2, xseglist
        sd      t2, TCB_XSEGLIST(\tcb)
        csrr    t2, xseglist_len
        sd      t2, TCB_XSEGLIST_LEN(\tcb)
        csrr    t2, xdomain
        sd      t2, TCB_XDOMAIN(\tcb)
        csrr    t2, xcaller
        sd      t2, TCB_XCALLER(\tcb)
        csrr    t2, xseg_va
        sd      t2, TCB_SEG_VA(\tcb)
        csrr    t2, xseg_pa
        sd      t2, TCB_SEG_PA(\tcb)
        csrr    t2, xseg_len
        sd      t2, TCB_SEG_LEN(\tcb)
        csrr    t2, xseg_perm
        sd      t2, TCB_SEG_PERM(\tcb)
        csrr    t2, segmask_off
        sd      t2, TCB_SEGMASK_OFF(\tcb)
        csrr    t2, segmask_len
        sd      t2, TCB_SEGMASK_LEN(\tcb)
        csrr    t2, segmask_perm
        sd      t2, TCB_SEGMASK_PERM(\tcb)
        .endm

/* An XPC register from thread a0's TCB, written only when it differs from `old` (a CSR write flushes the pipeline). */
        .macro  XPC_LOAD_CHANGED field, csr, old
        ld      a6, \field(a0)
        beq     a6, \old, 1f
        csrw    \csr, a6
1:
        .endm

        .text
/*
 * xpc_switch(a0 = thread to run, t1 = xpc_owner or 0): the hardware XPC registers from the
 * owner's to a0's. Called by return_to_user only, which restores every register after it: uses
 * t0–t6 and a1–a7, keeps a0. Kept short because every thread switch of an XPC system (the IPC
 * fastpath included) pays it: the reads are batched (a CSR read has a latency), and a CSR write
 * (a pipeline flush) happens only when the value changes. xcap and xseglist are not saved: they
 * are always those of the domain in xdomain (x-entries and link records carry the domain's).
 * xlink_base/limit are the thread's own and never change.
 */
        .globl  xpc_switch
xpc_switch:
        csrr    t2, xlink
        csrr    t3, xdomain
        csrr    t4, xcaller
        csrr    t5, xseg_va
        csrr    t6, xseg_pa
        csrr    a1, xseg_len
        csrr    a2, xseg_perm
        csrr    a3, segmask_off
        csrr    a4, segmask_len
        csrr    a5, segmask_perm
        beqz    t1, 1f
        sd      t2, TCB_XLINK(t1)
        sd      t3, TCB_XDOMAIN(t1)
        sd      t4, TCB_XCALLER(t1)
        sd      t5, TCB_SEG_VA(t1)
        sd      t6, TCB_SEG_PA(t1)
        sd      a1, TCB_SEG_LEN(t1)
        sd      a2, TCB_SEG_PERM(t1)
        sd      a3, TCB_SEGMASK_OFF(t1)
        sd      a4, TCB_SEGMASK_LEN(t1)
        sd      a5, TCB_SEGMASK_PERM(t1)
1:      ld      a6, TCB_XLINK(a0)
        csrw    xlink, a6
        ld      a6, TCB_XLINK_BASE(a0)
        csrw    xlink_base, a6
        ld      a6, TCB_XLINK_LIMIT(a0)
        csrw    xlink_limit, a6
        ld      a6, TCB_XDOMAIN(a0)
        beq     a6, t3, 2f
        csrw    xdomain, a6
        slli    a7, a6, 3
        la      t0, domain_procs
        add     a7, a7, t0
        ld      a7, 0(a7)               /* the domain's process */
        li      t0, KERNEL_OFFSET
        ld      a6, PROC_SEGLIST(a7)
        sub     a6, a6, t0
        csrw    xseglist, a6
        addi    a6, a7, PROC_XCAP
        sub     a6, a6, t0
        csrw    xcap, a6
2:      XPC_LOAD_CHANGED TCB_XCALLER, xcaller, t4
        XPC_LOAD_CHANGED TCB_SEG_VA, xseg_va, t5
        XPC_LOAD_CHANGED TCB_SEG_PA, xseg_pa, t6
        XPC_LOAD_CHANGED TCB_SEG_LEN, xseg_len, a1
        XPC_LOAD_CHANGED TCB_SEG_PERM, xseg_perm, a2
        XPC_LOAD_CHANGED TCB_SEGMASK_OFF, segmask_off, a3
        XPC_LOAD_CHANGED TCB_SEGMASK_LEN, segmask_len, a4
        XPC_LOAD_CHANGED TCB_SEGMASK_PERM, segmask_perm, a5
        la      t2, xpc_owner
        sd      a0, 0(t2)
        ret

/*
 * xpc_disable(): for a thread whose process has no XPC rights (PROC_XPC_USER = 0): the owner's
 * state into its TCB, xctl.EN off (xcall/xret/swapseg are illegal instructions for it) and no
 * segment in seg-reg, so it can use nothing of the previous thread's. Switches between such
 * threads (the IPC fastpath of plain processes) then cost no CSR access. Uses t0–t3.
 * xpc_enable(): back on (xpc_owner is 0 then, so xpc_switch loads everything it needs).
 */
        .globl  xpc_disable, xpc_enable
xpc_disable:
        mv      t3, ra
        call    xpc_sync
        mv      ra, t3
        csrw    xctl, zero
        csrr    t0, xseg_len
        beqz    t0, 1f
        csrw    xseg_len, zero
1:      la      t0, xpc_hw_on
        sd      zero, 0(t0)
        ret
xpc_enable:
        li      t0, XCTL_EN
        csrw    xctl, t0
        la      t0, xpc_hw_on
        li      t1, 1
        sd      t1, 0(t0)
        ret

/* xpc_sync(): the owner's hardware XPC state into its TCB; nobody owns the registers after. Uses t0–t2. */
        .globl  xpc_sync
xpc_sync:
        la      t0, xpc_owner
        ld      t1, 0(t0)
        beqz    t1, 1f
        sd      zero, 0(t0)
        XPC_SAVE t1
1:      ret

/* ---------------------------------------------------------------- boot */
/*
 * xpc_boot(s2 = boot info): domains, seg-lists, every thread's initial XPC state, the x-entry
 * table, the grants, the description's relay segments; then the engine on (xctl.EN).
 * Boot only: clobbers s3–s11.
 */
        .globl  xpc_boot
xpc_boot:
        addi    sp, sp, -16
        sd      ra, 0(sp)
        la      t0, xpc_enabled
        li      t1, 1
        sd      t1, 0(t0)
        li      s11, KERNEL_OFFSET
        /* Processes: domain id = index + 1, a seg-list each. */
        la      s3, kernel_procs
        la      s4, kernel_seglists
        la      s5, domain_procs
        la      t0, num_procs
        ld      s6, 0(t0)
        li      s7, 0
1:      bgeu    s7, s6, 2f
        addi    t0, s7, 1
        sd      t0, PROC_DOMAIN(s3)
        sd      s4, PROC_SEGLIST(s3)
        slli    t1, t0, 3
        add     t1, t1, s5
        sd      s3, 0(t1)
        li      t0, PROC_SIZE
        add     s3, s3, t0
        addi    s4, s4, SS_SIZE*SEGLIST_SLOTS
        addi    s7, s7, 1
        j       1b
        /* Threads: their own domain, an empty link stack, no segment, seg-mask reset. */
2:      la      s3, kernel_tcbs
        la      s4, kernel_linkstacks
        sub     s4, s4, s11
        la      t0, num_threads
        ld      s6, 0(t0)
        li      s7, 0
1:      bgeu    s7, s6, 2f
        sd      s4, TCB_XLINK(s3)
        sd      s4, TCB_XLINK_BASE(s3)
        li      t0, LINK_STACK_SIZE
        add     s4, s4, t0
        sd      s4, TCB_XLINK_LIMIT(s3)
        ld      t1, TCB_HOME(s3)
        addi    t0, t1, PROC_XCAP
        sub     t0, t0, s11
        sd      t0, TCB_XCAP(s3)
        ld      t0, PROC_SEGLIST(t1)
        sub     t0, t0, s11
        sd      t0, TCB_XSEGLIST(s3)
        li      t0, SEGLIST_SLOTS
        sd      t0, TCB_XSEGLIST_LEN(s3)
        ld      t0, PROC_DOMAIN(t1)
        sd      t0, TCB_XDOMAIN(s3)
        sd      zero, TCB_XCALLER(s3)
        sd      zero, TCB_SEG_VA(s3)
        sd      zero, TCB_SEG_PA(s3)
        sd      zero, TCB_SEG_LEN(s3)
        sd      zero, TCB_SEG_PERM(s3)
        sd      zero, TCB_SEGMASK_OFF(s3)
        li      t0, -1
        sd      t0, TCB_SEGMASK_LEN(s3)
        li      t0, 3
        sd      t0, TCB_SEGMASK_PERM(s3)
        li      t0, TCB_SIZE
        add     s3, s3, t0
        addi    s7, s7, 1
        j       1b
        /* x-entries: record k is entry k+1. */
2:      ld      s6, BI_NXENTRIES(s2)
        ld      s3, BI_XENTRIES(s2)
        add     s3, s3, s2
        la      s4, xentry_table
        addi    s4, s4, XE_SIZE
        la      s5, xentry_info
        addi    s5, s5, XEI_SIZE
1:      beqz    s6, 2f
        ld      a0, BIX_PROC(s3)
        call    proc_by_index
        li      t0, 1
        sd      t0, PROC_XPC_USER(a0)
        ld      a1, BIX_ENTRY_PC(s3)
        ld      a2, BIX_CONTEXTS(s3)
        mv      a3, s4
        mv      a4, s5
        call    xentry_fill
        addi    s3, s3, BIX_SIZE
        addi    s4, s4, XE_SIZE
        addi    s5, s5, XEI_SIZE
        addi    s6, s6, -1
        j       1b
        /* Grants: bit `entry` of the process's bitmap. */
2:      ld      s6, BI_NGRANTS(s2)
        ld      s3, BI_GRANTS(s2)
        add     s3, s3, s2
1:      beqz    s6, 2f
        ld      a0, BIG_PROC(s3)
        call    proc_by_index
        li      t0, 1
        sd      t0, PROC_XPC_USER(a0)
        ld      t1, BIG_ENTRY(s3)
        li      t2, 1
        sll     t2, t2, t1
        ld      t3, PROC_XCAP(a0)
        or      t3, t3, t2
        sd      t3, PROC_XCAP(a0)
        addi    s3, s3, BIG_SIZE
        addi    s6, s6, -1
        j       1b
        /* Relay segments: a kernel record each, and the owner's seg-list slot. */
2:      ld      s6, BI_NSEGS(s2)
        ld      s3, BI_SEGS(s2)
        add     s3, s3, s2
        la      s4, relay_segs
1:      beqz    s6, 2f
        ld      a0, BIS_PROC(s3)
        call    proc_by_index
        li      t0, 1
        sd      t0, PROC_XPC_USER(a0)
        ld      t1, BIS_PA(s3)
        ld      t2, BIS_LEN(s3)
        ld      t3, BIS_PERM(s3)
        sd      t1, RS_PA(s4)
        sd      t2, RS_LEN(s4)
        sd      a0, RS_OWNER(s4)
        sd      t3, RS_PERM(s4)
        sd      zero, RS_POOL(s4)
        ld      t4, BIS_SLOT(s3)
        slli    t4, t4, 5
        ld      t5, PROC_SEGLIST(a0)
        add     t4, t4, t5
        li      t5, RELAY_VA_DELTA
        add     t5, t5, t1
        sd      t5, SS_VA(t4)
        sd      t1, SS_PA(t4)
        sd      t2, SS_LEN(t4)
        sd      t3, SS_PERM(t4)
        addi    s3, s3, BIS_SIZE
        addi    s4, s4, RS_SIZE
        addi    s6, s6, -1
        j       1b
2:      la      t0, relay_pool_pa
        ld      t1, BI_POOL_PA(s2)
        sd      t1, 0(t0)
        la      t0, relay_pool_pages
        ld      t1, BI_POOL_PAGES(s2)
        sd      t1, 0(t0)
        /* The engine: the table, its size, on. */
        la      t0, xentry_table
        sub     t0, t0, s11
        csrw    xentry_base, t0
        li      t0, MAX_XENTRIES
        csrw    xentry_size, t0
        li      t0, SEGLIST_SLOTS       /* every seg-list has this many slots: written once */
        csrw    xseglist_len, t0
        li      t0, XCTL_EN
        csrw    xctl, t0
        la      t0, xpc_hw_on
        li      t1, 1
        sd      t1, 0(t0)
        ld      ra, 0(sp)
        addi    sp, sp, 16
        ret

/* proc_by_index(a0 = index) → a0 = process. Uses t0. */
proc_by_index:
        li      t0, PROC_SIZE
        mul     a0, a0, t0
        la      t0, kernel_procs
        add     a0, a0, t0
        ret

/*
 * xentry_fill(a0 = owner process, a1 = entry_pc, a2 = contexts, a3 = table entry, a4 = its
 * kernel record): a valid x-entry into the owner's domain. Keeps a0–a4; uses t0, t6.
 */
xentry_fill:
        ld      t0, PROC_SATP(a0)
        sd      t0, XE_SATP(a3)
        li      t6, KERNEL_OFFSET
        addi    t0, a0, PROC_XCAP
        sub     t0, t0, t6
        sd      t0, XE_XCAP(a3)
        sd      a1, XE_ENTRY_PC(a3)
        ld      t0, PROC_SEGLIST(a0)
        sub     t0, t0, t6
        sd      t0, XE_XSEGLIST(a3)
        li      t0, SEGLIST_SLOTS
        sd      t0, XE_XSEGLIST_LEN(a3)
        ld      t0, PROC_DOMAIN(a0)
        sd      t0, XE_DOMAIN(a3)
        li      t0, XPC_VALID
        sd      t0, XE_FLAGS(a3)
        sd      a0, XEI_OWNER(a4)
        sd      a2, XEI_CONTEXTS(a4)
        ret

/* ---------------------------------------------------------------- dead callees */
/*
 * xpc_recover(a0 = thread, its XPC state in its TCB) → a0 = 1 when resumed, 0 when no live
 * caller is left: pops link records down to the nearest valid one (records into dead domains
 * were invalidated) and resumes that caller at its ret_pc with its own domain, segment and
 * capabilities, every register zero but a7 = XPC_E_DEAD_CALLEE. Uses t0–t6.
 */
        .macro  FROM_RECORD field, tcbfield   /* a field of the record at t2 into thread a0's TCB */
        ld      t3, \field(t2)
        sd      t3, \tcbfield(a0)
        .endm

        .globl  xpc_recover
xpc_recover:
        ld      t0, TCB_XLINK(a0)
        ld      t1, TCB_XLINK_BASE(a0)
        li      t6, KERNEL_OFFSET
1:      bleu    t0, t1, 9f
        addi    t0, t0, -LR_SIZE
        add     t2, t0, t6
        ld      t3, LR_FLAGS(t2)
        andi    t3, t3, XPC_VALID
        beqz    t3, 1b
        sd      zero, LR_FLAGS(t2)
        sd      t0, TCB_XLINK(a0)
        FROM_RECORD LR_RET_PC, TCB_PC
        FROM_RECORD LR_XCAP, TCB_XCAP
        FROM_RECORD LR_XSEGLIST, TCB_XSEGLIST
        FROM_RECORD LR_XSEGLIST_LEN, TCB_XSEGLIST_LEN
        ld      t3, LR_DOMAIN(t2)
        sd      t3, TCB_XDOMAIN(a0)
        slli    t4, t3, 3
        la      t5, domain_procs
        add     t4, t4, t5
        ld      t4, 0(t4)
        sd      t4, TCB_PROC(a0)
        FROM_RECORD LR_CALLER, TCB_XCALLER
        FROM_RECORD LR_SEG_VA, TCB_SEG_VA
        FROM_RECORD LR_SEG_PA, TCB_SEG_PA
        FROM_RECORD LR_SEG_LEN, TCB_SEG_LEN
        FROM_RECORD LR_SEG_PERM, TCB_SEG_PERM
        sd      zero, TCB_SEGMASK_OFF(a0)
        li      t3, -1
        sd      t3, TCB_SEGMASK_LEN(a0)
        li      t3, 3
        sd      t3, TCB_SEGMASK_PERM(a0)
        sd      zero, TCB_FLAGS(a0)
        addi    t3, a0, 8               /* x1..x31: nothing of the dead callee leaks */
        addi    t4, a0, 256
2:      sd      zero, 0(t3)
        addi    t3, t3, 8
        bltu    t3, t4, 2b
        li      t3, XPC_E_DEAD_CALLEE
        sd      t3, R_A7(a0)
        li      a0, 1
        ret
9:      li      a0, 0
        ret

/*
 * xpc_broken_link(a0 = thread) → a0 = 1 when its xret met a record invalidated by a death
 * (exception 26 with a non-empty link stack) and it was resumed in the nearest live caller;
 * 2 when it met one but no live caller is left (its home process has ended: the thread ends);
 * 0 when the link stack was empty or its top record valid (a fault of the program).
 */
        .globl  xpc_broken_link
xpc_broken_link:
        ld      t0, TCB_XLINK(a0)
        ld      t1, TCB_XLINK_BASE(a0)
        bleu    t0, t1, 1f
        li      t6, KERNEL_OFFSET
        add     t2, t0, t6
        ld      t3, LR_FLAGS-LR_SIZE(t2)
        andi    t3, t3, XPC_VALID
        bnez    t3, 1f
        addi    sp, sp, -16
        sd      ra, 0(sp)
        call    xpc_recover
        ld      ra, 0(sp)
        addi    sp, sp, 16
        bnez    a0, 2f
        li      a0, 2
2:      ret
1:      li      a0, 0
        ret

/*
 * xpc_thread_survives(a0 = live thread, a1 = dying process) → a0 = 1 when the thread runs on,
 * 0 when it must die with the process. Its link records that would return into the dying domain
 * become invalid. A thread running in another domain runs on — its own process's too: a thread
 * whose home dies while it is inside callees unwinds through them (their call contexts and the
 * segments they lent come back at each xret) and ends at the xret into the dead domain
 * (xpc_broken_link). A thread running inside the dying domain leaves every queue and resumes in
 * the nearest live caller, or must die when none is left. Without XPC: runs on iff it runs
 * elsewhere.
 */
        .globl  xpc_thread_survives
xpc_thread_survives:
        la      t0, xpc_enabled
        ld      t0, 0(t0)
        bnez    t0, 8f
        ld      t0, TCB_PROC(a0)
        sub     a0, t0, a1
        snez    a0, a0
        ret
8:      ld      t2, PROC_DOMAIN(a1)
        ld      t0, TCB_XLINK_BASE(a0)
        ld      t1, TCB_XLINK(a0)
        li      t6, KERNEL_OFFSET
1:      bgeu    t0, t1, 2f
        add     t3, t0, t6
        ld      t4, LR_DOMAIN(t3)
        bne     t4, t2, 3f
        sd      zero, LR_FLAGS(t3)
3:      addi    t0, t0, LR_SIZE
        j       1b
2:      ld      t0, TCB_PROC(a0)
        bne     t0, a1, 9f
        addi    sp, sp, -16
        sd      ra, 0(sp)
        sd      s1, 8(sp)
        mv      s1, a0
        call    xpc_recover
        beqz    a0, 5f                  /* no live caller: it dies with the process */
        mv      a0, s1
        call    dequeue_thread
        ld      t0, TCB_REPLY(s1)       /* a Call it made from inside the dying domain is abandoned */
        beqz    t0, 4f
        sd      zero, REPLY_CALLER(t0)
4:      sd      zero, TCB_REPLY(s1)
        sd      zero, TCB_RECV_REPLY(s1)
        mv      a0, s1
        call    make_ready
        li      a0, 1
5:      ld      ra, 0(sp)
        ld      s1, 8(sp)
        addi    sp, sp, 16
        ret
9:      li      a0, 1
        ret

/*
 * xpc_reclaim(a0 = dead process): its relay segments vanish from every seg-list, seg-reg and
 * link record and are freed; its seg-list empties (borrowed windows went back with the records);
 * its x-entries become invalid and leave every bitmap; the engine cache is flushed.
 */
        .globl  xpc_reclaim
xpc_reclaim:
        la      t0, xpc_enabled
        ld      t0, 0(t0)
        beqz    t0, 9f
        addi    sp, sp, -32
        sd      ra, 0(sp)
        sd      s1, 8(sp)
        sd      s2, 16(sp)
        sd      s3, 24(sp)
        mv      s1, a0
        la      s2, relay_segs
        li      s3, MAX_RELAY_SEGS
1:      ld      t0, RS_OWNER(s2)
        bne     t0, s1, 2f
        ld      a0, RS_PA(s2)
        li      t0, RELAY_VA_DELTA
        add     a0, a0, t0
        ld      a1, RS_LEN(s2)
        add     a1, a1, a0
        call    relay_scrub
        mv      a0, s2
        call    relay_release
2:      addi    s2, s2, RS_SIZE
        addi    s3, s3, -1
        bnez    s3, 1b
        ld      t0, PROC_SEGLIST(s1)
        addi    t1, t0, SS_SIZE*SEGLIST_SLOTS
3:      sd      zero, 0(t0)
        addi    t0, t0, 8
        bltu    t0, t1, 3b
        /* its x-entries */
        li      t0, 1
4:      la      t1, xentry_info
        slli    t2, t0, 4
        add     t1, t1, t2
        ld      t2, XEI_OWNER(t1)
        bne     t2, s1, 6f
        sd      zero, XEI_OWNER(t1)
        la      t1, xentry_table
        slli    t2, t0, 6
        add     t1, t1, t2
        sd      zero, XE_FLAGS(t1)
        li      t2, 1
        sll     t2, t2, t0
        not     t2, t2
        la      t3, kernel_procs
        la      t4, num_procs
        ld      t4, 0(t4)
5:      ld      t5, PROC_XCAP(t3)
        and     t5, t5, t2
        sd      t5, PROC_XCAP(t3)
        li      t5, PROC_SIZE
        add     t3, t3, t5
        addi    t4, t4, -1
        bnez    t4, 5b
6:      addi    t0, t0, 1
        li      t1, MAX_XENTRIES
        bltu    t0, t1, 4b
        li      t0, XCTL_EN | XCTL_FLUSH
        csrw    xctl, t0
        ld      ra, 0(sp)
        ld      s1, 8(sp)
        ld      s2, 16(sp)
        ld      s3, 24(sp)
        addi    sp, sp, 32
9:      ret

/*
 * relay_scrub(a0 = va, a1 = end): no seg-list slot, thread seg-reg or link record (caller's
 * segment or handed window) refers to [a0, a1) any more. Uses t0–t6.
 */
relay_scrub:
        /* seg-lists of every process */
        la      t0, kernel_seglists
        li      t1, SS_SIZE*SEGLIST_SLOTS*MAX_PROCS
        add     t1, t1, t0
1:      ld      t2, SS_VA(t0)
        bltu    t2, a0, 2f
        bgeu    t2, a1, 2f
        sd      zero, SS_VA(t0)
        sd      zero, SS_PA(t0)
        sd      zero, SS_LEN(t0)
        sd      zero, SS_PERM(t0)
2:      addi    t0, t0, SS_SIZE
        bltu    t0, t1, 1b
        /* every thread's seg-reg and link records */
        la      t0, kernel_tcbs
        la      t1, num_threads
        ld      t1, 0(t1)
        li      t6, KERNEL_OFFSET
3:      beqz    t1, 9f
        ld      t2, TCB_SEG_VA(t0)
        bltu    t2, a0, 4f
        bgeu    t2, a1, 4f
        sd      zero, TCB_SEG_VA(t0)
        sd      zero, TCB_SEG_PA(t0)
        sd      zero, TCB_SEG_LEN(t0)
        sd      zero, TCB_SEG_PERM(t0)
4:      ld      t3, TCB_XLINK_BASE(t0)
        ld      t4, TCB_XLINK(t0)
5:      bgeu    t3, t4, 8f
        add     t5, t3, t6
        ld      t2, LR_SEG_VA(t5)
        bltu    t2, a0, 6f
        bgeu    t2, a1, 6f
        sd      zero, LR_SEG_VA(t5)
        sd      zero, LR_SEG_PA(t5)
        sd      zero, LR_SEG_LEN(t5)
        sd      zero, LR_SEG_PERM(t5)
6:      ld      t2, LR_HANDED_VA(t5)
        bltu    t2, a0, 7f
        bgeu    t2, a1, 7f
        sd      zero, LR_HANDED_VA(t5)
        sd      zero, LR_HANDED_LEN(t5)
        sd      zero, LR_HANDED_PERM(t5)
7:      addi    t3, t3, LR_SIZE
        j       5b
8:      li      t2, TCB_SIZE
        add     t0, t0, t2
        addi    t1, t1, -1
        j       3b
9:      ret

/* relay_release(a0 = relay record): free it (and its pool pages). Uses t0–t4. */
relay_release:
        ld      t0, RS_POOL(a0)
        beqz    t0, 2f
        la      t0, relay_pool_pa
        ld      t0, 0(t0)
        ld      t1, RS_PA(a0)
        sub     t1, t1, t0
        srli    t1, t1, 12
        la      t2, relay_pool_map
        add     t1, t1, t2
        ld      t3, RS_LEN(a0)
        srli    t3, t3, 12
1:      sb      zero, 0(t1)
        addi    t1, t1, 1
        addi    t3, t3, -1
        bnez    t3, 1b
2:      sd      zero, RS_OWNER(a0)
        sd      zero, RS_PA(a0)
        sd      zero, RS_LEN(a0)
        sd      zero, RS_PERM(a0)
        sd      zero, RS_POOL(a0)
        ret

/* ---------------------------------------------------------------- syscalls */
/* Every XPC syscall fails with E_BAD_SYSCALL in a system without XPC. */
xpc_off:
        li      a0, E_BAD_SYSCALL
        j       sys_error
xpc_no_memory:
        li      a0, E_NO_MEMORY
        j       sys_error

        .macro  NEED_XPC
        la      t0, xpc_enabled
        ld      t0, 0(t0)
        beqz    t0, xpc_off
        .endm

/* The XPC control capability in a6 authorises creating XPC objects; keeps a0, a1 (in s1, s2). */
        .macro  NEED_XPC_CONTROL
        mv      s1, a0
        mv      s2, a1
        mv      a0, a6
        li      a1, CAP_XPC_CONTROL
        li      a2, 0
        call    lookup_cap
        beqz    a0, sys_error_a1
        mv      a0, s1
        mv      a1, s2
        .endm

/* SYS_XPC_SEG_ALLOC: a6 = XPC control cap, a0 = length, a1 = perm → a0 = va, a1 = seg-list slot. */
        .globl  sys_xpc_seg_alloc
sys_xpc_seg_alloc:
        NEED_XPC
        NEED_XPC_CONTROL
        li      t0, 4096
        bltu    a0, t0, sys_bad_arg
        li      t0, RELAY_MAX_SIZE
        bgtu    a0, t0, sys_bad_arg
        li      t0, 4095
        and     t0, a0, t0
        bnez    t0, sys_bad_arg
        addi    t0, a1, -1
        li      t1, 3
        bgeu    t0, t1, sys_bad_arg
        mv      s1, a0
        mv      s2, a1
        ld      s3, TCB_PROC(s0)        /* the current domain owns it */
        ld      t0, PROC_SEGLIST(s3)
        li      s4, 0
1:      li      t1, SEGLIST_SLOTS
        bgeu    s4, t1, xpc_no_memory
        slli    t2, s4, 5
        add     s5, t2, t0
        ld      t3, SS_LEN(s5)
        beqz    t3, 2f
        addi    s4, s4, 1
        j       1b
2:      la      s6, relay_segs
        li      t1, MAX_RELAY_SEGS
3:      ld      t2, RS_OWNER(s6)
        beqz    t2, 4f
        addi    s6, s6, RS_SIZE
        addi    t1, t1, -1
        bnez    t1, 3b
        j       xpc_no_memory
        /* first fit: n = length/4096 consecutive free pages of the pool */
4:      srli    s7, s1, 12
        la      t0, relay_pool_pages
        ld      t1, 0(t0)
        la      t2, relay_pool_map
        li      t3, 0
5:      add     t4, t3, s7
        bgtu    t4, t1, xpc_no_memory
        li      t5, 0
6:      beq     t5, s7, 7f
        add     t4, t3, t5
        add     t4, t4, t2
        lbu     t6, 0(t4)
        bnez    t6, 8f
        addi    t5, t5, 1
        j       6b
8:      add     t3, t3, t5
        addi    t3, t3, 1
        j       5b
7:      li      t5, 0
        li      t6, 1
9:      add     t4, t3, t5
        add     t4, t4, t2
        sb      t6, 0(t4)
        addi    t5, t5, 1
        bltu    t5, s7, 9b
        la      t0, relay_pool_pa
        ld      t0, 0(t0)
        slli    t4, t3, 12
        add     s8, t0, t4              /* s8 = its physical address */
        li      t6, KERNEL_OFFSET
        add     t0, s8, t6
        add     t1, t0, s1
1:      sd      zero, 0(t0)
        addi    t0, t0, 8
        bltu    t0, t1, 1b
        li      t0, 1
        sd      t0, PROC_XPC_USER(s3)   /* its threads run with XPC on from now */
        sd      s8, RS_PA(s6)
        sd      s1, RS_LEN(s6)
        sd      s3, RS_OWNER(s6)
        sd      s2, RS_PERM(s6)
        li      t0, 1
        sd      t0, RS_POOL(s6)
        li      t0, RELAY_VA_DELTA
        add     t0, t0, s8
        sd      t0, SS_VA(s5)
        sd      s8, SS_PA(s5)
        sd      s1, SS_LEN(s5)
        sd      s2, SS_PERM(s5)
        sd      t0, R_A0(s0)
        sd      s4, R_A1(s0)
        j       sys_ok

/* SYS_XPC_SEG_FREE: a0 = seg-list slot holding a whole segment of this process. */
        .globl  sys_xpc_seg_free
sys_xpc_seg_free:
        NEED_XPC
        li      t0, SEGLIST_SLOTS
        bgeu    a0, t0, sys_bad_arg
        ld      s3, TCB_PROC(s0)
        ld      t0, PROC_SEGLIST(s3)
        slli    t1, a0, 5
        add     s5, t0, t1
        ld      t2, SS_LEN(s5)
        beqz    t2, sys_bad_arg
        ld      t3, SS_PA(s5)
        la      a0, relay_segs
        li      t1, MAX_RELAY_SEGS
1:      ld      t4, RS_OWNER(a0)
        bne     t4, s3, 2f
        ld      t4, RS_PA(a0)
        bne     t4, t3, 2f
        ld      t4, RS_LEN(a0)
        beq     t4, t2, 3f
2:      addi    a0, a0, RS_SIZE
        addi    t1, t1, -1
        bnez    t1, 1b
        j       sys_bad_arg             /* a borrowed window or part of a segment: not ours to free */
3:      call    relay_release
        sd      zero, SS_VA(s5)
        sd      zero, SS_PA(s5)
        sd      zero, SS_LEN(s5)
        sd      zero, SS_PERM(s5)
        j       sys_ok

/* SYS_XPC_REGISTER: a6 = XPC control cap, a0 = entry_pc, a1 = contexts → a0 = x-entry id, a1 = slot of its grant cap. */
        .globl  sys_xpc_register
sys_xpc_register:
        NEED_XPC
        NEED_XPC_CONTROL
        addi    t0, a1, -1
        li      t1, 64
        bgeu    t0, t1, sys_bad_arg
        li      t0, USER_VA_LIMIT
        bgeu    a0, t0, sys_bad_arg
        ld      s3, TCB_PROC(s0)
        li      s4, 1
1:      li      t0, CSPACE_SLOTS
        bgeu    s4, t0, xpc_no_memory
        slli    t1, s4, 5
        add     t1, t1, s3
        addi    s5, t1, PROC_CSPACE
        ld      t2, CAP_TYPE(s5)
        beqz    t2, 2f
        addi    s4, s4, 1
        j       1b
2:      li      s6, 1
3:      li      t0, MAX_XENTRIES
        bgeu    s6, t0, xpc_no_memory
        la      a4, xentry_info
        slli    t2, s6, 4
        add     a4, a4, t2
        ld      t3, XEI_OWNER(a4)
        beqz    t3, 4f
        addi    s6, s6, 1
        j       3b
4:      la      a3, xentry_table
        slli    t2, s6, 6
        add     a3, a3, t2
        li      t0, 1
        sd      t0, PROC_XPC_USER(s3)
        mv      a2, a1
        mv      a1, a0
        mv      a0, s3
        call    xentry_fill
        li      t0, XCTL_EN | XCTL_FLUSH
        csrw    xctl, t0
        li      t0, CAP_XENTRY
        sd      t0, CAP_TYPE(s5)
        sd      a3, CAP_OBJECT(s5)
        sd      zero, CAP_BADGE(s5)
        li      t0, RIGHT_READ | RIGHT_WRITE | RIGHT_GRANT
        sd      t0, CAP_RIGHTS(s5)
        sd      s6, R_A0(s0)
        sd      s4, R_A1(s0)
        j       sys_ok

/* SYS_XPC_GRANT / SYS_XPC_REVOKE: a6 = x-entry cap (G), a0 = process cap slot. */
        .globl  sys_xpc_grant, sys_xpc_revoke
sys_xpc_grant:
        li      s2, 1
        j       1f
sys_xpc_revoke:
        li      s2, 0
1:      NEED_XPC
        mv      s1, a0
        mv      a0, a6
        li      a1, CAP_XENTRY
        li      a2, RIGHT_GRANT
        call    lookup_cap
        beqz    a0, sys_error_a1
        ld      t0, CAP_OBJECT(a0)
        la      t1, xentry_table
        sub     t0, t0, t1
        srli    s3, t0, 6               /* the entry id */
        mv      a0, s1
        li      a1, CAP_PROCESS
        li      a2, 0
        call    lookup_cap
        beqz    a0, sys_error_a1
        ld      t0, CAP_OBJECT(a0)
        li      t1, 1
        sll     t1, t1, s3
        ld      t2, PROC_XCAP(t0)
        beqz    s2, 2f
        or      t2, t2, t1
        sd      t2, PROC_XCAP(t0)
        li      t1, 1
        sd      t1, PROC_XPC_USER(t0)
        j       sys_ok
2:      not     t1, t1
        and     t2, t2, t1
        sd      t2, PROC_XCAP(t0)
        li      t0, XCTL_EN | XCTL_FLUSH  /* effective at the next xcall */
        csrw    xctl, t0
        j       sys_ok

/* ---------------------------------------------------------------- state */
        .data
        .balign 8
        .globl  xpc_enabled, xpc_owner, xpc_hw_on, relay_pool_pa, relay_pool_pages
xpc_enabled:    .dword  0
xpc_owner:      .dword  0               /* the thread whose XPC state the registers hold (0: none) */
xpc_hw_on:      .dword  0               /* xctl.EN as last written; 0 while a thread without XPC rights runs */
relay_pool_pa:  .dword  0
relay_pool_pages: .dword 0

        .bss
        .balign 4096
        .globl  xentry_table, xentry_info, kernel_seglists, kernel_linkstacks, relay_segs
        .globl  relay_pool_map, domain_procs
/*
 * What the engine reads on every xcall (the table, bitmaps in kernel_procs, link stacks) is
 * kept off D-cache set 0, where every page-table walk lands (docs/xpc-library.md).
 */
        .skip   256
xentry_table:   .skip   XE_SIZE * MAX_XENTRIES
xentry_info:    .skip   XEI_SIZE * MAX_XENTRIES
kernel_seglists: .skip  SS_SIZE * SEGLIST_SLOTS * MAX_PROCS
        .balign 4096
        .skip   512
kernel_linkstacks: .skip LINK_STACK_SIZE * MAX_THREADS
relay_segs:     .skip   RS_SIZE * MAX_RELAY_SEGS
relay_pool_map: .skip   RELAY_POOL_PAGES
        .balign 8
domain_procs:   .skip   8 * (MAX_PROCS + 1)
