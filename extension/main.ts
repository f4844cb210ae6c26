// The extension's entry point (bundled to dist/extension.js). It stays thin: the language server
// and the debug adapter do the work, over LSP and DAP; everything the views show is computed by
// the plain functions in models/ from the adapter's custom-request bodies.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { startLanguageClient } from './language-client';
import { registerDebugger } from './debug';
import { XpcSessionState } from './session-state';
import { REVEAL_SOURCE_COMMAND, registerViews } from './views';
import { TimelinePanel } from './timeline-panel';
import { registerStatusBar } from './status-bar';
import { registerCommands } from './commands';
import { registerTravelCommands } from './travel-commands';
import { revealSource } from './reveal';

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): { activationMs: number } {
  const started = performance.now();
  const state = new XpcSessionState();
  const timeline = new TimelinePanel(context.extensionUri, state);
  context.subscriptions.push(state, timeline, ...registerViews(state), ...registerStatusBar(state));
  context.subscriptions.push(vscode.commands.registerCommand(REVEAL_SOURCE_COMMAND, (source) => revealSource(source)));
  registerDebugger(context);
  registerCommands(context, timeline);
  registerTravelCommands(context, state);
  client = startLanguageClient(context);
  const activationMs = performance.now() - started;
  // One line that the end-to-end test (and a curious user) can read in the output.
  const log = vscode.window.createOutputChannel('XPC', { log: true });
  context.subscriptions.push(log);
  log.info(`XPC extension activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
