// The XPC Timeline as data: a sequence diagram of xcall/xret/faults/swapseg between processes
// (lanes, left to right in order of first appearance) along the session's instructions (rows,
// top to bottom in event order). layoutTimeline places everything; renderTimelineSvg writes the
// SVG the webview shows (classes only, no inline style, so the webview's CSP needs no
// 'unsafe-inline' and the colours come from the theme's CSS variables).
// With time travel the diagram also shows the position: a marker between the events that ran
// before it and those after it (the recorded future, drawn dimmed).

import type { CallEvent, SourceRef } from '../protocol';
import { arrayOf } from './view-node';

export type TimelineAxis = 'instructions' | 'cycles';

export interface TimelineLane { name: string; x: number }
export interface TimelineRow {
  seq: number;
  kind: CallEvent['kind'];
  y: number;
  fromX: number;
  toX: number;
  label: string;
  /** Several lines: what hover shows and what a screen reader reads. */
  detail: string;
  axisLabel: string;
  source?: SourceRef;
  /** The instruction count to travel to for this event (its instruction, about to execute). */
  instructions: number;
  /** Not yet executed at the position: later in the recorded history. */
  future: boolean;
}
/** The position marker: a line across the diagram between the past and the future events. */
export interface TimelineNow { y: number; label: string; detail: string }
export interface TimelineLayout {
  lanes: TimelineLane[];
  rows: TimelineRow[];
  width: number;
  height: number;
  now?: TimelineNow;
}

export const GEOMETRY = { gutter: 120, laneWidth: 170, header: 40, rowHeight: 34, margin: 20, nowGap: 18 } as const;

/** Where the session is in its recorded history (the callTrace body's `history`). */
export interface TimelinePosition { position: number; end: number }

/** Events in order, without duplicates (a refresh may return events already held). */
export function mergeEvents(held: readonly CallEvent[], fresh: unknown): CallEvent[] {
  const bySeq = new Map<number, CallEvent>();
  for (const e of held) bySeq.set(e.seq, e);
  for (const e of arrayOf<CallEvent>(fresh)) {
    if (e && typeof e.seq === 'number' && typeof e.kind === 'string') bySeq.set(e.seq, e);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** A fault or a swapseg happens in one process; xcall/xret go from one to another. */
function endpoints(e: CallEvent): [string, string] {
  const from = e.from ?? e.to ?? '?';
  const to = e.kind === 'xcall' || e.kind === 'xret' ? (e.to ?? from) : from;
  return [from, to];
}

function rowLabel(e: CallEvent): string {
  switch (e.kind) {
    case 'xcall': return `xcall${e.entryId !== undefined ? ` #${e.entryId}` : ''}`;
    case 'xret': return 'xret';
    case 'fault': return `fault${e.cause ? `: ${e.cause}` : ''}`;
    case 'swapseg': return 'swapseg';
  }
  return String((e as { kind: unknown }).kind);
}

/** An event lies after the position: the adapter says so (`future`), or its instruction has not run yet. */
export function isFuture(e: CallEvent, at?: TimelinePosition): boolean {
  return e.future === true || (at !== undefined && e.instructions >= at.position);
}

export function layoutTimeline(eventsIn: readonly CallEvent[], axis: TimelineAxis = 'instructions', at?: TimelinePosition): TimelineLayout {
  const g = GEOMETRY;
  const lanes: TimelineLane[] = [];
  const laneX = (name: string): number => {
    let lane = lanes.find((l) => l.name === name);
    if (!lane) {
      lane = { name, x: g.gutter + g.laneWidth / 2 + lanes.length * g.laneWidth };
      lanes.push(lane);
    }
    return lane.x;
  };
  const events = [...eventsIn].sort((a, b) => a.seq - b.seq);
  // The marker goes before the first future event; the rows after it move down to make room.
  const firstFuture = at ? events.findIndex((e) => isFuture(e, at)) : -1;
  const markerIndex = !at ? -1 : firstFuture < 0 ? events.length : firstFuture;
  const rowY = (i: number) => g.header + g.margin + i * g.rowHeight + (markerIndex >= 0 && i >= markerIndex ? g.nowGap : 0);
  const rows = events.map((e, i): TimelineRow => {
    const future = isFuture(e, at);
    const [from, to] = endpoints(e);
    const fromX = laneX(from);
    const toX = laneX(to);
    const detail = [
      `${rowLabel(e)}  (event ${e.seq})`,
      e.kind === 'xcall' || e.kind === 'xret' ? `${from} → ${to}` : `in ${from}`,
      `pc ${e.pc}`,
      `instruction ${e.instructions.toLocaleString('en-US')}, cycle ${e.cycles.toLocaleString('en-US')}`,
      e.source ? `${e.source.path.split(/[\\/]/).pop()}:${e.source.line}` : undefined,
      future ? 'later in the recorded history (not executed at the current position)' : undefined,
    ].filter(Boolean).join('\n');
    return {
      seq: e.seq,
      kind: e.kind,
      y: rowY(i),
      fromX,
      toX,
      label: rowLabel(e),
      detail,
      axisLabel: (axis === 'cycles' ? e.cycles : e.instructions).toLocaleString('en-US'),
      source: e.source,
      instructions: e.instructions,
      future,
    };
  });
  let now: TimelineNow | undefined;
  if (at && markerIndex >= 0) {
    const count = at.position.toLocaleString('en-US');
    const past = at.position < at.end;
    now = {
      y: g.header + g.margin + markerIndex * g.rowHeight - g.rowHeight / 2 + g.nowGap / 2,
      label: `now ${count}`,
      detail: past
        ? `Current position: instruction ${count} of ${at.end.toLocaleString('en-US')} (in the recorded history; later events dimmed)`
        : `Current position: instruction ${count} (the end of the recorded history)`,
    };
  }
  return {
    lanes,
    rows,
    width: g.gutter + Math.max(1, lanes.length) * g.laneWidth + g.margin,
    height: g.header + g.margin * 2 + Math.max(1, rows.length) * g.rowHeight + (now ? g.nowGap : 0),
    now,
  };
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The diagram; every event is a focusable group (`data-seq`) with a <title> for hover. */
export function renderTimelineSvg(layout: TimelineLayout, axis: TimelineAxis = 'instructions'): string {
  const g = GEOMETRY;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="list" aria-label="XPC calls between processes">`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path class="arrowhead" d="M0,0 L10,5 L0,10 z"/></marker></defs>');
  out.push(`<text class="axis-title" x="8" y="${g.header - 14}">${axis}</text>`);
  for (const lane of layout.lanes) {
    out.push(`<text class="lane-name" x="${lane.x}" y="${g.header - 14}" text-anchor="middle">${escapeXml(lane.name)}</text>`);
    out.push(`<line class="lane" x1="${lane.x}" y1="${g.header - 6}" x2="${lane.x}" y2="${layout.height - g.margin / 2}"/>`);
  }
  for (const r of layout.rows) {
    const label = escapeXml(r.label);
    out.push(`<g class="ev ev-${r.kind}${r.future ? ' future' : ''}" tabindex="0" role="listitem" data-seq="${r.seq}" data-instructions="${r.instructions}" aria-label="${escapeXml(r.detail.replace(/\n/g, ', '))}">`);
    out.push(`<title>${escapeXml(r.detail)}</title>`);
    out.push(`<rect class="hit" x="0" y="${r.y - g.rowHeight / 2}" width="${layout.width}" height="${g.rowHeight}"/>`);
    out.push(`<text class="axis" x="${g.gutter - 12}" y="${r.y + 4}" text-anchor="end">${escapeXml(r.axisLabel)}</text>`);
    if (r.fromX !== r.toX) {
      const dir = r.toX > r.fromX ? 1 : -1;
      out.push(`<line class="call" x1="${r.fromX + dir * 4}" y1="${r.y}" x2="${r.toX - dir * 4}" y2="${r.y}" marker-end="url(#arrow)"/>`);
      out.push(`<text class="label" x="${(r.fromX + r.toX) / 2}" y="${r.y - 6}" text-anchor="middle">${label}</text>`);
    } else if (r.kind === 'fault') {
      out.push(`<path class="mark" d="M${r.fromX - 6},${r.y - 6} L${r.fromX + 6},${r.y + 6} M${r.fromX + 6},${r.y - 6} L${r.fromX - 6},${r.y + 6}"/>`);
      out.push(`<text class="label" x="${r.fromX + 12}" y="${r.y + 4}">${label}</text>`);
    } else {
      out.push(`<circle class="mark" cx="${r.fromX}" cy="${r.y}" r="5"/>`);
      out.push(`<text class="label" x="${r.fromX + 12}" y="${r.y + 4}">${label}</text>`);
    }
    out.push('</g>');
  }
  if (layout.now) {
    const n = layout.now;
    out.push(`<g class="now" role="listitem" aria-label="${escapeXml(n.detail)}"><title>${escapeXml(n.detail)}</title>`);
    out.push(`<line class="now-line" x1="4" y1="${n.y}" x2="${layout.width - 4}" y2="${n.y}"/>`);
    out.push(`<text class="now-label" x="8" y="${n.y - 4}">${escapeXml(n.label)}</text>`);
    out.push('</g>');
  }
  if (layout.rows.length === 0) {
    out.push(`<text class="empty" x="${g.gutter}" y="${g.header + g.margin + (layout.now ? g.nowGap : 0)}">No xcall, xret or fault yet in this session.</text>`);
  }
  out.push('</svg>');
  return out.join('');
}

/**
 * The webview's page: everything local (script and style from the extension, through the
 * webview's own scheme), a nonce for the one script, no inline style, nothing remote.
 */
export function timelineHtml(opts: { cspSource: string; nonce: string; scriptUri: string; styleUri: string }): string {
  const csp = [
    "default-src 'none'",
    `style-src ${opts.cspSource}`,
    `img-src ${opts.cspSource}`,
    `font-src ${opts.cspSource}`,
    `script-src 'nonce-${opts.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${opts.styleUri}">
<title>XPC Timeline</title>
</head>
<body>
<header class="toolbar">
  <span id="summary" aria-live="polite">Waiting for a debug session…</span>
  <label>Axis <select id="axis"><option value="instructions">instructions</option><option value="cycles">cycles</option></select></label>
</header>
<main id="diagram" aria-label="XPC timeline"></main>
<pre id="details" class="details" aria-live="polite"></pre>
<script nonce="${opts.nonce}" src="${opts.scriptUri}"></script>
</body>
</html>`;
}

/** A fresh nonce: 32 characters from [A-Za-z0-9]. */
export function makeNonce(random: () => number = Math.random): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars[Math.floor(random() * chars.length)];
  return s;
}
