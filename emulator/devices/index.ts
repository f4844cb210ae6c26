// The board's devices (platform.md) and the one place that wires them together.

import { BootRom } from './boot-rom';
import { Clint } from './clint';
import { Device, DeviceHost } from './device';
import { Plic } from './plic';
import { TestFinisher } from './test-finisher';
import { UART_IRQ, Uart16550 } from './uart16550';

export * from './device';
export * from './boot-rom';
export * from './clint';
export * from './plic';
export * from './test-finisher';
export * from './uart16550';
export { SnapshotError } from './state';

export interface BoardOptions {
  /** Core cycles per mtime tick; default 100 (10 MHz at a nominal 1 GHz). */
  cyclesPerTick?: number;
  /** RAM placement, as stated in the boot info; default 0x8000_0000, 128 MiB. */
  ramBase?: number;
  ramSize?: number;
  /** Where the boot ROM jumps; default ramBase. */
  entry?: number;
}

export interface Board {
  uart: Uart16550;
  clint: Clint;
  plic: Plic;
  finisher: TestFinisher;
  bootRom: BootRom;
  /** Every device, sorted by base address (for the bus). */
  devices: Device[];
}

export function createBoard(host: DeviceHost, opts: BoardOptions = {}): Board {
  const uart = new Uart16550();
  const clint = new Clint(host, { cyclesPerTick: opts.cyclesPerTick });
  const plic = new Plic(host);
  const finisher = new TestFinisher(host);
  const bootRom = new BootRom({ ramBase: opts.ramBase, ramSize: opts.ramSize, entry: opts.entry, cyclesPerTick: opts.cyclesPerTick });
  uart.onIrq = (level) => plic.setSourceLevel(UART_IRQ, level);
  const devices: Device[] = [uart, clint, plic, finisher, bootRom].sort((a, b) => a.base - b.base);
  return { uart, clint, plic, finisher, bootRom, devices };
}
