// Host input is part of the history: replayed from the recording when going forward again, and
// input given in the past starts a new history. The memory budget bounds the history.

import { strict as assert } from 'node:assert';
import { HistoryError, Timeline, stateHash } from '../../../emulator/replay';
import { Machine } from '../../../emulator/machine/machine';
import { machineFor, sourceProgram } from './replay-harness';

/** Echoes console input upper-cased until a newline, then exits 0 (polling the LSR). */
const ECHO = `
  .globl _start
_start:
  li s0, 0x10000000
wait:
  lbu t0, 5(s0)
  andi t0, t0, 1
  beqz t0, wait
  lbu t1, 0(s0)
  li t2, 10
  beq t1, t2, done
  addi t1, t1, -32
  sb t1, 0(s0)
  j wait
done:
  li t0, 0x100000
  li t1, 0x5555
  sw t1, 0(t0)
1: j 1b
`;

/** The same, sleeping in WFI until the UART interrupts (through the PLIC, M-mode context 0). */
const WFI_ECHO = `
  .globl _start
_start:
  li s0, 0x10000000
  li t0, 1
  sb t0, 1(s0)
  li s1, 0x0c000000
  sw t0, 40(s1)
  li t0, 0x400
  li t1, 0x0c002000
  sw t0, 0(t1)
  li s2, 0x0c200000
  sw zero, 0(s2)
  li t0, 0x800
  csrs mie, t0
wait:
  wfi
  lw t2, 4(s2)
drain:
  lbu t0, 5(s0)
  andi t0, t0, 1
  beqz t0, drained
  lbu t3, 0(s0)
  li t4, 10
  beq t3, t4, finish
  addi t3, t3, -32
  sb t3, 0(s0)
  j drain
drained:
  sw t2, 4(s2)
  j wait
finish:
  li t0, 0x100000
  li t1, 0x5555
  sw t1, 0(t0)
1: j 1b
`;

/** Writes a word into each of 64 pages, round after round: every checkpoint copies 64 pages. */
const PAGES = `
  .globl _start
_start:
  li s1, 1
outer:
  la t0, buf
  li t1, 64
inner:
  sd s1, 0(t0)
  li t2, 4096
  add t0, t0, t2
  addi t1, t1, -1
  bnez t1, inner
  addi s1, s1, 1
  j outer
  .data
  .balign 4096
buf: .space 64 * 4096
`;

const text = (bytes: number[]) => Buffer.from(bytes).toString('latin1');

describe('replay timeline: host input and the memory budget', () => {
  const echo = sourceProgram('echo', ECHO);

  it('replays recorded console input: going forward again reproduces the same output', () => {
    const live: number[] = [];
    const flags: boolean[] = [];
    const tl = new Timeline(machineFor(echo), { checkpointInterval: 300, adaptive: false, onOutput: (b, replayed) => { live.push(b); flags.push(replayed); } });
    tl.run(1000);
    tl.input(new TextEncoder().encode('abc'));
    tl.run(2000);
    const mid = tl.position;
    tl.input(new TextEncoder().encode('xyz\n'));
    // The state at a position includes the input recorded there.
    const midHash = stateHash(tl.machine);
    const stop = tl.run();
    assert.deepEqual(stop, { kind: 'exit', code: 0, via: 'finisher' });
    assert.equal(text(live), 'ABCXYZ');
    assert.ok(flags.every((f) => !f), 'first time round nothing is a replay');
    const end = tl.position;
    const endHash = stateHash(tl.machine);

    // Back before all input, then forward: the same output, flagged as replayed, the same end.
    tl.seek(500);
    assert.equal(text([...tl.outputSoFar()]), '');
    live.length = 0; flags.length = 0;
    assert.equal(tl.run().kind, 'exit');
    assert.equal(text(live), 'ABCXYZ');
    assert.ok(flags.every((f) => f), 'the output is known to be a replay');
    assert.equal(tl.position, end);
    assert.equal(stateHash(tl.machine), endHash);
    // At the second input's position: the first one consumed, the second queued, not yet read.
    tl.seek(mid);
    assert.equal(stateHash(tl.machine), midHash);
    assert.equal(text([...tl.outputSoFar()]), 'ABC');
    assert.equal(tl.machine.board.uart.inputPending, 4);
    tl.stepBack();
    assert.equal(tl.machine.board.uart.inputPending, 0);
    assert.deepEqual(tl.inputs().map((i) => i.position), [1000, mid]);
  });

  it('replays input that woke a guest idle in WFI', () => {
    const p = sourceProgram('wfi-echo', WFI_ECHO);
    const out: number[] = [];
    const tl = new Timeline(machineFor(p), { checkpointInterval: 10, adaptive: false, onOutput: (b) => out.push(b) });
    assert.equal(tl.run().kind, 'idle');
    const idleAt = tl.position;
    tl.input(new TextEncoder().encode('hi'));
    assert.equal(tl.run().kind, 'idle');
    tl.input(new TextEncoder().encode('yo\n'));
    assert.deepEqual(tl.run(), { kind: 'exit', code: 0, via: 'finisher' });
    assert.equal(text(out), 'HIYO');
    const end = tl.position;
    const endHash = stateHash(tl.machine);
    tl.seek(idleAt - 3);
    out.length = 0;
    // Forward through the recorded history: the idle points are passed, the input was there.
    assert.equal(tl.run().kind, 'exit');
    assert.equal(text(out), 'HIYO');
    assert.equal(tl.position, end);
    assert.equal(stateHash(tl.machine), endHash);
  });

  it('the replay equals a fresh machine fed the same input at the same positions', () => {
    const tl = new Timeline(machineFor(echo), { checkpointInterval: 250, adaptive: false });
    tl.run(777);
    tl.input(new Uint8Array([0x68, 0x69]));
    tl.run(1234);
    tl.input(new Uint8Array([0x0a]));
    tl.run();
    const fresh = machineFor(echo);
    fresh.run(777);
    fresh.injectUartInput(new Uint8Array([0x68, 0x69]));
    fresh.run(1234);
    fresh.injectUartInput(new Uint8Array([0x0a]));
    fresh.run();
    assert.equal(tl.position, fresh.hart.steps);
    assert.equal(stateHash(tl.machine), stateHash(fresh));
    for (const at of [800, 1500, 2100]) {
      tl.seek(at);
      const f = machineFor(echo);
      f.run(777);
      f.injectUartInput(new Uint8Array([0x68, 0x69]));
      f.run(Math.min(1234, at - 777));
      if (at > 777 + 1234) { f.injectUartInput(new Uint8Array([0x0a])); f.run(at - f.hart.steps); }
      assert.equal(stateHash(tl.machine), stateHash(f), `at ${at}`);
    }
  });

  it('input given in the past starts a new history: the recorded future is cut off', () => {
    const out: number[] = [];
    const tl = new Timeline(machineFor(echo), { checkpointInterval: 300, adaptive: false, onOutput: (b, replayed) => { if (!replayed) out.push(b); } });
    tl.run(500);
    tl.input(new TextEncoder().encode('ab\n'));
    tl.run();
    const bookmark = tl.addBookmark('late');
    assert.equal(text(out), 'AB');
    tl.seek(400);
    tl.addBookmark('early');
    tl.input(new TextEncoder().encode('q\n'));
    assert.equal(tl.end, 400);
    assert.deepEqual(tl.inputs().map((i) => i.position), [400]);
    assert.ok(!tl.bookmarks().some((b) => b.id === bookmark.id), 'bookmarks in the cut-off future are gone');
    out.length = 0;
    assert.equal(tl.run().kind, 'exit');
    assert.equal(text(out), 'Q');
    assert.equal(text([...tl.outputSoFar()]), 'Q');
  });

  it('debugger writes to registers and memory are recorded input too', () => {
    const tl = new Timeline(machineFor(echo), { checkpointInterval: 200, adaptive: false });
    tl.run(300);
    tl.setRegister(9, 0x1234n);
    tl.writeMemory(0x80100000, new Uint8Array([1, 2, 3]));
    tl.run(500);
    const h = stateHash(tl.machine);
    tl.seek(100);
    tl.seek(800);
    assert.equal(stateHash(tl.machine), h);
    assert.equal(tl.machine.hart.getReg(9), 0x1234n);
    assert.throws(() => tl.writeMemory(0x4000_0000, new Uint8Array([1])), /not in RAM/);
    assert.throws(() => tl.setRegister(0, 1n), /no writable register/);
  });

  it('thins old checkpoints to stay within the memory budget, then gives up the oldest history', () => {
    const pages = sourceProgram('pages', PAGES);
    const budget = 3 * 1024 * 1024;
    const tl = new Timeline(machineFor(pages), { checkpointInterval: 1000, adaptive: false, memoryBudget: budget });
    tl.run(400_000);
    const s = tl.stats();
    assert.ok(s.memoryBytes <= budget, `within budget: ${s.memoryBytes}`);
    assert.ok(s.start > 0, 'the oldest history was given up');
    assert.ok(s.checkpoints >= 3);
    // What is left is exact.
    for (const at of [s.start, s.start + 1, Math.floor((s.start + s.end) / 2), s.end - 3]) {
      tl.seek(at);
      const fresh = machineFor(pages);
      fresh.run(at);
      assert.equal(stateHash(tl.machine), stateHash(fresh), `at ${at}`);
    }
    assert.throws(() => tl.seek(s.start - 1), (e: unknown) =>
      e instanceof HistoryError && e.earliest === s.start && new RegExp(`reaches back to position ${s.start}`).test(e.message) && /memory budget of 3 MiB/.test(e.message));
    // Stepping back past the start stops at the start.
    tl.seek(s.start + 5);
    assert.equal(tl.stepBack(100), s.start);
    assert.equal(tl.reverseContinue().kind, 'historyStart');
  });

  it('stays exact with a tiny budget that keeps almost nothing', () => {
    const pages = sourceProgram('pages', PAGES);
    const tl = new Timeline(machineFor(pages), { checkpointInterval: 500, adaptive: false, memoryBudget: 64 * 1024 });
    tl.run(50_000);
    assert.ok(tl.stats().checkpoints >= 1);
    tl.seek(tl.start);
    const fresh: Machine = machineFor(pages);
    fresh.run(tl.position);
    assert.equal(stateHash(tl.machine), stateHash(fresh));
  });
});
