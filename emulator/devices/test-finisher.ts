// SiFive test finisher ("sifive,test0", as on QEMU `virt`): the conventional way for bare-metal
// test programs to end a run with a status.

import { Device, DeviceHost } from './device';
import { StateReader } from './state';

export const FINISHER_BASE = 0x0010_0000;
export const FINISHER_SIZE = 0x1000;

/** Low 16 bits of the value written to offset 0. */
export const FINISHER = { FAIL: 0x3333, PASS: 0x5555, RESET: 0x7777 } as const;

export class TestFinisher implements Device {
  readonly name = 'test-finisher';
  readonly base = FINISHER_BASE;
  readonly size = FINISHER_SIZE;

  constructor(private readonly host: DeviceHost) {}

  read(_offset: number, _size: 1 | 2 | 4 | 8): bigint { return 0n; }
  peek(_offset: number, _size: 1 | 2 | 4 | 8): bigint { return 0n; }

  /**
   * Only offset 0 is a register: PASS → exit 0; (code << 16) | FAIL → exit code (so FAIL with
   * code 0 exits 0, exactly as QEMU does); RESET → exit 0, because the device contract has no
   * reset request and ending the run is the closest deterministic outcome. Other values are
   * ignored. The value is taken at the access width (a byte write can never say 0x5555).
   */
  write(offset: number, size: 1 | 2 | 4 | 8, value: bigint): void {
    if (offset !== 0) return;
    const v = Number(value & ((1n << BigInt(8 * Math.min(size, 4))) - 1n));
    const status = v & 0xffff;
    const code = v >>> 16;
    if (status === FINISHER.PASS) this.host.exit(0);
    else if (status === FINISHER.FAIL) this.host.exit(code);
    else if (status === FINISHER.RESET) this.host.exit(0);
  }

  snapshot(): Record<string, never> { return {}; }
  restore(state: unknown): void {
    // Stateless; still refuse something that is not a snapshot at all.
    new StateReader(this.name, state);
  }
}
