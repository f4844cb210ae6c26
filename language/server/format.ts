// Document formatting: labels at column 0, the mnemonic or directive at one column, operands at
// another, trailing comments aligned, `a, b` spacing at top-level commas. It only moves blanks
// the assembler ignores; anything it cannot prove harmless is left exactly as written:
//  - lines inside a block comment, preprocessor lines and lines joined by a trailing `\`
//    (cpp splices them, so their blanks are part of another line);
//  - macro bodies (`\param` substitution is textual: blanks around arguments can matter);
//  - lines holding a `\` escape outside strings (`.irp` bodies), a `/* */` comment followed by
//    code, or a statement the scan cannot read (no mnemonic, a mnemonic glued to punctuation);
//  - the operands of directives that take raw text (`.ifc a, b`, `.irpc`, messages), whose
//    blanks can be part of the value.
// Formatting is idempotent: a formatted line parses into the same parts at the same columns.

import { TextEdit } from 'vscode-languageserver/node';
import { Token, tokenizeLine } from './scan';
import type { Workspace } from './workspace';

export interface FormatSettings {
  /** Column (0-based) of mnemonics and directives. */
  readonly mnemonicColumn: number;
  /** Column of the first operand (one blank after a longer mnemonic). */
  readonly operandColumn: number;
  /** Column of trailing comments (one blank after longer code; aligned within a run of lines). */
  readonly commentColumn: number;
}

export const DEFAULT_FORMAT: FormatSettings = { mnemonicColumn: 8, operandColumn: 16, commentColumn: 40 };

/** `initializationOptions.format`, clamped to columns that keep the layout meaningful. */
export function parseFormatSettings(raw: unknown): FormatSettings {
  const o = typeof raw === 'object' && raw !== null ? raw as Record<string, unknown> : {};
  const col = (v: unknown, d: number, min: number) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 200 ? v : d);
  // Column 0 would put a mnemonic where a label or, in a .S file, a `#` directive belongs.
  const mnemonicColumn = col(o.mnemonicColumn, DEFAULT_FORMAT.mnemonicColumn, 1);
  const operandColumn = Math.max(col(o.operandColumn, DEFAULT_FORMAT.operandColumn, 1), mnemonicColumn + 1);
  const commentColumn = col(o.commentColumn, DEFAULT_FORMAT.commentColumn, 0);
  return { mnemonicColumn, operandColumn, commentColumn };
}

/** Directives whose operands are expressions or names split on commas and trimmed. */
const NORMALISED_DIRECTIVES = new Set([
  '.byte', '.half', '.short', '.2byte', '.word', '.long', '.4byte', '.int', '.dword', '.8byte', '.quad', '.sleb128', '.uleb128',
  '.globl', '.global', '.local', '.weak', '.hidden', '.type', '.size', '.equ', '.set', '.equiv', '.eqv', '.comm', '.lcomm',
  '.align', '.p2align', '.balign', '.fill', '.space', '.skip', '.zero', '.org', '.section', '.pushsection', '.macro', '.irp',
  '.rept', '.if', '.ifeq', '.ifne', '.ifgt', '.ifge', '.iflt', '.ifle', '.elseif',
]);

interface Statement {
  readonly labels: string[];
  readonly op: string;
  /** Operands as they will be written (already normalised where allowed). */
  readonly operands: string;
}

/** A line's formatted parts, or undefined when the line stays as written. */
interface Parsed {
  readonly statements: Statement[];
  /** The trailing comment, as written. */
  readonly comment?: string;
}

function parseStatement(line: string, toks: readonly Token[], macros: ReadonlySet<string>): Statement | undefined {
  const text = (t: Token) => line.slice(t.s, t.e);
  const labels: string[] = [];
  let p = 0;
  // Numeric labels are digits only (the assembler reads `1f:` as no label at all).
  while (p + 1 < toks.length && (toks[p].k === 'ident' || /^\d+$/.test(text(toks[p]))) && text(toks[p + 1]) === ':' && line[toks[p + 1].e] !== '=') {
    labels.push(`${text(toks[p])}:`);
    p += 2;
  }
  if (p >= toks.length) return { labels, op: '', operands: '' };
  const op = toks[p];
  if (op.k !== 'ident') return undefined;
  const rest = toks.slice(p + 1);
  if (!rest.length) return { labels, op: text(op), operands: '' };
  // `name = expr` and a mnemonic glued to what follows are kept as written (after the labels).
  if (text(rest[0]) === '=' || rest[0].s === op.e) return { labels, op: line.slice(op.s, rest[rest.length - 1].e), operands: '' };
  const opName = text(op);
  const lower = opName.toLowerCase();
  const normalise = !opName.startsWith('.') || NORMALISED_DIRECTIVES.has(lower) || macros.has(opName);
  if (!normalise) return { labels, op: opName, operands: line.slice(rest[0].s, rest[rest.length - 1].e) };
  let operands = '';
  let depth = 0;
  let prevTopComma = false;
  rest.forEach((t, k) => {
    const topComma = depth === 0 && t.k === 'punct' && line[t.s] === ',';
    // Blanks before a top-level comma go, exactly one follows it; other blanks stay as written.
    if (k > 0) operands += topComma ? '' : prevTopComma ? ' ' : line.slice(rest[k - 1].e, t.s);
    operands += text(t);
    if (t.k === 'punct' && line[t.s] === '(') depth++;
    else if (t.k === 'punct' && line[t.s] === ')') depth = Math.max(0, depth - 1);
    prevTopComma = topComma;
  });
  return { labels, op: opName, operands };
}

function parseLine(line: string, tokens: readonly Token[], macros: ReadonlySet<string>): Parsed | undefined {
  let code = tokens;
  let comment: string | undefined;
  const last = tokens[tokens.length - 1];
  if (last?.k === 'comment') { comment = line.slice(last.s).replace(/\s+$/, ''); code = tokens.slice(0, -1); }
  // A comment before or between code tokens, or an escape outside a macro: as written.
  if (code.some((t) => t.k === 'comment' || t.k === 'macroParam' || t.k === 'pp')) return undefined;
  if (code.some((t) => t.k === 'punct' && line[t.s] === '\\')) return undefined;
  const statements: Statement[] = [];
  let st = 0;
  while (st <= code.length) {
    let en = st;
    while (en < code.length && !(code[en].k === 'punct' && line[code[en].s] === ';')) en++;
    if (en > st) {
      const s = parseStatement(line, code.slice(st, en), macros);
      if (!s) return undefined;
      statements.push(s);
    }
    if (en >= code.length) break;
    st = en + 1;
  }
  // Only empty statements (`;`): dropping them could leave a `#` comment first on the line,
  // which cpp would read as a directive.
  if (code.length && !statements.length) return undefined;
  return { statements, comment };
}

const pad = (s: string, col: number) => (s.length < col ? s + ' '.repeat(col - s.length) : s + ' ');

function renderCode(p: Parsed, f: FormatSettings): string {
  return p.statements.map((s, k) => {
    if (k > 0) return [...s.labels, s.op, s.operands].filter(Boolean).join(' ');
    let out = s.labels.join(' ');
    if (!s.op) return out;
    out = out ? pad(out, f.mnemonicColumn) : ' '.repeat(f.mnemonicColumn);
    out += s.op;
    return s.operands ? pad(out, f.operandColumn) + s.operands : out;
  }).join('; ');
}

/** The formatted text of each line (the same string when a line is kept as written). */
export function formatLines(lines: readonly string[], cpp: boolean, macros: ReadonlySet<string>, f: FormatSettings): string[] {
  const out: string[] = [...lines];
  // Trailing comments of consecutive formatted lines are aligned together: [line, code, comment].
  let run: [number, string, string][] = [];
  const flush = () => {
    const col = Math.max(f.commentColumn, ...run.map(([, code]) => code.length + 1));
    for (const [ln, code, comment] of run) out[ln] = code + ' '.repeat(col - code.length) + comment;
    run = [];
  };
  let inBlock = false;
  let macroDepth = 0;
  let spliced = false;
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln];
    const startsInBlock = inBlock;
    const { tokens, inBlock: after } = tokenizeLine(line, inBlock, cpp);
    inBlock = after;
    const joined = spliced;
    // cpp splices a line ending in a backslash (blanks after it tolerated) with the next, comments included.
    spliced = cpp && /\\\s*$/.test(line);
    // Directives that open or close a macro body count even on lines that are kept.
    const code = tokens.filter((t) => t.k !== 'comment');
    const ops = code.filter((t, k) => t.k === 'ident' && (k === 0 || (code[k - 1].k === 'punct' && ';:'.includes(line[code[k - 1].s]))))
      .map((t) => line.slice(t.s, t.e).toLowerCase());
    const opensMacro = ops.filter((o) => o === '.macro').length;
    const closesMacro = ops.filter((o) => o === '.endm' || o === '.endmacro').length;
    const inMacro = macroDepth > 0 && closesMacro === 0;
    macroDepth = Math.max(0, macroDepth + opensMacro - closesMacro);

    // A lone carriage return ends a line for the assembler (and LSP) but not for the scan, and
    // the assembler does not read form feeds and vertical tabs as blanks everywhere the scan does.
    const keep = startsInBlock || joined || spliced || inMacro || tokens[0]?.k === 'pp' || /[\r\f\v]/.test(line);
    const parsed = keep ? undefined : parseLine(line, tokens, macros);
    if (!parsed) { flush(); continue; }
    if (!parsed.statements.length) {
      flush();
      // A comment-only line: at column 0 it stays (in a .S file `#` there is cpp's), else at the mnemonic column.
      if (!parsed.comment) out[ln] = '';
      else out[ln] = line.search(/\S/) === 0 ? parsed.comment : ' '.repeat(f.mnemonicColumn) + parsed.comment;
      continue;
    }
    const rendered = renderCode(parsed, f);
    if (parsed.comment) run.push([ln, rendered, parsed.comment]);
    else { flush(); out[ln] = rendered; }
  }
  flush();
  return out;
}

export function formatDocument(ws: Workspace, docPath: string): TextEdit[] {
  const index = ws.index(docPath);
  if (!index) return [];
  const macros = new Set<string>();
  for (const f of ws.closure(docPath)) for (const d of f.index.defs) if (d.kind === 'macro') macros.add(d.name);
  const formatted = formatLines(index.lines, index.cpp, macros, ws.settings.format);
  const edits: TextEdit[] = [];
  formatted.forEach((text, line) => {
    const old = index.lines[line];
    if (text !== old) edits.push({ range: { start: { line, character: 0 }, end: { line, character: old.length } }, newText: text });
  });
  return edits;
}
