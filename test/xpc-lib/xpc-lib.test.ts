// The XPC user library (kernel/lib/xpc, docs/xpc-library.md) on bare XPC hardware: programs in
// this folder set up three domains themselves (xlib-world.h plays the kernel once at start) and
// check the library from U-mode, ending through the test finisher (0 = pass, N = case N failed,
// 255 = an unexpected trap, each with a line on the UART). Also: the generated xpc-lib.inc is
// fresh, the tables are self-consistent, and the cycle figures of timing.S (printed, not judged,
// except the bare xcall/xret, whose cost follows from the profile's parameters).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build, formatDiagnostic, imageToElf } from '../../language/asm';
import type { Layout, LinkedImage } from '../../language/asm';
import { Machine } from '../../emulator/machine/machine';
import { PROFILES, TimingProfileName } from '../../emulator/timing/params';
import { ERRORS } from '../../kernel/abi/abi';
import { XLIB_WORLD_LAYOUT } from './world-layout';
import {
  XPC_CALL_SLOTS_DEFAULT, XPC_CTX, XPC_FRAME, XPC_SLOT, XPC_STATUS, XPC_STUB_SIZE, XPC_STUB_XCALL, xpcLibIncSource,
} from '../../kernel/abi/xpc-lib';

/** The repository root: this file sits in test/xpc-lib, compiled in out/test/xpc-lib. */
function findRoot(): string {
  const candidates = [path.resolve(__dirname, '../..'), path.resolve(__dirname, '../../..')];
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'kernel', 'lib', 'xpc', 'xpc.S')) && fs.existsSync(path.join(d, 'test', 'xpc-lib', 'xlib-world.h')));
  if (!found) throw new Error(`repository root not found (looked in ${candidates.join(', ')})`);
  return found;
}

const ROOT = findRoot();
const LIB_DIR = path.join(ROOT, 'kernel', 'lib', 'xpc');
const TEST_DIR = path.join(ROOT, 'test', 'xpc-lib');


function buildOrThrow(files: string[], defines: Record<string, string>, layout: Layout): LinkedImage {
  const r = build(files.map((p) => ({ path: p })), {
    includeDirs: [TEST_DIR, LIB_DIR], defines: new Map(Object.entries(defines)), rvc: true, layout,
  });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.image || errors.length) throw new Error(`${files.map((f) => path.basename(f)).join(' + ')} does not build:\n${errors.map(formatDiagnostic).join('\n')}`);
  return r.image;
}

/** A test program of this folder linked with the library, its state in the private window. */
function buildProgram(name: string): Uint8Array {
  const image = buildOrThrow([path.join(TEST_DIR, name), path.join(LIB_DIR, 'xpc.S')], { XPC_DATA_SECTION: '.bss.xpcpriv' }, XLIB_WORLD_LAYOUT);
  return imageToElf(image, TEST_DIR);
}

interface Run { readonly stop: ReturnType<Machine['run']>; readonly uart: string; readonly cycles: number }

function run(elf: Uint8Array, opts: { timing?: TimingProfileName; jitThreshold?: number } = {}): Run {
  const m = new Machine({ timing: opts.timing });
  m.load(elf, 'xpc-lib test');
  if (opts.jitThreshold !== undefined) m.hart.jitThreshold = opts.jitThreshold;
  const bytes: number[] = [];
  m.onUartOutput((b) => bytes.push(b));
  const stop = m.run(2_000_000);
  return { stop, uart: Buffer.from(bytes).toString('latin1'), cycles: m.hart.cycles };
}

function assertPassed(what: string, r: Run): void {
  assert.ok(r.stop.kind === 'exit' && r.stop.code === 0, `${what}: ${JSON.stringify(r.stop)}\nUART said:\n${r.uart || '(nothing)'}`);
}

describe('XPC user library: tables', () => {
  it('kernel/lib/xpc/xpc-lib.inc is what kernel/abi/xpc-lib.ts generates', () => {
    const onDisk = fs.readFileSync(path.join(LIB_DIR, 'xpc-lib.inc'), 'utf8');
    assert.equal(onDisk, xpcLibIncSource(), 'xpc-lib.inc is stale: regenerate it from xpcLibIncSource()');
  });

  it('status codes are distinct and none but XPC_OK reads as a kernel syscall error', () => {
    const values = Object.values(XPC_STATUS);
    assert.equal(new Set(values).size, values.length);
    const kernel = new Set<number>(Object.values(ERRORS));
    for (const [name, v] of Object.entries(XPC_STATUS)) if (v !== XPC_STATUS.XPC_OK) assert.ok(!kernel.has(v), `${name} = ${v} collides with a kernel error code`);
  });

  it('layouts: slots and stubs share a stride, the frame holds 15 registers, locals follow the context header', () => {
    assert.equal(XPC_SLOT.size, XPC_STUB_SIZE, 'xpc_call_resume maps stub k to slot k by the same offset');
    assert.equal(XPC_STUB_XCALL, 4);
    const frame = Object.values(XPC_FRAME.fields);
    assert.equal(new Set(frame).size, 15);
    assert.ok(Math.max(...frame) + 8 <= XPC_FRAME.size && XPC_FRAME.size % 16 === 0);
    assert.equal(XPC_CTX.fields.LOCALS, XPC_CTX.size);
    assert.ok(Object.values(XPC_CTX.fields).every((o) => o % 8 === 0));
  });
});

describe('XPC user library: xpc.S on its own', () => {
  const syms = (image: LinkedImage) => new Map(image.symbols.map((s) => [s.name, s]));

  it('assembles with its defaults and exports its API', () => {
    const image = buildOrThrow([path.join(LIB_DIR, 'xpc.S')], {}, { name: 'user', base: 0x1_0000n, sectionAlign: 4096, sections: [
      { name: '.text', inputs: ['.text', '.text.*'] }, { name: '.bss', inputs: ['.bss', '.bss.*'] }] });
    const s = syms(image);
    for (const name of ['xpc_call', 'xpc_trampoline', 'xpc_seg_swap', 'xpc_seg_mask', 'xpc_seg_query', 'xpc_call_stubs', 'xpc_call_slots']) {
      assert.equal(s.get(name)?.bind, 'global', `${name} is not a global symbol`);
    }
    const stubs = s.get('xpc_call_stubs')!.value, resume = s.get('xpc_call_resume')!.value;
    assert.equal(Number(resume - stubs), XPC_CALL_SLOTS_DEFAULT * XPC_STUB_SIZE, 'one 16-byte stub per call slot');
    assert.equal(Number(stubs % 16n), 0);
  });

  it('-D XPC_CALL_SLOTS=n sizes the stubs and slots', () => {
    const image = buildOrThrow([path.join(LIB_DIR, 'xpc.S')], { XPC_CALL_SLOTS: '3' }, { name: 'user', base: 0x1_0000n, sectionAlign: 4096, sections: [
      { name: '.text', inputs: ['.text', '.text.*'] }, { name: '.bss', inputs: ['.bss', '.bss.*'] }] });
    const s = syms(image);
    assert.equal(Number(s.get('xpc_call_resume')!.value - s.get('xpc_call_stubs')!.value), 3 * XPC_STUB_SIZE);
    assert.equal(image.sections.find((x) => x.name === '.bss')?.size, BigInt(3 * XPC_SLOT.size));
  });
});

describe('XPC user library: XPC_ENTRY', () => {
  it('refuses a pool without contexts (the trampoline would take memory that is not its own)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-lib-'));
    try {
      const file = path.join(dir, 'empty-pool.S');
      fs.writeFileSync(file, '        .include "xpc.inc"\nh:      ret\n        XPC_ENTRY e, h, 0\n');
      assert.throws(() => buildOrThrow([file, path.join(LIB_DIR, 'xpc.S')], {}, XLIB_WORLD_LAYOUT), /contexts >= 1/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('XPC user library: calls.S on bare XPC hardware', () => {
  let elf: Uint8Array;
  before(() => { elf = buildProgram('calls.S'); });

  it('every case passes', () => assertPassed('calls.S', run(elf)));

  it('passes on the interpreter alone and with every block compiled', () => {
    for (const jitThreshold of [0, 1]) assertPassed(`calls.S (jitThreshold ${jitThreshold})`, run(elf, { jitThreshold }));
  });

  it('passes under both timing profiles', () => {
    for (const timing of ['default', 'rocket2019'] as const) assertPassed(`calls.S (timing ${timing})`, run(elf, { timing }));
  });
});

/** timing.S's lines "<name> <warm> <cold>" (and "stamps <n>"). */
function figures(uart: string): Map<string, { warm: number; cold: number }> {
  const out = new Map<string, { warm: number; cold: number }>();
  for (const line of uart.split('\n')) {
    const m = /^(\S+) (\d+) (\d+)$/.exec(line.trim());
    if (m) out.set(m[1], { warm: Number(m[2]), cold: Number(m[3]) });
  }
  return out;
}

describe('XPC user library: cycle figures (timing.S, measured by the guest with rdcycle)', () => {
  let elf: Uint8Array;
  before(() => { elf = buildProgram('timing.S'); });

  it('without a timing model (one cycle per instruction) a bare xcall and xret are one each', () => {
    const r = run(elf);
    assertPassed('timing.S', r);
    const f = figures(r.uart);
    assert.equal(f.get('oneway.xcall')?.warm, 1);
    assert.equal(f.get('roundtrip.xcall')?.warm, 2);
  });

  for (const profile of ['rocket2019', 'default'] as const) {
    it(`${profile}: the bare xcall/xret cost what the profile's parameters say; every figure is the same on a second run`, () => {
      const r1 = run(elf, { timing: profile });
      assertPassed(`timing.S (${profile})`, r1);
      const r2 = run(elf, { timing: profile });
      assert.equal(r2.uart, r1.uart, 'the figures differ between two runs');
      assert.equal(r2.cycles, r1.cycles);
      const f = figures(r1.uart);
      const names = ['oneway.xcall', 'roundtrip.xcall', 'oneway.xpc_call', 'roundtrip.xpc_call'];
      assert.deepEqual(names.filter((n) => !f.has(n)), [], `missing figures in:\n${r1.uart}`);
      console.log(`      ${profile}: ${names.map((n) => `${n} ${f.get(n)!.warm} (cold ${f.get(n)!.cold})`).join(', ')}`);
      // Warm (docs/timing.md): xcall = issue + flush + switch + engine-cache hit + the cap-bitmap
      // line + the record's two lines; xret = issue + flush + switch + the record's two lines +
      // its VALID flag's line; without ASIDs the first fetch after each switch walks the callee's
      // (or caller's) table: two levels, code is mapped by megapages in this world.
      const P = PROFILES[profile];
      const walk = P.asidBits === 0 ? P.ptwBaseCycles + 2 * P.ptwLevelCycles : 0;
      const xcall = 1 + P.flushPenalty + P.xpcSwitchCycles + P.xpcEngineHitCycles + P.xpcLineCycles + 2 * P.xpcLineCycles;
      const xret = 1 + P.flushPenalty + P.xpcSwitchCycles + 2 * P.xpcLineCycles + P.xpcLineCycles;
      assert.equal(f.get('oneway.xcall')!.warm, xcall + walk);
      assert.equal(f.get('roundtrip.xcall')!.warm, xcall + walk + xret + walk);
    });
  }
});
