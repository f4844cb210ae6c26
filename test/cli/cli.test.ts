import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readElf } from '../../emulator/elf/elf-reader';
import { readDebugLine } from '../../emulator/elf/dwarf-line';

const CLI = path.resolve(__dirname, '../../../bin/xpc.js');

function xpc(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('xpc CLI', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-cli-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('--help lists every command', () => {
    const r = xpc(['--help'], dir);
    assert.equal(r.status, 0);
    for (const c of ['asm', 'disasm', 'gen']) assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'));
  });

  it('rejects an unknown command with the help text', () => {
    const r = xpc(['frob'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command 'frob'/);
  });

  it('asm links several files, with -I and -D, into an ELF with symbols and line rows', () => {
    fs.mkdirSync(path.join(dir, 'inc'));
    fs.writeFileSync(path.join(dir, 'inc', 'k.h'), '#define K 7\n');
    fs.writeFileSync(path.join(dir, 'a.S'), '#include "k.h"\n.globl _start\n_start:\n  li a0, K + EXTRA\n  call helper\n');
    fs.writeFileSync(path.join(dir, 'b.s'), '.globl helper\nhelper:\n  ret\n');
    const r = xpc(['asm', '-I', 'inc', '-DEXTRA=1', '-o', 'prog.elf', 'a.S', 'b.s'], dir);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    const elf = readElf(fs.readFileSync(path.join(dir, 'prog.elf')), 'prog.elf');
    assert.equal(elf.entry, 0x80000000n);
    const helper = elf.symbols.find((s) => s.name === 'helper');
    assert.ok(helper && helper.value > 0x80000000n);
    const rows = readDebugLine(elf).rows.filter((x) => !x.endSequence);
    assert.ok(rows.some((x) => x.file.endsWith('a.S') && x.line === 4), 'li on a.S:4');
    assert.ok(rows.some((x) => x.file.endsWith('b.s') && x.line === 3), 'ret on b.s:3');
  });

  it('asm reports all errors as file:line:col, exits 1 and writes nothing', () => {
    fs.writeFileSync(path.join(dir, 'bad.s'), 'nop\naddi a0, a0\nfoo\n');
    fs.writeFileSync(path.join(dir, 'out.elf'), 'previous contents');
    const r = xpc(['asm', '-o', 'out.elf', 'bad.s'], dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^bad\.s:2:1: error: addi takes 3 operands/m);
    assert.match(r.stderr, /^bad\.s:3:1: error: unknown instruction 'foo'/m);
    assert.equal(fs.readFileSync(path.join(dir, 'out.elf'), 'utf8'), 'previous contents');
  });

  it('disasm prints objdump-style listings with symbols and source lines', () => {
    fs.writeFileSync(path.join(dir, 'p.s'), '.globl _start\n_start:\n  addi a0, a0, 100\n  j _start\n');
    assert.equal(xpc(['asm', 'p.s'], dir).status, 0);
    const r = xpc(['disasm', 'p.elf'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^0000000080000000 <_start>:$/m);
    assert.match(r.stdout, /p\.s:3\n\s*80000000:\s+06450513\s+addi\ta0,a0,100/);
    assert.match(r.stdout, /80000004:\s+bff5\s+c\.j\t80000000 <_start>/);
  });

  it('disasm refuses a file that is not ELF with one clear message', () => {
    fs.writeFileSync(path.join(dir, 'junk.elf'), 'not an elf at all');
    const r = xpc(['disasm', 'junk.elf'], dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^xpc disasm: junk\.elf: /);
  });
});

describe('npm run demo (the main job)', function () {
  this.timeout(180_000);
  it('builds and runs every example, then prints the evaluation table, and exits 0', () => {
    const root = path.resolve(__dirname, '../../..');
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'demo.mjs')], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout.slice(-3000) + r.stderr);
    const examples = fs.readdirSync(path.join(root, 'examples')).filter((d) => fs.statSync(path.join(root, 'examples', d)).isDirectory());
    for (const d of examples) assert.match(r.stdout, new RegExp(`=== ${d}: xpc run`), `example ${d} was run`);
    assert.match(r.stdout, /HELLO THROUGH XPC/);
    assert.match(r.stdout, /client: reply in place/);
    assert.match(r.stdout, /fastpath \/ bare xcall/);
  });
});
