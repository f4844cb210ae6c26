// CLINT (SiFive core-local interruptor, as on QEMU `virt`) for one hart: the software-interrupt
// register msip and the machine timer mtime/mtimecmp.
//
// mtime is not a counter that something increments: it is computed from the cycle count,
//   mtime = (cycles / cyclesPerTick + offset) mod 2^64,
// so it is exactly as deterministic as the cycle count, costs nothing while the hart runs, and
// a guest write to mtime only changes `offset`. MTIP is a level (mtime >= mtimecmp, unsigned),
// re-evaluated on every access and in update(); the machine calls update() after each run slice
// and uses nextEventCycle() to fast-forward WFI.
//
// Registers may be accessed at any width: each is a little-endian 32- or 64-bit value and an
// access reads or replaces the bytes it covers, so 32-bit halves of mtime/mtimecmp work as RV32
// software expects. (QEMU refuses 1- and 2-byte accesses; the device contract has no fault, so
// they are given the same byte-wise meaning rather than silently ignored.)

import { Device, DeviceHost, MIP } from './device';
import { MASK64, StateReader, mergeBytes, sliceBytes } from './state';

export const CLINT_BASE = 0x0200_0000;
export const CLINT_SIZE = 0x1_0000;
export const CLINT_MSIP = 0x0000;
export const CLINT_MTIMECMP = 0x4000;
export const CLINT_MTIME = 0xbff8;
/** Default cycles per mtime tick: 10 MHz mtime at the nominal 1 GHz core clock (platform.md). */
export const DEFAULT_CYCLES_PER_TICK = 100;

export interface ClintOptions {
  /** Core cycles per mtime tick (a positive integer); default 100. */
  cyclesPerTick?: number;
}

export interface ClintSnapshot {
  msip: number;
  /** u64 values as decimal strings. */
  mtimecmp: string;
  offset: string;
}

type Reg = { start: number; len: 4 | 8 };
const REGS: readonly Reg[] = [
  { start: CLINT_MSIP, len: 4 },
  { start: CLINT_MTIMECMP, len: 8 },
  { start: CLINT_MTIME, len: 8 },
];

export class Clint implements Device {
  readonly name = 'clint';
  readonly base = CLINT_BASE;
  readonly size = CLINT_SIZE;
  readonly cyclesPerTick: number;

  private readonly cpt: bigint;
  private msip = 0;
  private mtimecmp = MASK64;
  /** Added to cycles / cyclesPerTick to give mtime (mod 2^64); set by guest writes to mtime. */
  private offset = 0n;

  constructor(private readonly host: DeviceHost, opts: ClintOptions = {}) {
    const cpt = opts.cyclesPerTick ?? DEFAULT_CYCLES_PER_TICK;
    if (!Number.isSafeInteger(cpt) || cpt < 1) throw new RangeError(`CLINT: cyclesPerTick must be a positive integer, got ${cpt}`);
    this.cyclesPerTick = cpt;
    this.cpt = BigInt(cpt);
  }

  /** The current value of mtime. */
  mtime(): bigint {
    return (this.host.cycles() / this.cpt + this.offset) & MASK64;
  }

  read(offset: number, size: 1 | 2 | 4 | 8): bigint {
    const v = this.peek(offset, size);
    this.update();
    return v;
  }

  peek(offset: number, size: 1 | 2 | 4 | 8): bigint {
    const reg = this.regAt(offset, size);
    if (reg) return sliceBytes(this.regValue(reg), offset - reg.start, size);
    // An access straddling registers (or holes, which read as zero): assemble it byte by byte.
    let v = 0n;
    for (let i = 0; i < size; i++) {
      const r = this.regAt(offset + i, 1);
      if (r) v |= sliceBytes(this.regValue(r), offset + i - r.start, 1) << BigInt(8 * i);
    }
    return v;
  }

  write(offset: number, size: 1 | 2 | 4 | 8, value: bigint): void {
    const reg = this.regAt(offset, size);
    if (reg) this.writeReg(reg, offset - reg.start, size, value);
    else {
      for (let i = 0; i < size; i++) {
        const r = this.regAt(offset + i, 1);
        if (r) this.writeReg(r, offset + i - r.start, 1, value >> BigInt(8 * i));
      }
    }
    this.update();
  }

  update(): void {
    this.host.setInterrupt(MIP.MTIP, this.mtime() >= this.mtimecmp);
  }

  /**
   * The first cycle at which mtime reaches mtimecmp; undefined when it already has (MTIP is
   * pending now, there is no future event) or when that cycle is beyond what the 64-bit cycle
   * counter can count — which is the case for mtimecmp at its reset value of all ones, the
   * usual way of saying "no timer", so WFI with no timer set is reported as idle.
   */
  nextEventCycle(): bigint | undefined {
    const now = this.host.cycles();
    const mtime = (now / this.cpt + this.offset) & MASK64;
    if (mtime >= this.mtimecmp) return undefined;
    // mtime counts up without wrapping until it reaches mtimecmp, ticking at multiples of cpt.
    const at = (now / this.cpt + (this.mtimecmp - mtime)) * this.cpt;
    return at <= MASK64 ? at : undefined;
  }

  snapshot(): ClintSnapshot {
    return { msip: this.msip, mtimecmp: this.mtimecmp.toString(), offset: this.offset.toString() };
  }

  restore(state: unknown): void {
    const r = new StateReader(this.name, state);
    const s = { msip: r.int('msip', 0, 1), mtimecmp: r.u64('mtimecmp'), offset: r.u64('offset') };
    this.msip = s.msip;
    this.mtimecmp = s.mtimecmp;
    this.offset = s.offset;
    // Re-drive both lines so mip agrees with the restored registers.
    this.host.setInterrupt(MIP.MSIP, this.msip !== 0);
    this.update();
  }

  // ---- internals ----------------------------------------------------------------------------

  /** The register that wholly contains [offset, offset+size), if one does. */
  private regAt(offset: number, size: number): Reg | undefined {
    for (const r of REGS) if (offset >= r.start && offset + size <= r.start + r.len) return r;
    return undefined;
  }

  private regValue(r: Reg): bigint {
    switch (r.start) {
      case CLINT_MSIP: return BigInt(this.msip);
      case CLINT_MTIMECMP: return this.mtimecmp;
      default: return this.mtime();
    }
  }

  private writeReg(r: Reg, lo: number, size: number, value: bigint): void {
    const v = mergeBytes(this.regValue(r), lo, size, value);
    switch (r.start) {
      case CLINT_MSIP:
        // Only bit 0 exists (WARL); it is MIP.MSIP of hart 0.
        this.msip = Number(v & 1n);
        this.host.setInterrupt(MIP.MSIP, this.msip !== 0);
        break;
      case CLINT_MTIMECMP:
        this.mtimecmp = v;
        this.host.scheduleChanged?.();
        break;
      default:
        this.offset = (v - this.host.cycles() / this.cpt) & MASK64;
        this.host.scheduleChanged?.();
        break;
    }
  }
}
