// The XPC engine (shared/spec/xpc-isa.md; the project's reference is docs/xpc-isa.md): its
// registers, the x-entry cache, xcall/xret/swapseg and relay-segment translation. Every check
// runs before any state changes, so an exception leaves the machine exactly as it was.

import { Trap } from './trap';

export const XPC_CAUSE = { InvalidEntry: 24, InvalidCap: 25, InvalidLinkage: 26, SwapsegError: 27, LinkOverflow: 28, SegmentNotReturned: 29 } as const;

export const XENTRY_SIZE = 64;
export const LINK_RECORD_SIZE = 128;
export const SEGLIST_SLOT_SIZE = 32;

const M64 = (1n << 64n) - 1n;

/** The XPC CSR numbers (the CSR table in emulator/isa/csrs.ts documents them). */
export const XPC_CSR = {
  xentry_base: 0x5c0, xentry_size: 0x5c1, xcap: 0x5c2, xlink: 0x5c3, xlink_base: 0x5c4, xlink_limit: 0x5c5,
  xseglist: 0x5c6, xseglist_len: 0x5c7, xdomain: 0x5c8, xctl: 0x5c9, xseg_va: 0x5ca, xseg_pa: 0x5cb,
  xseg_len: 0x5cc, xseg_perm: 0x5cd, xcaller: 0x5ce, useg_va: 0xcc0, useg_len: 0xcc1, useg_perm: 0xcc2,
  uxcaller: 0xcc3, segmask_off: 0x800, segmask_len: 0x801, segmask_perm: 0x802,
} as const;

export interface Segment { va: bigint; pa: bigint; len: bigint; perm: bigint }

export interface XEntry {
  readonly satp: bigint; readonly xcap: bigint; readonly entryPc: bigint; readonly xseglist: bigint;
  readonly xseglistLen: bigint; readonly domain: bigint; readonly flags: bigint;
}

export interface LinkRecord {
  readonly satp: bigint; readonly retPc: bigint; readonly xcap: bigint; readonly xseglist: bigint; readonly xseglistLen: bigint;
  readonly domain: bigint; readonly caller: bigint; readonly seg: Segment; readonly handed: { va: bigint; len: bigint; perm: bigint };
  readonly flags: bigint;
}

/** Physical memory as the engine sees it: whole-structure reads and writes, or an access fault. */
export interface XpcMemory {
  /** The `size` bytes at `pa` as little-endian u64 fields, or undefined if not all in RAM. */
  readFields(pa: number, count: number): bigint[] | undefined;
  /**
   * Writes u64 fields; false if not all in RAM (nothing written then). `by` names the writing
   * instruction for the debugger's watchpoints (an engine write is that instruction's write).
   */
  writeFields(pa: number, fields: readonly bigint[], by: 'xcall' | 'xret' | 'swapseg'): boolean;
  readByte(pa: number): number | undefined;
  canWrite(pa: number, size: number): boolean;
}

export type XpcEvent =
  | { readonly kind: 'xcall'; readonly id: number; readonly from: bigint; readonly to: bigint; readonly record: number; readonly steps: number }
  | { readonly kind: 'xret'; readonly from: bigint; readonly to: bigint; readonly record: number; readonly steps: number }
  | { readonly kind: 'swapseg'; readonly index: number; readonly steps: number }
  | { readonly kind: 'prefetch'; readonly id: number; readonly steps: number }
  | { readonly kind: 'exception'; readonly cause: number; readonly tval: bigint; readonly steps: number };

export interface XpcSnapshot {
  readonly regs: readonly bigint[];
  readonly seg: Segment;
  readonly cache: readonly [number, XEntry][];
}

const u = (v: bigint) => BigInt.asUintN(64, v);

export class XpcEngine {
  xentryBase = 0n; xentrySize = 0n; xcap = 0n;
  xlink = 0n; xlinkBase = 0n; xlinkLimit = 0n;
  xseglist = 0n; xseglistLen = 0n; xdomain = 0n; xcaller = 0n;
  enabled = false;
  readonly seg: Segment = { va: 0n, pa: 0n, len: 0n, perm: 0n };
  segmaskOff = 0n; segmaskLen = M64; segmaskPerm = 3n;
  /** The active segment as numbers for the translation fast path (exact below 2^53). */
  segActive = false; segVaNum = 0; segEndNum = 0; segPaNum = 0; segPermNum = 0;

  /** x-entry cache: id → entry, replaced first in, first out (deterministic). */
  private readonly cache = new Map<number, XEntry>();
  onEvent?: (e: XpcEvent) => void;

  constructor(readonly mem: XpcMemory, public cacheSize = 16) {}

  // ---- CSRs ---------------------------------------------------------------------------------

  readCsr(csr: number): bigint | undefined {
    const s = (v: bigint) => BigInt.asIntN(64, v);
    switch (csr) {
      case XPC_CSR.xentry_base: return s(this.xentryBase);
      case XPC_CSR.xentry_size: return s(this.xentrySize);
      case XPC_CSR.xcap: return s(this.xcap);
      case XPC_CSR.xlink: return s(this.xlink);
      case XPC_CSR.xlink_base: return s(this.xlinkBase);
      case XPC_CSR.xlink_limit: return s(this.xlinkLimit);
      case XPC_CSR.xseglist: return s(this.xseglist);
      case XPC_CSR.xseglist_len: return s(this.xseglistLen);
      case XPC_CSR.xdomain: return s(this.xdomain);
      case XPC_CSR.xctl: return this.enabled ? 1n : 0n;
      case XPC_CSR.xseg_va: case XPC_CSR.useg_va: return s(this.seg.va);
      case XPC_CSR.xseg_pa: return s(this.seg.pa);
      case XPC_CSR.xseg_len: case XPC_CSR.useg_len: return s(this.seg.len);
      case XPC_CSR.xseg_perm: case XPC_CSR.useg_perm: return s(this.seg.perm);
      case XPC_CSR.xcaller: case XPC_CSR.uxcaller: return s(this.xcaller);
      case XPC_CSR.segmask_off: return s(this.segmaskOff);
      case XPC_CSR.segmask_len: return s(this.segmaskLen);
      case XPC_CSR.segmask_perm: return s(this.segmaskPerm);
    }
    return undefined;
  }

  /** Writes an XPC CSR; false if `csr` is not one (read-only views are refused by the CSR rules). */
  writeCsr(csr: number, value: bigint): boolean {
    const v = u(value);
    switch (csr) {
      case XPC_CSR.xentry_base: this.xentryBase = v; this.flushCache(); return true;
      case XPC_CSR.xentry_size: this.xentrySize = v; return true;
      case XPC_CSR.xcap: this.xcap = v; return true;
      case XPC_CSR.xlink: this.xlink = v; return true;
      case XPC_CSR.xlink_base: this.xlinkBase = v; return true;
      case XPC_CSR.xlink_limit: this.xlinkLimit = v; return true;
      case XPC_CSR.xseglist: this.xseglist = v; return true;
      case XPC_CSR.xseglist_len: this.xseglistLen = v; return true;
      case XPC_CSR.xdomain: this.xdomain = v; return true;
      case XPC_CSR.xctl: this.enabled = (v & 1n) !== 0n; if (v & 2n) this.flushCache(); return true;
      case XPC_CSR.xseg_va: this.seg.va = v; this.segChanged(); return true;
      case XPC_CSR.xseg_pa: this.seg.pa = v; this.segChanged(); return true;
      case XPC_CSR.xseg_len: this.seg.len = v; this.segChanged(); return true;
      case XPC_CSR.xseg_perm: this.seg.perm = v & 3n; this.segChanged(); return true;
      case XPC_CSR.xcaller: this.xcaller = v; return true;
      case XPC_CSR.segmask_off: this.segmaskOff = v; return true;
      case XPC_CSR.segmask_len: this.segmaskLen = v; return true;
      case XPC_CSR.segmask_perm: this.segmaskPerm = v & 3n; return true;
    }
    return false;
  }

  flushCache(): void { this.cache.clear(); }

  /** Whether the engine cache holds x-entry `id` (the timing model charges a hit or a table read). */
  isCached(id: number): boolean { return this.cache.has(id); }

  private segChanged(): void {
    const s = this.seg;
    this.segActive = s.len !== 0n;
    this.segVaNum = Number(BigInt.asIntN(64, s.va));
    this.segEndNum = this.segVaNum + Number(s.len);
    this.segPaNum = Number(s.pa);
    this.segPermNum = Number(s.perm & 3n);
  }

  private resetSegmask(): void {
    this.segmaskOff = 0n; this.segmaskLen = M64; this.segmaskPerm = 3n;
  }

  // ---- Structures in memory -----------------------------------------------------------------

  private entryAddress(id: bigint): number { return Number(u(this.xentryBase + id * BigInt(XENTRY_SIZE))); }

  /** The x-entry as memory holds it (no cache); undefined if it is not in RAM. */
  readEntry(id: bigint): XEntry | undefined {
    const f = this.mem.readFields(this.entryAddress(id), 8);
    if (!f) return undefined;
    return { satp: f[0], xcap: f[1], entryPc: f[2], xseglist: f[3], xseglistLen: f[4], domain: f[5], flags: f[6] };
  }

  readRecord(pa: number): LinkRecord | undefined {
    const f = this.mem.readFields(pa, 16);
    if (!f) return undefined;
    return {
      satp: f[0], retPc: f[1], xcap: f[2], xseglist: f[3], xseglistLen: f[4], domain: f[5], caller: f[6],
      seg: { va: f[7], pa: f[8], len: f[9], perm: f[10] }, handed: { va: f[11], len: f[12], perm: f[13] }, flags: f[14],
    };
  }

  // ---- Instructions (each returns the new pc, or throws a Trap having changed nothing) ----------

  private fail(cause: number, tval: bigint, steps: number): Trap {
    this.onEvent?.({ kind: 'exception', cause, tval, steps });
    return new Trap(cause, u(tval));
  }

  /**
   * xcall: `id` is x[rs1]; `pc` the xcall's address; `satp` and `setSatp` give the current
   * translation root and switch it. Returns the callee's entry pc.
   */
  xcall(id: bigint, pc: bigint, satp: bigint, setSatp: (v: bigint) => void, steps: number): bigint {
    const sid = BigInt.asIntN(64, id);
    if (sid < 0n) {
      // Prefetch: fill the cache if the entry is there; architecturally nothing happens.
      const pid = -sid;
      if (pid < this.xentrySize && !this.cache.has(Number(pid))) {
        const e = this.readEntry(pid);
        if (e && (e.flags & 1n) && pid !== 0n) this.cacheInsert(Number(pid), e);
      }
      this.onEvent?.({ kind: 'prefetch', id: Number(pid), steps });
      return pc + 4n;
    }
    if (sid >= this.xentrySize) throw this.fail(XPC_CAUSE.InvalidEntry, sid, steps);
    let entry = this.cache.get(Number(sid));
    if (!entry) {
      entry = this.readEntry(sid);
      if (!entry) throw this.fail(5, BigInt(this.entryAddress(sid)), steps);
    }
    if (sid === 0n || (entry.flags & 1n) === 0n) throw this.fail(XPC_CAUSE.InvalidEntry, sid, steps);
    const capByteAddr = Number(u(this.xcap + sid / 8n));
    const capByte = this.mem.readByte(capByteAddr);
    if (capByte === undefined) throw this.fail(5, BigInt(capByteAddr), steps);
    if (((capByte >> Number(sid % 8n)) & 1) === 0) throw this.fail(XPC_CAUSE.InvalidCap, sid, steps);
    if (this.xlink + BigInt(LINK_RECORD_SIZE) > this.xlinkLimit) throw this.fail(XPC_CAUSE.LinkOverflow, this.xlink, steps);
    const recordAddr = Number(this.xlink);
    if (!this.mem.canWrite(recordAddr, LINK_RECORD_SIZE)) throw this.fail(7, this.xlink, steps);

    // The window handed to the callee.
    const s = this.seg;
    const off = this.segmaskOff;
    const handed: Segment = off >= s.len
      ? { va: 0n, pa: 0n, len: 0n, perm: 0n }
      : { va: u(s.va + off), pa: u(s.pa + off), len: s.len - off < this.segmaskLen ? s.len - off : this.segmaskLen, perm: s.perm & this.segmaskPerm };
    this.mem.writeFields(recordAddr, [
      satp, u(pc + 4n), this.xcap, this.xseglist, this.xseglistLen, this.xdomain, this.xcaller,
      s.va, s.pa, s.len, s.perm, handed.va, handed.len, handed.perm, 1n, 0n,
    ], 'xcall');
    this.xlink += BigInt(LINK_RECORD_SIZE);
    this.cacheInsert(Number(sid), entry);
    const fromDomain = this.xdomain;
    setSatp(entry.satp);
    this.xcap = entry.xcap; this.xseglist = entry.xseglist; this.xseglistLen = entry.xseglistLen;
    this.xcaller = this.xdomain;
    this.xdomain = entry.domain;
    Object.assign(this.seg, handed);
    this.segChanged();
    this.resetSegmask();
    this.onEvent?.({ kind: 'xcall', id: Number(sid), from: fromDomain, to: entry.domain, record: recordAddr, steps });
    return entry.entryPc;
  }

  /** xret: returns the caller's return pc. */
  xret(setSatp: (v: bigint) => void, steps: number): bigint {
    if (this.xlink === this.xlinkBase) throw this.fail(XPC_CAUSE.InvalidLinkage, this.xlink, steps);
    const recordAddr = Number(u(this.xlink - BigInt(LINK_RECORD_SIZE)));
    const rec = this.readRecord(recordAddr);
    if (!rec) throw this.fail(5, BigInt(recordAddr), steps);
    if ((rec.flags & 1n) === 0n) throw this.fail(XPC_CAUSE.InvalidLinkage, this.xlink, steps);
    const s = this.seg;
    if (s.va !== rec.handed.va || s.len !== rec.handed.len || s.perm !== rec.handed.perm) {
      throw this.fail(XPC_CAUSE.SegmentNotReturned, this.xlink, steps);
    }
    if (!this.mem.canWrite(recordAddr + 112, 8)) throw this.fail(7, BigInt(recordAddr + 112), steps);
    const fromDomain = this.xdomain;
    this.mem.writeFields(recordAddr + 112, [rec.flags & ~1n], 'xret');
    setSatp(rec.satp);
    this.xcap = rec.xcap; this.xseglist = rec.xseglist; this.xseglistLen = rec.xseglistLen;
    this.xdomain = rec.domain; this.xcaller = rec.caller;
    Object.assign(this.seg, rec.seg);
    this.segChanged();
    this.xlink -= BigInt(LINK_RECORD_SIZE);
    this.resetSegmask();
    this.onEvent?.({ kind: 'xret', from: fromDomain, to: rec.domain, record: recordAddr, steps });
    return rec.retPc;
  }

  swapseg(index: bigint, steps: number): void {
    const idx = u(index);
    if (idx >= this.xseglistLen) throw this.fail(XPC_CAUSE.SwapsegError, idx, steps);
    const slotAddr = Number(u(this.xseglist + idx * BigInt(SEGLIST_SLOT_SIZE)));
    const slot = this.mem.readFields(slotAddr, 4);
    if (!slot) throw this.fail(5, BigInt(slotAddr), steps);
    if (!this.mem.canWrite(slotAddr, SEGLIST_SLOT_SIZE)) throw this.fail(7, BigInt(slotAddr), steps);
    const s = this.seg;
    this.mem.writeFields(slotAddr, [s.va, s.pa, s.len, s.perm], 'swapseg');
    s.va = slot[0]; s.pa = slot[1]; s.len = slot[2]; s.perm = slot[3] & 3n;
    this.segChanged();
    this.onEvent?.({ kind: 'swapseg', index: Number(idx), steps });
  }

  private cacheInsert(id: number, e: XEntry): void {
    if (this.cacheSize <= 0) return;
    this.cache.delete(id);
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as number);
    this.cache.set(id, e);
  }

  // ---- Snapshots and the debugger's view ----------------------------------------------------

  capture(): XpcSnapshot {
    return {
      regs: [this.xentryBase, this.xentrySize, this.xcap, this.xlink, this.xlinkBase, this.xlinkLimit, this.xseglist,
        this.xseglistLen, this.xdomain, this.xcaller, this.enabled ? 1n : 0n, this.segmaskOff, this.segmaskLen, this.segmaskPerm],
      seg: { ...this.seg },
      cache: [...this.cache.entries()],
    };
  }

  restore(s: XpcSnapshot): void {
    const r = s.regs;
    [this.xentryBase, this.xentrySize, this.xcap, this.xlink, this.xlinkBase, this.xlinkLimit, this.xseglist,
      this.xseglistLen, this.xdomain, this.xcaller] = r;
    this.enabled = r[10] !== 0n;
    [this.segmaskOff, this.segmaskLen, this.segmaskPerm] = [r[11], r[12], r[13]];
    Object.assign(this.seg, s.seg);
    this.segChanged();
    this.cache.clear();
    for (const [k, v] of s.cache) this.cache.set(k, v);
  }

  /** Everything XPC, decoded from the registers and memory, for the debugger's views. */
  view(): XpcView {
    const entries: { id: number; entry: XEntry; cached: boolean }[] = [];
    const n = this.xentrySize < 4096n ? Number(this.xentrySize) : 4096;
    for (let id = 0; id < n; id++) {
      const e = this.readEntry(BigInt(id));
      if (e && e.flags & 1n) entries.push({ id, entry: e, cached: this.cache.has(id) });
    }
    const records: { address: number; record: LinkRecord }[] = [];
    for (let a = this.xlinkBase; a + BigInt(LINK_RECORD_SIZE) <= this.xlink && records.length < 1024; a += BigInt(LINK_RECORD_SIZE)) {
      const r = this.readRecord(Number(a));
      if (r) records.push({ address: Number(a), record: r });
    }
    const slots: Segment[] = [];
    const m = this.xseglistLen < 1024n ? Number(this.xseglistLen) : 1024;
    for (let i = 0; i < m; i++) {
      const f = this.mem.readFields(Number(u(this.xseglist + BigInt(i * SEGLIST_SLOT_SIZE))), 4);
      if (f) slots.push({ va: f[0], pa: f[1], len: f[2], perm: f[3] });
    }
    return {
      enabled: this.enabled, domain: this.xdomain, caller: this.xcaller, entries, linkStack: records, segment: { ...this.seg },
      segmask: { off: this.segmaskOff, len: this.segmaskLen, perm: this.segmaskPerm }, seglist: slots,
    };
  }
}

export interface XpcView {
  readonly enabled: boolean;
  readonly domain: bigint;
  readonly caller: bigint;
  /** Valid x-entries, each marked when the engine cache holds it. */
  readonly entries: readonly { id: number; entry: XEntry; cached: boolean }[];
  /** Linkage records from the bottom of the link stack to its top. */
  readonly linkStack: readonly { address: number; record: LinkRecord }[];
  readonly segment: Segment;
  readonly segmask: { off: bigint; len: bigint; perm: bigint };
  readonly seglist: readonly Segment[];
}
