// The boot ROM at 0x1000, where the hart starts: the counterpart of QEMU `virt`'s reset vector.
// It hands over to the program in RAM with a0 = mhartid and a1 = the address of a boot-info
// blob — the same register convention as QEMU, whose a1 points at a device tree; this board
// has no device tree, so a1 points at a small fixed-layout struct instead.
//
// ROM layout (offsets from 0x1000):
//   0x00  auipc t0, 0            t0 = 0x1000
//   0x04  addi  a1, t0, 0x20     a1 = boot-info address (0x1020)
//   0x08  csrrs a0, mhartid, x0  a0 = hart id
//   0x0c  ld    t0, 0x18(t0)     t0 = entry (the .dword below)
//   0x10  jalr  x0, 0(t0)        jump to the program
//   0x14  addi  x0, x0, 0        (nop: pads the .dword to 8-byte alignment; never executed)
//   0x18  .dword entry           default: RAM base, 0x8000_0000
//   0x20  boot-info blob (BOOT_INFO_FIELD below), all fields little-endian:
//         +0  u32 magic    'XPCB' (bytes 58 50 43 42; 0x42435058 as a u32)
//         +4  u32 version  1
//         +8  u64 RAM base            +16 u64 RAM size (bytes)
//         +24 u64 mtime frequency (Hz) = nominal 1 GHz core clock / cycles per tick
//         +32 u64 UART base  +40 u64 CLINT base  +48 u64 PLIC base  +56 u64 test finisher base
//         +64 u32 UART's PLIC source (10)  +68 u32 number of harts (1)
//         +72 board name, NUL-terminated ASCII ("riscv-xpc-virt")
// The rest of the ROM reads as zero; writes are ignored (it is ROM).

import { encode, specsFor } from '../isa/codec';
import { Device } from './device';
import { CLINT_BASE, DEFAULT_CYCLES_PER_TICK } from './clint';
import { PLIC_BASE } from './plic';
import { StateReader } from './state';
import { FINISHER_BASE } from './test-finisher';
import { UART_BASE, UART_IRQ } from './uart16550';

export const BOOT_ROM_BASE = 0x1000;
export const BOOT_ROM_SIZE = 0x1000;
export const DEFAULT_RAM_BASE = 0x8000_0000;
export const DEFAULT_RAM_SIZE = 128 * 1024 * 1024;
/** Core clock the mtime frequency is stated against (platform.md). */
export const NOMINAL_CORE_HZ = 1_000_000_000;
export const BOARD_NAME = 'riscv-xpc-virt';

/** Offset in the ROM of the 64-bit entry address the code jumps to. */
export const BOOT_ROM_ENTRY_OFFSET = 0x18;
export const BOOT_INFO_OFFSET = 0x20;
/** What a1 holds when the program starts. */
export const BOOT_INFO_ADDRESS = BOOT_ROM_BASE + BOOT_INFO_OFFSET;
/** 'XPCB' read as a little-endian u32. */
export const BOOT_INFO_MAGIC = 0x42435058;
export const BOOT_INFO_VERSION = 1;
/** Byte offsets of the boot-info fields from BOOT_INFO_ADDRESS. */
export const BOOT_INFO_FIELD = {
  magic: 0, version: 4, ramBase: 8, ramSize: 16, timebaseHz: 24,
  uartBase: 32, clintBase: 40, plicBase: 48, finisherBase: 56,
  uartIrq: 64, hartCount: 68, name: 72,
} as const;

/** The ROM's instructions, as [mnemonic, operand values in the table's order]. */
export const BOOT_ROM_PROGRAM: readonly (readonly [string, readonly number[]])[] = [
  ['auipc', [5, 0]],                  // t0 = pc
  ['addi', [11, 5, BOOT_INFO_OFFSET]], // a1 = boot info
  ['csrrs', [10, 0xf14, 0]],          // a0 = mhartid
  ['ld', [5, BOOT_ROM_ENTRY_OFFSET, 5]], // t0 = entry
  ['jalr', [0, 0, 5]],                // jump
  ['addi', [0, 0, 0]],                // padding
];

export interface BootRomOptions {
  ramBase?: number;
  ramSize?: number;
  /** Where the ROM jumps; defaults to ramBase. */
  entry?: number;
  /** Only used to state the mtime frequency in the boot info. */
  cyclesPerTick?: number;
}

export interface BootRomSnapshot {
  entry: string;
}

export class BootRom implements Device {
  readonly name = 'boot-rom';
  readonly base = BOOT_ROM_BASE;
  readonly size = BOOT_ROM_SIZE;
  /** The ROM image; the bus may fetch instructions from it directly. Do not write to it. */
  readonly bytes = new Uint8Array(BOOT_ROM_SIZE);
  readonly ramBase: number;
  readonly ramSize: number;
  private readonly view = new DataView(this.bytes.buffer);

  constructor(opts: BootRomOptions = {}) {
    this.ramBase = opts.ramBase ?? DEFAULT_RAM_BASE;
    this.ramSize = opts.ramSize ?? DEFAULT_RAM_SIZE;
    const cpt = opts.cyclesPerTick ?? DEFAULT_CYCLES_PER_TICK;
    let at = 0;
    for (const [mnemonic, values] of BOOT_ROM_PROGRAM) {
      const spec = specsFor(mnemonic).find((c) => c.length === 4);
      const r = spec && encode(spec, values);
      if (!r || !r.ok) throw new Error(`boot ROM: cannot encode ${mnemonic} ${values.join(', ')}`);
      this.view.setUint32(at, r.word, true);
      at += 4;
    }
    if (at !== BOOT_ROM_ENTRY_OFFSET) throw new Error('boot ROM: code does not end at the entry slot');
    this.setEntry(opts.entry ?? this.ramBase);

    const info = (field: keyof typeof BOOT_INFO_FIELD) => BOOT_INFO_OFFSET + BOOT_INFO_FIELD[field];
    const u64 = (field: keyof typeof BOOT_INFO_FIELD, v: number) => this.view.setBigUint64(info(field), BigInt(v), true);
    this.view.setUint32(info('magic'), BOOT_INFO_MAGIC, true);
    this.view.setUint32(info('version'), BOOT_INFO_VERSION, true);
    u64('ramBase', this.ramBase);
    u64('ramSize', this.ramSize);
    u64('timebaseHz', Math.floor(NOMINAL_CORE_HZ / cpt));
    u64('uartBase', UART_BASE);
    u64('clintBase', CLINT_BASE);
    u64('plicBase', PLIC_BASE);
    u64('finisherBase', FINISHER_BASE);
    this.view.setUint32(info('uartIrq'), UART_IRQ, true);
    this.view.setUint32(info('hartCount'), 1, true);
    // The trailing NUL is already there: the ROM starts zeroed.
    for (let i = 0; i < BOARD_NAME.length; i++) this.bytes[info('name') + i] = BOARD_NAME.charCodeAt(i);
  }

  /** The address the ROM jumps to (the loader may set the ELF entry here before reset). */
  get entry(): number {
    return Number(this.view.getBigUint64(BOOT_ROM_ENTRY_OFFSET, true));
  }

  setEntry(entry: number): void {
    if (!Number.isSafeInteger(entry) || entry < 0) throw new RangeError(`boot ROM: bad entry address ${entry}`);
    this.view.setBigUint64(BOOT_ROM_ENTRY_OFFSET, BigInt(entry), true);
  }

  /** The 32-bit little-endian word at a 4-byte-aligned ROM offset. */
  romWord(offset: number): number {
    return this.view.getUint32(offset, true);
  }

  read(offset: number, size: 1 | 2 | 4 | 8): bigint {
    return this.peek(offset, size);
  }

  peek(offset: number, size: 1 | 2 | 4 | 8): bigint {
    let v = 0n;
    // Byte by byte: any alignment works, and bytes past the end read as zero.
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.bytes[offset + i] ?? 0);
    return v;
  }

  write(_offset: number, _size: 1 | 2 | 4 | 8, _value: bigint): void {
    // ROM: writes are dropped without a fault, as a ROM region on QEMU does.
  }

  snapshot(): BootRomSnapshot {
    return { entry: this.entry.toString() };
  }

  restore(state: unknown): void {
    this.setEntry(Number(new StateReader(this.name, state).u64('entry')));
  }
}
