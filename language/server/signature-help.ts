// Signature help inside the operands of a statement: for a macro invocation its parameters (as
// the assembler reads them: `name`, `name=default`, `name:req`, `name:vararg`), for an
// instruction or pseudo-instruction every operand form from the ISA tables. The active
// parameter follows the top-level commas before the cursor.

import * as path from 'node:path';
import { MarkupKind, ParameterInformation, Position, SignatureHelp, SignatureInformation } from 'vscode-languageserver/node';
import { findDefs, statementContext } from './context';
import { pseudoFormsOf, specsFor, syntaxOf } from './isa-docs';
import { tokensAt } from './scan';
import { Workspace } from './workspace';

export interface MacroParam {
  readonly name: string;
  readonly required: boolean;
  readonly vararg: boolean;
  readonly def?: string;
  /** The parameter as written in the `.macro` line. */
  readonly text: string;
}

/** A macro's parameter list as the assembler splits it (commas, or blanks when there is none). */
export function parseMacroParams(detail: string): MacroParam[] {
  const t = detail.trim();
  if (!t) return [];
  const parts = t.includes(',') ? t.split(',') : t.split(/\s+/);
  const out: MacroParam[] = [];
  for (const raw of parts.map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_.$][\w.$]*)(?::(req|vararg))?(?:\s*=\s*(.*))?$/s.exec(raw);
    // A malformed parameter is shown as written: the assembler reports it, help should not vanish.
    out.push(m ? { name: m[1], required: m[2] === 'req', vararg: m[2] === 'vararg', def: m[3], text: raw } : { name: raw, required: false, vararg: false, text: raw });
  }
  return out;
}

/** Builds a signature whose parameters are given as [start, end) offsets in its label. */
function signature(head: string, params: readonly string[], docs: readonly (string | undefined)[], documentation?: string): SignatureInformation {
  let label = head;
  const parameters: ParameterInformation[] = [];
  params.forEach((p, i) => {
    if (i > 0) label += ', ';
    else if (head) label += ' ';
    parameters.push({ label: [label.length, label.length + p.length], ...(docs[i] ? { documentation: docs[i] } : {}) });
    label += p;
  });
  return { label, parameters, ...(documentation ? { documentation: { kind: MarkupKind.Markdown, value: documentation } } : {}) };
}

/**
 * The operand lists of one table syntax. Optional parts in brackets (`jr rs[, offset]`,
 * `call [rd,] symbol`) give one form without and one with them, so that every form's
 * parameters can be counted by commas.
 */
function operandForms(operands: string): string[][] {
  const forms = new Set<string>();
  const expand = (s: string) => {
    const m = /\[([^[\]]*)\]/.exec(s);
    if (!m) { forms.add(s.replace(/\s+/g, ' ').trim()); return; }
    expand(s.slice(0, m.index) + s.slice(m.index + m[0].length));
    expand(s.slice(0, m.index) + m[1] + s.slice(m.index + m[0].length));
  };
  expand(operands);
  return [...forms].map((f) => f.split(',').map((x) => x.trim()).filter(Boolean));
}

function instructionSignatures(mnemonic: string): SignatureInformation[] {
  const l = mnemonic.toLowerCase();
  const out: SignatureInformation[] = [];
  const seen = new Set<string>();
  const add = (params: string[], summary: string) => {
    const sig = signature(l, params, [], summary);
    if (seen.has(sig.label)) return;
    seen.add(sig.label);
    out.push(sig);
  };
  for (const c of specsFor(l)) {
    const syn = syntaxOf(c);
    for (const f of operandForms(syn.slice(c.spec.mnemonic.length))) add(f, c.spec.summary);
  }
  for (const p of pseudoFormsOf(l)) for (const f of operandForms(p.syntax)) add(f, `${p.summary} (pseudo-instruction)`);
  return out;
}

export function signatureHelp(ws: Workspace, docPath: string, pos: Position): SignatureHelp | null {
  const index = ws.index(docPath);
  if (!index) return null;
  const { tokens, text } = tokensAt(index, pos.line, pos.character);
  // Nothing inside a comment or a string (a comment runs to the line end).
  if (tokens.some((t) => (t.k === 'comment' && t.s < pos.character) || ((t.k === 'string' || t.k === 'char') && t.s < pos.character && pos.character < t.e))) return null;
  const ctx = statementContext(text, tokens, pos.character);
  if (!ctx.op || ctx.atOp || ctx.onLabel || ctx.operandIndex < 0) return null;
  // An operand starts after blanks following the mnemonic: `nop|` is still on the mnemonic.
  if (pos.character <= ctx.op.e) return null;
  const name = ctx.opText;
  if (name.startsWith('.')) return null;

  const macro = findDefs(ws.closure(docPath), name).find((d) => d.def.kind === 'macro');
  if (macro) {
    const params = parseMacroParams(macro.def.detail);
    const where = macro.path === docPath ? `line ${macro.def.line + 1}` : `${path.basename(macro.path)}:${macro.def.line + 1}`;
    const docs = params.map((p) => (p.vararg ? 'the rest of the arguments' : p.required ? 'required' : p.def !== undefined ? `default: ${p.def}` : undefined));
    const sig = signature(name, params.map((p) => p.text), docs, `macro defined at ${where}`);
    return { signatures: [sig], activeSignature: 0, activeParameter: macroActiveParameter(params, text, tokens, ctx.op.e, pos.character, ctx.operandIndex) };
  }

  const signatures = instructionSignatures(name);
  if (!signatures.length) return null;
  // The first form with room for the operand under the cursor (table forms come first).
  let active = signatures.findIndex((s) => (s.parameters?.length ?? 0) > ctx.operandIndex);
  if (active < 0) active = signatures.length - 1;
  return { signatures, activeSignature: active, activeParameter: ctx.operandIndex };
}

/** The parameter a macro argument fills: by keyword (`name=value`), a vararg's tail, or position. */
function macroActiveParameter(params: readonly MacroParam[], text: string, tokens: readonly { k: string; s: number; e: number }[], opEnd: number, character: number, operandIndex: number): number {
  // The text of the argument under the cursor: from the last top-level comma (or the mnemonic).
  let from = opEnd, depth = 0;
  for (const t of tokens) {
    if (t.s < opEnd || t.s >= character || t.k !== 'punct') continue;
    const c = text[t.s];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';') break;
    else if (c === ',' && depth === 0) from = t.e;
  }
  const kw = /^\s*([A-Za-z_.$][\w.$]*)\s*=(?!=)/.exec(text.slice(from, character));
  if (kw) {
    const k = params.findIndex((p) => p.name === kw[1]);
    if (k >= 0) return k;
  }
  const vararg = params.findIndex((p) => p.vararg);
  if (vararg >= 0 && operandIndex >= vararg) return vararg;
  return operandIndex;
}
