/**
 * Validates the test programs against QEMU's `virt` machine, which implements the board of
 * platform.md: each program, built by our assembler, must end with exit code 0 and write
 * nothing to the UART; the harness's own failure paths must report what they should.
 * Skipped (loudly) when qemu-system-riscv64 is not installed.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { QEMU_TIMEOUT_MS, requireQemu, runOnQemu } from '../qemu/qemu';
import {
  HARNESS_SCENARIOS, HARNESS_SOURCE, PROGRAMS, PROGRAMS_DIR, QEMU_DEFINES, SUPPORT_FILES, buildProgram, describeExit,
} from './programs';

describe('test programs on QEMU (virt)', function () {
  this.timeout(QEMU_TIMEOUT_MS * 2);

  before(function () {
    requireQemu(this, 'the test programs on QEMU');
  });

  for (const program of PROGRAMS) {
    it(`${program.name}: ${program.summary}`, () => {
      const run = runOnQemu(buildProgram(program.path, QEMU_DEFINES), program.name);
      const status = run.timedOut ? 'timed out' : `exit ${run.status} (${describeExit(run.status ?? -1)})`;
      assert.ok(!run.timedOut && run.status === 0 && run.output === '', `${program.name} on QEMU: ${status}\n${run.output}`);
    });
  }

  describe('the harness reports failures', () => {
    for (const s of HARNESS_SCENARIOS) {
      it(s.name, () => {
        const run = runOnQemu(buildProgram(HARNESS_SOURCE, new Map([...QEMU_DEFINES, ...s.defines])), 'harness-check');
        assert.strictEqual(run.timedOut, false, `${s.name}: timed out`);
        assert.strictEqual(run.status, s.exitCode, `${s.name}: exit ${run.status}\n${run.output}`);
        assert.match(run.output, s.output);
      });
    }
  });
});

describe('test program list', () => {
  it('names every .S file in the programs folder', () => {
    const onDisk = fs.readdirSync(PROGRAMS_DIR).filter((f) => f.endsWith('.S') && !SUPPORT_FILES.includes(f)).sort();
    assert.deepStrictEqual(PROGRAMS.map((p) => path.basename(p.path)).sort(), onDisk);
  });

  it('builds every program for the emulator too (no QEMU allowances)', () => {
    for (const p of PROGRAMS) assert.ok(buildProgram(p.path).length > 0, p.name);
  });
});
