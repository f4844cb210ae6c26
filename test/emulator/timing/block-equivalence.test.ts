import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LAYOUTS, build, formatDiagnostic, imageToElf } from '../../../language/asm';
import { Machine } from '../../../emulator/machine/machine';
import { TimingOption } from '../../../emulator/timing/params';
import { BlockTimingEmitter } from '../../../emulator/timing/block-timing';
import { PROFILES } from '../../../emulator/timing/params';
import { Op } from '../../../emulator/hart/op.generated';
import { PROGRAMS, PROGRAMS_DIR, buildProgram } from '../programs/programs';

/**
 * The timed block tier charges inline what the timing model's retire charges instruction by
 * instruction: every program must end in the same state with the same cycle count, the same
 * timing-model state (caches, TLBs, predictor, scoreboard, LRU stamps) and the same event counts
 * whether hot code runs in timed blocks or in the timed interpreter, under both profiles.
 * Blocks are compiled after two executions (jitThreshold 2) so that even short programs run
 * most of their code in blocks; cyclesPerTick 1 makes every cycle visible to a guest reading mtime.
 */

/** The sources live next to this file; compiled, this module sits in out/test/emulator/timing. */
function findDir(sub: string, marker: string): string {
  const candidates = [path.resolve(__dirname, '..', sub), path.resolve(__dirname, '../../../../test/emulator', sub)];
  const found = candidates.find((d) => fs.existsSync(path.join(d, marker)));
  if (!found) throw new Error(`${marker} not found (looked in ${candidates.join(', ')})`);
  return found;
}
const TIMING_DIR = findDir('timing', 'hot-loops.S');
const XPC_DIR = findDir('xpc', 'xpc-macros.h');

function buildXpc(file: string): Uint8Array {
  const r = build([{ path: file }], { includeDirs: [XPC_DIR, PROGRAMS_DIR], rvc: true, layout: LAYOUTS.bare });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.image || errors.length) throw new Error(`${path.basename(file)} does not build:\n${errors.map(formatDiagnostic).join('\n')}`);
  return imageToElf(r.image, XPC_DIR);
}

interface Outcome {
  stop: unknown; steps: number; retired: number; cycles: number; pc: number; x: number[];
  timing: unknown; counters: unknown; blockSteps: number;
}

function run(elf: Uint8Array, timing: TimingOption, jitThreshold: number): Outcome {
  const m = new Machine({ ramSize: 16 << 20, timing, cyclesPerTick: 1 });
  m.load(elf, 'p.elf');
  m.hart.jitThreshold = jitThreshold;
  // Count the steps taken inside blocks, to know the comparison is not vacuous.
  let blockSteps = 0;
  const h = m.hart as unknown as Record<'runBlock' | 'runTimedBlock', (...a: unknown[]) => boolean> & { steps: number };
  const tier = timing === 'off' ? 'runBlock' : 'runTimedBlock';
  const inner = h[tier].bind(m.hart);
  h[tier] = (...a: unknown[]) => { const s0 = h.steps; try { return inner(...a); } finally { blockSteps += h.steps - s0; } };
  const stop = m.run(20_000_000);
  const s = m.hart.captureState();
  return {
    stop, steps: m.hart.steps, retired: m.hart.retired, cycles: m.hart.cycles, pc: m.hart.pc, x: [...m.hart.x],
    timing: s.timing, counters: { ...m.hart.timing?.counters }, blockSteps,
  };
}

function assertSame(elf: Uint8Array, profile: 'default' | 'rocket2019', minBlockShare: number): void {
  const interp = run(elf, profile, 0);
  const blocks = run(elf, profile, 2);
  assert.equal(interp.blockSteps, 0);
  assert.ok(blocks.blockSteps >= minBlockShare * blocks.steps, `only ${blocks.blockSteps} of ${blocks.steps} steps ran in blocks`);
  const { blockSteps: _a, ...a } = interp;
  const { blockSteps: _b, ...b } = blocks;
  assert.deepEqual(b, a);
}

describe('timing model: timed blocks charge exactly what the timed interpreter charges', () => {
  const hot = buildProgram(path.join(TIMING_DIR, 'hot-loops.S'));

  for (const profile of ['default', 'rocket2019'] as const) {
    it(`hot loops (every inline charge, device reads, faults and code stores inside blocks, Sv39): ${profile}`, () => {
      assertSame(hot, profile, 0.8);
    });
  }

  it('hot loops: the untimed block tier also keeps cycles exact for a device read inside a block', () => {
    const interp = run(hot, 'off', 0);
    const blocks = run(hot, 'off', 2);
    assert.ok(blocks.blockSteps > 0.8 * blocks.steps);
    assert.deepEqual(blocks.x, interp.x);
    assert.equal(blocks.cycles, interp.cycles);
  });

  for (const p of PROGRAMS) {
    it(`${p.name}: both profiles`, () => {
      const elf = buildProgram(p.path);
      for (const profile of ['default', 'rocket2019'] as const) assertSame(elf, profile, 0);
    });
  }

  for (const name of ['cache', 'csrs', 'nesting', 'segments', 'swapseg', 'xcall', 'xret']) {
    it(`xpc/${name}: both profiles`, () => {
      const elf = buildXpc(path.join(XPC_DIR, `${name}.S`));
      for (const profile of ['default', 'rocket2019'] as const) assertSame(elf, profile, 0.5);
    });
  }

  it('the emitter folds straight-line charges into constants and reads the scoreboard once per register', () => {
    const e = new BlockTimingEmitter(PROFILES.default);
    e.reset();
    const pa = 0x80000000;
    // addi a0, a0, 1 ×3 on one line: one fetch check, one scoreboard read, then constants.
    const code = [0, 4, 8].map((o) => e.instruction({ op: Op.addi, rd: 10, rs1: 10, rs2: 0, pc: pa + o, pa: pa + o, len: 4 }));
    assert.match(code[0], /fetchStall/);
    assert.match(code[0], /rdy\[10\] > c/);
    assert.doesNotMatch(code[1], /fetchStall|rdy\[10\] >/);
    assert.match(code[2], /rdy\[10\] = c \+ 3;/);
    // The next line: a fetch check.
    assert.match(e.instruction({ op: Op.addi, rd: 10, rs1: 10, rs2: 0, pc: pa + 64, pa: pa + 64, len: 4 }), /fetchStall/);
  });
});
