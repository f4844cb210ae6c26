// The four XPC views (X-Entries, Link Stack, Relay Segments, Processes & Capabilities) as pure
// functions from a custom request's body to the view's nodes.

import type {
  LinkRecord, LinkStackThread, LinkStacksBody, ProcessesBody, RelaySegmentsBody, SegListSlot,
  SegmentWindow, XEntriesBody, XEntry, XpcProcess,
} from '../protocol';
import { ViewNode, addHex, arrayOf, formatSize, messageNode, sourceLabel } from './view-node';

export type XpcViewId = 'xpc.xEntries' | 'xpc.linkStack' | 'xpc.relaySegments' | 'xpc.processes';

/** Which custom request feeds which view. */
export const VIEW_REQUESTS = {
  'xpc.xEntries': 'xpc.xEntries',
  'xpc.linkStack': 'xpc.linkStacks',
  'xpc.relaySegments': 'xpc.relaySegments',
  'xpc.processes': 'xpc.processes',
} as const satisfies Record<XpcViewId, string>;

function unavailable(view: XpcViewId, body: { available?: unknown; reason?: string } | undefined): ViewNode[] | undefined {
  if (!body || typeof body !== 'object') return [messageNode(view, 'No answer from the debug adapter')];
  if (body.available !== true) return [messageNode(view, body.reason ?? 'Not available in this session', body.reason)];
  return undefined;
}

// ---- X-Entries ----

export function xEntryNodes(body: XEntriesBody | undefined): ViewNode[] {
  const gone = unavailable('xpc.xEntries', body);
  if (gone) return gone;
  const entries = arrayOf<XEntry>(body!.entries);
  if (entries.length === 0) return [messageNode('xpc.xEntries', 'No x-entries registered')];
  return entries.map(xEntryNode);
}

function xEntryNode(e: XEntry): ViewNode {
  const id = `xe/${e.id}`;
  const name = e.name ?? e.symbol ?? e.handler;
  const entryPoint = e.symbol ? `${e.symbol} @ ${e.handler}` : e.handler;
  const contexts = e.contexts !== undefined ? `${e.contextsInUse ?? 0}/${e.contexts} contexts` : undefined;
  const callers = arrayOf<string>(e.callers);
  const children: ViewNode[] = [
    { id: `${id}/handler`, label: 'handler', description: e.handlerFunction ? `${e.handlerFunction} (via ${entryPoint})` : entryPoint, source: e.source, icon: 'symbol-function' },
    { id: `${id}/owner`, label: 'owner', description: e.owner ?? '—', icon: 'server-process' },
    { id: `${id}/pt`, label: 'page table', description: e.pageTable, icon: 'table' },
  ];
  if (contexts) children.push({ id: `${id}/ctx`, label: 'contexts in use', description: contexts, icon: 'layers' });
  children.push({
    id: `${id}/callers`,
    label: 'may be called by',
    description: callers.length ? callers.join(', ') : 'nobody',
    icon: 'key',
    ...(callers.length > 1 ? { children: callers.map((c) => ({ id: `${id}/callers/${c}`, label: c, icon: 'account' })) } : {}),
  });
  return {
    id,
    label: `#${e.id} ${name}`,
    description: [e.owner, e.valid ? undefined : 'invalid', contexts].filter(Boolean).join(' · '),
    tooltip: [`x-entry ${e.id}${e.valid ? '' : ' (not VALID)'}`, `handler ${e.handlerFunction ? `${e.handlerFunction}, via ` : ''}${e.handler}${e.symbol ? ` <${e.symbol}>` : ''}`,
      sourceLabel(e.source), e.owner && `owner ${e.owner}`, `page table ${e.pageTable}`,
      callers.length ? `callers: ${callers.join(', ')}` : undefined].filter(Boolean).join('\n'),
    icon: e.valid ? 'symbol-event' : 'circle-slash',
    iconColor: e.valid ? undefined : 'disabledForeground',
    contextValue: 'xEntry',
    source: e.source,
    children,
  };
}

// ---- Link Stack ----

export function linkStackNodes(body: LinkStacksBody | undefined): ViewNode[] {
  const gone = unavailable('xpc.linkStack', body);
  if (gone) return gone;
  const threads = arrayOf<LinkStackThread>(body!.threads);
  if (threads.length === 0) return [messageNode('xpc.linkStack', 'No threads')];
  // One thread: its records directly, the common bare-metal case needs no extra level.
  if (threads.length === 1) return recordNodes(threads[0]);
  return threads.map((t) => {
    const records = recordNodes(t);
    const n = arrayOf(t.records).length;
    return {
      id: `ls/${t.threadId}`,
      label: t.name,
      description: n === 0 ? 'empty' : `${n} record${n === 1 ? '' : 's'}`,
      icon: 'debug-stackframe',
      children: records,
      expanded: n > 0,
    };
  });
}

function recordNodes(t: LinkStackThread): ViewNode[] {
  const records = arrayOf<LinkRecord>(t.records);
  if (records.length === 0) return [messageNode(`xpc.linkStack/${t.threadId}`, 'Link stack empty: no xcall in progress')];
  // Innermost call first, as a call stack reads.
  return [...records].sort((a, b) => b.depth - a.depth).map((r) => recordNode(t, r));
}

function recordNode(t: LinkStackThread, r: LinkRecord): ViewNode {
  const id = `ls/${t.threadId}/${r.depth}`;
  const caller = r.callerProcess ?? 'caller';
  const seg = r.segment && BigInt(safeBig(r.segment.size)) > 0n
    ? `${r.segment.base}..${addHex(r.segment.base, r.segment.size)} (${formatSize(r.segment.size)}${r.segment.perm ? ' ' + r.segment.perm : ''})`
    : 'none';
  return {
    id,
    label: `${r.depth}: ${caller}`,
    description: [`ret ${r.returnAddress}`, sourceLabel(r.source), r.entryId !== undefined ? `entry #${r.entryId}` : undefined,
      r.valid ? undefined : 'invalid'].filter(Boolean).join(' · '),
    tooltip: [`linkage record ${r.depth}${r.valid ? '' : ' (not VALID)'}`, `caller ${caller}`,
      `returns to ${r.returnAddress}${r.source ? ` (${sourceLabel(r.source)})` : ''}`,
      r.entryId !== undefined ? `through x-entry ${r.entryId}` : undefined, `handed segment ${seg}`].filter(Boolean).join('\n'),
    icon: r.valid ? 'debug-stackframe' : 'circle-slash',
    contextValue: 'linkRecord',
    source: r.source,
    children: [
      { id: `${id}/ret`, label: 'return address', description: r.returnAddress + (r.source ? `  ${sourceLabel(r.source)}` : ''), source: r.source, icon: 'debug-step-back' },
      ...(r.entryId !== undefined ? [{ id: `${id}/entry`, label: 'x-entry', description: `#${r.entryId}`, icon: 'symbol-event' }] : []),
      { id: `${id}/seg`, label: 'handed segment', description: seg, icon: 'symbol-array' },
    ],
  };
}

function safeBig(hex: string): bigint {
  try { return BigInt(hex); } catch { return 0n; }
}

// ---- Relay Segments ----

function windowText(w: SegmentWindow): string {
  if (!w.valid || safeBig(w.size) === 0n) return 'empty';
  return `${w.va}..${addHex(w.va, w.size)} → pa ${w.pa} (${formatSize(w.size)} ${w.perm})`;
}

export function relaySegmentNodes(body: RelaySegmentsBody | undefined): ViewNode[] {
  const gone = unavailable('xpc.relaySegments', body);
  if (gone) return gone;
  const b = body!;
  const slots = arrayOf<SegListSlot>(b.segList);
  const nodes: ViewNode[] = [];
  if (b.segReg) {
    nodes.push({ id: 'rs/segreg', label: 'seg-reg', description: windowText(b.segReg), tooltip: 'The active relay segment (translated ahead of the page table)', icon: 'symbol-array', iconColor: b.segReg.valid ? 'charts.green' : undefined });
  }
  if (b.segMask) {
    const whole = safeBig(b.segMask.offset) === 0n && formatSize(b.segMask.size) === 'all';
    nodes.push({ id: 'rs/segmask', label: 'seg-mask', description: whole ? 'reset (the whole segment is handed on)' : `offset ${b.segMask.offset}, size ${formatSize(b.segMask.size)}`, tooltip: 'The window the next xcall hands to the callee', icon: 'filter' });
  }
  nodes.push({
    id: 'rs/seglist',
    label: 'seg-list',
    description: slots.length === 0 ? 'no slots' : `${slots.filter((s) => s.valid && safeBig(s.size) > 0n).length}/${slots.length} slots in use`,
    icon: 'list-ordered',
    expanded: true,
    children: slots.map((s) => ({
      id: `rs/seglist/${s.slot}`,
      label: `slot ${s.slot}`,
      description: windowText(s) + (s.owner ? ` · ${s.owner}` : ''),
      icon: s.valid && safeBig(s.size) > 0n ? 'symbol-array' : 'circle-outline',
    })),
  });
  return nodes;
}

// ---- Processes & Capabilities ----

export function processNodes(body: ProcessesBody | undefined): ViewNode[] {
  const gone = unavailable('xpc.processes', body);
  if (gone) return gone;
  const procs = arrayOf<XpcProcess>(body!.processes);
  if (procs.length === 0) return [messageNode('xpc.processes', 'No processes')];
  return procs.map((p) => {
    const id = `pr/${p.id}`;
    const threads = arrayOf<XpcProcess['threads'][number]>(p.threads);
    const caps = arrayOf<XpcProcess['capabilities'][number]>(p.capabilities);
    return {
      id,
      label: p.name,
      description: `pid ${p.id} · asid ${p.asid} · ${p.state}`,
      icon: 'server-process',
      iconColor: stateColor(p.state),
      expanded: true,
      children: [
        {
          id: `${id}/threads`, label: 'threads', description: String(threads.length), icon: 'list-tree', expanded: true,
          children: threads.map((t) => ({
            id: `${id}/threads/${t.id}`, label: t.name, icon: 'pulse', iconColor: stateColor(t.state),
            description: [`tid ${t.id}`, t.state, t.priority !== undefined ? `prio ${t.priority}` : undefined].filter(Boolean).join(' · '),
          })),
        },
        {
          id: `${id}/caps`, label: 'capabilities', description: String(caps.length), icon: 'key',
          children: caps.map((c) => ({
            id: `${id}/caps/${c.slot}`, label: `[${c.slot}] ${c.type}`, icon: 'key',
            description: [c.object, c.badge !== undefined ? `badge ${c.badge}` : undefined, c.rights].filter(Boolean).join(' · '),
          })),
        },
      ],
    };
  });
}

function stateColor(state: string): string | undefined {
  const s = state.toLowerCase();
  if (s.includes('run') || s === 'live' || s === 'ready') return 'charts.green';
  if (s.includes('block') || s.includes('wait')) return 'charts.yellow';
  if (s.includes('dead') || s.includes('fault') || s.includes('exit')) return 'charts.red';
  return undefined;
}

/** The nodes of any of the four views from its request's body. */
export const VIEW_MODELS: Record<XpcViewId, (body: never) => ViewNode[]> = {
  'xpc.xEntries': xEntryNodes,
  'xpc.linkStack': linkStackNodes,
  'xpc.relaySegments': relaySegmentNodes,
  'xpc.processes': processNodes,
};
