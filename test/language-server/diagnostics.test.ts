import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type { Diagnostic } from 'vscode-languageserver/node';
import { Client, fixture, uriOf } from './harness';

const find = (ds: Diagnostic[], re: RegExp) => {
  const d = ds.find((x) => re.test(x.message));
  assert.ok(d, `no diagnostic matching ${re} in ${JSON.stringify(ds.map((x) => x.message))}`);
  return d;
};

describe('language server: diagnostics', () => {
  let client: Client;
  beforeEach(async () => { client = await Client.inProcess(); });
  afterEach(() => client.dispose());

  it('publishes nothing for a correct file', async () => {
    assert.deepEqual(await client.open(fixture('prog.s')), []);
  });

  it('reports errors with the range of the offending text', async () => {
    const ds = await client.open(fixture('errors.s'));
    assert.equal(ds.length, 5, JSON.stringify(ds.map((d) => d.message)));
    const range = find(ds, /immediate 5000 out of range/);
    assert.deepEqual(range.range, { start: { line: 7, character: 24 }, end: { line: 7, character: 28 } });
    assert.equal(range.severity, 1);
    assert.equal(range.source, 'xpc-asm');
    const count = find(ds, /add takes 3 operands/);
    assert.deepEqual(count.range, { start: { line: 9, character: 8 }, end: { line: 9, character: 11 } });
    const missing = find(ds, /cannot find include file "missing.inc"/);
    assert.equal(missing.range.start.line, 10);
  });

  it('reports an error inside an included file at the include, linking to the real place', async () => {
    const ds = await client.open(fixture('errors.s'));
    const d = find(ds, /in included file bad.inc: unknown instruction 'frobnicate'/);
    assert.deepEqual(d.range, { start: { line: 0, character: 8 }, end: { line: 0, character: 26 } });
    assert.equal(d.relatedInformation?.length, 1);
    assert.equal(d.relatedInformation![0].location.uri, uriOf(fixture('bad.inc')));
    assert.deepEqual(d.relatedInformation![0].location.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 18 } });
  });

  it('reports an error inside a macro expansion at the invocation, linking to the body line', async () => {
    const ds = await client.open(fixture('errors.s'));
    const d = find(ds, /in expansion of macro 'load3': 'q9' is not a register/);
    assert.deepEqual(d.range, { start: { line: 8, character: 8 }, end: { line: 8, character: 13 } });
    const rel = d.relatedInformation!;
    assert.equal(rel[0].location.uri, uriOf(fixture('errors.s')));
    assert.equal(rel[0].location.range.start.line, 2);
  });

  it('follows edits and serves unsaved included files from the editor', async () => {
    const file = fixture('errors.s');
    assert.equal((await client.open(file)).length, 5);
    const text = fs.readFileSync(file, 'utf8').replace('5000', '50').replace('add     a0, a1', 'add     a0, a0, a1');
    assert.equal((await client.change(file, text)).length, 3);
    // Fixing bad.inc in the editor (unsaved) re-checks errors.s, which includes it.
    const again = client.waitDiagnostics(uriOf(file), 2);
    await client.open(fixture('bad.inc'), '        .equ    OK_VALUE, 1\n');
    const after = (await again).diagnostics;
    assert.equal(after.length, 2);
    assert.ok(!after.some((d) => /frobnicate/.test(d.message)));
  });

  it('runs the C preprocessor for .S files, with its includes', async () => {
    assert.deepEqual(await client.open(fixture('cpp.S')), []);
    const ds = await client.change(fixture('cpp.S'), '#include "nope.h"\n        nop\n');
    assert.equal(ds.length, 1);
    assert.match(ds[0].message, /nope\.h/);
    assert.equal(ds[0].range.start.line, 0);
  });

  it('clears diagnostics when a document closes', async () => {
    const file = fixture('errors.s');
    await client.open(file);
    const wait = client.waitDiagnostics(uriOf(file));
    await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(file) } });
    assert.deepEqual((await wait).diagnostics, []);
  });

  it('debounces: a burst of edits is checked once, after the last', async () => {
    const c = await Client.inProcess({ debounceMs: 30 });
    try {
      const file = fixture('prog.s');
      await c.open(file, 'nop\n');
      const uri = uriOf(file);
      const before = c.publishCount.get(uri);
      const wait = c.waitDiagnostics(uri, 6);
      for (let v = 2; v <= 6; v++) await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: v === 6 ? 'bogus\n' : 'nop\n' }] });
      const d = await wait;
      assert.equal(d.diagnostics.length, 1);
      assert.equal(c.publishCount.get(uri), before! + 1);
    } finally { c.dispose(); }
  });
});
