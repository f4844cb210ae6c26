// Bugs found reading timeline.ts over, each pinned by a test that failed before its fix.

import { strict as assert } from 'node:assert';
import { Timeline, stateHash } from '../../../emulator/replay';
import { freshAt, machineFor, sourceProgram } from './replay-harness';

const LOOP = `
  .globl _start
_start:
  la t0, cell
  li t1, 20000
loop:
  ld t2, 0(t0)
  addi t2, t2, 1
  sd t2, 0(t0)
  addi t1, t1, -1
  bnez t1, loop
  li t0, 0x100000
  li t1, 0x5555
  sw t1, 0(t0)
1: j 1b
  .data
  .balign 8
cell: .dword 0
`;

describe('replay timeline: fixes from the review', () => {
  const p = sourceProgram('review-loop', LOOP);
  const T2 = 7, A5 = 15;

  /** A position whose incoming step changed t2 (found by single-stepping a fresh machine). */
  function t2WrittenInto(after: number): number {
    const m = machineFor(p);
    m.run(after);
    for (let prev = m.hart.getReg(T2); ;) {
      m.run(1);
      const v = m.hart.getReg(T2);
      if (v !== prev) return m.hart.steps;
      prev = v;
    }
  }

  it('last write of a register: host input of another register at the same position does not make it the host\'s', () => {
    const q = t2WrittenInto(5000);
    const tl = new Timeline(machineFor(p), { checkpointInterval: 700, adaptive: false });
    tl.run(q);
    tl.setRegister(A5, 0x1234n);
    const w = tl.lastWrite({ register: T2 });
    assert.deepEqual(w && { position: w.position, by: w.by }, { position: q - 1, by: 'instruction' });
    assert.equal(stateHash(tl.machine), stateHash(freshAt(p, q - 1)));
    // The recorded input is still there, replayed at q.
    tl.run(1);
    assert.equal(tl.machine.hart.getReg(A5), 0x1234n);
    // A host write of t2 itself at q is the last write (it comes after the step).
    tl.seek(q);
    tl.setRegister(T2, 77n);
    const h = tl.lastWrite({ register: T2 });
    assert.deepEqual(h && { position: h.position, by: h.by }, { position: q, by: 'host' });
    assert.equal(tl.machine.hart.getReg(T2), 77n);
  });

  it('a replayed watchpoint stop at a position with recorded input shows the state with that input, as the live stop did', () => {
    const cell = p.symbols.get('cell')!;
    const tl = new Timeline(machineFor(p), { checkpointInterval: 500, adaptive: false });
    tl.setConditions({ watchpoints: [{ start: cell, end: cell + 8, read: false, write: true }] });
    for (let i = 0; i < 40; i++) assert.equal(tl.run().kind, 'watchpoint');
    const h = tl.position;
    // At the stop, the debugger sets a5: recorded at h.
    tl.setRegister(A5, 0xabcn);
    const live = stateHash(tl.machine);
    for (let i = 0; i < 5; i++) tl.run();
    // Back before h, forward again: the replay stops at h with the same state.
    tl.seek(h - 3); // the hit before h is 5 steps before it
    assert.equal(tl.run().kind, 'watchpoint');
    assert.equal(tl.position, h);
    assert.equal(tl.machine.hart.getReg(A5), 0xabcn);
    assert.equal(stateHash(tl.machine), live);
    // Input given here now is new input after the recorded one: the recorded one stays.
    tl.setRegister(A5 + 1, 1n);
    assert.deepEqual(tl.inputs().filter((e) => e.position === h).map((e) => e.input.kind === 'register' && e.input.reg), [A5, A5 + 1]);
  });

  it('running forward from the past beyond the end of the history takes checkpoints there as a live run does', () => {
    const straight = new Timeline(machineFor(p), { checkpointInterval: 1000, adaptive: false });
    straight.run();
    const tl = new Timeline(machineFor(p), { checkpointInterval: 1000, adaptive: false });
    tl.run(20_000);
    tl.seek(5_000);
    tl.run();
    assert.equal(tl.position, straight.position);
    assert.equal(tl.stats().checkpoints, straight.stats().checkpoints);
    // So going back near the end re-executes one interval, not everything after 20,000.
    assert.ok(straight.stats().checkpoints > 100);
  });
});
