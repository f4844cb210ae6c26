import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { build, imageToElf } from '../../language/asm';
import { Machine } from '../../emulator/machine/machine';
import { LoadError } from '../../emulator/machine/loader';

const ROOT = path.resolve(__dirname, '../../..');
const PROGRAMS = path.join(ROOT, 'test/emulator/programs');
const CLI = path.join(ROOT, 'bin/xpc.js');

function elfOf(file: string): Uint8Array {
  const r = build([{ path: file }], { includeDirs: [path.dirname(file)] });
  if (!r.image) throw new Error(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  return imageToElf(r.image, ROOT);
}

function boot(file: string, ramSize = 8 * 1024 * 1024): { m: Machine; out: () => string } {
  const m = new Machine({ ramSize });
  m.load(elfOf(file), file);
  const bytes: number[] = [];
  m.onUartOutput((b) => bytes.push(b));
  return { m, out: () => Buffer.from(bytes).toString('latin1') };
}

/** Registers, pc, privilege, counters and RAM: equal hashes mean equal machine states. */
function stateHash(m: Machine): string {
  const h = createHash('sha256');
  h.update(new Uint8Array(m.hart.x.buffer));
  h.update(`${m.hart.pc} ${m.hart.priv} ${m.hart.steps} ${m.hart.cycles} ${m.hart.mstatus} ${m.hart.readCsr(0x341)} ${m.hart.readCsr(0x180)}`);
  h.update(m.ram.bytes);
  return h.digest('hex');
}

describe('machine: the self-checking programs (validated on QEMU) pass on our emulator', () => {
  for (const f of fs.readdirSync(PROGRAMS).filter((x) => x.endsWith('.S')).sort()) {
    it(f, () => {
      const { m, out } = boot(path.join(PROGRAMS, f));
      const stop = m.run(20_000_000);
      assert.deepEqual(stop, { kind: 'exit', code: 0, via: 'finisher' }, `UART said: ${out()}`);
    });
  }
});

describe('machine: the block tier behaves exactly as the interpreter', () => {
  const files = [
    ...fs.readdirSync(PROGRAMS).filter((x) => x.endsWith('.S')).sort().map((f) => path.join(PROGRAMS, f)),
    path.join(ROOT, 'bench/programs/sort.S'),
  ];
  for (const file of files) {
    it(`${path.basename(file)}: same exit, step count and final state with blocks off, compiled at once, and by default`, () => {
      const results = [0, 1, 64].map((threshold) => {
        const { m } = boot(file, 16 * 1024 * 1024);
        m.hart.jitThreshold = threshold;
        // A bounded run: the benchmark's sort would take seconds to finish three times.
        const stop = m.run(3_000_000);
        return { stop, steps: m.hart.steps, hash: stateHash(m) };
      });
      assert.deepEqual(results[1], results[0]);
      assert.deepEqual(results[2], results[0]);
    });
  }
});

describe('machine: board and run loop', () => {
  it('boots through the boot ROM into the hello example and prints on the UART', () => {
    const { m, out } = boot(path.join(ROOT, 'examples/bare-metal/hello.S'));
    assert.equal(m.hart.pc, 0x1000);
    const stop = m.run();
    assert.equal(stop.kind, 'exit');
    assert.equal(out(), 'hello from xpc-virt\n');
  });

  it('stops at an instruction limit and resumes where it stopped', () => {
    const { m, out } = boot(path.join(ROOT, 'examples/bare-metal/hello.S'));
    assert.deepEqual(m.run(50), { kind: 'limit' });
    assert.equal(m.hart.steps, 50);
    assert.equal(m.run().kind, 'exit');
    assert.equal(out(), 'hello from xpc-virt\n');
  });

  it('is deterministic: two runs reach the same state after the same number of steps', () => {
    const file = path.join(PROGRAMS, 'sv39.S');
    const a = boot(file), b = boot(file);
    a.m.run(3000); b.m.run(1000); b.m.run(2000);
    assert.equal(stateHash(a.m), stateHash(b.m));
    a.m.run(); b.m.run();
    assert.equal(a.m.hart.steps, b.m.hart.steps);
    assert.equal(stateHash(a.m), stateHash(b.m));
  });

  it('restores a mid-run snapshot and reaches the same final state, also across later snapshots', () => {
    const file = path.join(PROGRAMS, 'sv39.S');
    const { m } = boot(file);
    m.run(500);
    const early = m.snapshot();
    m.run(1500);
    const mid = m.snapshot();
    const midHash = stateHash(m);
    m.run(700);
    m.snapshot();
    const stop = m.run();
    const finalHash = stateHash(m);
    const finalSteps = m.hart.steps;
    m.restore(mid);
    assert.equal(stateHash(m), midHash);
    assert.deepEqual(m.run(), stop);
    assert.equal(m.hart.steps, finalSteps);
    assert.equal(stateHash(m), finalHash);
    m.restore(early);
    assert.equal(m.hart.steps, 500);
    m.run();
    assert.equal(stateHash(m), finalHash);
  });

  it('ends through HTIF tohost as riscv-tests do', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-htif-'));
    const file = path.join(dir, 't.S');
    fs.writeFileSync(file, '.globl _start\n_start:\n li a0, (7 << 1) | 1\n la t0, tohost\n sd a0, 0(t0)\n1: j 1b\n.data\n.balign 8\n.globl tohost\ntohost: .dword 0\n');
    const { m } = boot(file);
    assert.deepEqual(m.run(1000), { kind: 'exit', code: 7, via: 'htif' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes a timer interrupt on time when the guest arms mtimecmp in the middle of a run slice', () => {
    // mtimecmp = mtime + 10 ticks = 1000 cycles (timing off: 1000 loop instructions); the run
    // slice planned before the write ran to the next event known then (none): it must be replanned.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-timer-'));
    const file = path.join(dir, 't.S');
    fs.writeFileSync(file, [
      '.globl _start', '_start:', ' la t0, handler', ' csrw mtvec, t0',
      ' li t0, 0x200bff8', ' ld t1, 0(t0)', ' addi t1, t1, 10', ' li t0, 0x2004000', ' sd t1, 0(t0)',
      ' li t0, 0x80', ' csrw mie, t0', ' csrsi mstatus, 8', '1: addi a0, a0, 1', ' j 1b',
      'handler:', ' li a1, (1 << 1) | 1', ' la t0, tohost', ' sd a1, 0(t0)', '2: j 2b',
      '.data', '.balign 8', '.globl tohost', 'tohost: .dword 0', '',
    ].join('\n'));
    const { m } = boot(file);
    assert.equal(m.run(1_000_000).kind, 'exit');
    const loops = Number(m.hart.x[20]); // a0's low word: loop iterations before the interrupt
    assert.ok(loops > 400 && loops < 520, `interrupt after ${loops} loop iterations (≈ 1000 cycles / 2 instructions)`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports an idle guest: WFI with no interrupt that can ever come', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-wfi-'));
    const file = path.join(dir, 't.S');
    fs.writeFileSync(file, '.globl _start\n_start:\n wfi\n j _start\n');
    const { m } = boot(file);
    assert.deepEqual(m.run(1000), { kind: 'idle' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bad ELF with one message and loads nothing', () => {
    const m = new Machine({ ramSize: 1 << 20 });
    assert.throws(() => m.load(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]), 'bad.elf'), (e: unknown) => e instanceof LoadError && /^bad\.elf: /.test(e.message));
    const big = new Machine({ ramSize: 1 << 20 });
    const elf = elfOf(path.join(ROOT, 'examples/bare-metal/hello.S')); // its stack (.bss) needs more than 1 MiB? no: it fits
    assert.doesNotThrow(() => big.load(elf, 'hello.elf'));
  });
});

describe('xpc run', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-run-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const xpc = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', input: '' });

  it('forwards UART output to stdout and exits with the guest code; --stats prints counts', () => {
    fs.writeFileSync(path.join(dir, 'hello.elf'), elfOf(path.join(ROOT, 'examples/bare-metal/hello.S')));
    const r = xpc('run', '--stats', 'hello.elf');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'hello from xpc-virt\n');
    assert.match(r.stderr, /^instructions: \d+$/m);
    assert.match(r.stderr, /^cycles: \d+\ntiming: default$/m);
    assert.match(r.stderr, /^mips: [\d.]+$/m);
  });

  it('exits 124 at --max-instructions and says so', () => {
    const r = xpc('run', '--max-instructions', '10', 'hello.elf');
    assert.equal(r.status, 124);
    assert.match(r.stderr, /stopped after 10 instructions/);
  });

  it('exits 2 with one clear message for a file that is not a RISC-V executable', () => {
    fs.writeFileSync(path.join(dir, 'junk.elf'), 'junk');
    const r = xpc('run', 'junk.elf');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^xpc run: junk\.elf: /);
  });
});
