// The system descriptions (system.json, kernel/system/types.ts and the XPC contract) as the
// language server sees them: which process a document is a source of, and so which include
// directories and injected `#define`s the system builder assembles it with (cap slot names,
// MEM_<NAME>, XENTRY_<NAME>, SEG_<NAME>), plus the x-entries, grants and relay segments behind
// the XPC checks. Read tolerantly from the JSON text with positions, not through the builder's
// validator: a half-written description still gives what it can, and the checks point into it.
// From kernel/ only pure modules are imported: the naming rules the builder itself uses
// (kernel/system/names.ts) — kernel/system/build.ts would pull in the ELF reader of the emulator.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CAP_KINDS, mapVa, memoryDefine, segmentDefine, segmentSlots, usesXpc as isXpcSystem, xEntryDefine, xEntryId } from '../../kernel/system/names';
import { JsonNode, parseJsonTree } from './json-tree';

/** Where a name or value sits in the description, for diagnostics and go-to-definition. */
export interface JsonSpan { readonly start: number; readonly end: number }

export interface SystemCap {
  readonly name: string;
  readonly slot: number;
  /** `endpoint echo`, `notification ready`, `reply r1`, `process worker`, `thread worker.main`, `xentry echo`. */
  readonly object: string;
  /** The x-entry of an `xentry` cap (a grant capability: SYS_XPC_GRANT may grant it at run time). */
  readonly xentry?: string;
  readonly rights: string;
  readonly badge?: number;
  readonly at: JsonSpan;
}

export interface SystemMap { readonly memory: string; readonly va: bigint; readonly perms: string; readonly at: JsonSpan }

export interface SystemProcess {
  readonly name: string;
  readonly index: number;
  /** Absolute paths of its assembly sources. */
  readonly sources: readonly string[];
  readonly sourceSpans: readonly JsonSpan[];
  readonly includeDirs: readonly string[];
  readonly elf: boolean;
  readonly caps: readonly SystemCap[];
  /** x-entries it holds a cap to (named or not). */
  readonly xentryCaps: ReadonlySet<string>;
  readonly maps: readonly SystemMap[];
  readonly at: JsonSpan;
}

export interface SystemEntry {
  readonly name: string;
  /** Entry ids count from 1 in array order (0 is reserved by the ISA). */
  readonly id: number;
  readonly process: string;
  readonly handler: string;
  /** As the description says (default 1); the builder takes the XPC_ENTRY stub's when it is left out. */
  readonly contexts: number;
  readonly at: JsonSpan;
  readonly processAt?: JsonSpan;
  readonly handlerAt?: JsonSpan;
  /** Where `contexts` is written; undefined when the description leaves it out. */
  readonly contextsAt?: JsonSpan;
}

export interface SystemGrant {
  readonly process: string;
  readonly processAt?: JsonSpan;
  readonly entries: readonly { readonly name: string; readonly at: JsonSpan }[];
}

export interface SystemSegment {
  readonly name: string;
  readonly owner: string;
  readonly size: number;
  readonly perms: string;
  /** The owner's seg-list slot: relay segments of one owner count from 0 in array order. */
  readonly slot: number;
  readonly at: JsonSpan;
}

export interface SystemModel {
  readonly path: string;
  readonly dir: string;
  readonly text: string;
  /** Changes whenever the file does (assembler results depend on it). */
  readonly stamp: string;
  readonly processes: readonly SystemProcess[];
  readonly memory: ReadonlyMap<string, number>;
  readonly entries: readonly SystemEntry[];
  readonly grants: readonly SystemGrant[];
  readonly segments: readonly SystemSegment[];
  /** The builder links kernel/lib/xpc/xpc.S into every process of a system with x-entries or relay segments. */
  readonly usesXpc: boolean;
}

/** What an injected `#define` names. */
export interface SystemSymbol {
  readonly name: string;
  readonly kind: 'cap' | 'memory' | 'xentry' | 'segment';
  /** The replacement text the builder defines. */
  readonly value: string;
  readonly at: JsonSpan;
  readonly entry?: SystemEntry;
  readonly segment?: SystemSegment;
  readonly cap?: SystemCap;
  readonly map?: SystemMap;
}


const span = (n: JsonNode): JsonSpan => ({ start: n.start, end: n.end });
const prop = (n: JsonNode | undefined, key: string): JsonNode | undefined => (n?.kind === 'object' ? n.props.get(key) : undefined);
const items = (n: JsonNode | undefined): readonly JsonNode[] => (n?.kind === 'array' ? n.items : []);
const str = (n: JsonNode | undefined): string | undefined => (n?.kind === 'string' ? n.value : undefined);
const num = (n: JsonNode | undefined): number | undefined => (n?.kind === 'number' ? n.value : undefined);

/** The model of a description's text; undefined when it is not a JSON object with processes. */
export function parseSystem(file: string, text: string, stamp: string): SystemModel | undefined {
  const root = parseJsonTree(text);
  if (root?.kind !== 'object' || !root.props.has('processes')) return undefined;
  const dir = path.dirname(file);
  const memory = new Map<string, number>();
  for (const m of items(prop(root, 'memory'))) {
    const name = str(prop(m, 'name'));
    if (name !== undefined) memory.set(name, num(prop(m, 'size')) ?? 0);
  }
  const processes: SystemProcess[] = [];
  items(prop(root, 'processes')).forEach((p, index) => {
    const name = str(prop(p, 'name'));
    if (name === undefined) return;
    const sourceNodes = items(prop(p, 'sources')).filter((s) => s.kind === 'string');
    const caps: SystemCap[] = [];
    const xentryCaps = new Set<string>();
    for (const c of items(prop(p, 'caps'))) {
      const xentry = str(prop(c, 'xentry'));
      if (xentry !== undefined) xentryCaps.add(xentry);
      const capName = str(prop(c, 'name'));
      const slot = num(prop(c, 'slot'));
      if (capName === undefined || slot === undefined) continue;
      const kind = CAP_KINDS.find((k) => str(prop(c, k)) !== undefined);
      caps.push({
        name: capName, slot, object: kind ? `${kind} ${str(prop(c, kind))}` : 'no object', xentry: str(prop(c, 'xentry')), rights: str(prop(c, 'rights')) ?? 'rw',
        badge: num(prop(c, 'badge')), at: span(prop(c, 'name')!),
      });
    }
    const maps: SystemMap[] = [];
    items(prop(p, 'maps')).forEach((m, k) => {
      const memoryName = str(prop(m, 'memory'));
      if (memoryName === undefined) return;
      const va = mapVa({ va: num(prop(m, 'va')) }, k);
      maps.push({ memory: memoryName, va, perms: str(prop(m, 'perms')) ?? 'rw', at: span(prop(m, 'memory')!) });
    });
    processes.push({
      name, index,
      sources: sourceNodes.map((s) => path.resolve(dir, str(s)!)),
      sourceSpans: sourceNodes.map(span),
      includeDirs: items(prop(p, 'includeDirs')).map(str).filter((d): d is string => d !== undefined).map((d) => path.resolve(dir, d)),
      elf: prop(p, 'elf') !== undefined,
      caps, xentryCaps, maps, at: span(prop(p, 'name')!),
    });
  });
  const entries: SystemEntry[] = [];
  items(prop(root, 'xEntries')).forEach((e, k) => {
    const name = str(prop(e, 'name'));
    if (name === undefined) return;
    const p = prop(e, 'process'), h = prop(e, 'handler'), c = prop(e, 'contexts');
    entries.push({
      name, id: xEntryId(k), process: str(p) ?? '', handler: str(h) ?? '', contexts: num(c) ?? 1,
      at: span(prop(e, 'name')!), processAt: p && span(p), handlerAt: h && span(h), contextsAt: c && span(c),
    });
  });
  const grants: SystemGrant[] = [];
  for (const g of items(prop(root, 'grants'))) {
    const p = prop(g, 'process');
    grants.push({
      process: str(p) ?? '', processAt: p && span(p),
      entries: items(prop(g, 'entries')).filter((x) => x.kind === 'string').map((x) => ({ name: str(x)!, at: span(x) })),
    });
  }
  const segments: SystemSegment[] = [];
  const segNodes = items(prop(root, 'relaySegments'));
  const slots = segmentSlots(segNodes.map((s) => ({ owner: str(prop(s, 'owner')) ?? '' })));
  segNodes.forEach((s, k) => {
    const name = str(prop(s, 'name'));
    if (name === undefined) return;
    segments.push({ name, owner: str(prop(s, 'owner')) ?? '', size: num(prop(s, 'size')) ?? 0, perms: str(prop(s, 'perms')) ?? 'rw', slot: slots[k], at: span(prop(s, 'name')!) });
  });
  const usesXpc = isXpcSystem({ xEntries: prop(root, 'xEntries'), grants: prop(root, 'grants'), relaySegments: prop(root, 'relaySegments') });
  return { path: file, dir, text, stamp, processes, memory, entries, grants, segments, usesXpc };
}

/** Every `#define` the builder injects into a process's sources, by name. */
export function systemSymbols(model: SystemModel, proc: SystemProcess): Map<string, SystemSymbol> {
  const out = new Map<string, SystemSymbol>();
  for (const cap of proc.caps) out.set(cap.name, { name: cap.name, kind: 'cap', value: String(cap.slot), at: cap.at, cap });
  for (const map of proc.maps) {
    const name = memoryDefine(map.memory);
    out.set(name, { name, kind: 'memory', value: `0x${map.va.toString(16)}`, at: map.at, map });
  }
  for (const entry of model.entries) {
    const name = xEntryDefine(entry.name);
    out.set(name, { name, kind: 'xentry', value: String(entry.id), at: entry.at, entry });
  }
  for (const segment of model.segments) {
    const name = segmentDefine(segment.name);
    out.set(name, { name, kind: 'segment', value: String(segment.slot), at: segment.at, segment });
  }
  return out;
}

/** Entries a process may xcall (its grants). */
export function grantedEntries(model: SystemModel, process: string): Set<string> {
  const out = new Set<string>();
  for (const g of model.grants) if (g.process === process) for (const e of g.entries) out.add(e.name);
  return out;
}

/** The folder holding kernel/include (and kernel/lib/xpc): next to this module, or in a workspace root. */
export function findKernelDir(roots: readonly string[]): string | undefined {
  const isKernel = (d: string) => fs.existsSync(path.join(d, 'include', 'abi.inc'));
  let dir = __dirname;
  for (let k = 0; k < 6; k++) {
    if (isKernel(path.join(dir, 'kernel'))) return path.join(dir, 'kernel');
    dir = path.dirname(dir);
  }
  return roots.map((r) => path.join(r, 'kernel')).find(isKernel);
}

const SKIP_DIRS = new Set(['node_modules', 'out', 'dist', 'build']);
/** `system.json`, `x.system.json`, `system-ipc.json`: a JSON file named for a system (the content decides). */
export const isDescriptionName = (f: string): boolean => /system[^/\\]*\.json$/i.test(f);
/** system.json before its variants, then by name. */
const byPreference = (a: string, b: string) => (a === 'system.json' ? -1 : b === 'system.json' ? 1 : a < b ? -1 : a > b ? 1 : 0);

interface CachedDescription { generation: number; mtimeMs: number; size: number; model?: SystemModel }

/**
 * The descriptions of the workspace: found by a bounded scan of the workspace folders and by
 * listing a document's folder and its parents. Each file is stat-ed (each folder listed) at most
 * once per generation and parsed again only when its mtime or size changed; the server starts
 * a new generation before each diagnostics run and when the client reports changed files.
 */
export class SystemIndex {
  private roots: string[] = [];
  private generation = 0;
  private readonly files = new Map<string, CachedDescription>();
  private readonly folders = new Map<string, { generation: number; names: string[] }>();
  private scanned?: string[];
  /** null until looked for. */
  private kernel: string | undefined | null = null;

  setRoots(roots: readonly string[]): void {
    this.roots = roots.map((r) => path.resolve(r));
    this.invalidateScan();
  }

  /** The next lookups look at the disk again (cheaply: a stat per description). */
  refresh(): void { this.generation++; }

  /** Descriptions may have been created or deleted: scan the workspace again. */
  invalidateScan(): void { this.scanned = undefined; this.generation++; }

  kernelDir(): string | undefined {
    if (this.kernel === null) this.kernel = findKernelDir(this.roots);
    return this.kernel;
  }

  /** A description file's model (undefined when missing or not a description). */
  load(file: string): SystemModel | undefined {
    const c = this.files.get(file);
    if (c && c.generation === this.generation) return c.model;
    let st: fs.Stats;
    try { st = fs.statSync(file); } catch { this.files.set(file, { generation: this.generation, mtimeMs: -1, size: -1 }); return undefined; }
    if (c && c.mtimeMs === st.mtimeMs && c.size === st.size) { c.generation = this.generation; return c.model; }
    let model: SystemModel | undefined;
    if (st.isFile() && st.size < 4 << 20) {
      // Unreadable (gone since the stat, no permission): no description, as if missing.
      let text: string | undefined;
      try { text = fs.readFileSync(file, 'utf8'); } catch { text = undefined; }
      if (text !== undefined) model = parseSystem(file, text, `${st.mtimeMs}:${st.size}`);
    }
    this.files.set(file, { generation: this.generation, mtimeMs: st.mtimeMs, size: st.size, model });
    return model;
  }

  /** Descriptions that may concern a document: those up its folders (nearest first), then the workspace's. */
  candidates(docPath: string): string[] {
    const out = this.folderCandidates(docPath);
    for (const f of this.workspaceDescriptions()) if (!out.includes(f)) out.push(f);
    return out;
  }

  /** Descriptions in the document's folder and its parents up to its workspace folder (nearest first). */
  private folderCandidates(docPath: string): string[] {
    const out: string[] = [];
    const root = this.roots.filter((r) => docPath.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
    let dir = path.dirname(docPath);
    for (let k = 0; k < 12; k++) {
      for (const name of this.descriptionNamesIn(dir)) out.push(path.join(dir, name));
      const up = path.dirname(dir);
      if (dir === root || up === dir || (!root && k >= 4)) break;
      dir = up;
    }
    return out;
  }

  /** The process a document is a source of, in the first description that lists it. */
  processOf(docPath: string): { model: SystemModel; process: SystemProcess } | undefined {
    for (const f of this.candidates(docPath)) {
      const model = this.load(f);
      const process = model?.processes.find((p) => p.sources.includes(docPath));
      if (model && process) return { model, process };
    }
    return undefined;
  }

  /** Description-like file names in a folder (listed once per generation). */
  private descriptionNamesIn(dir: string): string[] {
    const c = this.folders.get(dir);
    if (c && c.generation === this.generation) return c.names;
    let names: string[] = [];
    try { names = fs.readdirSync(dir).filter(isDescriptionName).sort(byPreference); } catch { names = []; }
    if (this.folders.size > 4096) this.folders.clear();
    this.folders.set(dir, { generation: this.generation, names });
    return names;
  }

  /** Whether a description sits in the document's folder or above it (a kernel-based program's helper file). */
  nearDescription(docPath: string): boolean {
    return this.folderCandidates(docPath).some((f) => this.load(f) !== undefined);
  }

  /** Description files in the workspace folders (a bounded scan, cached until invalidated). */
  workspaceDescriptions(): string[] {
    if (this.scanned) return this.scanned;
    const found: string[] = [];
    let budget = 4000;
    const walk = (dir: string, depth: number) => {
      if (depth > 8 || budget-- <= 0) return;
      let entries: fs.Dirent[];
      try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
      for (const e of entries) {
        if (e.isFile() && isDescriptionName(e.name)) found.push(path.join(dir, e.name));
        else if (e.isDirectory() && !e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) walk(path.join(dir, e.name), depth + 1);
      }
    };
    for (const r of this.roots) walk(r, 0);
    this.scanned = found.sort();
    return this.scanned;
  }
}
