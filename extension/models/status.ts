// The status-bar item's text from the adapter's xpc.state body.

import type { StateBody } from '../protocol';
import { historyBadge, historyText, inPast } from './travel';

export interface StatusText {
  text: string;
  tooltip: string;
  /** The position is in the recorded past (the item is highlighted). */
  past: boolean;
}

export function statusText(state: StateBody | undefined): StatusText | undefined {
  if (!state || state.available !== true) return undefined;
  const n = (x: unknown): string => (typeof x === 'number' && Number.isFinite(x) ? x.toLocaleString('en-US') : '?');
  const where = state.process ?? 'machine';
  const icon = state.running ? '$(sync~spin)' : '$(debug-pause)';
  const badge = historyBadge(state.history);
  return {
    text: `${icon} ${where} · ${n(state.instructions)} instr · ${n(state.cycles)} cyc${badge ? ` · ${badge}` : ''}`,
    tooltip: [
      `XPC: ${state.running ? 'running' : 'stopped'}${state.process ? ` in ${state.process}` : ''}${state.thread ? `, thread ${state.thread}` : ''}`,
      state.pc ? `pc ${state.pc}` : undefined,
      `${n(state.instructions)} instructions, ${n(state.cycles)} cycles (timing: ${state.timing ?? '?'})`,
      historyText(state.history),
      'Click to show the XPC Timeline',
    ].filter(Boolean).join('\n'),
    past: inPast(state.history),
  };
}
