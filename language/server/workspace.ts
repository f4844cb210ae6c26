// The server's view of the sources: open documents (unsaved text wins over the disk), the
// per-file scan index, the include closure of a document, and the assembler run behind the
// diagnostics. Independent of the LSP connection, so features and the benchmark can drive it
// directly.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { assembleOne, needsPreprocessor } from '../asm';
import type { Diagnostic as AsmDiagnostic } from '../asm';
import type { AssemblerHost } from '../asm/assembler';
import type { AsmObject } from '../asm/object';
import { DEFAULT_FORMAT, FormatSettings, parseFormatSettings } from './format';
import { FileIndex, IncludeRef, scanFile } from './scan';

export interface ServerSettings {
  readonly includeDirs: readonly string[];
  readonly defines: ReadonlyMap<string, string>;
  /** Compressed instructions enabled at the start of each file (rv64imac). */
  readonly rvc: boolean;
  /** Delay between the last edit and the assembler run; 0 runs at the next turn of the event loop. */
  readonly debounceMs: number;
  /** Document formatting columns (`initializationOptions.format`). */
  readonly format: FormatSettings;
}

export const DEFAULT_SETTINGS: ServerSettings = { includeDirs: [], defines: new Map(), rvc: true, debounceMs: 200, format: DEFAULT_FORMAT };

/** Settings from `initializationOptions` (anything malformed falls back to the default). */
export function parseSettings(raw: unknown): ServerSettings {
  const o = typeof raw === 'object' && raw !== null ? raw as Record<string, unknown> : {};
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const defines = new Map<string, string>();
  if (typeof o.defines === 'object' && o.defines !== null) {
    for (const [k, v] of Object.entries(o.defines as Record<string, unknown>)) defines.set(k, typeof v === 'string' ? v : String(v ?? '1'));
  }
  const debounce = typeof o.debounceMs === 'number' && Number.isFinite(o.debounceMs) && o.debounceMs >= 0 ? o.debounceMs : DEFAULT_SETTINGS.debounceMs;
  return { includeDirs: strings(o.includeDirs), defines, rvc: typeof o.rvc === 'boolean' ? o.rvc : true, debounceMs: debounce, format: parseFormatSettings(o.format) };
}

export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    try { return fileURLToPath(uri); } catch { return uri; }
  }
  return uri;
}

interface OpenDoc { readonly uri: string; readonly text: string; readonly version: number }

interface CachedIndex { readonly text: string; readonly index: FileIndex }

export interface AssembleResult {
  readonly version: number;
  readonly object: AsmObject;
  readonly diagnostics: readonly AsmDiagnostic[];
  /** Every file read by this run, the document's included files among them. */
  readonly files: ReadonlySet<string>;
}

/** A file of a document's include closure with its index. */
export interface ClosureFile { readonly path: string; readonly index: FileIndex }

export class Workspace {
  private readonly open = new Map<string, OpenDoc>();
  private readonly indexes = new Map<string, CachedIndex>();
  private readonly assembled = new Map<string, AssembleResult>();

  constructor(public settings: ServerSettings = DEFAULT_SETTINGS) {}

  // ---- Documents ------------------------------------------------------------------------------

  /**
   * Records a document's new text. Returns its path and the open documents whose last run read
   * it: their results are dropped, since they are stale too.
   */
  setText(uri: string, text: string, version: number): { path: string; dependents: string[] } {
    const p = uriToPath(uri);
    this.open.set(p, { uri, text, version });
    const dependents = this.dependents(p);
    for (const d of dependents) this.assembled.delete(d);
    return { path: p, dependents };
  }

  close(uri: string): void {
    const p = uriToPath(uri);
    this.open.delete(p);
    this.assembled.delete(p);
  }

  isOpen(p: string): boolean { return this.open.has(p); }
  openPaths(): string[] { return [...this.open.keys()]; }
  version(p: string): number | undefined { return this.open.get(p)?.version; }

  /** The URI the client knows a file by (its own spelling for open documents). */
  uriOf(p: string): string {
    return this.open.get(p)?.uri ?? (path.isAbsolute(p) ? pathToFileURL(p).href : p);
  }

  /** Open text first, then the disk. */
  readFile(p: string): string | undefined {
    const d = this.open.get(p);
    if (d) return d.text;
    try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; }
  }

  private exists(p: string): boolean {
    if (this.open.has(p)) return true;
    try { return fs.statSync(p).isFile(); } catch { return false; }
  }

  /** The assembler's view of files: unsaved documents served from memory, the rest from disk. */
  readonly host: AssemblerHost = {
    readFile: (p) => this.readFile(p),
    resolveInclude: (name, fromFile, dirs) => this.resolve(name, fromFile, dirs, false),
  };

  resolve(name: string, fromFile: string, dirs: readonly string[], angled: boolean): string | undefined {
    if (!name) return undefined;
    if (path.isAbsolute(name)) return this.exists(name) ? name : undefined;
    const candidates = [...(angled ? [] : [path.join(path.dirname(fromFile), name)]), ...dirs.map((d) => path.join(d, name))];
    return candidates.find((c) => this.exists(c));
  }

  resolveIncludeRef(inc: IncludeRef, fromFile: string): string | undefined {
    return this.resolve(inc.name, fromFile, this.settings.includeDirs, inc.angled);
  }

  // ---- Indexes --------------------------------------------------------------------------------

  /** The scan index of a file (open or on disk), rebuilt only when its text changed. */
  index(p: string): FileIndex | undefined {
    const text = this.readFile(p);
    if (text === undefined) return undefined;
    const c = this.indexes.get(p);
    if (c && c.text === text) return c.index;
    const index = scanFile(text, needsPreprocessor(p));
    this.indexes.set(p, { text, index });
    return index;
  }

  /** The document and every file it includes, transitively, document first. */
  closure(p: string): ClosureFile[] {
    const out: ClosureFile[] = [];
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file) || seen.size > 256) return;
      seen.add(file);
      const index = this.index(file);
      if (!index) return;
      out.push({ path: file, index });
      for (const inc of index.includes) {
        const target = this.resolveIncludeRef(inc, file);
        if (target) visit(target);
      }
    };
    visit(p);
    return out;
  }

  // ---- Assembling -----------------------------------------------------------------------------

  /** Assembles a document (cached per version); undefined when it is neither open nor on disk. */
  assemble(p: string): AssembleResult | undefined {
    const version = this.open.get(p)?.version ?? -1;
    const cached = this.assembled.get(p);
    if (cached && cached.version === version && version >= 0) return cached;
    const text = this.readFile(p);
    if (text === undefined) return undefined;
    const files = new Set<string>([p]);
    const host: AssemblerHost = {
      readFile: (f) => { files.add(f); return this.readFile(f); },
      resolveInclude: this.host.resolveInclude,
    };
    const r = assembleOne({ path: p, text }, { includeDirs: this.settings.includeDirs, defines: this.settings.defines, rvc: this.settings.rvc, host });
    const result: AssembleResult = { version, object: r.object, diagnostics: r.diagnostics, files };
    if (version >= 0) this.assembled.set(p, result);
    return result;
  }

  /** The last assembler result of an open document, whatever its version. */
  lastAssembled(p: string): AssembleResult | undefined {
    return this.assembled.get(p);
  }

  /** Open documents whose last run read `p` (so they must be checked again when `p` changes). */
  dependents(p: string): string[] {
    return [...this.assembled.entries()].filter(([doc, r]) => doc !== p && r.files.has(p)).map(([doc]) => doc);
  }
}
