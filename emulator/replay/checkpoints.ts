// The timeline's checkpoints: the machine's core state plus RAM as page versions (pages written
// since the RAM's base checkpoint, found through the RAM's dirty-page bits), restore, removal
// (thinning: a removed checkpoint's pages pass to the next one), and truncation of a cut-off
// future. Checkpoints are ordered and named by position.

import { CoreState, Machine } from '../machine/machine';
import { DirtyTracker, PAGE_SHIFT, PAGE_SIZE } from '../machine/memory';
import { PageStore, lastAtOrBefore } from './page-store';

/** Where the timeline's logs stood at a checkpoint. */
export interface LogMarks {
  /** Input log entries applied. */
  readonly logIndex: number;
  /** UART output bytes produced. */
  readonly outputCount: number;
}

export interface Checkpoint {
  readonly position: number;
  readonly core: CoreState;
  readonly marks: LogMarks;
  /** Pages with a version at this checkpoint. */
  pages: number[];
  readonly coreBytes: number;
}

export class Checkpoints {
  private readonly tracker: DirtyTracker;
  private readonly store = new PageStore();
  private readonly list: Checkpoint[] = [];
  /** The checkpoint (position) the current RAM derives from: RAM = its pages + the tracker's dirty pages. */
  private ramBase = 0;

  /** Starts with a base checkpoint at the machine's position holding every non-zero page. */
  constructor(private readonly machine: Machine, marks: LogMarks) {
    const ram = machine.ram;
    this.tracker = ram.addDirtyTracker();
    ram.collectDirty();
    const position = machine.hart.steps;
    const pages: number[] = [];
    const words = new Int32Array(ram.bytes.buffer, ram.bytes.byteOffset, ram.size >>> 2);
    for (let p = 0; p < ram.pages; p++) {
      const w0 = p << (PAGE_SHIFT - 2);
      let nonzero = false;
      for (let i = w0; i < w0 + PAGE_SIZE / 4; i++) if (words[i] !== 0) { nonzero = true; break; }
      if (!nonzero) continue;
      this.store.add(p, position, ram.bytes.slice(p << PAGE_SHIFT, (p + 1) << PAGE_SHIFT));
      pages.push(p);
    }
    this.tracker.clear();
    this.insert(pages, marks);
  }

  get count(): number { return this.list.length; }
  get oldest(): Checkpoint { return this.list[0]; }
  get newest(): Checkpoint { return this.list[this.list.length - 1]; }
  get pageBytes(): number { return this.store.bytes; }
  at(index: number): Checkpoint { return this.list[index]; }

  /** Index of the last checkpoint at or before `position` (-1 if none). */
  indexAtOrBefore(position: number): number {
    return lastAtOrBefore(this.list.map((c) => c.position), position);
  }

  has(position: number): boolean {
    const k = this.indexAtOrBefore(position);
    return k >= 0 && this.list[k].position === position;
  }

  /** A checkpoint at the machine's position (there must be none yet), anywhere in the history. */
  take(marks: LogMarks): void {
    const ram = this.machine.ram;
    ram.collectDirty();
    const pages = this.tracker.pages();
    const position = this.machine.hart.steps;
    for (const p of pages) this.store.add(p, position, ram.bytes.slice(p << PAGE_SHIFT, (p + 1) << PAGE_SHIFT));
    this.tracker.clear();
    this.insert(pages, marks);
  }

  private insert(pages: number[], marks: LogMarks): void {
    const core = this.machine.captureCore();
    const c: Checkpoint = { position: this.machine.hart.steps, core, marks, pages, coreBytes: approxBytes(core) };
    this.list.splice(this.indexAtOrBefore(c.position) + 1, 0, c);
    this.ramBase = c.position;
  }

  /** Puts the machine in the state of `c`: the RAM pages that may differ, then the core. */
  restore(c: Checkpoint): void {
    const ram = this.machine.ram;
    ram.collectDirty();
    const changed = new Set<number>(this.tracker.pages());
    // Pages written between the RAM's base and `c`, whichever comes first.
    const lo = Math.min(this.ramBase, c.position), hi = Math.max(this.ramBase, c.position);
    for (let k = this.indexAtOrBefore(lo) + 1; k < this.list.length && this.list[k].position <= hi; k++) {
      for (const p of this.list[k].pages) changed.add(p);
    }
    for (const p of changed) {
      const content = this.store.at(p, c.position);
      if (content) ram.bytes.set(content, p << PAGE_SHIFT);
      else ram.bytes.fill(0, p << PAGE_SHIFT, (p + 1) << PAGE_SHIFT);
      // Changed as far as other consumers of dirty pages (the machine's own snapshots) know.
      ram.dirtyPages[p] = 1;
    }
    ram.collectDirty();
    this.tracker.clear();
    this.ramBase = c.position;
    this.machine.restoreCore(c.core);
  }

  /** Drops the checkpoints after `position` (a future that was cut off). */
  truncateAfter(position: number): void {
    while (this.list.length > 1 && this.newest.position > position) {
      const c = this.list.pop()!;
      this.store.drop(c.position, c.pages);
    }
  }

  /**
   * Removes checkpoint `index` (not the newest): the next one takes over its pages that it has
   * no version of. Its history stays reachable unless it was the oldest.
   */
  remove(index: number): void {
    const c = this.list[index];
    const next = this.list[index + 1];
    if (this.ramBase === c.position) {
      // RAM = c + dirty = next + dirty + whatever next changed: rebase on next.
      for (const p of next.pages) this.tracker.bits[p] = 1;
      this.ramBase = next.position;
    }
    const gained = this.store.merge(c.position, c.pages, next.position);
    if (gained.length) next.pages = [...new Set([...next.pages, ...gained])].sort((a, b) => a - b);
    this.list.splice(index, 1);
  }

  /** Bytes held: page copies, captured core states and bookkeeping. */
  memoryBytes(): number {
    let n = this.store.bytes;
    for (const c of this.list) n += c.coreBytes + 8 * c.pages.length + 64;
    return n;
  }

  /**
   * While `over()` holds: removes the oldest checkpoint whose removal leaves no interval longer
   * than `maxGap` steps (thinning old history), else the oldest checkpoint (giving up history).
   */
  thin(over: () => boolean, maxGap: number): void {
    while (over() && this.list.length > 1) {
      let victim = 0;
      for (let i = 1; i < this.list.length - 1; i++) {
        if (this.list[i + 1].position - this.list[i - 1].position <= maxGap) { victim = i; break; }
      }
      this.remove(victim);
    }
  }
}

/** Rough heap size of captured state: typed arrays by their bytes, the rest by a small constant. */
function approxBytes(v: unknown, depth = 0): number {
  if (v === null || typeof v !== 'object' || depth > 6) return 16;
  if (ArrayBuffer.isView(v)) return v.byteLength + 64;
  if (v instanceof Map) { let n = 64; for (const [, x] of v) n += 32 + approxBytes(x, depth + 1); return n; }
  let n = 64;
  for (const x of Object.values(v as Record<string, unknown>)) n += approxBytes(x, depth + 1);
  return n;
}
