// The assembler and linker on malformed input: mutations of the project's real sources (examples,
// kernel, test fixtures) must end in a result or in diagnostics naming file and line — never an
// exception, an "internal error", a hang or an allocation of gigabytes (the assembler's budgets
// for expansion, text and section size are what bound them, checked by the regressions below).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssemblerHost } from '../../language/asm/assembler';
import { build, BuildResult, Diagnostic, imageToElf, LAYOUTS } from '../../language/asm';
import { readDebugLine } from '../../emulator/elf/dwarf-line';
import { readElf } from '../../emulator/elf/elf-reader';
import { caseCount, filesUnder, fuzzTimeout, mutateSource, Rng, ROOT, runCases } from './fuzz-kit';

const CORPUS = [
  ...filesUnder(path.join(ROOT, 'examples'), /\.S$/),
  ...filesUnder(path.join(ROOT, 'kernel/src'), /\.S$/),
  path.join(ROOT, 'kernel/lib/xpc/xpc.S'),
  ...filesUnder(path.join(ROOT, 'test/kernel/fixtures'), /\.S$/),
  ...filesUnder(path.join(ROOT, 'test/language-server/fixtures'), /\.(s|S)$/),
];
const INCLUDES = [...filesUnder(path.join(ROOT, 'kernel/include'), /\.inc$/), ...filesUnder(path.join(ROOT, 'kernel/lib/xpc'), /\.inc$/)];
const INCLUDE_DIRS = ['kernel/include', 'kernel/src', 'kernel/lib/xpc'].map((d) => path.join(ROOT, d));

const diskCache = new Map<string, string | undefined>();
function readDisk(p: string): string | undefined {
  if (!diskCache.has(p)) { try { diskCache.set(p, fs.readFileSync(p, 'utf8')); } catch { diskCache.set(p, undefined); } }
  return diskCache.get(p);
}

/** The disk, with some files replaced in memory (mutated includes, files that include themselves). */
function overlayHost(files: ReadonlyMap<string, string>): AssemblerHost {
  const read = (p: string) => files.get(p) ?? readDisk(p);
  return {
    readFile: read,
    resolveInclude: (name, from, dirs) => {
      const candidates = path.isAbsolute(name) ? [name] : [path.join(path.dirname(from), name), ...dirs.map((d) => path.join(d, name))];
      return candidates.find((c) => read(c) !== undefined);
    },
  };
}

/** Signs of an exception turned into a diagnostic instead of a check that names the problem. */
const UNCHECKED = /internal error|Maximum call stack|Invalid (typed )?array length|Invalid string length|is not a function|Cannot read prop|undefined \(reading/i;

/** What every diagnostic must be: an error or warning naming a file and a line (0: the file as a whole, or the link), in one readable message. */
function checkDiagnostics(ds: readonly Diagnostic[], what: string): void {
  for (const d of ds) {
    // Messages are built only on failure: a case may have 100,000 diagnostics.
    const fail = (problem: string) => assert.fail(`${what}: ${problem} in ${d.file}:${d.line}:${d.col}: ${d.message}`);
    if (d.severity !== 'error' && d.severity !== 'warning') fail('bad severity');
    if (typeof d.file !== 'string' || d.file.length === 0) fail('no file');
    if (!Number.isInteger(d.line) || d.line < 0) fail('bad line');
    if (!Number.isInteger(d.col) || d.col < 0) fail('bad column');
    if (typeof d.message !== 'string' || d.message.trim().length === 0) fail('empty message');
    if (UNCHECKED.test(d.message)) fail('unchecked failure');
  }
}

/** Builds, checks the diagnostics, and for a clean build checks that the ELF written reads back. */
function buildAndCheck(main: string, text: string, files: Map<string, string>, what: string, layout = LAYOUTS.user): BuildResult {
  const r = build([{ path: main, text }], { host: overlayHost(files), includeDirs: [path.dirname(main), ...INCLUDE_DIRS], layout });
  checkDiagnostics(r.diagnostics, what);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) assert.equal(r.image, undefined, `${what}: an image despite errors`);
  if (r.image) {
    const elf = readElf(imageToElf(r.image, '/fuzz'), 'fuzz.elf');
    readDebugLine(elf);
  }
  return r;
}

describe('fuzz: assembler and linker', function () {
  this.timeout(fuzzTimeout(60000));
  it(`has a corpus of real sources (${CORPUS.length} files)`, () => {
    assert.ok(CORPUS.length >= 30, `only ${CORPUS.length} sources found under ${ROOT}`);
  });

  it('gives a result or diagnostics with file:line for mutated real sources', function () {
    this.timeout(fuzzTimeout(120000));
    let clean = 0, failed = 0;
    runCases('asm', 0xa5a5_0000, caseCount(400), (rng: Rng) => {
      const main = rng.pick(CORPUS);
      const files = new Map<string, string>();
      const dir = path.dirname(main);
      files.set(path.join(dir, 'fuzz-self.s'), '.include "fuzz-self.s"\n');
      files.set(path.join(dir, 'fuzz-self.S'), '#include "fuzz-self.S"\n');
      if (rng.chance(0.25)) {
        const inc = rng.pick(INCLUDES);
        files.set(inc, mutateSource(rng, readDisk(inc) ?? '', 1 + rng.int(4)));
      }
      const text = mutateSource(rng, readDisk(main) ?? '', 1 + rng.int(6));
      const r = buildAndCheck(main, text, files, `mutated ${path.relative(ROOT, main)}`, rng.chance(0.5) ? LAYOUTS.user : LAYOUTS.bare);
      if (r.image) clean++; else failed++;
    });
    // Both outcomes must occur, or the mutations are not exercising the assembler.
    if (process.env.XPC_FUZZ_SEED === undefined) {
      assert.ok(clean > 10, `only ${clean} mutated sources assembled`);
      assert.ok(failed > 10, `only ${failed} mutated sources were rejected`);
    }
  });

  it('links several mutated sources together: a result or diagnostics, never an exception', function () {
    this.timeout(fuzzTimeout(120000));
    runCases('asm/link', 0xa6a6_0000, caseCount(100), (rng: Rng) => {
      // The same file may come twice: duplicate definitions, as two processes' sources would give.
      const inputs = Array.from({ length: 2 + rng.int(3) }, () => rng.pick(CORPUS)).map((main) => ({
        path: main,
        text: rng.chance(0.3) ? readDisk(main) ?? '' : mutateSource(rng, readDisk(main) ?? '', 1 + rng.int(3)),
      }));
      const r = build(inputs, { host: overlayHost(new Map()), includeDirs: [path.dirname(inputs[0].path), ...INCLUDE_DIRS], layout: rng.chance(0.5) ? LAYOUTS.user : LAYOUTS.bare });
      checkDiagnostics(r.diagnostics, inputs.map((i) => path.relative(ROOT, i.path)).join(' + '));
      if (r.image) readDebugLine(readElf(imageToElf(r.image, '/fuzz'), 'fuzz.elf'));
    });
  });

  describe('regressions (each once crashed, hung or allocated gigabytes)', () => {
    const one = (text: string, file = 'fuzz.s', extra: Record<string, string> = {}): Diagnostic[] => {
      const files = new Map(Object.entries(extra));
      const r = buildAndCheck(file, text, files, JSON.stringify(text.slice(0, 80)), LAYOUTS.bare);
      return r.diagnostics.filter((d) => d.severity === 'error');
    };
    const expectError = (text: string, message: RegExp, line?: number): void => {
      const errors = one(text);
      assert.ok(errors.some((d) => message.test(d.message) && (line === undefined || d.line === line)), `expected ${message} on line ${line}, got:\n${errors.map((d) => `${d.line}: ${d.message}`).join('\n')}`);
    };

    it('a macro calling itself twice stops at the nesting limit (was: stack overflow, 10^6 diagnostics)', () => {
      const errors = one('.macro m\nm\nm\n.endm\nm\n');
      assert.equal(errors.length, 1);
      assert.match(errors[0].message, /macros nested too deeply \(recursive macro 'm'\?\)/);
      assert.equal(errors[0].line, 2);
    });
    it('nested .rept stops at the expansion limit (was: hang and gigabytes)', () => {
      expectError('.rept 1000\n.rept 1000\n.rept 1000\nnop\n.endr\n.endr\n.endr\n', /more than 2000000 lines to assemble after expanding/);
    });
    it('a .rept or .irp whose expansion is over the limit is refused before it is built', () => {
      expectError('.rept 1000000\nnop\nnop\nnop\n.endr\n', /\.rept expands to 3000000 lines, more than the assembler's limit/, 1);
    });
    it('a long line repeated a million times is refused before it is built (was: about 12 minutes of work)', () => {
      expectError(`.rept 1000000\n${' '.repeat(100000)}nop\n.endr\n`, /\.rept expands to 100003000000 characters, more than the assembler's limit of 256 MiB/, 1);
    });
    it('a macro passing itself ever longer arguments stops at the text limit (was: out of memory, abort)', () => {
      expectError('.macro m a\nm \\a\\a\n.endm\nm x\n', /expansions would create more than 16 MiB of text/);
    });
    it('.space in a loop and sections of 256 MiB each stop at the size limit (was: 8-10 GiB allocated)', () => {
      expectError('.rept 20\n.space 0x10000000\n.endr\n', /more bytes would make the sections of this file larger than 256 MiB/);
      expectError(Array.from({ length: 4 }, (_, i) => `.section .s${i},"aw"\n.space 0x08000000\n`).join(''), /larger than 256 MiB/, 8);
    });
    it('alignment padding counts too (was: .p2align 30 allocated 1 GiB)', () => {
      expectError('.data\n.byte 1\n.p2align 30\n', /1073741823 more bytes would make the sections of this file larger than 256 MiB/, 3);
      expectError('.balign 0x4000000000000000\n', /larger than 256 MiB/, 1);
    });
    it('.org and .comm far away are errors, not "internal error: Invalid typed array length"', () => {
      expectError('.org 0x100000000000\n', /larger than 256 MiB/, 1);
      expectError('.comm x, 0x100000000000\n', /larger than 256 MiB/, 1);
    });
    it('.comm with a negative size is an error (was: accepted, section size went negative)', () => {
      expectError('.comm x, -5\n', /\.comm size -5 is negative/, 1);
    });
    it('circular and deeply chained symbol definitions are errors (was: stack overflow)', () => {
      expectError('a = b\nb = a\n.word a\n', /symbol 'a' is defined in terms of itself/, 3);
      expectError(Array.from({ length: 5000 }, (_, i) => `s${i} = s${i + 1}`).join('\n') + '\n.word s0\n', /symbol definitions nested more than 1000 deep/, 5001);
    });
    it('a chain of symbols each using the previous twice evaluates in linear time (was: exponential)', () => {
      const text = '.word s900\n' + Array.from({ length: 900 }, (_, i) => `s${i + 1} = s${i} + s${i}`).join('\n') + '\ns0 = 0\n';
      assert.deepEqual(one(text).map((d) => d.message), []);
    });
    it('deeply nested and very long expressions are errors (was: stack overflow)', () => {
      expectError('.word ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '\n', /expression too long|nested too deeply/, 1);
      expectError('.word ' + '('.repeat(300) + '1' + ')'.repeat(300) + '\n', /expression nested too deeply/, 1);
      expectError('.word ' + '-'.repeat(3000) + '1\n', /expression nested too deeply/, 1);
    });
    it('a file with 140000 errors reports them all (was: stack overflow in push(...diagnostics))', function () {
      this.timeout(fuzzTimeout(60000));
      const errors = one('.err\n'.repeat(140000));
      assert.equal(errors.length, 140000);
      assert.equal(errors[139999].line, 140000);
    });
    it('a file that includes itself stops with an error naming the include', () => {
      const errors = one('.include "fuzz.s"\n', 'fuzz.s', { 'fuzz.s': '.include "fuzz.s"\n' });
      assert.ok(errors.some((d) => /includes nested too deeply \(recursive \.include\?\)/.test(d.message)), errors.map((d) => d.message).join('\n'));
      assert.ok(errors.length < 5, `${errors.length} errors`);
    });
    it('a .S file that #includes itself stops with an error naming the include', () => {
      const errors = one('#include "fuzz.S"\n', 'fuzz.S', { 'fuzz.S': '#include "fuzz.S"\n' });
      assert.ok(errors.some((d) => /includes itself recursively/.test(d.message)), errors.map((d) => d.message).join('\n'));
    });
  });
});
