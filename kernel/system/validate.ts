// Checks a parsed system description and lists EVERY problem by JSON path, before anything is
// assembled. What needs the assembler (missing files, assembly errors, missing entry symbols) is
// reported by the builder with the same paths.

import { CSPACE_SLOTS, MAX_ENDPOINTS, MAX_NOTIFICATIONS, MAX_REPLIES, MAX_PROCS, MAX_RELAY_SEGS, MAX_THREADS, MAX_XENTRIES, NUM_PRIORITIES, RELAY_MAX_SIZE, SEGLIST_SLOTS, USER_RELAY_BASE, USER_STACK_STRIDE } from '../abi/abi';
import { CapDescription, SystemDescription } from './types';
import { CAP_KINDS, CONTROL_KINDS, usesXpc as isXpcSystem } from './names';

export interface SystemDiagnostic {
  /** JSON path of the offending value, e.g. `processes[1].caps[0].endpoint`. */
  readonly path: string;
  readonly message: string;
}

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A value as a message quotes it: a string in quotes (cut short), a list or object by its kind (not `[object Object]`). */
const shown = (v: Json): string => {
  if (typeof v === 'string') return v.length > 80 ? `'${v.slice(0, 77)}…'` : `'${v}'`;
  if (v === undefined) return '(none given)';
  if (Array.isArray(v)) return 'a list';
  return isObj(v) ? 'an object' : String(v);
};
const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,30}$/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function validateDescription(raw: Json): { description?: SystemDescription; diagnostics: SystemDiagnostic[] } {
  const d: SystemDiagnostic[] = [];
  const err = (path: string, message: string) => d.push({ path, message });
  if (!isObj(raw)) { err('$', 'the description must be a JSON object'); return { diagnostics: d }; }

  const known = (obj: Record<string, Json>, path: string, keys: readonly string[]) => {
    for (const k of Object.keys(obj)) {
      // A key that is not a name ('', 'a b', 'x.y') is quoted, so the path stays unambiguous.
      const at = /^[A-Za-z_$][\w$-]*$/.test(k) ? (path ? `${path}.${k}` : k) : `${path || '$'}[${JSON.stringify(k)}]`;
      if (!keys.includes(k)) err(at, `unknown property ${shown(k)} (expected one of ${keys.join(', ')})`);
    }
  };
  const int = (v: Json, path: string, min: number, max: number, what: string): boolean => {
    if (v === undefined) return true;
    if (typeof v !== 'number' || !Number.isInteger(v)) { err(path, `${what} must be an integer`); return false; }
    if (v < min || v > max) { err(path, `${what} ${v} is out of range (${min}..${max})`); return false; }
    return true;
  };
  const name = (v: Json, path: string): v is string => {
    if (typeof v !== 'string') { err(path, 'a name (string) is required'); return false; }
    if (!NAME.test(v)) { err(path, `${shown(v)} is not a valid name (letters, digits, _ and -, at most 31, not starting with a digit)`); return false; }
    return true;
  };
  const list = (v: Json, path: string, max: number): Json[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) { err(path, 'must be an array'); return []; }
    if (v.length > max) err(path, `at most ${max} entries (has ${v.length})`);
    return v;
  };
  const uniqueNames = (items: Json[], path: string): Set<string> => {
    const seen = new Set<string>();
    items.forEach((it, i) => {
      if (!isObj(it)) { err(`${path}[${i}]`, 'must be an object'); return; }
      known(it, `${path}[${i}]`, path === 'memory' ? ['name', 'size'] : ['name']);
      if (!name(it.name, `${path}[${i}].name`)) return;
      if (seen.has(it.name)) err(`${path}[${i}].name`, `duplicate name '${it.name}'`);
      seen.add(it.name);
    });
    return seen;
  };

  known(raw, '', ['$schema', 'tick', 'exitOn', 'endpoints', 'notifications', 'replies', 'memory', 'processes', 'xEntries', 'grants', 'relaySegments']);
  int(raw.tick, 'tick', 10, 10_000_000, 'tick');
  const endpoints = uniqueNames(list(raw.endpoints, 'endpoints', MAX_ENDPOINTS), 'endpoints');
  const notifications = uniqueNames(list(raw.notifications, 'notifications', MAX_NOTIFICATIONS), 'notifications');
  const replies = uniqueNames(list(raw.replies, 'replies', MAX_REPLIES), 'replies');
  const replyHolder = new Map<string, string>();
  const memItems = list(raw.memory, 'memory', 64);
  const memory = uniqueNames(memItems, 'memory');
  memItems.forEach((m, i) => { if (isObj(m)) { if (m.size === undefined) err(`memory[${i}].size`, 'size is required'); int(m.size, `memory[${i}].size`, 1, 1 << 20, 'size'); } });

  if (raw.processes === undefined) err('processes', 'at least one process is required');
  const procs = list(raw.processes, 'processes', MAX_PROCS);
  if (raw.processes !== undefined && Array.isArray(raw.processes) && !procs.length) err('processes', 'at least one process is required');
  const procNames = new Set<string>();
  const threadNames = new Set<string>();
  let threadCount = 0;
  procs.forEach((p, i) => {
    const at = `processes[${i}]`;
    if (!isObj(p)) { err(at, 'must be an object'); return; }
    known(p, at, ['name', 'sources', 'elf', 'includeDirs', 'priority', 'stackSize', 'heapSize', 'threads', 'caps', 'maps']);
    if (name(p.name, `${at}.name`)) { if (procNames.has(p.name)) err(`${at}.name`, `duplicate process name '${p.name}'`); procNames.add(p.name); }
    if (p.elf !== undefined) {
      if (typeof p.elf !== 'string' || !p.elf) err(`${at}.elf`, 'must be a file path');
      if (p.sources !== undefined) err(`${at}.sources`, 'give sources or elf, not both');
    } else if (!Array.isArray(p.sources) || !p.sources.length) err(`${at}.sources`, 'a non-empty list of assembly sources (or an elf) is required');
    else p.sources.forEach((s, k) => { if (typeof s !== 'string' || !s) err(`${at}.sources[${k}]`, 'must be a file path'); });
    if (p.includeDirs !== undefined && (!Array.isArray(p.includeDirs) || p.includeDirs.some((x) => typeof x !== 'string'))) err(`${at}.includeDirs`, 'must be a list of folder paths');
    int(p.priority, `${at}.priority`, 0, NUM_PRIORITIES - 1, 'priority');
    int(p.stackSize, `${at}.stackSize`, 4096, USER_STACK_STRIDE - 4096, 'stackSize');
    int(p.heapSize, `${at}.heapSize`, 0, 16 << 20, 'heapSize');
    const threads = p.threads === undefined ? [{ name: 'main' }] : list(p.threads, `${at}.threads`, MAX_THREADS);
    if (Array.isArray(p.threads) && !p.threads.length) err(`${at}.threads`, 'at least one thread');
    const local = new Set<string>();
    threads.forEach((t, k) => {
      const tat = `${at}.threads[${k}]`;
      if (!isObj(t)) { err(tat, 'must be an object'); return; }
      known(t, tat, ['name', 'entry', 'priority', 'arg']);
      threadCount++;
      if (name(t.name, `${tat}.name`)) {
        if (local.has(t.name)) err(`${tat}.name`, `duplicate thread name '${t.name}'`);
        local.add(t.name);
        if (typeof p.name === 'string') threadNames.add(`${p.name}.${t.name}`);
      }
      if (t.entry !== undefined && (typeof t.entry !== 'string' || !t.entry)) err(`${tat}.entry`, 'must be a symbol name');
      int(t.priority, `${tat}.priority`, 0, NUM_PRIORITIES - 1, 'priority');
      if (t.arg !== undefined && (typeof t.arg !== 'number' || !Number.isInteger(t.arg))) err(`${tat}.arg`, 'must be an integer');
    });
  });
  if (threadCount > MAX_THREADS) err('processes', `at most ${MAX_THREADS} threads in all (has ${threadCount})`);
  if (raw.exitOn !== undefined && (typeof raw.exitOn !== 'string' || !procNames.has(raw.exitOn))) err('exitOn', `unknown process ${shown(raw.exitOn)}`);

  // XPC (issue #7): x-entries, grants, relay segments.
  const xEntryNames = new Set<string>();
  list(raw.xEntries, 'xEntries', MAX_XENTRIES - 1).forEach((x, i) => {
    const at = `xEntries[${i}]`;
    if (!isObj(x)) { err(at, 'must be an object'); return; }
    known(x, at, ['name', 'process', 'handler', 'contexts']);
    if (name(x.name, `${at}.name`)) { if (xEntryNames.has(x.name)) err(`${at}.name`, `duplicate x-entry name '${x.name}'`); xEntryNames.add(x.name); }
    if (typeof x.process !== 'string' || !procNames.has(x.process)) err(`${at}.process`, `unknown process ${shown(x.process)}`);
    if (typeof x.handler !== 'string' || !IDENT.test(x.handler)) err(`${at}.handler`, 'must be a symbol name');
    int(x.contexts, `${at}.contexts`, 1, 64, 'contexts');
  });
  list(raw.grants, 'grants', 256).forEach((g, i) => {
    const at = `grants[${i}]`;
    if (!isObj(g)) { err(at, 'must be an object'); return; }
    known(g, at, ['process', 'entries']);
    if (typeof g.process !== 'string' || !procNames.has(g.process)) err(`${at}.process`, `unknown process ${shown(g.process)}`);
    if (!Array.isArray(g.entries)) { err(`${at}.entries`, 'must be a list of x-entry names'); return; }
    // Once per entry: each grant is a boot-info record, and the boot info has a fixed size.
    const granted = new Set<string>();
    g.entries.forEach((e, k) => {
      if (typeof e !== 'string' || !xEntryNames.has(e)) err(`${at}.entries[${k}]`, `unknown x-entry ${shown(e)}`);
      else if (granted.has(e)) err(`${at}.entries[${k}]`, `x-entry '${e}' is already granted here`);
      else granted.add(e);
    });
  });
  const segNames = new Set<string>();
  const segsPerOwner = new Map<string, number>();
  list(raw.relaySegments, 'relaySegments', MAX_RELAY_SEGS).forEach((r, i) => {
    const at = `relaySegments[${i}]`;
    if (!isObj(r)) { err(at, 'must be an object'); return; }
    known(r, at, ['name', 'size', 'owner', 'perms']);
    if (name(r.name, `${at}.name`)) { if (segNames.has(r.name)) err(`${at}.name`, `duplicate relay segment name '${r.name}'`); segNames.add(r.name); }
    if (r.size === undefined) err(`${at}.size`, 'size is required');
    else if (int(r.size, `${at}.size`, 4096, RELAY_MAX_SIZE, 'size') && typeof r.size === 'number' && r.size % 4096) err(`${at}.size`, `size ${r.size} is not a multiple of 4096`);
    if (typeof r.owner !== 'string' || !procNames.has(r.owner)) err(`${at}.owner`, `unknown process ${shown(r.owner)}`);
    else {
      const n = (segsPerOwner.get(r.owner) ?? 0) + 1;
      segsPerOwner.set(r.owner, n);
      if (n > SEGLIST_SLOTS) err(`${at}.owner`, `process '${r.owner}' owns more than ${SEGLIST_SLOTS} relay segments (its seg-list has ${SEGLIST_SLOTS} slots)`);
    }
    if (r.perms !== undefined && r.perms !== 'r' && r.perms !== 'w' && r.perms !== 'rw') err(`${at}.perms`, 'must be "r", "w" or "rw"');
  });

  // References need every name, so they are checked after the first pass.
  procs.forEach((p, i) => {
    if (!isObj(p)) return;
    const at = `processes[${i}]`;
    const slots = new Set<number>();
    const capNames = new Set<string>();
    list(p.caps, `${at}.caps`, CSPACE_SLOTS).forEach((c, k) => {
      const cat = `${at}.caps[${k}]`;
      if (!isObj(c)) { err(cat, 'must be an object'); return; }
      known(c, cat, ['slot', 'name', ...CAP_KINDS, 'badge', 'rights']);
      if (c.slot === undefined) err(`${cat}.slot`, 'slot is required');
      else if (int(c.slot, `${cat}.slot`, 1, CSPACE_SLOTS - 1, 'slot') && typeof c.slot === 'number') {
        if (slots.has(c.slot)) err(`${cat}.slot`, `slot ${c.slot} is used twice`);
        slots.add(c.slot);
      }
      if (c.name !== undefined) {
        if (typeof c.name !== 'string' || !IDENT.test(c.name)) err(`${cat}.name`, 'must be an assembler identifier');
        else { if (capNames.has(c.name)) err(`${cat}.name`, `duplicate cap name '${c.name}'`); capNames.add(c.name); }
      }
      const kinds = CAP_KINDS.filter((key) => c[key] !== undefined);
      if (kinds.length !== 1) { err(cat, `exactly one of ${CAP_KINDS.join(', ')} is required`); return; }
      const kind = kinds[0];
      const target = c[kind];
      const pool: ReadonlySet<string> = { endpoint: endpoints, notification: notifications, reply: replies, process: procNames, thread: threadNames, xentry: xEntryNames, control: new Set<string>(CONTROL_KINDS) }[kind];
      if (typeof target !== 'string' || !pool.has(target)) err(`${cat}.${kind}`, `unknown ${kind} ${shown(target)}${kind === 'thread' ? ' (write process.thread)' : kind === 'control' ? ` (one of: ${CONTROL_KINDS.join(', ')})` : ''}`);
      if (kind === 'control' && target === 'xpc' && !isXpcSystem(raw)) {
        err(`${cat}.control`, 'the XPC control capability needs an XPC system (give the description xEntries, grants or relaySegments, even empty)');
      }
      if (kind === 'reply' && typeof target === 'string') {
        // seL4: a reply capability cannot be copied, so one object has one holder.
        const first = replyHolder.get(target);
        if (first !== undefined) err(`${cat}.reply`, `reply object '${target}' is already held by ${first}`);
        else replyHolder.set(target, cat);
      }
      if (c.badge !== undefined && (typeof c.badge !== 'number' || !Number.isInteger(c.badge) || c.badge < 0)) err(`${cat}.badge`, 'must be a non-negative integer');
      if (c.rights !== undefined && (typeof c.rights !== 'string' || !/^[rwg]*$/.test(c.rights))) err(`${cat}.rights`, "must be letters among r, w, g (e.g. \"rw\")");
    });
    list(p.maps, `${at}.maps`, 64).forEach((m, k) => {
      const mat = `${at}.maps[${k}]`;
      if (!isObj(m)) { err(mat, 'must be an object'); return; }
      known(m, mat, ['memory', 'va', 'perms']);
      if (typeof m.memory !== 'string' || !memory.has(m.memory)) err(`${mat}.memory`, `unknown memory region ${shown(m.memory)}`);
      if (m.va !== undefined && (typeof m.va !== 'number' || !Number.isInteger(m.va) || m.va % 4096 !== 0 || m.va < 0x4000_0000 || m.va >= Number(USER_RELAY_BASE))) {
        err(`${mat}.va`, `must be a page-aligned address in 0x40000000..0x${(USER_RELAY_BASE - 1n).toString(16)} (above is the relay-segment window)`);
      }
      if (m.perms !== undefined && m.perms !== 'r' && m.perms !== 'rw') err(`${mat}.perms`, 'must be "r" or "rw"');
    });
  });
  return d.length ? { diagnostics: d } : { description: raw as unknown as SystemDescription, diagnostics: d };
}

export type { CapDescription };
