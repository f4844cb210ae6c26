// Helpers shared by the devices' snapshot/restore: snapshots are plain JSON data that may have
// been written to disk and read back, so restore checks every field instead of trusting a cast.

/** Thrown when restore() is handed something that is not a snapshot of this device. */
export class SnapshotError extends Error {
  constructor(device: string, problem: string) {
    super(`${device}: bad snapshot: ${problem}`);
    this.name = 'SnapshotError';
  }
}

/** Typed access to the fields of one device's snapshot, failing with a message naming the field. */
export class StateReader {
  private readonly obj: Record<string, unknown>;

  constructor(private readonly device: string, state: unknown) {
    if (typeof state !== 'object' || state === null || Array.isArray(state)) throw new SnapshotError(device, 'not an object');
    this.obj = state as Record<string, unknown>;
  }

  private fail(key: string, what: string): never {
    throw new SnapshotError(this.device, `field '${key}' is not ${what}`);
  }

  /** An integer in [min, max]. */
  int(key: string, min: number, max: number): number {
    const v = this.obj[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(key, `an integer in [${min}, ${max}]`);
    return v;
  }

  bool(key: string): boolean {
    const v = this.obj[key];
    if (typeof v !== 'boolean') this.fail(key, 'a boolean');
    return v;
  }

  /** An unsigned 64-bit value stored as a decimal or 0x-prefixed string. */
  u64(key: string): bigint {
    const v = this.obj[key];
    if (typeof v !== 'string' || !/^(?:0x[0-9a-f]+|\d+)$/i.test(v)) this.fail(key, 'a u64 string');
    const b = BigInt(v);
    if (b >= 1n << 64n) this.fail(key, 'a u64 string');
    return b;
  }

  /** Bytes stored as a hex string (compact in JSON, and exact). */
  bytes(key: string): Uint8Array {
    const v = this.obj[key];
    if (typeof v !== 'string' || v.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(v)) this.fail(key, 'a hex byte string');
    const out = new Uint8Array(v.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(v.slice(i * 2, i * 2 + 2), 16);
    return out;
  }

  /** An array of exactly `length` integers in [min, max]. */
  ints(key: string, length: number, min: number, max: number): number[] {
    const v = this.obj[key];
    if (!Array.isArray(v) || v.length !== length || !v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max)) {
      this.fail(key, `an array of ${length} integers in [${min}, ${max}]`);
    }
    return v as number[];
  }

  /** `rows` arrays of `cols` integers each. */
  matrix(key: string, rows: number, cols: number, min: number, max: number): number[][] {
    const v = this.obj[key];
    const ok = (row: unknown) => Array.isArray(row) && row.length === cols && row.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max);
    if (!Array.isArray(v) || v.length !== rows || !v.every(ok)) this.fail(key, `${rows} arrays of ${cols} integers in [${min}, ${max}]`);
    return v as number[][];
  }
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function hexBytes(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i] & 0xff];
  return s;
}

export const MASK64 = (1n << 64n) - 1n;

/** Bytes [lo, lo+size) of a little-endian register value, as an access of `size` bytes sees them. */
export function sliceBytes(value: bigint, lo: number, size: number): bigint {
  return (value >> BigInt(lo * 8)) & ((1n << BigInt(size * 8)) - 1n);
}

/** `old` with bytes [lo, lo+size) replaced by the low bytes of `value`. */
export function mergeBytes(old: bigint, lo: number, size: number, value: bigint): bigint {
  const shift = BigInt(lo * 8);
  const mask = ((1n << BigInt(size * 8)) - 1n) << shift;
  return (old & ~mask) | ((value << shift) & mask);
}
