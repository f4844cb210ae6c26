// The language server on malformed input: mutated example sources in a workspace with a system
// description that is itself mutated (wrong values, broken JSON text), and every request at random
// positions. Every request must return (an answer, never an error response or an "internal error"
// in the log) and every diagnostic must lie in the document it is published for.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { CompletionItem, CompletionList, Diagnostic, SemanticTokens } from 'vscode-languageserver/node';
import { createConnection } from 'vscode-languageserver/node';
import { startServer } from '../../language/server/server';
import { Client, uriOf } from '../language-server/harness';
import { caseCount, fuzzTimeout, mutateSource, Rng, ROOT } from './fuzz-kit';
import { Json, mutate } from './json-mutations';

const EXAMPLES = ['echo-xpc', 'kvstore', 'chain', 'echo-ipc'];

/** A copy of some examples in a temporary workspace: the server reads system.json from disk. */
function makeWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-fuzz-lsp-'));
  for (const e of EXAMPLES) fs.cpSync(path.join(ROOT, 'examples', e), path.join(dir, e), { recursive: true });
  return dir;
}

/** An in-process server whose workspace folder is `root` (the shared harness's is its fixtures). */
async function startClient(root: string): Promise<Client> {
  const up = new PassThrough(), down = new PassThrough();
  const serverConn = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  startServer(serverConn);
  const conn = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const client = new Client(conn, () => { serverConn.dispose(); up.end(); down.end(); });
  await conn.sendRequest('initialize', {
    processId: null, rootUri: uriOf(root), workspaceFolders: [{ uri: uriOf(root), name: 'fuzz' }],
    initializationOptions: { debounceMs: 0 },
    capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } }, publishDiagnostics: { relatedInformation: true } } },
  });
  await conn.sendNotification('initialized', {});
  return client;
}

function checkPublished(ds: readonly Diagnostic[], lines: number, what: () => string): void {
  for (const d of ds) {
    const r = d.range;
    if (!(r.start.line >= 0 && r.start.line <= lines && r.end.line >= r.start.line && r.start.character >= 0)) assert.fail(`${what()}: diagnostic outside the document: ${JSON.stringify(d)}`);
    if (!d.message || /internal error/i.test(d.message)) assert.fail(`${what()}: ${d.message}`);
  }
}

/** Mutates a system description: its values (most cases) or its text (JSON that does not parse). */
function mutateDescription(rng: Rng, text: string): string {
  if (rng.chance(0.7)) {
    const v = mutate(rng, JSON.parse(text) as Json);
    const out = JSON.stringify(v, null, rng.chance(0.5) ? 2 : undefined);
    return out.length > 2_000_000 ? text : out;
  }
  return mutateSource(rng, text, 1 + rng.int(4));
}

describe('fuzz: language server', function () {
  this.timeout(fuzzTimeout(60000));
  let root: string;
  let client: Client;
  const opened = new Set<string>();
  /** Opens a document the first time, replaces its text after; resolves to its diagnostics. */
  const show = (file: string, text: string): Promise<Diagnostic[]> => {
    const first = !opened.has(file);
    opened.add(file);
    return first ? client.open(file, text) : client.change(file, text);
  };
  before(async () => { root = makeWorkspace(); client = await startClient(root); });
  after(() => { client?.dispose(); fs.rmSync(root, { recursive: true, force: true }); });

  it('answers every request on mutated sources and mutated system descriptions', async function () {
    this.timeout(fuzzTimeout(180000));
    const sources = EXAMPLES.flatMap((e) => fs.readdirSync(path.join(root, e)).filter((f) => /\.(S|inc)$/.test(f)).map((f) => path.join(root, e, f)));
    const descriptions = EXAMPLES.flatMap((e) => fs.readdirSync(path.join(root, e)).filter((f) => /system.*\.json$/.test(f)).map((f) => path.join(root, e, f)));
    const originals = new Map([...sources, ...descriptions].map((f) => [f, fs.readFileSync(f, 'utf8')]));
    let requests = 0;
    // Cases are async: runCases's loop is replaced by the same seed scheme (XPC_FUZZ_SEED replays one).
    const replay = process.env.XPC_FUZZ_SEED;
    const seeds = replay !== undefined ? [Number(replay)] : Array.from({ length: caseCount(80) }, (_, i) => 0x15b0_0000 + i);
    for (const seed of seeds) {
      const rng = new Rng(seed);
      const file = rng.pick(sources);
      const uri = uriOf(file);
      const what = () => `language server case with seed ${seed} (replay: XPC_FUZZ_SEED=${seed}), ${path.relative(root, file)}`;
      try {
        if (rng.chance(0.3)) {
          // The description changes on disk: the server rereads it (watched-file event or the next check).
          const desc = rng.pick(descriptions);
          fs.writeFileSync(desc, rng.chance(0.2) ? originals.get(desc)! : mutateDescription(rng, originals.get(desc)!));
          await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(desc), type: 2 }] });
        }
        let text = rng.chance(0.1) ? originals.get(file)! : mutateSource(rng, originals.get(file)!, 1 + rng.int(5));
        if (rng.chance(0.15)) {
          // The document includes itself, or another source that may include it back.
          const lines = text.split('\n');
          const other = path.basename(rng.chance(0.5) ? file : rng.pick(sources));
          lines.splice(rng.int(lines.length + 1), 0, rng.chance(0.5) ? `.include "${other}"` : `#include "${other}"`);
          text = lines.join('\n');
        }
        const diags = await show(file, text);
        const lines = text.split('\n');
        checkPublished(diags, lines.length, what);
        for (const [u, p] of client.published) if (u.endsWith('.json')) checkPublished(p.diagnostics, 100000, what);
        const doc = { textDocument: { uri } };
        const ask = async <R>(method: string, params: object): Promise<R> => {
          requests++;
          try {
            return await client.request<R>(method, params);
          } catch (e) {
            // An invalid new name for rename is the user's mistake and answered as such.
            if (method === 'textDocument/rename' && /not a valid symbol name/.test(String((e as Error).message))) return undefined as R;
            throw new Error(`${method} ${JSON.stringify(params)} failed: ${(e as Error).message}`);
          }
        };
        for (let q = 0; q < 4; q++) {
          const line = rng.int(lines.length + 2);
          const character = rng.int((lines[line]?.length ?? 0) + 3);
          const pos = { ...doc, position: { line, character } };
          await ask('textDocument/hover', pos);
          const items = await ask<CompletionList | CompletionItem[] | null>('textDocument/completion', pos);
          const list = Array.isArray(items) ? items : items?.items ?? [];
          if (list.length) await ask('completionItem/resolve', rng.pick(list));
          await ask('textDocument/definition', pos);
          await ask('textDocument/references', { ...pos, context: { includeDeclaration: rng.chance(0.5) } });
          await ask('textDocument/prepareRename', pos);
          if (rng.chance(0.3)) await ask('textDocument/rename', { ...pos, newName: rng.pick(['x', 'new_name', '1bad', '', 'a b', 'é']) });
          await ask('textDocument/signatureHelp', pos);
        }
        await ask('textDocument/documentSymbol', doc);
        await ask('textDocument/foldingRange', doc);
        await ask('workspace/symbol', { query: rng.pick(['', 'echo', 'x', '_start', '\u0000']) });
        const tokens = await ask<SemanticTokens>('textDocument/semanticTokens/full', doc);
        if (tokens.data.length % 5 !== 0) assert.fail(`${what()}: semantic tokens not in fives`);
        await ask('textDocument/formatting', { ...doc, options: { tabSize: 8, insertSpaces: true } });
        await ask('textDocument/inlayHint', { ...doc, range: { start: { line: 0, character: 0 }, end: { line: lines.length + 1, character: 0 } } });
        const internal = client.logs.filter((l) => /internal error/i.test(l));
        if (internal.length) assert.fail(`${what()}: ${internal.join('\n')}`);
      } catch (e) {
        throw new Error(`${what()}\n${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      }
    }
    assert.ok(requests > 0);
    for (const d of descriptions) fs.writeFileSync(d, originals.get(d)!);
  });

  it('a deeply nested or huge system description is read without an exception', async function () {
    this.timeout(fuzzTimeout(60000));
    const desc = path.join(root, 'echo-xpc', 'system.json');
    const file = path.join(root, 'echo-xpc', 'client.S');
    const original = fs.readFileSync(path.join(ROOT, 'examples/echo-xpc/system.json'), 'utf8');
    assert.ok(original.includes('"processes": ['));
    // Written as text: JSON.stringify itself overflows the stack on such nesting.
    const deep = original.replace('"processes": [', `"processes": [{ "name": "deep", "sources": ["client.S"], "caps": ${'['.repeat(5000)}1${']'.repeat(5000)} },`);
    for (const text of [deep, '['.repeat(100000), '{"processes": [' + '{"name": "p", "sources": ["client.S"]},'.repeat(20000) + '{}]}', original]) {
      fs.writeFileSync(desc, text);
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(desc), type: 2 }] });
      const ds = await show(file, fs.readFileSync(path.join(ROOT, 'examples/echo-xpc/client.S'), 'utf8') + `\n# ${text.length}\n`);
      checkPublished(ds, 1000, () => `description of ${text.length} characters`);
      await client.request('textDocument/inlayHint', { textDocument: { uri: uriOf(file) }, range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } } });
      await client.request('textDocument/hover', { textDocument: { uri: uriOf(file) }, position: { line: 10, character: 10 } });
    }
    assert.deepEqual(client.logs.filter((l) => /internal error/i.test(l)), []);
  });
});
