// Small C programs of our own for the differential tests against QEMU. At test time GCC
// compiles them to assembly (nothing generated is committed), our assembler links that assembly
// with crt0.S, and the result must behave on our emulator — and on QEMU — exactly as the
// GCC/GNU-ld build behaves on QEMU's virt machine.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LAYOUTS, build, formatDiagnostic, imageToElf } from '../../../language/asm';
import { haveTool } from '../../gnu-tools';

export const GCC = 'riscv64-unknown-elf-gcc';
export const GCC_INSTALL_HINT = 'apt-get install gcc-riscv64-unknown-elf';

/** This module compiles to out/test/emulator/qemu; the sources stay in test/emulator/qemu. */
function findDir(): string {
  const candidates = [__dirname, path.resolve(__dirname, '../../../../test/emulator/qemu')];
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'crt0.S')));
  if (!found) throw new Error(`C test programs not found (looked in ${candidates.join(', ')})`);
  return found;
}

export const C_PROGRAMS_DIR = findDir();
const at = (f: string) => path.join(C_PROGRAMS_DIR, f);

/** The hart of platform.md, code anywhere in RAM, no libc. */
export const GCC_FLAGS: readonly string[] = ['-march=rv64imac_zicsr_zifencei', '-mabi=lp64', '-mcmodel=medany', '-nostdlib', '-O2'];

export const C_PROGRAMS: readonly string[] = ['sort', 'hash', 'strings', 'arith'];

export function haveGcc(): boolean {
  return haveTool(GCC);
}

function run(args: string[]): void {
  const r = spawnSync(GCC, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${GCC} ${args.join(' ')}:\n${r.stderr ?? r.error}`);
}

/** GCC's assembly for lib.c and the program, written into `dir`; returns the files to link. */
export function compileToAssembly(name: string, dir: string): string[] {
  const lib = path.join(dir, 'lib.s'), prog = path.join(dir, `${name}.s`);
  if (!fs.existsSync(lib)) run([...GCC_FLAGS, '-S', '-o', lib, at('lib.c')]);
  run([...GCC_FLAGS, '-S', '-o', prog, at(`${name}.c`)]);
  return [at('crt0.S'), lib, prog];
}

/** The reference build: GCC and GNU ld all the way, with the board's link script. */
export function gccExecutable(name: string, dir: string): Uint8Array {
  const elf = path.join(dir, `${name}.gnu.elf`);
  run([...GCC_FLAGS, '-T', at('link.ld'), '-Wl,--no-warn-rwx-segments', '-o', elf, at('crt0.S'), at('lib.c'), at(`${name}.c`)]);
  return fs.readFileSync(elf);
}

/** Our assembler's link of GCC's assembly; throws with its diagnostics when it does not build. */
export function ourExecutable(sources: readonly string[]): Uint8Array {
  const result = build(sources.map((s) => ({ path: s })), { rvc: true, layout: LAYOUTS.bare });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.image || errors.length) throw new Error(`does not build:\n${errors.map(formatDiagnostic).join('\n')}`);
  return imageToElf(result.image, C_PROGRAMS_DIR);
}
