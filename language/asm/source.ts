// The stream of source lines the assembler reads: files (after the C preprocessor for `.S`),
// `.include`d files, and the bodies of macros and repetitions being expanded. Each line knows
// where it came from and the chain of expansions that produced it.

import { ExpansionStep } from './diagnostics';

export interface SrcLine {
  readonly text: string;
  readonly file: string;
  readonly line: number;
  readonly chain: readonly ExpansionStep[];
}

/**
 * The lines of one file, produced on demand: a file's lines are read once, in order, and
 * keeping an object per line alive for the whole run costs more than splitting them.
 */
export class FileLines {
  private pos = 0;
  private line = 0;

  constructor(private readonly text: string, readonly file: string, readonly chain: readonly ExpansionStep[]) {}

  next(): SrcLine | undefined {
    const t = this.text;
    if (this.pos >= t.length) return undefined;
    let end = t.indexOf('\n', this.pos);
    if (end < 0) end = t.length;
    const stop = end > this.pos && t.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const text = t.slice(this.pos, stop);
    this.pos = end + 1;
    return { text, file: this.file, line: ++this.line, chain: this.chain };
  }
}

export type LineSource = readonly SrcLine[] | FileLines;

interface Frame {
  readonly lines: LineSource;
  i: number;
  /** Set for macro expansions, so that `.exitm` can leave them. */
  readonly macro?: string;
  /** Conditional-stack depth when the frame started; `.exitm` unwinds to it. */
  readonly condDepth: number;
}

export class LineStream {
  private frames: Frame[] = [];
  /** Depth of nested includes/expansions, bounded to catch runaway recursion. */
  static readonly MAX_DEPTH = 256;

  push(lines: LineSource, condDepth: number, macro?: string): boolean {
    if (this.frames.length >= LineStream.MAX_DEPTH) return false;
    this.frames.push({ lines, i: 0, macro, condDepth });
    return true;
  }

  next(): SrcLine | undefined {
    while (this.frames.length) {
      const f = this.frames[this.frames.length - 1];
      const lines = f.lines;
      if (lines instanceof FileLines) {
        const l = lines.next();
        if (l) return l;
      } else if (f.i < lines.length) return lines[f.i++];
      this.frames.pop();
    }
    return undefined;
  }

  /** Leaves the innermost macro expansion; returns the conditional depth to unwind to. */
  exitMacro(): number | undefined {
    for (let k = this.frames.length - 1; k >= 0; k--) {
      if (this.frames[k].macro !== undefined) {
        const depth = this.frames[k].condDepth;
        this.frames.length = k;
        return depth;
      }
    }
    return undefined;
  }
}

/** A file's text as numbered source lines, read on demand. */
export function fileLines(text: string, file: string, chain: readonly ExpansionStep[]): FileLines {
  return new FileLines(text, file, chain);
}

export interface MacroParam {
  readonly name: string;
  readonly def?: string;
  readonly required: boolean;
  readonly vararg: boolean;
}

export interface MacroDef {
  readonly name: string;
  readonly params: readonly MacroParam[];
  readonly body: readonly SrcLine[];
  readonly file: string;
  readonly line: number;
}

/** Replaces `\param`, `\@` and `\()` in a macro body line (gas's substitution rules). */
export function substitute(text: string, values: ReadonlyMap<string, string>, counter: number): string {
  if (text.indexOf('\\') < 0) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') { out += c; continue; }
    const rest = text.slice(i + 1);
    if (rest[0] === '@') { out += String(counter); i++; continue; }
    if (rest.startsWith('()')) { i += 2; continue; }
    const m = /^[A-Za-z_.$][\w.$]*/.exec(rest);
    if (m) {
      // The longest parameter name that prefixes the identifier wins, as in gas.
      let best: string | undefined;
      for (const k of values.keys()) if (m[0].startsWith(k) && (!best || k.length > best.length)) best = k;
      if (best !== undefined && best === m[0]) { out += values.get(best)!; i += best.length; continue; }
      if (best !== undefined && m[0].length > best.length) {
        // gas takes the whole identifier as the name; an unknown name stays as written.
      }
    }
    out += c;
  }
  return out;
}

/** Splits macro-invocation arguments: commas at top level, or blanks when no comma is used. */
export function splitMacroArgs(text: string): string[] {
  const t = text.trim();
  if (!t) return [];
  const out: string[] = [];
  let depth = 0, cur = '', sawComma = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === '"') {
      let j = i + 1;
      while (j < t.length && t[j] !== '"') j += t[j] === '\\' ? 2 : 1;
      cur += t.slice(i, j + 1); i = j; continue;
    }
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) { out.push(cur.trim()); cur = ''; sawComma = true; continue; }
    cur += c;
  }
  out.push(cur.trim());
  if (!sawComma && out.length === 1 && /\s/.test(out[0]) && !/[()"]/.test(out[0])) {
    // `m a b` passes two arguments, unless the blank sits inside an expression like `a + b`.
    const words = out[0].split(/\s+/);
    if (!words.some((w) => /^[-+*/%&|^<>=!~]+$/.test(w)) && !words.some((w, k) => k > 0 && /^[-+*/%&|^<>=]/.test(w))) return words;
  }
  return out;
}

