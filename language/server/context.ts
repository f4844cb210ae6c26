// Where a cursor sits inside a statement (label, mnemonic or directive, which operand), and
// which definitions are visible from a document: the shared ground of hover, completion and
// navigation.

import { Def, FileIndex, Token } from './scan';
import { ClosureFile } from './workspace';

export interface StatementContext {
  /** The mnemonic, directive or macro name of the statement, if the cursor is past it. */
  readonly op?: Token;
  readonly opText: string;
  /** The cursor is on the mnemonic/directive itself or where one is expected. */
  readonly atOp: boolean;
  /** 0-based operand number at the cursor (top-level commas before it). */
  readonly operandIndex: number;
  /** The cursor is inside parentheses of the operand (the base of `offset(base)`). */
  readonly inParens: boolean;
  /** The cursor is on a label definition (`name:`). */
  readonly onLabel: boolean;
}

/** Analyses the statement around `character` from the tokens of its line. */
export function statementContext(text: string, tokens: readonly Token[], character: number): StatementContext {
  const code = tokens.filter((t) => t.k !== 'comment');
  // The statement containing the cursor: between the `;` before and after it.
  let from = 0, to = code.length;
  for (let k = 0; k < code.length; k++) {
    const t = code[k];
    if (t.k === 'punct' && text[t.s] === ';') {
      if (t.e <= character) from = k + 1;
      else if (to === code.length) to = k;
    }
  }
  const st = code.slice(from, to);
  let p = 0;
  let onLabel = false;
  while (p + 1 < st.length && (st[p].k === 'ident' || st[p].k === 'number') && text[st[p + 1].s] === ':' && text[st[p + 1].e] !== '=') {
    if (st[p].s <= character && character <= st[p].e) onLabel = true;
    p += 2;
  }
  const op = st[p];
  if (!op || op.k !== 'ident' || character <= op.e) {
    return { op: op?.k === 'ident' ? op : undefined, opText: op?.k === 'ident' ? text.slice(op.s, op.e) : '', atOp: !onLabel, operandIndex: -1, inParens: false, onLabel };
  }
  let operandIndex = 0, depth = 0;
  for (let k = p + 1; k < st.length && st[k].s < character; k++) {
    const c = text[st[k].s];
    if (st[k].k !== 'punct') continue;
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) operandIndex++;
  }
  return { op, opText: text.slice(op.s, op.e), atOp: false, operandIndex, inParens: depth > 0, onLabel };
}

export interface VisibleDef { readonly path: string; readonly def: Def }

/** Every definition in the document's include closure with this name (the document's first). */
export function findDefs(closure: readonly ClosureFile[], name: string): VisibleDef[] {
  const out: VisibleDef[] = [];
  for (const f of closure) for (const d of f.index.defs) if (d.name === name) out.push({ path: f.path, def: d });
  return out;
}

/** The numeric local label `1f`/`1b` at a reference resolves to, in the same file. */
export function localLabelTarget(index: FileIndex, ref: string, line: number): { line: number; start: number; end: number } | undefined {
  const m = /^(\d+)([fb])$/.exec(ref);
  if (!m) return undefined;
  const [, n, dir] = m;
  const labels = index.localLabels.filter((l) => l.n === n);
  if (dir === 'b') {
    for (let k = labels.length - 1; k >= 0; k--) if (labels[k].line <= line) return labels[k];
    return undefined;
  }
  return labels.find((l) => l.line > line);
}
