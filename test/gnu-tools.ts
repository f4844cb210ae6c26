// Running GNU binutils for RISC-V from tests: detection, a loud skip when they are missing,
// and a runner. One place, so every suite that cross-checks against binutils skips the same way.

import { spawnSync } from 'child_process';

export const GNU = {
  as: 'riscv64-unknown-elf-as',
  ld: 'riscv64-unknown-elf-ld',
  objdump: 'riscv64-unknown-elf-objdump',
  readelf: 'riscv64-unknown-elf-readelf',
};

export const INSTALL_HINT = 'apt-get install binutils-riscv64-unknown-elf';

const toolCache = new Map<string, boolean>();

/** Whether a GNU binutils program can be run. */
export function haveTool(tool: string): boolean {
  let ok = toolCache.get(tool);
  if (ok === undefined) {
    const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    ok = !r.error && r.status === 0;
    toolCache.set(tool, ok);
  }
  return ok;
}

/** Skips the calling test or hook (loudly) when a GNU tool is missing. */
export function requireGnu(ctx: Mocha.Context, tools: readonly string[]): void {
  const missing = tools.filter((t) => !haveTool(t));
  if (missing.length) {
    console.warn(`\n  !!! SKIPPING a cross-check against GNU binutils: ${missing.join(', ')} not on PATH.`
      + `\n  !!! Install them with: ${INSTALL_HINT}\n`);
    ctx.skip();
  }
}

export function runTool(tool: string, args: string[], cwd?: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(tool, args, { encoding: 'utf8', cwd, maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}
