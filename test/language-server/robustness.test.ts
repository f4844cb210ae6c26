import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, Hover, InitializeResult, PublishDiagnosticsParams, SemanticTokens, TextEdit } from 'vscode-languageserver/node';
import { assembleOne } from '../../language/asm';
import { benchLanguageServer } from '../../language/server/bench';
import { DEFAULT_FORMAT, formatLines } from '../../language/server/format';
import { Client, fixture, uriOf } from './harness';

/** A small deterministic generator, so a failing document can be reproduced from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

const PIECES = [
  'addi', 'a0', ',', ' ', '\t', '\n', '.macro', '.endm', '.rept', '.endr', '.if', '.endif', '.include', '"', "'", '(', ')',
  '%hi(', '%pcrel_lo(', '1:', '1b', '1f', 'label:', '.equ', 'x', '=', '/*', '*/', '#', '//', ';', '\\', '\\@', '\\x', 'csrr',
  'mstatus', 'xcap', '0x', '99999999999999999999', '-', '.section', '#define', '#include', '#if', '#endif', '.L', 'li', '\u00e9', '\r\n',
  '.irp', '.else', 'push', 'call', 'la', '.word', '.asciz', '.option', 'push', 'pop', '.include "fuzz.s"', '.macro m a\nm \\a\n.endm\nm 1\n',
];

describe('language server: robustness', () => {
  it('answers a request whose handler fails with an error, logs it, and goes on serving', async () => {
    let fail = true;
    const client = await Client.inProcess({}, { beforeRequest: (m) => { if (fail && m === 'textDocument/hover') throw new Error('injected failure'); } });
    try {
      await client.open(fixture('prog.s'));
      const at = client.at(fixture('prog.s'), 'addi');
      await assert.rejects(client.request('textDocument/hover', at), (e: { code?: number; message?: string }) => e.code === -32603 && /injected failure/.test(e.message ?? ''));
      assert.ok(client.logs.some((l) => /internal error in textDocument\/hover: Error: injected failure/.test(l)), client.logs.join('\n'));
      fail = false;
      assert.ok(await client.request<Hover | null>('textDocument/hover', at));
    } finally { client.dispose(); }
  });

  it('guards the semantic tokens, signature help, formatting and inlay hint handlers too', async () => {
    const failing = new Set(['textDocument/semanticTokens/full', 'textDocument/signatureHelp', 'textDocument/formatting', 'textDocument/inlayHint']);
    const client = await Client.inProcess({}, { beforeRequest: (m) => { if (failing.has(m)) throw new Error(`injected failure in ${m}`); } });
    try {
      const file = fixture('prog.s');
      await client.open(file);
      const doc = { textDocument: { uri: uriOf(file) } };
      const requests: [string, object][] = [
        ['textDocument/semanticTokens/full', doc],
        ['textDocument/signatureHelp', client.at(file, 'addi    t1', 9)],
        ['textDocument/formatting', { ...doc, options: { tabSize: 8, insertSpaces: true } }],
        ['textDocument/inlayHint', { ...doc, range: { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } } }],
      ];
      for (const [method, params] of requests) {
        await assert.rejects(client.request(method, params), (e: { code?: number }) => e.code === -32603, method);
        assert.ok(client.logs.some((l) => l.includes(`internal error in ${method}: Error: injected failure`)), method);
      }
      // Still serving.
      assert.ok(await client.request<Hover | null>('textDocument/hover', client.at(file, 'addi')));
    } finally { client.dispose(); }
  });

  it('survives arbitrary document content: every request is answered, nothing is logged', async function () {
    this.timeout(20000);
    const client = await Client.inProcess();
    try {
      const file = fixture('fuzz.s');
      const uri = uriOf(file);
      await client.open(file, '');
      const rand = rng(1234);
      for (let doc = 0; doc < 60; doc++) {
        let text = '';
        const n = Math.floor(rand() * 80);
        for (let k = 0; k < n; k++) text += rand() < 0.1 ? String.fromCharCode(Math.floor(rand() * 0x3000)) : PIECES[Math.floor(rand() * PIECES.length)];
        const diags: Diagnostic[] = await client.change(file, text);
        assert.ok(Array.isArray(diags));
        const lines = text.split('\n');
        for (let q = 0; q < 6; q++) {
          const line = Math.floor(rand() * (lines.length + 1));
          const character = Math.floor(rand() * ((lines[line]?.length ?? 0) + 2));
          const pos = { textDocument: { uri }, position: { line, character } };
          await client.request('textDocument/hover', pos);
          await client.request('textDocument/completion', pos);
          await client.request('textDocument/definition', pos);
          await client.request('textDocument/references', { ...pos, context: { includeDeclaration: true } });
          await client.request('textDocument/prepareRename', pos);
          await client.request('textDocument/signatureHelp', pos);
        }
        await client.request('textDocument/documentSymbol', { textDocument: { uri } });
        await client.request('textDocument/foldingRange', { textDocument: { uri } });
        const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
        assert.equal(tokens.data.length % 5, 0);
        // Tokens in order and never overlapping: a later token on the same line starts past the earlier one's end.
        for (let k = 5; k < tokens.data.length; k += 5) if (tokens.data[k] === 0) assert.ok(tokens.data[k + 1] >= tokens.data[k - 3], `overlap in ${JSON.stringify(text)}`);
        await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 8, insertSpaces: true } });
        await client.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } } });
      }
      assert.deepEqual(client.logs, []);
    } finally { client.dispose(); }
  });

  it('formats arbitrary content idempotently and without changing what it assembles to', () => {
    const rand = rng(99);
    // Statement-shaped pieces, so most documents get past the first line and formatting has work to do.
    const parts = [...PIECES, '  addi a0 ,a1,  1', 'lbl: ', '  .word 1,2 ,3', '  sd ra , 8( sp )', ' # c', '  nop /* x */', '; ', '  m a0 ,1', '\t', '\n  ',
      ' .ascii "x , y"', ".byte ',', ' '", '.ifc a ,b\n', ".irpc c, ab\n.byte '\\c'\n.endr\n", '.macro m a, b\n .byte \\a , \\b\n.endm\n', 'x = 1 ,2', '\f', '\v'];
    for (let doc = 0; doc < 300; doc++) {
      let text = '';
      const n = Math.floor(rand() * 40);
      for (let k = 0; k < n; k++) text += parts[Math.floor(rand() * parts.length)];
      for (const file of ['fuzz.s', 'fuzz.S']) {
        const cpp = file.endsWith('.S');
        const once = formatLines(text.split(/\r?\n/), cpp, new Set(['m', 'push', 'pop']), DEFAULT_FORMAT);
        const twice = formatLines(once, cpp, new Set(['m', 'push', 'pop']), DEFAULT_FORMAT);
        assert.deepEqual(twice, once, `not idempotent on ${JSON.stringify(text)}`);
        const meaning = (t: string) => {
          const r = assembleOne({ path: fixture(file), text: t });
          // Messages quote statements, whose blanks formatting may change: compared without blanks.
          return JSON.stringify([r.object.sections.map((s) => Buffer.from(s.data).toString('hex')), r.diagnostics.map((d) => `${d.line} ${d.message.replace(/\s+/g, '')}`)]);
        };
        assert.equal(meaning(once.join('\n')), meaning(text), `meaning changed on ${JSON.stringify(text)}`);
      }
    }
  });

  it('runs as `xpc lsp --stdio` in a child process', async function () {
    this.timeout(20000);
    // The tsc output of the CLI, so the test does not depend on the esbuild bundle being current.
    const cli = path.resolve(__dirname, '../../cli/xpc.js');
    const child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const published = new Promise<PublishDiagnosticsParams>((resolve) => conn.onNotification('textDocument/publishDiagnostics', resolve));
    conn.listen();
    try {
      const died = exited.then((code) => { throw new Error(`server exited early with ${code}`); });
      const init = await Promise.race([died, conn.sendRequest<InitializeResult>('initialize', { processId: null, rootUri: null, capabilities: {}, initializationOptions: { debounceMs: 0 } })]);
      assert.equal(init.serverInfo?.name, 'xpc-asm');
      assert.equal(init.capabilities.hoverProvider, true);
      await conn.sendNotification('initialized', {});
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(fixture('errors.s')), languageId: 'xpc-asm', version: 1, text: '        bogus a0\n' } });
      const d = await Promise.race([died, published]);
      assert.equal(d.diagnostics.length, 1);
      assert.match(d.diagnostics[0].message, /unknown instruction 'bogus'/);
      await conn.sendRequest('shutdown');
      died.catch(() => undefined);
      await conn.sendNotification('exit');
      assert.equal(await exited, 0);
    } finally {
      conn.dispose();
      child.kill();
    }
  });

  it('has a benchmark that runs (figures are for npm run bench, not checked here)', () => {
    const r = benchLanguageServer(300);
    assert.equal(r.length, 4);
    for (const x of r) assert.ok(Number.isFinite(x.value) && x.value >= 0, x.name);
  });
});
