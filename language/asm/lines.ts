// Lexical structure of one assembly line: comments (`#`, `//`, `/* */` within the line),
// statements separated by `;`, labels, the mnemonic or directive, and comma-separated operands.
// Strings and character constants are respected everywhere.

export interface Statement {
  readonly text: string;
  /** 1-based column of text[0] in the source line. */
  readonly col: number;
}

/**
 * Splits a line into statements without comments. `inBlockComment` carries a `/* ... *\/`
 * comment across lines; the returned flag says whether the line ends inside one.
 */
export function splitStatements(line: string, inBlockComment = false): { statements: Statement[]; inBlockComment: boolean } {
  if (!inBlockComment) {
    // Most lines have no comment, string, character or `;`: one statement, the trimmed line.
    let first = -1, last = -1, plain = true;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c === 35 || c === 47 || c === 59 || c === 34 || c === 39) { plain = false; break; }
      if (c !== 32 && c !== 9 && c !== 13 && c !== 12 && c !== 11) { if (first < 0) first = i; last = i; }
    }
    if (plain) return { statements: first < 0 ? [] : [{ text: line.slice(first, last + 1), col: first + 1 }], inBlockComment: false };
  }
  const statements: Statement[] = [];
  // Text is accumulated as slices between comments; most lines have none and take one slice.
  let cur = '';
  let start = -1;
  let segStart = -1;
  let i = 0;
  const n = line.length;
  const endSegment = (at: number) => { if (segStart >= 0) { cur += line.slice(segStart, at); segStart = -1; } };
  const flush = () => {
    if (start >= 0) {
      const trimmed = cur.replace(/\s+$/, '');
      if (trimmed.length) statements.push({ text: trimmed, col: start + 1 });
    }
    cur = ''; start = -1;
  };
  while (i < n) {
    if (inBlockComment) {
      const end = line.indexOf('*/', i);
      if (end < 0) { i = n; break; }
      i = end + 2; inBlockComment = false;
      if (start >= 0) cur += ' ';
      continue;
    }
    const c = line.charCodeAt(i);
    if (c === 35 /* # */ || (c === 47 /* / */ && line.charCodeAt(i + 1) === 47)) break;
    if (c === 47 && line.charCodeAt(i + 1) === 42 /* * */) { endSegment(i); inBlockComment = true; i += 2; continue; }
    if (c === 59 /* ; */) { endSegment(i); flush(); i++; continue; }
    if (start < 0) {
      if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) { i++; continue; }
      start = i;
    }
    if (segStart < 0) segStart = i;
    if (c === 34 /* " */) { i = stringEnd(line, i); continue; }
    if (c === 39 /* ' */) {
      // A character constant: 'x', 'x or '\n'.
      const len = line[i + 1] === '\\' ? 3 : 2;
      i += line[i + len] === "'" ? len + 1 : len;
      if (i > n) i = n;
      continue;
    }
    i++;
  }
  endSegment(Math.min(i, n));
  flush();
  return { statements, inBlockComment };
}

/** Index just past the closing quote of the string starting at `i` (or the line end). */
export function stringEnd(s: string, i: number): number {
  let j = i + 1;
  while (j < s.length) {
    if (s[j] === '\\') { j += 2; continue; }
    if (s[j] === '"') return j + 1;
    j++;
  }
  return s.length;
}

export interface Operand {
  readonly text: string;
  readonly col: number;
}

/** Splits an operand list on top-level commas (not inside parentheses, strings or chars). */
export function splitOperands(text: string, col: number): Operand[] {
  const out: Operand[] = [];
  const n = text.length;
  let depth = 0;
  let begin = 0;
  let blank = true;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 44 /* the end closes the last operand */;
    if (i < n) {
      if (blank && !isSpace(c)) blank = false;
      if (c === 34 /* " */) { i = stringEnd(text, i) - 1; continue; }
      if (c === 39 /* ' */) { i += text[i + 1] === '\\' ? 2 : 1; if (text[i + 1] === "'") i++; continue; }
      if (c === 40 /* ( */) { depth++; continue; }
      if (c === 41 /* ) */) { depth--; continue; }
      if (c !== 44 || depth !== 0) continue;
    } else if (blank) break;
    // Trim by index: one slice per operand.
    let s = begin, e = i;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    out.push({ text: text.slice(s, e), col: col + s });
    begin = i + 1;
  }
  return out;
}

export interface ParsedStatement {
  readonly labels: readonly { name: string; col: number }[];
  /** Mnemonic or directive as written, '' if none. */
  readonly op: string;
  readonly opCol: number;
  /** Operand text after the mnemonic. */
  readonly rest: string;
  readonly restCol: number;
  /** `name = expr` assignments. */
  readonly assign?: { name: string; expr: string; exprCol: number };
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 13 || c === 10 || c === 11 || c === 12;

const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 36;
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isBlank = (c: number) => c === 32 || c === 9;

// A hand-written scanner: this runs for every statement, and regular expressions here cost
// a large share of the assembler's time.
export function parseStatement(st: Statement): ParsedStatement {
  const text = st.text;
  const n = text.length;
  let labels: { name: string; col: number }[] | undefined;
  let p = 0;
  for (;;) {
    const c = text.charCodeAt(p);
    let e = p;
    if (isNameStart(c)) { e++; while (e < n && isNameChar(text.charCodeAt(e))) e++; }
    else if (isDigit(c)) { e++; while (e < n && isDigit(text.charCodeAt(e))) e++; }
    else break;
    let q = e;
    while (q < n && isBlank(text.charCodeAt(q))) q++;
    const next = text.charCodeAt(q);
    if (next === 58 /* : */ && text.charCodeAt(q + 1) !== 61 /* = */) {
      (labels ??= []).push({ name: text.slice(p, e), col: st.col + p });
      p = q + 1;
      while (p < n && isBlank(text.charCodeAt(p))) p++;
      continue;
    }
    if (next === 61 /* = */ && text.charCodeAt(q + 1) !== 61 && isNameStart(c)) {
      let x = q + 1;
      while (x < n && isBlank(text.charCodeAt(x))) x++;
      return { labels: labels ?? NO_LABELS, op: '', opCol: st.col + p, rest: '', restCol: st.col + p, assign: { name: text.slice(p, e), expr: text.slice(x), exprCol: st.col + x } };
    }
    if (!isNameStart(c)) break;
    return { labels: labels ?? NO_LABELS, op: text.slice(p, e), opCol: st.col + p, rest: text.slice(q), restCol: st.col + q };
  }
  return { labels: labels ?? NO_LABELS, op: p < n ? text.slice(p) : '', opCol: st.col + p, rest: '', restCol: st.col + n };
}

const NO_LABELS: readonly { name: string; col: number }[] = [];
