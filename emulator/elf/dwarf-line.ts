/**
 * DWARF .debug_line decoder (versions 2 to 5, 32- and 64-bit DWARF).
 *
 * Malformed input raises DwarfError (a subclass of ElfError, so callers that
 * already handle ElfError need nothing new). Every loop consumes at least one
 * byte of a bounds-checked range or is bounded by a count checked against the
 * remaining bytes, so corrupt data cannot cause a hang.
 */

import { ElfError, ElfFile } from './elf-reader';

export class DwarfError extends ElfError {
  constructor(message: string) {
    super(message);
    this.name = 'DwarfError';
  }
}

export interface LineTableRow {
  address: bigint;
  /** Full path: directory joined with the file name (relative only if the producer recorded no absolute directory). */
  file: string;
  /** 0 means "no source line" (compiler-generated code). */
  line: number;
  /** 0 means "no column information". */
  column: number;
  isStmt: boolean;
  /** The row only marks the first address past the sequence. */
  endSequence: boolean;
}

export interface LineTableSequence {
  startAddress: bigint;
  /** First address past the sequence. */
  endAddress: bigint;
  /** Rows of the sequence, the end_sequence row last. */
  rows: LineTableRow[];
}

export class LineTable {
  /** Every row in decoding order, end_sequence rows included. */
  readonly rows: readonly LineTableRow[];

  constructor(readonly sequences: readonly LineTableSequence[]) {
    this.rows = sequences.flatMap((s) => s.rows);
  }

  /**
   * The row whose address range covers addr: the last row at or below addr
   * in the sequence containing addr (so of several rows at one address the
   * last wins, as in gdb). undefined when no sequence covers addr.
   */
  addressToLine(addr: bigint): LineTableRow | undefined {
    for (const seq of this.sequences) {
      if (addr < seq.startAddress || addr >= seq.endAddress) continue;
      const rows = seq.rows;
      let lo = 0;
      let hi = rows.length - 2; // the end_sequence row covers nothing
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (rows[mid].address <= addr) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      if (found >= 0) return rows[found];
    }
    return undefined;
  }

  /**
   * Addresses where execution enters `line` of `file` — the first row of each
   * run of consecutive rows for that line — preferring is_stmt rows, which is
   * where a breakpoint belongs. `file` matches a row's path exactly or as a
   * path suffix ("a.s" and "src/a.s" both match "/home/u/src/a.s").
   * Sorted ascending, without duplicates.
   */
  lineToAddresses(file: string, line: number): bigint[] {
    const stmt = new Set<bigint>();
    const any = new Set<bigint>();
    for (const seq of this.sequences) {
      let prev: LineTableRow | undefined;
      for (const row of seq.rows) {
        if (row.endSequence) break;
        const entering = !prev || prev.line !== row.line || prev.file !== row.file;
        if (row.line === line && entering && pathMatches(row.file, file)) {
          any.add(row.address);
          if (row.isStmt) stmt.add(row.address);
        }
        prev = row;
      }
    }
    const chosen = stmt.size > 0 ? stmt : any;
    return [...chosen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Distinct file paths that have at least one row. */
  files(): string[] {
    return [...new Set(this.rows.filter((r) => !r.endSequence).map((r) => r.file))];
  }
}

function normalizePath(p: string): string {
  return p.replace(/\\/g, '/');
}

function pathMatches(rowFile: string, query: string): boolean {
  const a = normalizePath(rowFile);
  const b = normalizePath(query);
  if (a === b) return true;
  const [longer, shorter] = a.length >= b.length ? [a, b] : [b, a];
  return longer.endsWith('/' + shorter.replace(/^\.\//, ''));
}

export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\\\') || /^[A-Za-z]:[\\/]/.test(p);
}

export function joinPath(dir: string, name: string): string {
  if (dir === '' || isAbsolutePath(name)) return name;
  if (dir.endsWith('/') || dir.endsWith('\\')) return dir + name;
  return `${dir}/${name}`;
}

type Fail = (msg: string) => never;

const decoder = new TextDecoder('utf-8');

/** Bounds-checked little-endian reader over [pos, end) of a section. */
class Cursor {
  constructor(
    private readonly data: Uint8Array,
    public pos: number,
    public end: number,
    private readonly fail: Fail,
    private readonly region: string,
  ) {}

  private need(n: number, what: string): number {
    if (n > this.end - this.pos) this.fail(`${what} at offset ${hex(this.pos)} runs past the end of the ${this.region} (ends at ${hex(this.end)})`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  u8(what: string): number {
    return this.data[this.need(1, what)];
  }

  i8(what: string): number {
    const v = this.u8(what);
    return v >= 0x80 ? v - 0x100 : v;
  }

  /** Unsigned little-endian integer of n bytes (n <= 8). */
  uint(n: number, what: string): bigint {
    const at = this.need(n, what);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.data[at + i]);
    return v;
  }

  u16(what: string): number {
    return Number(this.uint(2, what));
  }

  u32(what: string): number {
    return Number(this.uint(4, what));
  }

  skip(n: number | bigint, what: string): void {
    if (n > this.end - this.pos) this.fail(`${what} (${n} bytes) at offset ${hex(this.pos)} runs past the end of the ${this.region}`);
    this.pos += Number(n);
  }

  uleb(what: string): bigint {
    const start = this.pos;
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.u8(what);
      if (shift < 64n) result |= BigInt(b & 0x7f) << shift;
      else if ((b & 0x7f) !== 0) this.fail(`${what} at offset ${hex(start)} is a LEB128 value wider than 64 bits`);
      shift += 7n;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
    }
  }

  sleb(what: string): bigint {
    const start = this.pos;
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.u8(what);
      if (shift < 64n) result |= BigInt(b & 0x7f) << shift;
      else if ((b & 0x7f) !== 0 && (b & 0x7f) !== 0x7f) this.fail(`${what} at offset ${hex(start)} is a LEB128 value wider than 64 bits`);
      shift += 7n;
      if ((b & 0x80) === 0) {
        if (shift < 64n && (b & 0x40) !== 0) result -= 1n << shift;
        return BigInt.asIntN(64, result);
      }
    }
  }

  /** ULEB128 that must fit a JS number safely (counts, indexes). */
  ulebNum(what: string): number {
    const v = this.uleb(what);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} ${v} is too large`);
    return Number(v);
  }

  cstr(what: string): string {
    const start = this.pos;
    const nul = this.data.subarray(start, this.end).indexOf(0);
    if (nul < 0) this.fail(`${what} at offset ${hex(start)} is not NUL-terminated within the ${this.region}`);
    this.pos = start + nul + 1;
    return decoder.decode(this.data.subarray(start, start + nul));
  }
}

function hex(n: number | bigint): string {
  return '0x' + n.toString(16);
}

function stringAt(section: Uint8Array | undefined, name: string, offset: bigint, fail: Fail, what: string): string {
  if (!section) fail(`${what} refers to ${name}, but the file has no ${name} section`);
  if (offset >= BigInt(section.length)) fail(`${what}: offset ${hex(offset)} is outside ${name} (size ${hex(section.length)})`);
  const start = Number(offset);
  const nul = section.indexOf(0, start);
  if (nul < 0) fail(`${what}: string at ${name}+${hex(start)} is not NUL-terminated`);
  return decoder.decode(section.subarray(start, nul));
}

// DWARF constants used here.
const DW_LNS_copy = 1;
const DW_LNS_advance_pc = 2;
const DW_LNS_advance_line = 3;
const DW_LNS_set_file = 4;
const DW_LNS_set_column = 5;
const DW_LNS_negate_stmt = 6;
const DW_LNS_set_basic_block = 7;
const DW_LNS_const_add_pc = 8;
const DW_LNS_fixed_advance_pc = 9;
const DW_LNS_set_prologue_end = 10;
const DW_LNS_set_epilogue_begin = 11;
const DW_LNS_set_isa = 12;
const DW_LNE_end_sequence = 1;
const DW_LNE_set_address = 2;
const DW_LNE_define_file = 3;
const DW_LNE_set_discriminator = 4;

const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;

const DW_FORM_addr = 0x01;
const DW_FORM_block2 = 0x03;
const DW_FORM_block4 = 0x04;
const DW_FORM_data2 = 0x05;
const DW_FORM_data4 = 0x06;
const DW_FORM_data8 = 0x07;
const DW_FORM_string = 0x08;
const DW_FORM_block = 0x09;
const DW_FORM_block1 = 0x0a;
const DW_FORM_data1 = 0x0b;
const DW_FORM_flag = 0x0c;
const DW_FORM_sdata = 0x0d;
const DW_FORM_strp = 0x0e;
const DW_FORM_udata = 0x0f;
const DW_FORM_ref_addr = 0x10;
const DW_FORM_ref1 = 0x11;
const DW_FORM_ref2 = 0x12;
const DW_FORM_ref4 = 0x13;
const DW_FORM_ref8 = 0x14;
const DW_FORM_ref_udata = 0x15;
const DW_FORM_indirect = 0x16;
const DW_FORM_sec_offset = 0x17;
const DW_FORM_exprloc = 0x18;
const DW_FORM_flag_present = 0x19;
const DW_FORM_strx = 0x1a;
const DW_FORM_ref_sup4 = 0x1c;
const DW_FORM_strp_sup = 0x1d;
const DW_FORM_data16 = 0x1e;
const DW_FORM_line_strp = 0x1f;
const DW_FORM_ref_sig8 = 0x20;
const DW_FORM_implicit_const = 0x21;
const DW_FORM_loclistx = 0x22;
const DW_FORM_rnglistx = 0x23;
const DW_FORM_ref_sup8 = 0x24;
const DW_FORM_strx1 = 0x25;
const DW_FORM_strx2 = 0x26;
const DW_FORM_strx3 = 0x27;
const DW_FORM_strx4 = 0x28;
const DW_FORM_addrx = 0x1b;
const DW_FORM_addrx1 = 0x29;
const DW_FORM_addrx2 = 0x2a;
const DW_FORM_addrx3 = 0x2b;
const DW_FORM_addrx4 = 0x2c;
const DW_FORM_GNU_ref_alt = 0x1f20;
const DW_FORM_GNU_strp_alt = 0x1f21;

const DW_AT_stmt_list = 0x10;
const DW_AT_comp_dir = 0x1b;

interface StringSections {
  str: Uint8Array | undefined;
  lineStr: Uint8Array | undefined;
}

type FormValue = { kind: 'string'; value: string } | { kind: 'uint'; value: bigint } | { kind: 'other' };

/**
 * Reads one attribute value of the forms that may appear in a v5 line table
 * header; forms that need other sections' context (strx) are rejected.
 */
function readLineHeaderForm(c: Cursor, form: number, offsetSize: number, strs: StringSections, fail: Fail, what: string): FormValue {
  switch (form) {
    case DW_FORM_string:
      return { kind: 'string', value: c.cstr(what) };
    case DW_FORM_line_strp:
      return { kind: 'string', value: stringAt(strs.lineStr, '.debug_line_str', c.uint(offsetSize, what), fail, what) };
    case DW_FORM_strp:
      return { kind: 'string', value: stringAt(strs.str, '.debug_str', c.uint(offsetSize, what), fail, what) };
    case DW_FORM_udata:
      return { kind: 'uint', value: c.uleb(what) };
    case DW_FORM_sdata:
      return { kind: 'uint', value: BigInt.asUintN(64, c.sleb(what)) };
    case DW_FORM_data1:
      return { kind: 'uint', value: c.uint(1, what) };
    case DW_FORM_data2:
      return { kind: 'uint', value: c.uint(2, what) };
    case DW_FORM_data4:
      return { kind: 'uint', value: c.uint(4, what) };
    case DW_FORM_data8:
      return { kind: 'uint', value: c.uint(8, what) };
    case DW_FORM_data16:
      c.skip(16, what);
      return { kind: 'other' };
    case DW_FORM_block:
      c.skip(c.uleb(what), what);
      return { kind: 'other' };
    case DW_FORM_block1:
      c.skip(c.u8(what), what);
      return { kind: 'other' };
    default:
      return fail(`${what} uses unsupported form ${hex(form)}`);
  }
}

interface FileEntry {
  name: string;
  dir: number;
}

interface UnitContext {
  fileName: string;
  strs: StringSections;
  compDirFor: (stmtList: number) => string;
}

function decodeUnit(section: Uint8Array, unitOffset: number, ctx: UnitContext, sequences: LineTableSequence[]): number {
  const where = `.debug_line unit at offset ${hex(unitOffset)}`;
  const fail: Fail = (msg) => {
    throw new DwarfError(`${ctx.fileName}: ${where}: ${msg}`);
  };
  const top = new Cursor(section, unitOffset, section.length, fail, '.debug_line section');

  let offsetSize = 4;
  let unitLength = BigInt(top.u32('unit_length'));
  if (unitLength === 0xffffffffn) {
    offsetSize = 8;
    unitLength = top.uint(8, 'unit_length (64-bit DWARF)');
  } else if (unitLength >= 0xfffffff0n) {
    fail(`reserved unit_length value ${hex(unitLength)}`);
  }
  if (unitLength > BigInt(top.remaining)) fail(`unit length ${hex(unitLength)} extends past the end of .debug_line (size ${hex(section.length)})`);
  const unitEnd = top.pos + Number(unitLength);
  const c = new Cursor(section, top.pos, unitEnd, fail, 'line table unit');

  const version = c.u16('version');
  if (version < 2 || version > 5) fail(`unsupported DWARF line table version ${version} (supported: 2 to 5)`);
  let addressSize = 0; // unknown before v5: taken from DW_LNE_set_address
  if (version >= 5) {
    addressSize = c.u8('address_size');
    if (addressSize !== 4 && addressSize !== 8) fail(`unsupported address size ${addressSize}`);
    const segSel = c.u8('segment_selector_size');
    if (segSel !== 0) fail(`segment selectors (size ${segSel}) are not supported`);
  }
  const headerLength = c.uint(offsetSize, 'header_length');
  if (headerLength > BigInt(c.remaining)) fail(`header_length ${hex(headerLength)} extends past the end of the unit`);
  const programStart = c.pos + Number(headerLength);
  const h = new Cursor(section, c.pos, programStart, fail, 'line table header');

  const minInstLength = h.u8('minimum_instruction_length');
  const maxOps = version >= 4 ? h.u8('maximum_operations_per_instruction') : 1;
  if (maxOps === 0) fail('maximum_operations_per_instruction is 0');
  const defaultIsStmt = h.u8('default_is_stmt') !== 0;
  const lineBase = h.i8('line_base');
  const lineRange = h.u8('line_range');
  if (lineRange === 0) fail('line_range is 0');
  const opcodeBase = h.u8('opcode_base');
  if (opcodeBase === 0) fail('opcode_base is 0');
  const stdLengths: number[] = [0];
  for (let i = 1; i < opcodeBase; i++) stdLengths.push(h.u8('standard_opcode_lengths'));

  let dirs: string[];
  const files: FileEntry[] = [];
  if (version >= 5) {
    const readEntries = (kind: 'directory' | 'file'): { path?: string; dir: number }[] => {
      const formatCount = h.u8(`${kind}_entry_format_count`);
      const formats: { type: number; form: number }[] = [];
      for (let i = 0; i < formatCount; i++) {
        formats.push({ type: h.ulebNum(`${kind} entry format content type`), form: h.ulebNum(`${kind} entry format form`) });
      }
      const count = h.ulebNum(`${kind}s_count`);
      // Each entry of a non-empty format takes at least one byte, which bounds the loop.
      if (count > 0 && formats.length === 0) fail(`${count} ${kind} entries but no ${kind} entry format`);
      if (count > h.remaining) fail(`${kind} count ${count} exceeds the remaining header size`);
      const out: { path?: string; dir: number }[] = [];
      for (let i = 0; i < count; i++) {
        const entry: { path?: string; dir: number } = { dir: 0 };
        for (const f of formats) {
          const what = `${kind} entry ${i}`;
          const v = readLineHeaderForm(h, f.form, offsetSize, ctx.strs, fail, what);
          if (f.type === DW_LNCT_path) {
            if (v.kind !== 'string') fail(`${what}: DW_LNCT_path has non-string form ${hex(f.form)}`);
            entry.path = v.value;
          } else if (f.type === DW_LNCT_directory_index) {
            if (v.kind !== 'uint') fail(`${what}: DW_LNCT_directory_index has non-integer form ${hex(f.form)}`);
            if (v.value > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${what}: directory index ${v.value} is too large`);
            entry.dir = Number(v.value);
          }
          // DW_LNCT_timestamp, _size, _MD5 and vendor content are not needed.
        }
        out.push(entry);
      }
      return out;
    };
    dirs = readEntries('directory').map((d) => d.path ?? '');
    for (const f of readEntries('file')) files.push({ name: f.path ?? '', dir: f.dir });
  } else {
    // Directory 0 is implicitly the compilation directory from .debug_info.
    dirs = [ctx.compDirFor(unitOffset)];
    for (;;) {
      const d = h.cstr('include_directories entry');
      if (d === '') break;
      dirs.push(d);
    }
    files.push({ name: '', dir: 0 }); // pre-v5 file numbers start at 1
    for (;;) {
      const name = h.cstr('file_names entry');
      if (name === '') break;
      const dir = h.ulebNum('file directory index');
      h.uleb('file modification time');
      h.uleb('file length');
      files.push({ name, dir });
    }
  }

  const resolved = new Map<number, string>();
  const filePath = (index: number): string => {
    const cached = resolved.get(index);
    if (cached !== undefined) return cached;
    const isValid = version >= 5 ? index < files.length : index >= 1 && index < files.length;
    if (!isValid) fail(`line program refers to file ${index}, but the file table has ${version >= 5 ? files.length : files.length - 1} entries`);
    const f = files[index];
    if (f.dir >= dirs.length) fail(`file ${index} (${f.name}) refers to directory ${f.dir}, but there are only ${dirs.length} directories`);
    // Relative directories are relative to directory 0, the compilation directory.
    const dir = f.dir === 0 ? dirs[0] : joinPath(dirs[0], dirs[f.dir]);
    const path = joinPath(dir, f.name);
    resolved.set(index, path);
    return path;
  };

  // --- line number program
  const p = new Cursor(section, programStart, unitEnd, fail, 'line number program');
  let address = 0n;
  let opIndex = 0n;
  let file = 1;
  let line = 1;
  let column = 0;
  let isStmt = defaultIsStmt;
  let rows: LineTableRow[] = [];
  const addrMask = (v: bigint): bigint => BigInt.asUintN(addressSize === 4 ? 32 : 64, v);
  const bigMin = BigInt(minInstLength);
  const bigMaxOps = BigInt(maxOps);

  const reset = (): void => {
    address = 0n;
    opIndex = 0n;
    file = 1;
    line = 1;
    column = 0;
    isStmt = defaultIsStmt;
  };
  const emit = (endSequence: boolean): void => {
    rows.push({ address, file: filePath(file), line, column, isStmt, endSequence });
  };
  const advance = (operationAdvance: bigint): void => {
    if (maxOps === 1) {
      address = addrMask(address + bigMin * operationAdvance);
    } else {
      address = addrMask(address + bigMin * ((opIndex + operationAdvance) / bigMaxOps));
      opIndex = (opIndex + operationAdvance) % bigMaxOps;
    }
  };

  while (p.remaining > 0) {
    const opcode = p.u8('opcode');
    if (opcode >= opcodeBase) {
      const adjusted = opcode - opcodeBase;
      advance(BigInt(Math.floor(adjusted / lineRange)));
      line += lineBase + (adjusted % lineRange);
      emit(false);
    } else if (opcode === 0) {
      const len = p.uleb('extended opcode length');
      if (len === 0n) fail(`extended opcode at offset ${hex(p.pos)} has length 0`);
      if (len > BigInt(p.remaining)) fail(`extended opcode length ${len} at offset ${hex(p.pos)} runs past the end of the unit`);
      const next = p.pos + Number(len);
      const sub = p.u8('extended opcode');
      switch (sub) {
        case DW_LNE_end_sequence:
          emit(true);
          sequences.push({ startAddress: rows[0].address, endAddress: address, rows });
          rows = [];
          reset();
          break;
        case DW_LNE_set_address: {
          const size = next - p.pos;
          if (size !== 4 && size !== 8) fail(`DW_LNE_set_address with ${size}-byte operand`);
          if (addressSize === 0) addressSize = size;
          address = p.uint(size, 'DW_LNE_set_address operand');
          opIndex = 0n;
          break;
        }
        case DW_LNE_define_file: {
          const name = p.cstr('DW_LNE_define_file name');
          const dir = p.ulebNum('DW_LNE_define_file directory');
          p.uleb('DW_LNE_define_file time');
          p.uleb('DW_LNE_define_file length');
          files.push({ name, dir });
          break;
        }
        case DW_LNE_set_discriminator:
          p.uleb('DW_LNE_set_discriminator operand');
          break;
        default:
          break; // unknown or vendor extended opcodes are skipped by length
      }
      if (p.pos > next) fail(`extended opcode ${sub} operands overrun its declared length ${len}`);
      p.pos = next;
    } else {
      switch (opcode) {
        case DW_LNS_copy:
          emit(false);
          break;
        case DW_LNS_advance_pc:
          advance(p.uleb('DW_LNS_advance_pc operand'));
          break;
        case DW_LNS_advance_line:
          line += Number(p.sleb('DW_LNS_advance_line operand'));
          break;
        case DW_LNS_set_file:
          file = p.ulebNum('DW_LNS_set_file operand');
          break;
        case DW_LNS_set_column:
          column = p.ulebNum('DW_LNS_set_column operand');
          break;
        case DW_LNS_negate_stmt:
          isStmt = !isStmt;
          break;
        case DW_LNS_set_basic_block:
        case DW_LNS_set_prologue_end:
        case DW_LNS_set_epilogue_begin:
          break;
        case DW_LNS_const_add_pc:
          advance(BigInt(Math.floor((255 - opcodeBase) / lineRange)));
          break;
        case DW_LNS_fixed_advance_pc:
          address = addrMask(address + BigInt(p.u16('DW_LNS_fixed_advance_pc operand')));
          opIndex = 0n;
          break;
        case DW_LNS_set_isa:
          p.uleb('DW_LNS_set_isa operand');
          break;
        default:
          // Unknown standard opcode: skip the operand count the header declares.
          for (let i = 0; i < stdLengths[opcode]; i++) p.uleb(`operand of standard opcode ${opcode}`);
      }
    }
  }
  if (rows.length > 0) fail('line number program ends without DW_LNE_end_sequence');
  return unitEnd;
}

/**
 * Maps .debug_line offsets to DW_AT_comp_dir of the compile units that
 * reference them. Only needed for pre-v5 line tables, where directory 0 is
 * implicit. Best effort: anything unexpected just yields no directory, since
 * the line table itself is still usable with relative paths.
 */
function readCompDirs(elf: ElfFile, strs: StringSections): Map<number, string> {
  const result = new Map<number, string>();
  const info = elf.sectionData('.debug_info');
  const abbrev = elf.sectionData('.debug_abbrev');
  if (!info || !abbrev) return result;
  const bail: Fail = (msg) => {
    throw new DwarfError(msg);
  };
  try {
    let off = 0;
    while (off < info.length) {
      const top = new Cursor(info, off, info.length, bail, '.debug_info');
      let offsetSize = 4;
      let unitLength = BigInt(top.u32('unit_length'));
      if (unitLength === 0xffffffffn) {
        offsetSize = 8;
        unitLength = top.uint(8, 'unit_length');
      }
      if (unitLength > BigInt(top.remaining)) break;
      const unitEnd = top.pos + Number(unitLength);
      const c = new Cursor(info, top.pos, unitEnd, bail, 'compile unit');
      off = unitEnd;
      const version = c.u16('version');
      let addressSize: number;
      let abbrevOffset: bigint;
      if (version >= 5) {
        const unitType = c.u8('unit_type');
        addressSize = c.u8('address_size');
        abbrevOffset = c.uint(offsetSize, 'abbrev offset');
        if (unitType === 4 || unitType === 5) c.skip(8, 'dwo_id');
        else if (unitType === 2 || unitType === 6) c.skip(8 + offsetSize, 'type signature');
      } else {
        abbrevOffset = c.uint(offsetSize, 'abbrev offset');
        addressSize = c.u8('address_size');
      }
      if (abbrevOffset >= BigInt(abbrev.length)) continue;
      const code = c.uleb('abbrev code');
      const attrs = findAbbrev(new Cursor(abbrev, Number(abbrevOffset), abbrev.length, bail, '.debug_abbrev'), code);
      if (!attrs) continue;
      let stmtList: bigint | undefined;
      let compDir: string | undefined;
      for (const a of attrs) {
        const v = readInfoForm(c, a.form, a.implicit, version, offsetSize, addressSize, strs, bail, 0);
        if (a.name === DW_AT_stmt_list && v.kind === 'uint') stmtList = v.value;
        if (a.name === DW_AT_comp_dir && v.kind === 'string') compDir = v.value;
      }
      if (stmtList !== undefined && compDir !== undefined && stmtList <= BigInt(Number.MAX_SAFE_INTEGER)) result.set(Number(stmtList), compDir);
    }
  } catch (e) {
    if (!(e instanceof DwarfError)) throw e;
  }
  return result;
}

interface AbbrevAttr {
  name: number;
  form: number;
  implicit: bigint;
}

function findAbbrev(c: Cursor, code: bigint): AbbrevAttr[] | undefined {
  for (;;) {
    const entryCode = c.uleb('abbrev code');
    if (entryCode === 0n) return undefined;
    c.uleb('abbrev tag');
    c.u8('abbrev children flag');
    const attrs: AbbrevAttr[] = [];
    for (;;) {
      const name = c.ulebNum('attribute name');
      const form = c.ulebNum('attribute form');
      if (name === 0 && form === 0) break;
      const implicit = form === DW_FORM_implicit_const ? c.sleb('implicit_const') : 0n;
      attrs.push({ name, form, implicit });
    }
    if (entryCode === code) return attrs;
  }
}

function readInfoForm(c: Cursor, form: number, implicit: bigint, version: number, offsetSize: number, addressSize: number, strs: StringSections, fail: Fail, depth: number): FormValue {
  const w = 'attribute';
  const uint = (n: number): FormValue => ({ kind: 'uint', value: c.uint(n, w) });
  switch (form) {
    case DW_FORM_addr:
      return uint(addressSize);
    case DW_FORM_data1:
    case DW_FORM_ref1:
    case DW_FORM_flag:
    case DW_FORM_strx1:
    case DW_FORM_addrx1:
      return uint(1);
    case DW_FORM_data2:
    case DW_FORM_ref2:
    case DW_FORM_strx2:
    case DW_FORM_addrx2:
      return uint(2);
    case DW_FORM_strx3:
    case DW_FORM_addrx3:
      return uint(3);
    case DW_FORM_data4:
    case DW_FORM_ref4:
    case DW_FORM_strx4:
    case DW_FORM_addrx4:
    case DW_FORM_ref_sup4:
      return uint(4);
    case DW_FORM_data8:
    case DW_FORM_ref8:
    case DW_FORM_ref_sig8:
    case DW_FORM_ref_sup8:
      return uint(8);
    case DW_FORM_data16:
      c.skip(16, w);
      return { kind: 'other' };
    case DW_FORM_sec_offset:
    case DW_FORM_strp_sup:
    case DW_FORM_GNU_ref_alt:
    case DW_FORM_GNU_strp_alt:
      return uint(offsetSize);
    case DW_FORM_ref_addr:
      return uint(version <= 2 ? addressSize : offsetSize);
    case DW_FORM_strp:
      return { kind: 'string', value: stringAt(strs.str, '.debug_str', c.uint(offsetSize, w), fail, w) };
    case DW_FORM_line_strp:
      return { kind: 'string', value: stringAt(strs.lineStr, '.debug_line_str', c.uint(offsetSize, w), fail, w) };
    case DW_FORM_string:
      return { kind: 'string', value: c.cstr(w) };
    case DW_FORM_udata:
    case DW_FORM_ref_udata:
    case DW_FORM_strx:
    case DW_FORM_addrx:
    case DW_FORM_loclistx:
    case DW_FORM_rnglistx:
      return { kind: 'uint', value: c.uleb(w) };
    case DW_FORM_sdata:
      return { kind: 'uint', value: BigInt.asUintN(64, c.sleb(w)) };
    case DW_FORM_flag_present:
      return { kind: 'other' };
    case DW_FORM_implicit_const:
      return { kind: 'uint', value: BigInt.asUintN(64, implicit) };
    case DW_FORM_block1:
      c.skip(c.u8(w), w);
      return { kind: 'other' };
    case DW_FORM_block2:
      c.skip(c.u16(w), w);
      return { kind: 'other' };
    case DW_FORM_block4:
      c.skip(c.u32(w), w);
      return { kind: 'other' };
    case DW_FORM_block:
    case DW_FORM_exprloc:
      c.skip(c.uleb(w), w);
      return { kind: 'other' };
    case DW_FORM_indirect:
      if (depth > 4) fail('nested DW_FORM_indirect');
      return readInfoForm(c, c.ulebNum(w), implicit, version, offsetSize, addressSize, strs, fail, depth + 1);
    default:
      return fail(`unknown form ${hex(form)}`);
  }
}

/**
 * Decodes every line-number program in .debug_line. A file without
 * .debug_line yields an empty table.
 */
export function readDebugLine(elf: ElfFile): LineTable {
  const section = elf.sectionData('.debug_line');
  if (!section || section.length === 0) return new LineTable([]);
  const strs: StringSections = { str: elf.sectionData('.debug_str'), lineStr: elf.sectionData('.debug_line_str') };
  let compDirs: Map<number, string> | undefined;
  const ctx: UnitContext = {
    fileName: elf.fileName,
    strs,
    compDirFor: (stmtList) => {
      compDirs ??= readCompDirs(elf, strs);
      return compDirs.get(stmtList) ?? '';
    },
  };
  const sequences: LineTableSequence[] = [];
  try {
    let off = 0;
    while (off < section.length) off = decodeUnit(section, off, ctx, sequences);
  } catch (e) {
    if (e instanceof ElfError) throw e;
    throw new DwarfError(`${elf.fileName}: internal error while decoding .debug_line: ${e instanceof Error ? e.message : String(e)}`);
  }
  return new LineTable(sequences);
}
