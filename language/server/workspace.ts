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
import { SystemIndex, SystemModel, SystemProcess, systemSymbols } from './system';
import { kernelIncludeDirs } from '../../kernel/system/names';

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
  readonly contextKey: string;
}

interface ClosedResult { readonly result: AssembleResult; readonly texts: ReadonlyMap<string, string | undefined> }

/**
 * How a document is assembled: the server's settings, plus what the system builder adds when
 * the document is a process source of a system description.
 */
export interface AsmContext {
  readonly includeDirs: readonly string[];
  readonly defines: ReadonlyMap<string, string>;
  /** Equal keys mean equal contexts (an assembler result is reused only for its own key). */
  readonly key: string;
  readonly system?: { readonly model: SystemModel; readonly process: SystemProcess };
}

/** A file of a document's include closure with its index. */
export interface ClosureFile { readonly path: string; readonly index: FileIndex }

export class Workspace {
  private readonly open = new Map<string, OpenDoc>();
  private readonly indexes = new Map<string, CachedIndex>();
  private readonly assembled = new Map<string, AssembleResult>();
  /** Runs of files not open in the editor (other sources of a system), checked against the disk. */
  private readonly closedAssembled = new Map<string, ClosedResult>();
  private readonly contexts = new Map<string, { generation: number; context: AsmContext }>();
  private contextGeneration = 0;
  /** The system descriptions of the workspace. */
  readonly systems = new SystemIndex();

  constructor(public settings: ServerSettings = DEFAULT_SETTINGS) {}

  /** Descriptions may have changed on disk: look again (a stat each) at the next lookups. */
  refreshSystems(): void {
    this.systems.refresh();
    this.contextGeneration++;
  }

  // ---- Assembler context ----------------------------------------------------------------------

  /**
   * The include directories and defines a document is assembled with. A process source gets
   * what the system builder gives it: the process's includeDirs, kernel/include, kernel/lib/xpc
   * and the injected names; a kernel source gets kernel/include and kernel/src; another file
   * next to a description gets the kernel's include directories.
   */
  contextOf(p: string): AsmContext {
    const c = this.contexts.get(p);
    if (c && c.generation === this.contextGeneration) return c.context;
    const context = this.computeContext(p);
    this.contexts.set(p, { generation: this.contextGeneration, context });
    return context;
  }

  private computeContext(p: string): AsmContext {
    const base = this.settings;
    const kernel = this.systems.kernelDir();
    const kernelDirs = kernel ? kernelIncludeDirs(kernel) : [];
    const found = this.systems.processOf(p);
    if (found) {
      const defines = new Map(base.defines);
      for (const [name, sym] of systemSymbols(found.model, found.process)) defines.set(name, sym.value);
      return {
        includeDirs: [...found.process.includeDirs, ...kernelDirs, ...base.includeDirs], defines,
        key: `${found.model.path}@${found.model.stamp}#${found.process.index}`, system: found,
      };
    }
    if (kernel && p.startsWith(path.join(kernel, 'src') + path.sep)) {
      return { includeDirs: [path.join(kernel, 'include'), path.join(kernel, 'src'), ...base.includeDirs], defines: base.defines, key: 'kernel' };
    }
    if (kernelDirs.length && this.systems.nearDescription(p)) {
      return { includeDirs: [...kernelDirs, ...base.includeDirs], defines: base.defines, key: 'near-system' };
    }
    return { includeDirs: base.includeDirs, defines: base.defines, key: '' };
  }

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

  /** Where an include of `fromFile` leads when `docPath` (default: that file) is the document assembled. */
  resolveIncludeRef(inc: IncludeRef, fromFile: string, docPath = fromFile): string | undefined {
    return this.resolve(inc.name, fromFile, this.contextOf(docPath).includeDirs, inc.angled);
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
        const target = this.resolveIncludeRef(inc, file, p);
        if (target) visit(target);
      }
    };
    visit(p);
    return out;
  }

  // ---- Assembling -----------------------------------------------------------------------------

  /**
   * Assembles a document (cached per version and context); undefined when it is neither open
   * nor on disk. A file not open is cached while it and every file its run read are unchanged.
   */
  assemble(p: string): AssembleResult | undefined {
    const version = this.open.get(p)?.version ?? -1;
    const context = this.contextOf(p);
    if (version >= 0) {
      const cached = this.assembled.get(p);
      if (cached && cached.version === version && cached.contextKey === context.key) return cached;
    } else {
      const closed = this.closedAssembled.get(p);
      if (closed && closed.result.contextKey === context.key && [...closed.texts].every(([f, t]) => this.readFile(f) === t)) return closed.result;
    }
    const text = this.readFile(p);
    if (text === undefined) return undefined;
    const files = new Set<string>([p]);
    const texts = new Map<string, string | undefined>([[p, text]]);
    const host: AssemblerHost = {
      readFile: (f) => { files.add(f); const t = this.readFile(f); texts.set(f, t); return t; },
      resolveInclude: this.host.resolveInclude,
    };
    const r = assembleOne({ path: p, text }, { includeDirs: context.includeDirs, defines: context.defines, rvc: this.settings.rvc, host });
    const result: AssembleResult = { version, object: r.object, diagnostics: r.diagnostics, files, contextKey: context.key };
    if (version >= 0) this.assembled.set(p, result);
    else this.closedAssembled.set(p, { result, texts });
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
