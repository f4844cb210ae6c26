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
  /** Pages written since the last snapshot (for copy-on-write style snapshots). */
  readonly dirtyPages: Uint8Array;

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

  /** Offset of a physical access inside RAM, or -1 when it is not entirely in RAM. */
  offset(pa: number, size: number): number {
    const off = pa - this.base;
    return off >= 0 && off + size <= this.size ? off : -1;
  }
}
