// A backwards search run in slices (Timeline.beginSearchBack): the same answer as searchBack
// whatever the slicing, and a pause that lands on a real position of the history from which
// searching, stepping and running go on as from any other.

import { strict as assert } from 'node:assert';
import { SearchResult, StopConditions, Timeline, stateHash } from '../../../emulator/replay';
import { forwardHits, freshAt, machineFor, sourceProgram } from './replay-harness';

// 20,000 iterations of 7 or 8 instructions; `sparse` is written every 512th (~3,600 steps apart).
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
`;

describe('replay timeline: backwards searches in slices', () => {
  const p = sourceProgram('sliced', LOOP);
  const sparse = p.symbols.get('sparse')!;
  const c: StopConditions = { watchpoints: [{ start: sparse, end: sparse + 8, read: false, write: true }] };
  const hits = forwardHits(p, c).map((h) => h[0]);

  /** A recorded timeline at `at` with the sparse watchpoint set. */
  function recorded(at: number, interval = 1000, startAt = 0): Timeline {
    const m = machineFor(p);
    m.run(startAt);
    const tl = new Timeline(m, { checkpointInterval: interval, adaptive: false });
    tl.run();
    tl.seek(at);
    tl.setConditions(c);
    return tl;
  }

  /** Advances a search in slices of `steps` until it ends; how many slices it took. */
  function finish(tl: Timeline, steps: number): { r: SearchResult; slices: number } {
    const s = tl.beginSearchBack(tl.stopConditions);
    for (let slices = 1; ; slices++) {
      const r = s.advance(steps);
      if (r) return { r, slices };
    }
  }

  it('finds what searchBack finds, whatever the slice size', () => {
    assert.ok(hits.length >= 35, `hits: ${hits.length}`);
    const from = hits[30] + 500;
    const whole = recorded(from);
    const expected = whole.reverseContinue();
    assert.deepEqual(expected.kind === 'hit' && [expected.position, expected.stop.kind], [hits[30], 'watchpoint']);
    for (const steps of [1, 37, 600, 5000]) {
      const tl = recorded(from);
      const { r, slices } = finish(tl, steps);
      assert.deepEqual(r, expected, `slices of ${steps}`);
      assert.equal(stateHash(tl.machine), stateHash(whole.machine));
      if (steps < 600) assert.ok(slices > 3, `${steps}: ${slices} slices`);
    }
    // No hit: the start of the history, in slices too.
    const tl = recorded(hits[0] - 3);
    assert.deepEqual(finish(tl, 50).r, { kind: 'historyStart', position: 0 });
  });

  it('pauses where it has got to: a real position, searched back to there, and everything works on from it', () => {
    const from = hits[hits.length - 1] - 10;
    const tl = recorded(from, 700);
    const s = tl.beginSearchBack(tl.stopConditions);
    // Far from the next hit back (hits[-2]): a few slices do not get there.
    let r: SearchResult | undefined;
    for (let i = 0; i < 6 && !r; i++) r = s.advance(400);
    assert.equal(r, undefined, 'still searching');
    assert.ok(s.searchedTo < from && s.searchedTo > hits[hits.length - 2], `searched to ${s.searchedTo}`);
    // Mid-search the timeline refuses everything that would use the machine.
    for (const f of [() => tl.seek(5), () => tl.run(1), () => tl.input(new Uint8Array([1])), () => tl.addBookmark(), () => tl.reverseContinue(), () => tl.stepBack()]) {
      assert.throws(f, /backwards search is in progress/);
    }
    const paused = s.pause();
    assert.deepEqual(paused, { kind: 'paused', position: s.searchedTo });
    assert.equal(tl.position, paused.position);
    assert.ok(s.done);
    assert.deepEqual(s.pause(), paused, 'pausing again changes nothing');
    assert.equal(stateHash(tl.machine), stateHash(freshAt(p, paused.position)));
    // Going on from the pause: the search finds the hit a search from the start would have.
    const at = paused.position;
    tl.stepBack(3);
    assert.equal(tl.position, at - 3);
    assert.equal(tl.run(3).kind, 'limit');
    assert.equal(tl.position, at);
    const next = tl.reverseContinue();
    assert.deepEqual(next.kind === 'hit' && next.position, hits[hits.length - 2]);
    assert.equal(stateHash(tl.machine), stateHash(freshAt(p, hits[hits.length - 2])));
    // And forward from there stops at the next hit, as recorded.
    assert.equal(tl.run().kind, 'watchpoint');
    assert.equal(tl.position, hits[hits.length - 1]);
  });

  it('a pause exactly at a hit: the step into that position was not examined, so the next search stops there', () => {
    // Checkpoints every 400 steps from hits[20] − 4000 (before hits[19]): one falls exactly on hits[20].
    const h = hits[20];
    assert.ok(h - 4000 < hits[19]);
    const tl = recorded(hits[21] - 2, 400, h - 4000);
    const s = tl.beginSearchBack(tl.stopConditions);
    while (s.searchedTo > h) assert.equal(s.advance(150), undefined);
    assert.equal(s.searchedTo, h, 'a checkpoint sits on the hit');
    assert.deepEqual(s.pause(), { kind: 'paused', position: h });
    const r = tl.reverseContinue();
    assert.deepEqual(r.kind === 'hit' && [r.position, r.stop.kind], [h, 'watchpoint']);
    assert.deepEqual(tl.reverseContinue().position, hits[19], 'then the one before, as usual');
  });

  it('a pause before any progress leaves the timeline where it was; the stop it stands on stays skipped', () => {
    const tl = recorded(hits[10]);
    const s = tl.beginSearchBack(tl.stopConditions);
    assert.deepEqual(s.pause(), { kind: 'paused', position: hits[10] });
    assert.equal(stateHash(tl.machine), stateHash(freshAt(p, hits[10])));
    assert.equal(tl.reverseContinue().position, hits[9]);
  });
});
