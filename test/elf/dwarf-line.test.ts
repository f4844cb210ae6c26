/**
 * .debug_line decoding from hand-assembled line tables, one feature per
 * test: every DWARF version, every header form the decoder accepts, the
 * opcode semantics, and the error for each kind of malformed table.
 */

import * as assert from 'assert';
import { ByteSink, writeElfExecutable } from '../../language/elf/elf-writer';
import { readElf, ElfError, ElfFile } from '../../emulator/elf/elf-reader';
import { readDebugLine, DwarfError, LineTableRow } from '../../emulator/elf/dwarf-line';

// Raw DWARF encodings, spelled out so the tests do not share constants with the decoder.
const LNS = { copy: 1, advance_pc: 2, advance_line: 3, set_file: 4, set_column: 5, negate_stmt: 6, set_basic_block: 7, const_add_pc: 8, fixed_advance_pc: 9, set_prologue_end: 10, set_epilogue_begin: 11, set_isa: 12 };
const FORM = { addr: 0x01, data2: 0x05, data4: 0x06, data8: 0x07, string: 0x08, block: 0x09, block1: 0x0a, data1: 0x0b, strp: 0x0e, udata: 0x0f, sec_offset: 0x17, flag_present: 0x19, strx: 0x1a, data16: 0x1e, line_strp: 0x1f };
const LNCT = { path: 1, directory_index: 2, timestamp: 3, size: 4, MD5: 5 };

interface UnitSpec {
  version: number;
  dwarf64?: boolean;
  addressSize?: number;
  minInst?: number;
  maxOps?: number;
  defaultIsStmt?: boolean;
  lineBase?: number;
  lineRange?: number;
  opcodeBase?: number;
  stdLengths?: number[];
  /** Writes everything after standard_opcode_lengths up to the program; `off` writes an offset-sized value. */
  tables: (s: ByteSink, off: (v: number) => void) => void;
  program: (p: Program) => void;
  /** Overrides header_length (to build broken headers). */
  headerLength?: number;
  /** Overrides unit_length. */
  unitLength?: number;
}

/** Tiny line-program assembler over ByteSink. */
class Program {
  constructor(readonly s: ByteSink, private readonly addressSize: number) {}
  setAddress(a: bigint): this {
    this.s.u8(0).uleb(1 + this.addressSize).u8(2);
    if (this.addressSize === 8) this.s.u64(a);
    else this.s.u32(Number(a));
    return this;
  }
  endSequence(): this {
    this.s.u8(0).uleb(1).u8(1);
    return this;
  }
  defineFile(name: string, dir: number): this {
    const body = new ByteSink().u8(3).cstr(name).uleb(dir).uleb(0).uleb(0).toBytes();
    this.s.u8(0).uleb(body.length).bytes(body);
    return this;
  }
  op(code: number, ...ulebArgs: number[]): this {
    this.s.u8(code);
    for (const a of ulebArgs) this.s.uleb(a);
    return this;
  }
  advanceLine(d: number): this {
    this.s.u8(LNS.advance_line).sleb(d);
    return this;
  }
  fixedAdvancePc(d: number): this {
    this.s.u8(LNS.fixed_advance_pc).u16(d);
    return this;
  }
  /** Special opcode for the header parameters used by default (-5, 14, 13). */
  special(addrAdvance: number, lineAdvance: number, opcodeBase = 13, lineBase = -5, lineRange = 14): this {
    const op = lineAdvance - lineBase + lineRange * addrAdvance + opcodeBase;
    assert.ok(op >= opcodeBase && op <= 255, `bad special opcode ${op}`);
    this.s.u8(op);
    return this;
  }
}

function lineUnit(spec: UnitSpec): Uint8Array {
  const s = new ByteSink();
  const offSize = spec.dwarf64 ? 8 : 4;
  const off = (v: number): void => {
    if (spec.dwarf64) s.u64(BigInt(v));
    else s.u32(v);
  };
  const addressSize = spec.addressSize ?? 8;
  const opcodeBase = spec.opcodeBase ?? 13;
  if (spec.dwarf64) s.u32(0xffffffff);
  const lengthAt = s.length;
  off(0);
  s.u16(spec.version);
  if (spec.version >= 5) s.u8(addressSize).u8(0);
  const headerLengthAt = s.length;
  off(0);
  const headerStart = s.length;
  s.u8(spec.minInst ?? 1);
  if (spec.version >= 4) s.u8(spec.maxOps ?? 1);
  s.u8(spec.defaultIsStmt === false ? 0 : 1);
  s.u8((spec.lineBase ?? -5) & 0xff);
  s.u8(spec.lineRange ?? 14);
  s.u8(opcodeBase);
  const std = spec.stdLengths ?? [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];
  for (let i = 1; i < opcodeBase; i++) s.u8(std[i - 1] ?? 0);
  spec.tables(s, off);
  const headerLength = spec.headerLength ?? s.length - headerStart;
  spec.program(new Program(s, addressSize));
  const bytes = s.toBytes();
  const put = (at: number, v: number): void => {
    for (let i = 0; i < offSize; i++) bytes[at + i] = i < 4 ? (v >>> (8 * i)) & 0xff : 0;
  };
  put(headerLengthAt, headerLength);
  put(lengthAt, spec.unitLength ?? bytes.length - lengthAt - offSize);
  return bytes;
}

/** Pre-v5 tables: include_directories then file_names (name, dir, mtime, length). */
function v4Tables(dirs: string[], files: [string, number][]): UnitSpec['tables'] {
  return (s) => {
    for (const d of dirs) s.cstr(d);
    s.u8(0);
    for (const [name, dir] of files) s.cstr(name).uleb(dir).uleb(0).uleb(0);
    s.u8(0);
  };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function elfWith(sections: Record<string, Uint8Array>): ElfFile {
  const bytes = writeElfExecutable({
    entry: 0n,
    symbols: [],
    sections: Object.entries(sections).map(([name, data]) => ({ name, kind: 'progbits' as const, alloc: false, write: false, exec: false, addr: 0n, align: 1, data })),
  });
  return readElf(bytes, 'dw.elf');
}

type RowTuple = [address: number, file: string, line: number, column: number, isStmt: boolean, end: boolean];
function tuples(rows: readonly LineTableRow[]): RowTuple[] {
  return rows.map((r) => [Number(r.address), r.file, r.line, r.column, r.isStmt, r.endSequence]);
}

/** A DWARF 4 compile unit whose DIE has attributes of several forms around DW_AT_comp_dir / DW_AT_stmt_list. */
function compileUnitV4(compDir: string, stmtList: number): { info: Uint8Array; abbrev: Uint8Array } {
  const abbrev = new ByteSink()
    .uleb(1).uleb(0x11).u8(0)
    .uleb(0x25).uleb(FORM.string) // producer
    .uleb(0x11).uleb(FORM.addr) // low_pc
    .uleb(0x12).uleb(FORM.data8) // high_pc
    .uleb(0x3f).uleb(FORM.flag_present) // external: zero bytes
    .uleb(0x02).uleb(FORM.block1) // location
    .uleb(0x1b).uleb(FORM.string) // comp_dir
    .uleb(0x10).uleb(FORM.sec_offset) // stmt_list
    .uleb(0).uleb(0)
    .uleb(0)
    .toBytes();
  const info = new ByteSink().u32(0).u16(4).u32(0).u8(8).uleb(1).cstr('test producer').u64(0x1000n).u64(0x40n).u8(3).bytes(new Uint8Array([1, 2, 3])).cstr(compDir).u32(stmtList);
  const bytes = info.toBytes();
  new DataView(bytes.buffer).setUint32(0, bytes.length - 4, true);
  return { info: bytes, abbrev };
}

describe('DWARF .debug_line decoding', () => {
  describe('versions 2 to 4', () => {
    // opcode_base 10 as in DWARF 2: opcodes 10..12 are special opcodes there.
    const v2 = lineUnit({
      version: 2,
      opcodeBase: 10,
      tables: v4Tables(['inc'], [['a.s', 0], ['b.s', 1]]),
      program: (p) =>
        p
          .setAddress(0x1000n)
          .special(0, 2, 10) // row: 0x1000 a.s:3
          .advanceLine(7)
          .op(12) // special in v2: address +0, line -3 → row 0x1000 a.s:7
          .op(LNS.set_file, 2)
          .fixedAdvancePc(0x102)
          .op(LNS.copy) // row 0x1102 inc/b.s:7
          .defineFile('c.s', 0)
          .op(LNS.set_file, 3)
          .op(LNS.negate_stmt)
          .special(1, 1, 10) // row 0x1103 c.s:8, not a statement
          .op(LNS.const_add_pc) // (255-10)/14 = 17
          .special(0, 0, 10) // row 0x1114
          .op(LNS.advance_pc, 0x10)
          .endSequence(),
    });

    it('decodes a DWARF 2 program: special opcodes above a small opcode_base, fixed_advance_pc, define_file, negate_stmt, const_add_pc', () => {
      const table = readDebugLine(elfWith({ '.debug_line': v2 }));
      assert.deepStrictEqual(tuples(table.rows), [
        [0x1000, 'a.s', 3, 0, true, false],
        [0x1000, 'a.s', 7, 0, true, false],
        [0x1102, 'inc/b.s', 7, 0, true, false],
        [0x1103, 'c.s', 8, 0, false, false],
        [0x1114, 'c.s', 8, 0, false, false],
        [0x1124, 'c.s', 8, 0, false, true],
      ]);
    });

    it('joins directory 0 (DW_AT_comp_dir of the compile unit in .debug_info) into pre-v5 paths', () => {
      const cu = compileUnitV4('/src', 0);
      const table = readDebugLine(elfWith({ '.debug_line': v2, '.debug_info': cu.info, '.debug_abbrev': cu.abbrev }));
      assert.deepStrictEqual(table.files(), ['/src/a.s', '/src/inc/b.s', '/src/c.s']);
    });

    it('keeps absolute include directories and treats is_stmt default 0', () => {
      const v3 = lineUnit({
        version: 3,
        defaultIsStmt: false,
        tables: v4Tables(['/usr/include'], [['x.h', 1]]),
        program: (p) => p.setAddress(0x20n).op(LNS.advance_line, 4).op(LNS.copy).op(LNS.advance_pc, 2).endSequence(),
      });
      assert.deepStrictEqual(tuples(readDebugLine(elfWith({ '.debug_line': v3 })).rows), [
        [0x20, '/usr/include/x.h', 5, 0, false, false],
        [0x22, '/usr/include/x.h', 5, 0, false, true],
      ]);
    });

    it('scales address advances by minimum_instruction_length (DWARF 4 header with maximum_operations_per_instruction)', () => {
      const v4 = lineUnit({
        version: 4,
        minInst: 2,
        tables: v4Tables([], [['m.s', 0]]),
        program: (p) => p.setAddress(0x100n).special(0, 0).special(3, 1).op(LNS.advance_pc, 5).op(LNS.copy).op(LNS.const_add_pc).endSequence(),
      });
      assert.deepStrictEqual(
        readDebugLine(elfWith({ '.debug_line': v4 })).rows.map((r) => [Number(r.address), r.line]),
        [
          [0x100, 1],
          [0x106, 2],
          [0x110, 2],
          [0x110 + 2 * 17, 2],
        ],
      );
    });

    it('ignores opcodes that do not create rows and skips unknown standard and extended opcodes', () => {
      const unit = lineUnit({
        version: 4,
        opcodeBase: 14,
        stdLengths: [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 2], // opcode 13: unknown, two operands
        tables: v4Tables([], [['q.s', 0]]),
        program: (p) => {
          p.setAddress(0x4000n).op(LNS.set_basic_block).op(LNS.set_prologue_end).op(LNS.set_epilogue_begin).op(LNS.set_isa, 300);
          p.op(13, 1000, 5); // unknown standard opcode: both ULEB operands must be skipped
          p.s.u8(0).uleb(4).u8(0x80).u8(1).u8(2).u8(3); // unknown extended opcode 0x80 with 3 payload bytes
          p.s.u8(0).uleb(2).u8(4).uleb(7); // DW_LNE_set_discriminator
          p.op(LNS.set_column, 9).special(2, 1, 14).endSequence();
        },
      });
      assert.deepStrictEqual(tuples(readDebugLine(elfWith({ '.debug_line': unit })).rows), [
        [0x4002, 'q.s', 2, 9, true, false],
        [0x4002, 'q.s', 2, 9, true, true],
      ]);
    });
  });

  describe('version 5', () => {
    const lineStr = new ByteSink().cstr('/build').cstr('main.s').cstr('sub').toBytes(); // offsets 0, 7, 14
    const str = new ByteSink().cstr('other.s').toBytes();

    it('reads directory/file entry formats with line_strp, string, data1, udata and a data16 MD5', () => {
      const unit = lineUnit({
        version: 5,
        tables: (s, off) => {
          s.u8(1).uleb(LNCT.path).uleb(FORM.line_strp);
          s.uleb(2);
          off(0); // /build
          off(14); // sub
          s.u8(4).uleb(LNCT.path).uleb(FORM.line_strp).uleb(LNCT.directory_index).uleb(FORM.data1).uleb(LNCT.MD5).uleb(FORM.data16).uleb(LNCT.size).uleb(FORM.udata);
          s.uleb(2);
          off(7);
          s.u8(0).bytes(new Uint8Array(16).fill(0xaa)).uleb(1234);
          off(7);
          s.u8(1).bytes(new Uint8Array(16).fill(0xbb)).uleb(99999);
        },
        program: (p) => p.setAddress(0x80000000n).op(LNS.set_file, 0).special(0, 0).op(LNS.set_file, 1).special(4, 2).op(LNS.advance_pc, 2).endSequence(),
      });
      assert.deepStrictEqual(tuples(readDebugLine(elfWith({ '.debug_line': unit, '.debug_line_str': lineStr })).rows), [
        [0x80000000, '/build/main.s', 1, 0, true, false],
        [0x80000004, '/build/sub/main.s', 3, 0, true, false],
        [0x80000006, '/build/sub/main.s', 3, 0, true, true],
      ]);
    });

    it('reads DW_FORM_string and DW_FORM_strp paths, data2 directory indexes, and skips timestamps and vendor content', () => {
      const unit = lineUnit({
        version: 5,
        addressSize: 4,
        tables: (s, off) => {
          s.u8(1).uleb(LNCT.path).uleb(FORM.string);
          s.uleb(2).cstr('/w').cstr('/abs');
          s.u8(4).uleb(LNCT.path).uleb(FORM.strp).uleb(LNCT.timestamp).uleb(FORM.data4).uleb(0x2001).uleb(FORM.block).uleb(LNCT.directory_index).uleb(FORM.data2);
          s.uleb(1);
          off(0);
          s.u32(0x5f000000).uleb(3).bytes(new Uint8Array([9, 9, 9])).u16(1);
        },
        program: (p) => p.setAddress(0x2000n).op(LNS.set_file, 0).op(LNS.copy).op(LNS.advance_pc, 4).endSequence(),
      });
      assert.deepStrictEqual(tuples(readDebugLine(elfWith({ '.debug_line': unit, '.debug_str': str })).rows), [
        [0x2000, '/abs/other.s', 1, 0, true, false],
        [0x2004, '/abs/other.s', 1, 0, true, true],
      ]);
    });

    it('reads 64-bit DWARF units and consecutive units in one section', () => {
      const tables = (s: ByteSink, off: (v: number) => void): void => {
        s.u8(1).uleb(LNCT.path).uleb(FORM.line_strp).uleb(1);
        off(0);
        s.u8(1).uleb(LNCT.path).uleb(FORM.line_strp).uleb(1);
        off(7);
      };
      const u64 = lineUnit({ version: 5, dwarf64: true, tables, program: (p) => p.setAddress(0x10n).op(LNS.set_file, 0).op(LNS.copy).op(LNS.advance_pc, 2).endSequence() });
      const u32 = lineUnit({ version: 5, tables, program: (p) => p.setAddress(0x90n).op(LNS.set_file, 0).advanceLine(41).op(LNS.copy).op(LNS.advance_pc, 6).endSequence() });
      const table = readDebugLine(elfWith({ '.debug_line': concat(u64, u32, v4Only()), '.debug_line_str': lineStr }));
      assert.deepStrictEqual(
        table.sequences.map((s) => [Number(s.startAddress), Number(s.endAddress), s.rows[0].file, s.rows[0].line]),
        [
          [0x10, 0x12, '/build/main.s', 1],
          [0x90, 0x96, '/build/main.s', 42],
          [0x300, 0x304, 'v4.s', 1],
        ],
      );
    });

    function v4Only(): Uint8Array {
      return lineUnit({ version: 4, tables: v4Tables([], [['v4.s', 0]]), program: (p) => p.setAddress(0x300n).op(LNS.copy).op(LNS.advance_pc, 4).endSequence() });
    }
  });

  describe('malformed line tables', () => {
    const good = { version: 4, tables: v4Tables([], [['a.s', 0]]), program: (p: Program) => p.setAddress(0x10n).op(LNS.copy).op(LNS.advance_pc, 2).endSequence() };

    function rejects(debugLine: Uint8Array, pattern: RegExp, extra: Record<string, Uint8Array> = {}): void {
      const elf = elfWith({ '.debug_line': debugLine, ...extra });
      assert.throws(
        () => readDebugLine(elf),
        (e: unknown) => {
          assert.ok(e instanceof DwarfError, `expected DwarfError, got ${String(e)}`);
          assert.ok(e instanceof ElfError, 'DwarfError must be an ElfError');
          assert.ok(e.message.startsWith('dw.elf: .debug_line unit at offset 0x'), e.message);
          assert.match(e.message, pattern);
          return true;
        },
      );
    }

    it('accepts the unmodified table (so the cases below fail for their own reason)', () => {
      assert.strictEqual(readDebugLine(elfWith({ '.debug_line': lineUnit(good) })).rows.length, 2);
    });
    it('rejects unsupported versions', () => {
      rejects(lineUnit({ ...good, version: 6 }), /unsupported DWARF line table version 6/);
      rejects(lineUnit({ ...good, version: 1 }), /unsupported DWARF line table version 1/);
    });
    it('rejects line_range 0 (it divides special opcodes)', () => rejects(lineUnit({ ...good, lineRange: 0 }), /line_range is 0/));
    it('rejects a unit longer than the section', () => rejects(lineUnit({ ...good, unitLength: 5000 }), /extends past the end of \.debug_line/));
    it('rejects reserved unit_length values', () => rejects(lineUnit({ ...good, unitLength: 0xfffffff0 }), /reserved unit_length/));
    it('rejects header_length beyond the unit', () => rejects(lineUnit({ ...good, headerLength: 4000 }), /header_length 0xfa0 extends past the end of the unit/));
    it('rejects a header that overruns header_length', () => rejects(lineUnit({ ...good, headerLength: 12 }), /runs past the end of the line table header/));
    it('rejects a program that ends without DW_LNE_end_sequence', () => {
      rejects(lineUnit({ ...good, program: (p) => p.setAddress(0x10n).op(LNS.copy) }), /ends without DW_LNE_end_sequence/);
    });
    it('rejects a row referring to a missing file', () => {
      rejects(lineUnit({ ...good, program: (p) => p.op(LNS.set_file, 9).op(LNS.copy).endSequence() }), /refers to file 9, but the file table has 1 entries/);
      rejects(lineUnit({ ...good, program: (p) => p.op(LNS.set_file, 0).op(LNS.copy).endSequence() }), /refers to file 0/);
    });
    it('rejects a file in a missing directory', () => {
      rejects(lineUnit({ ...good, tables: v4Tables([], [['a.s', 3]]) }), /file 1 \(a\.s\) refers to directory 3, but there are only 1 directories/);
    });
    it('rejects an operand cut off by the end of the unit', () => {
      rejects(lineUnit({ ...good, program: (p) => p.setAddress(0x10n).s.u8(LNS.advance_pc).u8(0x80) }), /DW_LNS_advance_pc operand at offset 0x[0-9a-f]+ runs past the end of the line number program/);
    });
    it('rejects an extended opcode whose length overruns the unit', () => {
      rejects(lineUnit({ ...good, program: (p) => p.s.u8(0).uleb(100).u8(2) }), /extended opcode length 100/);
      rejects(lineUnit({ ...good, program: (p) => p.s.u8(0).uleb(3).u8(2).u16(0) }), /DW_LNE_set_address with 2-byte operand/);
    });
    it('rejects LEB128 values wider than 64 bits', () => {
      rejects(lineUnit({ ...good, program: (p) => p.s.u8(LNS.advance_pc).bytes(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f])) }), /wider than 64 bits/);
    });

    describe('version 5 headers', () => {
      const v5 = (tables: UnitSpec['tables']): Uint8Array => lineUnit({ version: 5, tables, program: (p) => p.setAddress(0n).op(LNS.set_file, 0).op(LNS.copy).endSequence() });
      const oneDir = (s: ByteSink, off: (v: number) => void): void => {
        s.u8(1).uleb(LNCT.path).uleb(FORM.line_strp).uleb(1);
        off(0);
      };
      const lineStr = new ByteSink().cstr('/d').cstr('f.s').toBytes();

      it('rejects forms that cannot appear in a line table header', () => {
        rejects(
          v5((s, off) => {
            oneDir(s, off);
            s.u8(1).uleb(LNCT.path).uleb(FORM.strx).uleb(1).uleb(0);
          }),
          /file entry 0 uses unsupported form 0x1a/,
          { '.debug_line_str': lineStr },
        );
      });
      it('rejects a path of integer form', () => {
        rejects(
          v5((s, off) => {
            oneDir(s, off);
            s.u8(1).uleb(LNCT.path).uleb(FORM.udata).uleb(1).uleb(0);
          }),
          /DW_LNCT_path has non-string form 0xf/,
          { '.debug_line_str': lineStr },
        );
      });
      it('rejects string offsets outside .debug_line_str, or a missing .debug_line_str', () => {
        const unit = v5((s, off) => {
          oneDir(s, off);
          s.u8(1).uleb(LNCT.path).uleb(FORM.line_strp).uleb(1);
          off(500);
        });
        rejects(unit, /offset 0x1f4 is outside \.debug_line_str \(size 0x7\)/, { '.debug_line_str': lineStr });
        rejects(unit, /refers to \.debug_line_str, but the file has no \.debug_line_str section/);
      });
      it('rejects entry counts larger than the header could hold', () => {
        rejects(
          v5((s) => {
            s.u8(1).uleb(LNCT.path).uleb(FORM.string).uleb(1_000_000_000);
          }),
          /directory count 1000000000 exceeds the remaining header size/,
        );
        rejects(
          v5((s) => {
            s.u8(0).uleb(5);
          }),
          /5 directory entries but no directory entry format/,
        );
      });
      it('rejects non-zero segment selectors and odd address sizes', () => {
        const unit = v5((s, off) => {
          oneDir(s, off);
          s.u8(1).uleb(LNCT.path).uleb(FORM.line_strp).uleb(1);
          off(3);
        });
        const badSeg = unit.slice();
        badSeg[7] = 2; // segment_selector_size
        rejects(badSeg, /segment selectors \(size 2\) are not supported/, { '.debug_line_str': lineStr });
        const badAddr = unit.slice();
        badAddr[6] = 3; // address_size
        rejects(badAddr, /unsupported address size 3/, { '.debug_line_str': lineStr });
      });
    });
  });

  it('returns an empty table for a file without .debug_line', () => {
    const table = readDebugLine(elfWith({}));
    assert.deepStrictEqual(table.rows, []);
    assert.strictEqual(table.addressToLine(0n), undefined);
    assert.deepStrictEqual(table.lineToAddresses('a.s', 1), []);
  });
});
