/**
 * Differential test of the disassembler: the GNU-assembled corpus (test/diff/corpus.ts, including
 * every 16-bit encoding and a sample of 32-bit ones) disassembled by emulator/isa/disasm.ts must
 * read line for line as `riscv64-unknown-elf-objdump -d` prints it, with and without -M no-aliases.
 * Skipped (loudly) when the riscv64-unknown-elf binutils are not installed.
 */

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ElfFile, ElfSymbol, readElf } from '../../emulator/elf/elf-reader';
import { decode } from '../../emulator/isa/codec';
import { CSRS } from '../../emulator/isa/csrs';
import { DisasmLine, disassembleRange } from '../../emulator/isa/disasm';
import { BARE_PLACEMENT, CorpusChunk, GNU, corpusChunks, gnuBuild, requireGnu, runTool } from './corpus';

interface ObjdumpLine { readonly addr: bigint; readonly text: string }

/** Instruction lines of `objdump -d` output: address and "mnemonic\toperands". */
function parseObjdump(out: string): ObjdumpLine[] {
  const lines: ObjdumpLine[] = [];
  for (const l of out.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t[^\t]*\t(.*)$/.exec(l);
    if (m) lines.push({ addr: BigInt(`0x${m[1]}`), text: m[2] });
  }
  return lines;
}

// Data in code (mapping symbol $d): objdump prints these directives, we print instructions.
const DATA_DIRECTIVE = /^\.(byte|short|word|dword)\b/;

/** objdump's text without the `# comments` it adds (values it tracked through lui/auipc). */
function normalizeObjdump(text: string): string {
  return text.replace(/\s+#.*$/, '').trimEnd();
}

/**
 * Names addresses as objdump's `<sym+0x8>` does: the nearest symbol at or below, mapping symbols
 * aside; of several at one address the first in objdump's order (globals first, then by name).
 */
function symbolizer(elf: ElfFile): (addr: bigint) => string | undefined {
  const rank = (s: ElfSymbol) => (s.bind === 'global' ? 0 : 1);
  const syms = elf.symbols
    .filter((s) => s.sectionName !== undefined && s.type !== 'section' && s.type !== 'file' && s.name !== '' && !/^\$[xd]/.test(s.name))
    .sort((x, y) => (x.value !== y.value ? (x.value < y.value ? -1 : 1) : rank(x) - rank(y) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)));
  return (addr) => {
    let best: ElfSymbol | undefined;
    for (const s of syms) { if (s.value > addr) break; if (!best || s.value !== best.value) best = s; }
    if (!best) return syms.length ? `${syms[0].name}-0x${(syms[0].value - addr).toString(16)}` : undefined;
    return addr === best.value ? best.name : `${best.name}+0x${(addr - best.value).toString(16)}`;
  };
}

const XPC_CSRS = new Map(CSRS.filter((c) => c.xpc).map((c) => [c.name, `0x${c.number.toString(16)}`]));

/** Our line as objdump would print it: GNU knows neither XPC instructions nor XPC CSR names. */
function asObjdumpWouldPrint(l: DisasmLine): string {
  const d = l.length === 1 ? undefined : decode(l.word);
  if (d?.spec.spec.ext === 'XPC') return `.4byte\t0x${l.word.toString(16)}`;
  const tab = l.text.indexOf('\t');
  if (tab < 0) return l.text;
  const ops = l.text.slice(tab + 1).split(',').map((o) => XPC_CSRS.get(o) ?? o);
  return `${l.text.slice(0, tab)}\t${ops.join(',')}`;
}

/**
 * Encodings on which our table and GNU's deliberately disagree, each with the reason. objdump
 * decodes these; our decoder (the emulator's) treats them as illegal, as the ISA manual says.
 */
const KNOWN_DIFFERENCES: readonly { readonly why: string; readonly test: (word: number, objdump: string) => boolean }[] = [
  { why: 'c.addi16sp with a zero immediate is reserved (RVC spec); objdump prints it', test: (w, o) => w === 0x6101 && (o === 'c.addi16sp\tsp,0' || o === 'add\tsp,sp,0') },
  { why: 'uret (N extension), dret (debug mode) and sfence.vm (privileged spec 1.9) do not exist on this hart', test: (w) => w === 0x00200073 || w === 0x7b200073 || w === 0x10400073 },
];

interface Mismatch { addr: bigint; word: number; ours: string; objdump: string }

/**
 * Compares every instruction objdump printed with ours at the same address. Where data sits in
 * the code, objdump resumes after it through the $x mapping symbol, which a disassembler of raw
 * bytes does not have; so our line is taken at each of objdump's addresses.
 */
function compare(lineAt: (addr: bigint) => DisasmLine, objdump: readonly ObjdumpLine[], expected: (l: DisasmLine) => string): { mismatches: Mismatch[]; compared: number; excused: number } {
  const mismatches: Mismatch[] = [];
  let compared = 0, excused = 0;
  for (const o of objdump) {
    if (DATA_DIRECTIVE.test(o.text) || o.text.startsWith('...')) continue;
    const want = normalizeObjdump(o.text);
    const l = lineAt(o.addr);
    compared++;
    const got = expected(l);
    if (got === want) continue;
    if (KNOWN_DIFFERENCES.some((k) => k.test(l.word, want))) { excused++; continue; }
    mismatches.push({ addr: o.addr, word: l.word, ours: got, objdump: want });
  }
  return { mismatches, compared, excused };
}

function report(chunk: CorpusChunk, mode: string, r: ReturnType<typeof compare>): string {
  const shown = r.mismatches.slice(0, 25).map((m) => {
    const w = m.word.toString(16).padStart(m.word > 0xffff ? 8 : 4, '0');
    return `  ${m.addr.toString(16)}: ${w}  ours: ${JSON.stringify(m.ours)}  objdump: ${JSON.stringify(m.objdump)}`;
  });
  return `chunk ${chunk.name} (${mode}): ${r.mismatches.length} of ${r.compared} lines differ from objdump:\n${shown.join('\n')}`;
}

// Alias mode is compared once the no-aliases output agrees everywhere.
const ALIAS_MODES: readonly boolean[] = process.env.XPC_DISASM_ALIASES === '0' ? [false] : [false, true];

describe('differential: our disassembler against GNU objdump', function () {
  this.timeout(120000);
  let dir = '';

  before(function () {
    requireGnu(this, [GNU.as, GNU.ld, GNU.objdump]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-diff-objdump-'));
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const chunk of corpusChunks()) {
    it(`${chunk.name}: prints every instruction as objdump does`, () => {
      const elfPath = gnuBuild(chunk, dir, BARE_PLACEMENT);
      const elf = readElf(fs.readFileSync(elfPath), elfPath);
      const text = elf.section('.text');
      const symbolize = symbolizer(elf);
      assert.ok(text, 'GNU output has a .text section');
      const problems: string[] = [];
      for (const aliases of ALIAS_MODES) {
        const mode = aliases ? 'aliases' : '-M no-aliases';
        const out = runTool(GNU.objdump, ['-d', ...(aliases ? [] : ['-M', 'no-aliases']), '-j', '.text', elfPath]);
        assert.strictEqual(out.status, 0, out.stderr);
        // The whole section in one go (what the debugger does), then single instructions where
        // data in the code put the walk out of step with objdump.
        const walk = new Map(disassembleRange(text.data, text.addr, { aliases, symbolize }).map((l) => [l.addr, l]));
        const lineAt = (addr: bigint): DisasmLine => {
          const off = Number(addr - text.addr);
          return walk.get(addr) ?? disassembleRange(text.data.subarray(off, off + 4), addr, { aliases, symbolize })[0];
        };
        const r = compare(lineAt, parseObjdump(out.stdout), asObjdumpWouldPrint);
        if (r.mismatches.length) problems.push(report(chunk, mode, r));
        assert.ok(r.compared > 0 || chunk.lines.length < 5, `chunk ${chunk.name}: nothing compared`);
      }
      if (problems.length) assert.fail(problems.join('\n\n'));
    });
  }
});
