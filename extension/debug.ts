// The `xpc` debugger: the adapter (inline in the extension host by default, the external
// `dist/debug-adapter.js` process when the `xpc.adapter` setting says so) and the configuration
// provider (initial configurations, dynamic "Debug this file/system", bare F5).

import * as vscode from 'vscode';
import { DEBUG_TYPE } from './protocol';
import { dynamicConfigs, initialConfigs, resolveConfig } from './models/config';

const SYSTEM_GLOB = '**/{*.system.json,system.json}';

class AdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionUri: vscode.Uri) {}

  async createDebugAdapterDescriptor(): Promise<vscode.DebugAdapterDescriptor> {
    const mode = vscode.workspace.getConfiguration('xpc').get<string>('adapter', 'inline');
    if (mode === 'external') {
      // The extension host's own runtime runs the adapter (in desktop VS Code that is Electron,
      // which behaves as plain Node with ELECTRON_RUN_AS_NODE).
      return new vscode.DebugAdapterExecutable(process.execPath, [vscode.Uri.joinPath(this.extensionUri, 'dist', 'debug-adapter.js').fsPath], {
        env: { ELECTRON_RUN_AS_NODE: '1' },
      });
    }
    // Loaded on the first debug session, not at activation: the adapter brings the emulator and
    // the assembler, most of the bundle's code.
    const { XpcDebugSession } = await import('../debug-adapter/session');
    return new vscode.DebugAdapterInlineImplementation(new XpcDebugSession());
  }
}

async function systemFiles(): Promise<string[]> {
  const found = await vscode.workspace.findFiles(SYSTEM_GLOB, '**/node_modules/**', 20);
  return found.map((u) => vscode.workspace.asRelativePath(u, false)).map((p) => '${workspaceFolder}/' + p);
}

function activeFile(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc && doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
}

class InitialConfigurations implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(): Promise<vscode.DebugConfiguration[]> {
    return initialConfigs(await systemFiles());
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    const resolved = resolveConfig(config, activeFile());
    if ('error' in resolved) {
      void vscode.window.showErrorMessage(resolved.error);
      return undefined;
    }
    return resolved.config;
  }
}

class DynamicConfigurations implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    const systems = (await vscode.workspace.findFiles(SYSTEM_GLOB, '**/node_modules/**', 20))
      .filter((u) => !folder || vscode.workspace.getWorkspaceFolder(u) === folder)
      .map((u) => u.fsPath);
    return dynamicConfigs(activeFile(), systems);
  }
}

export function registerDebugger(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new AdapterFactory(context.extensionUri)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new InitialConfigurations(), vscode.DebugConfigurationProviderTriggerKind.Initial),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new DynamicConfigurations(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
  );
}
