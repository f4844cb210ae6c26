// Time travel's pure parts: reading what the user types into the travel commands' prompts,
// the Variables view's context menu argument, the bookmarks as quick-pick rows, and the history
// as words. The commands (travel-commands.ts) only ask, send the custom requests and show.

import type { Bookmark, HistoryInfo, SourceRef } from '../protocol';
import { arrayOf, sourceLabel } from './view-node';

export const fmtCount = (n: number): string => n.toLocaleString('en-US');

/** A number as people type it: `1234`, `1,234`, `1_234`, `0x4d2`. */
function parseCount(text: string): number | undefined {
  const t = text.trim().replace(/[,_\s]/g, '');
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(t)) return undefined;
  const n = Number(BigInt(t));
  return Number.isSafeInteger(n) ? n : undefined;
}

/** True when the position is before the end of the recorded history (replaying the past). */
export function inPast(h: HistoryInfo | undefined): boolean {
  return !!h && typeof h.position === 'number' && typeof h.end === 'number' && h.position < h.end;
}

/** `⟲ 1,234 / 5,678`: where in the history the position is, when it is in the past. */
export function historyBadge(h: HistoryInfo | undefined): string | undefined {
  return h && inPast(h) ? `⟲ ${fmtCount(h.position)} / ${fmtCount(h.end)}` : undefined;
}

/** The history in a sentence (tooltips, prompts). */
export function historyText(h: HistoryInfo | undefined): string | undefined {
  if (!h || typeof h.start !== 'number' || typeof h.end !== 'number') return undefined;
  const where = inPast(h)
    ? `In the recorded past: instruction ${fmtCount(h.position)} of ${fmtCount(h.end)} (going forward replays it)`
    : `At the end of the recorded history (instruction ${fmtCount(h.end)})`;
  const reach = h.start === 0 ? 'history from the start of the run' : `history back to instruction ${fmtCount(h.start)}`;
  const memory = h.memoryMiB !== undefined && h.budgetMiB !== undefined ? `, ${h.memoryMiB} of ${h.budgetMiB} MiB` : '';
  return `${where}; ${reach}${memory}`;
}

export type Parsed<T> = { value: T } | { error: string };

/**
 * Go to Instruction…: an instruction count (`12,345`), or a distance from the position
 * (`+100`, `-1000`); inside the history when it is known.
 */
export function parseInstructionTarget(text: string, h?: HistoryInfo): Parsed<number> {
  const t = text.trim();
  if (!t) return { error: 'Type an instruction count, or +N / -N from here.' };
  const rel = /^([+-])\s*(.+)$/.exec(t);
  const n = parseCount(rel ? rel[2] : t);
  if (n === undefined) return { error: `"${t}" is not an instruction count (12345, 12,345, 0x3039, +100 or -100).` };
  let target = n;
  if (rel) {
    if (!h) return { error: 'The position is not known: give an absolute instruction count.' };
    target = rel[1] === '+' ? h.position + n : h.position - n;
  }
  if (h && typeof h.start === 'number' && typeof h.end === 'number') {
    if (target < h.start) return { error: `Instruction ${fmtCount(target)} is before the recorded history, which reaches back to instruction ${fmtCount(h.start)}.` };
    if (target > h.end) return { error: `Instruction ${fmtCount(target)} is beyond the recorded history, which ends at instruction ${fmtCount(h.end)}: run forward to get there.` };
  }
  return { value: target };
}

/** What Last Write… asks for: a register or CSR, or memory whose address may be an expression to evaluate. */
export type LastWriteTarget =
  | { register: string }
  | { address: string; length: number; physical: boolean }
  | { expression: string; length: number; physical: boolean };

const NAME = /^\$?[A-Za-z_][A-Za-z0-9_.]*$/;

/**
 * Last Write…: `a0`, `sp`, `satp` (a register or CSR); memory as `address[, length]` — the
 * address a number or an expression (`greeting`, `sp+8`), the length in bytes (default 8);
 * `phys 0x80001000, 4` for a physical address.
 */
export function parseLastWriteTarget(text: string): Parsed<LastWriteTarget> {
  let t = text.trim();
  if (!t) return { error: 'Type a register (a0, sp, satp) or memory: address[, length].' };
  if (NAME.test(t) && !/^phys(ical)?$/i.test(t)) return { value: { register: t.replace(/^\$/, '') } };
  let physical = false;
  const phys = /^phys(?:ical)?\s+(.+)$/i.exec(t);
  if (phys) { physical = true; t = phys[1].trim(); }
  let length = 8;
  const comma = t.lastIndexOf(',');
  if (comma >= 0) {
    const n = parseCount(t.slice(comma + 1));
    if (n === undefined || n < 1 || n > 1 << 20) return { error: `"${t.slice(comma + 1).trim()}" is not a length in bytes (1 to 1 MiB).` };
    length = n;
    t = t.slice(0, comma).trim();
  }
  if (!t) return { error: 'The address is missing: address[, length].' };
  if (/^0x[0-9a-f]+$/i.test(t) || /^\d+$/.test(t)) return { value: { address: '0x' + BigInt(t).toString(16), length, physical } };
  return { value: { expression: t, length, physical } };
}

/** The DAP Variable and its container, as VS Code passes them to a `debug/variables/context` command. */
export interface VariableMenuContext {
  container?: { name?: string };
  variable?: { name?: string; type?: string; evaluateName?: string; memoryReference?: string };
}

/**
 * Last Write from the Variables view: a register or CSR (named by its evaluate name), a data
 * symbol's memory (its `N-bit at 0x…` type gives the size), or else the prompt prefilled.
 */
export function lastWriteFromVariable(ctx: unknown): { target: LastWriteTarget } | { prefill: string } {
  const c = (ctx && typeof ctx === 'object' ? ctx : {}) as VariableMenuContext;
  const v = c.variable ?? {};
  // Only a live register or CSR has an evaluate name that is a bare name (a field has none).
  const name = v.evaluateName ?? '';
  const sized = /^(\d+)-bit at (0x[0-9a-f]+)/i.exec(v.type ?? '');
  if (sized && Number(sized[1]) % 8 === 0) return { target: { address: v.memoryReference ?? sized[2], length: Number(sized[1]) / 8, physical: false } };
  if (name && name !== 'pc' && NAME.test(name)) return { target: { register: name } };
  return { prefill: v.evaluateName ?? v.name ?? '' };
}

export interface BookmarkRow { id: number; label: string; description: string; detail?: string; here: boolean; source?: SourceRef }

/** Go to Bookmark…: one row per bookmark, in history order, the one at the position marked. */
export function bookmarkRows(bookmarks: unknown, position?: number): BookmarkRow[] {
  return arrayOf<Bookmark>(bookmarks)
    .filter((b) => b && typeof b.id === 'number' && typeof b.instructions === 'number')
    .sort((a, b) => a.instructions - b.instructions || a.id - b.id)
    .map((b) => {
      const here = b.instructions === position;
      return {
        id: b.id,
        label: String(b.name ?? `bookmark ${b.id}`),
        description: [`instruction ${fmtCount(b.instructions)}`, sourceLabel(b.source), here ? '(here)' : undefined].filter(Boolean).join(' · '),
        detail: b.pc ? `pc ${b.pc}` : undefined,
        here,
        source: b.source,
      };
    });
}
