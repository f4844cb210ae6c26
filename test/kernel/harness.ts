// Builds a system description and runs it on the emulator: the output, the exit code, the
// cycle count and the machine (for the inspector).
import * as path from 'node:path';
import { Machine } from '../../emulator/machine/machine';
import { TimingOption } from '../../emulator/timing/params';
import { buildSystem, buildSystemFrom, SystemImage } from '../../kernel/system/build';

export const ROOT = path.resolve(__dirname, '../../..');
export const example = (name: string) => path.join(ROOT, 'examples', name, 'system.json');

export interface RunResult { readonly output: string; readonly code: number | undefined; readonly stop: string; readonly cycles: number; readonly instructions: number; readonly machine: Machine; readonly image: SystemImage }

export function runImage(image: SystemImage, opts: { timing?: TimingOption; maxInstructions?: number } = {}): RunResult {
  const m = new Machine({ timing: opts.timing ?? 'off' });
  m.load(image.elf, 'boot.elf');
  const bytes: number[] = [];
  m.onUartOutput((b) => bytes.push(b));
  const stop = m.run(opts.maxInstructions ?? 20_000_000);
  return {
    output: Buffer.from(bytes).toString('utf8'), code: stop.kind === 'exit' ? stop.code : undefined, stop: stop.kind,
    cycles: m.hart.cycles, instructions: m.hart.steps, machine: m, image,
  };
}

export function buildOrThrow(file: string): SystemImage {
  const r = buildSystem(file);
  if (!r.image) throw new Error(r.diagnostics.map((d) => `${d.path}: ${d.message}`).join('\n'));
  return r.image;
}

export function runSystem(file: string, opts: { timing?: TimingOption; maxInstructions?: number } = {}): RunResult {
  return runImage(buildOrThrow(file), opts);
}

/** Builds a description given as an object, with sources relative to `dir`. */
export function runDescription(desc: unknown, dir: string, opts: { timing?: TimingOption; maxInstructions?: number } = {}): RunResult {
  const r = buildSystemFrom(desc, path.join(dir, 'system.json'));
  if (!r.image) throw new Error(r.diagnostics.map((d) => `${d.path}: ${d.message}`).join('\n'));
  return runImage(r.image, opts);
}
