// The examples shipped inside the extension (its examples/ folder): their names, the first line
// of their README as a summary, and their files.

import * as vscode from 'vscode';

export interface ExampleInfo { name: string; summary: string }

export async function listExamples(extensionUri: vscode.Uri): Promise<ExampleInfo[]> {
  const root = vscode.Uri.joinPath(extensionUri, 'examples');
  let entries: [string, vscode.FileType][];
  try { entries = await vscode.workspace.fs.readDirectory(root); } catch { return []; }
  const out: ExampleInfo[] = [];
  for (const [name, type] of entries) {
    if (type !== vscode.FileType.Directory) continue;
    let summary = '';
    try {
      const readme = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, name, 'README.md'))).toString('utf8');
      summary = readme.split('\n').find((l) => l.trim() && !l.startsWith('#'))?.trim() ?? '';
    } catch { /* an example without a README is still listed */ }
    out.push({ name, summary });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Every file under `dir`, as paths relative to it. */
export async function exampleFiles(dir: vscode.Uri, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const [name, type] of await vscode.workspace.fs.readDirectory(dir)) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (type === vscode.FileType.Directory) out.push(...await exampleFiles(vscode.Uri.joinPath(dir, name), rel));
    else if (!name.endsWith('.elf')) out.push(rel);
  }
  return out;
}
