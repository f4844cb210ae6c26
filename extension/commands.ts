// The extension's commands: run/debug the current file, instruction stepping (which VS Code has
// no buttons for), assembling the current file, the timeline, and new projects from examples.

import * as vscode from 'vscode';
import { spawn } from 'node:child_process';
import { DEBUG_TYPE } from './protocol';
import { configFor, targetKind, type TargetKind } from './models/config';
import { exampleFiles, listExamples } from './examples';
import type { TimelinePanel } from './timeline-panel';

function currentTarget(): { path: string; kind: 'program' | 'system' } | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.uri.scheme !== 'file') return undefined;
  const kind = targetKind(doc.uri.fsPath);
  return kind ? { path: doc.uri.fsPath, kind } : undefined;
}

async function startCurrent(noDebug: boolean): Promise<void> {
  const target = currentTarget();
  if (!target) {
    void vscode.window.showWarningMessage('Open an assembly file (.S, .s, .asm), an ELF file or a *.system.json to run it.');
    return;
  }
  const doc = vscode.window.activeTextEditor!.document;
  if (doc.isDirty) await doc.save();
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const config = { ...configFor(target.path, target.kind), ...(noDebug ? { name: `Run ${doc.uri.path.split('/').pop()}` } : {}) };
  await vscode.debug.startDebugging(folder, config, { noDebug });
}

/** The thread the user is looking at: the focused stack item's, else the adapter's first. */
async function currentThread(session: vscode.DebugSession): Promise<number | undefined> {
  const item = vscode.debug.activeStackItem;
  if (item && item.session === session) return item.threadId;
  const answer = (await session.customRequest('threads')) as { threads?: Array<{ id: number }> };
  return answer.threads?.[0]?.id;
}

async function stepInstruction(command: 'stepIn' | 'next'): Promise<void> {
  const session = vscode.debug.activeDebugSession;
  if (!session || session.type !== DEBUG_TYPE) {
    void vscode.window.showWarningMessage('No XPC debug session is active.');
    return;
  }
  const threadId = await currentThread(session);
  if (threadId === undefined) return;
  try {
    await session.customRequest(command, { threadId, granularity: 'instruction' });
  } catch (err) {
    void vscode.window.showErrorMessage(`${command === 'stepIn' ? 'Step Instruction' : 'Step Over Instruction'}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

let assembleOutput: vscode.OutputChannel | undefined;

/** Runs the bundled CLI's assembler (`xpc asm`) on the current file; the ELF goes beside it. */
async function assembleCurrent(extensionUri: vscode.Uri): Promise<void> {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.languageId !== 'xpc-asm' || doc.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Open an XPC assembly file to assemble it.');
    return;
  }
  if (doc.isDirty) await doc.save();
  const source = doc.uri.fsPath;
  const elf = source.replace(/\.[^./\\]+$/, '') + '.elf';
  const includeDirs = [...vscode.workspace.getConfiguration('xpc').get<string[]>('includeDirs', []), vscode.Uri.joinPath(extensionUri, 'kernel', 'include').fsPath];
  const args = [vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath, 'asm', ...includeDirs.flatMap((d) => ['-I', d]), '-o', elf, source];
  assembleOutput ??= vscode.window.createOutputChannel('XPC Assembler');
  const out = assembleOutput;
  out.appendLine(`$ xpc asm -o ${elf} ${source}`);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    child.stdout.on('data', (d: Buffer) => out.append(d.toString()));
    child.stderr.on('data', (d: Buffer) => out.append(d.toString()));
    child.on('error', (err) => { out.appendLine(String(err)); resolve(-1); });
    child.on('close', (c) => resolve(c ?? -1));
  });
  if (code === 0) {
    void vscode.window.showInformationMessage(`Assembled ${vscode.workspace.asRelativePath(elf)}`);
  } else {
    out.show(true);
    void vscode.window.showErrorMessage('Assembly failed: see the XPC Assembler output (the Problems view lists the errors).');
  }
}

/** Copies an example shipped with the extension into a folder the user picks, and opens it. */
async function newProject(extensionUri: vscode.Uri, preset?: string): Promise<void> {
  const examples = await listExamples(extensionUri);
  if (examples.length === 0) { void vscode.window.showErrorMessage('No examples are installed with the extension.'); return; }
  const name = preset ?? (await vscode.window.showQuickPick(examples.map((e) => ({ label: e.name, description: e.summary })), { title: 'New XPC Project from an example' }))?.label;
  if (!name) return;
  const parent = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Create the project here', title: `Where to create "${name}"` });
  if (!parent?.[0]) return;
  const target = vscode.Uri.joinPath(parent[0], name);
  const source = vscode.Uri.joinPath(extensionUri, 'examples', name);
  for (const rel of await exampleFiles(source)) {
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(source, rel), vscode.Uri.joinPath(target, rel), { overwrite: false });
  }
  await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: false });
}

/** Opens an example's main file from the extension (the walkthrough's first step). */
async function openExample(extensionUri: vscode.Uri, name: string, file: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(extensionUri, 'examples', name, file));
  await vscode.window.showTextDocument(doc);
}

/** What an example is launched as: its system description (kernel), else its boot.S (bare metal). */
const EXAMPLE_TARGETS: ReadonlyArray<{ file: string; kind: TargetKind }> = [
  { file: 'system.json', kind: 'system' },
  { file: 'boot.S', kind: 'program' },
];

async function exists(uri: vscode.Uri): Promise<boolean> {
  try { await vscode.workspace.fs.stat(uri); return true; } catch { return false; }
}

/**
 * Debugs an example (the walkthrough's "Start debugging"): a workspace folder named after it (a
 * project made from it) comes first, so that the breakpoints set in that copy apply; otherwise
 * the copy shipped with the extension, the one `xpc.openExample` opens.
 */
async function debugExample(extensionUri: vscode.Uri, name: string): Promise<void> {
  const own = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.path.split('/').pop() === name).map((f) => f.uri);
  for (const root of [...own, vscode.Uri.joinPath(extensionUri, 'examples', name)]) {
    for (const target of EXAMPLE_TARGETS) {
      const uri = vscode.Uri.joinPath(root, target.file);
      if (!(await exists(uri))) continue;
      await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), configFor(uri.fsPath, target.kind, `Debug example ${name}`));
      return;
    }
  }
  void vscode.window.showErrorMessage(`The example "${name}" has neither a system.json nor a boot.S to debug.`);
}

export function registerCommands(context: vscode.ExtensionContext, timeline: TimelinePanel): void {
  const r = (id: string, fn: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  r('xpc.debugCurrentFile', () => startCurrent(false));
  r('xpc.runCurrentFile', () => startCurrent(true));
  r('xpc.stepInstruction', () => stepInstruction('stepIn'));
  r('xpc.stepOverInstruction', () => stepInstruction('next'));
  r('xpc.assembleCurrentFile', () => assembleCurrent(context.extensionUri));
  r('xpc.showTimeline', () => timeline.show());
  r('xpc.newProject', (name?: string) => newProject(context.extensionUri, name));
  r('xpc.openExample', (name: string, file: string) => openExample(context.extensionUri, name ?? 'echo-xpc', file ?? 'client.S'));
  r('xpc.debugExample', (name?: string) => debugExample(context.extensionUri, name ?? 'echo-xpc'));
}
