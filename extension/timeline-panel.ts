// The XPC Timeline webview: one panel, fed with the session's call trace. The extension lays the
// diagram out and renders the SVG (models/timeline.ts); the page's script (media/timeline.js)
// only shows it, tracks focus and hover, and posts back which event was chosen. Choosing an
// event travels to it (time travel: xpc.gotoInstruction to its instruction) and opens its source.

import * as vscode from 'vscode';
import type { CallEvent } from './protocol';
import { TimelineAxis, TimelinePosition, layoutTimeline, makeNonce, mergeEvents, renderTimelineSvg, timelineHtml } from './models/timeline';
import type { XpcSessionState } from './session-state';
import { revealSource } from './reveal';

type FromPage = { type: 'ready' } | { type: 'choose'; seq: number } | { type: 'axis'; axis: TimelineAxis }

export class TimelinePanel implements vscode.Disposable {
  static readonly viewType = 'xpc.timeline';
  private panel?: vscode.WebviewPanel;
  private events: CallEvent[] = [];
  private sessionId?: string;
  private axis: TimelineAxis = 'instructions';
  /** The session's position in its recorded history; undefined without time travel. */
  private position?: TimelinePosition;
  private summary = 'No XPC debug session.';
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly state: XpcSessionState) {
    this.disposables.push(state.onDidChange(() => void this.update()));
  }

  show(): void {
    if (this.panel) { this.panel.reveal(); return; }
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(TimelinePanel.viewType, 'XPC Timeline', vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: false,
    });
    panel.webview.html = timelineHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'timeline.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'timeline.css')).toString(),
    });
    panel.webview.onDidReceiveMessage((m: FromPage) => this.onMessage(m), undefined, this.disposables);
    panel.onDidDispose(() => { this.panel = undefined; }, undefined, this.disposables);
    this.panel = panel;
    void this.update();
  }

  private onMessage(m: FromPage): void {
    if (!m || typeof m !== 'object') return;
    if (m.type === 'ready') this.post();
    else if (m.type === 'choose') void this.choose(m.seq);
    else if (m.type === 'axis' && (m.axis === 'instructions' || m.axis === 'cycles')) { this.axis = m.axis; this.post(); }
  }

  /**
   * An event chosen (click, Enter): travel to its moment when the session records a history
   * (the debugger stops there and every view follows), and open its source in the first group,
   * so the timeline stays visible beside it.
   */
  private async choose(seq: number): Promise<void> {
    const event = this.events.find((e) => e.seq === seq);
    if (!event) return;
    const session = this.state.session;
    if (session && session.id === this.sessionId && this.position) {
      const body = await this.state.request('xpc.gotoInstruction', { instructions: event.instructions }, session);
      if (body && body.available !== true) void vscode.window.showWarningMessage(`Cannot travel to this event: ${body.reason ?? 'time travel is not available'}`);
    }
    await revealSource(event.source, vscode.ViewColumn.One);
  }

  private generation = 0;

  /**
   * Fetches the whole trace after every stop: with time travel the events after the position
   * are marked `future`, and input given in the past discards them, so the trace can shrink.
   */
  private async update(): Promise<void> {
    if (!this.panel) return;
    const session = this.state.session;
    if (!session) {
      this.summary = this.events.length ? 'The session ended: its last timeline.' : 'No XPC debug session.';
      this.position = undefined;
      this.post();
      return;
    }
    const mine = ++this.generation;
    const body = await this.state.request('xpc.callTrace', { all: true }, session);
    // A newer stop's answer wins.
    if (mine !== this.generation) return;
    this.sessionId = session.id;
    if (!body || body.available !== true) {
      this.summary = body?.reason ?? 'The call trace is not available.';
      this.events = [];
      this.position = undefined;
    } else {
      this.events = mergeEvents([], body.events);
      const h = body.history;
      this.position = h && typeof h.position === 'number' && typeof h.end === 'number' ? { position: h.position, end: h.end } : undefined;
      const calls = this.events.filter((e) => e.kind === 'xcall').length;
      const faults = this.events.filter((e) => e.kind === 'fault').length;
      const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
      const where = this.position && this.position.position < this.position.end
        ? ` · at instruction ${this.position.position.toLocaleString('en-US')} of ${this.position.end.toLocaleString('en-US')} (history)`
        : '';
      this.summary = `${session.name}: ${n(calls, 'xcall')}, ${n(faults, 'fault')}, ${n(this.events.length, 'event')}${where}`;
    }
    this.post();
  }

  private post(): void {
    if (!this.panel) return;
    const svg = renderTimelineSvg(layoutTimeline(this.events, this.axis, this.position), this.axis);
    void this.panel.webview.postMessage({ type: 'render', svg, summary: this.summary, axis: this.axis });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
