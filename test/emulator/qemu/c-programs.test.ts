/**
 * Differential test against QEMU: C programs of our own, compiled by GCC for the virt board.
 * The GCC/GNU-ld build run on QEMU gives the reference UART output and exit code; our
 * assembler's link of GCC's assembly must give the same on our emulator and on QEMU.
 * Skipped (loudly) without the cross compiler or QEMU; .ci/run installs both.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Machine } from '../../../emulator/machine/machine';
import { C_PROGRAMS, GCC, GCC_INSTALL_HINT, compileToAssembly, gccExecutable, haveGcc, ourExecutable } from './c-programs';
import { QEMU_TIMEOUT_MS, requireQemu, runOnQemu } from './qemu';

function runOnEmulator(elf: Uint8Array, name: string): { output: string; status: number | undefined } {
  const m = new Machine();
  m.load(elf, `${name}.elf`);
  const bytes: number[] = [];
  m.onUartOutput((b) => bytes.push(b));
  const stop = m.run(200_000_000);
  return { output: Buffer.from(bytes).toString('utf8'), status: stop.kind === 'exit' ? stop.code & 0xff : undefined };
}

describe('C programs: our emulator and assembler against QEMU', function () {
  this.timeout(QEMU_TIMEOUT_MS * 3);
  let dir = '';

  before(function () {
    if (!haveGcc()) {
      console.warn(`\n  !!! SKIPPING the C differential tests: ${GCC} not on PATH.\n  !!! Install it with: ${GCC_INSTALL_HINT}\n`);
      this.skip();
    }
    requireQemu(this, 'the C differential tests');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-c-programs-'));
  });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  for (const name of C_PROGRAMS) {
    it(`${name}: identical UART output and exit code`, () => {
      const reference = runOnQemu(gccExecutable(name, dir), `${name}-gnu`);
      assert.strictEqual(reference.timedOut, false, `${name}: the GCC build timed out on QEMU`);
      assert.strictEqual(reference.status, 0, `${name}: the GCC build failed on QEMU:\n${reference.output}`);
      assert.ok(reference.output.length > 0);
      const ours = ourExecutable(compileToAssembly(name, dir));
      const onEmulator = runOnEmulator(ours, name);
      assert.strictEqual(onEmulator.output, reference.output, `${name}: our emulator's UART output differs`);
      assert.strictEqual(onEmulator.status, reference.status);
      const onQemu = runOnQemu(ours, name);
      assert.strictEqual(onQemu.output, reference.output, `${name}: our assembler's build differs on QEMU`);
      assert.strictEqual(onQemu.status, reference.status);
    });
  }
});
