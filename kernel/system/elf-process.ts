// A process given as a ready-made ELF (built by this project's assembler or by GNU tools): its
// allocated sections, symbols and DWARF lines as a LinkedImage, so the builder and the debugger
// treat it like a process assembled from source.

import { readElf, ElfError } from '../../emulator/elf/elf-reader';
import { readDebugLine } from '../../emulator/elf/dwarf-line';
import type { LinkedImage, ImageSymbol } from '../../language/asm/link';
import { USER_CODE_BASE, USER_HEAP_BASE } from '../abi/abi';

const SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4, SHT_NOBITS = 8;
const ET_EXEC = 2, EM_RISCV = 243;

/** The image, or the reason the file cannot be a process. */
export function elfProcessImage(bytes: Uint8Array, file: string): { image?: LinkedImage; error?: string } {
  let elf;
  try { elf = readElf(bytes, file); } catch (e) { return { error: e instanceof ElfError ? e.message : String(e) }; }
  if (elf.type !== ET_EXEC || elf.machine !== EM_RISCV) return { error: `${file}: not a RISC-V executable (ET_EXEC)` };
  const sections = elf.sections.filter((s) => s.flags & SHF_ALLOC && s.size > 0n).map((s) => ({
    name: s.name, addr: s.addr, data: s.type === SHT_NOBITS ? new Uint8Array(0) : s.data.slice(), size: s.size,
    nobits: s.type === SHT_NOBITS, align: Number(s.addralign) || 1,
    flags: { alloc: true, write: (s.flags & SHF_WRITE) !== 0, exec: (s.flags & SHF_EXECINSTR) !== 0 },
  }));
  const outside = sections.find((s) => s.addr < BigInt(USER_CODE_BASE) || s.addr + s.size > BigInt(USER_HEAP_BASE));
  if (outside) return { error: `${file}: section ${outside.name} at 0x${outside.addr.toString(16)} is outside the user code window 0x${USER_CODE_BASE.toString(16)}..0x${USER_HEAP_BASE.toString(16)} (link with --layout user)` };
  const symbols: ImageSymbol[] = elf.symbols.filter((s) => s.name && s.type !== 'section' && s.type !== 'file' && s.sectionIndex !== 0).map((s) => ({
    name: s.name, value: s.value, size: s.size,
    type: s.type === 'func' || s.type === 'object' ? s.type : 'notype',
    bind: s.bind === 'local' || s.bind === 'weak' ? s.bind : 'global',
    section: s.sectionName ?? 'abs',
  }));
  let lineSequences: LinkedImage['lineSequences'] = [];
  try {
    lineSequences = readDebugLine(elf).sequences.map((q) => ({
      rows: q.rows.filter((r) => !r.endSequence).map((r) => ({ address: r.address, file: r.file, line: r.line, column: r.column })),
      endAddress: q.endAddress,
    }));
  } catch { /* no usable line table: the process still runs, without source lines */ }
  return { image: { entry: elf.entry, sections, symbols, lineSequences } };
}
