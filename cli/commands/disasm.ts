import * as fs from 'node:fs';
import { ElfError, ElfFile, readElf, SHF_EXECINSTR } from '../../emulator/elf/elf-reader';
import { LineTable, readDebugLine } from '../../emulator/elf/dwarf-line';
import { disassembleRange } from '../../emulator/isa/disasm';
import { Command, parseOptions } from '../command';

const USAGE = `usage: xpc disasm [--no-source] [--aliases] file.elf

Disassembles the executable sections of an ELF file in GNU objdump's style (-d -l):
symbols as <name>: headers, branch targets as address <symbol+offset>, and the source
file:line above the instructions of each line (from DWARF .debug_line).
  --no-source   leave out the source lines
  --aliases     print pseudo-instructions (li, mv, ret, …) as objdump does without -M no-aliases`;

/** Symbolizer: the nearest function/object/notype symbol at or below an address. */
function symbolizer(elf: ElfFile): (addr: bigint) => string | undefined {
  const syms = elf.symbols
    .filter((s) => s.sectionName !== undefined && s.type !== 'section' && s.type !== 'file' && s.name !== '')
    .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return (addr) => {
    let lo = 0, hi = syms.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (syms[mid].value <= addr) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (best < 0) return undefined;
    const s = syms[best];
    const off = addr - s.value;
    return off === 0n ? s.name : `${s.name}+0x${off.toString(16)}`;
  };
}

export function disassembleElf(elf: ElfFile, opts: { source: boolean; aliases: boolean }): string {
  const out: string[] = [`\n${elf.fileName}:     file format elf64-littleriscv\n`];
  const symbolize = symbolizer(elf);
  let lines: LineTable | undefined;
  if (opts.source) {
    try { lines = readDebugLine(elf); } catch (e) { out.push(`(no usable line information: ${e instanceof Error ? e.message : String(e)})`); }
  }
  for (const sec of elf.sections) {
    if (!(Number(sec.flags) & SHF_EXECINSTR) || sec.size === 0n) continue;
    out.push(`\nDisassembly of section ${sec.name}:`);
    const labels = new Map<bigint, string[]>();
    for (const s of elf.symbols) {
      if (s.sectionName === sec.name && s.type !== 'section' && s.name) labels.set(s.value, [...(labels.get(s.value) ?? []), s.name]);
    }
    const data = elf.sectionData(sec.name) ?? new Uint8Array(0);
    let lastLine = '';
    for (const ins of disassembleRange(data, sec.addr, { symbolize, aliases: opts.aliases })) {
      for (const name of labels.get(ins.addr) ?? []) out.push(`\n${ins.addr.toString(16).padStart(16, '0')} <${name}>:`);
      if (lines) {
        const row = lines.addressToLine(ins.addr);
        const key = row ? `${row.file}:${row.line}` : '';
        if (row && row.line > 0 && key !== lastLine) out.push(key);
        lastLine = key;
      }
      // Column layout as objdump prints it for RV64.
      const bytes = ins.length === 2 ? ins.word.toString(16).padStart(4, '0') + ' '.repeat(16) : ins.word.toString(16).padStart(8, '0') + ' '.repeat(10);
      out.push(`${ins.addr.toString(16).padStart(12, ' ')}:\t${bytes}\t${ins.text}`);
    }
  }
  return out.join('\n') + '\n';
}

export const disasmCommand: Command = {
  name: 'disasm',
  summary: 'disassemble an ELF file (objdump style, with symbols and source lines)',
  usage: USAGE,
  run(args) {
    const o = parseOptions(args, [], ['--no-source', '--aliases']);
    if (o.error || o.positional.length !== 1) { console.error(`xpc disasm: ${o.error ?? 'one ELF file expected'}\n${USAGE}`); return 2; }
    const file = o.positional[0];
    let bytes: Uint8Array;
    try { bytes = fs.readFileSync(file); } catch { console.error(`xpc disasm: cannot read ${file}`); return 1; }
    try {
      process.stdout.write(disassembleElf(readElf(bytes, file), { source: !o.flags.has('--no-source'), aliases: o.flags.has('--aliases') }));
      return 0;
    } catch (e) {
      if (e instanceof ElfError) { console.error(`xpc disasm: ${e.message}`); return 1; }
      throw e;
    }
  },
};
