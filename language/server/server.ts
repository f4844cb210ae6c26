// The language server over any LSP connection: document sync, debounced diagnostics from our
// assembler, and the request handlers. Every handler runs guarded: an internal error is logged
// and the request answered with an error, so no document content can take the server down.

import {
  Connection, DidChangeWatchedFilesNotification, ErrorCodes, InitializeResult, ProposedFeatures, ResponseError, StreamMessageReader, StreamMessageWriter,
  TextDocumentSyncKind, TextDocuments, createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { completion, resolveCompletion } from './completion';
import { diagnose } from './diagnostics';
import { formatDocument } from './format';
import { hover } from './hover';
import { inlayHints } from './inlay-hints';
import { definition, documentSymbols, foldingRanges, prepareRename, references, rename, workspaceSymbols } from './navigation';
import { LEGEND, semanticTokens } from './semantic-tokens';
import { signatureHelp } from './signature-help';
import { SystemModel, isDescriptionName } from './system';
import { descriptionDiagnostics, descriptionUri } from './system-features';
import { Workspace, parseSettings, uriToPath } from './workspace';

export interface ServerOptions {
  /**
   * Called before each request is handled, with its method name. Tests use it to make a
   * handler fail and check that the failure is logged and answered, not fatal.
   */
  readonly beforeRequest?: (method: string) => void;
}

export interface RunningServer {
  readonly workspace: Workspace;
}

export function startServer(connection: Connection, options: ServerOptions = {}): RunningServer {
  const ws = new Workspace();
  const documents = new TextDocuments(TextDocument);
  const timers = new Map<string, NodeJS.Timeout>();
  let snippets = false;
  let watchFiles = false;
  /** What was last published for each system description (path → JSON of the diagnostics). */
  const publishedDescriptions = new Map<string, string>();

  const log = (what: string, e: unknown) => connection.console.error(`xpc-asm: internal error in ${what}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);

  function guard<P, R>(method: string, handler: (params: P) => R): (params: P) => R | ResponseError<void> {
    return (params: P) => {
      try {
        options.beforeRequest?.(method);
        return handler(params);
      } catch (e) {
        log(method, e);
        return new ResponseError<void>(ErrorCodes.InternalError, `internal error in ${method}: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
  }

  function guardNotification<P>(method: string, handler: (params: P) => void): (params: P) => void {
    return (params: P) => {
      try { handler(params); } catch (e) { log(method, e); }
    };
  }

  connection.onInitialize((params): InitializeResult => {
    ws.settings = parseSettings(params.initializationOptions);
    snippets = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
    watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const roots = params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? (params.rootUri ? [uriToPath(params.rootUri)] : params.rootPath ? [params.rootPath] : []);
    ws.systems.setRoots(roots);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['.', '%', ',', '('], resolveProvider: true },
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        renameProvider: { prepareProvider: true },
        semanticTokensProvider: { legend: LEGEND, full: true },
        // A blank after the mnemonic starts the operands; each comma moves to the next one.
        signatureHelpProvider: { triggerCharacters: [' ', ','], retriggerCharacters: [','] },
        documentFormattingProvider: true,
        inlayHintProvider: true,
      },
      serverInfo: { name: 'xpc-asm', version: '0.1.0' },
    };
  });

  function publish(p: string): void {
    const doc = ws.isOpen(p) ? documents.get(ws.uriOf(p)) : undefined;
    if (!doc) return;
    try {
      // A system.json may have changed: a stat per description tells.
      ws.refreshSystems();
      const diagnostics = diagnose(ws, p);
      // A newer edit may have arrived while this ran; its own run will publish.
      if (ws.version(p) !== doc.version) return;
      void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
      const system = ws.contextOf(p).system;
      if (system) publishDescription(system.model);
    } catch (e) {
      log(`diagnostics of ${p}`, e);
    }
  }

  /** The description's own checks, for system.json, sent only when they changed. */
  function publishDescription(model: SystemModel): void {
    const diagnostics = descriptionDiagnostics(ws, model);
    const key = JSON.stringify(diagnostics);
    if (publishedDescriptions.get(model.path) === key) return;
    publishedDescriptions.set(model.path, key);
    void connection.sendDiagnostics({ uri: descriptionUri(model.path), diagnostics });
  }

  /** A description changed, appeared or went: check every open document again. */
  function descriptionsChanged(): void {
    ws.systems.invalidateScan();
    ws.refreshSystems();
    for (const [file] of publishedDescriptions) {
      if (ws.systems.load(file)) continue;
      publishedDescriptions.delete(file);
      void connection.sendDiagnostics({ uri: descriptionUri(file), diagnostics: [] });
    }
    for (const p of ws.openPaths()) schedule(p);
  }

  connection.onInitialized(() => {
    if (!watchFiles) return;
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*system*.json' }] }).catch((e: unknown) => log('registering file watchers', e));
  });
  connection.onDidChangeWatchedFiles(guardNotification('workspace/didChangeWatchedFiles', (p) => {
    if (p.changes.some((c) => isDescriptionName(c.uri))) descriptionsChanged();
  }));

  function schedule(p: string): void {
    const old = timers.get(p);
    if (old) clearTimeout(old);
    timers.set(p, setTimeout(() => {
      timers.delete(p);
      publish(p);
    }, ws.settings.debounceMs));
  }

  documents.onDidChangeContent((e) => {
    const { path, dependents } = ws.setText(e.document.uri, e.document.getText(), e.document.version);
    schedule(path);
    // Documents that include this one read its unsaved text: check them again too.
    for (const dep of dependents) schedule(dep);
  });
  documents.onDidClose((e) => {
    const p = uriToPath(e.document.uri);
    const t = timers.get(p);
    if (t) clearTimeout(t);
    timers.delete(p);
    ws.close(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  const doc = (uri: string) => uriToPath(uri);
  connection.onHover(guard('textDocument/hover', (p) => hover(ws, doc(p.textDocument.uri), p.position)));
  connection.onCompletion(guard('textDocument/completion', (p) => completion(ws, doc(p.textDocument.uri), p.position, snippets)));
  connection.onCompletionResolve(guard('completionItem/resolve', resolveCompletion));
  connection.onDefinition(guard('textDocument/definition', (p) => definition(ws, doc(p.textDocument.uri), p.position)));
  connection.onReferences(guard('textDocument/references', (p) => references(ws, doc(p.textDocument.uri), p.position, p.context.includeDeclaration)));
  connection.onDocumentSymbol(guard('textDocument/documentSymbol', (p) => documentSymbols(ws, doc(p.textDocument.uri))));
  connection.onWorkspaceSymbol(guard('workspace/symbol', (p) => workspaceSymbols(ws, p.query)));
  connection.onFoldingRanges(guard('textDocument/foldingRange', (p) => foldingRanges(ws, doc(p.textDocument.uri))));
  connection.onPrepareRename(guard('textDocument/prepareRename', (p) => prepareRename(ws, doc(p.textDocument.uri), p.position)));
  connection.onSignatureHelp(guard('textDocument/signatureHelp', (p) => signatureHelp(ws, doc(p.textDocument.uri), p.position)));
  connection.onDocumentFormatting(guard('textDocument/formatting', (p) => formatDocument(ws, doc(p.textDocument.uri))));
  connection.languages.semanticTokens.on(guard('textDocument/semanticTokens/full', (p) => semanticTokens(ws, doc(p.textDocument.uri))));
  connection.languages.inlayHint.on(guard('textDocument/inlayHint', (p) => inlayHints(ws, doc(p.textDocument.uri), p.range)));
  connection.onRenameRequest((p) => {
    try {
      options.beforeRequest?.('textDocument/rename');
      return rename(ws, doc(p.textDocument.uri), p.position, p.newName);
    } catch (e) {
      // An invalid new name is the user's mistake, not ours: answered, not logged as internal.
      if (e instanceof Error && /not a valid symbol name/.test(e.message)) return new ResponseError<void>(ErrorCodes.InvalidParams, e.message);
      log('textDocument/rename', e);
      return new ResponseError<void>(ErrorCodes.InternalError, `internal error in textDocument/rename: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  connection.onShutdown(() => {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  });

  documents.listen(connection);
  connection.listen();
  return { workspace: ws };
}

/** Serves LSP on stdin/stdout until the client sends `exit` (`xpc lsp --stdio`). */
export function serveStdio(): RunningServer {
  return startServer(createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout)));
}
