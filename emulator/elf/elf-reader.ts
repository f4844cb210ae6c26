/**
 * Defensive ELF64 little-endian RISC-V reader.
 *
 * Every problem with the input is reported as one ElfError whose message
 * starts with the file name; no other exception type escapes readElf. All
 * loops are bounded by counts that were first checked against the file size.
 *
 * Deliberately free of imports from language/ and vscode: the emulator's
 * loader, the debugger and the disassembler all share it.
 */

export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const EM_RISCV = 243;
export const EF_RISCV_RVC = 0x1;
export const EF_RISCV_FLOAT_ABI = 0x6;

export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_RISCV_ATTRIBUTES = 0x70000003;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOBITS = 8;
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;

export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  /** Low 32 bits of sh_flags (the upper half has no defined flags). */
  flags: number;
  addr: bigint;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: bigint;
  /** View into the input bytes; empty for SHT_NOBITS and SHT_NULL. */
  data: Uint8Array;
}

export interface ElfSegment {
  index: number;
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  paddr: bigint;
  filesz: bigint;
  memsz: bigint;
  align: bigint;
  /** The p_filesz bytes at p_offset (a view into the input bytes). */
  data: Uint8Array;
}

export type ElfSymbolType = 'notype' | 'object' | 'func' | 'section' | 'file' | 'common' | 'tls' | 'other';
export type ElfSymbolBind = 'local' | 'global' | 'weak' | 'other';

export interface ElfSymbol {
  /** Index in .symtab (the null symbol 0 is not listed). */
  index: number;
  name: string;
  value: bigint;
  size: bigint;
  type: ElfSymbolType;
  bind: ElfSymbolBind;
  /** st_other & 3 (STV_*). */
  visibility: number;
  /** Raw st_shndx (SHN_UNDEF, SHN_ABS, SHN_COMMON or a section index). */
  sectionIndex: number;
  /** Name of the defining section; undefined for undefined, absolute and common symbols. */
  sectionName: string | undefined;
}

export interface ElfFile {
  fileName: string;
  entry: bigint;
  machine: number;
  type: number;
  flags: number;
  /** All section headers, including the null section 0. */
  sections: ElfSection[];
  segments: ElfSegment[];
  /** .symtab entries without the null symbol; empty if there is no symbol table. */
  symbols: ElfSymbol[];
  /** Contents of the first section with this name (empty for SHT_NOBITS); undefined if absent. */
  sectionData(name: string): Uint8Array | undefined;
  section(name: string): ElfSection | undefined;
}

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
const PN_XNUM = 0xffff;

const SYMBOL_TYPES: ElfSymbolType[] = ['notype', 'object', 'func', 'section', 'file', 'common', 'tls'];
const SYMBOL_BINDS: ElfSymbolBind[] = ['local', 'global', 'weak'];

const decoder = new TextDecoder('utf-8');

function hex(n: bigint | number): string {
  return '0x' + n.toString(16);
}

export function segmentTypeName(type: number): string {
  const names: Record<number, string> = { 0: 'PT_NULL', 1: 'PT_LOAD', 2: 'PT_DYNAMIC', 3: 'PT_INTERP', 4: 'PT_NOTE', 5: 'PT_SHLIB', 6: 'PT_PHDR', 7: 'PT_TLS', 0x6474e551: 'PT_GNU_STACK', 0x6474e552: 'PT_GNU_RELRO', 0x70000003: 'PT_RISCV_ATTRIBUTES' };
  return names[type] ?? `type ${hex(type)}`;
}

/**
 * Reads a NUL-terminated string at `offset` of a string table; `what`
 * describes the referencing entity for error messages.
 */
export function readCString(table: Uint8Array, offset: number, fail: (msg: string) => never, what: string): string {
  if (offset < 0 || offset >= table.length) fail(`${what}: string offset ${hex(offset)} is outside the string table (size ${hex(table.length)})`);
  const start = offset;
  const end = table.indexOf(0, start);
  if (end < 0) fail(`${what}: string at offset ${hex(start)} is not NUL-terminated`);
  return decoder.decode(table.subarray(start, end));
}

interface RawSection {
  nameOffset: number;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: bigint;
}

export function readElf(bytes: Uint8Array, fileName: string): ElfFile {
  try {
    return parse(bytes, fileName);
  } catch (e) {
    if (e instanceof ElfError) throw e;
    // Safety net: a parser bug must still surface as the documented error type.
    throw new ElfError(`${fileName}: internal error while reading ELF: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function parse(bytes: Uint8Array, fileName: string): ElfFile {
  const fail = (msg: string): never => {
    throw new ElfError(`${fileName}: ${msg}`);
  };
  const len = bytes.length;
  const fileLen = BigInt(len);

  if (len === 0) fail('empty file, not an ELF file');
  const magic = [0x7f, 0x45, 0x4c, 0x46];
  for (let i = 0; i < Math.min(4, len); i++) if (bytes[i] !== magic[i]) fail('not an ELF file (bad magic)');
  if (len < 16) fail(`truncated ELF identification (${len} bytes, need 16)`);
  const cls = bytes[4];
  if (cls === 1) fail('32-bit ELF (ELFCLASS32) is not supported; expected a 64-bit RISC-V ELF (ELFCLASS64)');
  if (cls !== 2) fail(`invalid ELF class ${cls} (expected 2, ELFCLASS64)`);
  const dataEnc = bytes[5];
  if (dataEnc === 2) fail('big-endian ELF (ELFDATA2MSB) is not supported; RISC-V ELF files are little-endian');
  if (dataEnc !== 1) fail(`invalid ELF data encoding ${dataEnc} (expected 1, little-endian)`);
  if (bytes[6] !== 1) fail(`unsupported ELF identification version ${bytes[6]} (expected 1)`);
  if (len < EHDR_SIZE) fail(`truncated ELF header (${len} bytes, need ${EHDR_SIZE})`);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number): number => view.getUint16(o, true);
  const u32 = (o: number): number => view.getUint32(o, true);
  const u64 = (o: number): bigint => view.getBigUint64(o, true);

  const type = u16(16);
  const machine = u16(18);
  if (machine !== EM_RISCV) fail(`not a RISC-V ELF file (e_machine ${machine}, expected ${EM_RISCV} EM_RISCV)`);
  const version = u32(20);
  if (version !== 1) fail(`unsupported ELF version ${version} (expected 1)`);
  const entry = u64(24);
  const phoff = u64(32);
  const shoff = u64(40);
  const flags = u32(48);
  const phentsize = u16(54);
  let phnum = u16(56);
  const shentsize = u16(58);
  let shnum = u16(60);
  let shstrndx = u16(62);

  /** Checks [off, off+size) lies in the file and returns it as numbers. */
  const span = (off: bigint, size: bigint, what: string): [number, number] => {
    if (off > fileLen || size > fileLen - off) {
      fail(`${what} extends past end of file (offset ${hex(off)}, size ${hex(size)}, file size ${hex(len)})`);
    }
    return [Number(off), Number(off + size)];
  };

  // --- section headers (read first: extended numbering lives in section 0)
  const raw: RawSection[] = [];
  if (shoff === 0n) {
    if (shnum !== 0) fail(`e_shnum is ${shnum} but e_shoff is 0`);
  } else {
    if (shentsize !== SHDR_SIZE) fail(`unexpected section header size e_shentsize=${shentsize} (expected ${SHDR_SIZE})`);
    const readHeader = (i: number): RawSection => {
      const [at] = span(shoff + BigInt(i) * BigInt(SHDR_SIZE), BigInt(SHDR_SIZE), `section header ${i}`);
      return {
        nameOffset: u32(at),
        type: u32(at + 4),
        flags: u64(at + 8),
        addr: u64(at + 16),
        offset: u64(at + 24),
        size: u64(at + 32),
        link: u32(at + 40),
        info: u32(at + 44),
        addralign: u64(at + 48),
        entsize: u64(at + 56),
      };
    };
    const first = readHeader(0);
    let count = BigInt(shnum);
    if (shnum === 0) count = first.size; // SHN_LORESERVE or more sections: count in section 0's sh_size
    if (shstrndx === SHN_XINDEX) shstrndx = first.link;
    if (phnum === PN_XNUM) phnum = first.info;
    // Bounding the count by the file size before looping keeps corrupt
    // counts from turning into billion-iteration loops.
    const fits = shoff >= fileLen ? 0n : (fileLen - shoff) / BigInt(SHDR_SIZE);
    if (count > fits) fail(`section header ${fits} extends past end of file (${count} section headers at offset ${hex(shoff)}, file size ${hex(len)})`);
    shnum = Number(count);
    raw.push(first);
    for (let i = 1; i < shnum; i++) raw.push(readHeader(i));
  }

  // --- section names
  let shstrtab: Uint8Array = new Uint8Array(0);
  if (raw.length > 0 && shstrndx !== SHN_UNDEF) {
    if (shstrndx >= raw.length) fail(`section name string table index ${shstrndx} is out of range (${raw.length} sections)`);
    const s = raw[shstrndx];
    if (s.type !== SHT_STRTAB) fail(`section name string table (section ${shstrndx}) has type ${s.type}, expected SHT_STRTAB`);
    const [a, b] = span(s.offset, s.size, `section name string table (section ${shstrndx})`);
    shstrtab = bytes.subarray(a, b);
  }

  const sections: ElfSection[] = raw.map((s, i) => {
    const name = i === 0 || shstrtab.length === 0 ? '' : readCString(shstrtab, s.nameOffset, fail, `section ${i} name`);
    let data: Uint8Array = new Uint8Array(0);
    if (s.type !== SHT_NOBITS && s.type !== SHT_NULL) {
      const [a, b] = span(s.offset, s.size, `section ${i} (${name || 'unnamed'})`);
      data = bytes.subarray(a, b);
    }
    return {
      index: i,
      name,
      type: s.type,
      flags: Number(s.flags & 0xffffffffn),
      addr: s.addr,
      offset: s.offset,
      size: s.size,
      link: s.link,
      info: s.info,
      addralign: s.addralign,
      entsize: s.entsize,
      data,
    };
  });

  // --- program headers
  const segments: ElfSegment[] = [];
  if (phnum > 0) {
    if (phentsize !== PHDR_SIZE) fail(`unexpected program header size e_phentsize=${phentsize} (expected ${PHDR_SIZE})`);
    if (phoff === 0n) fail(`e_phnum is ${phnum} but e_phoff is 0`);
    for (let i = 0; i < phnum; i++) {
      const [at] = span(phoff + BigInt(i) * BigInt(PHDR_SIZE), BigInt(PHDR_SIZE), `program header ${i}`);
      const seg: ElfSegment = {
        index: i,
        type: u32(at),
        flags: u32(at + 4),
        offset: u64(at + 8),
        vaddr: u64(at + 16),
        paddr: u64(at + 24),
        filesz: u64(at + 32),
        memsz: u64(at + 40),
        align: u64(at + 48),
        data: new Uint8Array(0),
      };
      const what = `segment ${i} (${segmentTypeName(seg.type)})`;
      if (seg.type !== PT_NULL) {
        const [a, b] = span(seg.offset, seg.filesz, what);
        seg.data = bytes.subarray(a, b);
      }
      if (seg.type === PT_LOAD && seg.filesz > seg.memsz) fail(`${what} has p_filesz ${hex(seg.filesz)} larger than p_memsz ${hex(seg.memsz)}`);
      if (seg.type === PT_LOAD && seg.memsz > 0n && seg.vaddr + seg.memsz > 1n << 64n) fail(`${what} wraps around the end of the address space`);
      segments.push(seg);
    }
  }

  // --- symbols
  const symbols: ElfSymbol[] = [];
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (symtab) {
    const what = `symbol table (section ${symtab.index}, ${symtab.name || 'unnamed'})`;
    if (symtab.entsize !== BigInt(SYM_SIZE)) fail(`${what} has entry size ${symtab.entsize}, expected ${SYM_SIZE}`);
    if (symtab.size % BigInt(SYM_SIZE) !== 0n) fail(`${what} size ${hex(symtab.size)} is not a multiple of ${SYM_SIZE}`);
    if (symtab.link === 0 || symtab.link >= sections.length) fail(`${what} links to invalid string table section ${symtab.link}`);
    const strtab = sections[symtab.link];
    if (strtab.type !== SHT_STRTAB) fail(`${what} links to section ${symtab.link}, which is not a string table`);
    const count = symtab.data.length / SYM_SIZE;
    const base = symtab.data.byteOffset - bytes.byteOffset;
    for (let i = 1; i < count; i++) {
      const at = base + i * SYM_SIZE;
      const nameOffset = u32(at);
      const info = bytes[at + 4];
      const other = bytes[at + 5];
      const shndx = u16(at + 6);
      const name = nameOffset === 0 ? '' : readCString(strtab.data, nameOffset, fail, `symbol ${i}`);
      let sectionName: string | undefined;
      if (shndx === SHN_XINDEX) fail(`symbol ${i} (${name || 'unnamed'}) uses extended section indexes (SHN_XINDEX), which are not supported`);
      if (shndx !== SHN_UNDEF && shndx < SHN_LORESERVE) {
        if (shndx >= sections.length) fail(`symbol ${i} (${name || 'unnamed'}) refers to section ${shndx}, but there are only ${sections.length} sections`);
        sectionName = sections[shndx].name;
      }
      symbols.push({
        index: i,
        name,
        value: u64(at + 8),
        size: u64(at + 16),
        type: SYMBOL_TYPES[info & 0xf] ?? 'other',
        bind: SYMBOL_BINDS[info >> 4] ?? 'other',
        visibility: other & 3,
        sectionIndex: shndx,
        sectionName,
      });
    }
  }

  const section = (name: string): ElfSection | undefined => sections.find((s) => s.name === name && s.index !== 0);
  return {
    fileName,
    entry,
    machine,
    type,
    flags,
    sections,
    segments,
    symbols,
    section,
    sectionData: (name: string) => section(name)?.data,
  };
}
