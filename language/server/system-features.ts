// What the system description adds to a process source: warnings for x-entries the process may
// not xcall, inlay hints and hovers naming what an injected define (XENTRY_, SEG_, MEM_, cap
// names) stands for, go-to-definition into system.json; and the checks of the description
// itself that need the sources (an x-entry handler no source defines), published for
// system.json.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostic, DiagnosticSeverity, InlayHint, Location, MarkupKind, Range } from 'vscode-languageserver/node';
import { needsPreprocessor } from '../asm';
import { xEntryContextsSymbol } from '../../kernel/system/names';
import { positionAt } from './json-tree';
import { JsonSpan, SystemModel, SystemProcess, SystemSymbol, grantedEntries, systemSymbols } from './system';
import type { Workspace } from './workspace';

const SOURCE = 'xpc-asm';

export const descriptionUri = (file: string): string => pathToFileURL(file).href;

const jsonRange = (model: SystemModel, at: JsonSpan): Range => ({ start: positionAt(model.text, at.start), end: positionAt(model.text, at.end) });

interface Injected { readonly model: SystemModel; readonly process: SystemProcess; readonly symbols: ReadonlyMap<string, SystemSymbol>; readonly local: ReadonlySet<string> }

/**
 * The injected names of a process source, minus names the sources define themselves. The
 * builder's names are C-preprocessor defines: a `.s` source (no preprocessor) has none.
 */
function injected(ws: Workspace, docPath: string): Injected | undefined {
  const system = ws.contextOf(docPath).system;
  if (!system || !needsPreprocessor(docPath)) return undefined;
  const local = new Set<string>();
  for (const f of ws.closure(docPath)) for (const d of f.index.defs) local.add(d.name);
  return { ...system, symbols: systemSymbols(system.model, system.process), local };
}

/** The names the builder injects into a process source that its sources do not define themselves. */
export function injectedSymbols(ws: Workspace, docPath: string): SystemSymbol[] {
  const inj = injected(ws, docPath);
  return inj ? [...inj.symbols.values()].filter((s) => !inj.local.has(s.name)) : [];
}

/** A one-line description of an injected name (completion detail). */
export function symbolDetail(sym: SystemSymbol): string {
  if (sym.entry) return `x-entry ${sym.entry.name} = ${sym.value} (${sym.entry.process}.${sym.entry.handler})`;
  if (sym.segment) return `relay segment ${sym.segment.name}: slot ${sym.value} of ${sym.segment.owner}`;
  if (sym.cap) return `cap slot ${sym.value}: ${sym.cap.object}`;
  return `shared memory ${sym.map?.memory ?? ''} at ${sym.value}`;
}

/** The system symbol a name in a document stands for, if any. */
export function systemSymbolAt(ws: Workspace, docPath: string, name: string): { inj: Injected; sym: SystemSymbol } | undefined {
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  const inj = injected(ws, docPath);
  const sym = inj?.symbols.get(name);
  return inj && sym && !inj.local.has(name) ? { inj, sym } : undefined;
}

/** Uses of XENTRY_<NAME> in the document that its process may not xcall, or that name no x-entry. */
export function documentSystemDiagnostics(ws: Workspace, docPath: string): Diagnostic[] {
  const inj = injected(ws, docPath);
  const index = ws.index(docPath);
  if (!inj || !index) return [];
  // A source shared by several processes (a library) is checked for each of them.
  const procs = inj.model.processes.filter((p) => p.sources.includes(docPath));
  const file = path.basename(inj.model.path);
  const out: Diagnostic[] = [];
  for (const [name, occs] of index.occurrences) {
    if (!name.startsWith('XENTRY_') || inj.local.has(name)) continue;
    const entry = inj.symbols.get(name)?.entry;
    let message: string;
    let severity: DiagnosticSeverity = DiagnosticSeverity.Warning;
    if (!entry) message = `no x-entry of ${file} is named by ${name} (x-entries: ${inj.model.entries.map((e) => e.name).join(', ') || 'none'})`;
    else {
      const denied = procs.filter((p) => !grantedEntries(inj.model, p.name).has(entry.name));
      if (!denied.length) continue;
      const names = denied.map((p) => `'${p.name}'`).join(', ');
      message = `process${denied.length > 1 ? 'es' : ''} ${names} ${denied.length > 1 ? 'have' : 'has'} no grant for x-entry '${entry.name}' (${name} = ${entry.id}) in ${file}: `;
      // Holding the entry's grant capability, a process may grant it at run time (SYS_XPC_GRANT).
      if (denied.every((p) => p.xentryCaps.has(entry.name))) {
        message += 'not granted at boot (a cap to the x-entry is held: SYS_XPC_GRANT may grant it before the xcall)';
        severity = DiagnosticSeverity.Information;
      } else message += `${denied.length > 1 ? 'their xcalls' : 'its xcall'} would be refused`;
    }
    const related = entry && [{ location: { uri: descriptionUri(inj.model.path), range: jsonRange(inj.model, entry.at) }, message: `x-entry '${entry.name}' of process '${entry.process}'` }];
    for (const o of occs) {
      const d: Diagnostic = {
        range: { start: { line: o.line, character: o.start }, end: { line: o.line, character: o.end } },
        severity, source: SOURCE, message,
      };
      if (related) d.relatedInformation = related;
      out.push(d);
    }
  }
  return out;
}

/**
 * Problems of a description that only the sources can show (an x-entry's handler symbol not
 * defined in its owner's sources) and its cross-references (processes, entries), at the value
 * in system.json. The owner's sources are assembled as the builder would (open ones from the
 * editor).
 */
export function descriptionDiagnostics(ws: Workspace, model: SystemModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  const error = (at: JsonSpan | undefined, message: string) => {
    if (at) out.push({ range: jsonRange(model, at), severity: DiagnosticSeverity.Error, source: SOURCE, message });
  };
  const procs = new Map(model.processes.map((p) => [p.name, p]));
  const entries = new Set(model.entries.map((e) => e.name));
  const definedIn = new Map<string, ReadonlyMap<string, bigint | undefined>>();
  /** The symbols a process's sources define, with the value of those set to a constant. */
  const definedBy = (p: SystemProcess): ReadonlyMap<string, bigint | undefined> => {
    let names = definedIn.get(p.name);
    if (!names) {
      const set = new Map<string, bigint | undefined>();
      const kernel = ws.systems.kernelDir();
      const lib = kernel && model.usesXpc ? [path.join(kernel, 'lib', 'xpc', 'xpc.S')] : [];
      for (const src of [...p.sources, ...lib.filter((l) => !p.sources.includes(l))]) {
        const r = ws.assemble(src);
        for (const [name, sym] of r?.object.symbols ?? []) if (sym.def) set.set(name, sym.def.kind === 'value' ? sym.def.value : undefined);
      }
      definedIn.set(p.name, names = set);
    }
    return names;
  };
  for (const e of model.entries) {
    const owner = procs.get(e.process);
    if (!owner) { error(e.processAt ?? e.at, `x-entry '${e.name}': no process named '${e.process}'`); continue; }
    // An ELF process's symbols are the builder's to check (reading ELF is the emulator's part).
    if (owner.elf || !e.handler) continue;
    if (!owner.sources.length) { error(e.handlerAt, `x-entry '${e.name}': process '${owner.name}' has no sources to define handler '${e.handler}'`); continue; }
    const defined = definedBy(owner);
    if (!defined.has(e.handler)) {
      error(e.handlerAt, `x-entry '${e.name}': handler '${e.handler}' is not defined in the sources of process '${owner.name}' (${owner.sources.map((s) => path.relative(model.dir, s)).join(', ')})`);
      continue;
    }
    const stubContexts = defined.get(xEntryContextsSymbol(e.handler));
    if (e.contextsAt && stubContexts !== undefined && stubContexts !== BigInt(e.contexts)) {
      error(e.contextsAt, `x-entry '${e.name}': ${e.contexts} call contexts, but the XPC_ENTRY stub '${e.handler}' in ${owner.name}'s sources has ${stubContexts}`);
    }
  }
  for (const g of model.grants) {
    if (!procs.has(g.process)) error(g.processAt, `grant: no process named '${g.process}'`);
    for (const e of g.entries) if (!entries.has(e.name)) error(e.at, `grant of '${g.process}': no x-entry named '${e.name}'`);
  }
  return out;
}

/** What an injected name stands for, in a few words (inlay hints). */
function shortLabel(sym: SystemSymbol): string | undefined {
  if (sym.entry) return `→ ${sym.entry.process}.${sym.entry.handler || '?'} #${sym.entry.id}`;
  if (sym.segment) return `→ segment ${sym.segment.name} (${sym.segment.owner} slot ${sym.segment.slot})`;
  return undefined;
}

/** Inlay hints at XENTRY_/SEG_ uses: the x-entry or relay segment they name. */
export function systemInlayHints(ws: Workspace, docPath: string, first: number, last: number): InlayHint[] {
  const inj = injected(ws, docPath);
  const index = ws.index(docPath);
  if (!inj || !index) return [];
  const hints: InlayHint[] = [];
  for (const [name, occs] of index.occurrences) {
    if (!(name.startsWith('XENTRY_') || name.startsWith('SEG_')) || inj.local.has(name)) continue;
    const sym = inj.symbols.get(name);
    const label = sym && shortLabel(sym);
    if (!sym || !label) continue;
    for (const o of occs) {
      if (o.line < first || o.line > last) continue;
      hints.push({ position: { line: o.line, character: o.end }, label, paddingLeft: true, tooltip: { kind: MarkupKind.Markdown, value: symbolMarkdown(inj, sym) } });
    }
  }
  return hints;
}

/** Hover text for an injected name. */
export function systemHover(ws: Workspace, docPath: string, name: string): string | undefined {
  const found = systemSymbolAt(ws, docPath, name);
  return found && symbolMarkdown(found.inj, found.sym);
}

/** The place in system.json an injected name comes from. */
export function systemDefinition(ws: Workspace, docPath: string, name: string): Location | undefined {
  const found = systemSymbolAt(ws, docPath, name);
  return found && { uri: descriptionUri(found.inj.model.path), range: jsonRange(found.inj.model, found.sym.at) };
}

function symbolMarkdown(inj: Injected, sym: SystemSymbol): string {
  const { model, process } = inj;
  const head = `**${sym.name}** = \`${sym.value}\` — `;
  let body: string;
  if (sym.entry) {
    const e = sym.entry;
    const grantees = model.grants.filter((g) => g.entries.some((x) => x.name === e.name)).map((g) => g.process);
    const mayCall = grantedEntries(model, process.name).has(e.name);
    body = `x-entry \`${e.name}\` (id ${e.id}) of process \`${e.process}\`, handler \`${e.handler}\`, ${e.contextsAt ? `${e.contexts} call context${e.contexts === 1 ? '' : 's'}` : 'call contexts as its XPC_ENTRY stub has'}\n\n`
      + `granted to: ${grantees.length ? grantees.map((g) => `\`${g}\``).join(', ') : 'no process'}; `
      + (mayCall ? `\`${process.name}\` may xcall it` : `\`${process.name}\` has **no grant** (its xcall would be refused)`);
  } else if (sym.segment) {
    const s = sym.segment;
    body = `relay segment \`${s.name}\`: ${s.size} bytes, ${s.perms}, owner \`${s.owner}\`, slot ${s.slot} of its seg-list (swap it into seg-reg with \`swapseg\`)`;
  } else if (sym.cap) {
    const c = sym.cap;
    body = `cap slot ${c.slot} of process \`${process.name}\`: ${c.object}, rights ${c.rights}${c.badge !== undefined ? `, badge ${c.badge}` : ''}`;
  } else {
    const m = sym.map!;
    const size = model.memory.get(m.memory);
    body = `shared memory \`${m.memory}\`${size !== undefined ? ` (${size} bytes)` : ''} mapped ${m.perms} at \`${sym.value}\` in process \`${process.name}\``;
  }
  return `${head}${body}\n\n_Defined by the system builder for process \`${process.name}\` from ${path.basename(model.path)}._`;
}
