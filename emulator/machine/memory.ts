// Guest RAM: one ArrayBuffer with byte and DataView access (host and guest are both
// little-endian), plus a per-page "holds decoded code" flag so that stores can invalidate the
// decode cache, and a per-page dirty bit for cheap snapshots.

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

export class Ram {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly pages: number;
  /** Pages whose instructions are in the decode cache: a store there invalidates them. */
  readonly codePages: Uint8Array;
  /**
   * Pages written since the last `collectDirty` (the hart and the loader set these bits). Each
   * consumer of incremental snapshots reads its own `DirtyTracker`, never this array directly.
   */
  readonly dirtyPages: Uint8Array;
  private readonly trackers: DirtyTracker[] = [];

  /** A byte range whose stores the hart reports (HTIF `tohost`); empty by default. */
  watchStart = 0;
  watchEnd = 0;

  constructor(readonly base: number, readonly size: number) {
    if (size % PAGE_SIZE !== 0 || size <= 0) throw new Error(`RAM size must be a positive multiple of ${PAGE_SIZE}`);
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
    this.pages = size >>> PAGE_SHIFT;
    this.codePages = new Uint8Array(this.pages);
    this.dirtyPages = new Uint8Array(this.pages);
  }

  /**
   * A new, independent record of written pages (the machine's snapshots and the replay
   * timeline each keep one, so one taking a snapshot does not hide writes from the other).
   * It starts with the pages written and not yet collected; a consumer that joins late takes
   * its baseline from the whole RAM.
   */
  addDirtyTracker(): DirtyTracker {
    const t = new DirtyTracker(this.pages);
    t.bits.set(this.dirtyPages);
    this.trackers.push(t);
    return t;
  }

  /** Hands the pages written since the last call to every tracker. */
  collectDirty(): void {
    const d = this.dirtyPages, ts = this.trackers;
    for (let p = d.indexOf(1); p >= 0; p = d.indexOf(1, p + 1)) {
      for (const t of ts) t.bits[p] = 1;
      d[p] = 0;
    }
  }

  /** Offset of a physical access inside RAM, or -1 when it is not entirely in RAM. */
  offset(pa: number, size: number): number {
    const off = pa - this.base;
    return off >= 0 && off + size <= this.size ? off : -1;
  }
}

/** One consumer's view of the pages written since it last cleared them. */
export class DirtyTracker {
  readonly bits: Uint8Array;
  constructor(pages: number) { this.bits = new Uint8Array(pages); }

  /** The dirty page numbers, in ascending order (collect first: see Ram.collectDirty). */
  pages(): number[] {
    const out: number[] = [];
    const b = this.bits;
    for (let p = b.indexOf(1); p >= 0; p = b.indexOf(1, p + 1)) out.push(p);
    return out;
  }

  clear(): void { this.bits.fill(0); }
}
