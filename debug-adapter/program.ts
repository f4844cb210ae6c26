// What the debugger knows about a program: its ELF, symbols and line table. A launch turns an
// assembly source into an ELF first (so both kinds of program take one path from here on), and a
// source that does not assemble refuses the launch with every error as file:line.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { LAYOUTS, LinkedImage, build, formatDiagnostic, imageToElf } from '../language/asm';
import { ElfError, ElfFile, SHF_EXECINSTR, readElf } from '../emulator/elf/elf-reader';
import { LineTable, readDebugLine } from '../emulator/elf/dwarf-line';
import { ExecForm, decodeExec } from '../emulator/hart/decoded';
import { Op } from '../emulator/hart/op.generated';

export class LaunchError extends Error {}

export interface LoadedProgram {
  readonly elfBytes: Uint8Array;
  readonly debug: DebugInfo;
}

const ASSEMBLY = /\.(S|s|asm)$/;

/** Assembles (if needed) and reads the program; throws LaunchError with a message for the user. */
export function loadProgram(program: string, includeDirs: readonly string[] = []): LoadedProgram {
  const file = path.resolve(program);
  if (!fs.existsSync(file)) throw new LaunchError(`program '${program}' does not exist`);
  let bytes: Uint8Array;
  if (ASSEMBLY.test(file)) {
    const r = build([{ path: file }], { includeDirs: [path.dirname(file), ...includeDirs], rvc: true, layout: LAYOUTS.bare });
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length || !r.image) {
      const shown = errors.slice(0, 20).map(formatDiagnostic).join('\n');
      throw new LaunchError(`${path.basename(file)} does not assemble (${errors.length} error${errors.length === 1 ? '' : 's'}); launch refused:\n${shown}`);
    }
    bytes = imageToElf(r.image, path.dirname(file));
  } else {
    bytes = fs.readFileSync(file);
  }
  let elf: ElfFile;
  try {
    elf = readElf(bytes, file);
  } catch (e) {
    if (e instanceof ElfError) throw new LaunchError(`${program}: ${e.message}`);
    throw e;
  }
  let lines: LineTable | undefined;
  try { lines = elf.section('.debug_line') ? readDebugLine(elf) : undefined; } catch { lines = undefined; }
  return { elfBytes: bytes, debug: new DebugInfo(elf, lines, path.dirname(file)) };
}

/**
 * Symbols and lines of a linked image (a process of a system, or the kernel), read back through
 * its ELF so that every program takes the same path.
 */
export function debugInfoFromImage(image: LinkedImage, baseDir: string, name: string): DebugInfo {
  const elf = readElf(imageToElf(image, baseDir), name);
  let lines: LineTable | undefined;
  try { lines = elf.section('.debug_line') ? readDebugLine(elf) : undefined; } catch { lines = undefined; }
  return new DebugInfo(elf, lines, baseDir);
}

/**
 * Addresses are JS numbers as the hart keeps them: upper-half (kernel) addresses are negative
 * (sign-extended, exact as doubles), so ELF values are read as signed 64-bit.
 */
const signed = (v: bigint): number => Number(BigInt.asIntN(64, v));
const unsigned = (a: number): bigint => BigInt.asUintN(64, BigInt(a));

export interface SymbolInfo {
  readonly name: string;
  readonly address: number;
  readonly size: number;
  readonly isCode: boolean;
  readonly isFunction: boolean;
  readonly global: boolean;
}

export interface SourceLine { readonly file: string; readonly line: number }

/** Symbols and line table of one program (or, later, of one process of a system). */
export class DebugInfo {
  symbols: readonly SymbolInfo[];
  private codeSorted: SymbolInfo[];
  private readonly byName = new Map<string, SymbolInfo>();
  private readonly codeRanges: [number, number][];

  /** `baseDir` resolves source paths the line table records relative (an ELF built elsewhere). */
  constructor(readonly elf: ElfFile, readonly lines: LineTable | undefined, private readonly baseDir = process.cwd()) {
    const exec = new Set(elf.sections.filter((s) => Number(s.flags) & SHF_EXECINSTR).map((s) => s.name));
    this.codeRanges = elf.sections.filter((s) => Number(s.flags) & SHF_EXECINSTR).map((s) => [signed(s.addr), signed(s.addr) + Number(s.size)]);
    this.symbols = elf.symbols
      .filter((s) => s.sectionName !== undefined && s.type !== 'section' && s.type !== 'file' && s.name && !s.name.startsWith('.L'))
      .map((s) => ({
        name: s.name, address: signed(s.value), size: Number(s.size), isCode: exec.has(s.sectionName!),
        isFunction: s.type === 'func', global: s.bind !== 'local',
      }));
    for (const s of this.symbols) if (!this.byName.has(s.name) || s.global) this.byName.set(s.name, s);
    // A local label that code calls is a function too (assembly rarely marks them).
    const called = callTargets(elf);
    this.symbols = this.symbols.map((s) => (s.isCode && !s.isFunction && called.has(s.address) ? { ...s, isFunction: true } : s));
    for (const s of this.symbols) if (!this.byName.has(s.name) || s.global || this.byName.get(s.name)!.address === s.address) this.byName.set(s.name, s);
    this.codeSorted = this.symbols.filter((s) => s.isCode).sort((a, b) => a.address - b.address);
  }

  symbol(name: string): SymbolInfo | undefined { return this.byName.get(name); }

  /** Marks the code label at `address` a function (code reached only through a register, e.g. an x-entry's handler). */
  markFunction(address: number): void {
    this.symbols = this.symbols.map((s) => (s.isCode && s.address === address && !s.isFunction ? { ...s, isFunction: true } : s));
    this.codeSorted = this.symbols.filter((s) => s.isCode).sort((a, b) => a.address - b.address);
  }

  isCode(addr: number): boolean { return this.codeRanges.some(([a, b]) => addr >= a && addr < b); }

  /** The function an address is in: the nearest function or global label at or below it, else any label. */
  functionAt(addr: number): SymbolInfo | undefined {
    let best: SymbolInfo | undefined, any: SymbolInfo | undefined;
    for (const s of this.codeSorted) {
      if (s.address > addr) break;
      any = s;
      if (s.isFunction || s.global) best = s;
    }
    return best ?? any;
  }

  /** "name+0x10" for an address in code, or undefined. */
  describe(addr: number): string | undefined {
    const s = this.functionAt(addr);
    if (!s || !this.isCode(addr)) return undefined;
    return addr === s.address ? s.name : `${s.name}+0x${(addr - s.address).toString(16)}`;
  }

  /** Data symbols: labels outside code. */
  dataSymbols(): SymbolInfo[] {
    return this.symbols.filter((s) => !s.isCode).sort((a, b) => a.name.localeCompare(b.name));
  }

  lineAt(addr: number): SourceLine | undefined {
    const row = this.lines?.addressToLine(unsigned(addr));
    return row && row.line > 0 ? { file: path.isAbsolute(row.file) ? row.file : path.resolve(this.baseDir, row.file), line: row.line } : undefined;
  }

  /** Whether an instruction begins a line's code (a row at exactly this address). */
  isLineStart(addr: number): boolean {
    const row = this.lines?.addressToLine(unsigned(addr));
    return row !== undefined && row.address === unsigned(addr);
  }

  /**
   * Addresses of `line` in `file`, or of the nearest line after it with code (then before it),
   * within 64 lines: a breakpoint on a comment or blank line moves to the code.
   */
  resolveLine(file: string, line: number): { line: number; addresses: number[] } | undefined {
    if (!this.lines) return undefined;
    for (let d = 0; d <= 64; d++) {
      for (const l of d === 0 ? [line] : [line + d, line - d]) {
        if (l < 1) continue;
        const a = this.lines.lineToAddresses(file, l);
        if (a.length) return { line: l, addresses: a.map(signed) };
      }
    }
    return undefined;
  }

  files(): string[] { return this.lines?.files() ?? []; }

  /** The line-table row at or before an address (an instruction boundary to decode from). */
  rowAddressAtOrBefore(addr: number): number | undefined {
    const row = this.lines?.addressToLine(unsigned(addr));
    return row ? signed(row.address) : undefined;
  }

  /** Whether the line table knows `file` (an absolute path). */
  hasFile(file: string): boolean {
    const want = path.resolve(file);
    return this.files().some((f) => (path.isAbsolute(f) ? f : path.resolve(this.baseDir, f)) === want);
  }
}

/**
 * Addresses that executable sections call: `jal` linking a register, `auipc`+`jalr` pairs.
 * Decodes each section linearly (data inside code may confuse it; the result is only a hint).
 */
function callTargets(elf: ElfFile): Set<number> {
  const out = new Set<number>();
  const ins: ExecForm = { op: 0, rd: 0, rs1: 0, rs2: 0, imm: 0, len: 4 };
  for (const sec of elf.sections) {
    if (!(Number(sec.flags) & SHF_EXECINSTR)) continue;
    const data = elf.sectionData(sec.name);
    if (!data) continue;
    const base = signed(sec.addr);
    let auipc: { rd: number; value: number } | undefined;
    for (let off = 0; off + 2 <= data.length;) {
      const word = (data[off] | (data[off + 1] << 8) | ((data[off + 2] ?? 0) << 16) | ((data[off + 3] ?? 0) << 24)) >>> 0;
      decodeExec(word, ins);
      const pc = base + off;
      if (ins.op === Op.jal && ins.rd !== 0) out.add(pc + ins.imm);
      if (ins.op === Op.jalr && ins.rd !== 0 && auipc && auipc.rd === ins.rs1) out.add(auipc.value + ins.imm);
      auipc = ins.op === Op.auipc ? { rd: ins.rd, value: pc + ins.imm } : undefined;
      off += ins.op === Op.None ? 2 : ins.len;
    }
  }
  return out;
}
