// The ELF loader: validates a whole executable before writing a byte of it, so a bad file is
// refused with one message and nothing is half-loaded.

import { EM_RISCV, ElfError, ElfFile, ET_EXEC, PT_LOAD, readElf } from '../elf/elf-reader';
import { Ram } from './memory';

export interface LoadedImage {
  readonly elf: ElfFile;
  readonly entry: bigint;
  /** Physical address of the HTIF `tohost` symbol, when the program defines one. */
  readonly tohost?: number;
  readonly fromhost?: number;
}

export class LoadError extends Error {}

export function loadElf(bytes: Uint8Array, fileName: string, ram: Ram): LoadedImage {
  let elf: ElfFile;
  try {
    elf = readElf(bytes, fileName);
  } catch (e) {
    if (e instanceof ElfError) throw new LoadError(e.message);
    throw e;
  }
  if (elf.machine !== EM_RISCV) throw new LoadError(`${fileName}: not a RISC-V executable (e_machine ${elf.machine})`);
  if (elf.type !== ET_EXEC) throw new LoadError(`${fileName}: not an executable (e_type ${elf.type}; link it first)`);
  const loads = elf.segments.filter((s) => s.type === PT_LOAD && s.memsz > 0n);
  if (!loads.length) throw new LoadError(`${fileName}: no loadable segment`);
  for (const s of loads) {
    const start = Number(s.paddr), end = start + Number(s.memsz);
    if (s.filesz > s.memsz) throw new LoadError(`${fileName}: segment ${s.index} has filesz > memsz`);
    if (ram.offset(start, Number(s.memsz)) < 0) {
      throw new LoadError(`${fileName}: segment ${s.index} (0x${start.toString(16)}–0x${end.toString(16)}) is outside RAM (0x${ram.base.toString(16)}–0x${(ram.base + ram.size).toString(16)})`);
    }
  }
  for (const s of loads) {
    const off = ram.offset(Number(s.paddr), Number(s.memsz));
    ram.bytes.set(s.data.subarray(0, Number(s.filesz)), off);
    ram.bytes.fill(0, off + Number(s.filesz), off + Number(s.memsz));
  }
  const sym = (name: string) => {
    const s = elf.symbols.find((x) => x.name === name && x.sectionName !== undefined);
    return s && ram.offset(Number(s.value), 8) >= 0 ? Number(s.value) : undefined;
  };
  return { elf, entry: elf.entry, tohost: sym('tohost'), fromhost: sym('fromhost') };
}
