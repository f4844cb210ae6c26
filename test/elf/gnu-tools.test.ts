/**
 * Cross-checks against GNU binutils: our output must satisfy readelf and
 * objdump, and our reader must agree with readelf on GNU-built files.
 * Skipped (loudly) when the riscv64-unknown-elf tools are not installed.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeElfExecutable } from '../../language/elf/elf-writer';
import { readElf, PT_LOAD } from '../../emulator/elf/elf-reader';
import { readDebugLine, LineTable } from '../../emulator/elf/dwarf-line';
import { sampleImage, resolvedPath, TEXT_SEQUENCE, INIT_SEQUENCE } from './sample-image';
import { requireGnu, runTool as run } from '../gnu-tools';

const READELF = 'riscv64-unknown-elf-readelf';
const OBJDUMP = 'riscv64-unknown-elf-objdump';
const AS = 'riscv64-unknown-elf-as';
const LD = 'riscv64-unknown-elf-ld';

function assertClean(out: { stdout: string; stderr: string; status: number | null }, what: string): void {
  assert.strictEqual(out.status, 0, `${what} exited with ${out.status}: ${out.stderr}`);
  const text = out.stdout + out.stderr;
  const bad = text.split('\n').filter((l) => /warning|error/i.test(l));
  assert.deepStrictEqual(bad, [], `${what} complained`);
}

interface DecodedRow {
  base: string;
  line: number | '-';
  address: bigint;
  stmt: boolean;
}

/** Rows of `readelf --debug-dump=decodedline -W`; file names there are base names. */
function parseDecodedLine(text: string): DecodedRow[] {
  const rows: DecodedRow[] = [];
  for (const l of text.split('\n')) {
    const m = /^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+)(?:\s+\d+)?\s*(x?)\s*$/.exec(l);
    if (!m) continue;
    rows.push({ base: m[1], line: m[2] === '-' ? '-' : Number(m[2]), address: BigInt(m[3]), stmt: m[4] === 'x' });
  }
  return rows;
}

function ourRows(table: LineTable): DecodedRow[] {
  return table.rows.map((r) => ({
    base: path.posix.basename(r.file),
    line: r.endSequence ? '-' : r.line,
    address: r.address,
    stmt: r.endSequence ? false : r.isStmt,
  }));
}

describe('GNU binutils cross-check', function () {
  let dir: string;

  before(function () {
    requireGnu(this, [READELF, OBJDUMP]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-elf-'));
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('files written by writeElfExecutable', () => {
    let multi: string;
    let single: string;

    before(function () {
      requireGnu(this, [READELF, OBJDUMP]);
      multi = path.join(dir, 'multi.elf');
      single = path.join(dir, 'single.elf');
      fs.writeFileSync(multi, writeElfExecutable(sampleImage()));
      fs.writeFileSync(single, writeElfExecutable(sampleImage({ withInit: false })));
    });

    it('pass `readelf -a -W` without warnings, as a RISC-V EXEC with our sections, segments and symbols', () => {
      const out = run(READELF, ['-a', '-W', multi]);
      assertClean(out, 'readelf -a');
      assert.match(out.stdout, /Type:\s+EXEC/);
      assert.match(out.stdout, /Machine:\s+RISC-V/);
      assert.match(out.stdout, /Flags:\s+0x1, RVC/);
      for (const s of ['.text', '.rodata', '.data', '.bss', '.comment', '.text.init', '.debug_line', '.debug_info']) {
        assert.match(out.stdout, new RegExp(`\\] ${s.replace(/\./g, '\\.')}\\s`), `section ${s}`);
      }
      assert.strictEqual((out.stdout.match(/^\s+LOAD\s/gm) ?? []).length, 5);
      assert.match(out.stdout, /^\s+00\s+\.text\s*$/m, '.text alone in segment 00');
      assert.match(out.stdout, /^\s+03\s+\.bss\s*$/m, '.bss in segment 03');
      assert.match(out.stdout, /FUNC\s+GLOBAL\s+DEFAULT\s+1 _start/);
      assert.match(out.stdout, /NOTYPE\s+GLOBAL\s+DEFAULT\s+UND ext_sym/);
    });

    it('pass `readelf --debug-dump=info,rawline,Ranges` without warnings', () => {
      for (const f of [multi, single]) assertClean(run(READELF, ['--debug-dump=info,rawline,Ranges', '-W', f]), `readelf --debug-dump on ${path.basename(f)}`);
    });

    it('are DWARF 5 line tables whose decoded rows match what was written', () => {
      const raw = run(READELF, ['--debug-dump=rawline', '-W', multi]);
      assert.match(raw.stdout, /DWARF Version:\s+5/);
      const decoded = run(READELF, ['--debug-dump=decodedline', '-W', multi]);
      assertClean(decoded, 'readelf --debug-dump=decodedline');
      const expected = [TEXT_SEQUENCE, INIT_SEQUENCE].flatMap((seq) => [
        ...seq.rows.map((r) => ({ base: path.posix.basename(r.file), line: r.line as number | '-', address: r.address, stmt: true })),
        { base: path.posix.basename(seq.rows[seq.rows.length - 1].file), line: '-' as const, address: seq.endAddress, stmt: false },
      ]);
      assert.deepStrictEqual(parseDecodedLine(decoded.stdout), expected);
    });

    it('describe the compile unit in .debug_info (name, comp_dir, stmt_list, pc range)', () => {
      const multiInfo = run(READELF, ['--debug-dump=info', '-W', multi]).stdout;
      assert.match(multiInfo, /DW_AT_stmt_list\s*:.* 0\s*$/m);
      assert.match(multiInfo, /DW_AT_name\s*:.*: main\.s$/m);
      assert.match(multiInfo, /DW_AT_comp_dir\s*:.*: \/work\/proj$/m);
      assert.match(multiInfo, /DW_AT_ranges/);
      const ranges = run(READELF, ['--debug-dump=Ranges', '-W', multi]).stdout;
      assert.match(ranges, /0000000080000000 0000000080000044/);
      assert.match(ranges, /0000000080002000 0000000080002006/);
      const singleInfo = run(READELF, ['--debug-dump=info', '-W', single]).stdout;
      assert.match(singleInfo, /DW_AT_low_pc\s*:.*0x80000000/);
      assert.match(singleInfo, /DW_AT_high_pc\s*:.*0x44/);
    });

    for (const kind of ['multi', 'single'] as const) {
      it(`annotate \`objdump -d -l\` output with file:line (${kind} sequence)`, () => {
        const out = run(OBJDUMP, ['-d', '-l', kind === 'multi' ? multi : single]);
        assertClean(out, 'objdump -d -l');
        // Each annotation must directly precede the instruction at its address.
        const lines = out.stdout.split('\n');
        const seqs = kind === 'multi' ? [TEXT_SEQUENCE, INIT_SEQUENCE] : [TEXT_SEQUENCE];
        for (const seq of seqs) {
          let prev = '';
          for (const r of seq.rows) {
            const loc = `${resolvedPath(r.file)}:${r.line}`;
            if (loc === prev) continue; // objdump prints a location only when it changes
            prev = loc;
            const i = lines.indexOf(loc);
            assert.ok(i >= 0, `objdump -l lacks ${loc}`);
            assert.match(lines[i + 1], new RegExp(`^\\s+${r.address.toString(16)}:`), `${loc} annotates the wrong instruction`);
          }
        }
      });
    }
  });

  describe('files built by GNU as + ld', () => {
    const source = [
      '    .text',
      '    .globl _start',
      '_start:',
      '    li a0, 1',
      '    c.addi a0, 2',
      '    call helper',
      '    csrr t0, mhartid',
      '1:  j 1b',
      '    .include "helper.inc"',
      '    .data',
      'value: .dword 42',
      '    .bss',
      'buffer: .space 64',
      '',
    ].join('\n');
    const helper = ['helper:', '    addi a0, a0, 1', '    fence.i', '    ret', ''].join('\n');

    for (const dwarf of ['-g', '--gdwarf-2', '--gdwarf-3', '--gdwarf-4', '--gdwarf-5']) {
      describe(`assembled with ${dwarf}`, () => {
        let elfPath: string;
        let work: string;

        before(function () {
          requireGnu(this, [READELF, AS, LD]);
          work = fs.mkdtempSync(path.join(dir, 'gnu-'));
          fs.writeFileSync(path.join(work, 'prog.S'), source);
          fs.writeFileSync(path.join(work, 'helper.inc'), helper);
          const as = run(AS, [dwarf, '-march=rv64imac_zicsr_zifencei', 'prog.S', '-o', 'prog.o'], work);
          assert.strictEqual(as.status, 0, as.stderr);
          const ld = run(LD, ['-Ttext=0x80000000', 'prog.o', '-o', 'prog.elf'], work);
          assert.strictEqual(ld.status, 0, ld.stderr);
          elfPath = path.join(work, 'prog.elf');
        });

        it('reads the same line rows as `readelf --debug-dump=decodedline`', () => {
          const expected = parseDecodedLine(run(READELF, ['--debug-dump=decodedline', '-W', elfPath]).stdout);
          assert.ok(expected.length >= 8, 'readelf decoded too few rows; is the parser of its output broken?');
          const table = readDebugLine(readElf(fs.readFileSync(elfPath), 'prog.elf'));
          assert.deepStrictEqual(ourRows(table), expected);
        });

        it('resolves file names to absolute paths (directory 0 = DW_AT_comp_dir)', () => {
          const table = readDebugLine(readElf(fs.readFileSync(elfPath), 'prog.elf'));
          const real = fs.realpathSync(work);
          const files = table.files().map((f) => path.normalize(f));
          assert.ok(files.includes(path.join(real, 'prog.S')) || files.includes(path.join(work, 'prog.S')), files.join(', '));
          assert.ok(files.some((f) => f.endsWith(`${path.sep}helper.inc`)), files.join(', '));
          const start = table.addressToLine(0x80000000n);
          assert.ok(start && start.line === 4 && start.file.endsWith('prog.S'), JSON.stringify(start, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v)));
          assert.deepStrictEqual(table.lineToAddresses('helper.inc', 2).length, 1);
        });

        it('reads the same sections, segments and symbols as readelf', () => {
          const elf = readElf(fs.readFileSync(elfPath), 'prog.elf');
          const out = run(READELF, ['-S', '-l', '-s', '-W', elfPath]).stdout;
          const sectionRe = /^\s+\[\s*(\d+)\]\s+(\S*)\s+\S+\s+([0-9a-f]{16})\s+([0-9a-f]+)\s+([0-9a-f]+)/gm;
          const sections = [...out.matchAll(sectionRe)].map((m) => ({ index: Number(m[1]), name: m[2] === 'NULL' ? '' : m[2], addr: BigInt('0x' + m[3]), offset: BigInt('0x' + m[4]), size: BigInt('0x' + m[5]) }));
          assert.ok(sections.length > 5);
          assert.deepStrictEqual(
            elf.sections.map((s) => ({ index: s.index, name: s.name, addr: s.addr, offset: s.offset, size: s.size })),
            sections,
          );
          const loads = [...out.matchAll(/^\s+LOAD\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)/gm)].map((m) => m.slice(1, 6).map((x) => BigInt(x)));
          assert.deepStrictEqual(
            elf.segments.filter((p) => p.type === PT_LOAD).map((p) => [p.offset, p.vaddr, p.paddr, p.filesz, p.memsz]),
            loads,
          );
          const symbols = [...out.matchAll(/^\s+(\d+):\s+([0-9a-f]{16})\s+(\d+)\s+(\w+)\s+(\w+)\s+\w+\s+\S+\s*(\S*)$/gm)]
            .filter((m) => m[1] !== '0')
            .map((m) => ({ name: m[6], value: BigInt('0x' + m[2]), size: BigInt(m[3]), type: m[4].toLowerCase(), bind: m[5].toLowerCase() }));
          assert.ok(symbols.some((s) => s.name === '_start'));
          // readelf shows section symbols by their section's name.
          assert.deepStrictEqual(
            elf.symbols.map((s) => ({ name: s.type === 'section' && s.name === '' ? s.sectionName : s.name, value: s.value, size: s.size, type: s.type, bind: s.bind })),
            symbols,
          );
          assert.strictEqual(elf.entry, 0x80000000n);
        });
      });
    }
  });
});
