// The timing model's storage structures: a set-associative cache of line tags and a fully
// associative TLB. Both replace the least recently used entry (deterministic; Rocket itself uses
// an LFSR for the L1s and pseudo-LRU for the TLBs, see docs/timing.md). Recency is a stamp from a
// per-structure clock; only the relative order of stamps matters.

import { CacheGeometry } from './params';

export interface CacheState { readonly tags: Float64Array; readonly stamps: Float64Array; readonly clock: number }

/** Tags only: the model needs hit or miss, never the data (RAM stays the single copy). */
export class Cache {
  readonly sets: number;
  readonly ways: number;
  readonly lineShift: number;
  private readonly tags: Float64Array;
  private readonly stamps: Float64Array;
  private clock = 0;
  /**
   * First byte of the line of the previous access. That line is the most recently used of its
   * set, so a repeat hit needs no stamp update (the relative order stays the same): a pure
   * shortcut, tested with a subtraction and a compare.
   */
  private lastBase = NaN;
  readonly lineBytes: number;

  constructor(g: CacheGeometry) {
    this.ways = g.ways;
    this.sets = g.sizeBytes / (g.ways * g.lineBytes);
    this.lineShift = Math.log2(g.lineBytes);
    this.lineBytes = g.lineBytes;
    this.tags = new Float64Array(this.sets * this.ways).fill(NaN);
    this.stamps = new Float64Array(this.sets * this.ways);
  }

  /** Line number of a physical address. */
  line(pa: number): number { return Math.floor(pa / (1 << this.lineShift)); }

  /** Whether `pa` is in the line of the previous access (a hit that changes nothing). */
  repeat(pa: number): boolean {
    const d = pa - this.lastBase;
    return d >= 0 && d < this.lineBytes;
  }

  /** Accesses the line holding `pa`; fills it on a miss. True on a hit. */
  access(pa: number): boolean {
    const d = pa - this.lastBase;
    if (d >= 0 && d < this.lineBytes) return true;
    const line = Math.floor(pa / this.lineBytes);
    this.lastBase = line * this.lineBytes;
    const base = (line & (this.sets - 1)) * this.ways;
    const tags = this.tags, stamps = this.stamps;
    let victim = base;
    for (let i = base; i < base + this.ways; i++) {
      if (tags[i] === line) { stamps[i] = ++this.clock; return true; }
      // Invalid ways (NaN tag, stamp 0 after a flush) go first, then the oldest.
      if (stamps[i] < stamps[victim]) victim = i;
    }
    tags[victim] = line;
    stamps[victim] = ++this.clock;
    return false;
  }

  invalidateAll(): void {
    this.tags.fill(NaN);
    this.stamps.fill(0);
    this.lastBase = NaN;
  }

  capture(): CacheState { return { tags: this.tags.slice(), stamps: this.stamps.slice(), clock: this.clock }; }

  restore(s: CacheState): void {
    this.tags.set(s.tags); this.stamps.set(s.stamps); this.clock = s.clock;
    this.lastBase = NaN;
  }
}

export interface TlbState {
  readonly tag: Float64Array; readonly level: Uint8Array; readonly asid: Int32Array; readonly global: Uint8Array;
  readonly base: Float64Array; readonly stamps: Float64Array; readonly clock: number;
}

/**
 * Fully associative TLB over Sv39 leaves of any level (Rocket keeps superpages in 4 extra
 * entries; here they share the 32). An entry maps vpn >> 9·level to the leaf's physical base.
 */
export class Tlb {
  private readonly tag: Float64Array;
  private readonly level: Uint8Array;
  private readonly asid: Int32Array;
  private readonly global: Uint8Array;
  private readonly base: Float64Array;
  private readonly stamps: Float64Array;
  private clock = 0;

  constructor(readonly entries: number) {
    this.tag = new Float64Array(entries).fill(NaN);
    this.level = new Uint8Array(entries);
    this.asid = new Int32Array(entries);
    this.global = new Uint8Array(entries);
    this.base = new Float64Array(entries);
    this.stamps = new Float64Array(entries);
  }

  /** Physical address of `va` (`vpn`: its 27-bit page number, non-negative) if an entry maps it, else -1. */
  lookup(vpn: number, va: number, asid: number): number {
    for (let i = 0; i < this.entries; i++) {
      const sh = 9 * this.level[i];
      if (this.tag[i] !== vpn >>> sh) continue;
      if (this.asid[i] !== asid && !this.global[i]) continue;
      this.stamps[i] = ++this.clock;
      return this.base[i] + (vpn & ((1 << sh) - 1)) * 4096 + (va & 4095);
    }
    return -1;
  }

  insert(vpn: number, level: number, asid: number, global: boolean, base: number): void {
    let victim = 0;
    for (let i = 1; i < this.entries; i++) if (this.stamps[i] < this.stamps[victim]) victim = i;
    this.tag[victim] = vpn >>> (9 * level);
    this.level[victim] = level;
    this.asid[victim] = asid;
    this.global[victim] = global ? 1 : 0;
    this.base[victim] = base;
    this.stamps[victim] = ++this.clock;
  }

  /** sfence.vma semantics: vpn undefined = every address; asid undefined = every address space (globals kept otherwise). */
  flush(vpn?: number, asid?: number): void {
    for (let i = 0; i < this.entries; i++) {
      if (Number.isNaN(this.tag[i])) continue;
      if (vpn !== undefined && this.tag[i] !== vpn >>> (9 * this.level[i])) continue;
      if (asid !== undefined && (this.global[i] || this.asid[i] !== asid)) continue;
      this.tag[i] = NaN;
      this.stamps[i] = 0;
    }
  }

  capture(): TlbState {
    return { tag: this.tag.slice(), level: this.level.slice(), asid: this.asid.slice(), global: this.global.slice(), base: this.base.slice(), stamps: this.stamps.slice(), clock: this.clock };
  }

  restore(s: TlbState): void {
    this.tag.set(s.tag); this.level.set(s.level); this.asid.set(s.asid); this.global.set(s.global); this.base.set(s.base);
    this.stamps.set(s.stamps); this.clock = s.clock;
  }
}
