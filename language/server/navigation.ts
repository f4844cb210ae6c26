// Go to definition, find references and rename for labels, `.equ` symbols, `#define`s, macros
// and include paths; document symbols, workspace symbols and folding ranges. Names are looked up
// in the document's include closure (the files the assembler reads with it).

import {
  DocumentSymbol, FoldingRange, FoldingRangeKind, Location, Position, Range, SymbolInformation, SymbolKind, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver/node';
import { findDefs, localLabelTarget } from './context';
import { Def, FileIndex, IncludeRef, Token, tokensAt } from './scan';
import { systemDefinition } from './system-features';
import { Workspace } from './workspace';

const range = (line: number, s: number, e: number): Range => ({ start: { line, character: s }, end: { line, character: e } });
const FILE_START = range(0, 0, 0);

type Target =
  | { readonly t: 'include'; readonly inc: IncludeRef; readonly file?: string }
  | { readonly t: 'local'; readonly token: Token; readonly text: string }
  | { readonly t: 'name'; readonly token: Token; readonly name: string };

function targetAt(ws: Workspace, docPath: string, index: FileIndex, pos: Position): Target | undefined {
  const inc = index.includes.find((i) => i.line === pos.line && i.start - 1 <= pos.character && pos.character <= i.end + 1);
  if (inc) return { t: 'include', inc, file: ws.resolveIncludeRef(inc, docPath) };
  const { at, text } = tokensAt(index, pos.line, pos.character);
  if (!at) return undefined;
  if (at.k === 'number') return { t: 'local', token: at, text: text.slice(at.s, at.e) };
  if (at.k === 'ident') return { t: 'name', token: at, name: text.slice(at.s, at.e) };
  return undefined;
}

export function definition(ws: Workspace, docPath: string, pos: Position): Location[] {
  const index = ws.index(docPath);
  if (!index) return [];
  const t = targetAt(ws, docPath, index, pos);
  if (!t) return [];
  if (t.t === 'include') return t.file ? [{ uri: ws.uriOf(t.file), range: FILE_START }] : [];
  if (t.t === 'local') {
    const l = localLabelTarget(index, t.text, pos.line);
    return l ? [{ uri: ws.uriOf(docPath), range: range(l.line, l.start, l.end) }] : [];
  }
  const defs = findDefs(ws.closure(docPath), t.name).map((v) => ({ uri: ws.uriOf(v.path), range: range(v.def.line, v.def.start, v.def.end) }));
  if (defs.length) return defs;
  // A name the system builder injects is defined by the description.
  const sys = systemDefinition(ws, docPath, t.name);
  return sys ? [sys] : [];
}

export function references(ws: Workspace, docPath: string, pos: Position, includeDeclaration: boolean): Location[] {
  const index = ws.index(docPath);
  if (!index) return [];
  const t = targetAt(ws, docPath, index, pos);
  if (!t) return [];
  if (t.t === 'include') return t.file ? includeReferences(ws, t.file) : [];
  if (t.t === 'local') {
    const def = localLabelTarget(index, t.text, pos.line);
    return def ? localReferences(ws, docPath, index, def) : [];
  }
  return nameOccurrences(ws, docPath, t.name, includeDeclaration).map((o) => ({ uri: ws.uriOf(o.path), range: o.range }));
}

function nameOccurrences(ws: Workspace, docPath: string, name: string, includeDeclaration: boolean): { path: string; range: Range }[] {
  const out: { path: string; range: Range }[] = [];
  for (const f of ws.closure(docPath)) {
    const defs = new Set(f.index.defs.filter((d) => d.name === name).map((d) => `${d.line}:${d.start}`));
    for (const o of f.index.occurrences.get(name) ?? []) {
      if (!includeDeclaration && defs.has(`${o.line}:${o.start}`)) continue;
      out.push({ path: f.path, range: range(o.line, o.start, o.end) });
    }
    if (includeDeclaration) {
      // `.equ NAME` names are definitions the occurrence list does not hold.
      const seen = new Set((f.index.occurrences.get(name) ?? []).map((o) => `${o.line}:${o.start}`));
      for (const d of f.index.defs) if (d.name === name && !seen.has(`${d.line}:${d.start}`)) out.push({ path: f.path, range: range(d.line, d.start, d.end) });
    }
  }
  return out.sort((a, b) => (a.path === b.path ? a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character : a.path < b.path ? -1 : 1));
}

/** Every include directive, in the open documents' closures, that names this file. */
function includeReferences(ws: Workspace, file: string): Location[] {
  const out: Location[] = [];
  const seen = new Set<string>();
  for (const doc of ws.openPaths()) {
    for (const f of ws.closure(doc)) {
      if (seen.has(f.path)) continue;
      seen.add(f.path);
      for (const inc of f.index.includes) {
        if (ws.resolveIncludeRef(inc, f.path, doc) === file) out.push({ uri: ws.uriOf(f.path), range: range(inc.line, inc.start, inc.end) });
      }
    }
  }
  return out;
}

/** The label `n:` and the `nf`/`nb` references that resolve to it. */
function localReferences(ws: Workspace, docPath: string, index: FileIndex, def: { line: number; start: number; end: number }): Location[] {
  const uri = ws.uriOf(docPath);
  const out: Location[] = [{ uri, range: range(def.line, def.start, def.end) }];
  for (let ln = 0; ln < index.lines.length; ln++) {
    const text = index.lines[ln];
    if (!/\d[fb]\b/.test(text)) continue;
    for (const t of tokensAt(index, ln, -1).tokens) {
      if (t.k !== 'number') continue;
      const word = text.slice(t.s, t.e);
      const l = localLabelTarget(index, word, ln);
      if (l && l.line === def.line && l.start === def.start) out.push({ uri, range: range(ln, t.s, t.e) });
    }
  }
  return out;
}

const NAME_RE = /^[A-Za-z_.$][\w.$]*$/;

export function prepareRename(ws: Workspace, docPath: string, pos: Position): Range | null {
  const index = ws.index(docPath);
  if (!index) return null;
  const t = targetAt(ws, docPath, index, pos);
  if (t?.t !== 'name' || !findDefs(ws.closure(docPath), t.name).length) return null;
  return range(pos.line, t.token.s, t.token.e);
}

export function rename(ws: Workspace, docPath: string, pos: Position, newName: string): WorkspaceEdit | null {
  if (!NAME_RE.test(newName)) throw new Error(`'${newName}' is not a valid symbol name`);
  if (!prepareRename(ws, docPath, pos)) return null;
  const index = ws.index(docPath)!;
  const t = targetAt(ws, docPath, index, pos) as Extract<Target, { t: 'name' }>;
  const changes: Record<string, TextEdit[]> = {};
  for (const o of nameOccurrences(ws, docPath, t.name, true)) (changes[ws.uriOf(o.path)] ??= []).push({ range: o.range, newText: newName });
  return { changes };
}

// ---- Outline and folding ----------------------------------------------------------------------

function defKind(d: Def, index: FileIndex): SymbolKind {
  switch (d.kind) {
    case 'macro': return SymbolKind.Method;
    case 'equ': case 'define': return SymbolKind.Constant;
    default: return index.functions.has(d.name) ? SymbolKind.Function : SymbolKind.Field;
  }
}

/** Sections holding their labels; macros and constants at the top level. */
export function documentSymbols(ws: Workspace, docPath: string): DocumentSymbol[] {
  const index = ws.index(docPath);
  if (!index) return [];
  const last = Math.max(0, index.lines.length - 1);
  const lineEnd = (l: number) => (index.lines[l] ?? '').length;
  const sections = [...index.sections];
  const out: DocumentSymbol[] = [];
  const sectionSymbols: DocumentSymbol[] = [];
  const labels = index.defs.filter((d) => d.kind === 'label');
  // Labels before the first section directive are in .text, as the assembler starts there.
  if (labels.length && (!sections.length || labels[0].line < sections[0].line)) sections.unshift({ name: '.text', line: 0 });
  sections.forEach((s, k) => {
    const end = k + 1 < sections.length ? Math.max(s.line, sections[k + 1].line - 1) : last;
    sectionSymbols.push({
      name: s.name, kind: SymbolKind.Namespace, children: [],
      range: { start: { line: s.line, character: 0 }, end: { line: end, character: lineEnd(end) } },
      selectionRange: { start: { line: s.line, character: 0 }, end: { line: s.line, character: lineEnd(s.line) } },
    });
  });
  const sectionAt = (line: number) => {
    let found: DocumentSymbol | undefined;
    for (const s of sectionSymbols) if (s.range.start.line <= line) found = s;
    return found;
  };
  labels.forEach((d, k) => {
    const nextLine = k + 1 < labels.length ? labels[k + 1].line - 1 : last;
    const sec = sectionAt(d.line);
    const end = Math.max(d.line, Math.min(nextLine, sec ? sec.range.end.line : last));
    const sym: DocumentSymbol = { name: d.name, kind: defKind(d, index), range: { start: { line: d.line, character: d.start }, end: { line: end, character: lineEnd(end) } }, selectionRange: range(d.line, d.start, d.end) };
    if (sec) sec.children!.push(sym); else out.push(sym);
  });
  for (const d of index.defs) {
    if (d.kind === 'label') continue;
    const end = d.kind === 'macro' ? d.endLine ?? d.line : d.line;
    out.push({ name: d.name, kind: defKind(d, index), detail: d.detail || undefined, range: { start: { line: d.line, character: 0 }, end: { line: end, character: lineEnd(end) } }, selectionRange: range(d.line, d.start, d.end) });
  }
  // The implicit .text is listed only when labels are in it.
  return [...sectionSymbols.filter((s) => s.children!.length || index.sections.some((x) => x.line === s.range.start.line)), ...out]
    .sort((a, b) => a.range.start.line - b.range.start.line);
}

export function foldingRanges(ws: Workspace, docPath: string): FoldingRange[] {
  const index = ws.index(docPath);
  if (!index) return [];
  return index.folds.map((f) => ({ startLine: f.start, endLine: f.end, kind: f.comment ? FoldingRangeKind.Comment : FoldingRangeKind.Region }));
}

/** Definitions in every open document and the files they include whose name contains the query. */
export function workspaceSymbols(ws: Workspace, query: string): SymbolInformation[] {
  const q = query.toLowerCase();
  const out: SymbolInformation[] = [];
  const seen = new Set<string>();
  for (const doc of ws.openPaths()) {
    for (const f of ws.closure(doc)) {
      if (seen.has(f.path)) continue;
      seen.add(f.path);
      for (const d of f.index.defs) {
        if (!d.name.toLowerCase().includes(q)) continue;
        out.push({ name: d.name, kind: defKind(d, f.index), location: { uri: ws.uriOf(f.path), range: range(d.line, d.start, d.end) } });
        if (out.length >= 1000) return out;
      }
    }
  }
  return out;
}
