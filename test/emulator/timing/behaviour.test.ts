import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build, imageToElf } from '../../../language/asm';
import { Machine } from '../../../emulator/machine/machine';
import { TimingOption, timingParams } from '../../../emulator/timing/params';
import { PROGRAMS, buildProgram } from '../programs/programs';

/**
 * Timing never changes behaviour, and the model's state is part of a snapshot: the self-checking
 * programs pass under every profile, reaching the same architectural state as with timing off
 * (except the two that read time), and a restored snapshot runs on to the same cycle count.
 */

function finalState(elf: Uint8Array, timing: TimingOption): { exit: unknown; steps: number; retired: number; x: number[]; cycles: number; pc: number } {
  const m = new Machine({ ramSize: 16 << 20, timing });
  m.load(elf, 'p.elf');
  const stop = m.run(20_000_000);
  return { exit: stop, steps: m.hart.steps, retired: m.hart.retired, x: [...m.hart.x], cycles: m.hart.cycles, pc: m.hart.pc };
}

/** Programs whose results depend on time (counter reads, timer interrupts): they must pass, not match. */
const TIME_DEPENDENT = new Set(['zicsr', 'interrupts']);

describe('timing model: behaviour and snapshots', () => {
  for (const p of PROGRAMS) {
    it(`${p.name}: passes under every profile${TIME_DEPENDENT.has(p.name) ? '' : ', in the same state as with timing off'}`, () => {
      const elf = buildProgram(p.path);
      const off = finalState(elf, 'off');
      assert.deepEqual(off.exit, { kind: 'exit', code: 0, via: 'finisher' });
      for (const profile of ['default', 'rocket2019'] as const) {
        const on = finalState(elf, profile);
        assert.deepEqual(on.exit, off.exit, profile);
        assert.ok(on.cycles > on.retired, `${profile}: a real program costs more than one cycle per instruction`);
        if (TIME_DEPENDENT.has(p.name)) continue;
        assert.equal(on.steps, off.steps, profile);
        assert.deepEqual(on.x, off.x, profile);
        assert.equal(on.pc, off.pc, profile);
      }
    });
  }

  it('a restored snapshot runs on to the same cycle count (caches, TLBs, predictor restored)', () => {
    const elf = buildProgram(PROGRAMS.find((p) => p.name === 'sv39')!.path);
    const fresh = finalState(elf, 'default');
    const m = new Machine({ ramSize: 16 << 20, timing: 'default' });
    m.load(elf, 'p.elf');
    m.snapshot();
    m.run(Math.floor(fresh.steps / 2));
    const mid = m.snapshot();
    m.run(20_000_000);
    assert.equal(m.hart.cycles, fresh.cycles);
    // Different model state, then restore: the run from the snapshot must repeat exactly.
    m.restore(mid);
    m.hart.timing!.icache.invalidateAll();
    m.restore(mid);
    m.run(20_000_000);
    assert.equal(m.hart.cycles, fresh.cycles);
    assert.equal(m.hart.steps, fresh.steps);
  });

  it('prints its profile, refuses an impossible geometry, and takes overrides', () => {
    assert.equal(new Machine({ timing: 'rocket2019', ramSize: 1 << 20 }).timingProfile, 'rocket2019');
    assert.equal(new Machine({ ramSize: 1 << 20 }).timingProfile, 'off');
    assert.equal(new Machine({ ramSize: 1 << 20 }).hart.timing, undefined);
    assert.throws(() => timingParams('default', { icache: { sizeBytes: 3000, ways: 4, lineBytes: 64 } }), /power-of-two/);
    assert.equal(timingParams('default', { missPenalty: 100 }).missPenalty, 100);
  });

  it('a larger miss penalty is charged exactly (configurable parameters)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-timing-'));
    const file = path.join(dir, 'p.S');
    fs.writeFileSync(file, '.option norvc\n.text\n.globl _start\n_start:\n  li a0, 0x80200000\n  ld a1, 0(a0)\n  ebreak\n');
    const r = build([{ path: file }]);
    fs.rmSync(dir, { recursive: true, force: true });
    const run = (missPenalty: number) => {
      const m = new Machine({ ramSize: 4 << 20, timing: 'default', timingParams: { missPenalty } });
      m.load(imageToElf(r.image!), 'p.elf');
      m.hart.pc = Number(r.image!.symbols.find((x) => x.name === '_start')!.value);
      m.hart.setTrapStops([3]);
      m.run(100);
      return m.hart.cycles;
    };
    // One I-line miss and one D-line miss: the difference is twice the difference in penalty.
    assert.equal(run(100) - run(60), 2 * 40);
  });
});
