// The other backwards searches in slices: findLast (beginFindLast) and last write
// (beginLastWrite), as beginSearchBack runs reverse-continue. The same answers as the unbounded
// calls whatever the slicing; a pause lands on a real position of the history, everything after
// which (up to where the search began) has been searched, and asking again from there goes on to
// the answer the unpaused search would have given.

import { strict as assert } from 'node:assert';
import { BackwardSearch, FindResult, LastWriteResult, StepScan, Timeline, WriteTarget, stateHash } from '../../../emulator/replay';
import { Machine } from '../../../emulator/machine/machine';
import { forwardHits, freshAt, machineFor, sourceProgram } from './replay-harness';

// 20,000 iterations of 7 or 9 instructions; every 512th writes `sparse` and t4 (~3,600 steps apart).
const LOOP = `
  .globl _start
_start:
  la t0, dense
  li t1, 20000
loop:
  ld t2, 0(t0)
  addi t2, t2, 1
  sd t2, 0(t0)
  andi t3, t1, 511
  bnez t3, skip
  sd t1, 8(t0)
  .globl rare
rare:
  mv t4, t1
skip:
  addi t1, t1, -1
  bnez t1, loop
  li t0, 0x100000
  li t1, 0x5555
  sw t1, 0(t0)
1: j 1b
  .data
  .balign 8
dense: .dword 0
sparse: .dword 0
never: .dword 0
`;

const T4 = 29;

describe('replay timeline: findLast and last write in slices', () => {
  const p = sourceProgram('sliced-scan', LOOP);
  const sym = (n: string) => p.symbols.get(n)!;
  const sparse: WriteTarget = { address: sym('sparse'), length: 8 };
  /** Positions after each write of `sparse` (the watchpoint stops after the writing step). */
  const writes = forwardHits(p, { watchpoints: [{ start: sym('sparse'), end: sym('sparse') + 8, read: false, write: true }] }).map((h) => h[0]);
  /** Positions where the pc is at `rare` (before its mv): a rare predicate for findLast. */
  const atRare = forwardHits(p, { breakpoints: [sym('rare')] }).map((h) => h[0]);
  const rareScan = (): StepScan => ({ test: (m: Machine) => m.hart.pc === sym('rare') });

  /** A recorded timeline (checkpoints every `interval` from `startAt`) standing at `at`. */
  function recorded(at: number, interval = 700, startAt = 0): Timeline {
    const m = machineFor(p);
    m.run(startAt);
    const tl = new Timeline(m, { checkpointInterval: interval, adaptive: false });
    tl.run();
    tl.seek(at);
    return tl;
  }

  /** Advances a search in slices of `steps` until it ends. */
  function finish<R>(s: BackwardSearch<R>, steps: number): R {
    for (;;) {
      const r = s.advance(steps);
      if (r !== undefined) return r;
    }
  }

  it('findLast in slices finds what findLast finds, whatever the slice size, or the start of the history', () => {
    assert.ok(atRare.length >= 30 && writes.length >= 30, `${atRare.length} / ${writes.length}`);
    const from = atRare[20] + 1500;
    const whole = recorded(from);
    const expected = whole.findLast(rareScan());
    assert.equal(expected, atRare[20]);
    for (const steps of [1, 37, 600, 5000]) {
      const tl = recorded(from);
      assert.deepEqual(finish(tl.beginFindLast(rareScan()), steps), { kind: 'found', position: expected }, `slices of ${steps}`);
      assert.equal(stateHash(tl.machine), stateHash(whole.machine));
    }
    const tl = recorded(atRare[0] - 5);
    assert.deepEqual(finish(tl.beginFindLast(rareScan()), 300), { kind: 'historyStart', position: 0 });
    assert.equal(tl.position, 0);
  });

  it('a paused findLast lands on a real position with no match after it; asked again (inclusive) it goes on to the same answer', () => {
    const from = atRare[25] - 10;
    const tl = recorded(from);
    const s = tl.beginFindLast(rareScan());
    let r: FindResult | undefined;
    for (let i = 0; i < 4 && !r; i++) r = s.advance(500);
    assert.equal(r, undefined, 'still searching');
    assert.ok(s.searchedTo < from && s.searchedTo > atRare[24], `searched to ${s.searchedTo}`);
    // Mid-search the timeline refuses everything that would use the machine.
    for (const f of [() => tl.seek(5), () => tl.run(1), () => tl.findLast(rareScan()), () => tl.lastWrite(sparse), () => tl.beginFindLast(rareScan())]) {
      assert.throws(f, /backwards search is in progress/);
    }
    const paused = s.pause();
    assert.deepEqual(paused, { kind: 'paused', position: s.searchedTo });
    assert.equal(tl.position, paused.position);
    assert.equal(stateHash(tl.machine), stateHash(freshAt(p, paused.position)));
    assert.ok(!atRare.some((a) => a > paused.position && a < from), 'no match between the pause and the start');
    assert.equal(tl.findLast(rareScan(), true), atRare[24]);
    assert.equal(stateHash(tl.machine), stateHash(freshAt(p, atRare[24])));
  });

  it('a findLast paused exactly on a match: that position was not tested, so an inclusive findLast from it stops there', () => {
    // Checkpoints every 400 steps from atRare[20] − 4000 (before atRare[19]): one falls on atRare[20].
    const h = atRare[20];
    assert.ok(h - 4000 < atRare[19]);
    const tl = recorded(atRare[21] - 2, 400, h - 4000);
    const s = tl.beginFindLast(rareScan());
    while (s.searchedTo > h) assert.equal(s.advance(150), undefined);
    assert.equal(s.searchedTo, h, 'a checkpoint sits on the match');
    assert.deepEqual(s.pause(), { kind: 'paused', position: h });
    assert.equal(tl.findLast(rareScan(), true), h);
    assert.equal(tl.findLast(rareScan()), atRare[19], 'then the one before, as usual');
  });

  it('last write in slices answers as lastWrite (memory and register), whatever the slice size', () => {
    const from = writes[20] + 2000;
    for (const target of [sparse, { register: T4 }] as WriteTarget[]) {
      const whole = recorded(from);
      const expected = whole.lastWrite(target);
      // mv t4 runs the step after the sd: t4 is written one position later.
      const writer = 'address' in target ? writes[20] - 1 : writes[20];
      assert.deepEqual(expected, { position: writer, pc: 'address' in target ? sym('rare') - 4 : sym('rare'), by: 'instruction' });
      for (const steps of [1, 50, 999]) {
        const tl = recorded(from);
        assert.deepEqual(finish(tl.beginLastWrite(target), steps), { kind: 'found', ...expected }, `slices of ${steps}`);
        assert.equal(stateHash(tl.machine), stateHash(whole.machine));
      }
    }
    // Nothing wrote it: back where it began.
    const tl = recorded(from);
    assert.deepEqual(finish(tl.beginLastWrite({ address: sym('never'), length: 8 }), 200), { kind: 'none', position: from });
    assert.equal(stateHash(tl.machine), stateHash(freshAt(p, from)));
    assert.throws(() => tl.beginLastWrite({ register: 0 }), /no register x0/);
    assert.throws(() => tl.beginLastWrite({ address: 0x10, length: 8 }), /not a RAM range/);
  });

  it('a paused last write lands on a real position; asking again from there finds the write the unpaused search would have', () => {
    const from = writes[30] - 20;
    for (const target of [sparse, { register: T4 }] as WriteTarget[]) {
      const expected = recorded(from).lastWrite(target)!;
      const tl = recorded(from);
      const s = tl.beginLastWrite(target);
      let r: LastWriteResult | undefined;
      for (let i = 0; i < 4 && !r; i++) r = s.advance(500);
      assert.equal(r, undefined, 'still searching');
      const paused = s.pause();
      assert.deepEqual(paused, { kind: 'paused', position: s.searchedTo });
      assert.ok(paused.position < from && paused.position > writes[29], `paused at ${paused.position}`);
      assert.equal(stateHash(tl.machine), stateHash(freshAt(p, paused.position)));
      assert.deepEqual(tl.lastWrite(target), expected);
    }
  });

  it('a last write paused exactly after the writing step: asking again counts that step', () => {
    // Checkpoints every 400 steps from writes[20] − 4000: one falls on writes[20], just after the sd.
    const h = writes[20];
    for (const target of [sparse, { register: T4 }] as WriteTarget[]) {
      // The register is written one step later (mv after sd): its checkpoint must sit there.
      const at = 'address' in target ? h : h + 1;
      const tl = recorded(writes[21] - 2, 400, at - 4000);
      const s = tl.beginLastWrite(target);
      while (s.searchedTo > at) assert.equal(s.advance(150), undefined);
      assert.equal(s.searchedTo, at);
      assert.deepEqual(s.pause(), { kind: 'paused', position: at });
      const w = tl.lastWrite(target);
      assert.deepEqual(w && [w.position, w.by], [at - 1, 'instruction']);
    }
  });

  it('a paused findLast leaves its position unexamined for reverse-continue; a pause before any progress changes nothing', () => {
    const h = writes[20];
    const tl = recorded(writes[21] - 2, 400, h - 4000);
    tl.setConditions({ watchpoints: [{ start: sym('sparse'), end: sym('sparse') + 8, read: false, write: true }] });
    const s = tl.beginFindLast({ test: () => false });
    while (s.searchedTo > h) assert.equal(s.advance(150), undefined);
    assert.deepEqual(s.pause(), { kind: 'paused', position: h });
    // The write in the step into h was never looked at: reverse-continue stops there.
    assert.equal(tl.reverseContinue().position, h);
    // Standing on that stop, a last write paused at once leaves it skipped, as before.
    assert.deepEqual(tl.beginLastWrite({ address: sym('never'), length: 8 }).pause(), { kind: 'paused', position: h });
    assert.equal(tl.reverseContinue().position, writes[19]);
  });

  it('a debugger write of the range is the last write unless an instruction wrote it later (the search stops at it)', () => {
    // Halfway between two writes of the program: no write of its own in the interval around it.
    const tl = recorded(writes[5] + 1500);
    tl.writeMemory(sym('sparse'), new Uint8Array([1, 2, 3]));
    const host = tl.position;
    tl.run(); // a new history from here on, to the exit
    // From the end: the program's last write is after the debugger's.
    const last = tl.position;
    const w = finish(tl.beginLastWrite(sparse), 700);
    assert.deepEqual(w.kind === 'found' && [w.position, w.by], [writes[writes.length - 1] - 1, 'instruction']);
    // Between the debugger's write and the program's next one: the debugger's.
    tl.seek(writes[6] - 3);
    const s = tl.beginLastWrite(sparse);
    const r = finish(s, 300);
    assert.deepEqual(r.kind === 'found' && [r.position, r.by], [host, 'host']);
    assert.ok(s.searchedTo <= host && s.searchedTo > host - 700, `searched to ${s.searchedTo}, not the whole history`);
    assert.equal(tl.machine.readPhysical(sym('sparse'), 3)![2], 3);
    assert.ok(last > host);
  });
});
