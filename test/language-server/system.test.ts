// The language server with system descriptions: process sources assembled as the system builder
// does (kernel include dirs, injected defines), the XPC checks (grants, handlers), and the
// hints, hovers and definitions of the injected names. Over the LSP stream, on fixture files.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type {
  CompletionList, Diagnostic, Hover, InlayHint, Location, MarkupContent, PublishDiagnosticsParams, SemanticTokens, SemanticTokensLegend,
} from 'vscode-languageserver/node';
import { Client, FIXTURES, fixture, uriOf } from './harness';

const DIR = fixture('xpc-system');
const CLIENT = path.join(DIR, 'client.S');
const SERVER = path.join(DIR, 'server.S');
const SYSTEM = path.join(DIR, 'system.json');
const EXAMPLES = path.resolve(FIXTURES, '../../../examples');

const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === 1);
const messages = (ds: Diagnostic[]) => JSON.stringify(ds.map((d) => `${d.range.start.line}: ${d.message}`));
const hoverText = (h: Hover | null) => { assert.ok(h, 'no hover'); return (h.contents as MarkupContent).value; };
const labelOf = (h: InlayHint) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));

/** The 0-based range of the first occurrence of `needle` in a file's text. */
function rangeOf(text: string, needle: string): { start: { line: number; character: number }; end: { line: number; character: number } } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `'${needle}' not in text`);
  const before = text.slice(0, at).split('\n');
  const line = before.length - 1, character = before[before.length - 1].length;
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

describe('language server: system descriptions', () => {
  let client: Client;
  beforeEach(async () => { client = await Client.inProcess(); });
  afterEach(() => client.dispose());

  it('assembles every example process source as the system builder does: no errors', async () => {
    const files = fs.readdirSync(EXAMPLES).flatMap((d) => {
      const dir = path.join(EXAMPLES, d);
      return fs.statSync(dir).isDirectory() ? fs.readdirSync(dir).filter((f) => /\.S$/.test(f)).map((f) => path.join(dir, f)) : [];
    });
    assert.ok(files.length >= 5, `found only ${files.length} example sources`);
    const kernelBased = files.filter((f) => fs.existsSync(path.join(path.dirname(f), 'system.json')));
    assert.ok(kernelBased.length >= 3, 'no kernel-based examples found');
    for (const f of files) assert.deepEqual(errors(await client.open(f)).map((d) => `${f}:${d.range.start.line + 1}: ${d.message}`), []);
  });

  it('finds includes in kernel/include, kernel/lib/xpc and the process includeDirs, and knows the injected names', async () => {
    assert.deepEqual(errors(await client.open(SERVER)), []);
    const ds = await client.open(CLIENT);
    assert.deepEqual(errors(ds), [], messages(ds));
  });

  it('reports an .include that cannot be found at the include, in a process source too', async () => {
    const text = fs.readFileSync(CLIENT, 'utf8').replace('.include "client-defs.inc"', '.include "no-such-file.inc"');
    await client.open(CLIENT);
    const ds = await client.change(CLIENT, text);
    const d = ds.find((x) => /cannot find include file "no-such-file.inc"/.test(x.message));
    assert.ok(d, messages(ds));
    assert.equal(d.severity, 1);
    assert.equal(d.range.start.line, rangeOf(text, 'no-such-file').start.line);
  });

  it('warns at an XENTRY_ use the process has no grant for, naming process and entry', async () => {
    const text = fs.readFileSync(CLIENT, 'utf8');
    const ds = await client.open(CLIENT);
    const warnings = ds.filter((d) => d.severity === 2);
    assert.equal(warnings.length, 1, messages(ds));
    assert.deepEqual(warnings[0].range, rangeOf(text, 'XENTRY_AUDIT'));
    assert.match(warnings[0].message, /process 'client' has no grant for x-entry 'audit'/);
    assert.equal(warnings[0].relatedInformation?.[0].location.uri, uriOf(SYSTEM));
    // The granted entry is fine; a name no entry defines is flagged.
    const more = await client.change(CLIENT, text + '        li      a6, XENTRY_NOPE\n');
    const nope = more.find((d) => /XENTRY_NOPE/.test(d.message));
    assert.ok(nope, messages(more));
    assert.match(nope.message, /x-entries: echo, audit/);
    assert.ok(!more.some((d) => /'echo'/.test(d.message)));
  });

  it('publishes the description\'s problems for system.json: an undefined handler, an unknown granted entry', async () => {
    const systemText = fs.readFileSync(SYSTEM, 'utf8');
    const wait = client.waitDiagnostics(uriOf(SYSTEM));
    await client.open(CLIENT);
    const ds = (await wait).diagnostics;
    assert.equal(ds.length, 2, messages(ds));
    const handler = ds.find((d) => /handler 'audit_entry' is not defined in the sources of process 'server'/.test(d.message));
    assert.ok(handler, messages(ds));
    assert.deepEqual(handler.range, rangeOf(systemText, '"audit_entry"'));
    const grant = ds.find((d) => /no x-entry named 'nosuch'/.test(d.message));
    assert.ok(grant);
    assert.deepEqual(grant.range, rangeOf(systemText, '"nosuch"'));
  });

  it('flags call contexts that disagree with the XPC_ENTRY stub, as the builder refuses them', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-ls-system-'));
    try {
      for (const f of ['system.json', 'client.S', 'server.S']) fs.copyFileSync(path.join(DIR, f), path.join(tmp, f));
      fs.mkdirSync(path.join(tmp, 'inc'));
      fs.copyFileSync(path.join(DIR, 'inc', 'client-defs.inc'), path.join(tmp, 'inc', 'client-defs.inc'));
      const system2 = path.join(tmp, 'system.json');
      const edited = fs.readFileSync(system2, 'utf8').replace('"contexts": 2', '"contexts": 3');
      fs.writeFileSync(system2, edited);
      const wait = client.waitDiagnostics(uriOf(system2));
      await client.open(path.join(tmp, 'client.S'));
      const ds = (await wait).diagnostics;
      const contexts = ds.find((d) => /3 call contexts, but the XPC_ENTRY stub 'echo_entry' in server's sources has 2/.test(d.message));
      assert.ok(contexts, messages(ds));
      const key = rangeOf(edited, '"contexts": 3');
      assert.deepEqual(contexts.range, { start: { ...key.start, character: key.end.character - 1 }, end: key.end });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('checks the handler against the unsaved text of the owner\'s source', async () => {
    await client.open(CLIENT);
    const text = fs.readFileSync(SERVER, 'utf8');
    await client.open(SERVER);
    const fixed = client.waitDiagnostics(uriOf(SYSTEM));
    await client.change(SERVER, text + '        .globl  audit_entry\naudit_entry:\n        ret\n');
    const ds = (await fixed).diagnostics;
    assert.ok(!ds.some((d) => /audit_entry/.test(d.message)), messages(ds));
    assert.equal(ds.length, 1);
  });

  it('shows the x-entry an XENTRY_ names and the segment a SEG_ names as inlay hints', async () => {
    await client.open(CLIENT);
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: uriOf(CLIENT) }, range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } } });
    const text = fs.readFileSync(CLIENT, 'utf8');
    const at = (needle: string) => hints.find((h) => h.position.line === rangeOf(text, needle).end.line && h.position.character === rangeOf(text, needle).end.character);
    assert.equal(labelOf(at('XENTRY_ECHO')!), '→ server.echo_entry #1');
    assert.equal(labelOf(at('XENTRY_AUDIT')!), '→ server.audit_entry #2');
    assert.equal(labelOf(at('SEG_MSG')!), '→ segment msg (client slot 0)');
    // The .equ from the process's include dir keeps its value hint.
    assert.equal(labelOf(at('MSG_LEN')!), '= 17');
  });

  it('hovers the injected names with what they name in the description', async () => {
    await client.open(CLIENT);
    const hover = (needle: string) => client.request<Hover | null>('textDocument/hover', client.at(CLIENT, needle, 1));
    const x = hoverText(await hover('XENTRY_ECHO'));
    assert.match(x, /\*\*XENTRY_ECHO\*\* = `1` — x-entry `echo` \(id 1\) of process `server`, handler `echo_entry`, 2 call contexts/);
    assert.match(x, /`client` may xcall it/);
    assert.match(hoverText(await hover('XENTRY_AUDIT')), /`client` has \*\*no grant\*\*/);
    assert.match(hoverText(await hover('SEG_MSG')), /relay segment `msg`: 4096 bytes, rw, owner `client`, slot 0/);
    assert.match(hoverText(await hover('LOGGER')), /cap slot 2 of process `client`: endpoint log, rights w, badge 7/);
    assert.match(hoverText(await hover('MEM_SHARED_BUF')), /shared memory `shared-buf` \(8192 bytes\) mapped rw at `0x40000000`/);
  });

  it('goes to the definition of an injected name in system.json', async () => {
    await client.open(CLIENT);
    const locs = await client.request<Location[]>('textDocument/definition', client.at(CLIENT, 'XENTRY_ECHO', 2));
    assert.equal(locs.length, 1);
    assert.equal(locs[0].uri, uriOf(SYSTEM));
    assert.deepEqual(locs[0].range, rangeOf(fs.readFileSync(SYSTEM, 'utf8'), '"echo"'));
  });

  it('completes the injected names in an operand, with what they name', async () => {
    const text = fs.readFileSync(CLIENT, 'utf8');
    await client.open(CLIENT);
    const pos = rangeOf(text, 'XENTRY_ECHO').start;
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: uriOf(CLIENT) }, position: pos });
    const item = (label: string) => list.items.find((i) => i.label === label);
    assert.equal(item('XENTRY_ECHO')?.detail, 'x-entry echo = 1 (server.echo_entry)');
    assert.equal(item('SEG_MSG')?.detail, 'relay segment msg: slot 0 of client');
    assert.equal(item('LOGGER')?.detail, 'cap slot 2: endpoint log');
    assert.equal(item('MEM_SHARED_BUF')?.detail, 'shared memory shared-buf at 0x40000000');
    // Another process's cap names are not injected here.
    assert.equal(item('LOG_EP'), undefined);
  });

  it('colours the injected names as #defines (semantic tokens)', async () => {
    const text = fs.readFileSync(CLIENT, 'utf8');
    await client.open(CLIENT);
    const r = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: uriOf(CLIENT) } });
    const legend: SemanticTokensLegend = client.initializeResult!.capabilities.semanticTokensProvider!.legend;
    const typeAt = new Map<string, string>();
    let line = 0, start = 0;
    for (let k = 0; k < r.data.length; k += 5) {
      line += r.data[k];
      start = r.data[k] ? r.data[k + 1] : start + r.data[k + 1];
      typeAt.set(`${line}:${start}`, legend.tokenTypes[r.data[k + 3]]);
    }
    for (const name of ['XENTRY_ECHO', 'SEG_MSG', 'LOGGER', 'MEM_SHARED_BUF']) {
      const p = rangeOf(text, name).start;
      assert.equal(typeAt.get(`${p.line}:${p.character}`), 'macro', name);
    }
  });

  it('checks again when system.json changes (watched-file notification, or the next edit)', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-ls-system-'));
    try {
      for (const f of ['system.json', 'client.S', 'server.S']) fs.copyFileSync(path.join(DIR, f), path.join(tmp, f));
      fs.mkdirSync(path.join(tmp, 'inc'));
      fs.copyFileSync(path.join(DIR, 'inc', 'client-defs.inc'), path.join(tmp, 'inc', 'client-defs.inc'));
      const client2 = path.join(tmp, 'client.S'), system2 = path.join(tmp, 'system.json');
      const firstSystem = client.waitDiagnostics(uriOf(system2));
      const before = await client.open(client2);
      await firstSystem;
      assert.ok(before.some((d) => /no grant for x-entry 'audit'/.test(d.message)));

      // Grant audit too, and say so.
      const text = fs.readFileSync(system2, 'utf8');
      fs.writeFileSync(system2, text.replace('"entries": ["echo", "nosuch"]', '"entries": ["echo", "audit"]'));
      const again = client.waitDiagnostics(uriOf(client2));
      const systemAgain = client.waitDiagnostics(uriOf(system2));
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(system2), type: 2 }] });
      assert.deepEqual((await again).diagnostics, []);
      const sys: PublishDiagnosticsParams = await systemAgain;
      assert.ok(!sys.diagnostics.some((d) => /nosuch/.test(d.message)), messages(sys.diagnostics));

      // Without a notification: the next diagnostics run sees the new file (mtime and size changed).
      fs.writeFileSync(system2, text.replace('"entries": ["echo", "nosuch"]', '"entries": []'));
      const ds = await client.change(client2, fs.readFileSync(client2, 'utf8') + '\n');
      assert.equal(ds.filter((d) => /no grant/.test(d.message)).length, 2, messages(ds));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('checks a source shared by several processes for each of them (a description named system-*.json)', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-ls-system-'));
    try {
      const lib = path.join(tmp, 'lib.S');
      fs.writeFileSync(lib, '        .text\ncall_echo:\n        li      a6, XENTRY_ECHO\n        xcall   a6\n        li      a6, XENTRY_AUDIT\n        ret\n');
      fs.writeFileSync(path.join(tmp, 'system-lib.json'), JSON.stringify({
        processes: [{ name: 'server', sources: ['lib.S'] }, { name: 'client', sources: ['lib.S'] }],
        xEntries: [{ name: 'echo', process: 'server', handler: 'call_echo' }, { name: 'audit', process: 'server', handler: 'call_echo' }],
        grants: [{ process: 'client', entries: ['echo'] }],
      }));
      const ds = await client.open(lib);
      assert.deepEqual(ds.map((d) => [d.range.start.line, d.message.replace(/ \(XENTRY.*$/, '')]), [
        [2, "process 'server' has no grant for x-entry 'echo'"],
        [4, "processes 'server', 'client' have no grant for x-entry 'audit'"],
      ]);
      assert.deepEqual(ds.map((d) => d.severity), [2, 2]);
      // Holding the entry's grant cap, both may grant it at run time: information, not a warning.
      const cap = [{ slot: 3, xentry: 'audit', rights: 'g' }];
      fs.writeFileSync(path.join(tmp, 'system-lib.json'), JSON.stringify({
        processes: [{ name: 'server', sources: ['lib.S'], caps: cap }, { name: 'client', sources: ['lib.S'], caps: cap }],
        xEntries: [{ name: 'echo', process: 'server', handler: 'call_echo' }, { name: 'audit', process: 'server', handler: 'call_echo' }],
        grants: [{ process: 'client', entries: ['echo'] }],
      }, null, 1));
      const after = await client.change(lib, fs.readFileSync(lib, 'utf8') + '\n');
      assert.deepEqual(after.map((d) => d.severity), [2, 3]);
      assert.match(after[1].message, /not granted at boot \(a cap to the x-entry is held/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('reads descriptions without the builder: from kernel/ only the pure naming rules and ABI tables, from the emulator only isa', () => {
    const dir = path.resolve(FIXTURES, '../../../language/server');
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const [, spec] of text.matchAll(/from '([^']+)'/g)) {
        const outside = spec.startsWith('../../');
        assert.ok(!outside || /^\.\.\/\.\.\/(emulator\/isa\/|kernel\/abi\/abi$|kernel\/system\/names$)/.test(spec), `${f} imports ${spec}`);
      }
    }
  });

  it('survives a broken or half-written system.json', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-ls-system-'));
    try {
      fs.copyFileSync(CLIENT, path.join(tmp, 'client.S'));
      const file = path.join(tmp, 'client.S');
      // Cut mid-way: the processes read so far still count; garbage gives no description.
      fs.writeFileSync(path.join(tmp, 'system.json'), '{ "processes": [ { "name": "client", "sources": ["client.S"], "caps": [{ "slot": 2, "name": "LOGGER"');
      let ds = await client.open(file);
      assert.ok(!ds.some((d) => /LOGGER/.test(d.message)), messages(ds));
      assert.ok(!ds.some((d) => /user\.inc/.test(d.message)), messages(ds));
      for (const junk of ['', '[1, 2', '{"processes": 5, "xEntries": {"a": 1}, "grants": [null, 3, {"entries": [1]}]}', '{'.repeat(100000)]) {
        fs.writeFileSync(path.join(tmp, 'system.json'), junk);
        ds = await client.change(file, fs.readFileSync(file, 'utf8') + '\n');
        assert.ok(Array.isArray(ds));
      }
      assert.deepEqual(client.logs.filter((l) => /internal error/.test(l)), []);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
