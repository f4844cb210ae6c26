import * as assert from 'assert';
import { writeElfExecutable, ElfImageInput, ELF_PAGE_SIZE } from '../../language/elf/elf-writer';
import { readElf, ElfFile, EM_RISCV, ET_EXEC, PT_LOAD, PF_R, PF_W, PF_X, SHT_NOBITS, SHT_PROGBITS, SHT_SYMTAB, SHT_STRTAB, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_ABS, SHN_UNDEF } from '../../emulator/elf/elf-reader';
import { readDebugLine } from '../../emulator/elf/dwarf-line';
import { sampleImage, resolvedPath, TEXT_ADDR, TEXT_SEQUENCE, INIT_SEQUENCE, INIT_ADDR } from './sample-image';

function roundTrip(input: ElfImageInput): ElfFile {
  return readElf(writeElfExecutable(input), 'sample.elf');
}

describe('ELF writer → reader round trip', () => {
  const input = sampleImage();
  const elf = roundTrip(input);

  describe('ELF header', () => {
    it('is an EM_RISCV ET_EXEC with the requested entry and the RVC flag by default', () => {
      assert.strictEqual(elf.machine, EM_RISCV);
      assert.strictEqual(elf.type, ET_EXEC);
      assert.strictEqual(elf.entry, TEXT_ADDR);
      assert.strictEqual(elf.flags, 1);
    });

    it('reads from a view that does not start at offset 0 of its buffer (e.g. a pooled Node Buffer)', () => {
      const bytes = writeElfExecutable(input);
      const backing = new Uint8Array(bytes.length + 13);
      backing.set(bytes, 5);
      const shifted = readElf(backing.subarray(5, 5 + bytes.length), 'shifted.elf');
      assert.deepStrictEqual(shifted.symbols, elf.symbols);
      assert.deepStrictEqual([...shifted.sectionData('.text')!], [...elf.sectionData('.text')!]);
    });

    it('writes caller-supplied e_flags verbatim', () => {
      assert.strictEqual(roundTrip({ ...input, flags: 0x5 }).flags, 0x5);
    });
  });

  describe('sections', () => {
    it('keeps every input section with its type, flags, address and contents', () => {
      for (const s of input.sections) {
        const got = elf.section(s.name);
        assert.ok(got, `section ${s.name} missing`);
        assert.strictEqual(got.type, s.kind === 'nobits' ? SHT_NOBITS : SHT_PROGBITS, s.name);
        assert.strictEqual((got.flags & SHF_ALLOC) !== 0, s.alloc, `${s.name} alloc`);
        assert.strictEqual((got.flags & SHF_WRITE) !== 0, s.write, `${s.name} write`);
        assert.strictEqual((got.flags & SHF_EXECINSTR) !== 0, s.exec, `${s.name} exec`);
        assert.strictEqual(got.addr, s.addr, `${s.name} addr`);
        assert.strictEqual(got.addralign, BigInt(s.align), `${s.name} align`);
        if (s.kind === 'nobits') {
          assert.strictEqual(got.size, s.size);
          assert.strictEqual(got.data.length, 0);
        } else {
          assert.deepStrictEqual([...got.data], [...s.data], `${s.name} contents`);
          assert.deepStrictEqual(elf.sectionData(s.name), got.data);
        }
      }
    });

    it('keeps input sections in input order right after the null section', () => {
      assert.strictEqual(elf.sections[0].type, 0);
      assert.deepStrictEqual(elf.sections.slice(1, 1 + input.sections.length).map((s) => s.name), input.sections.map((s) => s.name));
    });

    it('adds .symtab, .strtab, .shstrtab and the DWARF sections', () => {
      const names = elf.sections.map((s) => s.name);
      for (const n of ['.symtab', '.strtab', '.shstrtab', '.debug_info', '.debug_abbrev', '.debug_line', '.debug_line_str', '.debug_rnglists']) {
        assert.ok(names.includes(n), `${n} missing from ${names.join(' ')}`);
      }
      assert.strictEqual(elf.section('.symtab')!.type, SHT_SYMTAB);
      assert.strictEqual(elf.section('.strtab')!.type, SHT_STRTAB);
    });

    it('uses DW_AT_high_pc instead of .debug_rnglists when there is a single line sequence', () => {
      const single = roundTrip(sampleImage({ withInit: false }));
      assert.ok(single.section('.debug_line'));
      assert.strictEqual(single.section('.debug_rnglists'), undefined);
    });

    it('writes no DWARF sections without line sequences', () => {
      const plain = roundTrip(sampleImage({ withLines: false }));
      assert.deepStrictEqual(plain.sections.filter((s) => s.name.startsWith('.debug')).map((s) => s.name), []);
      assert.strictEqual(readDebugLine(plain).rows.length, 0);
    });
  });

  describe('program headers', () => {
    const loads = elf.segments.filter((p) => p.type === PT_LOAD);
    const allocInputs = input.sections.filter((s) => s.alloc);

    it('has exactly one PT_LOAD per non-empty alloc section, sorted by address', () => {
      assert.strictEqual(elf.segments.length, allocInputs.length);
      assert.strictEqual(loads.length, allocInputs.length);
      const vaddrs = loads.map((p) => p.vaddr);
      assert.deepStrictEqual(vaddrs, [...vaddrs].sort((a, b) => (a < b ? -1 : 1)));
    });

    it('maps each alloc section with matching sizes, permissions and bytes', () => {
      for (const s of allocInputs) {
        const seg = loads.find((p) => p.vaddr === s.addr);
        assert.ok(seg, `no PT_LOAD for ${s.name}`);
        assert.strictEqual(seg.paddr, s.addr);
        const size = s.kind === 'nobits' ? s.size! : BigInt(s.data.length);
        assert.strictEqual(seg.memsz, size, `${s.name} memsz`);
        assert.strictEqual(seg.filesz, s.kind === 'nobits' ? 0n : size, `${s.name} filesz`);
        assert.strictEqual(seg.flags, PF_R | (s.write ? PF_W : 0) | (s.exec ? PF_X : 0), `${s.name} flags`);
        if (s.kind === 'progbits') assert.deepStrictEqual([...seg.data], [...s.data], `${s.name} bytes`);
        assert.strictEqual(seg.align, ELF_PAGE_SIZE);
      }
    });

    it('places every PT_LOAD at a file offset congruent to its address modulo the page size', () => {
      for (const p of loads) assert.strictEqual(p.offset % ELF_PAGE_SIZE, p.vaddr % ELF_PAGE_SIZE, `segment at ${p.vaddr.toString(16)}`);
    });

    it('gives sections the same file offset as their segment', () => {
      for (const p of loads) {
        const s = elf.sections.find((x) => x.addr === p.vaddr && (x.flags & SHF_ALLOC) !== 0)!;
        assert.strictEqual(s.offset, p.offset, s.name);
      }
    });

    it('keeps non-alloc sections out of every segment', () => {
      for (const s of elf.sections.filter((x) => x.index !== 0 && (x.flags & SHF_ALLOC) === 0 && x.size > 0n)) {
        for (const p of loads) {
          const overlap = s.offset < p.offset + p.filesz && p.offset < s.offset + s.size;
          assert.ok(!overlap, `${s.name} overlaps segment at 0x${p.vaddr.toString(16)}`);
        }
      }
    });

    it('writes no program headers when nothing is allocated', () => {
      const bare = roundTrip({ entry: 0n, sections: [], symbols: [] });
      assert.deepStrictEqual(bare.segments, []);
      assert.deepStrictEqual(bare.symbols, []);
      assert.deepStrictEqual(bare.sections.map((s) => s.name), ['', '.symtab', '.strtab', '.shstrtab']);
    });
  });

  describe('symbols', () => {
    it('lists all locals before the first global, with sh_info = first global index', () => {
      const firstGlobal = elf.symbols.findIndex((s) => s.bind !== 'local');
      assert.ok(firstGlobal > 0);
      assert.ok(elf.symbols.slice(firstGlobal).every((s) => s.bind !== 'local'), 'a local follows a global');
      assert.strictEqual(elf.section('.symtab')!.info, elf.symbols[firstGlobal].index);
      assert.strictEqual(elf.symbols.length, input.symbols.length);
    });

    it('round-trips name, value, size, type, binding and section of every symbol', () => {
      for (const want of input.symbols) {
        const got = elf.symbols.find((s) => s.name === want.name && s.type === want.type);
        assert.ok(got, `symbol ${want.name || '(section)'} missing`);
        assert.strictEqual(got.value, want.value, want.name);
        assert.strictEqual(got.size, want.size, want.name);
        assert.strictEqual(got.bind, want.bind, want.name);
        if (want.section === 'abs') assert.strictEqual(got.sectionIndex, SHN_ABS);
        else if (want.section === 'undef') assert.strictEqual(got.sectionIndex, SHN_UNDEF);
        else assert.strictEqual(got.sectionName, want.section, want.name);
        if (want.section === 'abs' || want.section === 'undef') assert.strictEqual(got.sectionName, undefined);
      }
    });
  });

  describe('line table', () => {
    const table = readDebugLine(elf);

    it('decodes the rows the writer was given, with paths resolved against compDir', () => {
      const expected = [TEXT_SEQUENCE, INIT_SEQUENCE].flatMap((seq) => [
        ...seq.rows.map((r) => ({ address: r.address, file: resolvedPath(r.file), line: r.line, column: r.column, isStmt: true, endSequence: false })),
        { address: seq.endAddress, file: resolvedPath(seq.rows[seq.rows.length - 1].file), line: seq.rows[seq.rows.length - 1].line, column: seq.rows[seq.rows.length - 1].column, isStmt: true, endSequence: true },
      ]);
      assert.deepStrictEqual(table.rows, expected);
    });

    it('reports one sequence per code section with its address range', () => {
      assert.deepStrictEqual(
        table.sequences.map((s) => [s.startAddress, s.endAddress]),
        [
          [TEXT_ADDR, TEXT_SEQUENCE.endAddress],
          [INIT_ADDR, INIT_SEQUENCE.endAddress],
        ],
      );
    });

    it('addressToLine finds the row covering an address, including gaps and the middle of instructions', () => {
      const at = (a: bigint): string | undefined => {
        const r = table.addressToLine(a);
        return r && `${r.file}:${r.line}`;
      };
      assert.strictEqual(at(TEXT_ADDR), '/work/proj/main.s:3');
      assert.strictEqual(at(TEXT_ADDR + 2n), '/work/proj/main.s:3');
      assert.strictEqual(at(TEXT_ADDR + 7n), '/work/proj/main.s:4');
      assert.strictEqual(at(TEXT_ADDR + 0x0en), '/work/proj/lib/util.s:10');
      assert.strictEqual(at(TEXT_ADDR + 0x30n), '/work/proj/main.s:20');
      assert.strictEqual(at(TEXT_ADDR + 0x43n), '/work/proj/main.s:1001');
      assert.strictEqual(at(INIT_ADDR + 4n), '/work/proj/main.s:51');
      assert.strictEqual(at(TEXT_ADDR - 1n), undefined);
      assert.strictEqual(at(TEXT_SEQUENCE.endAddress), undefined, 'end address is exclusive');
      assert.strictEqual(at(0x80001000n), undefined);
    });

    it('lineToAddresses returns where execution enters a line, matching full paths and path suffixes', () => {
      assert.deepStrictEqual(table.lineToAddresses('/work/proj/main.s', 4), [TEXT_ADDR + 4n], 'second row of line 4 is not an entry');
      assert.deepStrictEqual(table.lineToAddresses('main.s', 1), [TEXT_ADDR + 0xcn]);
      assert.deepStrictEqual(table.lineToAddresses('util.s', 10), [TEXT_ADDR + 0xen]);
      assert.deepStrictEqual(table.lineToAddresses('lib/util.s', 10), [TEXT_ADDR + 0xen]);
      assert.deepStrictEqual(table.lineToAddresses('/abs/inc/macros.inc', 200), [TEXT_ADDR + 0x12n]);
      assert.deepStrictEqual(table.lineToAddresses('main.s', 50), [INIT_ADDR]);
      assert.deepStrictEqual(table.lineToAddresses('main.s', 2), []);
      assert.deepStrictEqual(table.lineToAddresses('ain.s', 3), [], 'a partial file name is not a match');
    });

    it('lists the source files', () => {
      assert.deepStrictEqual(table.files(), ['/work/proj/main.s', '/work/proj/lib/util.s', '/abs/inc/macros.inc']);
    });

    it('encodes long address gaps and large line jumps, and sorts unsorted rows', () => {
      const rows = [
        { address: 0x80000000n + 0x10000n, file: 'b.s', line: 70000, column: 3 },
        { address: 0x80000000n, file: 'b.s', line: 7, column: 0 },
        { address: 0x80000000n + 0x10000n + 17n * 2n, file: 'b.s', line: 69990, column: 0 },
      ];
      const img: ElfImageInput = {
        entry: 0x80000000n,
        compDir: '/c',
        sections: [{ name: '.text', kind: 'progbits', alloc: true, write: false, exec: true, addr: 0x80000000n, align: 2, data: new Uint8Array(0x10040) }],
        symbols: [],
        lineSequences: [{ rows, endAddress: 0x80000000n + 0x10040n }],
      };
      const got = readDebugLine(roundTrip(img)).rows.map((r) => [r.address, r.line, r.column, r.endSequence]);
      assert.deepStrictEqual(got, [
        [0x80000000n, 7, 0, false],
        [0x80010000n, 70000, 3, false],
        [0x80010022n, 69990, 0, false],
        [0x80010040n, 69990, 0, true],
      ]);
    });
  });

  describe('input validation', () => {
    const base = sampleImage({ withInit: false });
    it('rejects a symbol in an unknown section', () => {
      assert.throws(() => writeElfExecutable({ ...base, symbols: [{ name: 'x', value: 0n, size: 0n, type: 'notype', bind: 'global', section: '.nope' }] }), /symbol x refers to unknown section \.nope/);
    });
    it('rejects a sequence whose end lies before its last row', () => {
      assert.throws(() => writeElfExecutable({ ...base, lineSequences: [{ rows: TEXT_SEQUENCE.rows, endAddress: TEXT_ADDR }] }), /endAddress 0x80000000 is below the last row address 0x80000042/);
    });
    it('rejects duplicate and reserved section names', () => {
      assert.throws(() => writeElfExecutable({ ...base, sections: [...base.sections, base.sections[0]] }), /duplicate section \.text/);
      assert.throws(() => writeElfExecutable({ ...base, sections: [{ ...base.sections[0], name: '.symtab' }] }), /reserved/);
      assert.throws(() => writeElfExecutable({ ...base, sections: [...base.sections, { ...base.sections[4], name: '.debug_line' }] }), /reserved/);
    });
    it('rejects negative line numbers and non-power-of-two alignment', () => {
      assert.throws(() => writeElfExecutable({ ...base, lineSequences: [{ rows: [{ address: TEXT_ADDR, file: 'a.s', line: -1, column: 0 }], endAddress: TEXT_ADDR + 4n }] }), /invalid line number -1/);
      assert.throws(() => writeElfExecutable({ ...base, sections: [{ ...base.sections[0], align: 3 }] }), /alignment 3/);
    });
  });
});
