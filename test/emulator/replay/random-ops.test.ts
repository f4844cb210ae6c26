// Random sequences of timeline operations (runs, travels, searches, host input) under a small
// memory budget, so checkpoint insertion, thinning and truncation interleave; after each one the
// state must be that of a fresh machine fed the recorded input at the recorded positions.

import { strict as assert } from 'node:assert';
import { HostInput, RecordedInput, Timeline, stateHash } from '../../../emulator/replay';
import { Machine } from '../../../emulator/machine/machine';
import { Program, RunSetup, lcg, machineFor, sourceProgram, suiteProgram } from './replay-harness';

/** Sums console input into memory, writes to a spread of pages and polls the UART. */
const MIXED = `
  .globl _start
_start:
  li s0, 0x10000000
  la s1, buf
  li s2, 0
loop:
  lbu t0, 5(s0)
  andi t0, t0, 1
  beqz t0, work
  lbu t1, 0(s0)
  add s2, s2, t1
  sb t1, 0(s0)
work:
  addi s3, s3, 1
  andi t2, s3, 31
  slli t2, t2, 12
  add t2, t2, s1
  sd s3, 0(t2)
  sd s2, 8(t2)
  j loop
  .data
  .balign 4096
buf: .space 32 * 4096
`;

function apply(m: Machine, i: HostInput): void {
  switch (i.kind) {
    case 'uart': m.injectUartInput(i.bytes); return;
    case 'memory': m.writePhysical(i.pa, i.bytes); return;
    case 'register': m.hart.setReg(i.reg, i.value); return;
    case 'csr': m.hart.writeCsr(i.csr, i.value); return;
    case 'pc': m.hart.pc = i.value; return;
  }
}

/** A fresh machine fed the recorded input, straight to `position`. */
function reference(p: Program, setup: RunSetup, inputs: readonly RecordedInput[], position: number): Machine {
  const m = machineFor(p, setup);
  for (const e of inputs) {
    if (e.position > position) break;
    m.run(e.position - m.hart.steps);
    apply(m, e.input);
  }
  m.run(position - m.hart.steps);
  return m;
}

function exercise(p: Program, setup: RunSetup, seed: number, opts: { budget: number; interval: number; ops: number }): void {
  const rnd = lcg(seed);
  const tl = new Timeline(machineFor(p, setup), { checkpointInterval: opts.interval, adaptive: false, memoryBudget: opts.budget });
  const buf = p.symbols.get('buf');
  for (let op = 0; op < opts.ops; op++) {
    const r = rnd() % 100;
    let what: string;
    if (r < 30) { what = 'run'; tl.run(1 + (rnd() % (3 * opts.interval))); }
    else if (r < 45) { what = 'stepBack'; tl.stepBack(1 + (rnd() % 50)); }
    else if (r < 60) { what = 'seek'; tl.seek(tl.start + (rnd() % (tl.end - tl.start + 1))); }
    else if (r < 68 && buf !== undefined) {
      what = 'reverseContinue';
      tl.setConditions({ watchpoints: [{ start: buf + 8 * (rnd() % 4), end: buf + 8 * (rnd() % 4) + 8, read: false, write: true }] });
      tl.reverseContinue();
      tl.setConditions({});
    } else if (r < 80) { what = 'input'; tl.input(Uint8Array.of(0x61 + (rnd() % 26), 0x30 + (rnd() % 10))); }
    else if (r < 85) { what = 'setRegister'; tl.setRegister(20, BigInt(rnd())); }
    else if (r < 90 && buf !== undefined) { what = 'writeMemory'; tl.writeMemory(buf + 4096 * (rnd() % 32) + 16, Uint8Array.of(rnd() & 0xff)); }
    else { what = 'stepBack 1'; tl.stepBack(); }
    const ref = reference(p, setup, tl.inputs(), tl.position);
    assert.equal(stateHash(tl.machine), stateHash(ref), `${p.name} op ${op} (${what}) at ${tl.position}`);
    assert.ok(tl.stats().memoryBytes <= opts.budget || tl.stats().checkpoints === 1, `${p.name} op ${op}: within budget`);
  }
}

describe('replay timeline: random operation sequences', () => {
  it('mixed workload with console input, 1 MiB budget', () => {
    exercise(sourceProgram('mixed', MIXED), {}, 11, { budget: 1024 * 1024, interval: 700, ops: 60 });
  });

  it('the same under a timing profile', () => {
    exercise(sourceProgram('mixed', MIXED), { timing: 'default' }, 23, { budget: 1024 * 1024, interval: 900, ops: 40 });
  });

  it('an XPC program with the block tier compiling at once', () => {
    exercise(suiteProgram('xcall'), { jitThreshold: 1 }, 5, { budget: 2 * 1024 * 1024, interval: 3000, ops: 30 });
  });
});
