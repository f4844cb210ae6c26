// The debug adapter's figures (issue #8), measured over DAP on stdio against
// dist/debug-adapter.js as VS Code would use it:
//  - step latency: the time from sending a `next` request to receiving its `stopped` event
//    (median over many steps of a loop; target ≤ 5 ms); the same for a pause (target ≤ 50 ms);
//  - running to a breakpoint with 10 breakpoints set, against the same program running free in
//    the adapter (MIPS over the run; target ≥ 80 % of free-running).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';

export interface BenchResult { name: string; value: number; unit: string; target?: number }

const ITERATIONS = 5_000_000;

/** A loop of ITERATIONS × 5 instructions, then `done`; `never` holds nine instructions never run. */
const PROGRAM = `
        .text
        .globl _start
_start:
        li s1, ${ITERATIONS}
        la s2, data
loop:
        ld t0, 0(s2)
        add t0, t0, s1
        sd t0, 0(s2)
        addi s1, s1, -1
        bnez s1, loop
done:
        li t0, 0x100000
        li t1, 0x5555
        sw t1, 0(t0)
1:      j 1b
never:
${Array.from({ length: 9 }, () => '        addi a0, a0, 1').join('\n')}
        ret
        .data
        .balign 8
data:   .dword 0
`;

/** Lines of PROGRAM by their text. */
function lineOf(re: RegExp, nth = 0): number {
  const lines = PROGRAM.split('\n');
  const hits = lines.map((l, i) => (re.test(l) ? i + 1 : 0)).filter((x) => x);
  return hits[nth];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function session(adapter: string): Promise<DebugClient> {
  const dc = new DebugClient('node', adapter, 'xpc');
  dc.defaultTimeout = 120_000;
  await dc.start();
  return dc;
}

async function launch(dc: DebugClient, program: string, setup: () => Promise<unknown>, extra: Record<string, unknown> = {}): Promise<void> {
  await Promise.all([
    dc.waitForEvent('initialized').then(setup).then(() => dc.configurationDoneRequest()),
    dc.launch({ program, ...extra }),
  ]);
}

async function instructions(dc: DebugClient): Promise<number> {
  return (await dc.customRequest('xpc.state')).body.instructions as number;
}

/** Median request-to-stopped time of `next` by line and by instruction, over a loop. */
async function stepLatency(adapter: string, program: string): Promise<{ line: number; instruction: number }> {
  const dc = await session(adapter);
  try {
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, program, () => dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: lineOf(/ld t0, 0\(s2\)/) }] }));
    await stopped;
    const time = async (granularity: DebugProtocol.SteppingGranularity) => {
      const times: number[] = [];
      for (let i = 0; i < 300; i++) {
        const ev = dc.waitForEvent('stopped');
        const t0 = process.hrtime.bigint();
        await dc.nextRequest({ threadId: 1, granularity });
        await ev;
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        // What VS Code asks after every stop, outside the measured time.
        await dc.stackTraceRequest({ threadId: 1, levels: 20 });
      }
      return median(times.slice(20));
    };
    return { line: await time('line'), instruction: await time('instruction') };
  } finally {
    await dc.stop();
  }
}

/** Two processes of one priority yielding to each other: every Yield switches process and back. */
const KERNEL_LOOP = `
        .include "user.inc"
        .text
        .globl _start
_start:
        li      s1, 0
1:      addi    s1, s1, 1
        li      a0, 0
        SYSCALL SYS_YIELD
        mv      a0, s1
        j       1b
`;
const KERNEL_SYSTEM = { processes: [{ name: 'stepper', sources: ['loop.S'] }, { name: 'other', sources: ['loop.S'] }] };

/**
 * Under the kernel: median request-to-stopped of `next` by line over a loop whose Yield line
 * runs through the kernel and the other process before the stepping thread is back; the
 * median of the Yield steps alone too.
 */
async function kernelStepLatency(adapter: string, system: string, source: string): Promise<{ all: number; syscall: number }> {
  const dc = await session(adapter);
  try {
    const stopped = dc.waitForEvent('stopped');
    const loopLine = KERNEL_LOOP.split('\n').findIndex((l) => /addi\s+s1, s1, 1/.test(l)) + 1;
    const yieldLine = KERNEL_LOOP.split('\n').findIndex((l) => /SYS_YIELD/.test(l)) + 1;
    await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: loopLine }] })).then(() => dc.configurationDoneRequest()),
      dc.launch({ system }),
    ]);
    const first = (await stopped) as DebugProtocol.StoppedEvent;
    const thread = first.body.threadId!;
    // Only the first stop's process matters: the breakpoint (in both processes) is removed.
    await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [] });
    const all: number[] = [], syscall: number[] = [];
    let line = loopLine;
    for (let i = 0; i < 250; i++) {
      const ev = dc.waitForEvent('stopped');
      const t0 = process.hrtime.bigint();
      await dc.nextRequest({ threadId: thread });
      await ev;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i >= 20) { all.push(ms); if (line === yieldLine) syscall.push(ms); }
      line = (await dc.stackTraceRequest({ threadId: thread, levels: 20 })).body.stackFrames[0].line;
    }
    return { all: median(all), syscall: median(syscall) };
  } finally {
    await dc.stop();
  }
}

const SPIN = `
        .text
        .globl _start
_start:
        addi a0, a0, 1
        j _start
`;

/** Median time from a pause request to its stopped event, the guest running between pauses. */
async function pauseLatency(adapter: string, program: string): Promise<number> {
  const dc = await session(adapter);
  try {
    await launch(dc, program, async () => undefined);
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      await new Promise((r) => setTimeout(r, 60));
      const ev = dc.waitForEvent('stopped');
      const t0 = process.hrtime.bigint();
      await dc.pauseRequest({ threadId: 1 });
      await ev;
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      await dc.continueRequest({ threadId: 1 });
    }
    return median(times);
  } finally {
    await dc.stop();
  }
}

/** The program's end: the stop at its exit (time travel keeps the session) or, without time travel, the exited event. */
function programEnd(dc: DebugClient): Promise<void> {
  return new Promise((resolve) => {
    const onStop = (e: DebugProtocol.StoppedEvent) => { if (e.body.reason === 'exit') { dc.removeListener('stopped', onStop); resolve(); } };
    dc.on('stopped', onStop);
    dc.once('exited', () => { dc.removeListener('stopped', onStop); resolve(); });
  });
}

/** MIPS of a run in the adapter: to the exit (free) or to `done` with ten breakpoints set. */
async function runMips(adapter: string, program: string, withBreakpoints: boolean): Promise<number> {
  const dc = await session(adapter);
  try {
    const entry = dc.waitForEvent('stopped');
    await launch(dc, program, async () => {
      if (!withBreakpoints) return;
      const lines = [lineOf(/^done:/) + 1, ...Array.from({ length: 9 }, (_, i) => lineOf(/addi a0, a0, 1/, i))];
      await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: lines.map((line) => ({ line })) });
    }, { stopOnEntry: true });
    await entry;
    const n0 = await instructions(dc);
    const end = withBreakpoints ? dc.waitForEvent('stopped') : programEnd(dc);
    const t0 = process.hrtime.bigint();
    await dc.continueRequest({ threadId: 1 });
    await end;
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    // After an exit the state request is still answered by the session.
    const n1 = withBreakpoints ? await instructions(dc) : n0 + ITERATIONS * 5 + 5;
    return (n1 - n0) / secs / 1e6;
  } finally {
    await dc.stop();
  }
}

export async function benchDebugAdapter(): Promise<BenchResult[]> {
  const adapter = path.join(__dirname, 'debug-adapter.js');
  if (!fs.existsSync(adapter)) return [{ name: `debug adapter: ${adapter} missing (npm run build)`, value: 0, unit: '' }];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-dap-bench-'));
  try {
    const program = path.join(dir, 'bare-loop.S');
    fs.writeFileSync(program, PROGRAM);
    const steps = await stepLatency(adapter, program);
    fs.writeFileSync(path.join(dir, 'loop.S'), KERNEL_LOOP);
    const system = path.join(dir, 'system.json');
    fs.writeFileSync(system, JSON.stringify(KERNEL_SYSTEM));
    const kernelSteps = await kernelStepLatency(adapter, system, path.join(dir, 'loop.S'));
    const spin = path.join(dir, 'spin.S');
    fs.writeFileSync(spin, SPIN);
    const pause = await pauseLatency(adapter, spin);
    await runMips(adapter, program, false); // warm-up
    // Alternated, so that a noisy neighbour slows both kinds alike; the best of each is the
    // least disturbed run (the median is shown too).
    const free: number[] = [], bp: number[] = [];
    for (let i = 0; i < 5; i++) {
      free.push(await runMips(adapter, program, false));
      bp.push(await runMips(adapter, program, true));
    }
    const bestFree = Math.max(...free), bestBp = Math.max(...bp);
    return [
      { name: 'debug adapter: step over a line, request → stopped (median of 280)', value: steps.line, unit: 'ms', target: 5 },
      { name: 'debug adapter: step one instruction, request → stopped (median of 280)', value: steps.instruction, unit: 'ms', target: 5 },
      { name: 'debug adapter: under the kernel, step over a line, request → stopped (median of 230)', value: kernelSteps.all, unit: 'ms', target: 5 },
      { name: 'debug adapter: under the kernel, step over a Yield (kernel + other process + back; median)', value: kernelSteps.syscall, unit: 'ms', target: 5 },
      { name: 'debug adapter: pause of a running guest, request → stopped (median of 15)', value: pause, unit: 'ms', target: 50 },
      { name: 'debug adapter: free-running MIPS (best of 5; median)', value: bestFree, unit: `MIPS (median ${median(free).toFixed(1)})` },
      { name: 'debug adapter: MIPS running to a breakpoint with 10 set (best of 5; median)', value: bestBp, unit: `MIPS (median ${median(bp).toFixed(1)})` },
      { name: 'debug adapter: with 10 breakpoints / free-running, best of 5 each (target ≥ 0.8)', value: bestBp / bestFree, unit: 'x', target: 0.8 },
      { name: 'debug adapter: with 10 breakpoints / free-running, medians', value: median(bp) / median(free), unit: 'x' },
      ...(await timeTravelFigures(adapter, dir, program)),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- Time travel (issue #11): the same figures as bench/replay.ts, through the adapter ----------

/** Runs forever: a loop over a 16 KiB buffer and a call per iteration (a frame for line steps). */
const TT_PROGRAM = `
        .text
        .globl _start
_start:
        la sp, stack_top
        la s0, buf
        li s1, 0
again:
        andi t0, s1, 2047
        slli t0, t0, 3
        add t0, t0, s0
        ld t1, 0(t0)
        addi t1, t1, 1
        sd t1, 0(t0)
        mv a0, s1
        call bump
        addi s1, s1, 1
        j again
bump:
        addi a0, a0, 3
        ret
        .bss
        .balign 4096
buf:    .zero 65536
        .zero 4096
stack_top:
`;

const DEPTH = 100_000_000;

/** Request → stopped, in ms. */
async function timed(dc: DebugClient, send: () => Promise<unknown>): Promise<number> {
  const ev = dc.waitForEvent('stopped');
  const t0 = process.hrtime.bigint();
  await send();
  await ev;
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * Step back latency (request → stopped) 100 million instructions into a run, by instruction and
 * by line; reverse step over; a go-to halfway; and the recording's cost to forward speed in the
 * adapter (to the exit of the loop program with timeTravel on and off, alternated).
 */
async function timeTravelFigures(adapter: string, dir: string, loop: string): Promise<BenchResult[]> {
  const program = path.join(dir, 'tt.S');
  fs.writeFileSync(program, TT_PROGRAM);
  const dc = await session(adapter);
  const out: BenchResult[] = [];
  try {
    await launch(dc, program, async () => undefined);
    while (await instructions(dc) < DEPTH) await new Promise((r) => setTimeout(r, 100));
    await timed(dc, () => dc.pauseRequest({ threadId: 1 }));
    const at = await instructions(dc);
    const byInstruction: number[] = [], byLine: number[] = [], over: number[] = [];
    for (let i = 0; i < 21; i++) {
      byInstruction.push(await timed(dc, () => dc.stepBackRequest({ threadId: 1, granularity: 'instruction' })));
      await dc.stackTraceRequest({ threadId: 1, levels: 20 });
    }
    for (let i = 0; i < 21; i++) byLine.push(await timed(dc, () => dc.stepBackRequest({ threadId: 1, granularity: 'line' })));
    for (let i = 0; i < 21; i++) over.push(await timed(dc, () => dc.customRequest('xpc.reverseStepOver')));
    const half = await timed(dc, () => dc.customRequest('xpc.gotoInstruction', { instructions: Math.floor(at / 2) }));
    const forward: number[] = [];
    for (let i = 0; i < 21; i++) forward.push(await timed(dc, () => dc.nextRequest({ threadId: 1, granularity: 'instruction' })));
    const history = (await dc.customRequest('xpc.state')).body.history as { checkpoints: number; memoryMiB: number };
    const depth = `${Math.round(at / 1e6)} M instructions in`;
    out.push(
      { name: `debug adapter time travel: step back one instruction, ${depth} (median of 21; worst ${Math.max(...byInstruction).toFixed(0)} ms)`, value: median(byInstruction), unit: 'ms', target: 50 },
      { name: 'debug adapter time travel: step back one line (median of 21)', value: median(byLine), unit: 'ms', target: 50 },
      { name: 'debug adapter time travel: reverse step over (median of 21)', value: median(over), unit: 'ms' },
      { name: 'debug adapter time travel: go to instruction halfway', value: half, unit: 'ms' },
      { name: 'debug adapter time travel: step forward one instruction in the past (replay; median of 21)', value: median(forward), unit: 'ms' },
      { name: `debug adapter time travel: history at ${depth}: ${history.checkpoints} checkpoints`, value: history.memoryMiB, unit: 'MiB' },
    );
  } finally {
    await dc.stop();
  }
  // Recording's cost: the loop program to its exit, with and without time travel, alternated.
  const on: number[] = [], off: number[] = [];
  for (let i = 0; i < 3; i++) {
    on.push(await mipsToExit(adapter, loop, true));
    off.push(await mipsToExit(adapter, loop, false));
  }
  out.push(
    { name: 'debug adapter time travel: free-running MIPS recording / not (best of 3 each)', value: Math.max(...on), unit: `MIPS / ${Math.max(...off).toFixed(1)}` },
    { name: 'debug adapter time travel: recording cost to forward speed (best of 3 each; target ≤ 25%)', value: 100 * (1 - Math.max(...on) / Math.max(...off)), unit: '%', target: 25 },
  );
  return out;
}

async function mipsToExit(adapter: string, program: string, timeTravel: boolean): Promise<number> {
  const dc = await session(adapter);
  try {
    const entry = dc.waitForEvent('stopped');
    await launch(dc, program, async () => undefined, { stopOnEntry: true, timeTravel });
    await entry;
    const end = programEnd(dc);
    const t0 = process.hrtime.bigint();
    await dc.continueRequest({ threadId: 1 });
    await end;
    return (ITERATIONS * 5 + 5) / (Number(process.hrtime.bigint() - t0) / 1e9) / 1e6;
  } finally {
    await dc.stop();
  }
}

/** The time-travel figures alone (node dist/bench.js runs them within benchDebugAdapter). */
export async function benchDebugAdapterTimeTravel(adapter: string): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-dap-tt-'));
  try {
    const loop = path.join(dir, 'loop.S');
    fs.writeFileSync(loop, PROGRAM);
    return await timeTravelFigures(adapter, dir, loop);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
