// The ELF reader, the DWARF line decoder, the loader and the system builder's ELF processes on
// corrupted executables that our own assembler produced: every outcome is a result or one
// ElfError/LoadError naming the file (what `xpc run` prints with exit code 2) — never another
// exception, never an "internal error" from the reader's safety net.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { build, imageToElf, LAYOUTS } from '../../language/asm';
import { readDebugLine } from '../../emulator/elf/dwarf-line';
import { ElfError, ElfFile, readElf } from '../../emulator/elf/elf-reader';
import { LoadError, loadElf } from '../../emulator/machine/loader';
import { Ram } from '../../emulator/machine/memory';
import { buildSystem, processElf } from '../../kernel/system/build';
import { elfProcessImage } from '../../kernel/system/elf-process';
import { caseCount, fuzzTimeout, Rng, ROOT, runCases } from './fuzz-kit';

const NAME = 'fuzz.elf';

/** A message as the CLI prints it: names the file, one line, no sign of an unchecked failure. */
function checkMessage(message: string, what: string): void {
  assert.ok(message.startsWith(`${NAME}: `), `${what}: message does not name the file: ${message}`);
  assert.ok(!message.includes('\n'), `${what}: message spans several lines: ${message}`);
  assert.ok(!/internal error|undefined|NaN|\[object /.test(message), `${what}: unchecked failure: ${message}`);
}

/** Runs a throwing step: success, or exactly the expected error type with a good message. */
function expectOnly<T>(what: string, type: new (...a: never[]) => Error, step: () => T): T | undefined {
  try {
    return step();
  } catch (e) {
    if (!(e instanceof type)) assert.fail(`${what}: expected ${type.name}, got ${e instanceof Error ? e.stack : String(e)}`);
    checkMessage(e.message, what);
    return undefined;
  }
}

// One RAM for every load (the loader writes into it; nothing is read back).
const ram = new Ram(0x8000_0000, 128 * 1024 * 1024);

/** Everything that reads an executable; returns whether the reader accepted it. */
function probe(bytes: Uint8Array, what: string, rng: Rng): boolean {
  const elf: ElfFile | undefined = expectOnly(what, ElfError, () => readElf(bytes, NAME));
  const table = elf && expectOnly(`${what} (.debug_line)`, ElfError, () => readDebugLine(elf));
  if (table) {
    for (let k = 0; k < 8; k++) {
      const row = table.rows.length ? rng.pick(table.rows) : undefined;
      table.addressToLine(row && rng.chance(0.7) ? row.address + BigInt(rng.int(4)) : BigInt.asUintN(64, BigInt(rng.int(2 ** 31)) << BigInt(rng.int(34))));
      if (row) table.lineToAddresses(row.file, row.line + rng.int(3) - 1);
    }
  }
  expectOnly(`${what} (loader)`, LoadError, () => loadElf(bytes, NAME, ram));
  const proc = elfProcessImage(bytes, NAME);
  if (proc.error !== undefined) checkMessage(proc.error, `${what} (ELF process)`);
  else assert.ok(proc.image, `${what}: neither image nor error`);
  return elf !== undefined;
}

interface Sample { readonly name: string; readonly bytes: Uint8Array; readonly elf: ElfFile }

function samples(): Sample[] {
  const out: Sample[] = [];
  const bare = build([{ path: path.join(ROOT, 'examples/bare-metal/hello.S') }], { layout: LAYOUTS.bare });
  assert.ok(bare.image, bare.diagnostics.map((d) => d.message).join('\n'));
  out.push({ name: 'bare-metal hello', bytes: imageToElf(bare.image, '/fuzz'), elf: undefined! });
  const system = buildSystem(path.join(ROOT, 'examples/echo-xpc/system.json'));
  assert.ok(system.image, system.diagnostics.map((d) => d.message).join('\n'));
  out.push({ name: 'echo-xpc boot image', bytes: system.image.elf, elf: undefined! });
  out.push({ name: 'echo-xpc client process', bytes: processElf(system.image.processes.find((p) => p.name === 'client') ?? system.image.processes[0]), elf: undefined! });
  return out.map((s) => ({ ...s, elf: readElf(s.bytes, NAME) }));
}

/** Byte ranges worth corrupting: headers, tables, strings and DWARF. */
function regions(s: Sample): [string, number, number][] {
  const v = new DataView(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength);
  const phoff = Number(v.getBigUint64(32, true)), shoff = Number(v.getBigUint64(40, true));
  const r: [string, number, number][] = [
    ['ELF header', 0, 64],
    ['program headers', phoff, phoff + 56 * s.elf.segments.length],
    ['section headers', shoff, shoff + 64 * s.elf.sections.length],
  ];
  for (const sec of s.elf.sections) {
    if (sec.data.length && /^\.(debug_|symtab|strtab|shstrtab)/.test(sec.name)) r.push([sec.name, Number(sec.offset), Number(sec.offset) + sec.data.length]);
  }
  return r;
}

/** Offsets where a truncation cuts a structure: every header and section boundary, ±1. */
function boundaries(s: Sample): number[] {
  const v = new DataView(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength);
  const phoff = Number(v.getBigUint64(32, true)), shoff = Number(v.getBigUint64(40, true));
  const at = new Set<number>([0, 1, 4, 15, 16, 63, 64]);
  for (let i = 0; i <= s.elf.segments.length; i++) at.add(phoff + 56 * i);
  for (let i = 0; i <= s.elf.sections.length; i++) at.add(shoff + 64 * i);
  for (const sec of s.elf.sections) if (sec.data.length) { at.add(Number(sec.offset)); at.add(Number(sec.offset) + sec.data.length); at.add(Number(sec.offset) + (sec.data.length >> 1)); }
  for (const seg of s.elf.segments) at.add(Number(seg.offset) + seg.data.length);
  const out = new Set<number>();
  for (const a of at) for (const d of [-1, 0, 1]) if (a + d >= 0 && a + d < s.bytes.length) out.add(a + d);
  return [...out].sort((a, b) => a - b);
}

const EXTREMES: readonly bigint[] = [0n, 1n, 0x7fn, 0xffn, 0xffffn, 0x7fffffffn, 0xffffffffn, 1n << 32n, 1n << 40n, 0x7fffffffffffffffn, 0xffffffffffffffffn];

describe('fuzz: ELF reader, DWARF lines, loader', function () {
  this.timeout(fuzzTimeout(60000));
  const all = samples();

  it('reads, decodes and loads the unmodified samples (so the cases below fail for their own reasons)', () => {
    for (const s of all) {
      assert.ok(readDebugLine(s.elf).rows.length > 0, s.name);
      assert.ok(probe(s.bytes, s.name, new Rng(1)), s.name);
    }
  });

  it('rejects every truncation at a header or section boundary with one ElfError/LoadError', function () {
    this.timeout(fuzzTimeout(60000));
    for (const s of all) {
      const rng = new Rng(7);
      for (const n of boundaries(s)) assert.equal(probe(s.bytes.subarray(0, n), `${s.name} truncated to ${n} bytes`, rng), false, `${s.name} truncated to ${n} bytes was read`);
    }
  });

  it('gives a result or one clear error for corrupted headers, tables, strings and DWARF', function () {
    this.timeout(fuzzTimeout(120000));
    let accepted = 0, rejected = 0;
    runCases('elf', 0xe1f0_0000, caseCount(1500), (rng) => {
      const s = rng.pick(all);
      const bytes = s.bytes.slice();
      const v = new DataView(bytes.buffer);
      const where: string[] = [];
      const [rname, from, to] = rng.pick(regions(s));
      for (let k = 1 + rng.int(4); k > 0; k--) {
        const at = from + rng.int(Math.max(1, to - from));
        if (rng.chance(0.5)) {
          // A whole field set to an extreme: sizes, offsets and counts far past the file.
          const width = rng.pick([2, 4, 8]);
          const value = BigInt.asUintN(width * 8, rng.pick(EXTREMES) + BigInt(rng.int(3)) - 1n);
          const aligned = at - (at % width);
          if (aligned + width > bytes.length) continue;
          if (width === 2) v.setUint16(aligned, Number(value), true);
          else if (width === 4) v.setUint32(aligned, Number(value), true);
          else v.setBigUint64(aligned, value, true);
          where.push(`${rname}+0x${(aligned - from).toString(16)}:u${width * 8}=0x${value.toString(16)}`);
        } else {
          bytes[at] = rng.chance(0.5) ? rng.int(256) : bytes[at] ^ (1 << rng.int(8));
          where.push(`${rname}+0x${(at - from).toString(16)}=0x${bytes[at].toString(16)}`);
        }
      }
      if (probe(bytes, `${s.name} with ${where.join(', ')}`, rng)) accepted++; else rejected++;
    });
    if (process.env.XPC_FUZZ_SEED === undefined) {
      assert.ok(accepted > 50, `only ${accepted} corrupted files were read`);
      assert.ok(rejected > 50, `only ${rejected} corrupted files were rejected`);
    }
  });

  it('gives a result or one clear error for random files behind a valid identification', () => {
    runCases('elf-random', 0xe1f1_0000, caseCount(300), (rng) => {
      const s = rng.pick(all);
      const bytes = Uint8Array.from({ length: rng.int(2000) }, () => rng.int(256));
      bytes.set(s.bytes.subarray(0, Math.min(bytes.length, rng.pick([4, 16, 20, 64]))));
      probe(bytes, `random ${bytes.length} bytes`, rng);
    });
  });
});
