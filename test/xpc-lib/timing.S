/*
 * timing.S — cycle counts measured by the guest with rdcycle (world: xlib-world.h): a bare
 * xcall one-way (caller's rdcycle before the xcall to the callee's first instruction) and round
 * trip (xcall + xret, back to the caller), and the library's xpc_call one-way (to the handler's
 * first instruction, through the trampoline) and round trip (call to return, registers saved,
 * cleared and restored, context taken and released). Each is measured ROUNDS times; the first
 * round is cold (caches, TLBs, engine cache), the last warm. The stamps' own cost (STOP right
 * after rdcycle) is subtracted. Prints one line per figure: "<name> <warm> <cold>".
 */
#include "xlib-world.h"
        .include "xpc.inc"

#define ROUNDS 6
#define E_BARE_ONE 1
#define E_BARE_RT  2
#define E_NULL     3
#define E_STAMP    4

/*
 * The stamp that ends an interval. The timing model charges an instruction's fetch stall when it
 * retires, after rdcycle has read the counter, so a bare rdcycle would not count its own fetch
 * (e.g. the I-TLB walk after a switch of satp without ASIDs): the nop in front takes that stall.
 * Its issue cycle is part of the stamps' own cost, measured and subtracted.
 */
#define STOP(reg) nop; rdcycle reg

XW_BEGIN

main:
        li s10, 0                       /* round */
1:      rdcycle s0
        STOP(s1)
        sub s11, s1, s0                 /* s11 = the stamps' own cost (this round's) */
        /* bare xcall one-way: the callee reads the cycle counter first (s0 survives a bare xcall) */
        li a6, E_BARE_ONE
        rdcycle s0
        xcall a6
        sub a0, s1, s0
        li a1, 0
        call record
        /* bare round trip */
        li a6, E_BARE_RT
        rdcycle s0
        xcall a6
        STOP(s1)
        sub a0, s1, s0
        li a1, 1
        call record
        /* xpc_call one-way: the handler stores the cycle counter in shared memory */
        li a6, E_STAMP
        rdcycle s0
        call xpc_call
        la t0, stamp
        ld t0, 0(t0)
        sub a0, t0, s0
        li a1, 2
        call record
        /* xpc_call round trip */
        li a6, E_NULL
        rdcycle s0
        call xpc_call
        STOP(s1)
        sub a0, s1, s0
        li a1, 3
        call record
        addi s10, s10, 1
        li t0, ROUNDS
        blt s10, t0, 1b

        li s0, 0
2:      slli t0, s0, 3
        la t1, names
        add t1, t1, t0
        ld a0, 0(t1)
        call xw_puts
        li a0, ' '
        call xw_putc
        la t1, warm
        slli t0, s0, 3
        add t1, t1, t0
        ld a0, 0(t1)
        call xw_putdec
        li a0, ' '
        call xw_putc
        la t1, cold
        slli t0, s0, 3
        add t1, t1, t0
        ld a0, 0(t1)
        call xw_putdec
        li a0, '\n'
        call xw_putc
        addi s0, s0, 1
        li t0, 4
        blt s0, t0, 2b
        la a0, msg_rdcycle
        call xw_puts
        mv a0, s11
        call xw_putdec
        li a0, '\n'
        call xw_putc
        XW_PASS

/* a0 = measured cycles (rdcycle's cost still in), a1 = figure: cold in round 0, warm always */
record:
        sub a0, a0, s11
        slli a1, a1, 3
        la t0, warm
        add t0, t0, a1
        sd a0, 0(t0)
        bnez s10, 1f
        la t0, cold
        add t0, t0, a1
        sd a0, 0(t0)
1:      ret

/* the bare callees: entry_pc points here directly (no library) */
        .balign 4
bare_one:
        STOP(s1)
        xret
bare_rt:
        xret

h_null:
        ret
h_stamp:
        STOP(t0)
        la t1, stamp
        sd t0, 0(t1)
        ret

        XPC_ENTRY t_null, h_null, 1, 1024, 0, .bss.xpcpriv
        XPC_ENTRY t_stamp, h_stamp, 1, 1024, 0, .bss.xpcpriv

        .pushsection .rodata
        .balign 8
names:  .dword n0, n1, n2, n3
n0:     .asciz "oneway.xcall"
n1:     .asciz "roundtrip.xcall"
n2:     .asciz "oneway.xpc_call"
n3:     .asciz "roundtrip.xpc_call"
msg_rdcycle: .asciz "stamps "
        .popsection
        .pushsection .data
        .balign 8
stamp:  .dword 0
warm:   .skip 32
cold:   .skip 32
        .popsection

XW_ENTRIES_BEGIN
        XW_ENTRY(2, bare_one)
        XW_ENTRY(2, bare_rt)
        XW_ENTRY(2, t_null)
        XW_ENTRY(2, t_stamp)
XW_ENTRIES_END
