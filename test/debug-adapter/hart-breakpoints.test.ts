// Breakpoints and the block tier: with only virtual breakpoints set the hart keeps running
// compiled blocks (the debugger's run-to-breakpoint speed depends on it), except blocks that
// cover a breakpoint, which must still stop there.

import { strict as assert } from 'node:assert';
import { build, imageToElf } from '../../language/asm';
import { Machine } from '../../emulator/machine/machine';

const LOOP = `
        .text
        .globl _start
_start:
        li s1, 100000
loop:
        addi t0, t0, 1
inner:  addi t1, t1, 2
        addi s1, s1, -1
        bnez s1, loop
done:   j done
`;

function machine(timing: 'off' | 'default'): { m: Machine; sym: (n: string) => number } {
  const r = build([{ path: 'loop.S', text: LOOP }]);
  if (!r.image) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  const m = new Machine({ ramSize: 1 << 20, timing });
  m.load(imageToElf(r.image), 'loop.elf');
  const syms = r.image.symbols;
  return { m, sym: (n) => Number(syms.find((s) => s.name === n)!.value) };
}

for (const timing of ['off', 'default'] as const) describe(`breakpoints inside compiled blocks (timing ${timing})`, () => {
  it('stops at a breakpoint set inside a hot, already compiled loop', () => {
    const { m, sym } = machine(timing);
    m.run(50_000); // the loop is compiled by now
    m.hart.setBreakpoints([sym('inner')]);
    const steps = m.hart.steps;
    assert.deepEqual(m.run(1000), { kind: 'breakpoint', pc: sym('inner') });
    assert.ok(m.hart.steps - steps <= 4, 'within one iteration');
    const t1 = m.hart.getReg(6);
    assert.deepEqual(m.run(1000), { kind: 'breakpoint', pc: sym('inner') });
    assert.equal(m.hart.getReg(6) - t1, 2n, 'one iteration between the stops');
  });

  it('runs to a breakpoint outside the loop with the same result as without breakpoints, the loop in blocks', () => {
    const a = machine(timing);
    a.m.hart.setBreakpoints([a.sym('done')]);
    // Count the steps run inside compiled blocks: the loop must not fall back to the interpreter.
    let blockSteps = 0;
    const h = a.m.hart as unknown as Record<'runBlock' | 'runTimedBlock', (...args: unknown[]) => boolean> & { steps: number };
    const tier = timing === 'off' ? 'runBlock' : 'runTimedBlock';
    const inner = h[tier].bind(a.m.hart);
    h[tier] = (...args: unknown[]) => { const s0 = h.steps; try { return inner(...args); } finally { blockSteps += h.steps - s0; } };
    assert.deepEqual(a.m.run(10_000_000), { kind: 'breakpoint', pc: a.sym('done') });
    assert.ok(blockSteps > a.m.hart.steps / 2, `only ${blockSteps} of ${a.m.hart.steps} steps ran in blocks`);
    const b = machine(timing);
    b.m.run(a.m.hart.steps);
    assert.equal(b.m.hart.pc, a.sym('done'));
    assert.equal(b.m.hart.getReg(6), a.m.hart.getReg(6));
    assert.equal(b.m.hart.steps, a.m.hart.steps);
    assert.equal(b.m.hart.cycles, a.m.hart.cycles, 'breakpoints never change the cycle count');
  });
});
