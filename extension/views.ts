// The four tree views in the Run and Debug container. Each asks the adapter for its body only
// while it is visible, on every state change; with no xpc session it is empty, which makes VS
// Code show the view's welcome text (package.json viewsWelcome).

import * as vscode from 'vscode';
import { VIEW_MODELS, VIEW_REQUESTS, XpcViewId } from './models/views';
import type { ViewNode } from './models/view-node';
import type { XpcSessionState } from './session-state';

export const REVEAL_SOURCE_COMMAND = 'xpc.revealSource';

class XpcTreeProvider implements vscode.TreeDataProvider<ViewNode> {
  private readonly changed = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: ViewNode[] = [];
  private view?: vscode.TreeView<ViewNode>;
  private dirty = true;
  private generation = 0;

  constructor(private readonly viewId: XpcViewId, private readonly state: XpcSessionState) {}

  attach(view: vscode.TreeView<ViewNode>): vscode.Disposable {
    this.view = view;
    return view.onDidChangeVisibility((e) => { if (e.visible && this.dirty) void this.refresh(); });
  }

  /** Fetches the view's body now if it is visible, later (when shown) otherwise. */
  async refresh(): Promise<void> {
    const session = this.state.session;
    if (!session) {
      this.roots = [];
      this.dirty = false;
      this.changed.fire(undefined);
      return;
    }
    if (this.view && !this.view.visible) { this.dirty = true; return; }
    const generation = ++this.generation;
    const body = await this.state.request(VIEW_REQUESTS[this.viewId], undefined, session);
    // A newer refresh started while this one waited: its answer wins.
    if (generation !== this.generation) return;
    this.roots = (VIEW_MODELS[this.viewId] as (b: unknown) => ViewNode[])(body);
    this.dirty = false;
    this.changed.fire(undefined);
  }

  getChildren(node?: ViewNode): ViewNode[] {
    return node ? node.children ?? [] : this.roots;
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    const state = node.children === undefined || node.children.length === 0
      ? vscode.TreeItemCollapsibleState.None
      : node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon, node.iconColor ? new vscode.ThemeColor(node.iconColor) : undefined);
    if (node.source) {
      item.command = { command: REVEAL_SOURCE_COMMAND, title: 'Go to Source', arguments: [node.source] };
    }
    return item;
  }
}

export function registerViews(state: XpcSessionState): vscode.Disposable[] {
  const disposables: vscode.Disposable[] = [];
  const providers: XpcTreeProvider[] = [];
  for (const viewId of Object.keys(VIEW_MODELS) as XpcViewId[]) {
    const provider = new XpcTreeProvider(viewId, state);
    const view = vscode.window.createTreeView(viewId, { treeDataProvider: provider, showCollapseAll: viewId !== 'xpc.relaySegments' });
    disposables.push(view, provider.attach(view));
    providers.push(provider);
  }
  disposables.push(state.onDidChange(() => { for (const p of providers) void p.refresh(); }));
  return disposables;
}
