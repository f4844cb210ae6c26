// System descriptions on malformed input: mutations of the examples' system.json (wrong types at
// every path, missing keys, huge and negative numbers, NaN-like strings, duplicated names, deep
// nesting, unknown keys, long lists) must give diagnostics with a JSON path, never an exception.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSystem, buildSystemFrom } from '../../kernel/system/build';
import { SystemDiagnostic, validateDescription } from '../../kernel/system/validate';
import { caseCount, filesUnder, fuzzTimeout, ROOT, runCases } from './fuzz-kit';
import { Json, mutate } from './json-mutations';

const DESCRIPTIONS = [
  ...filesUnder(path.join(ROOT, 'examples'), /system.*\.json$/),
  ...filesUnder(path.join(ROOT, 'test/kernel/fixtures'), /\.json$/),
].map((file) => ({ file, json: JSON.parse(fs.readFileSync(file, 'utf8')) as Json }));

// `$`, `(kernel)`, or names, `.name`, `[index]` and `["quoted key"]` steps.
const PATH = /^(\$|\(kernel\)|(\$|[A-Za-z_$][\w$-]*)(\[\d+\]|\.[A-Za-z_$][\w$-]*|\["([^"\\]|\\.)*"\])*)$/;

function checkDiagnostics(ds: readonly SystemDiagnostic[], what: () => string): void {
  // Messages are built only on failure: describing a mutated description can be expensive.
  const fail = (problem: string) => assert.fail(`${what()}: ${problem}`);
  if (!Array.isArray(ds)) fail('no diagnostics list');
  for (const d of ds) {
    if (!(typeof d.path === 'string' && d.path.length > 0 && PATH.test(d.path))) fail(`bad JSON path ${JSON.stringify(d.path)}`);
    if (!(typeof d.message === 'string' && d.message.length > 0)) fail(`empty message at ${d.path}`);
    if (/internal error|TypeError|RangeError|is not a function|Cannot read prop|\[object Object\]/.test(d.message)) fail(`unchecked failure at ${d.path}: ${d.message}`);
  }
}

function short(v: Json): string {
  let s: string;
  try { s = JSON.stringify(v); } catch { s = '(too large to show)'; }
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

describe('fuzz: system descriptions', function () {
  this.timeout(fuzzTimeout(60000));
  it(`has descriptions to mutate (${DESCRIPTIONS.length})`, () => {
    assert.ok(DESCRIPTIONS.length >= 8);
    for (const d of DESCRIPTIONS) assert.deepEqual(validateDescription(d.json).diagnostics, [], d.file);
  });

  it('validates mutated descriptions with diagnostics by JSON path, never an exception', function () {
    this.timeout(fuzzTimeout(60000));
    let valid = 0, invalid = 0;
    runCases('system/validate', 0x5a5a_0000, caseCount(3000), (rng) => {
      const d = rng.pick(DESCRIPTIONS);
      const raw = mutate(rng, d.json);
      const what = () => `${path.relative(ROOT, d.file)} → ${short(raw)}`;
      const r = validateDescription(raw);
      checkDiagnostics(r.diagnostics, what);
      if ((r.description === undefined) !== r.diagnostics.length > 0) assert.fail(`${what()}: a description and diagnostics, or neither`);
      if (r.description) valid++; else invalid++;
    });
    if (process.env.XPC_FUZZ_SEED === undefined) {
      assert.ok(valid > 50 && invalid > 50, `valid ${valid}, invalid ${invalid}`);
    }
  });

  it('builds mutated descriptions that pass validation, or reports by JSON path', function () {
    this.timeout(fuzzTimeout(120000));
    // Building assembles the kernel and every process: only descriptions that validate are built.
    let built = 0;
    runCases('system/build', 0x5b5b_0000, caseCount(400), (rng) => {
      const d = rng.pick(DESCRIPTIONS);
      const raw = mutate(rng, d.json);
      if (validateDescription(raw).description === undefined || built >= caseCount(12)) return;
      built++;
      const r = buildSystemFrom(raw, d.file);
      checkDiagnostics(r.diagnostics, () => `${path.relative(ROOT, d.file)} → ${short(raw)}`);
      assert.equal(r.image === undefined, r.diagnostics.length > 0);
    });
    if (process.env.XPC_FUZZ_SEED === undefined) assert.ok(built >= 10, `only ${built} mutated descriptions validated`);
  });

  describe('regressions', () => {
    const echo = () => structuredClone(DESCRIPTIONS.find((d) => d.file.endsWith(path.join('echo-xpc', 'system.json')))!);

    it('an x-entry granted 70000 times is an error at its path (was: RangeError writing past the boot info)', () => {
      const d = echo();
      const raw = d.json as { grants: { entries: string[] }[] };
      raw.grants[0].entries = Array.from({ length: 70000 }, () => 'echo');
      const r = buildSystemFrom(raw, d.file);
      assert.equal(r.image, undefined);
      assert.deepEqual(r.diagnostics[0], { path: 'grants[0].entries[1]', message: "x-entry 'echo' is already granted here" });
    });

    it('names values that are not strings by their kind (was: "unknown endpoint \'[object Object]\'")', () => {
      const d = echo();
      (d.json as { exitOn: Json }).exitOn = { a: 1 };
      (d.json as { xEntries: { process: Json }[] }).xEntries[0].process = [[[]]];
      const r = validateDescription(d.json);
      assert.deepEqual(r.diagnostics.map((x) => `${x.path}: ${x.message}`), ['exitOn: unknown process an object', 'xEntries[0].process: unknown process a list']);
    });

    it('processes whose .bss is far larger than RAM are reported before their frames are allocated (was: up to 4 GiB for 16 such processes)', function () {
      this.timeout(fuzzTimeout(60000));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-fuzz-system-'));
      try {
        fs.writeFileSync(path.join(dir, 'big.S'), '.globl _start\n_start: j _start\n.bss\n.space 0x0f000000\n');
        const one = buildSystemFrom({ processes: [{ name: 'big', sources: ['big.S'] }] }, path.join(dir, 'system.json'));
        assert.equal(one.image, undefined);
        assert.deepEqual(one.diagnostics.map((x) => x.path), ['processes']);
        assert.match(one.diagnostics[0].message, /the system needs 24\d MiB of RAM; the board has 128 MiB/);
        const processes = ['a', 'b', 'c'].map((name) => ({ name, sources: ['big.S'] }));
        const three = buildSystemFrom({ processes }, path.join(dir, 'system.json'));
        assert.equal(three.image, undefined);
        assert.deepEqual(three.diagnostics.map((x) => `${x.path}: ${x.message}`), ["processes: the system needs more than 512 MiB of RAM; the board has 128 MiB (reduce heapSize, stackSize, memory sizes or the processes' code and data)"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('reports text that is not JSON at $ (buildSystem on a file)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-fuzz-system-'));
    try {
      const file = path.join(dir, 'system.json');
      runCases('system/text', 0x5c5c_0000, caseCount(200), (rng) => {
        const text = fs.readFileSync(rng.pick(DESCRIPTIONS).file, 'utf8');
        const at = rng.int(text.length);
        const broken = rng.chance(0.5) ? text.slice(0, at) : text.slice(0, at) + rng.pick(['{', '}', ',', '"', '\u0000', ']]', 'NaN', '\ud800']) + text.slice(at);
        try { JSON.parse(broken); return; } catch { /* the case this test is about */ }
        fs.writeFileSync(file, broken);
        const r = buildSystem(file);
        assert.equal(r.image, undefined);
        assert.equal(r.diagnostics.length, 1);
        assert.equal(r.diagnostics[0].path, '$');
        assert.match(r.diagnostics[0].message, /not valid JSON/);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
