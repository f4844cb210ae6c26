/**
 * Differential test: every chunk of the generated corpus (test/diff/corpus.ts) must assemble and
 * link to the same .text/.data bytes with our toolchain and with GNU as + ld --no-relax, the GNU
 * side linked by a script that puts each output section where our linker put it.
 * Skipped (loudly) when the riscv64-unknown-elf binutils are not installed.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readElf } from '../../emulator/elf/elf-reader';
import { disassembleRange } from '../../emulator/isa/disasm';
import { build, LAYOUTS, LinkedImage } from '../../language/asm/index';
import { formatDiagnostic } from '../../language/asm/diagnostics';
import { CorpusChunk, GNU, SectionPlacement, chunkSource, corpusChunks, gnuBuild, requireGnu, runTool } from './corpus';

/** Our build of a chunk, failing the test with readable diagnostics if it does not assemble. */
function ourBuild(chunk: CorpusChunk): LinkedImage {
  const file = `${chunk.name}.s`;
  const r = build([{ path: file, text: chunkSource(chunk, 'ours') }]);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !r.image) {
    const shown = errors.slice(0, 15).map((d) => `${formatDiagnostic(d)}\n      | ${chunk.lines[d.line - 1]?.ours ?? ''}`);
    assert.fail(`our assembler rejected chunk ${chunk.name} (${errors.length} errors):\n${shown.join('\n')}`);
  }
  return r.image;
}

/** Where our linker put each output section, with the input patterns of its layout rule. */
function placements(image: LinkedImage): SectionPlacement[] {
  return image.sections.map((s) => ({
    name: s.name,
    addr: s.addr,
    inputs: LAYOUTS.bare.sections.find((r) => r.name === s.name)?.inputs ?? [s.name],
  }));
}

function hex(v: bigint): string { return `0x${v.toString(16)}`; }

/** The source line (1-based) of the instruction at or before `addr`, from our line table. */
function rowAt(image: LinkedImage, addr: bigint): { address: bigint; line: number } | undefined {
  let best: { address: bigint; line: number } | undefined;
  for (const seq of image.lineSequences) for (const r of seq.rows) {
    if (r.address <= addr && (!best || r.address >= best.address)) best = { address: r.address, line: r.line };
  }
  return best;
}

function symbolAt(image: LinkedImage, addr: bigint): string {
  let best: { name: string; value: bigint } | undefined;
  for (const s of image.symbols) if (s.value <= addr && (!best || s.value > best.value)) best = s;
  return best ? `${best.name}+${hex(addr - best.value)}` : hex(addr);
}

function describeMismatch(chunk: CorpusChunk, image: LinkedImage, section: string, ours: Uint8Array, gnu: Uint8Array, base: bigint, elfPath: string): string {
  let i = 0;
  while (i < ours.length && i < gnu.length && ours[i] === gnu[i]) i++;
  const addr = base + BigInt(i);
  const lines = [`chunk ${chunk.name}, section ${section}: first difference at ${hex(addr)} (${symbolAt(image, addr)});`
    + ` sizes ours ${ours.length}, GNU ${gnu.length}`];
  const row = rowAt(image, addr);
  const start = row && section === '.text' ? row.address : addr;
  if (row && section === '.text') {
    const src = chunk.lines[row.line - 1];
    lines.push(`  source line ${row.line}: ours: ${src?.ours}`, `  ${' '.repeat(String(row.line).length + 13)}GNU:  ${src?.gnu}`);
    for (let k = row.line - 3; k < row.line + 3; k++) if (k >= 1 && k <= chunk.lines.length && k !== row.line) lines.push(`    ${k}: ${chunk.lines[k - 1].ours}`);
  }
  const off = Number(start - base);
  const bytes = (b: Uint8Array) => [...b.subarray(off, off + 12)].map((x) => x.toString(16).padStart(2, '0')).join(' ');
  lines.push(`  bytes ours: ${bytes(ours)}`, `  bytes GNU:  ${bytes(gnu)}`);
  if (section === '.text') {
    lines.push('  ours disassembled:');
    for (const d of disassembleRange(ours.subarray(off, off + 12), start)) lines.push(`    ${d.addr.toString(16)}: ${d.text}`);
    const od = runTool(GNU.objdump, ['-d', '-M', 'no-aliases', `--start-address=${hex(start)}`, `--stop-address=${hex(start + 12n)}`, elfPath]);
    lines.push('  GNU objdump:');
    for (const l of od.stdout.split('\n')) if (/^\s+[0-9a-f]+:/.test(l) && !/out of bounds/.test(l)) lines.push(`    ${l.trim()}`);
  }
  return lines.join('\n');
}

describe('differential: our assembler and linker against GNU as + ld', function () {
  this.timeout(120000);
  let dir = '';

  before(function () {
    requireGnu(this, [GNU.as, GNU.ld, GNU.objdump]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-diff-as-'));
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const chunk of corpusChunks().filter((c) => !c.disasmOnly)) {
    it(`${chunk.name}: same bytes as GNU (${chunk.lines.length} lines)`, () => {
      const image = ourBuild(chunk);
      let elfPath: string;
      const problems: string[] = [];
      try {
        elfPath = gnuBuild(chunk, dir, placements(image));
      } catch (e) {
        // GNU's sections came out bigger than ours and collide at our addresses: link them one
        // after the other instead, so that the first differing byte can still be shown.
        if (!/overlaps/.test(String(e))) throw e;
        problems.push(`chunk ${chunk.name}: GNU's sections do not fit at our addresses (${String(e).split('\n').slice(1, 2).join('')})`);
        elfPath = gnuBuild(chunk, dir, placements(image).map((p, i) => (i === 0 ? p : { ...p, addr: undefined })));
      }
      const elf = readElf(fs.readFileSync(elfPath), elfPath);
      for (const s of image.sections) {
        const g = elf.section(s.name);
        if (!g) { problems.push(`chunk ${chunk.name}: GNU's output has no ${s.name} section`); continue; }
        if (g.addr !== s.addr) problems.push(`chunk ${chunk.name}: ${s.name} at ${hex(g.addr)} in GNU's output, ${hex(s.addr)} in ours`);
        if (s.nobits) {
          if (g.size !== s.size) problems.push(`chunk ${chunk.name}: ${s.name} size ${g.size} in GNU's output, ${s.size} in ours`);
          continue;
        }
        if (Buffer.compare(Buffer.from(s.data), Buffer.from(g.data)) !== 0) {
          problems.push(describeMismatch(chunk, image, s.name, s.data, g.data, s.addr, elfPath));
        }
      }
      // Sections GNU produced with contents that we did not.
      for (const g of elf.sections) {
        if ((g.flags & 2) && g.size > 0n && !image.sections.some((s) => s.name === g.name)) problems.push(`chunk ${chunk.name}: GNU has a section ${g.name} we lack`);
      }
      if (problems.length) assert.fail(problems.join('\n\n'));
    });
  }
});
