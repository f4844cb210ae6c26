// The language client: starts the bundled language server (dist/language-server.js) over IPC
// for the xpc-asm language, with the user's settings as initialization options.

import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

export function startLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'language-server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const settings = vscode.workspace.getConfiguration('xpc');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'xpc-asm' }],
    initializationOptions: {
      // The kernel's user headers (user.inc, abi.inc) ship with the extension: the sources of a
      // system's processes include them without any setting.
      includeDirs: [...settings.get<string[]>('includeDirs', []), vscode.Uri.joinPath(context.extensionUri, 'kernel', 'include').fsPath],
      defines: settings.get<Record<string, string>>('defines', {}),
    },
    outputChannelName: 'XPC Language Server',
  };
  const client = new LanguageClient('xpc-asm', 'XPC Assembly Language Server', serverOptions, clientOptions);
  void client.start().catch((err: unknown) => {
    void vscode.window.showErrorMessage(`The XPC language server did not start: ${err instanceof Error ? err.message : String(err)}`);
  });
  return client;
}
