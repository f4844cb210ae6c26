// The status-bar item: current process, instructions and cycles of the xpc session, and where in
// the recorded history the position is when it is in the past.

import * as vscode from 'vscode';
import { statusText } from './models/status';
import type { XpcSessionState } from './session-state';

export function registerStatusBar(state: XpcSessionState): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('xpc.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'XPC machine state';
  item.command = 'xpc.showTimeline';
  let generation = 0;
  const update = async (): Promise<void> => {
    const mine = ++generation;
    const body = state.session ? await state.request('xpc.state') : undefined;
    if (mine !== generation) return;
    const text = statusText(body);
    if (!text) { item.hide(); return; }
    item.text = text.text;
    item.tooltip = text.tooltip;
    // In the past the machine replays a recording: worth seeing at a glance.
    item.backgroundColor = text.past ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  return [item, state.onDidChange(() => void update())];
}
