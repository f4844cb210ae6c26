/** Shared fixtures for the ELF/DWARF tests. */

import { ElfImageInput, LineRow, LineSequence } from '../../language/elf/elf-writer';

export const COMP_DIR = '/work/proj';
export const TEXT_ADDR = 0x80000000n;
export const INIT_ADDR = 0x80002000n;

const NOP = 0x00000013; // addi x0, x0, 0

function le32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}
function le16(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff];
}

interface Insn {
  offset: number;
  bytes: number[];
  row?: Omit<LineRow, 'address'>;
}

/**
 * .text: a mix of 4- and 2-byte instructions with rows chosen to exercise
 * every encoding path of the writer: special opcodes, negative line steps,
 * DW_LNS_advance_line, DW_LNS_const_add_pc, DW_LNS_advance_pc, set_file
 * (relative, subdirectory and absolute paths), set_column, and two rows on
 * one line.
 */
const TEXT: Insn[] = [
  { offset: 0x00, bytes: le32(0x00100513), row: { file: 'main.s', line: 3, column: 0 } }, // li a0, 1
  { offset: 0x04, bytes: le16(0x0509), row: { file: 'main.s', line: 4, column: 0 } }, // c.addi a0, 2
  { offset: 0x06, bytes: le16(0x0001), row: { file: 'main.s', line: 4, column: 0 } }, // c.nop
  { offset: 0x08, bytes: le32(0x00558593), row: { file: 'main.s', line: 5, column: 5 } }, // addi a1, a1, 5
  { offset: 0x0c, bytes: le16(0x0001), row: { file: 'main.s', line: 1, column: 5 } }, // c.nop
  { offset: 0x0e, bytes: le32(0x00000073), row: { file: 'lib/util.s', line: 10, column: 0 } }, // ecall
  { offset: 0x12, bytes: le16(0x0001), row: { file: '/abs/inc/macros.inc', line: 200, column: 0 } }, // c.nop
  { offset: 0x28, bytes: le32(NOP), row: { file: 'main.s', line: 20, column: 0 } },
  { offset: 0x40, bytes: le16(0x9002), row: { file: 'main.s', line: 1000, column: 0 } }, // c.ebreak
  { offset: 0x42, bytes: le16(0x8082), row: { file: 'main.s', line: 1001, column: 0 } }, // ret
];
const TEXT_SIZE = 0x44;

const INIT: Insn[] = [
  { offset: 0, bytes: le32(0x00000513), row: { file: 'main.s', line: 50, column: 0 } }, // li a0, 0
  { offset: 4, bytes: le16(0x8082), row: { file: 'main.s', line: 51, column: 0 } }, // ret
];
const INIT_SIZE = 6;

function assemble(insns: Insn[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let o = 0; o + 4 <= size; o += 4) out.set(le32(NOP), o);
  for (const i of insns) out.set(i.bytes, i.offset);
  return out;
}

function sequence(insns: Insn[], base: bigint, size: number): LineSequence {
  return {
    rows: insns.filter((i) => i.row).map((i) => ({ address: base + BigInt(i.offset), ...i.row! })),
    endAddress: base + BigInt(size),
  };
}

export const TEXT_SEQUENCE = sequence(TEXT, TEXT_ADDR, TEXT_SIZE);
export const INIT_SEQUENCE = sequence(INIT, INIT_ADDR, INIT_SIZE);

export function sampleImage(options: { withInit?: boolean; withLines?: boolean } = {}): ElfImageInput {
  const withInit = options.withInit ?? true;
  const withLines = options.withLines ?? true;
  const sections: ElfImageInput['sections'] = [
    { name: '.text', kind: 'progbits', alloc: true, write: false, exec: true, addr: TEXT_ADDR, align: 4, data: assemble(TEXT, TEXT_SIZE) },
    // Same page as .text: exercises the offset ≡ address (mod page) layout for neighbours.
    { name: '.rodata', kind: 'progbits', alloc: true, write: false, exec: false, addr: 0x80000100n, align: 8, data: new TextEncoder().encode('hello\0\0\0') },
    { name: '.data', kind: 'progbits', alloc: true, write: true, exec: false, addr: 0x80001000n, align: 8, data: Uint8Array.from({ length: 16 }, (_, i) => i + 1) },
    { name: '.bss', kind: 'nobits', alloc: true, write: true, exec: false, addr: 0x80001010n, align: 8, data: new Uint8Array(0), size: 0x100n },
    { name: '.comment', kind: 'progbits', alloc: false, write: false, exec: false, addr: 0n, align: 1, data: new TextEncoder().encode('riscv-xpc\0') },
  ];
  if (withInit) {
    sections.push({ name: '.text.init', kind: 'progbits', alloc: true, write: false, exec: true, addr: INIT_ADDR, align: 4, data: assemble(INIT, INIT_SIZE) });
  }
  return {
    entry: TEXT_ADDR,
    compDir: COMP_DIR,
    sections,
    // Deliberately interleaved: the writer must put locals first.
    symbols: [
      { name: '_start', value: TEXT_ADDR, size: BigInt(TEXT_SIZE), type: 'func', bind: 'global', section: '.text' },
      { name: 'main.s', value: 0n, size: 0n, type: 'file', bind: 'local', section: 'abs' },
      { name: 'counter', value: 0x80001000n, size: 8n, type: 'object', bind: 'global', section: '.data' },
      { name: 'loop', value: TEXT_ADDR + 8n, size: 0n, type: 'notype', bind: 'local', section: '.text' },
      { name: 'buf', value: 0x80001010n, size: 0x100n, type: 'object', bind: 'weak', section: '.bss' },
      { name: 'msg', value: 0x80000100n, size: 6n, type: 'object', bind: 'local', section: '.rodata' },
      { name: '', value: TEXT_ADDR, size: 0n, type: 'section', bind: 'local', section: '.text' },
      { name: 'ext_sym', value: 0n, size: 0n, type: 'notype', bind: 'global', section: 'undef' },
      { name: 'STACK_SIZE', value: 0x1000n, size: 0n, type: 'notype', bind: 'global', section: 'abs' },
    ],
    lineSequences: withLines ? (withInit ? [TEXT_SEQUENCE, INIT_SEQUENCE] : [TEXT_SEQUENCE]) : undefined,
  };
}

/** Full path the reader should report for a path the writer was given. */
export function resolvedPath(file: string): string {
  return file.startsWith('/') ? file : `${COMP_DIR}/${file}`;
}


/** Deterministic xorshift32 so fuzz failures are reproducible. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}
