// The contract between the bus and the board's devices (platform.md): memory-mapped registers,
// interrupt lines, time derived from the cycle count, and snapshots for reverse execution.

/** Interrupt-pending bits of mip that devices drive (privileged spec numbering). */
export const MIP = {
  SSIP: 1 << 1, MSIP: 1 << 3, STIP: 1 << 5, MTIP: 1 << 7, SEIP: 1 << 9, MEIP: 1 << 11,
} as const;

/** What a device may ask of the machine it is plugged into. */
export interface DeviceHost {
  /** Cycles since reset (the timing model's count; instructions when timing is off). */
  cycles(): bigint;
  /** Sets or clears interrupt-pending bits of mip (a mask of MIP values). */
  setInterrupt(mask: number, level: boolean): void;
  /** Ends the run with an exit code (test finisher, HTIF). */
  exit(code: number): void;
  /**
   * The device's next event moved (a guest wrote mtimecmp or mtime): the machine plans its run
   * slice anew, so a timer set for sooner than the slice's end is still taken on time.
   */
  scheduleChanged?(): void;
}

export interface Device {
  readonly name: string;
  /** Physical base address and size of the register window. */
  readonly base: number;
  readonly size: number;
  /** A guest access: may have side effects (reading the UART's receive register pops a byte). */
  read(offset: number, size: 1 | 2 | 4 | 8): bigint;
  write(offset: number, size: 1 | 2 | 4 | 8, value: bigint): void;
  /** A debugger access: the value a read would return, with no side effect. */
  peek(offset: number, size: 1 | 2 | 4 | 8): bigint;
  /** Called when time may have advanced (after a run slice, or before WFI sleeps). */
  update?(): void;
  /** Earliest cycle at which this device will raise an interrupt by itself (for WFI), if any. */
  nextEventCycle?(): bigint | undefined;
  snapshot(): unknown;
  restore(state: unknown): void;
}
