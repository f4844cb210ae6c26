/**
 * ELF64 (RISC-V, little-endian) executable writer with optional DWARF 5
 * line-number information.
 *
 * Layout of the produced file:
 *   ELF header | program headers | alloc sections (address order, each at a
 *   file offset congruent to its address modulo the page size) | non-alloc
 *   sections (user, .debug_*, .symtab, .strtab, .shstrtab) | section headers
 */

export interface ElfSectionInput {
  name: string;
  kind: 'progbits' | 'nobits';
  alloc: boolean;
  write: boolean;
  exec: boolean;
  addr: bigint;
  align: number;
  data: Uint8Array;
  /** Memory size of a nobits section (data is ignored for nobits). */
  size?: bigint;
}

export interface ElfSymbolInput {
  name: string;
  value: bigint;
  size: bigint;
  type: 'notype' | 'func' | 'object' | 'section' | 'file';
  bind: 'local' | 'global' | 'weak';
  /** A section name from ElfImageInput.sections, or 'abs' / 'undef'. */
  section: string | 'abs' | 'undef';
}

export interface LineRow {
  address: bigint;
  /** Path as given by the user: relative paths are relative to compDir. */
  file: string;
  line: number;
  /** 0 means "no column information". */
  column: number;
}

/** Rows sorted by address; one sequence per contiguous code range. */
export interface LineSequence {
  rows: LineRow[];
  endAddress: bigint;
}

export interface ElfImageInput {
  entry: bigint;
  sections: ElfSectionInput[];
  symbols: ElfSymbolInput[];
  lineSequences?: LineSequence[];
  /** Directory relative source paths are resolved against; defaults to process.cwd(), like GNU as. */
  compDir?: string;
  /** e_flags; defaults to EF_RISCV_RVC (1). */
  flags?: number;
}

export const EM_RISCV = 243;
export const EF_RISCV_RVC = 1;
/** GNU tools insist on p_offset ≡ p_vaddr (mod page size) for PT_LOAD. */
export const ELF_PAGE_SIZE = 0x1000n;

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;

const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;
const SHF_WRITE = 1n;
const SHF_ALLOC = 2n;
const SHF_EXECINSTR = 4n;
const SHF_MERGE = 0x10n;
const SHF_STRINGS = 0x20n;
const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;
const SHN_UNDEF = 0;
const SHN_ABS = 0xfff1;

const SYMBOL_TYPES: Record<ElfSymbolInput['type'], number> = { notype: 0, object: 1, func: 2, section: 3, file: 4 };
const SYMBOL_BINDS: Record<ElfSymbolInput['bind'], number> = { local: 0, global: 1, weak: 2 };

/** Growable little-endian byte sink. */
export class ByteSink {
  private buf = new Uint8Array(256);
  private len = 0;

  get length(): number {
    return this.len;
  }

  private reserve(n: number): number {
    const at = this.len;
    if (at + n > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < at + n) cap *= 2;
      const bigger = new Uint8Array(cap);
      bigger.set(this.buf.subarray(0, at));
      this.buf = bigger;
    }
    this.len += n;
    return at;
  }

  u8(v: number): this {
    const at = this.reserve(1); // before touching buf: reserve may replace it
    this.buf[at] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    const at = this.reserve(2);
    this.buf[at] = v & 0xff;
    this.buf[at + 1] = (v >>> 8) & 0xff;
    return this;
  }

  u32(v: number): this {
    const at = this.reserve(4);
    for (let i = 0; i < 4; i++) this.buf[at + i] = (v >>> (8 * i)) & 0xff;
    return this;
  }

  u64(v: bigint): this {
    const at = this.reserve(8);
    let x = BigInt.asUintN(64, v);
    for (let i = 0; i < 8; i++) {
      this.buf[at + i] = Number(x & 0xffn);
      x >>= 8n;
    }
    return this;
  }

  uleb(value: bigint | number): this {
    let v = BigInt(value);
    if (v < 0n) throw new RangeError(`ULEB128 of negative value ${v}`);
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.u8(byte);
    } while (v !== 0n);
    return this;
  }

  sleb(value: bigint | number): this {
    let v = BigInt(value);
    for (;;) {
      const byte = Number(v & 0x7fn);
      v >>= 7n; // arithmetic shift on bigint keeps the sign
      const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
      this.u8(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }

  bytes(b: Uint8Array): this {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
    return this;
  }

  cstr(s: string): this {
    return this.bytes(utf8(s)).u8(0);
  }

  zeros(n: number): this {
    this.reserve(n); // fresh capacity is already zero-filled
    return this;
  }

  padTo(offset: number): this {
    if (offset < this.len) throw new RangeError(`cannot pad backwards to ${offset} from ${this.len}`);
    return this.zeros(offset - this.len);
  }

  patchU32(at: number, v: number): void {
    for (let i = 0; i < 4; i++) this.buf[at + i] = (v >>> (8 * i)) & 0xff;
  }

  toBytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

const encoder = new TextEncoder();
function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** NUL-terminated string table with de-duplication (offset 0 is the empty string). */
class StringTable {
  private readonly offsets = new Map<string, number>();
  readonly sink = new ByteSink();

  constructor(leadingNul = true) {
    if (leadingNul) {
      this.sink.u8(0);
      this.offsets.set('', 0);
    }
  }

  add(s: string): number {
    const known = this.offsets.get(s);
    if (known !== undefined) return known;
    const at = this.sink.length;
    this.sink.cstr(s);
    this.offsets.set(s, at);
    return at;
  }
}

// ---------------------------------------------------------------------------
// DWARF 5 .debug_line / .debug_info generation

const DW_LNS_advance_pc = 2;
const DW_LNS_advance_line = 3;
const DW_LNS_set_file = 4;
const DW_LNS_set_column = 5;
const DW_LNS_const_add_pc = 8;
const DW_LNE_end_sequence = 1;
const DW_LNE_set_address = 2;
const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;
const DW_FORM_addr = 0x01;
const DW_FORM_data2 = 0x05;
const DW_FORM_data8 = 0x07;
const DW_FORM_string = 0x08;
const DW_FORM_udata = 0x0f;
const DW_FORM_sec_offset = 0x17;
const DW_FORM_line_strp = 0x1f;
const DW_TAG_compile_unit = 0x11;
const DW_AT_name = 0x03;
const DW_AT_stmt_list = 0x10;
const DW_AT_low_pc = 0x11;
const DW_AT_high_pc = 0x12;
const DW_AT_language = 0x13;
const DW_AT_comp_dir = 0x1b;
const DW_AT_producer = 0x25;
const DW_AT_ranges = 0x55;
const DW_LANG_Mips_Assembler = 0x8001; // what GNU as uses for assembly sources
const DW_UT_compile = 1;
const DW_RLE_end_of_list = 0;
const DW_RLE_start_length = 7;

// Same parameters as GNU as, so special opcodes cover the common small steps.
const LINE_BASE = -5;
const LINE_RANGE = 14;
const OPCODE_BASE = 13;
const STANDARD_OPCODE_LENGTHS = [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];
const CONST_ADD_PC_STEP = BigInt(Math.floor((255 - OPCODE_BASE) / LINE_RANGE));

export const PRODUCER = 'riscv-xpc assembler';

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\\\') || /^[A-Za-z]:[\\/]/.test(p);
}

function splitPath(p: string): { dir: string; base: string } {
  const cut = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  if (cut < 0) return { dir: '', base: p };
  // Keep the root separator so "/x.s" yields dir "/" rather than "".
  const dir = cut === 0 ? p.slice(0, 1) : p.slice(0, cut);
  return { dir, base: p.slice(cut + 1) };
}

interface DebugSections {
  info: Uint8Array;
  abbrev: Uint8Array;
  line: Uint8Array;
  lineStr: Uint8Array;
  rnglists?: Uint8Array;
}

function validateSequences(sequences: LineSequence[]): LineSequence[] {
  const out: LineSequence[] = [];
  sequences.forEach((seq, si) => {
    if (seq.rows.length === 0) return;
    // A stable sort keeps same-address rows in the caller's order.
    const rows = seq.rows.map((r, i) => ({ r, i })).sort((a, b) => (a.r.address < b.r.address ? -1 : a.r.address > b.r.address ? 1 : a.i - b.i)).map((x) => x.r);
    for (const r of rows) {
      if (!Number.isInteger(r.line) || r.line < 0) throw new RangeError(`line sequence ${si}: invalid line number ${r.line} for ${r.file}`);
      if (!Number.isInteger(r.column) || r.column < 0) throw new RangeError(`line sequence ${si}: invalid column ${r.column} for ${r.file}:${r.line}`);
      if (r.address < 0n || r.address >= 1n << 64n) throw new RangeError(`line sequence ${si}: address ${r.address} does not fit in 64 bits`);
      if (r.file === '') throw new RangeError(`line sequence ${si}: empty file name at address 0x${r.address.toString(16)}`);
    }
    const last = rows[rows.length - 1].address;
    if (seq.endAddress < last) {
      throw new RangeError(`line sequence ${si}: endAddress 0x${seq.endAddress.toString(16)} is below the last row address 0x${last.toString(16)}`);
    }
    out.push({ rows, endAddress: seq.endAddress });
  });
  return out;
}

function buildDebugSections(rawSequences: LineSequence[], compDir: string): DebugSections | undefined {
  const sequences = validateSequences(rawSequences);
  if (sequences.length === 0) return undefined;

  const lineStr = new StringTable(false);
  const dirs: string[] = [compDir];
  const dirIndex = new Map<string, number>([[compDir, 0]]);
  const files: { path: string; base: string; dir: number }[] = [];
  const fileIndex = new Map<string, number>(); // user path -> DWARF file number

  const addFile = (path: string): void => {
    if (fileIndex.has(path)) return;
    let { dir, base } = splitPath(path);
    if (dir === '' && !isAbsolutePath(path)) dir = compDir;
    let di = dirIndex.get(dir);
    if (di === undefined) {
      di = dirs.length;
      dirs.push(dir);
      dirIndex.set(dir, di);
    }
    // v5 file 0 is the primary source; the program uses 1.. like GNU as does.
    fileIndex.set(path, files.length + 1);
    files.push({ path, base, dir: di });
  };
  for (const seq of sequences) for (const r of seq.rows) addFile(r.file);
  const primary = files[0];

  // --- .debug_line
  const line = new ByteSink();
  line.u32(0); // unit_length, patched below
  line.u16(5);
  line.u8(8); // address_size
  line.u8(0); // segment_selector_size
  const headerLengthAt = line.length;
  line.u32(0); // header_length, patched below
  const headerStart = line.length;
  line.u8(1); // minimum_instruction_length: compressed instructions are 2 bytes
  line.u8(1); // maximum_operations_per_instruction
  line.u8(1); // default_is_stmt
  line.u8(LINE_BASE & 0xff);
  line.u8(LINE_RANGE);
  line.u8(OPCODE_BASE);
  for (const n of STANDARD_OPCODE_LENGTHS) line.u8(n);
  line.u8(1).uleb(DW_LNCT_path).uleb(DW_FORM_line_strp);
  line.uleb(dirs.length);
  for (const d of dirs) line.u32(lineStr.add(d));
  line.u8(2).uleb(DW_LNCT_path).uleb(DW_FORM_line_strp).uleb(DW_LNCT_directory_index).uleb(DW_FORM_udata);
  const fileEntries = [primary, ...files];
  line.uleb(fileEntries.length);
  for (const f of fileEntries) {
    line.u32(lineStr.add(f.base));
    line.uleb(f.dir);
  }
  line.patchU32(headerLengthAt, line.length - headerStart);

  const ranges: { start: bigint; end: bigint }[] = [];
  for (const seq of sequences) {
    let address = seq.rows[0].address;
    let file = 1;
    let lineNo = 1;
    let column = 0;
    line.u8(0).uleb(9).u8(DW_LNE_set_address).u64(address);
    for (const r of seq.rows) {
      const f = fileIndex.get(r.file)!;
      if (f !== file) {
        line.u8(DW_LNS_set_file).uleb(f);
        file = f;
      }
      if (r.column !== column) {
        line.u8(DW_LNS_set_column).uleb(r.column);
        column = r.column;
      }
      let lineDelta = r.line - lineNo;
      let addrDelta = r.address - address;
      if (lineDelta < LINE_BASE || lineDelta >= LINE_BASE + LINE_RANGE) {
        line.u8(DW_LNS_advance_line).sleb(lineDelta);
        lineDelta = 0;
      }
      const special = (ad: bigint): bigint => BigInt(lineDelta - LINE_BASE) + BigInt(LINE_RANGE) * ad + BigInt(OPCODE_BASE);
      if (special(addrDelta) > 255n) {
        if (addrDelta >= CONST_ADD_PC_STEP && special(addrDelta - CONST_ADD_PC_STEP) <= 255n) {
          line.u8(DW_LNS_const_add_pc);
          addrDelta -= CONST_ADD_PC_STEP;
        } else {
          line.u8(DW_LNS_advance_pc).uleb(addrDelta);
          addrDelta = 0n;
        }
      }
      line.u8(Number(special(addrDelta)));
      lineNo = r.line;
      address = r.address;
    }
    if (seq.endAddress > address) line.u8(DW_LNS_advance_pc).uleb(seq.endAddress - address);
    line.u8(0).uleb(1).u8(DW_LNE_end_sequence);
    ranges.push({ start: seq.rows[0].address, end: seq.endAddress });
  }
  line.patchU32(0, line.length - 4);

  // --- .debug_abbrev / .debug_info: one DW_TAG_compile_unit without children
  const single = ranges.length === 1;
  const abbrev = new ByteSink();
  abbrev.uleb(1).uleb(DW_TAG_compile_unit).u8(0);
  abbrev.uleb(DW_AT_stmt_list).uleb(DW_FORM_sec_offset);
  abbrev.uleb(DW_AT_name).uleb(DW_FORM_line_strp);
  abbrev.uleb(DW_AT_comp_dir).uleb(DW_FORM_line_strp);
  abbrev.uleb(DW_AT_producer).uleb(DW_FORM_string);
  abbrev.uleb(DW_AT_language).uleb(DW_FORM_data2);
  if (single) {
    abbrev.uleb(DW_AT_low_pc).uleb(DW_FORM_addr);
    abbrev.uleb(DW_AT_high_pc).uleb(DW_FORM_data8);
  } else {
    abbrev.uleb(DW_AT_ranges).uleb(DW_FORM_sec_offset);
  }
  abbrev.uleb(0).uleb(0);
  abbrev.uleb(0);

  let rnglists: ByteSink | undefined;
  const RNGLIST_HEADER_SIZE = 12;
  if (!single) {
    rnglists = new ByteSink();
    rnglists.u32(0).u16(5).u8(8).u8(0).u32(0); // no offset table: DW_AT_ranges is a sec_offset
    for (const r of ranges) rnglists.u8(DW_RLE_start_length).u64(r.start).uleb(r.end - r.start);
    rnglists.u8(DW_RLE_end_of_list);
    rnglists.patchU32(0, rnglists.length - 4);
  }

  const info = new ByteSink();
  info.u32(0).u16(5).u8(DW_UT_compile).u8(8).u32(0);
  info.uleb(1);
  info.u32(0); // stmt_list: the only line program, at offset 0
  info.u32(lineStr.add(primary.path));
  info.u32(lineStr.add(compDir));
  info.cstr(PRODUCER);
  info.u16(DW_LANG_Mips_Assembler);
  if (single) {
    info.u64(ranges[0].start).u64(ranges[0].end - ranges[0].start);
  } else {
    info.u32(RNGLIST_HEADER_SIZE);
  }
  info.patchU32(0, info.length - 4);

  return {
    info: info.toBytes(),
    abbrev: abbrev.toBytes(),
    line: line.toBytes(),
    lineStr: lineStr.sink.toBytes(),
    rnglists: rnglists?.toBytes(),
  };
}

// ---------------------------------------------------------------------------
// ELF assembly

interface OutSection {
  name: string;
  type: number;
  flags: bigint;
  addr: bigint;
  align: bigint;
  data: Uint8Array;
  size: bigint; // == data.length except for nobits
  link: number;
  info: number;
  entsize: bigint;
  offset: number; // assigned during layout
}

function alignUp(n: number, a: number): number {
  return a <= 1 ? n : Math.ceil(n / a) * a;
}

/** Smallest offset >= min with offset ≡ addr (mod page size). */
function congruentOffset(min: number, addr: bigint): number {
  const page = Number(ELF_PAGE_SIZE);
  const want = Number(addr % ELF_PAGE_SIZE);
  const base = min - (min % page) + want;
  return base >= min ? base : base + page;
}

export function writeElfExecutable(input: ElfImageInput): Uint8Array {
  const reserved = new Set(['', '.symtab', '.strtab', '.shstrtab']);
  const debugNames = ['.debug_info', '.debug_abbrev', '.debug_line', '.debug_line_str', '.debug_rnglists'];
  const debug = input.lineSequences ? buildDebugSections(input.lineSequences, input.compDir ?? process.cwd()) : undefined;
  if (debug) for (const n of debugNames) reserved.add(n);

  const sections: OutSection[] = [];
  const seen = new Set<string>();
  for (const s of input.sections) {
    if (reserved.has(s.name)) throw new RangeError(`section name ${JSON.stringify(s.name)} is reserved by the ELF writer`);
    if (seen.has(s.name)) throw new RangeError(`duplicate section ${s.name}`);
    seen.add(s.name);
    if (!Number.isInteger(s.align) || s.align < 0 || (s.align & (s.align - 1)) !== 0) {
      throw new RangeError(`section ${s.name}: alignment ${s.align} is not a power of two`);
    }
    if (s.addr < 0n || s.addr >= 1n << 64n) throw new RangeError(`section ${s.name}: address ${s.addr} does not fit in 64 bits`);
    const nobits = s.kind === 'nobits';
    let flags = 0n;
    if (s.alloc) flags |= SHF_ALLOC;
    if (s.write) flags |= SHF_WRITE;
    if (s.exec) flags |= SHF_EXECINSTR;
    sections.push({
      name: s.name,
      type: nobits ? SHT_NOBITS : SHT_PROGBITS,
      flags,
      addr: s.addr,
      align: BigInt(s.align),
      data: nobits ? new Uint8Array(0) : s.data,
      size: nobits ? s.size ?? BigInt(s.data.length) : BigInt(s.data.length),
      link: 0,
      info: 0,
      entsize: 0n,
      offset: 0,
    });
  }
  const userCount = sections.length;
  const sectionIndex = (name: string): number | undefined => {
    const i = sections.findIndex((s, k) => k < userCount && s.name === name);
    return i < 0 ? undefined : i + 1; // +1 for the null section header
  };

  const addPlain = (name: string, data: Uint8Array, flags = 0n, entsize = 0n): void => {
    sections.push({ name, type: SHT_PROGBITS, flags, addr: 0n, align: 1n, data, size: BigInt(data.length), link: 0, info: 0, entsize, offset: 0 });
  };
  if (debug) {
    addPlain('.debug_info', debug.info);
    addPlain('.debug_abbrev', debug.abbrev);
    addPlain('.debug_line', debug.line);
    addPlain('.debug_line_str', debug.lineStr, SHF_MERGE | SHF_STRINGS, 1n);
    if (debug.rnglists) addPlain('.debug_rnglists', debug.rnglists);
  }

  // --- symbols: the ELF spec requires all locals before the first global.
  const strtab = new StringTable();
  const symtab = new ByteSink().zeros(SYM_SIZE);
  const ordered = [...input.symbols.filter((s) => s.bind === 'local'), ...input.symbols.filter((s) => s.bind !== 'local')];
  for (const sym of ordered) {
    let shndx: number;
    if (sym.section === 'abs') shndx = SHN_ABS;
    else if (sym.section === 'undef') shndx = SHN_UNDEF;
    else {
      const i = sectionIndex(sym.section);
      if (i === undefined) throw new RangeError(`symbol ${sym.name} refers to unknown section ${sym.section}`);
      shndx = i;
    }
    symtab.u32(strtab.add(sym.name));
    symtab.u8((SYMBOL_BINDS[sym.bind] << 4) | SYMBOL_TYPES[sym.type]);
    symtab.u8(0); // STV_DEFAULT
    symtab.u16(shndx);
    symtab.u64(sym.value);
    symtab.u64(sym.size);
  }
  const firstGlobal = 1 + input.symbols.filter((s) => s.bind === 'local').length;
  const symtabIndex = sections.length + 1;
  sections.push({ name: '.symtab', type: SHT_SYMTAB, flags: 0n, addr: 0n, align: 8n, data: symtab.toBytes(), size: BigInt(symtab.length), link: symtabIndex + 1, info: firstGlobal, entsize: BigInt(SYM_SIZE), offset: 0 });
  const strtabBytes = strtab.sink.toBytes();
  sections.push({ name: '.strtab', type: SHT_STRTAB, flags: 0n, addr: 0n, align: 1n, data: strtabBytes, size: BigInt(strtabBytes.length), link: 0, info: 0, entsize: 0n, offset: 0 });

  const shstrtab = new StringTable();
  const nameOffsets = sections.map((s) => shstrtab.add(s.name));
  const shstrtabNameOffset = shstrtab.add('.shstrtab');
  const shstrtabBytes = shstrtab.sink.toBytes();
  sections.push({ name: '.shstrtab', type: SHT_STRTAB, flags: 0n, addr: 0n, align: 1n, data: shstrtabBytes, size: BigInt(shstrtabBytes.length), link: 0, info: 0, entsize: 0n, offset: 0 });
  nameOffsets.push(shstrtabNameOffset);

  // --- layout
  const loadable = sections.slice(0, userCount).filter((s) => (s.flags & SHF_ALLOC) !== 0n && s.size > 0n);
  loadable.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
  let cursor = EHDR_SIZE + PHDR_SIZE * loadable.length;
  for (const s of loadable) {
    s.offset = congruentOffset(cursor, s.addr);
    // nobits occupies no file bytes, but the cursor still moves so later
    // offsets stay monotonic and the section's sh_offset lies inside the file.
    cursor = s.offset + (s.type === SHT_NOBITS ? 0 : s.data.length);
  }
  for (const s of sections) {
    if (loadable.includes(s)) continue;
    s.offset = alignUp(cursor, Number(s.align));
    cursor = s.offset + (s.type === SHT_NOBITS ? 0 : s.data.length);
  }
  const shoff = alignUp(cursor, 8);
  const shnum = sections.length + 1;

  const out = new ByteSink();
  // ELF header
  out.bytes(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2 /* ELFCLASS64 */, 1 /* ELFDATA2LSB */, 1 /* EV_CURRENT */, 0 /* ELFOSABI_SYSV */]));
  out.zeros(8);
  out.u16(2); // ET_EXEC
  out.u16(EM_RISCV);
  out.u32(1);
  out.u64(input.entry);
  out.u64(loadable.length > 0 ? BigInt(EHDR_SIZE) : 0n);
  out.u64(BigInt(shoff));
  out.u32(input.flags ?? EF_RISCV_RVC);
  out.u16(EHDR_SIZE);
  out.u16(PHDR_SIZE);
  out.u16(loadable.length);
  out.u16(SHDR_SIZE);
  out.u16(shnum);
  out.u16(shnum - 1); // .shstrtab is last

  for (const s of loadable) {
    let pflags = PF_R;
    if ((s.flags & SHF_WRITE) !== 0n) pflags |= PF_W;
    if ((s.flags & SHF_EXECINSTR) !== 0n) pflags |= PF_X;
    const filesz = s.type === SHT_NOBITS ? 0n : s.size;
    out.u32(PT_LOAD).u32(pflags);
    out.u64(BigInt(s.offset)).u64(s.addr).u64(s.addr);
    out.u64(filesz).u64(s.size);
    out.u64(ELF_PAGE_SIZE);
  }

  const byOffset = sections.filter((s) => s.type !== SHT_NOBITS).sort((a, b) => a.offset - b.offset);
  for (const s of byOffset) {
    out.padTo(s.offset);
    out.bytes(s.data);
  }
  out.padTo(shoff);

  out.zeros(SHDR_SIZE);
  sections.forEach((s, i) => {
    out.u32(nameOffsets[i]).u32(s.type);
    out.u64(s.flags).u64(s.addr).u64(BigInt(s.offset)).u64(s.size);
    out.u32(s.link).u32(s.info);
    out.u64(s.align).u64(s.entsize);
  });
  return out.toBytes();
}
