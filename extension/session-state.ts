// The one place that talks to the active xpc debug session: custom requests with errors turned
// into "unavailable" bodies, and one event that fires when the views must refresh (a stop, a
// change through the debugger, a session starting or ending).

import * as vscode from 'vscode';
import { CustomRequestName, CustomRequests, DEBUG_TYPE, STATE_CHANGED_EVENT } from './protocol';

export class XpcSessionState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.DebugSession | undefined>();
  /** Fires with the xpc session whose state changed, or undefined when none is active. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor() {
    this.disposables.push(
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type === DEBUG_TYPE && e.event === STATE_CHANGED_EVENT && e.session === vscode.debug.activeDebugSession) {
          this.changed.fire(e.session);
        }
      }),
      vscode.debug.onDidChangeActiveDebugSession(() => this.changed.fire(this.session)),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.type === DEBUG_TYPE) this.changed.fire(this.session);
      }),
    );
  }

  /** The active debug session if it is ours. */
  get session(): vscode.DebugSession | undefined {
    const s = vscode.debug.activeDebugSession;
    return s && s.type === DEBUG_TYPE ? s : undefined;
  }

  /** A custom request's body; a failed request reads as `available: false` with the reason. */
  async request<K extends CustomRequestName>(name: K, args?: object, session = this.session): Promise<CustomRequests[K] | undefined> {
    if (!session) return undefined;
    try {
      return (await session.customRequest(name, args)) as CustomRequests[K];
    } catch (err) {
      return { available: false, reason: `${name}: ${err instanceof Error ? err.message : String(err)}` } as unknown as CustomRequests[K];
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
