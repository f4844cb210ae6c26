// Time travel figures (issue #11): the cost of recording on forward speed, and how fast a step
// back answers deep into a run. Targets: a step back at 100 million steps in ≤ 50 ms (median);
// recording costs ≤ 25% of forward speed.

import { build, imageToElf } from '../language/asm';
import { Machine } from '../emulator/machine/machine';
import { Timeline } from '../emulator/replay';

export interface ReplayResult { name: string; value: number; unit: string; target?: number }

/**
 * A workload that never ends: pseudo-random read-modify-writes over a 1 MiB buffer (so every
 * checkpoint has pages to copy), calls with stack traffic, and a round counter to watch.
 */
const WORKLOAD = `
  .globl _start
_start:
  li sp, 0x80800000
  la s0, buffer
  li s1, 0x12345
  li s3, 0xfffff
round:
  li s2, 4096
inner:
  li t0, 1103515245
  mul s1, s1, t0
  addi s1, s1, 1234
  srli t1, s1, 7
  and t1, t1, s3
  andi t1, t1, -8
  add t1, t1, s0
  ld t2, 0(t1)
  add t2, t2, s2
  sd t2, 0(t1)
  mv a0, s2
  call mix
  addi s2, s2, -1
  bnez s2, inner
  la t0, rounds
  ld t1, 0(t0)
  addi t1, t1, 1
  sd t1, 0(t0)
  j round
mix:
  addi sp, sp, -16
  sd ra, 8(sp)
  sd a0, 0(sp)
  slli a1, a0, 3
  xor a0, a0, a1
  ld ra, 8(sp)
  addi sp, sp, 16
  ret
  .data
  .balign 8
rounds: .dword 0
  .bss
  .balign 4096
buffer: .skip 1048576
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function workload(): Uint8Array {
  const r = build([{ path: 'replay-bench.S', text: WORKLOAD }]);
  if (!r.image) throw new Error(`replay bench workload failed to assemble: ${r.diagnostics[0]?.message}`);
  return imageToElf(r.image);
}

function machine(elf: Uint8Array): Machine {
  const m = new Machine({ ramSize: 16 * 1024 * 1024 });
  m.load(elf, 'replay-bench.elf');
  return m;
}

export function benchReplay(steps = 100_000_000, runs = 3): ReplayResult[] {
  const elf = workload();
  // Warm-up (the block tier and V8 settle), then one measured run of each.
  machine(elf).run(2_000_000);
  new Timeline(machine(elf)).run(2_000_000);

  // Alternating runs with and without recording, so load from elsewhere on the machine hits
  // both alike; the medians are compared. The last recorded run is the one travelled in.
  const plainTimes: number[] = [], recTimes: number[] = [];
  let tl: Timeline | undefined;
  let t0 = 0;
  for (let i = 0; i < runs; i++) {
    const plain = machine(elf);
    t0 = performance.now();
    plain.run(steps);
    plainTimes.push(performance.now() - t0);
    tl = new Timeline(machine(elf));
    t0 = performance.now();
    tl.run(steps);
    recTimes.push(performance.now() - t0);
    if (tl.position !== steps) throw new Error(`replay bench: the recorded run stopped at ${tl.position}`);
  }
  if (!tl) throw new Error('replay bench: no runs');
  const plainMs = median(plainTimes), recMs = median(recTimes);
  const plainMips = steps / plainMs / 1000;
  const recMips = steps / recMs / 1000;
  const stats = tl.stats();

  // Step back one step at a time from the end of the history, each a restore + re-execution.
  const back: number[] = [];
  for (let i = 0; i < 21; i++) {
    t0 = performance.now();
    tl.stepBack(1);
    back.push(performance.now() - t0);
  }
  t0 = performance.now();
  tl.stepBack(1000);
  const back1000 = performance.now() - t0;
  // Reverse-continue to the last update of the round counter (one per ~57,000 steps).
  const m = tl.machine;
  const rounds = m.image!.elf.symbols.find((s) => s.name === 'rounds');
  let reverseMs = NaN;
  if (rounds) {
    const pa = Number(rounds.value);
    tl.setConditions({ watchpoints: [{ start: pa, end: pa + 8, read: false, write: true }] });
    t0 = performance.now();
    tl.reverseContinue();
    reverseMs = performance.now() - t0;
    tl.setConditions({});
  }
  t0 = performance.now();
  tl.seek(Math.floor(steps / 2));
  const seekMid = performance.now() - t0;

  const M = steps / 1e6;
  return [
    { name: `replay: forward MIPS without recording (${M} M steps, median of ${runs})`, value: plainMips, unit: 'MIPS' },
    { name: `replay: forward MIPS while recording (${M} M steps, median of ${runs})`, value: recMips, unit: 'MIPS' },
    { name: 'replay: recording cost, 1 - MIPS recording / without (target ≤ 25%)', value: 100 * (1 - recMips / plainMips), unit: '%', target: 25 },
    { name: `replay: one ${M} M-step run took, without recording`, value: plainMs / 1000, unit: 's' },
    { name: `replay: one ${M} M-step run took, recording`, value: recMs / 1000, unit: 's' },
    { name: `replay: step back 1 at ${M} M steps (median of 21; target ≤ 50 ms)`, value: median(back), unit: 'ms', target: 50 },
    { name: `replay: step back 1 at ${M} M steps (worst of 21)`, value: Math.max(...back), unit: 'ms' },
    { name: 'replay: step back 1000', value: back1000, unit: 'ms' },
    { name: 'replay: reverse-continue to the last write of a watched word', value: reverseMs, unit: 'ms' },
    { name: `replay: seek to ${M / 2} M steps`, value: seekMid, unit: 'ms' },
    { name: 'replay: checkpoints kept / interval (steps)', value: stats.checkpoints, unit: `checkpoints, every ${stats.checkpointInterval.toLocaleString('en')} steps` },
    { name: 'replay: history memory', value: stats.memoryBytes / 1048576, unit: `MiB of ${stats.memoryBudget / 1048576} MiB budget` },
  ];
}
