// A DeviceHost for device tests: a cycle counter the test advances, the mip bits devices drive,
// and the exit codes they request.

import { DeviceHost } from '../../../emulator/devices/device';

export class FakeHost implements DeviceHost {
  now = 0n;
  mip = 0;
  readonly exits: number[] = [];
  /** Every setInterrupt call, for tests that care about the calls rather than the result. */
  readonly interruptCalls: { mask: number; level: boolean }[] = [];

  cycles(): bigint { return this.now; }

  setInterrupt(mask: number, level: boolean): void {
    this.interruptCalls.push({ mask, level });
    this.mip = level ? this.mip | mask : this.mip & ~mask;
  }

  exit(code: number): void { this.exits.push(code); }

  advance(cycles: number | bigint): void { this.now += BigInt(cycles); }

  has(mask: number): boolean { return (this.mip & mask) === mask; }
}
