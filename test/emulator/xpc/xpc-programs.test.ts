// The XPC acceptance programs (test/emulator/xpc/*.S, harness in xpc-macros.h): self-checking
// programs that build the XPC tables in memory and check every rule of shared/spec/xpc-isa.md
// on our emulator. QEMU knows nothing of XPC, so unlike test/emulator/programs these cannot be
// validated there; each case is small and names the spec sentence it checks instead.
//
// A program ends through the SiFive test finisher: 0 when every case passed, the failing case's
// number otherwise. Before failing it writes "FAIL: test N" on the UART, preceded by what it
// found (a "check at <address>: got X expected Y" line, or the state that changed: "xlink
// before ... after ..."); the assertion message carries that output.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LAYOUTS, build, formatDiagnostic, imageToElf } from '../../../language/asm';
import { Machine } from '../../../emulator/machine/machine';
import { PROGRAMS_DIR, describeExit } from '../programs/programs';

/** The sources live next to this file; compiled, this module sits in out/test/emulator/xpc. */
function findXpcDir(): string {
  const candidates = [__dirname, path.resolve(__dirname, '../../../../test/emulator/xpc')];
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'xpc-macros.h')));
  if (!found) throw new Error(`XPC test programs not found (looked in ${candidates.join(', ')})`);
  return found;
}

const XPC_DIR = findXpcDir();

/** The programs this suite must find: a missing one is a failure, not a silently smaller run. */
const EXPECTED = ['cache', 'csrs', 'nesting', 'segments', 'swapseg', 'xcall', 'xret'];

/** Instructions a program may take at most; they need well under a million. */
const STEP_LIMIT = 20_000_000;

function buildXpcProgram(file: string): Uint8Array {
  // test-macros.h (included by xpc-macros.h) lives with the other programs.
  const result = build([{ path: file }], { includeDirs: [XPC_DIR, PROGRAMS_DIR], rvc: true, layout: LAYOUTS.bare });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.image || errors.length) {
    throw new Error(`${path.basename(file)} does not build:\n${errors.map(formatDiagnostic).join('\n')}`);
  }
  return imageToElf(result.image, XPC_DIR);
}

/** Runs the program; `jitThreshold` as Hart's (undefined: the default tiering); `timing` a profile. */
function runXpcProgram(elf: Uint8Array, file: string, jitThreshold?: number, timing?: 'default' | 'rocket2019'): { stop: ReturnType<Machine['run']>; uart: string } {
  const m = new Machine({ timing });
  m.load(elf, file);
  if (jitThreshold !== undefined) m.hart.jitThreshold = jitThreshold;
  const bytes: number[] = [];
  m.onUartOutput((b) => bytes.push(b));
  const stop = m.run(STEP_LIMIT);
  return { stop, uart: Buffer.from(bytes).toString('latin1') };
}

function assertPassed(name: string, stop: ReturnType<Machine['run']>, uart: string): void {
  const what = stop.kind === 'exit' ? describeExit(stop.code) : `stopped: ${stop.kind}`;
  assert.ok(stop.kind === 'exit' && stop.code === 0,
    `${name}: ${what} (${JSON.stringify(stop)})\nUART said:\n${uart || '(nothing)'}`);
}

const sources = fs.readdirSync(XPC_DIR).filter((f) => f.endsWith('.S')).sort();

describe('XPC acceptance programs (shared/spec/xpc-isa.md) on the emulator', () => {
  it('finds every program', () => {
    assert.deepEqual(sources.map((f) => f.replace(/\.S$/, '')), EXPECTED);
  });

  for (const f of sources) {
    const file = path.join(XPC_DIR, f);
    it(`${f}: every case passes`, () => {
      const { stop, uart } = runXpcProgram(buildXpcProgram(file), file);
      assertPassed(f, stop, uart);
    });
  }
});

describe('XPC acceptance programs: the same with the block tier off and compiling at once', () => {
  for (const f of sources) {
    const file = path.join(XPC_DIR, f);
    it(`${f}: passes on the interpreter alone and with every block compiled`, () => {
      const elf = buildXpcProgram(file);
      for (const threshold of [0, 1]) {
        const { stop, uart } = runXpcProgram(elf, file, threshold);
        assertPassed(`${f} (jitThreshold ${threshold})`, stop, uart);
      }
    });
  }
});

describe('XPC acceptance programs: the same under both timing profiles (timing never changes behaviour)', () => {
  for (const f of sources) {
    const file = path.join(XPC_DIR, f);
    it(`${f}: passes with timing default and rocket2019 (no ASIDs: every satp change flushes the TLB)`, () => {
      const elf = buildXpcProgram(file);
      for (const profile of ['default', 'rocket2019'] as const) {
        const { stop, uart } = runXpcProgram(elf, file, undefined, profile);
        assertPassed(`${f} (timing ${profile})`, stop, uart);
      }
    });
  }
});
