// A digest of the whole machine state (registers, CSRs, the XPC engine, the TLB, the timing
// model, devices, the run slice and RAM), so tests can say "this state is exactly that one"
// without comparing field by field. Not cryptographic: two 32-bit multiply-xor lanes.

import { Machine } from '../machine/machine';

class Digest {
  private a = 0x811c9dc5 | 0;
  private b = 0x01000193 | 0;

  word(w: number): void {
    this.a = Math.imul(this.a ^ w, 0x01000193);
    this.b = Math.imul((this.b + w) ^ (this.b >>> 15), 0x85ebca6b);
  }

  number(n: number): void {
    if (Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) {
      this.word(n | 0);
      this.word(Math.floor(n / 4294967296) | 0);
    } else this.string(String(n));
  }

  string(s: string): void {
    this.word(s.length);
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
  }

  bytes(u: Uint8Array): void {
    this.word(u.length);
    const whole = u.length >>> 2;
    if ((u.byteOffset & 3) === 0) {
      const w = new Int32Array(u.buffer, u.byteOffset, whole);
      for (let i = 0; i < whole; i++) this.word(w[i]);
    } else {
      for (let i = 0; i < whole; i++) this.word(u[4 * i] | (u[4 * i + 1] << 8) | (u[4 * i + 2] << 16) | (u[4 * i + 3] << 24));
    }
    for (let i = whole * 4; i < u.length; i++) this.word(u[i]);
  }

  /** Any plain value: typed arrays, arrays, Maps (by sorted key), objects (by sorted key). */
  value(v: unknown): void {
    switch (typeof v) {
      case 'undefined': this.word(0x75); return;
      case 'boolean': this.word(v ? 0x74 : 0x66); return;
      case 'number': this.word(0x6e); this.number(v); return;
      case 'bigint': this.word(0x62); this.string(v.toString(16)); return;
      case 'string': this.word(0x73); this.string(v); return;
    }
    if (v === null) { this.word(0x6c); return; }
    if (ArrayBuffer.isView(v)) {
      this.word(0x76);
      this.bytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      return;
    }
    if (Array.isArray(v)) {
      this.word(0x61); this.word(v.length);
      for (const x of v) this.value(x);
      return;
    }
    if (v instanceof Map) {
      const entries = [...v.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
      this.word(0x6d); this.word(entries.length);
      for (const [k, x] of entries) { this.value(k); this.value(x); }
      return;
    }
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    this.word(0x6f); this.word(keys.length);
    for (const k of keys) {
      // LRU ages count by their order only (see stateHash); the clocks that number them do not.
      if (/clock$/i.test(k)) continue;
      const x = obj[k];
      this.string(k);
      if (/stamps$/i.test(k) && x instanceof Float64Array) this.value(ranks(x));
      else this.value(x);
    }
  }

  hex(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}

/** Each element's rank among the distinct values of `a` (equal values, equal ranks). */
function ranks(a: Float64Array): Int32Array {
  const sorted = [...new Set(a)].sort((x, y) => x - y);
  const rank = new Map(sorted.map((v, i) => [v, i]));
  return Int32Array.from(a, (v) => rank.get(v)!);
}

/** Which parts of the state to digest; all by default. */
export interface StateHashOptions {
  /** Include RAM (the costly part: the whole RAM is read). Default true. */
  readonly ram?: boolean;
}

/**
 * A hex digest of the machine state. Equal states give equal digests; the decode cache and
 * compiled blocks (derived data) are not part of it. The timing model's LRU stamps count by
 * their order, not their values: the start of a run slice re-touches the most recently used
 * I-TLB entry and cache line, which advances the LRU clock without changing any replacement
 * decision, so two runs split differently are the same machine with different clock values.
 */
export function stateHash(m: Machine, opts: StateHashOptions = {}): string {
  const d = new Digest();
  d.value(m.captureCore());
  if (opts.ram ?? true) d.bytes(m.ram.bytes);
  return d.hex();
}
