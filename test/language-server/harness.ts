// An LSP client for tests: starts the server in-process over a pair of streams (or talks to a
// child process's stdio) and speaks JSON-RPC to it exactly as an editor would.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { MessageConnection, StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { createConnection } from 'vscode-languageserver/node';
import { ServerOptions, startServer } from '../../language/server/server';

export const FIXTURES = path.resolve(__dirname, '../../../test/language-server/fixtures');
export const fixture = (name: string) => path.join(FIXTURES, name);
export const uriOf = (file: string) => pathToFileURL(file).href;

export class Client {
  private readonly waiters: { uri: string; version?: number; resolve: (d: PublishDiagnosticsParams) => void }[] = [];
  readonly published = new Map<string, PublishDiagnosticsParams>();
  readonly logs: string[] = [];
  /** How many times diagnostics were published, per URI. */
  readonly publishCount = new Map<string, number>();
  private versions = new Map<string, number>();
  initializeResult?: InitializeResult;

  constructor(readonly conn: MessageConnection, private readonly onDispose: () => void) {
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.set(p.uri, p);
      this.publishCount.set(p.uri, (this.publishCount.get(p.uri) ?? 0) + 1);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && (w.version === undefined || (p.version ?? -1) >= w.version)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => { this.logs.push(p.message); });
    conn.listen();
  }

  /** Starts a server in this process and initializes it (debounce 0 unless given). */
  static async inProcess(initializationOptions: Record<string, unknown> = {}, options: ServerOptions = {}, snippets = true): Promise<Client> {
    const up = new PassThrough(), down = new PassThrough();
    const serverConn = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
    startServer(serverConn, options);
    const conn = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
    const client = new Client(conn, () => { serverConn.dispose(); up.end(); down.end(); });
    await client.initialize({ debounceMs: 0, ...initializationOptions }, snippets);
    return client;
  }

  async initialize(initializationOptions: Record<string, unknown>, snippets = true): Promise<InitializeResult> {
    this.initializeResult = await this.conn.sendRequest<InitializeResult>('initialize', {
      processId: null, rootUri: uriOf(FIXTURES), initializationOptions,
      capabilities: { textDocument: { completion: { completionItem: { snippetSupport: snippets } }, publishDiagnostics: { relatedInformation: true } } },
    });
    await this.conn.sendNotification('initialized', {});
    return this.initializeResult;
  }

  waitDiagnostics(uri: string, version?: number): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} (version ${version})`)), 5000);
      this.waiters.push({ uri, version, resolve: (d) => { clearTimeout(timer); resolve(d); } });
    });
  }

  /** Opens a file (its text from disk unless given) and waits for its first diagnostics. */
  async open(file: string, text?: string): Promise<Diagnostic[]> {
    const uri = uriOf(file);
    const content = text ?? fs.readFileSync(file, 'utf8');
    this.versions.set(uri, 1);
    const wait = this.waitDiagnostics(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xpc-asm', version: 1, text: content } });
    return (await wait).diagnostics;
  }

  /** Replaces a document's whole text and waits for its diagnostics. */
  async change(file: string, text: string): Promise<Diagnostic[]> {
    const uri = uriOf(file);
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const wait = this.waitDiagnostics(uri, version);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return (await wait).diagnostics;
  }

  request<R>(method: string, params: object): Promise<R> {
    return this.conn.sendRequest<R>(method, params);
  }

  /** A position request on a file: the n-th (0-based) occurrence of `needle`, offset into it. */
  at(file: string, needle: string, offset = 0, nth = 0): { textDocument: { uri: string }; position: { line: number; character: number } } {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    let seen = 0;
    for (let line = 0; line < lines.length; line++) {
      let from = 0;
      for (let c = lines[line].indexOf(needle, from); c >= 0; c = lines[line].indexOf(needle, from)) {
        if (seen++ === nth) return { textDocument: { uri: uriOf(file) }, position: { line, character: c + offset } };
        from = c + 1;
      }
    }
    throw new Error(`'${needle}' not found in ${file}`);
  }

  dispose(): void {
    this.conn.dispose();
    this.onDispose();
  }
}
