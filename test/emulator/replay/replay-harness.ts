// Building programs and reference runs for the replay tests. A reference is always a fresh
// machine run straight to the position in one call: what the timeline must reproduce.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LAYOUTS, build, formatDiagnostic, imageToElf } from '../../../language/asm';
import { Machine, MachineOptions, StopReason } from '../../../emulator/machine/machine';
import { PROGRAMS_DIR } from '../programs/programs';
import { StopConditions } from '../../../emulator/replay';

const XPC_DIR = [path.resolve(PROGRAMS_DIR, '../xpc'), path.resolve(__dirname, '../../../../test/emulator/xpc')]
  .find((d) => fs.existsSync(path.join(d, 'xpc-macros.h')))!;

export interface Program {
  readonly name: string;
  readonly elf: Uint8Array;
  readonly symbols: ReadonlyMap<string, number>;
}

/** RAM for the tests: the programs stay in the first few MiB, and the state digest reads it all. */
export const TEST_RAM = 4 * 1024 * 1024;

/** A test program of test/emulator/programs or test/emulator/xpc, by name. */
export function suiteProgram(name: string): Program {
  const dir = fs.existsSync(path.join(PROGRAMS_DIR, `${name}.S`)) ? PROGRAMS_DIR : XPC_DIR;
  return buildFile(path.join(dir, `${name}.S`), name);
}

function buildFile(file: string, name: string, text?: string): Program {
  const r = build([{ path: file, text }], { includeDirs: [PROGRAMS_DIR, XPC_DIR], rvc: true, layout: LAYOUTS.bare });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.image || errors.length) throw new Error(`${name} does not build:\n${errors.map(formatDiagnostic).join('\n')}`);
  const symbols = new Map<string, number>();
  for (const s of r.image.symbols) symbols.set(s.name, Number(s.value));
  return { name, elf: imageToElf(r.image), symbols };
}

/** A program from assembly text. */
export function sourceProgram(name: string, text: string): Program {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-replay-'));
  try {
    const file = path.join(dir, `${name}.S`);
    fs.writeFileSync(file, text);
    return buildFile(file, name);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface RunSetup {
  readonly timing?: MachineOptions['timing'];
  readonly jitThreshold?: number;
}

export function machineFor(p: Program, setup: RunSetup = {}): Machine {
  const m = new Machine({ ramSize: TEST_RAM, timing: setup.timing });
  m.load(p.elf, `${p.name}.elf`);
  if (setup.jitThreshold !== undefined) m.hart.jitThreshold = setup.jitThreshold;
  return m;
}

/** A fresh machine run straight to `position` (or its exit). */
export function freshAt(p: Program, position: number, setup: RunSetup = {}): Machine {
  const m = machineFor(p, setup);
  m.run(position);
  return m;
}

/** Steps to the program's exit. */
export function lengthOf(p: Program, setup: RunSetup = {}): { steps: number; stop: StopReason } {
  const m = machineFor(p, setup);
  const stop = m.run(50_000_000);
  return { steps: m.hart.steps, stop };
}

/** Every stop of a fresh forward run with these conditions: [position, stop kind]. */
export function forwardHits(p: Program, c: StopConditions, setup: RunSetup = {}): [number, string][] {
  const m = machineFor(p, setup);
  m.hart.setBreakpoints(c.breakpoints ?? []);
  m.hart.setWatchpoints(c.watchpoints ?? []);
  m.hart.setTrapStops(c.trapStops ?? []);
  const hits: [number, string][] = [];
  for (;;) {
    const r = m.run(50_000_000);
    if (r.kind !== 'breakpoint' && r.kind !== 'watchpoint' && r.kind !== 'trap') return hits;
    hits.push([m.hart.steps, r.kind]);
  }
}

/** A deterministic pseudo-random sequence for chunk sizes. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s; };
}
