// Running ELF files on QEMU's `virt` machine, the reference implementation of the xpc-virt
// board, from tests: detection, a loud skip when QEMU is missing, and a runner that returns the
// exit status (the SiFive test finisher's code) and the UART output.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { haveTool } from '../../gnu-tools';

export const QEMU = 'qemu-system-riscv64';
export const QEMU_INSTALL_HINT = 'apt-get install qemu-system-misc';

/**
 * The hart of platform.md: RV64IMAC with S and U. QEMU's default CPU also has F, D, H, the
 * bit-manipulation extensions and Sstc; they are turned off so that misa and the set of illegal
 * instructions are the board's.
 */
export const QEMU_CPU = 'rv64,f=false,d=false,h=false,zba=false,zbb=false,zbc=false,zbs=false,sstc=false';

export const QEMU_ARGS: readonly string[] = [
  '-machine', 'virt', '-cpu', QEMU_CPU, '-m', '128M', '-bios', 'none', '-nographic', '-no-reboot',
];

/** Every program ends well within a second; this only catches one that never ends. */
export const QEMU_TIMEOUT_MS = 20_000;

export function haveQemu(): boolean {
  return haveTool(QEMU);
}

/** Skips the calling test or hook (loudly) when QEMU is missing. */
export function requireQemu(ctx: Mocha.Context, what: string): void {
  if (!haveQemu()) {
    console.warn(`\n  !!! SKIPPING ${what}: ${QEMU} not on PATH.\n  !!! Install it with: ${QEMU_INSTALL_HINT}\n`);
    ctx.skip();
  }
}

export interface QemuRun {
  /** The process's exit status: the finisher's code, truncated to 8 bits by QEMU. */
  readonly status: number | null;
  /** What the program wrote to the UART (and anything QEMU printed). */
  readonly output: string;
  readonly timedOut: boolean;
}

export function runOnQemu(elf: Uint8Array, name = 'program'): QemuRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-qemu-'));
  try {
    const file = path.join(dir, `${name}.elf`);
    fs.writeFileSync(file, elf);
    const r = spawnSync(QEMU, [...QEMU_ARGS, '-kernel', file], {
      encoding: 'utf8', timeout: QEMU_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw r.error;
    return { status: r.status, output: (r.stdout ?? '') + (r.stderr ?? ''), timedOut: r.signal !== null };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
