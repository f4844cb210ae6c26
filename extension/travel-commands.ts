// Time travel's commands: what the DAP has no request for (VS Code's own Step Back and Reverse
// Continue come from the adapter's supportsStepBack). Each sends one of the adapter's custom
// requests; the adapter travels and reports an ordinary stop, so the editor, the Variables and
// Call Stack views, the XPC views and the timeline all follow by themselves.

import * as vscode from 'vscode';
import type { Bookmark, HistoryInfo, LastWriteArgs } from './protocol';
import type { XpcSessionState } from './session-state';
import { sourceLabel } from './models/view-node';
import { LastWriteTarget, bookmarkRows, fmtCount, historyText, lastWriteFromVariable, parseInstructionTarget, parseLastWriteTarget } from './models/travel';

/** The stopped xpc session, or a message saying why there is none. */
function sessionOf(state: XpcSessionState, what: string): vscode.DebugSession | undefined {
  const session = state.session;
  if (!session) void vscode.window.showWarningMessage(`${what}: no XPC debug session is active.`);
  return session;
}

/** Shows why a travel request did nothing; true when it was answered. */
function answered(what: string, body: { available: boolean; reason?: string } | undefined): boolean {
  if (body && body.available === true) return true;
  void vscode.window.showWarningMessage(`${what}: ${body?.reason ?? 'no answer from the debug adapter'}`);
  return false;
}

async function history(state: XpcSessionState, session: vscode.DebugSession): Promise<HistoryInfo | undefined> {
  const body = await state.request('xpc.state', undefined, session);
  return body?.available === true ? body.history : undefined;
}

async function reverseStep(state: XpcSessionState, command: 'xpc.reverseStepOver' | 'xpc.reverseStepOut', what: string): Promise<void> {
  const session = sessionOf(state, what);
  if (!session) return;
  answered(what, await state.request(command, command === 'xpc.reverseStepOver' ? { granularity: 'line' } : {}, session));
}

/** A memory target's address: a number as it is, an expression evaluated by the adapter. */
async function resolveTarget(session: vscode.DebugSession, t: LastWriteTarget): Promise<LastWriteArgs | string> {
  if ('register' in t) return { register: t.register };
  if ('address' in t) return { address: t.address, length: t.length, ...(t.physical ? { physical: true } : {}) };
  try {
    const item = vscode.debug.activeStackItem;
    const frameId = item && item.session === session && 'frameId' in item ? item.frameId : undefined;
    const r = (await session.customRequest('evaluate', { expression: t.expression, context: 'watch', frameId, format: { hex: true } })) as { result?: string; memoryReference?: string };
    const address = r.memoryReference ?? /0x[0-9a-f]+/i.exec(r.result ?? '')?.[0];
    if (!address) return `"${t.expression}" did not give an address (${r.result ?? 'no result'})`;
    return { address, length: t.length, ...(t.physical ? { physical: true } : {}) };
  } catch (err) {
    return `"${t.expression}": ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Last Write…: prompts (or takes the Variables view's variable), then runs back to the write. */
async function lastWrite(state: XpcSessionState, context?: unknown): Promise<void> {
  const what = 'Last Write';
  const session = sessionOf(state, what);
  if (!session) return;
  let target: LastWriteTarget | undefined;
  let prefill = '';
  if (context !== undefined) {
    const fromVariable = lastWriteFromVariable(context);
    if ('target' in fromVariable) target = fromVariable.target;
    else prefill = fromVariable.prefill;
  }
  if (!target) {
    const text = await vscode.window.showInputBox({
      title: 'XPC: Last Write',
      prompt: 'Run back to the instruction that last wrote a register or CSR (a0, sp, satp) or memory: address[, length in bytes] (0x80001000, 8 · greeting, 16 · sp+8, 8 · phys 0x80200000, 4)',
      placeHolder: 'a0   or   0x80001000, 8',
      value: prefill,
      validateInput: (v) => { const p = parseLastWriteTarget(v); return 'error' in p ? p.error : undefined; },
    });
    if (text === undefined) return;
    const parsed = parseLastWriteTarget(text);
    if ('error' in parsed) { void vscode.window.showWarningMessage(`${what}: ${parsed.error}`); return; }
    target = parsed.value;
  }
  const args = await resolveTarget(session, target);
  if (typeof args === 'string') { void vscode.window.showWarningMessage(`${what}: ${args}`); return; }
  const body = await state.request('xpc.lastWrite', args, session);
  if (!answered(what, body as { available: boolean; reason?: string } | undefined) || !body || body.available !== true) return;
  if (body.found) {
    const subject = 'register' in args ? args.register : `${args.length} B at ${args.physical ? 'physical ' : ''}${args.address}`;
    const where = sourceLabel(body.source) ?? body.pc;
    void vscode.window.setStatusBarMessage(`$(history) Last write of ${subject}: ${body.by === 'host' ? 'by the debugger, ' : ''}${where} (step to see the value written)`, 8000);
  }
  else void vscode.window.showInformationMessage(`${what}: ${body.message}`);
}

/** Go to Instruction…: an instruction count or a distance from here, inside the history. */
async function gotoInstruction(state: XpcSessionState, preset?: number): Promise<void> {
  const what = 'Go to Instruction';
  const session = sessionOf(state, what);
  if (!session) return;
  let target = typeof preset === 'number' ? preset : undefined;
  if (target === undefined) {
    const h = await history(state, session);
    const text = await vscode.window.showInputBox({
      title: 'XPC: Go to Instruction',
      prompt: h
        ? `An instruction count from ${fmtCount(h.start)} to ${fmtCount(h.end)}, or +N / -N from here (${fmtCount(h.position)}). ${historyText(h) ?? ''}`
        : 'An instruction count inside the recorded history, or +N / -N from here',
      placeHolder: h ? String(h.position) : '12345',
      validateInput: (v) => { const p = parseInstructionTarget(v, h); return 'error' in p ? p.error : undefined; },
    });
    if (text === undefined) return;
    const parsed = parseInstructionTarget(text, h);
    if ('error' in parsed) { void vscode.window.showWarningMessage(`${what}: ${parsed.error}`); return; }
    target = parsed.value;
  }
  answered(what, await state.request('xpc.gotoInstruction', { instructions: target }, session));
}

/** Bookmark Position: a named bookmark at the position (the name is optional). */
async function addBookmark(state: XpcSessionState): Promise<void> {
  const what = 'Bookmark Position';
  const session = sessionOf(state, what);
  if (!session) return;
  const name = await vscode.window.showInputBox({ title: 'XPC: Bookmark Position', prompt: 'A name for this position (empty: a name from its instruction count)', placeHolder: 'e.g. before the second xcall' });
  if (name === undefined) return;
  const body = await state.request('xpc.bookmarks', { action: 'add', ...(name.trim() ? { name: name.trim() } : {}) }, session);
  if (!answered(what, body)) return;
  const b = body?.bookmark;
  if (b) void vscode.window.setStatusBarMessage(`$(bookmark) Bookmark "${b.name}" at instruction ${fmtCount(b.instructions)}`, 5000);
}

interface BookmarkPick extends vscode.QuickPickItem { id: number }

/** Go to Bookmark…: the bookmarks in history order; Enter travels, the trash button removes one. */
async function gotoBookmark(state: XpcSessionState): Promise<void> {
  const what = 'Go to Bookmark';
  const session = sessionOf(state, what);
  if (!session) return;
  const [listed, h] = await Promise.all([state.request('xpc.bookmarks', { action: 'list' }, session), history(state, session)]);
  if (!answered(what, listed)) return;
  const remove: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Remove this bookmark' };
  const items = (bookmarks: Bookmark[] | undefined): BookmarkPick[] => bookmarkRows(bookmarks, h?.position).map((r) => ({
    id: r.id, label: `$(${r.here ? 'bookmark' : 'history'}) ${r.label}`, description: r.description, detail: r.detail, buttons: [remove],
  }));
  const first = items(listed?.bookmarks);
  if (first.length === 0) {
    void vscode.window.showInformationMessage('No bookmarks in this session: XPC: Bookmark Position adds one at the current position.');
    return;
  }
  const pick = vscode.window.createQuickPick<BookmarkPick>();
  pick.title = 'XPC: Go to Bookmark';
  pick.placeholder = 'Travel to a bookmarked position (the trash button removes a bookmark)';
  pick.items = first;
  const chosen = await new Promise<BookmarkPick | undefined>((resolve) => {
    pick.onDidTriggerItemButton(async (e) => {
      const body = await state.request('xpc.bookmarks', { action: 'remove', id: e.item.id }, session);
      if (!answered('Remove bookmark', body)) return;
      pick.items = items(body?.bookmarks);
      if (pick.items.length === 0) pick.hide();
    });
    pick.onDidAccept(() => { resolve(pick.selectedItems[0]); pick.hide(); });
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  pick.dispose();
  if (chosen) answered(what, await state.request('xpc.bookmarks', { action: 'goto', id: chosen.id }, session));
}

export function registerTravelCommands(context: vscode.ExtensionContext, state: XpcSessionState): void {
  const r = (id: string, fn: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  r('xpc.reverseStepOver', () => reverseStep(state, 'xpc.reverseStepOver', 'Reverse Step Over'));
  r('xpc.reverseStepOut', () => reverseStep(state, 'xpc.reverseStepOut', 'Reverse Step Out'));
  r('xpc.lastWrite', (variableContext?: unknown) => lastWrite(state, variableContext));
  r('xpc.gotoInstruction', (instructions?: number) => gotoInstruction(state, instructions));
  r('xpc.addBookmark', () => addBookmark(state));
  r('xpc.gotoBookmark', () => gotoBookmark(state));
}
