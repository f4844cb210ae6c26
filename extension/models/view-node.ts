// The tree views' nodes as plain data: the models build them from the adapter's bodies, the
// VS Code side only turns them into TreeItems. Ids are stable across refreshes (derived from what
// a node shows, not from its position) so that VS Code keeps the user's expansion state.

import type { SourceRef } from '../protocol';

export interface ViewNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon name (`symbol-function`, `arrow-right`, …). */
  icon?: string;
  /** A theme colour id for the icon (`charts.red`, …), so states read at a glance. */
  iconColor?: string;
  contextValue?: string;
  /** Where a click on the node goes. */
  source?: SourceRef;
  /** Present (even empty) when the node can be expanded. */
  children?: ViewNode[];
  expanded?: boolean;
}

/** The one node a view shows when the adapter answers but has nothing of this kind. */
export function messageNode(viewId: string, text: string, tooltip?: string): ViewNode {
  return { id: `${viewId}/message`, label: text, tooltip, icon: 'info' };
}

/** An array from a field that should hold one, whatever a faulty body holds instead. */
export function arrayOf<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** `0x100` → `256 B`, `0x2000` → `8 KiB`; anything that is not a number is shown as it is. */
export function formatSize(hex: string | undefined): string {
  if (hex === undefined) return '?';
  let n: bigint;
  try { n = BigInt(hex); } catch { return hex; }
  if (n === 0n) return '0 B';
  if (n === 0xffffffffffffffffn) return 'all';
  const units: Array<[bigint, string]> = [[1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB']];
  for (const [size, unit] of units) {
    if (n >= size && n % size === 0n) return `${n / size} ${unit}`;
  }
  return `${n} B`;
}

/** `a` + `b` as a hex string: the end of a window. */
export function addHex(a: string, b: string): string {
  try { return '0x' + (BigInt(a) + BigInt(b)).toString(16); } catch { return '?'; }
}

export function sourceLabel(source: SourceRef | undefined): string | undefined {
  if (!source) return undefined;
  const base = source.path.split(/[\\/]/).pop() ?? source.path;
  return `${base}:${source.line}`;
}
