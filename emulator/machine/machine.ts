// The xpc-virt board (platform.md): RAM, the boot ROM and devices on a bus, one hart, the ELF
// loader, and a run loop that stops for an exit, an instruction limit or an idle WFI. Time is
// the cycle count: when the hart waits in WFI the machine skips ahead to the next device event.

import { createBoard, Board } from '../devices';
import { Device, DeviceHost } from '../devices/device';
import { Hart, HartBus, HartState, HartStop } from '../hart/hart';
import { LoadedImage, loadElf } from './loader';
import { DirtyTracker, PAGE_SHIFT, Ram } from './memory';
import { TimingModel } from '../timing/model';
import { TimingOption, TimingParams, timingParams } from '../timing/params';

/**
 * A machine snapshot. RAM is stored incrementally: the pages written since the previous snapshot
 * (a chain back to the first), so taking one costs what the guest touched, not the RAM size.
 */
export interface Snapshot extends CoreState {
  readonly index: number;
  readonly steps: number;
  /** Contents of the pages dirtied since the previous snapshot. */
  readonly pages: ReadonlyMap<number, Uint8Array>;
}

/**
 * Everything of the machine's state but RAM: what a consumer with its own page store (the replay
 * timeline) captures next to the pages.
 */
export interface CoreState {
  readonly hart: HartState;
  readonly devices: readonly unknown[];
  readonly exit?: { code: number; via: 'finisher' | 'htif' };
  /** The step at which the run slice in progress ends (see Machine.run); undefined between slices. */
  readonly sliceEnd?: number;
}

export const RAM_BASE = 0x80000000;
export const DEFAULT_RAM_SIZE = 128 * 1024 * 1024;
export const BOOT_ROM_BASE = 0x1000;

export interface MachineOptions {
  /** RAM size in bytes (multiple of 4 KiB); default 128 MiB. */
  readonly ramSize?: number;
  /** Cycles per CLINT mtime tick; default 100 (10 MHz at a nominal 1 GHz). */
  readonly cyclesPerTick?: number;
  /** Entries of the XPC engine's x-entry cache (0: no cache); default 16. */
  readonly xpcCacheSize?: number;
  /**
   * The timing model (docs/timing.md): 'off' (default here) charges one cycle per instruction and
   * keeps the block tier; a profile charges what a Rocket-like core would, interpreter only.
   */
  readonly timing?: TimingOption;
  /** Overrides of the profile's parameters (cache geometry, miss penalty, ASID bits, …). */
  readonly timingParams?: Partial<TimingParams>;
}

export type StopReason =
  | { readonly kind: 'exit'; readonly code: number; readonly via: 'finisher' | 'htif' }
  | { readonly kind: 'limit' }
  /** WFI with interrupts that no device will ever raise: the guest can make no progress. */
  | { readonly kind: 'idle' }
  /** A debugger condition: breakpoint, watchpoint or trap (see Hart.setBreakpoints & co). */
  | HartStop;

class Bus implements HartBus {
  private readonly devices: readonly Device[];

  constructor(readonly ram: Ram, devices: readonly Device[], private readonly mtime: () => bigint) {
    this.devices = [...devices].sort((a, b) => a.base - b.base);
  }

  private find(pa: number, size: number): Device | undefined {
    for (const d of this.devices) if (pa >= d.base && pa + size <= d.base + d.size) return d;
    return undefined;
  }

  readIo(pa: number, size: 1 | 2 | 4 | 8): bigint | undefined {
    const d = this.find(pa, size);
    return d ? d.read(pa - d.base, size) : undefined;
  }

  writeIo(pa: number, size: 1 | 2 | 4 | 8, value: bigint): boolean {
    const d = this.find(pa, size);
    if (!d) return false;
    d.write(pa - d.base, size, value);
    return true;
  }

  peekIo(pa: number, size: 1 | 2 | 4 | 8): bigint | undefined {
    const d = this.find(pa, size);
    return d ? d.peek(pa - d.base, size) : undefined;
  }

  time(): bigint { return this.mtime(); }
}

export class Machine {
  readonly ram: Ram;
  readonly hart: Hart;
  readonly board: Board;
  readonly bus: Bus;
  image?: LoadedImage;
  private exitCode?: { code: number; via: 'finisher' | 'htif' };
  private readonly snapshots: Snapshot[] = [];
  /** Pages written since the last of this machine's own snapshots. */
  private readonly dirty: DirtyTracker;
  /**
   * The step at which the current run slice ends and the devices are updated. It is part of the
   * state, not of one run() call, so where a caller splits a run (instruction limits, debugger
   * stops, replay from a checkpoint) never changes when a device event is noticed: with a timing
   * profile a slice may pass its event cycle, and the step that notices it must not depend on
   * where the slice began.
   */
  private sliceEnd?: number;

  constructor(opts: MachineOptions = {}) {
    this.ram = new Ram(RAM_BASE, opts.ramSize ?? DEFAULT_RAM_SIZE);
    this.dirty = this.ram.addDirtyTracker();
    const host: DeviceHost = {
      cycles: () => BigInt(this.hart.cycles),
      setInterrupt: (mask, level) => { this.hart.deviceMip = level ? this.hart.deviceMip | mask : this.hart.deviceMip & ~mask; },
      exit: (code) => { this.exitCode ??= { code, via: 'finisher' }; this.hart.stopRequested = true; },
      // End the hart's run after this instruction; run() then plans the slice from the new event.
      scheduleChanged: () => { this.sliceEnd = undefined; this.hart.stopRequested = true; },
    };
    this.board = createBoard(host, { cyclesPerTick: opts.cyclesPerTick, ramBase: RAM_BASE, ramSize: this.ram.size });
    this.bus = new Bus(this.ram, this.board.devices, () => this.board.clint.mtime());
    this.hart = new Hart(this.bus);
    this.hart.xpc.cacheSize = opts.xpcCacheSize ?? 16;
    const timing = opts.timing ?? 'off';
    if (timing !== 'off') this.hart.timing = new TimingModel(timingParams(timing, opts.timingParams), this.hart);
    this.hart.pc = BOOT_ROM_BASE;
    this.hart.onWatchedStore = () => this.checkHtif();
  }

  /** The timing profile in force ('off' or the profile's name), to print with every cycle figure. */
  get timingProfile(): string { return this.hart.timing?.profile ?? 'off'; }

  /** Loads an ELF executable into RAM (all or nothing); throws LoadError with one clear message. */
  load(bytes: Uint8Array, fileName: string): LoadedImage {
    const image = loadElf(bytes, fileName, this.ram);
    // Loaded pages differ from the zeroed RAM a first snapshot compares against.
    for (const seg of image.elf.segments) {
      if (seg.type !== 1 || seg.memsz === 0n) continue;
      const first = (Number(seg.paddr) - this.ram.base) >>> PAGE_SHIFT;
      const last = (Number(seg.paddr) + Number(seg.memsz) - 1 - this.ram.base) >>> PAGE_SHIFT;
      for (let p = first; p <= last; p++) this.ram.dirtyPages[p] = 1;
    }
    this.image = image;
    if (image.tohost !== undefined) {
      this.ram.watchStart = image.tohost - this.ram.base;
      this.ram.watchEnd = this.ram.watchStart + 8;
    }
    this.hart.flushDecodeCache();
    return image;
  }

  /** Writes to the HTIF `tohost` word: (code << 1) | 1 ends the run. */
  private checkHtif(): void {
    const off = this.ram.watchStart;
    const v = this.ram.view;
    const lo = v.getUint32(off, true), hi = v.getUint32(off + 4, true);
    if (lo & 1) {
      const value = (BigInt(hi) << 32n) | BigInt(lo);
      this.exitCode ??= { code: Number((value >> 1n) & 0xffffffffn), via: 'htif' };
      this.hart.stopRequested = true;
    }
  }

  /** Runs until exit, `maxSteps` more steps, or an idle WFI. */
  run(maxSteps = Infinity): StopReason {
    const target = this.hart.steps + maxSteps;
    const SLICE = 100_000;
    for (;;) {
      let exit = this.exitCode;
      if (exit) return { kind: 'exit', ...exit };
      const left = target - this.hart.steps;
      if (left <= 0) return { kind: 'limit' };
      this.hart.stopRequested = false;
      // (A hart state put back from elsewhere may leave a stale slice behind: plan anew then.)
      if (this.sliceEnd === undefined || this.sliceEnd <= this.hart.steps) {
        // End the slice at the next device event, so a timer interrupt is taken on time.
        const next = this.nextEventCycle();
        const untilEvent = next === undefined ? Infinity : Math.max(1, Number(next - BigInt(this.hart.cycles)));
        this.sliceEnd = this.hart.steps + Math.min(SLICE, untilEvent);
      }
      this.hart.run(Math.min(this.sliceEnd - this.hart.steps, left));
      if (this.hart.steps >= this.sliceEnd || this.hart.waiting) {
        this.sliceEnd = undefined;
        for (const d of this.board.devices) d.update?.();
      }
      exit = this.exitCode;
      if (exit) return { kind: 'exit', ...exit };
      if (this.hart.debugStop) return this.hart.debugStop;
      if (this.hart.waiting && !this.skipToNextEvent()) return { kind: 'idle' };
    }
  }

  private nextEventCycle(): bigint | undefined {
    let next: bigint | undefined;
    for (const d of this.board.devices) {
      const t = d.nextEventCycle?.();
      if (t !== undefined && (next === undefined || t < next)) next = t;
    }
    return next;
  }

  /** WFI: advance time to the next device event; false if there is none. */
  private skipToNextEvent(): boolean {
    if (this.hart.mip & this.hart.mie) return true;
    const next = this.nextEventCycle();
    if (next === undefined) return false;
    const now = BigInt(this.hart.cycles);
    if (next > now) this.hart.cycles = Number(next);
    for (const d of this.board.devices) d.update?.();
    return true;
  }

  // ---- Snapshots ----------------------------------------------------------------------------

  /** Hart, devices, exit status and run slice: the state apart from RAM. */
  captureCore(): CoreState {
    return {
      hart: this.hart.captureState(), devices: this.board.devices.map((d) => d.snapshot()),
      exit: this.exitCode ? { ...this.exitCode } : undefined, sliceEnd: this.sliceEnd,
    };
  }

  /** Puts back what captureCore took (RAM is the caller's business; the decode cache is dropped). */
  restoreCore(s: CoreState): void {
    this.board.devices.forEach((d, i) => d.restore(s.devices[i]));
    this.hart.restoreState(s.hart);
    this.exitCode = s.exit ? { ...s.exit } : undefined;
    this.sliceEnd = s.sliceEnd;
  }

  /** Takes a snapshot of the whole machine (hart, devices, RAM pages written since the last one). */
  snapshot(): Snapshot {
    const ram = this.ram;
    const pages = new Map<number, Uint8Array>();
    ram.collectDirty();
    for (const p of this.dirty.pages()) pages.set(p, ram.bytes.slice(p << PAGE_SHIFT, (p + 1) << PAGE_SHIFT));
    this.dirty.clear();
    const snap: Snapshot = { index: this.snapshots.length, steps: this.hart.steps, ...this.captureCore(), pages };
    this.snapshots.push(snap);
    return snap;
  }

  /**
   * Returns the machine to a snapshot taken by this machine. Snapshots taken after it are
   * dropped: running on re-creates that history deterministically.
   */
  restore(snap: Snapshot): void {
    if (this.snapshots[snap.index] !== snap) throw new Error('restore: not a snapshot of this machine (or one already dropped)');
    const ram = this.ram;
    // Pages changed after the snapshot: dirty now, or saved by a later snapshot.
    const changed = new Set<number>();
    ram.collectDirty();
    for (const p of this.dirty.pages()) changed.add(p);
    for (let i = snap.index + 1; i < this.snapshots.length; i++) for (const p of this.snapshots[i].pages.keys()) changed.add(p);
    for (const p of changed) {
      let content: Uint8Array | undefined;
      for (let i = snap.index; i >= 0 && !content; i--) content = this.snapshots[i].pages.get(p);
      if (content) ram.bytes.set(content, p << PAGE_SHIFT);
      else ram.bytes.fill(0, p << PAGE_SHIFT, (p + 1) << PAGE_SHIFT);
      // Changed for every other consumer of dirty pages; not for this one (it matches the snapshot).
      ram.dirtyPages[p] = 1;
    }
    ram.collectDirty();
    this.dirty.clear();
    this.snapshots.length = snap.index + 1;
    this.restoreCore(snap);
  }

  // ---- Debugger access without side effects ---------------------------------------------------

  /** Physical memory as the guest would read it, without device side effects; undefined where nothing is mapped. */
  readPhysical(pa: number, length: number): Uint8Array | undefined {
    const off = this.ram.offset(pa, length);
    if (off >= 0) return this.ram.bytes.slice(off, off + length);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const b = this.bus.peekIo(pa + i, 1);
      if (b === undefined) return undefined;
      out[i] = Number(b & 0xffn);
    }
    return out;
  }

  /**
   * Virtual memory through a chosen satp (default: the current one), page by page, without side
   * effects. Bytes of unmapped pages are undefined.
   */
  readVirtual(va: number, length: number, satp: bigint = this.hart.satp): (number | undefined)[] {
    const out: (number | undefined)[] = [];
    for (let i = 0; i < length; i++) {
      const pa = this.hart.peekTranslate(va + i, satp);
      const b = pa === undefined ? undefined : this.readPhysical(pa, 1);
      out.push(b?.[0]);
    }
    return out;
  }

  /** Writes physical RAM for the debugger (device registers are not writable this way). */
  writePhysical(pa: number, data: Uint8Array): boolean {
    const off = this.ram.offset(pa, data.length);
    if (off < 0) return false;
    this.ram.bytes.set(data, off);
    for (let p = off >>> PAGE_SHIFT; p <= (off + data.length - 1) >>> PAGE_SHIFT; p++) this.ram.dirtyPages[p] = 1;
    this.hart.flushDecodeCache();
    return true;
  }

  /**
   * Input from the host to the guest's console (queued at the UART, as a terminal would send it).
   * It records nothing: a replay timeline that wraps this machine logs it (Timeline.input).
   */
  injectUartInput(bytes: Uint8Array): void {
    this.board.uart.pushInput(bytes);
  }

  /** Bytes the guest wrote to the UART are handed to `fn` as they come. */
  onUartOutput(fn: (byte: number) => void): void {
    this.board.uart.onOutput = fn;
  }
}
