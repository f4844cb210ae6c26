// Where a timed run is split never changes the cycle count: the debugger steps one instruction at
// a time, continues in slices and time travel re-executes from checkpoints, and each must see
// the same cycles (and a guest's rdcycle the same values) at every instruction as one long run.
// A seeded run in random slices is compared with a run one instruction at a time.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { build, imageToElf } from '../../../language/asm';
import { Machine } from '../../../emulator/machine/machine';
import { buildSystem } from '../../../kernel/system/build';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');

function bareXpc(): Uint8Array {
  const dir = path.join(EXAMPLES, 'bare-xpc');
  const r = build([{ path: path.join(dir, 'boot.S') }], { rvc: true, includeDirs: [dir] });
  assert.ok(r.image, r.diagnostics.map((d) => d.message).join('\n'));
  return imageToElf(r.image, dir);
}

function system(name: string): Uint8Array {
  const r = buildSystem(path.join(EXAMPLES, name, 'system.json'));
  assert.ok(r.image, r.diagnostics.map((d) => d.message).join('\n'));
  return r.image.elf;
}

/** Runs `elf` in seeded random slices of 1..60 instructions beside a run of single steps; returns the first disagreement. */
function firstDisagreement(elf: Uint8Array, timing: 'rocket2019' | 'default', maxSlices: number): string | undefined {
  const sliced = new Machine({ timing }), stepped = new Machine({ timing });
  sliced.load(elf, 'sliced.elf');
  stepped.load(elf, 'stepped.elf');
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 60 + 1;
  for (let i = 0; i < maxSlices; i++) {
    const n = next();
    const stop = sliced.run(n);
    for (let k = 0; k < n && stepped.run(1).kind !== 'exit'; k++) { /* one at a time */ }
    const a = sliced.hart, b = stepped.hart;
    if (a.steps !== b.steps || a.cycles !== b.cycles) {
      return `after ${a.steps} / ${b.steps} instructions (pc 0x${BigInt.asUintN(64, BigInt(a.pc)).toString(16)}): ${a.cycles} cycles in slices, ${b.cycles} one at a time`;
    }
    if (stop.kind === 'exit') return undefined;
  }
  return undefined;
}

/** For every n: one run of n instructions from reset against n single steps (a short program: the whole of it). */
function firstDisagreementAnyLength(elf: Uint8Array, timing: 'rocket2019' | 'default'): string | undefined {
  const stepped = new Machine({ timing });
  stepped.load(elf, 'stepped.elf');
  for (let n = 1; ; n++) {
    const end = stepped.run(1).kind === 'exit';
    const whole = new Machine({ timing });
    whole.load(elf, 'whole.elf');
    whole.run(n);
    const a = whole.hart, b = stepped.hart;
    if (a.steps !== b.steps || a.cycles !== b.cycles) {
      return `after ${a.steps} / ${b.steps} instructions (pc 0x${BigInt.asUintN(64, BigInt(a.pc)).toString(16)}): ${a.cycles} cycles in one run, ${b.cycles} one at a time`;
    }
    if (end) return undefined;
  }
}

describe('timing: the cycle count does not depend on where a run is split', () => {
  for (const timing of ['rocket2019', 'default'] as const) {
    it(`bare-metal XPC (M-mode boot, mret into Sv39 user code), ${timing}: at every instruction`, function () {
      this.timeout(120_000);
      assert.equal(firstDisagreementAnyLength(bareXpc(), timing), undefined);
      assert.equal(firstDisagreement(bareXpc(), timing, 2000), undefined);
    });
    it(`a kernel system (traps, sret, xcall/xret, context switches), ${timing}`, function () {
      this.timeout(120_000);
      assert.equal(firstDisagreement(system('dead-callee'), timing, 1500), undefined);
    });
  }
});
