// The assembler's diagnostics as LSP diagnostics of one document. An error inside an included
// file or a macro body is reported where the document itself leads to it — the outermost step
// of its include/macro chain, which is always in the document — and the real place and every
// step of the chain go into relatedInformation, so the editor links to each.

import { Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Range } from 'vscode-languageserver/node';
import type { Diagnostic as AsmDiagnostic } from '../asm';
import type { ExpansionStep } from '../asm/diagnostics';
import { tokenizeLine } from './scan';
import { documentSystemDiagnostics } from './system-features';
import { Workspace } from './workspace';

const isWordChar = (c: string) => /[\w.$%]/.test(c);

/** The range of the text an assembler location points at (1-based line and column). */
export function rangeAt(lines: readonly string[] | undefined, line: number, col: number, length?: number): Range {
  const l = Math.max(0, line - 1);
  const text = lines?.[l] ?? '';
  let s = Math.min(Math.max(0, col - 1), text.length);
  let e: number;
  if (length !== undefined && length > 0) e = Math.min(text.length, s + length);
  else {
    e = s;
    while (e < text.length && isWordChar(text[e])) e++;
    if (e === s) {
      // No word at the column: the statement from there (or the whole line) to its end.
      e = text.trimEnd().length;
      if (e <= s) { s = text.length - text.trimStart().length; }
    }
  }
  if (e < s) e = s;
  return { start: { line: l, character: s }, end: { line: l, character: e } };
}

/** The range of a statement (include line, macro invocation) starting at a column, without its comment. */
export function statementRange(lines: readonly string[] | undefined, line: number, col: number): Range {
  const l = Math.max(0, line - 1);
  const text = lines?.[l] ?? '';
  const toks = tokenizeLine(text, false, false).tokens.filter((t) => t.k !== 'comment');
  let s = Math.min(Math.max(0, col - 1), text.length);
  if (toks.length && s < toks[0].s) s = toks[0].s;
  const e = toks.length ? Math.max(s, toks[toks.length - 1].e) : text.length;
  return { start: { line: l, character: s }, end: { line: l, character: e } };
}

function stepMessage(s: ExpansionStep): string {
  return s.kind === 'include' ? 'included from here' : s.name ? `in expansion of macro '${s.name}'` : 'in expansion of a repetition';
}

/** LSP diagnostics for the document at `docPath` from the assembler's diagnostics of its run. */
export function toLspDiagnostics(ws: Workspace, docPath: string, ds: readonly AsmDiagnostic[]): Diagnostic[] {
  const linesOf = (f: string) => ws.index(f)?.lines;
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const d of ds) {
    const actual = rangeAt(linesOf(d.file), d.line, d.col, d.length);
    const outer = d.chain[0];
    const moved = outer !== undefined && outer.file === docPath;
    const related: DiagnosticRelatedInformation[] = [];
    let range = actual;
    let message = d.message;
    if (moved) {
      range = outer.kind === 'macro'
        ? rangeAt(linesOf(outer.file), outer.line, outer.col)
        : statementRange(linesOf(outer.file), outer.line, outer.col);
      const inner = d.chain[d.chain.length - 1];
      message = inner.kind === 'include' || d.chain.every((s) => s.kind === 'include')
        ? `in included file ${d.file.split(/[\\/]/).pop()}: ${d.message}`
        : `${stepMessage(inner)}: ${d.message}`;
      related.push({ location: { uri: ws.uriOf(d.file), range: actual }, message: d.message });
      for (let i = d.chain.length - 1; i >= 1; i--) {
        const s = d.chain[i];
        related.push({ location: { uri: ws.uriOf(s.file), range: statementRange(linesOf(s.file), s.line, s.col) }, message: stepMessage(s) });
      }
    } else if (d.file !== docPath) {
      // Not reached through the document (cannot happen for a document's own run); keep it visible.
      message = `${d.file}:${d.line}:${d.col}: ${d.message}`;
      range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    }
    const key = `${range.start.line}:${range.start.character}:${range.end.character}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const diag: Diagnostic = { range, severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, source: 'xpc-asm', message };
    if (related.length) diag.relatedInformation = related;
    out.push(diag);
  }
  return out;
}

/**
 * Assembles a document and converts its diagnostics; a process source of a system description
 * also gets the description's checks of its x-entry uses.
 */
export function diagnose(ws: Workspace, docPath: string): Diagnostic[] {
  const r = ws.assemble(docPath);
  return r ? [...toLspDiagnostics(ws, docPath, r.diagnostics), ...documentSystemDiagnostics(ws, docPath)] : [];
}
