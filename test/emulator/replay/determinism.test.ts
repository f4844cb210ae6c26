// What time travel stands on: run(maxSteps) stops exactly, and where a run is split never
// changes the history (timer interrupts included, with and without a timing profile).

import { strict as assert } from 'node:assert';
import { stateHash } from '../../../emulator/replay';
import { Program, RunSetup, freshAt, lcg, lengthOf, machineFor, suiteProgram } from './replay-harness';

const SETUPS: readonly [string, RunSetup][] = [
  ['block tier', {}],
  ['blocks compiled at once', { jitThreshold: 1 }],
  ['interpreter', { jitThreshold: 0 }],
  ['timing: default', { timing: 'default' }],
];

describe('replay foundations: exact stops and split-independent runs', () => {
  const programs: Program[] = ['interrupts', 'rv64i-mem', 'sv39', 'xret'].map(suiteProgram);

  for (const [label, setup] of SETUPS) {
    it(`run(n) stops after exactly n steps (${label})`, () => {
      for (const p of programs) {
        const total = lengthOf(p, setup).steps;
        const m = machineFor(p, setup);
        const rnd = lcg(p.name.length);
        while (m.hart.steps < total) {
          const n = 1 + (rnd() % 5000);
          const before = m.hart.steps;
          const r = m.run(n);
          if (r.kind === 'exit') break;
          assert.equal(r.kind, 'limit', `${p.name}: ${JSON.stringify(r)}`);
          assert.equal(m.hart.steps, before + n, `${p.name} at ${before}: run(${n})`);
        }
      }
    });

    it(`a run split anywhere ends in the same state as one run (${label})`, () => {
      for (const p of programs) {
        const total = lengthOf(p, setup).steps;
        const target = Math.floor(total * 0.9);
        const split = machineFor(p, setup);
        const rnd = lcg(7 + p.name.length);
        while (split.hart.steps < target) split.run(Math.min(target - split.hart.steps, 1 + (rnd() % 3000)));
        const whole = freshAt(p, target, setup);
        assert.equal(split.hart.steps, target);
        assert.equal(split.hart.cycles, whole.hart.cycles, `${p.name}: cycles`);
        assert.equal(stateHash(split), stateHash(whole), `${p.name}: state at ${target}`);
      }
    });
  }

  it('the state digest sees a one-byte RAM change, a register and a CSR', () => {
    const p = programs[1];
    const m = freshAt(p, 200);
    const h = stateHash(m);
    m.writePhysical(0x80000000 + 0x3000, new Uint8Array([m.readPhysical(0x80003000, 1)![0] ^ 1]));
    assert.notEqual(stateHash(m), h);
    const m2 = freshAt(p, 200);
    m2.hart.setReg(5, m2.hart.getReg(5) + 1n);
    assert.notEqual(stateHash(m2), h);
    const m3 = freshAt(p, 200);
    m3.hart.writeCsr(0x340, m3.hart.readCsr(0x340) ^ 1n);
    assert.notEqual(stateHash(m3), h);
    assert.equal(stateHash(freshAt(p, 200)), h);
  });
});
