/*
 * client.S — the kvstore client, the same over both transports: it links transport-xpc.S
 * (system.json) or transport-ipc.S (system-ipc.json), which provide
 *   transport_init(a0 = our IPC buffer) → a0 = where the 1 KiB value lives (relay segment or IPC buffer)
 *   kv_op(a0 = op, a1 = key) → a7 = transport error (0 = delivered), a0 = KV_* status.
 * Puts two 1 KiB values, gets one back, deletes it, checks it is gone and the other is intact.
 * Exits 0 when every answer is right.
 */
        .include "user.inc"
        .include "kv.inc"

        .text
        .globl  _start
_start:
        call    transport_init
        mv      s1, a0                  /* s1 = the value buffer */
        /* put 7 = 'A' x 1024 */
        li      a0, 'A'
        call    fill
        li      a0, OP_PUT
        li      a1, 7
        la      a2, put7
        call    op_ok
        /* put 9 = 'B' x 1024 */
        li      a0, 'B'
        call    fill
        li      a0, OP_PUT
        li      a1, 9
        la      a2, put9
        call    op_ok
        /* get 7 */
        li      a0, 0
        call    fill
        li      a0, OP_GET
        li      a1, 7
        la      a2, get7
        call    op_ok
        li      a0, 'A'
        call    check
        /* delete 7, then get 7 finds nothing */
        li      a0, OP_DEL
        li      a1, 7
        la      a2, del7
        call    op_ok
        li      a0, OP_GET
        li      a1, 7
        call    kv_op
        bnez    a7, fail
        li      t0, KV_NOT_FOUND
        bne     a0, t0, fail
        PRINT   gone7
        /* get 9 */
        li      a0, OP_GET
        li      a1, 9
        la      a2, get9
        call    op_ok
        li      a0, 'B'
        call    check
        PRINT   done
        EXIT    0
fail:   PRINT   wrong
        EXIT    1

/* op_ok(a0 = op, a1 = key, a2 = the line to print when it succeeds). */
op_ok:
        addi    sp, sp, -16
        sd      ra, 0(sp)
        sd      a2, 8(sp)
        call    kv_op
        bnez    a7, fail
        bnez    a0, fail
        ld      a0, 8(sp)
        SYSCALL SYS_PUTS
        ld      ra, 0(sp)
        addi    sp, sp, 16
        ret

/* fill(a0 = byte): the value buffer = 1 KiB of it. */
fill:   mv      t0, s1
        li      t1, VALUE_SIZE
        add     t1, t1, s1
1:      sb      a0, 0(t0)
        addi    t0, t0, 1
        bltu    t0, t1, 1b
        ret

/* check(a0 = byte): every byte of the value buffer is a0, or fail. */
check:  mv      t0, s1
        li      t1, VALUE_SIZE
        add     t1, t1, s1
1:      lbu     t2, 0(t0)
        bne     t2, a0, fail
        addi    t0, t0, 1
        bltu    t0, t1, 1b
        ret

        .section .rodata
put7:   .asciz "client: put key 7 = 1024 x 'A': ok\n"
put9:   .asciz "client: put key 9 = 1024 x 'B': ok\n"
get7:   .asciz "client: get key 7: ok\n"
del7:   .asciz "client: delete key 7: ok\n"
gone7:  .asciz "client: get key 7: not found\n"
get9:   .asciz "client: get key 9: ok, 1024 x 'B' intact\n"
done:   .asciz "client: done\n"
wrong:  .asciz "client: wrong answer\n"
