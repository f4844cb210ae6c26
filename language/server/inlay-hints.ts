// Inlay hints where the source hides a number: the value of a constant `.equ`/`.set`/`=`
// symbol at each use, and how many instructions a `li` with a constant too wide for one `addi`
// becomes. Values come from the document's assembler run (the same one behind diagnostics), so
// a hint shows what the assembler computed, expressions and included definitions included.

import { InlayHint, MarkupKind, Range } from 'vscode-languageserver/node';
import { ExprError, evaluate, parseExpression } from '../asm/expr';
import { loadConstSequence } from '../asm/pseudo';
import { statementContext } from './context';
import { tokenizeLine } from './scan';
import { systemInlayHints } from './system-features';
import { Workspace } from './workspace';

const show = (v: bigint) => (v > -4096n && v < 4096n ? v.toString() : v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);

export function inlayHints(ws: Workspace, docPath: string, range: Range): InlayHint[] {
  const index = ws.index(docPath);
  if (!index) return [];
  const assembled = ws.assemble(docPath);
  if (!assembled) return [];
  const first = Math.max(0, range.start.line);
  const last = Math.min(index.lines.length - 1, range.end.line);
  const closure = ws.closure(docPath);

  // Constant symbols: defined once in the closure as `.equ`-like (a `.set` redefined has no single value).
  const defCount = new Map<string, number>();
  const equ = new Set<string>();
  for (const f of closure) {
    for (const d of f.index.defs) {
      defCount.set(d.name, (defCount.get(d.name) ?? 0) + 1);
      if (d.kind === 'equ') equ.add(d.name);
    }
  }
  const constant = (name: string): bigint | undefined => {
    if (!equ.has(name) || defCount.get(name) !== 1) return undefined;
    const def = assembled.object.symbols.get(name)?.def;
    return def?.kind === 'value' ? def.value : undefined;
  };

  const hints: InlayHint[] = [];
  const ownDefs = new Set(index.defs.map((d) => `${d.line}:${d.start}`));
  for (const [name, occs] of index.occurrences) {
    const v = constant(name);
    if (v === undefined) continue;
    for (const o of occs) {
      if (o.line < first || o.line > last || ownDefs.has(`${o.line}:${o.start}`)) continue;
      hints.push({ position: { line: o.line, character: o.end }, label: `= ${show(v)}`, paddingLeft: true });
    }
  }

  // `li rd, constant` wider than 12 bits: the expansion's length and instructions (not when a
  // macro named li replaces the pseudo-instruction).
  const liIsMacro = closure.some((f) => f.index.defs.some((d) => d.kind === 'macro' && d.name === 'li'));
  for (let ln = first; ln <= last; ln++) {
    const text = index.lines[ln];
    if (!/\bli\b/i.test(text)) continue;
    const tokens = tokenizeLine(text, index.inBlockAt[ln] === 1, index.cpp).tokens;
    for (const t of tokens) {
      if (t.k !== 'ident' || text.slice(t.s, t.e).toLowerCase() !== 'li') continue;
      const ctx = statementContext(text, tokens, t.e + 1);
      if (ctx.op !== t || liIsMacro) continue;
      const operand = secondOperand(text, tokens, t.e);
      if (!operand) continue;
      const v = constantOf(operand.text, constant);
      if (v === undefined || (v >= -2048n && v < 2048n)) continue;
      const seq = loadConstSequence(v);
      hints.push({
        position: { line: ln, character: operand.end },
        label: `${seq.length} instructions`,
        paddingLeft: true,
        tooltip: { kind: MarkupKind.Markdown, value: '```xpc-asm\n' + seq.map((s) => (s.op === 'lui' ? `lui rd, ${show(BigInt(s.imm))}` : `${s.op} rd, ${s.src}, ${s.imm}`)).join('\n') + '\n```' },
      });
    }
  }
  hints.push(...systemInlayHints(ws, docPath, first, last));
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

/** The text and end column of the operand after the first top-level comma of the statement. */
function secondOperand(text: string, tokens: readonly { k: string; s: number; e: number }[], from: number): { text: string; end: number } | undefined {
  let start = -1, end = -1, depth = 0;
  for (const t of tokens) {
    if (t.s < from || t.k === 'comment') continue;
    const c = text[t.s];
    if (t.k === 'punct' && c === ';') break;
    if (t.k === 'punct' && c === ',' && depth === 0) {
      if (start >= 0) return undefined;
      start = t.e;
      continue;
    }
    if (t.k === 'punct' && c === '(') depth++;
    if (t.k === 'punct' && c === ')') depth--;
    if (start >= 0) end = t.e;
  }
  return start >= 0 && end > start ? { text: text.slice(start, end).trim(), end } : undefined;
}

/** The value of a constant expression over constant symbols, or undefined. */
function constantOf(expr: string, constant: (name: string) => bigint | undefined): bigint | undefined {
  // Labels and `.` have no value before linking: names that never resolve stand for them.
  const ctx = { localLabel: () => '\u0000local', dot: () => '\u0000dot' };
  try {
    return evaluate(parseExpression(expr, 1, ctx), (name) => constant(name));
  } catch (e) {
    // A malformed or half-written operand has no value; anything else is a real fault.
    if (e instanceof ExprError) return undefined;
    throw e;
  }
}
