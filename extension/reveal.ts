// Opening a source location from a view or the timeline.

import * as vscode from 'vscode';
import type { SourceRef } from './protocol';

/** Opens `source` at its line; `column` picks the editor group (default: the active one). */
export async function revealSource(source: SourceRef | undefined, column?: vscode.ViewColumn): Promise<void> {
  if (!source || typeof source.path !== 'string') return;
  try {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(source.path));
    const line = Math.max(0, Math.min(doc.lineCount - 1, (source.line ?? 1) - 1));
    const range = new vscode.Range(line, 0, line, 0);
    await vscode.window.showTextDocument(doc, { selection: range, preserveFocus: false, preview: true, viewColumn: column });
  } catch (err) {
    void vscode.window.showWarningMessage(`Cannot open ${source.path}:${source.line}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
