// Runs the IPC benchmark programs of bench/ipc (docs/evaluation.md) and collects the figures the
// guests measure with rdcycle and print as "BENCH <name> <warm> <cold>" lines. The harness only
// builds, runs and reads the UART: every figure is the guest's own.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { build, formatDiagnostic, imageToElf } from '../../language/asm';
import { Machine, StopReason } from '../../emulator/machine/machine';
import type { TimingProfileName } from '../../emulator/timing/params';
import { buildSystem, formatSystemDiagnostic, kernelRoot } from '../../kernel/system/build';
import { XLIB_WORLD_LAYOUT } from '../../test/xpc-lib/world-layout';
import type { SystemImage } from '../../kernel/system/build';

export type BenchProfile = Extract<TimingProfileName, 'rocket2019' | 'default'>;
export const BENCH_PROFILES: readonly BenchProfile[] = ['rocket2019', 'default'];

export interface Figure { readonly warm: number; readonly cold: number }

export interface GuestRun {
  /** What ran: a system description or the bare-metal world's source. */
  readonly what: string;
  readonly stop: StopReason;
  readonly uart: string;
  readonly cycles: number;
  readonly figures: ReadonlyMap<string, Figure>;
}

/** Steps allowed per benchmark run: far above what any of them takes (a run that hangs stops). */
const MAX_STEPS = 50_000_000;

/** bench/ipc, found from this module (out/bench/ipc, dist/ or the sources). */
export function benchIpcDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    for (const candidate of [dir, path.join(dir, 'bench', 'ipc')]) {
      if (fs.existsSync(path.join(candidate, 'fastpath', 'system.json')) && fs.existsSync(path.join(candidate, 'bare', 'world.S'))) return candidate;
    }
    dir = path.dirname(dir);
  }
  throw new Error(`bench/ipc not found above ${__dirname}`);
}

/** The "BENCH <name> <warm> <cold>" lines of a guest's output. */
export function parseFigures(uart: string): Map<string, Figure> {
  const out = new Map<string, Figure>();
  for (const line of uart.split('\n')) {
    const m = /^BENCH (\S+) (\d+) (\d+)$/.exec(line.trim());
    if (m) out.set(m[1], { warm: Number(m[2]), cold: Number(m[3]) });
  }
  return out;
}

function runElf(elf: Uint8Array, what: string, profile: BenchProfile, prepare?: (m: Machine) => void): GuestRun {
  const m = new Machine({ timing: profile });
  m.load(elf, what);
  const bytes: number[] = [];
  m.onUartOutput((b) => bytes.push(b));
  prepare?.(m);
  const stop = m.run(MAX_STEPS);
  const uart = Buffer.from(bytes).toString('latin1');
  return { what, stop, uart, cycles: m.hart.cycles, figures: parseFigures(uart) };
}

/** Thrown when a benchmark program cannot be built: the problems, one a line. */
export class BenchBuildError extends Error {}

export function buildBenchSystem(file: string): SystemImage {
  const built = buildSystem(file);
  if (!built.image) throw new BenchBuildError(`${file}:\n${built.diagnostics.map((d) => `  ${formatSystemDiagnostic(d)}`).join('\n')}`);
  return built.image;
}

/** Builds a system description of bench/ipc and runs it under the kernel. */
export function runSystem(name: string, profile: BenchProfile): GuestRun {
  const file = path.join(benchIpcDir(), name, 'system.json');
  return runElf(buildBenchSystem(file).elf, file, profile);
}


/** The XPC benchmarks in the bare-metal fallback world (bare/world.S + the XPC user library). */
export function buildBareWorld(): Uint8Array {
  const dir = benchIpcDir();
  const libDir = path.join(kernelRoot(), 'lib', 'xpc');
  const r = build([{ path: path.join(dir, 'bare', 'world.S') }, { path: path.join(libDir, 'xpc.S') }], {
    includeDirs: [path.join(dir, 'bare'), path.join(dir, 'common'), libDir],
    defines: new Map([['XPC_DATA_SECTION', '.bss.xpcpriv']]),
    layout: XLIB_WORLD_LAYOUT,
  });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.image || errors.length) throw new BenchBuildError(`bench/ipc/bare/world.S:\n${errors.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`);
  return imageToElf(r.image, path.join(dir, 'bare'));
}

export function runBareWorld(profile: BenchProfile, elf: Uint8Array = buildBareWorld()): GuestRun {
  return runElf(elf, path.join(benchIpcDir(), 'bare', 'world.S'), profile);
}

/** Why a run does not count: it did not exit 0, or a figure it should print is missing. */
export function runProblem(run: GuestRun, expected: readonly string[]): string | undefined {
  if (run.stop.kind !== 'exit' || run.stop.code !== 0) {
    const tail = run.uart.trim().split('\n').slice(-3).join(' | ');
    return `${path.relative(process.cwd(), run.what)} ended with ${run.stop.kind === 'exit' ? `exit code ${run.stop.code}` : run.stop.kind}${tail ? ` (${tail})` : ''}`;
  }
  const missing = expected.filter((k) => !run.figures.has(k));
  return missing.length ? `${path.relative(process.cwd(), run.what)} printed no ${missing.join(', ')}` : undefined;
}

