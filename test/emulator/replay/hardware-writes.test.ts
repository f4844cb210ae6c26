// Writes the hardware makes on an instruction's behalf — the XPC engine's linkage record (xcall),
// its VALID flag (xret), a seg-list slot (swapseg), the page walker's A/D bits — are writes by
// that instruction for watchpoints, reverse-continue and last write (docs/time-travel.md).

import { strict as assert } from 'node:assert';
import { StopConditions, Timeline, stateHash } from '../../../emulator/replay';
import { HartStop } from '../../../emulator/hart/hart';
import { XpcEvent } from '../../../emulator/hart/xpc';
import { forwardHits, freshAt, machineFor, sourceProgram } from './replay-harness';

/*
 * M-mode sets up one x-entry (a callee in domain 2 under an Sv39 page table whose only leaf has
 * A and D clear), a link stack of two records and a seg-list of one slot, then drops to the
 * client in U-mode (Bare). The client swaps its segment out and back (two seg-list writes), then
 * calls the callee CALLS times; the callee bumps `count` and returns. An ecall from U exits 0,
 * any other trap exits with its cause.
 */
const CALLS = 6;
const PROGRAM = `
  .equ FINISHER, 0x100000
  .text
  .globl _start
_start:
  la t0, trap
  csrw mtvec, t0
  li t1, (0x80000 << 10) | 0x1f
  la t0, pt_callee
  sd t1, 16(t0)
  la s0, xtab
  la t0, pt_callee
  srli t0, t0, 12
  li t1, (8 << 60) | (2 << 44)
  or t0, t0, t1
  sd t0, 64(s0)
  la t0, caps
  sd t0, 72(s0)
  la t0, callee
  sd t0, 80(s0)
  li t0, 2
  sd t0, 104(s0)
  li t0, 1
  sd t0, 112(s0)
  csrw xentry_base, s0
  li t0, 2
  csrw xentry_size, t0
  la t0, caps
  csrw xcap, t0
  la t0, lstack
  csrw xlink_base, t0
  csrw xlink, t0
  addi t0, t0, 2 * 128
  csrw xlink_limit, t0
  la t0, seglist
  csrw xseglist, t0
  li t0, 1
  csrw xseglist_len, t0
  csrw xdomain, t0
  csrw xctl, t0
  la t0, client
  csrw mepc, t0
  li t0, 0x1800
  csrc mstatus, t0
  mret

client:
  li s1, ${CALLS}
swap_out:
  swapseg zero
swap_back:
  swapseg zero
1:
  li t0, 1
call_site:
  xcall t0
  addi s1, s1, -1
  bnez s1, 1b
  ecall

callee:
  la t1, count
  ld t2, 0(t1)
  addi t2, t2, 1
dirty_site:
  sd t2, 0(t1)
ret_site:
  xret

  .balign 4
trap:
  csrr a0, mcause
  li t0, 8
  bne a0, t0, 1f
  li a0, 0
1:
  slli a0, a0, 16
  li t1, 0x3333
  or a0, a0, t1
  li t0, FINISHER
  sw a0, 0(t0)
2: j 2b

  .data
  .balign 4096
pt_callee: .zero 4096
  .balign 64
xtab: .zero 2 * 64
lstack: .zero 2 * 128
seglist: .dword 0x40000000, relay, 64, 3
caps: .byte 0x02
  .balign 8
count: .dword 0
relay: .zero 64
`;

const watch = (start: number, length: number): StopConditions => ({ watchpoints: [{ start, end: start + length, read: false, write: true }] });

describe('replay timeline: hardware writes (XPC engine, page walker) count as the instruction\'s', () => {
  const p = sourceProgram('hw-writes', PROGRAM);
  const sym = (n: string) => { const v = p.symbols.get(n); assert.ok(v !== undefined, n); return v; };
  const lstack = sym('lstack');
  const pte = sym('pt_callee') + 16;

  /** A fresh run's XPC events, and its exit. */
  const probe = (() => {
    const m = machineFor(p);
    const events: XpcEvent[] = [];
    m.hart.xpc.onEvent = (e) => events.push(e);
    const stop = m.run(1_000_000);
    return { events, stop, steps: m.hart.steps };
  })();
  const xcalls = probe.events.filter((e) => e.kind === 'xcall');
  const xrets = probe.events.filter((e) => e.kind === 'xret');
  const swapsegs = probe.events.filter((e) => e.kind === 'swapseg');

  /** Positions at which the bytes of [pa, pa+length) changed, single-stepping a fresh machine. */
  function valueChanges(pa: number, length: number): number[] {
    const m = machineFor(p);
    const out: number[] = [];
    let prev = Buffer.from(m.readPhysical(pa, length)!).toString('hex');
    while (m.run(1).kind === 'limit') {
      const now = Buffer.from(m.readPhysical(pa, length)!).toString('hex');
      if (now !== prev) out.push(m.hart.steps);
      prev = now;
    }
    return out;
  }

  it('the program calls and returns as planned', () => {
    assert.deepEqual(probe.stop, { kind: 'exit', code: 0, via: 'finisher' });
    assert.equal(xcalls.length, CALLS);
    assert.equal(xrets.length, CALLS);
    assert.equal(swapsegs.length, 2);
    assert.ok(xcalls.every((e) => e.kind === 'xcall' && e.record === lstack));
  });

  it('a forward watchpoint on a linkage record stops after the xcall that writes it, as a write by that xcall', () => {
    const m = machineFor(p);
    m.hart.setWatchpoints(watch(lstack + 8, 8).watchpoints!);
    const stops: { at: number; stop: HartStop }[] = [];
    for (;;) {
      const r = m.run(1_000_000);
      if (r.kind !== 'watchpoint') break;
      stops.push({ at: m.hart.steps, stop: r });
    }
    // ret_pc (+8) is written by every xcall and by nothing else.
    assert.deepEqual(stops.map((s) => s.at), xcalls.map((e) => e.steps + 1));
    assert.deepEqual(stops[0].stop, { kind: 'watchpoint', pa: lstack, size: 128, access: 'write', pc: sym('call_site'), writer: 'xcall' });
    // Stopped after the xcall: in the callee, the record in memory.
    const m2 = freshAt(p, xcalls[0].steps);
    m2.hart.setWatchpoints(watch(lstack + 8, 8).watchpoints!);
    assert.equal(m2.run(10).kind, 'watchpoint');
    assert.equal(m2.hart.pc, sym('callee'));
    assert.equal(m2.hart.xpc.readRecord(lstack)?.retPc, BigInt(sym('call_site') + 4));
  });

  it('the VALID flag: xcall sets it, xret clears it; reverse-continue visits the same stops backwards', () => {
    const c = watch(lstack + 112, 8);
    const hits = forwardHits(p, c).map((h) => h[0]);
    const expected = [...xcalls, ...xrets].map((e) => e.steps + 1).sort((a, b) => a - b);
    assert.deepEqual(hits, expected);
    // The flag's value changes at exactly these positions too (brute force).
    assert.deepEqual(valueChanges(lstack + 112, 8), expected);
    const tl = new Timeline(machineFor(p), { checkpointInterval: 97, adaptive: false });
    tl.run();
    tl.setConditions(c);
    const back: { position: number; writer?: string; pc: number }[] = [];
    for (;;) {
      const r = tl.reverseContinue();
      if (r.kind === 'historyStart') break;
      assert.equal(r.stop.kind, 'watchpoint');
      if (r.stop.kind === 'watchpoint') back.push({ position: r.position, writer: r.stop.writer, pc: r.stop.pc });
    }
    assert.deepEqual(back.map((b) => b.position), [...expected].reverse());
    assert.deepEqual(back.slice(0, 2).map((b) => [b.writer, b.pc]), [['xret', sym('ret_site')], ['xcall', sym('call_site')]]);
  });

  it('last write of a link-stack word lands before the xcall that pushed it; of the VALID flag, before the xret', () => {
    const tl = new Timeline(machineFor(p), { checkpointInterval: 150, adaptive: false });
    tl.run();
    const end = tl.position;
    const w = tl.lastWrite({ address: lstack + 8, length: 8 });
    assert.ok(w, 'found');
    assert.deepEqual({ position: w.position, pc: w.pc, by: w.by }, { position: xcalls[CALLS - 1].steps, pc: sym('call_site'), by: 'instruction' });
    assert.equal(stateHash(tl.machine), stateHash(freshAt(p, w.position)));
    // Asked again from there: the xcall before.
    assert.equal(tl.lastWrite({ address: lstack + 8, length: 8 })!.position, xcalls[CALLS - 2].steps);
    // The flag: its last write was the last xret.
    tl.seek(end);
    const f = tl.lastWrite({ address: lstack + 112, length: 1 });
    assert.deepEqual(f && { position: f.position, pc: f.pc }, { position: xrets[CALLS - 1].steps, pc: sym('ret_site') });
    tl.run(1);
    assert.equal(tl.machine.hart.xpc.readRecord(lstack)?.flags, 0n, 'one step forward shows the flag cleared');
    // From inside the callee (after an xcall, before its xret), the flag's last write is that xcall.
    tl.seek(xcalls[3].steps + 2);
    const g = tl.lastWrite({ address: lstack + 112, length: 8 });
    assert.deepEqual(g && { position: g.position, pc: g.pc }, { position: xcalls[3].steps, pc: sym('call_site') });
  });

  it('swapseg\'s seg-list slot write is found as the swapseg\'s', () => {
    const slot = sym('seglist');
    const hits = forwardHits(p, watch(slot, 32));
    assert.deepEqual(hits.map((h) => h[0]), swapsegs.map((e) => e.steps + 1));
    const tl = new Timeline(machineFor(p), { checkpointInterval: 200, adaptive: false });
    tl.run();
    const w = tl.lastWrite({ address: slot + 16, length: 8 });
    assert.deepEqual(w && { position: w.position, pc: w.pc }, { position: swapsegs[1].steps, pc: sym('swap_back') });
  });

  it('the page walker\'s A/D updates: watched as writes by the instruction that needed them, found by last write', () => {
    // The leaf PTE changes three times: the kernel's store, A (the callee's first fetch), D (its first store).
    const changes = valueChanges(pte, 8);
    assert.equal(changes.length, 3, `PTE changes at ${changes}`);
    const hits = forwardHits(p, watch(pte, 8)).map((h) => h[0]);
    assert.deepEqual(hits, changes);
    assert.equal(hits[1], xcalls[0].steps + 2, 'A: the step executing the callee\'s first instruction');
    const m = freshAt(p, hits[1] - 1);
    m.hart.setWatchpoints(watch(pte, 8).watchpoints!);
    const r = m.run(10);
    assert.deepEqual(r, { kind: 'watchpoint', pa: pte, size: 4, access: 'write', pc: sym('callee'), writer: 'page walker' });
    const tl = new Timeline(machineFor(p), { checkpointInterval: 120, adaptive: false });
    tl.run();
    const w = tl.lastWrite({ address: pte, length: 8 });
    assert.deepEqual(w && { position: w.position, pc: w.pc }, { position: hits[2] - 1, pc: sym('dirty_site') });
    const before = tl.machine.readPhysical(pte, 1)![0];
    tl.run(1);
    assert.equal(before & 0x80, 0);
    assert.equal(tl.machine.readPhysical(pte, 1)![0] & 0xc0, 0xc0, 'one step forward: A and D set');
  });

  it('without watchpoints the hardware writes change nothing: same end state with and without a watchpoint armed elsewhere', () => {
    const a = machineFor(p);
    a.run(1_000_000);
    const b = machineFor(p);
    b.hart.setWatchpoints(watch(sym('relay'), 8).watchpoints!);
    assert.equal(b.run(1_000_000).kind, 'exit');
    assert.equal(stateHash(a), stateHash(b));
  });
});
