// A hart on plain RAM plus a test finisher: exercises the CPU without the board's devices.

import { build, imageToElf } from '../../language/asm';
import { Hart, HartBus } from '../../emulator/hart/hart';
import { loadElf } from '../../emulator/machine/loader';
import { Ram } from '../../emulator/machine/memory';

export interface HartRun { hart: Hart; exit?: number; steps: number }

/** Assembles `source` (bare layout), runs it from 0x80000000 until the finisher or `maxSteps`. */
export function runOnHart(source: string, maxSteps = 1_000_000): HartRun {
  const r = build([{ path: 'prog.S', text: source }]);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.image) throw new Error(errors.map((d) => `${d.line}: ${d.message}`).join('\n'));
  const ram = new Ram(0x80000000, 4 * 1024 * 1024);
  let exit: number | undefined;
  const bus: HartBus = {
    ram,
    readIo: () => undefined,
    writeIo: (pa, _size, value) => {
      if (pa !== 0x100000) return false;
      const v = Number(value & 0xffffffffn);
      if ((v & 0xffff) === 0x5555) exit = 0; else if ((v & 0xffff) === 0x3333) exit = v >>> 16;
      hart.stopRequested = exit !== undefined;
      return true;
    },
    time: () => 0n,
  };
  const hart = new Hart(bus);
  loadElf(imageToElf(r.image), 'prog.elf', ram);
  hart.pc = 0x80000000;
  let steps = 0;
  while (exit === undefined && steps < maxSteps) {
    const n = hart.run(Math.min(10000, maxSteps - steps));
    steps += n;
    if (hart.waiting || n === 0) break;
  }
  return { hart, exit, steps };
}

/** Exit with the value of a0 through the finisher: (a0 << 16) | 0x3333, or 0x5555 when a0 = 0. */
export const EXIT_A0 = `
exit_a0:
  li t0, 0x100000
  beqz a0, 1f
  slli a0, a0, 16
  li t1, 0x3333
  or a0, a0, t1
  sw a0, 0(t0)
1:li t1, 0x5555
  sw t1, 0(t0)
2:j 2b
`;
