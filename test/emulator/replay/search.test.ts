// Searching backwards: reverse-continue finds the same stops a forward run makes, newest first;
// last write of memory and of a register; stepping back across xcall/xret restores the caller.

import { strict as assert } from 'node:assert';
import { StopConditions, Timeline, stateHash } from '../../../emulator/replay';
import { Machine } from '../../../emulator/machine/machine';
import { XPC_CSR } from '../../../emulator/hart/xpc';
import { Program, forwardHits, freshAt, lengthOf, machineFor, sourceProgram, suiteProgram } from './replay-harness';

const COUNTER = `
  .globl _start
_start:
  la t0, counter
  li t1, 300
loop:
  ld t2, 0(t0)
  addi t2, t2, 3
store:
  sd t2, 0(t0)
  andi t3, t1, 7
  bnez t3, skip
  sd zero, 8(t0)
skip:
  addi t1, t1, -1
  bnez t1, loop
  li t0, 0x100000
  li t1, 0x5555
  sw t1, 0(t0)
1: j 1b
  .data
  .balign 8
counter: .dword 40
other: .dword 0
`;

/** Reverse-continue from the end must visit the forward run's stops in reverse order. */
function assertReverseMirrorsForward(p: Program, c: StopConditions, interval: number): void {
  const hits = forwardHits(p, c);
  assert.ok(hits.length >= 3, `${p.name}: the conditions are hit (${hits.length})`);
  const tl = new Timeline(machineFor(p), { checkpointInterval: interval, adaptive: false });
  tl.run();
  tl.setConditions(c);
  const back: number[] = [];
  for (;;) {
    const r = tl.reverseContinue();
    if (r.kind === 'historyStart') break;
    back.push(r.position);
    assert.equal(r.stop.kind, hits.find((h) => h[0] === r.position)?.[1], `${p.name}: stop kind at ${r.position}`);
  }
  assert.deepEqual(back, hits.map((h) => h[0]).reverse(), `${p.name}: reverse-continue stops`);
  assert.equal(tl.position, tl.start);
}

describe('replay timeline: searching backwards', () => {
  const counter = sourceProgram('counter', COUNTER);
  const sym = (n: string) => counter.symbols.get(n)!;

  it('reverse-continue stops at the last watchpoint hit before the current position', () => {
    const c: StopConditions = { watchpoints: [{ start: sym('counter'), end: sym('counter') + 8, read: false, write: true }] };
    const hits = forwardHits(counter, c).map((h) => h[0]);
    const tl = new Timeline(machineFor(counter), { checkpointInterval: 400, adaptive: false });
    tl.setConditions(c);
    // Stop forward at the 100th hit, then go on a little (less than a loop iteration) without them.
    for (let i = 0; i < 100; i++) assert.equal(tl.run().kind, 'watchpoint');
    assert.equal(tl.position, hits[99]);
    tl.setConditions({});
    tl.run(3);
    tl.setConditions(c);
    const r = tl.reverseContinue();
    assert.equal(r.kind, 'hit');
    assert.equal(r.position, hits[99]);
    assert.equal(r.kind === 'hit' && r.stop.kind, 'watchpoint');
    // The value just written is in memory: 40 + 3 × 100.
    assert.equal(tl.machine.readPhysical(sym('counter'), 1)![0] + 256 * tl.machine.readPhysical(sym('counter') + 1, 1)![0], 340);
    // Again: the hit before (not the one we stand on).
    assert.equal(tl.reverseContinue().position, hits[98]);
    assert.equal(stateHash(tl.machine), stateHash(freshAt(counter, hits[98])));
    // Forward from there stops at the next hit, as a fresh run would.
    assert.equal(tl.run().kind, 'watchpoint');
    assert.equal(tl.position, hits[99]);
  });

  it('reverse-continue mirrors the forward stops: watchpoints, breakpoints, trap stops', () => {
    assertReverseMirrorsForward(counter, { watchpoints: [{ start: sym('other'), end: sym('other') + 8, read: false, write: true }] }, 250);
    assertReverseMirrorsForward(counter, { breakpoints: [sym('skip')] }, 333);
    const traps = suiteProgram('traps');
    assertReverseMirrorsForward(traps, { trapStops: [-1] }, 200);
    const xret = suiteProgram('xret');
    assertReverseMirrorsForward(xret, { trapStops: [8, 9] }, 5000);
  });

  it('finds the last write of a memory range: before the writing instruction', () => {
    const tl = new Timeline(machineFor(counter), { checkpointInterval: 500, adaptive: false });
    tl.run();
    const hits = forwardHits(counter, { watchpoints: [{ start: sym('counter'), end: sym('counter') + 8, read: false, write: true }] }).map((h) => h[0]);
    const w = tl.lastWrite({ address: sym('counter') + 2, length: 1 });
    assert.ok(w);
    assert.equal(w.by, 'instruction');
    assert.equal(w.position, hits[hits.length - 1] - 1);
    assert.equal(w.pc, sym('store'));
    // Asked again from there: the write before.
    assert.equal(tl.lastWrite({ address: sym('counter'), length: 8 })!.position, hits[hits.length - 2] - 1);
    // A debugger write is a write too.
    tl.seek(hits[50]);
    tl.writeMemory(sym('counter'), new Uint8Array([7]));
    tl.run(3);
    const host = tl.lastWrite({ address: sym('counter'), length: 1 });
    assert.deepEqual(host && { position: host.position, by: host.by }, { position: hits[50], by: 'host' });
  });

  it('finds the last write of a register and of a CSR by their value changing', () => {
    const p = counter;
    const total = lengthOf(p).steps;
    // Brute force: the last position before `from` at which x7 (t2) changed.
    const from = Math.floor(total * 0.7);
    const m = machineFor(p);
    let last = -1;
    for (let prev = m.hart.getReg(7); m.hart.steps < from;) {
      m.run(1);
      const v = m.hart.getReg(7);
      if (v !== prev) last = m.hart.steps;
      prev = v;
    }
    assert.ok(last > 0);
    const tl = new Timeline(machineFor(p), { checkpointInterval: 200, adaptive: false });
    tl.run(from);
    const w = tl.lastWrite({ register: 7 });
    assert.deepEqual(w && { position: w.position, by: w.by }, { position: last - 1, by: 'instruction' });
    assert.equal(stateHash(tl.machine), stateHash(freshAt(p, last - 1)));
    const before = tl.machine.hart.getReg(7);
    tl.run(1);
    assert.notEqual(tl.machine.hart.getReg(7), before, 'the next step writes it');
    // mepc: written by the traps program's handler path.
    const traps = suiteProgram('traps');
    const t2 = new Timeline(machineFor(traps), { checkpointInterval: 300, adaptive: false });
    t2.run();
    const mepc = t2.machine.hart.readCsr(0x341);
    const wc = t2.lastWrite({ csr: 0x341 });
    assert.ok(wc);
    t2.run(1);
    assert.equal(t2.machine.hart.readCsr(0x341), mepc, 'the value written then is the final one');
  });

  it('findLast: the last position before the current one where a predicate holds', () => {
    const bp = forwardHits(counter, { breakpoints: [sym('skip')] }).map((h) => h[0]);
    const tl = new Timeline(machineFor(counter), { checkpointInterval: 300, adaptive: false });
    tl.run();
    const atSkip = { test: (m: Machine) => m.hart.pc === sym('skip') };
    assert.equal(tl.findLast(atSkip), bp[bp.length - 1]);
    // Not the position we stand on: the one before.
    assert.equal(tl.findLast(atSkip), bp[bp.length - 2]);
    assert.equal(tl.findLast(atSkip, true), bp[bp.length - 2], 'inclusive: the current position matches');
    tl.seek(bp[0]);
    assert.equal(tl.findLast(atSkip), undefined);
    assert.equal(tl.position, tl.start);
  });

  it('steps back across an xcall/xret pair: the caller satp, link stack and seg-reg come back', () => {
    const p = suiteProgram('nesting');
    // Find a call and its return in a fresh run: the xret pops the record the xcall pushed.
    const probe = machineFor(p);
    const events: { kind: string; record?: number; steps: number }[] = [];
    probe.hart.xpc.onEvent = (e) => events.push({ kind: e.kind, record: 'record' in e ? e.record : undefined, steps: e.steps });
    probe.run();
    const call = events.find((e, i) => e.kind === 'xcall' && events.slice(i + 1).some((r) => r.kind === 'xret' && r.record === e.record))!;
    const ret = events.find((r) => r.kind === 'xret' && r.record === call.record && r.steps > call.steps)!;
    assert.ok(call && ret, 'nesting.S makes a call that returns');
    const caller = freshAt(p, call.steps);
    const callee = freshAt(p, call.steps + 1);
    const view = (m: Machine) => ({
      satp: m.hart.satp, pc: m.hart.pc,
      xlink: m.hart.readCsr(XPC_CSR.xlink),
      seg: [XPC_CSR.xseg_va, XPC_CSR.xseg_pa, XPC_CSR.xseg_len, XPC_CSR.xseg_perm].map((c) => m.hart.readCsr(c)),
      stack: Buffer.from(m.readPhysical(Number(m.hart.readCsr(XPC_CSR.xlink_base)), 4 * 128)!).toString('hex'),
    });
    assert.notEqual(view(callee).satp === view(caller).satp && view(callee).xlink === view(caller).xlink, true, 'the call changes the XPC state');

    const tl = new Timeline(machineFor(p), { checkpointInterval: 1000, adaptive: false });
    tl.run(ret.steps + 5);
    // Back across the whole pair to the caller's xcall.
    tl.stepBack(ret.steps + 5 - call.steps);
    assert.deepEqual(view(tl.machine), view(caller));
    assert.equal(stateHash(tl.machine), stateHash(caller));
    // From the callee's first instruction, one step back lands on the caller's xcall.
    tl.seek(call.steps + 1);
    assert.deepEqual(view(tl.machine), view(callee));
    tl.stepBack();
    assert.deepEqual(view(tl.machine), view(caller));
    assert.equal(tl.machine.hart.pc, caller.hart.pc);
  });
});
