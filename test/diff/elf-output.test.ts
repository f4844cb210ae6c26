/**
 * The executables our assembler writes, read by GNU binutils: readelf finds nothing to complain
 * about, objdump -d -l shows our source lines, and its disassembly of our bytes matches ours.
 * Skipped (loudly) when the riscv64-unknown-elf binutils are not installed.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readElf } from '../../emulator/elf/elf-reader';
import { build, imageToElf } from '../../language/asm/index';
import { disassembleElf } from '../../cli/commands/disasm';
import { requireGnu, runTool } from './corpus';

const READELF = 'riscv64-unknown-elf-readelf';
const OBJDUMP = 'riscv64-unknown-elf-objdump';
const EXAMPLE = path.resolve(__dirname, '../../../examples/bare-metal/hello.S');

describe('ELF output read by GNU binutils', function () {
  let dir: string;
  let elfPath: string;

  before(function () {
    requireGnu(this, [READELF, OBJDUMP]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-elf-'));
    const r = build([{ path: EXAMPLE }]);
    assert.ok(r.image, r.diagnostics.map((d) => d.message).join('\n'));
    elfPath = path.join(dir, 'hello.elf');
    fs.writeFileSync(elfPath, imageToElf(r.image, dir));
  });

  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('readelf -a and the DWARF dumps report no warning or error', () => {
    for (const args of [['-a', '-W'], ['--debug-dump=line'], ['--debug-dump=info']]) {
      const r = runTool(READELF, [...args, elfPath]);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stdout + r.stderr, /warning|error/i, `readelf ${args.join(' ')}`);
    }
  });

  it('objdump -d -l annotates instructions with the source lines we recorded', () => {
    const r = runTool(OBJDUMP, ['-d', '-l', elfPath]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /hello\.S:16\n\s+80000000:\s+00001117\s+auipc\s+sp,0x1/);
    assert.match(r.stdout, /<_start>:/);
  });

  it('objdump -M no-aliases and xpc disasm print the same instructions', () => {
    const gnu = runTool(OBJDUMP, ['-d', '-M', 'no-aliases', elfPath]).stdout;
    const ours = disassembleElf(readElf(fs.readFileSync(elfPath), elfPath), { source: false, aliases: false });
    const insns = (s: string) => s.split('\n').map((l) => /^\s*([0-9a-f]+):\s+[0-9a-f]+\s+(.*?)(\s+#.*)?$/.exec(l)).filter((m) => m).map((m) => `${m![1]} ${m![2].trim()}`);
    assert.ok(insns(gnu).length > 10);
    assert.deepEqual(insns(ours), insns(gnu));
  });
});
