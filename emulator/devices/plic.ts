// PLIC as on QEMU `virt` with one hart: sources 1..53, priorities 0..7, two contexts (0 = hart 0
// M-mode → MIP.MEIP, 1 = hart 0 S-mode → MIP.SEIP).
//
// Each source has a level-triggered gateway, as the PLIC specification describes: a high level
// makes the source pending once; claim clears the pending bit and puts the source "in flight";
// no new request is forwarded until the handler completes it, and at completion a level that is
// still high makes it pending again. A level that drops while the source is pending does not
// withdraw the request (the spec says the handler must cope with a source that no longer needs
// service) — QEMU instead clears pending with the level; drivers work with either.
//
// A context's output is high iff some pending, enabled, not-in-flight source has priority >
// the context's threshold; claim returns the highest such priority (lowest id on ties), 0 if none.
// Priority 0 means "never interrupt". A completion naming a source that is not enabled for the
// context, or not in flight, is ignored (spec).
//
// Registers are 32 bits. An 8-byte access is two 32-bit accesses (low word first). QEMU faults
// narrower accesses; the device contract cannot fault, so a narrow read returns its bytes of the
// word (with the word read's effect) and a narrow write is ignored.

import { Device, DeviceHost, MIP } from './device';
import { StateReader } from './state';

export const PLIC_BASE = 0x0c00_0000;
export const PLIC_SIZE = 0x400_0000;
/** Source ids are 1..PLIC_MAX_SOURCE (0 means "no interrupt"). */
export const PLIC_MAX_SOURCE = 53;
export const PLIC_PRIORITY_MAX = 7;
export const PLIC_CONTEXTS = 2;
export const PLIC_PRIORITY_BASE = 0x0000;
export const PLIC_PENDING_BASE = 0x1000;
export const PLIC_ENABLE_BASE = 0x2000;
export const PLIC_ENABLE_STRIDE = 0x80;
export const PLIC_CONTEXT_BASE = 0x20_0000;
export const PLIC_CONTEXT_STRIDE = 0x1000;
/** mip bit driven by each context. */
export const PLIC_CONTEXT_MIP: readonly number[] = [MIP.MEIP, MIP.SEIP];

const WORDS = Math.ceil((PLIC_MAX_SOURCE + 1) / 32);
/** Bits of the bitmap words that name real sources (not 0, not beyond the last). */
const VALID: readonly number[] = Array.from({ length: WORDS }, (_, w) => {
  let m = 0;
  for (let b = 0; b < 32; b++) {
    const id = w * 32 + b;
    if (id >= 1 && id <= PLIC_MAX_SOURCE) m |= 1 << b;
  }
  return m >>> 0;
});

export interface PlicSnapshot {
  priority: number[];
  /** Bitmaps, one 32-bit word per 32 source ids. */
  pending: number[];
  inFlight: number[];
  level: number[];
  /** enable[ctx] is that context's bitmap. */
  enable: number[][];
  threshold: number[];
}

export class Plic implements Device {
  readonly name = 'plic';
  readonly base = PLIC_BASE;
  readonly size = PLIC_SIZE;

  private priority = new Array<number>(PLIC_MAX_SOURCE + 1).fill(0);
  private pending = new Uint32Array(WORDS);
  private inFlight = new Uint32Array(WORDS);
  private level = new Uint32Array(WORDS);
  private enable = Array.from({ length: PLIC_CONTEXTS }, () => new Uint32Array(WORDS));
  private threshold = new Array<number>(PLIC_CONTEXTS).fill(0);

  constructor(private readonly host: DeviceHost) {}

  /** Drives a level-triggered source's input line (the UART is source 10). */
  setSourceLevel(source: number, level: boolean): void {
    if (!Number.isInteger(source) || source < 1 || source > PLIC_MAX_SOURCE) throw new RangeError(`PLIC: no interrupt source ${source}`);
    setBit(this.level, source, level);
    // The gateway forwards a request when it has none outstanding (neither pending nor in flight).
    if (level && !getBit(this.inFlight, source)) setBit(this.pending, source, true);
    this.update();
  }

  read(offset: number, size: 1 | 2 | 4 | 8): bigint {
    return this.access(offset, size, true);
  }

  peek(offset: number, size: 1 | 2 | 4 | 8): bigint {
    return this.access(offset, size, false);
  }

  write(offset: number, size: 1 | 2 | 4 | 8, value: bigint): void {
    if (size === 8) {
      this.writeWord(offset, Number(value & 0xffff_ffffn));
      this.writeWord(offset + 4, Number((value >> 32n) & 0xffff_ffffn));
    } else if (size === 4) {
      this.writeWord(offset, Number(value & 0xffff_ffffn));
    }
    this.update();
  }

  /** Re-drives MEIP/SEIP from the current state (idempotent). */
  update(): void {
    for (let ctx = 0; ctx < PLIC_CONTEXTS; ctx++) this.host.setInterrupt(PLIC_CONTEXT_MIP[ctx], this.best(ctx) !== 0);
  }

  snapshot(): PlicSnapshot {
    return {
      priority: [...this.priority], pending: [...this.pending], inFlight: [...this.inFlight], level: [...this.level],
      enable: this.enable.map((e) => [...e]), threshold: [...this.threshold],
    };
  }

  restore(state: unknown): void {
    const r = new StateReader(this.name, state);
    // Bits that name no source are dropped, as a register write would drop them.
    const valid = (ws: readonly number[]) => Uint32Array.from(ws, (w, i) => (w & VALID[i]) >>> 0);
    const words = (k: string) => valid(r.ints(k, WORDS, 0, 0xffff_ffff));
    const s = {
      priority: r.ints('priority', PLIC_MAX_SOURCE + 1, 0, PLIC_PRIORITY_MAX),
      pending: words('pending'), inFlight: words('inFlight'), level: words('level'),
      threshold: r.ints('threshold', PLIC_CONTEXTS, 0, PLIC_PRIORITY_MAX),
      enable: r.matrix('enable', PLIC_CONTEXTS, WORDS, 0, 0xffff_ffff).map(valid),
    };
    this.priority = [...s.priority];
    this.pending = s.pending;
    this.inFlight = s.inFlight;
    this.level = s.level;
    this.enable = s.enable;
    this.threshold = [...s.threshold];
    this.update();
  }

  // ---- internals ----------------------------------------------------------------------------

  /** The source a claim by `ctx` would return: highest priority above threshold, lowest id. */
  private best(ctx: number): number {
    let id = 0;
    let prio = this.threshold[ctx];
    const en = this.enable[ctx];
    for (let w = 0; w < WORDS; w++) {
      let bits = this.pending[w] & en[w] & ~this.inFlight[w];
      while (bits) {
        const b = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const src = w * 32 + b;
        if (this.priority[src] > prio) { prio = this.priority[src]; id = src; }
      }
    }
    return id;
  }

  private access(offset: number, size: 1 | 2 | 4 | 8, effects: boolean): bigint {
    if (size === 8) {
      const lo = this.readWord(offset, effects);
      const hi = this.readWord(offset + 4, effects);
      return BigInt(lo) | (BigInt(hi) << 32n);
    }
    const aligned = offset & ~3;
    const word = this.readWord(aligned, effects);
    const shift = (offset - aligned) * 8;
    return BigInt(size === 4 && shift === 0 ? word : (word >>> shift) & (size === 1 ? 0xff : size === 2 ? 0xffff : 0xffff_ffff));
  }

  private readWord(offset: number, effects: boolean): number {
    if (offset & 3) return 0;
    if (offset < PLIC_PENDING_BASE) {
      const src = offset >> 2;
      return src <= PLIC_MAX_SOURCE ? this.priority[src] : 0;
    }
    if (offset < PLIC_ENABLE_BASE) {
      const w = (offset - PLIC_PENDING_BASE) >> 2;
      return w < WORDS ? this.pending[w] : 0;
    }
    if (offset < PLIC_CONTEXT_BASE) {
      const ctx = Math.floor((offset - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE);
      const w = ((offset - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE) >> 2;
      return ctx < PLIC_CONTEXTS && w < WORDS ? this.enable[ctx][w] : 0;
    }
    const ctx = Math.floor((offset - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE);
    if (ctx >= PLIC_CONTEXTS) return 0;
    switch ((offset - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE) {
      case 0: return this.threshold[ctx];
      case 4: {
        const id = this.best(ctx);
        if (effects && id) {
          setBit(this.pending, id, false);
          setBit(this.inFlight, id, true);
          this.update();
        }
        return id;
      }
      default: return 0;
    }
  }

  private writeWord(offset: number, value: number): void {
    if (offset & 3) return;
    if (offset < PLIC_PENDING_BASE) {
      const src = offset >> 2;
      // Priorities are WARL over 3 bits (QEMU virt); source 0 does not exist.
      if (src >= 1 && src <= PLIC_MAX_SOURCE) this.priority[src] = value & PLIC_PRIORITY_MAX;
      return;
    }
    if (offset < PLIC_ENABLE_BASE) return; // pending bits are read-only
    if (offset < PLIC_CONTEXT_BASE) {
      const ctx = Math.floor((offset - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE);
      const w = ((offset - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE) >> 2;
      if (ctx < PLIC_CONTEXTS && w < WORDS) this.enable[ctx][w] = (value & VALID[w]) >>> 0;
      return;
    }
    const ctx = Math.floor((offset - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE);
    if (ctx >= PLIC_CONTEXTS) return;
    switch ((offset - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE) {
      case 0:
        this.threshold[ctx] = value & PLIC_PRIORITY_MAX;
        return;
      case 4: {
        const id = value >>> 0;
        if (id < 1 || id > PLIC_MAX_SOURCE || !getBit(this.enable[ctx], id) || !getBit(this.inFlight, id)) return;
        setBit(this.inFlight, id, false);
        // The gateway re-arms: a level still high is a new request.
        if (getBit(this.level, id)) setBit(this.pending, id, true);
        return;
      }
      default: return;
    }
  }
}

function getBit(words: Uint32Array, id: number): boolean {
  return ((words[id >>> 5] >>> (id & 31)) & 1) !== 0;
}

function setBit(words: Uint32Array, id: number, on: boolean): void {
  const m = 1 << (id & 31);
  if (on) words[id >>> 5] |= m;
  else words[id >>> 5] &= ~m;
}
