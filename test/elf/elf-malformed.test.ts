/**
 * The reader's contract for bad input: exactly one ElfError naming the file
 * and the problem — never another exception type, never a hang.
 */

import * as assert from 'assert';
import { writeElfExecutable } from '../../language/elf/elf-writer';
import { readElf, ElfError, ElfFile } from '../../emulator/elf/elf-reader';
import { readDebugLine } from '../../emulator/elf/dwarf-line';
import { sampleImage, prng } from './sample-image';

const valid = writeElfExecutable(sampleImage());

function mutate(edit: (b: Uint8Array, v: DataView) => void): Uint8Array {
  const b = valid.slice();
  edit(b, new DataView(b.buffer));
  return b;
}

/** Offset of section header `i` in `valid`. */
function shdr(i: number): number {
  const v = new DataView(valid.buffer, valid.byteOffset);
  return Number(v.getBigUint64(40, true)) + 64 * i;
}

function indexOf(name: string): number {
  return readElf(valid, 'x').section(name)!.index;
}

function rejects(bytes: Uint8Array, expected: string | RegExp): void {
  assert.throws(
    () => readElf(bytes, 'prog.elf'),
    (e: unknown) => {
      assert.ok(e instanceof ElfError, `expected ElfError, got ${String(e)}`);
      if (typeof expected === 'string') assert.strictEqual(e.message, expected);
      else assert.match(e.message, expected);
      return true;
    },
  );
}

describe('ELF reader on malformed input', () => {
  it('reads the unmodified fixture (so each case below fails for its own reason)', () => {
    assert.strictEqual(readElf(valid, 'prog.elf').sections.length > 5, true);
  });

  describe('identification and header', () => {
    it('rejects an empty file', () => rejects(new Uint8Array(0), 'prog.elf: empty file, not an ELF file'));
    it('rejects a file with bad magic', () => rejects(new TextEncoder().encode('#!/bin/sh\necho hi\n'), 'prog.elf: not an ELF file (bad magic)'));
    it('rejects a short prefix of the magic as truncated', () => rejects(valid.slice(0, 3), 'prog.elf: truncated ELF identification (3 bytes, need 16)'));
    it('rejects ELF32', () => rejects(mutate((b) => (b[4] = 1)), /^prog\.elf: 32-bit ELF \(ELFCLASS32\) is not supported/));
    it('rejects an invalid class', () => rejects(mutate((b) => (b[4] = 7)), 'prog.elf: invalid ELF class 7 (expected 2, ELFCLASS64)'));
    it('rejects big-endian files', () => rejects(mutate((b) => (b[5] = 2)), /^prog\.elf: big-endian ELF \(ELFDATA2MSB\) is not supported/));
    it('rejects a bad identification version', () => rejects(mutate((b) => (b[6] = 0)), 'prog.elf: unsupported ELF identification version 0 (expected 1)'));
    it('rejects a truncated header', () => rejects(valid.slice(0, 40), 'prog.elf: truncated ELF header (40 bytes, need 64)'));
    it('rejects other machines', () => rejects(mutate((_, v) => v.setUint16(18, 62, true)), 'prog.elf: not a RISC-V ELF file (e_machine 62, expected 243 EM_RISCV)'));
    it('rejects a bad e_version', () => rejects(mutate((_, v) => v.setUint32(20, 2, true)), 'prog.elf: unsupported ELF version 2 (expected 1)'));
    it('rejects unexpected header entry sizes', () => {
      rejects(mutate((_, v) => v.setUint16(54, 32, true)), 'prog.elf: unexpected program header size e_phentsize=32 (expected 56)');
      rejects(mutate((_, v) => v.setUint16(58, 40, true)), 'prog.elf: unexpected section header size e_shentsize=40 (expected 64)');
    });
  });

  describe('section headers', () => {
    it('rejects a truncated file whose section header table is cut off, naming the first missing header', () => {
      rejects(valid.slice(0, shdr(5) + 10), /^prog\.elf: section header 5 extends past end of file/);
    });
    it('rejects a section header table offset beyond the file', () => {
      rejects(mutate((_, v) => v.setBigUint64(40, 0xffffffffffffff00n, true)), /^prog\.elf: section header 0 extends past end of file \(offset 0xffffffffffffff00/);
    });
    it('rejects section contents past the end of the file', () => {
      const text = indexOf('.text');
      rejects(mutate((_, v) => v.setBigUint64(shdr(text) + 32, 0x100000n, true)), /^prog\.elf: section 1 \(\.text\) extends past end of file \(offset 0x1000, size 0x100000/);
      rejects(mutate((_, v) => v.setBigUint64(shdr(text) + 24, 0xfffffffffffffff0n, true)), /^prog\.elf: section 1 \(\.text\) extends past end of file/);
    });
    it('does not require file space for SHT_NOBITS sections', () => {
      const bss = indexOf('.bss');
      const elf = readElf(mutate((_, v) => v.setBigUint64(shdr(bss) + 32, 0x7fffffffn, true)), 'prog.elf');
      assert.strictEqual(elf.section('.bss')!.size, 0x7fffffffn);
    });
    it('rejects an out-of-range or non-string-table e_shstrndx', () => {
      rejects(mutate((_, v) => v.setUint16(62, 200, true)), /^prog\.elf: section name string table index 200 is out of range \(\d+ sections\)$/);
      rejects(mutate((_, v) => v.setUint16(62, indexOf('.text'), true)), 'prog.elf: section name string table (section 1) has type 1, expected SHT_STRTAB');
    });
    it('rejects section names outside the name table', () => {
      rejects(mutate((_, v) => v.setUint32(shdr(2), 0x7fff0000, true)), /^prog\.elf: section 2 name: string offset 0x7fff0000 is outside the string table/);
    });
    it('rejects a name table without a final NUL', () => {
      const shstr = indexOf('.shstrtab');
      const elf = readElf(valid, 'x');
      const s = elf.sections[shstr];
      rejects(mutate((b) => b.fill(0x41, Number(s.offset), Number(s.offset + s.size))), /^prog\.elf: section \d+ name: string at offset 0x[0-9a-f]+ is not NUL-terminated$/);
    });
    it('rejects e_shnum without e_shoff', () => rejects(mutate((_, v) => v.setBigUint64(40, 0n, true)), /^prog\.elf: e_shnum is \d+ but e_shoff is 0$/));
    it('bounds extended section counts (e_shnum 0, count in section 0) by the file size', () => {
      rejects(
        mutate((_, v) => {
          v.setUint16(60, 0, true);
          v.setBigUint64(shdr(0) + 32, 0xffffffffffn, true);
        }),
        /^prog\.elf: section header \d+ extends past end of file \(1099511627775 section headers/,
      );
    });
  });

  describe('program headers', () => {
    const ph = (i: number): number => 64 + 56 * i;
    it('rejects a program header table past the end of the file', () => {
      rejects(mutate((_, v) => v.setBigUint64(32, BigInt(valid.length - 20), true)), /^prog\.elf: program header 0 extends past end of file/);
    });
    it('rejects segment contents past the end of the file', () => {
      rejects(mutate((_, v) => v.setBigUint64(ph(2) + 32, 0x1000000n, true)), /^prog\.elf: segment 2 \(PT_LOAD\) extends past end of file \(offset 0x2000, size 0x1000000/);
    });
    it('rejects p_filesz > p_memsz for PT_LOAD', () => {
      rejects(mutate((_, v) => v.setBigUint64(ph(0) + 40, 2n, true)), 'prog.elf: segment 0 (PT_LOAD) has p_filesz 0x44 larger than p_memsz 0x2');
    });
    it('rejects a segment that wraps around the address space', () => {
      rejects(mutate((_, v) => v.setBigUint64(ph(0) + 16, 0xfffffffffffffff0n, true)), 'prog.elf: segment 0 (PT_LOAD) wraps around the end of the address space');
    });
  });

  describe('symbol table', () => {
    const symtab = (): number => indexOf('.symtab');
    it('rejects a wrong entry size', () => rejects(mutate((_, v) => v.setBigUint64(shdr(symtab()) + 56, 16n, true)), /^prog\.elf: symbol table \(section \d+, \.symtab\) has entry size 16, expected 24$/));
    it('rejects a size that is not a whole number of entries', () => rejects(mutate((_, v) => v.setBigUint64(shdr(symtab()) + 32, 25n, true)), /size 0x19 is not a multiple of 24$/));
    it('rejects a link to a section that is not a string table', () => rejects(mutate((_, v) => v.setUint32(shdr(symtab()) + 40, 1, true)), /links to section 1, which is not a string table$/));
    it('rejects a symbol in a section that does not exist', () => {
      const sym1 = Number(readElf(valid, 'x').section('.symtab')!.offset) + 24;
      rejects(mutate((_, v) => v.setUint16(sym1 + 6, 300, true)), /^prog\.elf: symbol 1 \(main\.s\) refers to section 300, but there are only \d+ sections$/);
    });
    it('rejects a symbol name outside the string table', () => {
      const sym1 = Number(readElf(valid, 'x').section('.symtab')!.offset) + 24;
      rejects(mutate((_, v) => v.setUint32(sym1, 0xffffff, true)), /^prog\.elf: symbol 1: string offset 0xffffff is outside the string table/);
    });
  });

  describe('fuzzing (deterministic seed)', () => {
    const CASES = 2000;

    /** Runs reader and line decoder; returns 'ok' or the ElfError message. Anything else fails the test. */
    function probe(bytes: Uint8Array, label: string): string {
      let elf: ElfFile;
      try {
        elf = readElf(bytes, 'fuzz.elf');
        const table = readDebugLine(elf);
        table.addressToLine(0x80000008n);
        table.lineToAddresses('main.s', 4);
        return 'ok';
      } catch (e) {
        if (!(e instanceof ElfError)) {
          assert.fail(`${label}: expected ElfError, got ${e instanceof Error ? `${e.constructor.name}: ${e.stack}` : String(e)}`);
        }
        assert.ok(e.message.startsWith('fuzz.elf: '), `${label}: message does not name the file: ${e.message}`);
        assert.ok(!e.message.includes('internal error'), `${label}: unchecked failure: ${e.message}`);
        assert.ok(!e.message.includes('\n'), `${label}: message spans several lines: ${e.message}`);
        return e.message;
      }
    }

    it(`gives only ElfError or success on ${CASES} random, truncated and corrupted files`, function () {
      this.timeout(20000);
      const rand = prng(0xc0ffee);
      const pick = (n: number): number => rand() % n;
      const debugLine = readElf(valid, 'x').section('.debug_line')!;
      const dlStart = Number(debugLine.offset);
      const dlSize = Number(debugLine.size);
      const headerRegions = [0, 64, shdr(0)]; // ELF header, program headers, section headers
      let ok = 0;
      const messages = new Set<string>();
      for (let i = 0; i < CASES; i++) {
        let bytes: Uint8Array;
        let label: string;
        const kind = i % 5;
        if (kind === 0) {
          // Random bytes, usually behind a valid identification so parsing gets past the magic.
          bytes = Uint8Array.from({ length: pick(400) }, () => rand() & 0xff);
          if (pick(4) !== 0) bytes.set(valid.subarray(0, Math.min(bytes.length, 20 + pick(44))));
          label = `case ${i}: random ${bytes.length} bytes`;
        } else if (kind === 1) {
          const n = pick(valid.length);
          bytes = valid.slice(0, n);
          label = `case ${i}: truncated to ${n} bytes`;
        } else {
          bytes = valid.slice();
          const edits = 1 + pick(6);
          const where: string[] = [];
          for (let k = 0; k < edits; k++) {
            let at: number;
            if (kind === 2) at = headerRegions[pick(3)] + pick(kind === 2 ? 64 * 3 : 64);
            else if (kind === 3) at = dlStart + pick(dlSize);
            else at = pick(bytes.length);
            at = Math.min(at, bytes.length - 1);
            // Extreme values hit length/offset checks; random ones hit everything else.
            const value = [0x00, 0xff, 0x7f, 0x80][pick(4)] ?? 0;
            bytes[at] = pick(2) === 0 ? value : rand() & 0xff;
            where.push(`0x${at.toString(16)}=${bytes[at]}`);
          }
          label = `case ${i}: corrupted ${where.join(',')}`;
        }
        const r = probe(bytes, label);
        if (r === 'ok') ok++;
        else messages.add(r.replace(/0x[0-9a-f]+|\d+/g, 'N'));
      }
      // Both outcomes must occur, or the generator is not exercising the reader.
      assert.ok(ok > 50, `only ${ok} cases parsed`);
      assert.ok(messages.size > 25, `only ${messages.size} distinct errors:\n${[...messages].join('\n')}`);
      assert.ok([...messages].some((m) => m.includes('.debug_line unit')), 'no DWARF error was provoked');
    });
  });
});
