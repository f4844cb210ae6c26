// Travelling: forward N, back M, and the state is a fresh run's at that position, on the test
// programs (XPC ones included), with and without a timing profile; resuming forward continues the
// same history; bookmarks; the machine's own snapshots still work beside a timeline.

import { strict as assert } from 'node:assert';
import { HistoryError, Timeline, stateHash } from '../../../emulator/replay';
import { Program, RunSetup, freshAt, lcg, lengthOf, machineFor, suiteProgram } from './replay-harness';

const PROGRAMS = ['rv64i-mem', 'rv64a', 'traps', 'sv39', 'interrupts', 'xcall', 'xret', 'nesting', 'swapseg', 'segments', 'cache'];

function assertAt(tl: Timeline, p: Program, setup: RunSetup, what: string): void {
  const fresh = freshAt(p, tl.position, setup);
  assert.equal(fresh.hart.steps, tl.position, `${what}: the fresh run reaches ${tl.position}`);
  assert.equal(tl.machine.hart.cycles, fresh.hart.cycles, `${what}: cycles at ${tl.position}`);
  assert.equal(stateHash(tl.machine), stateHash(fresh), `${what}: state at ${tl.position}`);
}

describe('replay timeline: travelling reproduces the fresh run', () => {
  for (const [label, setup] of [['timing off', {}], ['timing: default', { timing: 'default' }]] as [string, RunSetup][]) {
    for (const name of PROGRAMS) {
      it(`${name} (${label}): forward N, back M, forward again`, () => {
        const p = suiteProgram(name);
        const total = lengthOf(p, setup).steps;
        const tl = new Timeline(machineFor(p, setup), { checkpointInterval: Math.max(100, Math.floor(total / 12)), adaptive: false });
        const rnd = lcg(total);
        const n = Math.floor(total * 0.8);
        assert.equal(tl.run(n).kind, 'limit');
        assert.equal(tl.position, n);
        assert.ok(tl.stats().checkpoints > 3, 'several checkpoints were taken');
        // Back by various amounts, each compared with a fresh run at that position.
        for (const back of [1, 2, 1 + (rnd() % 97), Math.floor(n / 3)]) {
          tl.stepBack(back);
          assertAt(tl, p, setup, `${name} back ${back}`);
        }
        // Forward again within the history, then past its end to the exit.
        tl.run(1 + (rnd() % 1000));
        assertAt(tl, p, setup, `${name} forward after travelling`);
        const stop = tl.run();
        assert.equal(stop.kind, 'exit');
        assert.ok(stop.kind === 'exit' && stop.code === 0, `${name} passes when resumed after travelling: ${JSON.stringify(stop)}`);
        assert.equal(tl.position, total);
        assertAt(tl, p, setup, `${name} at its exit`);
        // Anywhere in the history, by absolute position.
        for (let i = 0; i < 3; i++) {
          tl.seek(rnd() % total);
          assertAt(tl, p, setup, `${name} seek`);
        }
      });
    }
  }

  it('seeks past the end of the history by running on (recording)', () => {
    const p = suiteProgram('xret');
    const tl = new Timeline(machineFor(p), { checkpointInterval: 5000, adaptive: false });
    tl.run(1000);
    assert.equal(tl.seek(60_000), 60_000);
    assert.equal(tl.end, 60_000);
    assert.ok(tl.stats().checkpoints >= 12, 'checkpoints were taken on the way');
    tl.seek(30_123);
    assertAt(tl, p, {}, 'xret seek back after seeking forward');
  });

  it('steps back one step at a time through traps', () => {
    const p = suiteProgram('traps');
    const tl = new Timeline(machineFor(p), { checkpointInterval: 300, adaptive: false });
    tl.run(1500);
    const seen = new Set<number>();
    for (let i = 0; i < 60; i++) {
      tl.stepBack();
      seen.add(tl.machine.hart.pc);
      if (i % 15 === 0) assertAt(tl, p, {}, 'interrupts single step back');
    }
    assert.equal(tl.position, 1500 - 60);
    assert.ok(seen.size > 3, 'went back through different instructions');
  });

  it('keeps bookmarks and goes back to them', () => {
    const p = suiteProgram('xcall');
    const tl = new Timeline(machineFor(p), { checkpointInterval: 2000, adaptive: false });
    tl.run(3000);
    const a = tl.addBookmark('after setup');
    const hashA = stateHash(tl.machine);
    tl.run(10_000);
    const b = tl.addBookmark();
    assert.deepEqual(tl.bookmarks().map((x) => x.position), [3000, 13_000]);
    tl.gotoBookmark(a.id);
    assert.equal(tl.position, 3000);
    assert.equal(stateHash(tl.machine), hashA);
    tl.gotoBookmark(b.id);
    assert.equal(tl.position, 13_000);
    assert.ok(tl.removeBookmark(a.id));
    assert.throws(() => tl.gotoBookmark(a.id), /no bookmark/);
  });

  it('answers a seek before the history with a HistoryError saying how far back it reaches', () => {
    const p = suiteProgram('xcall');
    const m = machineFor(p);
    m.run(1000);
    const tl = new Timeline(m, { checkpointInterval: 2000, adaptive: false });
    tl.run(5000);
    assert.throws(() => tl.seek(10), (e: unknown) => e instanceof HistoryError && /reaches back to position 1000/.test(e.message) && e.earliest === 1000);
    assert.throws(() => tl.seek(-1), RangeError);
  });

  it('leaves the machine snapshots working beside a timeline (separate dirty-page tracking)', () => {
    const p = suiteProgram('xret');
    const m = machineFor(p);
    const tl = new Timeline(m, { checkpointInterval: 3000, adaptive: false });
    tl.run(10_000);
    const snap = m.snapshot();
    const h = stateHash(m);
    tl.run(20_000);
    tl.stepBack(7000);
    m.restore(snap);
    assert.equal(stateHash(m), h, 'the machine snapshot restores after the timeline travelled');
    // The timeline must notice that the restore changed RAM behind its back only as a new
    // history: the adapter travels with one or the other. Going to a checkpointed position
    // puts everything back in order.
    tl.seek(5000);
    assertAt(tl, p, {}, 'timeline after a machine restore');
  });

  it('adapts checkpoint spacing to the measured speed when adaptive', () => {
    const p = suiteProgram('csrs');
    const tl = new Timeline(machineFor(p), { checkpointInterval: 10_000 });
    tl.run(400_000);
    const s = tl.stats();
    assert.ok(s.checkpointInterval >= 10_000 && s.checkpointInterval <= 50_000_000);
    assert.ok(s.checkpoints >= 2);
  });
});
