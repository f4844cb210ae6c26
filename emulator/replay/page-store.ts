// Versions of RAM pages by checkpoint: a checkpoint stores only the pages written since the one
// before it (what copy-on-write would have copied), and a page's content at any checkpoint is
// its newest version at or before that checkpoint (or zeros if it has none). Checkpoints are
// named by their position, so one can be inserted between two others.

import { PAGE_SIZE } from '../machine/memory';

interface PageVersions {
  /** Checkpoint ids, ascending. */
  ids: number[];
  data: Uint8Array[];
}

export class PageStore {
  private readonly pages = new Map<number, PageVersions>();
  /** Bytes of page data held. */
  bytes = 0;

  add(page: number, id: number, data: Uint8Array): void {
    let v = this.pages.get(page);
    if (!v) { v = { ids: [], data: [] }; this.pages.set(page, v); }
    const k = lastAtOrBefore(v.ids, id);
    if (k >= 0 && v.ids[k] === id) throw new Error(`page store: page ${page} already has a version at ${id}`);
    v.ids.splice(k + 1, 0, id);
    v.data.splice(k + 1, 0, data);
    this.bytes += PAGE_SIZE;
  }

  /** The page's content at checkpoint `id`, or undefined for a page that was all zeros then. */
  at(page: number, id: number): Uint8Array | undefined {
    const v = this.pages.get(page);
    if (!v) return undefined;
    const k = lastAtOrBefore(v.ids, id);
    return k < 0 ? undefined : v.data[k];
  }

  /**
   * Checkpoint `id` goes away and `next` (the following checkpoint) takes its place for its
   * pages: a version `next` already has supersedes it, the others become `next`'s. Returns
   * the pages `next` gained.
   */
  merge(id: number, pages: readonly number[], next: number | undefined): number[] {
    const gained: number[] = [];
    for (const p of pages) {
      const v = this.pages.get(p)!;
      const k = v.ids.indexOf(id);
      if (k < 0) continue;
      const superseded = next === undefined || (k + 1 < v.ids.length && v.ids[k + 1] <= next);
      if (superseded) {
        v.ids.splice(k, 1);
        v.data.splice(k, 1);
        this.bytes -= PAGE_SIZE;
        if (!v.ids.length) this.pages.delete(p);
      } else {
        v.ids[k] = next;
        gained.push(p);
      }
    }
    return gained;
  }

  /** Forgets the versions of checkpoint `id` (a future that was cut off). */
  drop(id: number, pages: readonly number[]): void {
    for (const p of pages) {
      const v = this.pages.get(p);
      if (!v) continue;
      const k = v.ids.indexOf(id);
      if (k < 0) continue;
      v.ids.splice(k, 1);
      v.data.splice(k, 1);
      this.bytes -= PAGE_SIZE;
      if (!v.ids.length) this.pages.delete(p);
    }
  }
}

/** Index of the last element ≤ x in an ascending array, or -1. */
export function lastAtOrBefore(xs: readonly number[], x: number): number {
  let lo = 0, hi = xs.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}
