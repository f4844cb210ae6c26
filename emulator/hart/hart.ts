// The hart: RV64IMAC + Zicsr + Zifencei, M/S/U privilege, traps, interrupts and Sv39.
//
// Representation (chosen for V8, see shared/reference/emulator-anchors.md §2.4): the integer
// registers are int32 (lo, hi) pairs in one Int32Array, x[2r] = low half, x[2r+1] = high half;
// virtual and physical addresses are JS numbers (valid Sv39 addresses are 39-bit sign-extended,
// physical ones below 2^56: both exact in a double). Instructions are decoded once per physical
// halfword into typed arrays (decoded.ts) and dispatched by a switch over a const enum.

import { Op } from './op.generated';
import { DecodedPage, ExecForm, InstalledBlock, decodeExec } from './decoded';
import { compileBlock } from './block-compiler';
import { XpcEngine, XpcMemory, XpcSnapshot } from './xpc';
import type { TimingModel, TimingState } from '../timing/model';
import { Cause, Trap } from './trap';
import { Ram, PAGE_SHIFT } from '../machine/memory';
import { csrByNumber } from '../isa/csrs';

/** Physical memory and devices as the hart sees them. */
export interface HartBus {
  readonly ram: Ram;
  /** A device read, or undefined when nothing answers at `pa` (access fault). */
  readIo(pa: number, size: 1 | 2 | 4 | 8): bigint | undefined;
  /** A device write; false when nothing answers at `pa`. */
  writeIo(pa: number, size: 1 | 2 | 4 | 8, value: bigint): boolean;
  /** The CLINT's mtime, for the `time` CSR. */
  time(): bigint;
}

export const enum Priv { U = 0, S = 1, M = 3 }

// mstatus bits.
const SIE = 1 << 1, MIE = 1 << 3, SPIE = 1 << 5, MPIE = 1 << 7, SPP = 1 << 8, MPP_SHIFT = 11, MPP = 3 << 11;
const MPRV = 1 << 17, SUM = 1 << 18, MXR = 1 << 19, TVM = 1 << 20, TW = 1 << 21, TSR = 1 << 22;
const MSTATUS_WRITABLE = SIE | MIE | SPIE | MPIE | SPP | MPP | MPRV | SUM | MXR | TVM | TW | TSR;
const SSTATUS_MASK = SIE | SPIE | SPP | SUM | MXR;
/** UXL = SXL = 2 (64-bit), read-only. */
const MSTATUS_XL = (2n << 32n) | (2n << 34n);

// Interrupt bits (mip/mie).
const SSI = 1 << 1, MSI = 1 << 3, STI = 1 << 5, MTI = 1 << 7, SEI = 1 << 9, MEI = 1 << 11;
const S_INTERRUPTS = SSI | STI | SEI;
/** Taken in this order when several are pending (privileged spec 3.1.9). */
const INTERRUPT_PRIORITY = [11, 3, 7, 9, 1, 5];
/** Exceptions that may be delegated to S (XPC's 24–29 included; 11, M-mode ecall, never). */
const MEDELEG_WRITABLE = 0xb3ff | (0x3f << 24);

const MISA = (2n << 62n) | BigInt((1 << 0) | (1 << 2) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20)); // A C I M S U

const TWO32 = 4294967296;

// Access types for translation.
const FETCH = 0, LOAD = 1, STORE = 2;

/** A PTE's bits. */
const PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_G = 32, PTE_A = 64, PTE_D = 128;

const TLB_SIZE = 256;

/** Outcomes of Hart.beforeStep. */
const STEP_EXECUTE = 0, STEP_INTERRUPT = 1, STEP_BREAKPOINT = 2;

export interface TrapEvent {
  readonly cause: number;
  readonly interrupt: boolean;
  readonly tval: bigint;
  readonly epc: bigint;
  readonly fromPriv: Priv;
  readonly toPriv: Priv;
}

export interface HartState {
  readonly x: Int32Array; readonly pc: number; readonly priv: Priv;
  readonly steps: number; readonly retired: number; readonly cycles: number;
  readonly instretBase: bigint; readonly cycleBase: bigint;
  readonly mstatus: number; readonly medeleg: number; readonly mideleg: number; readonly mie: number;
  readonly mipSw: number; readonly deviceMip: number;
  readonly mtvec: bigint; readonly stvec: bigint; readonly mepc: bigint; readonly sepc: bigint;
  readonly mscratch: bigint; readonly sscratch: bigint; readonly mcause: bigint; readonly scause: bigint;
  readonly mtval: bigint; readonly stval: bigint; readonly satp: bigint;
  readonly mcounteren: number; readonly scounteren: number;
  readonly plainCsrs: ReadonlyMap<number, bigint>;
  readonly reservation: number;
  readonly tlb: { readonly tag: Float64Array; readonly asid: Int32Array; readonly pte: Int32Array; readonly base: Float64Array; readonly pteAddr: Float64Array };
  readonly xpc: XpcSnapshot;
  /** The timing model's caches, TLBs, predictor and scoreboard (absent with timing off). */
  readonly timing?: TimingState;
}

/** Why the hart stopped on its own before its budget ran out (debugger conditions). */
export type HartStop =
  | { readonly kind: 'breakpoint'; readonly pc: number }
  | {
    readonly kind: 'watchpoint'; readonly pa: number; readonly size: number; readonly access: 'read' | 'write'; readonly pc: number;
    /** Set when the hardware wrote on behalf of the instruction at `pc` rather than its own access. */
    readonly writer?: HardwareWriter;
  }
  | { readonly kind: 'trap'; readonly cause: number; readonly interrupt: boolean };

/**
 * Writes to memory that are not an instruction's own store: the XPC engine's (the linkage record
 * of an xcall, its VALID flag cleared by xret, the seg-list slot of a swapseg) and the page
 * walker's A/D bits. Watchpoints see them as writes by the instruction that caused them.
 */
export type HardwareWriter = 'xcall' | 'xret' | 'swapseg' | 'page walker';

export interface Watchpoint { readonly start: number; readonly end: number; readonly read: boolean; readonly write: boolean }

export class Hart {
  /** x[2r] = low 32 bits, x[2r+1] = high 32 bits of register r. */
  readonly x = new Int32Array(64);
  pc = 0;
  priv: Priv = Priv.M;
  /** The machine's clock: every step (retired instruction, exception, interrupt). */
  steps = 0;
  /** Retired instructions (minstret) and cycles (mcycle) relative to their writable bases. */
  private instretBase = 0n;
  private cycleBase = 0n;
  retired = 0;
  /** Cycles charged so far; with timing off, one per retired instruction. */
  cycles = 0;
  /**
   * The timing model (emulator/timing), or undefined with timing off. When set, run() takes the
   * timed loop: each step charged by the model, hot code in timed compiled blocks.
   */
  timing?: TimingModel;

  mstatus = 0;
  medeleg = 0;
  mideleg = 0;
  mie = 0;
  /** Software-writable pending bits; device-driven ones come from `deviceMip`. */
  private mipSw = 0;
  deviceMip = 0;
  mtvec = 0n; stvec = 0n;
  mepc = 0n; sepc = 0n;
  mscratch = 0n; sscratch = 0n;
  mcause = 0n; scause = 0n;
  mtval = 0n; stval = 0n;
  satp = 0n;
  /** satp.MODE is Sv39 (cached: the translation fast path must not do bigint arithmetic). */
  private sv39 = false;
  private asid = 0;
  mcounteren = 0; scounteren = 0;
  /** CSRs without behaviour of their own here (XPC registers until the XPC engine, PMP, …). */
  readonly plainCsrs = new Map<number, bigint>();

  /** LR/SC reservation: physical address, or -1. */
  private reservation = -1;
  /** Set by WFI when nothing is pending: the machine decides how to pass the time. */
  waiting = false;
  /** Set by the machine (an exit device, a debugger stop): the run loop ends after this step. */
  stopRequested = false;

  // Debugger conditions. `debugActive` is the only cost on the hot path when none is set.
  private debugActive = false;
  /** Breakpoints are the only debugger condition: blocks that cover none may run (blockFreeOfBreakpoints). */
  private blocksWithBreakpoints = false;
  private bpEpoch = 0;
  /** Virtual breakpoints: pc → the ASIDs it applies to (undefined: any address space). */
  private readonly breakpoints = new Map<number, Set<number> | undefined>();
  /** Physical breakpoints: the physical address of the instruction. */
  private readonly physBreakpoints = new Set<number>();
  private watchpoints: Watchpoint[] = [];
  private trapStops = new Set<number>();
  /** Why the last run() returned early for a debugger condition. */
  debugStop?: HartStop;
  /** Skip the breakpoint at the current pc once (resuming from it). */
  private resumeFrom = NaN;

  // Translation.
  private readonly tlbTag = new Float64Array(TLB_SIZE).fill(NaN);
  private readonly tlbAsid = new Int32Array(TLB_SIZE);
  private readonly tlbPte = new Int32Array(TLB_SIZE);
  private readonly tlbPpnBase = new Float64Array(TLB_SIZE);
  /** Physical address of the leaf PTE, to set A/D without a new walk. */
  private readonly tlbPteAddr = new Float64Array(TLB_SIZE);

  // Decode cache and the current fetch page.
  private readonly ramPages = new Map<number, DecodedPage>();
  private readonly ioPages = new Map<number, DecodedPage>();
  private fetchVBase = NaN;
  private fetchPage: DecodedPage | undefined;
  private fetchPBase = 0;
  private readonly scratch: ExecForm = { op: 0, rd: 0, rs1: 0, rs2: 0, imm: 0, len: 4 };

  // Result of the last load (read by compiled blocks too).
  lo = 0;
  hi = 0;
  /** Set by an access that must end a compiled block (a device, or code being overwritten). */
  blockBreak = false;
  /** A timed block threw: the trap's instruction is on the current fetch page (runTimed's catch). */
  private blockFault = false;
  /** Executions of an instruction before the block starting there is compiled; 0 turns the block tier off. */
  jitThreshold = 64;

  onTrap?: (e: TrapEvent) => void;
  /** A store touched RAM's watched range (HTIF tohost). */
  onWatchedStore?: () => void;
  onSatpWrite?: (satp: bigint) => void;

  /** The XPC engine: its registers, x-entry cache and instructions. */
  readonly xpc: XpcEngine;

  constructor(readonly bus: HartBus) {
    const ram = bus.ram;
    const mem: XpcMemory = {
      readFields: (pa, count) => {
        const off = ram.offset(pa, count * 8);
        if (off < 0) return undefined;
        const out: bigint[] = [];
        for (let i = 0; i < count; i++) out.push(ram.view.getBigUint64(off + 8 * i, true));
        return out;
      },
      writeFields: (pa, fields, by) => {
        const off = ram.offset(pa, fields.length * 8);
        if (off < 0) return false;
        fields.forEach((f, i) => ram.view.setBigUint64(off + 8 * i, BigInt.asUintN(64, f), true));
        this.noteStore(off, fields.length * 8);
        if (this.debugActive) this.checkWatch(pa, fields.length * 8, true, by);
        return true;
      },
      readByte: (pa) => { const off = ram.offset(pa, 1); return off < 0 ? undefined : ram.bytes[off]; },
      canWrite: (pa, size) => ram.offset(pa, size) >= 0,
    };
    this.xpc = new XpcEngine(mem);
  }

  /** Switches satp as xcall/xret do: the TLB keeps its entries (they are ASID-tagged). */
  private switchSatp(v: bigint): void {
    this.satp = BigInt.asUintN(64, v) & ((0xfn << 60n) | (0xffffn << 44n) | 0xfffffffffffn);
    this.sv39 = this.satp >> 60n === 8n;
    this.asid = Number((this.satp >> 44n) & 0xffffn);
    this.fetchVBase = NaN;
    this.onSatpWrite?.(this.satp);
  }

  get mip(): number { return this.mipSw | this.deviceMip; }

  // ---- Debugger conditions ------------------------------------------------------------------

  /**
   * Stops before executing an instruction: at a virtual pc (in any address space, or only while
   * satp's ASID is one of `asids`), or at a physical address whatever maps it.
   */
  setBreakpoints(list: Iterable<number | { pc: number; asid?: number } | { pa: number }>): void {
    this.breakpoints.clear();
    this.physBreakpoints.clear();
    for (const b of list) {
      if (typeof b === 'number') { this.breakpoints.set(b, undefined); continue; }
      if ('pa' in b) { this.physBreakpoints.add(b.pa); continue; }
      if (b.asid === undefined) { this.breakpoints.set(b.pc, undefined); continue; }
      if (this.breakpoints.has(b.pc) && this.breakpoints.get(b.pc) === undefined) continue;
      const set = this.breakpoints.get(b.pc) ?? new Set<number>();
      set.add(b.asid);
      this.breakpoints.set(b.pc, set);
    }
    this.updateDebugActive();
  }

  private atBreakpoint(): boolean {
    if (this.pc === this.resumeFrom) return false;
    if (this.breakpoints.has(this.pc)) {
      const asids = this.breakpoints.get(this.pc);
      if (!asids || asids.has(this.asid)) return true;
    }
    if (this.physBreakpoints.size) {
      try {
        this.fetchSlot();
        if (this.physBreakpoints.has(this.fetchPBase + (this.pc & 4095))) return true;
      } catch {
        // The fetch faults: no instruction is there to stop at; the step takes the trap.
      }
    }
    return false;
  }

  /** Stops after an access touching a physical range (reads and/or writes). */
  setWatchpoints(list: readonly Watchpoint[]): void {
    this.watchpoints = [...list];
    this.updateDebugActive();
  }

  /** Stops after taking a trap with one of these causes (interrupts as 0x8000_0000 | code; -1: any trap). */
  setTrapStops(causes: Iterable<number>): void {
    this.trapStops = new Set(causes);
  }

  private updateDebugActive(): void {
    this.debugActive = this.breakpoints.size > 0 || this.physBreakpoints.size > 0 || this.watchpoints.length > 0;
    // With virtual breakpoints only, compiled blocks still run where they cover none of them.
    this.blocksWithBreakpoints = this.physBreakpoints.size === 0 && this.watchpoints.length === 0;
    this.bpEpoch++;
  }

  /** Whether a compiled block (starting at `slot` of the fetch page) covers no breakpoint; cached per block. */
  private blockFreeOfBreakpoints(blk: InstalledBlock, slot: number): boolean {
    if (blk.bpEpoch !== this.bpEpoch) {
      const lo = this.fetchVBase + slot * 2, hi = this.fetchVBase + blk.end * 2;
      blk.bpFree = true;
      for (const a of this.breakpoints.keys()) if (a >= lo && a < hi) { blk.bpFree = false; break; }
      blk.bpEpoch = this.bpEpoch;
    }
    return blk.bpFree === true;
  }

  private checkWatch(pa: number, size: number, write: boolean, writer?: HardwareWriter): void {
    for (const w of this.watchpoints) {
      if ((write ? w.write : w.read) && pa < w.end && pa + size > w.start) {
        this.debugStop = writer
          ? { kind: 'watchpoint', pa, size, access: 'write', pc: this.pc, writer }
          : { kind: 'watchpoint', pa, size, access: write ? 'write' : 'read', pc: this.pc };
        this.stopRequested = true;
        return;
      }
    }
  }

  // ---- Snapshots ----------------------------------------------------------------------------

  /**
   * Everything architectural or that can change behaviour: registers, CSRs, the reservation and
   * the TLB (a stale entry the guest never flushed must stay stale after a restore). The decode
   * cache is not included: stores keep it exact, and a restore drops it.
   */
  captureState(): HartState {
    return {
      x: this.x.slice(), pc: this.pc, priv: this.priv, steps: this.steps, retired: this.retired, cycles: this.cycles,
      instretBase: this.instretBase, cycleBase: this.cycleBase,
      mstatus: this.mstatus, medeleg: this.medeleg, mideleg: this.mideleg, mie: this.mie, mipSw: this.mipSw, deviceMip: this.deviceMip,
      mtvec: this.mtvec, stvec: this.stvec, mepc: this.mepc, sepc: this.sepc, mscratch: this.mscratch, sscratch: this.sscratch,
      mcause: this.mcause, scause: this.scause, mtval: this.mtval, stval: this.stval, satp: this.satp,
      mcounteren: this.mcounteren, scounteren: this.scounteren, plainCsrs: new Map(this.plainCsrs),
      reservation: this.reservation,
      tlb: { tag: this.tlbTag.slice(), asid: this.tlbAsid.slice(), pte: this.tlbPte.slice(), base: this.tlbPpnBase.slice(), pteAddr: this.tlbPteAddr.slice() },
      xpc: this.xpc.capture(),
      timing: this.timing?.capture(),
    };
  }

  restoreState(s: HartState): void {
    this.x.set(s.x); this.pc = s.pc; this.priv = s.priv; this.steps = s.steps; this.retired = s.retired; this.cycles = s.cycles;
    this.instretBase = s.instretBase; this.cycleBase = s.cycleBase;
    this.mstatus = s.mstatus; this.medeleg = s.medeleg; this.mideleg = s.mideleg; this.mie = s.mie; this.mipSw = s.mipSw; this.deviceMip = s.deviceMip;
    this.mtvec = s.mtvec; this.stvec = s.stvec; this.mepc = s.mepc; this.sepc = s.sepc; this.mscratch = s.mscratch; this.sscratch = s.sscratch;
    this.mcause = s.mcause; this.scause = s.scause; this.mtval = s.mtval; this.stval = s.stval;
    this.satp = s.satp;
    this.sv39 = s.satp >> 60n === 8n;
    this.asid = Number((s.satp >> 44n) & 0xffffn);
    this.mcounteren = s.mcounteren; this.scounteren = s.scounteren;
    this.plainCsrs.clear();
    for (const [k, v] of s.plainCsrs) this.plainCsrs.set(k, v);
    this.reservation = s.reservation;
    this.tlbTag.set(s.tlb.tag); this.tlbAsid.set(s.tlb.asid); this.tlbPte.set(s.tlb.pte); this.tlbPpnBase.set(s.tlb.base); this.tlbPteAddr.set(s.tlb.pteAddr);
    this.xpc.restore(s.xpc);
    if (this.timing && s.timing) this.timing.restore(s.timing);
    this.waiting = false;
    this.stopRequested = false;
    this.flushDecodeCache();
  }

  // ---- Registers ----------------------------------------------------------------------------

  getReg(r: number): bigint {
    return BigInt.asIntN(64, (BigInt(this.x[2 * r + 1]) << 32n) | BigInt(this.x[2 * r] >>> 0));
  }

  setReg(r: number, v: bigint): void {
    if (r === 0) return;
    this.x[2 * r] = Number(BigInt.asIntN(32, v));
    this.x[2 * r + 1] = Number(BigInt.asIntN(32, v >> 32n));
  }

  get pcBig(): bigint { return BigInt(this.pc); }

  // ---- The run loop -------------------------------------------------------------------------

  /**
   * What happens at an instruction boundary before the next step, shared by both run loops: an
   * interrupt is taken (and counts as the step), a breakpoint stops the run, or the step executes.
   */
  private beforeStep(): number {
    if ((this.mipSw | this.deviceMip) & this.mie && this.takePendingInterrupt()) {
      this.steps++;
      return STEP_INTERRUPT;
    }
    if (this.debugActive) {
      if (this.atBreakpoint()) {
        this.debugStop = { kind: 'breakpoint', pc: this.pc };
        return STEP_BREAKPOINT;
      }
      this.resumeFrom = NaN;
    }
    return STEP_EXECUTE;
  }

  /** Runs up to `budget` steps; returns how many were taken (fewer when WFI sleeps or a stop is requested). */
  run(budget: number): number {
    const start = this.steps;
    const target = this.steps + budget;
    this.waiting = false;
    // Resuming from a breakpoint executes its instruction instead of stopping again.
    if (this.debugStop?.kind === 'breakpoint' && this.debugStop.pc === this.pc) this.resumeFrom = this.pc;
    this.debugStop = undefined;
    // One branch per slice, none per instruction: timing off keeps the loop below unchanged.
    if (this.timing) return this.runTimed(this.timing, start, target);
    // The try sits outside the inner loop: entering a try block per instruction costs.
    while (this.steps < target) {
      try {
        while (this.steps < target) {
          const b = this.beforeStep();
          if (b === STEP_INTERRUPT) {
            if (this.stopRequested) return this.steps - start;
            continue;
          }
          if (b === STEP_BREAKPOINT) return this.steps - start;
          if ((!this.debugActive || this.blocksWithBreakpoints) && this.jitThreshold > 0 && this.runBlock(target)) {
            if (this.stopRequested) return this.steps - start;
            continue;
          }
          this.execute();
          this.retired++;
          this.cycles++;
          this.steps++;
          if (this.waiting || this.stopRequested) return this.steps - start;
        }
      } catch (e) {
        if (!(e instanceof Trap)) throw e;
        this.cycles++;
        this.takeTrap(e.cause, false, e.tval);
        this.steps++;
        if (this.stopRequested) return this.steps - start;
      }
    }
    return this.steps - start;
  }

  /**
   * run() with a timing model: the same steps in the same order (timing never changes behaviour),
   * each step charged what the model says instead of one cycle (charged after it executes: a
   * cycle CSR read sees the count before its own instruction). Hot code runs in timed blocks,
   * which charge exactly what the model's retire would, instruction by instruction.
   */
  private runTimed(t: TimingModel, start: number, target: number): number {
    t.begin();
    const x = this.x;
    // The physical address of the instruction being executed, for a trap to charge its fetch.
    let fetched = -1;
    while (this.steps < target) {
      try {
        while (this.steps < target) {
          const b = this.beforeStep();
          if (b === STEP_INTERRUPT) {
            this.cycles += t.trap(this.pc, -1);
            if (this.stopRequested) return this.steps - start;
            continue;
          }
          if (b === STEP_BREAKPOINT) return this.steps - start;
          if ((!this.debugActive || this.blocksWithBreakpoints) && this.jitThreshold > 0 && this.runTimedBlock(t, target)) {
            if (this.stopRequested) return this.steps - start;
            continue;
          }
          const pc = this.pc;
          const slot = this.fetchSlot();
          const page = this.fetchPage!;
          const pa = this.fetchPBase + (pc & 4095);
          const op = page.op[slot], rd = page.rd[slot], rs1 = page.rs1[slot], rs2 = page.rs2[slot];
          const len = page.len[slot] || (((page.bits[slot] & 3) === 3) ? 4 : 2);
          // Operands as they were before the instruction overwrote rd.
          const alo = x[rs1 << 1], ahi = x[(rs1 << 1) + 1], blo = x[rs2 << 1], bhi = x[(rs2 << 1) + 1];
          if (t.beforeExecuteOps[op]) t.beforeExecute(op, alo, ahi, this.priv);
          t.pc = pc; t.pa = pa;
          fetched = pa;
          this.execute();
          fetched = -1;
          this.retired++;
          this.cycles += t.retire(len, op, rd, rs1, rs2, page.imm[slot], alo, ahi, blo, bhi);
          this.steps++;
          if (this.waiting || this.stopRequested) return this.steps - start;
        }
      } catch (e) {
        if (!(e instanceof Trap)) throw e;
        // A fault inside a timed block: the faulting instruction is on the block's page.
        if (this.blockFault) { fetched = this.fetchPBase + (this.pc & 4095); this.blockFault = false; }
        this.cycles += t.trap(this.pc, fetched);
        fetched = -1;
        this.takeTrap(e.cause, false, e.tval);
        this.steps++;
        if (this.stopRequested) return this.steps - start;
      }
    }
    return this.steps - start;
  }

  /** runBlock for the timed loop: timed blocks, which charge their own cycles. */
  private runTimedBlock(t: TimingModel, target: number): boolean {
    const slot = this.fetchSlot();
    const page = this.fetchPage!;
    const blk = page.timedBlocks?.[slot];
    // A block bakes in the model's parameters: one compiled for another model is stale.
    if (blk && blk.vbase === this.fetchVBase && blk.params === t.params) {
      if (target - this.steps < blk.length) return false;
      if (this.debugActive && !this.blockFreeOfBreakpoints(blk, slot)) return false;
      this.blockBreak = false;
      let k: number;
      try {
        k = blk.fn(this, this.x, target - this.steps, t);
      } catch (e) {
        this.blockFault = true;
        throw e;
      }
      this.steps += k; this.retired += k;
      return true;
    }
    this.countHeat(page, slot, t);
    return false;
  }

  /** Runs the compiled block at pc if there is one that fits the budget; counts heat otherwise. */
  private runBlock(target: number): boolean {
    const slot = this.fetchSlot();
    const page = this.fetchPage!;
    const blk = page.blocks?.[slot];
    if (blk && blk.vbase === this.fetchVBase) {
      if (target - this.steps < blk.length) return false;
      if (this.debugActive && !this.blockFreeOfBreakpoints(blk, slot)) return false;
      this.blockBreak = false;
      // The block sets cycles before its accesses (a device may read them): count from here.
      const c0 = this.cycles;
      const k = blk.fn(this, this.x, target - this.steps);
      this.steps += k; this.retired += k; this.cycles = c0 + k;
      return true;
    }
    this.countHeat(page, slot);
    return false;
  }

  /**
   * Counts an interpreted start at `slot`; once it is hot, compiles the block starting there
   * (timed for `t`'s parameters when given) and installs it in the page's untimed or timed table.
   */
  private countHeat(page: DecodedPage, slot: number, t?: TimingModel): void {
    if (++page.heat[slot] < this.jitThreshold) return;
    page.heat[slot] = 0;
    const compiled = compileBlock(page, slot, this.fetchVBase, t && { params: t.params, pbase: this.fetchPBase });
    if (!compiled) return;
    const blk: InstalledBlock = { fn: compiled.fn, length: compiled.length, vbase: this.fetchVBase, end: compiled.endSlot, params: t?.params };
    if (t) (page.timedBlocks ??= new Array(2048))[slot] = blk;
    else (page.blocks ??= new Array(2048))[slot] = blk;
    (page.covered ??= new Uint8Array(2048)).fill(1, slot, compiled.endSlot);
  }

  // ---- Traps and interrupts -----------------------------------------------------------------

  /** Takes the highest-priority enabled pending interrupt, if any. */
  private takePendingInterrupt(): boolean {
    const pending = this.mip & this.mie;
    const mEnabled = this.priv < Priv.M || (this.mstatus & MIE) !== 0;
    const sEnabled = this.priv < Priv.S || (this.priv === Priv.S && (this.mstatus & SIE) !== 0);
    const m = mEnabled ? pending & ~this.mideleg : 0;
    const s = sEnabled ? pending & this.mideleg : 0;
    const take = m || s;
    if (!take) return false;
    for (const code of INTERRUPT_PRIORITY) {
      if (take & (1 << code)) {
        this.takeTrap(code, true, 0n);
        return true;
      }
    }
    return false;
  }

  takeTrap(cause: number, interrupt: boolean, tval: bigint): void {
    const from = this.priv;
    const deleg = from <= Priv.S && (((interrupt ? this.mideleg : this.medeleg) >>> cause) & 1) === 1;
    const epc = BigInt.asUintN(64, BigInt(this.pc));
    const causeValue = (interrupt ? 1n << 63n : 0n) | BigInt(cause);
    this.reservation = -1;
    if (deleg) {
      this.sepc = epc; this.scause = causeValue; this.stval = tval;
      let st = this.mstatus;
      st = (st & ~SPP) | (from === Priv.S ? SPP : 0);
      st = (st & ~SPIE) | (st & SIE ? SPIE : 0);
      this.mstatus = st & ~SIE;
      this.priv = Priv.S;
      this.pc = this.vector(this.stvec, interrupt, cause);
    } else {
      this.mepc = epc; this.mcause = causeValue; this.mtval = tval;
      let st = this.mstatus;
      st = (st & ~MPP) | (from << MPP_SHIFT);
      st = (st & ~MPIE) | (st & MIE ? MPIE : 0);
      this.mstatus = st & ~MIE;
      this.priv = Priv.M;
      this.pc = this.vector(this.mtvec, interrupt, cause);
    }
    this.fetchVBase = NaN;
    this.onTrap?.({ cause, interrupt, tval, epc, fromPriv: from, toPriv: this.priv });
    if (this.trapStops.size && (this.trapStops.has(-1) || this.trapStops.has(interrupt ? (0x80000000 | cause) >>> 0 : cause))) {
      this.debugStop = { kind: 'trap', cause, interrupt };
      this.stopRequested = true;
    }
  }

  private vector(tvec: bigint, interrupt: boolean, cause: number): number {
    const base = Number(BigInt.asIntN(64, tvec & ~3n));
    return interrupt && (tvec & 3n) === 1n ? base + 4 * cause : base;
  }

  // ---- Address translation ------------------------------------------------------------------

  flushTlb(va?: number, asid?: number): void {
    for (let i = 0; i < TLB_SIZE; i++) {
      if (Number.isNaN(this.tlbTag[i])) continue;
      const global = (this.tlbPte[i] & PTE_G) !== 0;
      if (va !== undefined && this.tlbTag[i] !== Math.floor(va / 4096)) continue;
      if (asid !== undefined && (global || this.tlbAsid[i] !== asid)) continue;
      this.tlbTag[i] = NaN;
    }
    this.fetchVBase = NaN;
  }

  /** Effective privilege of loads and stores (MPRV). */
  private dataPriv(): Priv {
    return this.priv === Priv.M && (this.mstatus & MPRV) !== 0 ? ((this.mstatus & MPP) >>> MPP_SHIFT) as Priv : this.priv;
  }

  private pageFault(access: number, va: number): Trap {
    return new Trap(access === FETCH ? Cause.InstructionPageFault : access === LOAD ? Cause.LoadPageFault : Cause.StorePageFault, BigInt(va));
  }

  private accessFault(access: number, va: number): Trap {
    return new Trap(access === FETCH ? Cause.InstructionAccessFault : access === LOAD ? Cause.LoadAccessFault : Cause.StoreAccessFault, BigInt.asUintN(64, BigInt(va)));
  }

  /** Virtual → physical for the given access and privilege; throws the fault. */
  translate(va: number, access: number, priv: Priv): number {
    const x = this.xpc;
    if (x.segActive && priv === Priv.U && va >= x.segVaNum && va < x.segEndNum) {
      // The relay segment, ahead of the page table and never in the TLB.
      if (access === FETCH || (access === LOAD ? !(x.segPermNum & 1) : !(x.segPermNum & 2))) throw this.accessFault(access, va);
      return x.segPaNum + (va - x.segVaNum);
    }
    if (priv === Priv.M || !this.sv39) {
      // Bare: the address is physical (an address beyond the physical space faults when used).
      return va < 0 ? -1 : va;
    }
    const hi = Math.floor(va / TWO32) | 0;
    if ((hi >> 6) !== 0 && (hi >> 6) !== -1) throw this.pageFault(access, va);
    const vpn = Math.floor(va / 4096);
    const slot = vpn & (TLB_SIZE - 1);
    const asid = this.asid;
    let pte: number, ppnBase: number, pteAddr: number;
    if (this.tlbTag[slot] === vpn && (this.tlbAsid[slot] === asid || (this.tlbPte[slot] & PTE_G) !== 0)) {
      pte = this.tlbPte[slot];
      ppnBase = this.tlbPpnBase[slot];
      pteAddr = this.tlbPteAddr[slot];
    } else {
      const w = this.walk(va, access);
      pte = w.pte; ppnBase = w.base; pteAddr = w.pteAddr;
      this.tlbTag[slot] = vpn; this.tlbAsid[slot] = asid; this.tlbPte[slot] = pte;
      this.tlbPpnBase[slot] = ppnBase; this.tlbPteAddr[slot] = pteAddr;
    }
    // Permission checks.
    const mxr = (this.mstatus & MXR) !== 0;
    if (access === FETCH ? !(pte & PTE_X) : access === LOAD ? !(pte & PTE_R) && !(mxr && pte & PTE_X) : !(pte & PTE_W)) {
      throw this.pageFault(access, va);
    }
    if (pte & PTE_U) {
      if (priv === Priv.S && (access === FETCH || (this.mstatus & SUM) === 0)) throw this.pageFault(access, va);
    } else if (priv === Priv.U) throw this.pageFault(access, va);
    // Accessed/dirty bits are set by the hardware (as QEMU does), in memory and in the TLB.
    const need = PTE_A | (access === STORE ? PTE_D : 0);
    if ((pte & need) !== need) {
      this.setPteBits(pteAddr, need);
      this.tlbPte[slot] = pte | need;
    }
    return ppnBase + (va - vpn * 4096);
  }

  /**
   * Debugger translation through any satp: no TLB fill, no A/D update, no permission check (a
   * mapped page is readable by the debugger whatever its R/W/U bits). Undefined if unmapped.
   */
  peekTranslate(va: number, satp: bigint): number | undefined {
    if (satp >> 60n !== 8n) return va >= 0 ? va : undefined;
    const hi = Math.floor(va / TWO32) | 0;
    if ((hi >> 6) !== 0 && (hi >> 6) !== -1) return undefined;
    let table = Number(satp & 0xfffffffffffn) * 4096;
    const vpn = Math.floor(va / 4096);
    for (let level = 2; level >= 0; level--) {
      const off = this.bus.ram.offset(table + (Math.floor(vpn / 2 ** (9 * level)) & 511) * 8, 8);
      if (off < 0) return undefined;
      const v = this.bus.ram.view;
      const lo = v.getInt32(off, true), phi = v.getInt32(off + 4, true);
      if (!(lo & PTE_V) || (!(lo & PTE_R) && lo & PTE_W)) return undefined;
      const ppn = (phi >>> 0) % 0x400000 * 4194304 + (lo >>> 10);
      if (lo & (PTE_R | PTE_X)) {
        const span = 2 ** (9 * level);
        if (ppn % span !== 0) return undefined;
        return (ppn + (vpn & (span - 1))) * 4096 + (va - vpn * 4096); // & not %: upper-half VPNs are negative
      }
      table = ppn * 4096;
    }
    return undefined;
  }

  /** Sv39 page walk; returns the leaf PTE's low bits, the page's physical base and the PTE address. */
  private walk(va: number, access: number): { pte: number; base: number; pteAddr: number } {
    let table = Number(this.satp & 0xfffffffffffn) * 4096;
    const vpn = Math.floor(va / 4096);
    for (let level = 2; level >= 0; level--) {
      const index = Math.floor(vpn / 2 ** (9 * level)) & 511;
      const pteAddr = table + index * 8;
      const off = this.bus.ram.offset(pteAddr, 8);
      if (off < 0) throw this.accessFault(access, va);
      const v = this.bus.ram.view;
      const lo = v.getInt32(off, true), hi = v.getInt32(off + 4, true);
      if (!(lo & PTE_V) || (!(lo & PTE_R) && lo & PTE_W) || (hi >>> 22) !== 0) throw this.pageFault(access, va);
      const ppn = (hi >>> 0) * 4194304 + (lo >>> 10); // bits 53:10 → PPN (44 bits)
      if (lo & (PTE_R | PTE_X)) {
        const span = 2 ** (9 * level); // pages covered by this leaf
        if (ppn % span !== 0) throw this.pageFault(access, va); // misaligned superpage
        return { pte: lo & 0xff, base: (ppn + (vpn & (span - 1))) * 4096, pteAddr }; // & not %: upper-half VPNs are negative
      }
      if (lo & (PTE_A | PTE_D | PTE_U)) throw this.pageFault(access, va);
      table = ppn * 4096;
    }
    throw this.pageFault(access, va);
  }

  /** ORs flag bits into the PTE in memory (its other bits, the PPN included, stay as they are). */
  private setPteBits(pa: number, bits: number): void {
    const off = this.bus.ram.offset(pa, 4);
    if (off < 0) return;
    const v = this.bus.ram.view;
    v.setInt32(off, v.getInt32(off, true) | bits, true);
    this.noteStore(off, 4);
    // Only when a bit changes (rare): a watchpoint on page tables sees the walker's writes.
    if (this.debugActive) this.checkWatch(pa, 4, true, 'page walker');
  }

  // ---- Memory access ------------------------------------------------------------------------

  /** Marks a RAM store: invalidates decoded code on that page and records it dirty. */
  private noteStore(off: number, size: number): void {
    const ram = this.bus.ram;
    const first = off >>> PAGE_SHIFT, last = (off + size - 1) >>> PAGE_SHIFT;
    for (let p = first; p <= last; p++) {
      ram.dirtyPages[p] = 1;
      if (ram.codePages[p]) {
        // Forget just the instructions the store overlaps (data often shares a page with code):
        // slots from the halfword before the store (a 4-byte instruction there covers it) on.
        const page = this.ramPages.get(p)!;
        const pageStart = p << PAGE_SHIFT;
        const from = Math.max(off - 2 - pageStart, 0) >>> 1;
        const to = Math.min(off + size - 1 - pageStart, 4095) >>> 1;
        for (let slot = from; slot <= to; slot++) {
          page.len[slot] = 0;
          if (page.covered?.[slot]) {
            // Compiled code was overwritten: drop the page's blocks and end the running one.
            page.blocks = undefined;
            page.timedBlocks = undefined;
            page.covered = undefined;
            this.blockBreak = true;
          }
        }
      }
    }
    if (this.reservation >= 0 && Math.floor(this.reservation / 8) === Math.floor((ram.base + off) / 8)) this.reservation = -1;
    if (off < ram.watchEnd && off + size > ram.watchStart) this.onWatchedStore?.();
  }

  /** Loads `size` bytes at virtual `va` into this.lo/this.hi (sign- or zero-extended). */
  load(va: number, size: 1 | 2 | 4 | 8, signed: boolean): void {
    const priv = this.dataPriv();
    const pageOff = va & 4095;
    if (pageOff + size > 4096) { this.loadSplit(va, size, signed, priv); return; }
    const pa = this.translate(va, LOAD, priv);
    if (this.debugActive) this.checkWatch(pa, size, false);
    const ram = this.bus.ram;
    const off = ram.offset(pa, size);
    if (off >= 0) {
      const v = ram.view;
      switch (size) {
        case 1: this.lo = signed ? v.getInt8(off) : v.getUint8(off); this.hi = signed ? this.lo >> 31 : 0; return;
        case 2: this.lo = signed ? v.getInt16(off, true) : v.getUint16(off, true); this.hi = signed ? this.lo >> 31 : 0; return;
        case 4: this.lo = v.getInt32(off, true); this.hi = signed ? this.lo >> 31 : 0; return;
        default: this.lo = v.getInt32(off, true); this.hi = v.getInt32(off + 4, true); return;
      }
    }
    const r = pa >= 0 ? this.bus.readIo(pa, size) : undefined;
    if (r === undefined) throw this.accessFault(LOAD, va);
    this.blockBreak = true;
    const bits = BigInt(size * 8);
    const val = signed ? BigInt.asIntN(Number(bits), r) : BigInt.asUintN(Number(bits), r);
    this.lo = Number(BigInt.asIntN(32, val));
    this.hi = Number(BigInt.asIntN(32, val >> 32n));
  }

  /** A misaligned access crossing a page: byte by byte, each byte translated (as QEMU splits it). */
  private loadSplit(va: number, size: number, signed: boolean, priv: Priv): void {
    let v = 0n;
    for (let i = 0; i < size; i++) {
      const pa = this.translate(va + i, LOAD, priv);
      const off = this.bus.ram.offset(pa, 1);
      let b: bigint | undefined;
      if (off >= 0) b = BigInt(this.bus.ram.bytes[off]);
      else b = pa >= 0 ? this.bus.readIo(pa, 1) : undefined;
      if (b === undefined) throw this.accessFault(LOAD, va + i);
      v |= (b & 0xffn) << BigInt(8 * i);
    }
    const val = signed ? BigInt.asIntN(size * 8, v) : v;
    this.lo = Number(BigInt.asIntN(32, val));
    this.hi = Number(BigInt.asIntN(32, val >> 32n));
  }

  store(va: number, size: 1 | 2 | 4 | 8, lo: number, hi: number): void {
    const priv = this.dataPriv();
    const pageOff = va & 4095;
    if (pageOff + size > 4096) {
      // Translate every byte first so that a fault leaves memory unchanged.
      const pas: number[] = [];
      for (let i = 0; i < size; i++) pas.push(this.translate(va + i, STORE, priv));
      const val = (BigInt(hi) << 32n) | BigInt(lo >>> 0);
      for (let i = 0; i < size; i++) this.storePhys(pas[i], 1, Number((val >> BigInt(8 * i)) & 0xffn), 0, va + i);
      return;
    }
    const pa = this.translate(va, STORE, priv);
    this.storePhys(pa, size, lo, hi, va);
  }

  private storePhys(pa: number, size: 1 | 2 | 4 | 8, lo: number, hi: number, va: number): void {
    if (this.debugActive) this.checkWatch(pa, size, true);
    const ram = this.bus.ram;
    const off = ram.offset(pa, size);
    if (off >= 0) {
      const v = ram.view;
      switch (size) {
        case 1: v.setInt8(off, lo); break;
        case 2: v.setInt16(off, lo, true); break;
        case 4: v.setInt32(off, lo, true); break;
        default: v.setInt32(off, lo, true); v.setInt32(off + 4, hi, true); break;
      }
      this.noteStore(off, size);
      return;
    }
    const value = BigInt.asUintN(size * 8, (BigInt(hi) << 32n) | BigInt(lo >>> 0));
    if (pa < 0 || !this.bus.writeIo(pa, size, value)) throw this.accessFault(STORE, va);
    this.blockBreak = true;
  }

  // ---- Fetch and decode ---------------------------------------------------------------------

  /** The decoded page holding pc, with its slot; fills this.fetch* */
  private fetchSlot(): number {
    const pc = this.pc;
    const pageOff = pc & 4095;
    const vbase = pc - pageOff;
    if (vbase !== this.fetchVBase) {
      const pa = this.translate(pc, FETCH, this.priv);
      if (pa < 0) throw this.accessFault(FETCH, pc);
      const pbase = pa - (pa & 4095);
      const ram = this.bus.ram;
      const roff = ram.offset(pbase, 4096);
      let page: DecodedPage | undefined;
      if (roff >= 0) {
        const idx = roff >>> PAGE_SHIFT;
        page = this.ramPages.get(idx);
        if (!page) { page = new DecodedPage(); this.ramPages.set(idx, page); ram.codePages[idx] = 1; }
      } else {
        page = this.ioPages.get(pbase);
        if (!page) {
          if (this.bus.readIo(pbase + pageOff, 2) === undefined) throw this.accessFault(FETCH, pc);
          page = new DecodedPage();
          this.ioPages.set(pbase, page);
        }
      }
      this.fetchVBase = vbase;
      this.fetchPage = page;
      this.fetchPBase = pbase;
    }
    const slot = pageOff >>> 1;
    const page = this.fetchPage!;
    if (page.len[slot] === 0) this.decodeSlot(page, slot, pageOff);
    return slot;
  }

  private readParcel(pa: number): number {
    const off = this.bus.ram.offset(pa, 2);
    if (off >= 0) return this.bus.ram.view.getUint16(off, true);
    const v = pa >= 0 ? this.bus.readIo(pa, 2) : undefined;
    if (v === undefined) return -1;
    return Number(v & 0xffffn);
  }

  private decodeSlot(page: DecodedPage, slot: number, pageOff: number): void {
    const low = this.readParcel(this.fetchPBase + pageOff);
    if (low < 0) throw this.accessFault(FETCH, this.pc);
    let word = low;
    if ((low & 3) === 3) {
      if (pageOff === 4094) {
        // The second half is on the next page: translate it separately and do not cache.
        const pa2 = this.translate(this.pc + 2, FETCH, this.priv);
        const high = this.readParcel(pa2);
        if (high < 0) throw this.accessFault(FETCH, this.pc + 2);
        word = (low | (high << 16)) >>> 0;
        decodeExec(word, this.scratch);
        this.fillSlot(page, slot, word);
        page.len[slot] = 0; // not cacheable: re-decoded every time
        return;
      }
      const high = this.readParcel(this.fetchPBase + pageOff + 2);
      if (high < 0) throw this.accessFault(FETCH, this.pc + 2);
      word = (low | (high << 16)) >>> 0;
    }
    decodeExec(word, this.scratch);
    this.fillSlot(page, slot, word);
  }

  private fillSlot(page: DecodedPage, slot: number, word: number): void {
    const s = this.scratch;
    page.op[slot] = s.op; page.rd[slot] = s.rd; page.rs1[slot] = s.rs1; page.rs2[slot] = s.rs2;
    page.imm[slot] = s.imm; page.len[slot] = s.len; page.bits[slot] = word | 0;
  }

  /** Drops every decoded instruction (fence.i, or memory written behind the hart's back). */
  flushDecodeCache(): void {
    this.ramPages.clear();
    this.ioPages.clear();
    this.bus.ram.codePages.fill(0);
    this.fetchVBase = NaN;
  }

  // ---- Execution ----------------------------------------------------------------------------

  private illegal(bits: number): Trap {
    return new Trap(Cause.IllegalInstruction, BigInt(bits >>> 0));
  }

  /** Executes the instruction at pc (throws Trap without changing state on an exception). */
  private execute(): void {
    const slot = this.fetchSlot();
    const page = this.fetchPage!;
    const op = page.op[slot];
    const rd = page.rd[slot], rs1 = page.rs1[slot], rs2 = page.rs2[slot], imm = page.imm[slot];
    const len = page.len[slot] || (((page.bits[slot] & 3) === 3) ? 4 : 2);
    const x = this.x;
    const a = rs1 << 1, b = rs2 << 1, d = rd << 1;
    const alo = x[a], ahi = x[a + 1], blo = x[b], bhi = x[b + 1];
    let nextPc = this.pc + len;
    let lo = 0, hi = 0;
    switch (op) {
      case Op.lui: lo = imm; hi = imm >> 31; break;
      case Op.auipc: { const r = this.pc + imm; lo = r | 0; hi = Math.floor(r / TWO32) | 0; break; }
      case Op.jal: {
        lo = nextPc | 0; hi = Math.floor(nextPc / TWO32) | 0;
        nextPc = this.pc + imm;
        break;
      }
      case Op.jalr: {
        const target = ahi * TWO32 + (alo >>> 0) + imm;
        lo = nextPc | 0; hi = Math.floor(nextPc / TWO32) | 0;
        nextPc = target - (target & 1);
        break;
      }
      case Op.beq: if (alo === blo && ahi === bhi) nextPc = this.pc + imm; this.pc = nextPc; return;
      case Op.bne: if (alo !== blo || ahi !== bhi) nextPc = this.pc + imm; this.pc = nextPc; return;
      case Op.blt: if (ltSigned(alo, ahi, blo, bhi)) nextPc = this.pc + imm; this.pc = nextPc; return;
      case Op.bge: if (!ltSigned(alo, ahi, blo, bhi)) nextPc = this.pc + imm; this.pc = nextPc; return;
      case Op.bltu: if (ltUnsigned(alo, ahi, blo, bhi)) nextPc = this.pc + imm; this.pc = nextPc; return;
      case Op.bgeu: if (!ltUnsigned(alo, ahi, blo, bhi)) nextPc = this.pc + imm; this.pc = nextPc; return;
      // Addresses as doubles: exact for every address that can be valid (|va| < 2^53).
      case Op.ld: this.load(ahi * TWO32 + (alo >>> 0) + imm, 8, true); lo = this.lo; hi = this.hi; break;
      case Op.lw: this.load(ahi * TWO32 + (alo >>> 0) + imm, 4, true); lo = this.lo; hi = this.hi; break;
      case Op.lwu: this.load(ahi * TWO32 + (alo >>> 0) + imm, 4, false); lo = this.lo; hi = this.hi; break;
      case Op.lh: this.load(ahi * TWO32 + (alo >>> 0) + imm, 2, true); lo = this.lo; hi = this.hi; break;
      case Op.lhu: this.load(ahi * TWO32 + (alo >>> 0) + imm, 2, false); lo = this.lo; hi = this.hi; break;
      case Op.lb: this.load(ahi * TWO32 + (alo >>> 0) + imm, 1, true); lo = this.lo; hi = this.hi; break;
      case Op.lbu: this.load(ahi * TWO32 + (alo >>> 0) + imm, 1, false); lo = this.lo; hi = this.hi; break;
      case Op.sd: this.store(ahi * TWO32 + (alo >>> 0) + imm, 8, blo, bhi); this.pc = nextPc; return;
      case Op.sw: this.store(ahi * TWO32 + (alo >>> 0) + imm, 4, blo, bhi); this.pc = nextPc; return;
      case Op.sh: this.store(ahi * TWO32 + (alo >>> 0) + imm, 2, blo, bhi); this.pc = nextPc; return;
      case Op.sb: this.store(ahi * TWO32 + (alo >>> 0) + imm, 1, blo, bhi); this.pc = nextPc; return;
      case Op.addi: {
        const sum = (alo >>> 0) + (imm >>> 0);
        lo = sum | 0; hi = (ahi + (imm >> 31) + (sum >= TWO32 ? 1 : 0)) | 0;
        break;
      }
      case Op.slti: lo = ltSigned(alo, ahi, imm, imm >> 31) ? 1 : 0; break;
      case Op.sltiu: lo = ltUnsigned(alo, ahi, imm, imm >> 31) ? 1 : 0; break;
      case Op.xori: lo = alo ^ imm; hi = ahi ^ (imm >> 31); break;
      case Op.ori: lo = alo | imm; hi = ahi | (imm >> 31); break;
      case Op.andi: lo = alo & imm; hi = ahi & (imm >> 31); break;
      case Op.slli: case Op.sll: { const sh = (op === Op.slli ? imm : blo) & 63; if (sh === 0) { lo = alo; hi = ahi; } else if (sh < 32) { lo = alo << sh; hi = (ahi << sh) | (alo >>> (32 - sh)); } else { lo = 0; hi = alo << (sh - 32); } break; }
      case Op.srli: case Op.srl: { const sh = (op === Op.srli ? imm : blo) & 63; if (sh === 0) { lo = alo; hi = ahi; } else if (sh < 32) { lo = (alo >>> sh) | (ahi << (32 - sh)); hi = (ahi >>> sh) | 0; } else { lo = (ahi >>> (sh - 32)) | 0; hi = 0; } break; }
      case Op.srai: case Op.sra: { const sh = (op === Op.srai ? imm : blo) & 63; if (sh === 0) { lo = alo; hi = ahi; } else if (sh < 32) { lo = (alo >>> sh) | (ahi << (32 - sh)); hi = ahi >> sh; } else { lo = ahi >> (sh - 32); hi = ahi >> 31; } break; }
      case Op.add: {
        const sum = (alo >>> 0) + (blo >>> 0);
        lo = sum | 0; hi = (ahi + bhi + (sum >= TWO32 ? 1 : 0)) | 0;
        break;
      }
      case Op.sub: {
        lo = (alo - blo) | 0;
        hi = (ahi - bhi - ((alo >>> 0) < (blo >>> 0) ? 1 : 0)) | 0;
        break;
      }
      case Op.slt: lo = ltSigned(alo, ahi, blo, bhi) ? 1 : 0; break;
      case Op.sltu: lo = ltUnsigned(alo, ahi, blo, bhi) ? 1 : 0; break;
      case Op.xor: lo = alo ^ blo; hi = ahi ^ bhi; break;
      case Op.or: lo = alo | blo; hi = ahi | bhi; break;
      case Op.and: lo = alo & blo; hi = ahi & bhi; break;
      case Op.addiw: lo = (alo + imm) | 0; hi = lo >> 31; break;
      case Op.slliw: lo = alo << (imm & 31); hi = lo >> 31; break;
      case Op.srliw: lo = (alo >>> (imm & 31)) | 0; hi = lo >> 31; break;
      case Op.sraiw: lo = alo >> (imm & 31); hi = lo >> 31; break;
      case Op.addw: lo = (alo + blo) | 0; hi = lo >> 31; break;
      case Op.subw: lo = (alo - blo) | 0; hi = lo >> 31; break;
      case Op.sllw: lo = alo << (blo & 31); hi = lo >> 31; break;
      case Op.srlw: lo = (alo >>> (blo & 31)) | 0; hi = lo >> 31; break;
      case Op.sraw: lo = alo >> (blo & 31); hi = lo >> 31; break;
      case Op.fence: case Op.fence_tso: break;
      case Op.fence_i: this.flushDecodeCache(); break;
      case Op.mul: lo = Math.imul(alo, blo); hi = (mulhu32(alo, blo) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0; break;
      case Op.mulw: lo = Math.imul(alo, blo); hi = lo >> 31; break;
      case Op.mulh: case Op.mulhsu: case Op.mulhu: case Op.div: case Op.divu: case Op.rem: case Op.remu:
      case Op.divw: case Op.divuw: case Op.remw: case Op.remuw: {
        const r = mulDiv(op, this.getReg(rs1), this.getReg(rs2));
        lo = Number(BigInt.asIntN(32, r)); hi = Number(BigInt.asIntN(32, r >> 32n));
        break;
      }
      case Op.lr_w: case Op.lr_d: case Op.sc_w: case Op.sc_d:
      case Op.amoadd_w: case Op.amoswap_w: case Op.amoxor_w: case Op.amoor_w: case Op.amoand_w:
      case Op.amomin_w: case Op.amomax_w: case Op.amominu_w: case Op.amomaxu_w:
      case Op.amoadd_d: case Op.amoswap_d: case Op.amoxor_d: case Op.amoor_d: case Op.amoand_d:
      case Op.amomin_d: case Op.amomax_d: case Op.amominu_d: case Op.amomaxu_d: {
        const r = this.atomic(op, pairToNumber(alo, ahi), blo, bhi);
        lo = r.lo; hi = r.hi;
        break;
      }
      case Op.csrrw: case Op.csrrs: case Op.csrrc: case Op.csrrwi: case Op.csrrsi: case Op.csrrci: {
        const r = this.csrInstruction(op, rd, rs1, imm, page.bits[slot]);
        lo = Number(BigInt.asIntN(32, r)); hi = Number(BigInt.asIntN(32, r >> 32n));
        break;
      }
      case Op.ecall:
        throw new Trap(this.priv === Priv.U ? Cause.EcallFromU : this.priv === Priv.S ? Cause.EcallFromS : Cause.EcallFromM, 0n);
      case Op.ebreak: throw new Trap(Cause.Breakpoint, BigInt.asUintN(64, BigInt(this.pc)));
      case Op.mret: {
        if (this.priv !== Priv.M) throw this.illegal(page.bits[slot]);
        const st = this.mstatus;
        const mpp = ((st & MPP) >>> MPP_SHIFT) as Priv;
        let ns = (st & ~MIE) | (st & MPIE ? MIE : 0);
        ns = (ns | MPIE) & ~MPP;
        if (mpp !== Priv.M) ns &= ~MPRV;
        this.mstatus = ns;
        this.priv = mpp;
        this.fetchVBase = NaN;
        this.pc = Number(BigInt.asIntN(64, this.mepc & ~1n));
        return;
      }
      case Op.sret: {
        if (this.priv === Priv.U || (this.priv === Priv.S && this.mstatus & TSR)) throw this.illegal(page.bits[slot]);
        const st = this.mstatus;
        const spp = st & SPP ? Priv.S : Priv.U;
        let ns = (st & ~SIE) | (st & SPIE ? SIE : 0);
        ns = (ns | SPIE) & ~SPP;
        ns &= ~MPRV;
        this.mstatus = ns;
        this.priv = spp;
        this.fetchVBase = NaN;
        this.pc = Number(BigInt.asIntN(64, this.sepc & ~1n));
        return;
      }
      case Op.wfi:
        if (this.priv === Priv.U || (this.priv === Priv.S && this.mstatus & TW)) throw this.illegal(page.bits[slot]);
        if ((this.mip & this.mie) === 0) this.waiting = true;
        break;
      case Op.sfence_vma:
        if (this.priv === Priv.U || (this.priv === Priv.S && this.mstatus & TVM)) throw this.illegal(page.bits[slot]);
        this.flushTlb(rs1 ? pairToNumber(alo, ahi) : undefined, rs2 ? blo & 0xffff : undefined);
        break;
      case Op.xcall: {
        if (!this.xpc.enabled) throw this.illegal(page.bits[slot]);
        const target = this.xpc.xcall(this.getReg(rs1), BigInt(this.pc), this.satp, (v) => this.switchSatp(v), this.steps);
        this.pc = Number(BigInt.asIntN(64, target));
        this.fetchVBase = NaN;
        return;
      }
      case Op.xret: {
        if (!this.xpc.enabled) throw this.illegal(page.bits[slot]);
        const target = this.xpc.xret((v) => this.switchSatp(v), this.steps);
        this.pc = Number(BigInt.asIntN(64, target));
        this.fetchVBase = NaN;
        return;
      }
      case Op.swapseg:
        if (!this.xpc.enabled) throw this.illegal(page.bits[slot]);
        this.xpc.swapseg(this.getReg(rs1), this.steps);
        this.fetchVBase = NaN;
        break;
      default:
        // Not in the table.
        throw this.illegal(page.bits[slot] & (len === 2 ? 0xffff : -1));
    }
    if (rd !== 0) { x[d] = lo; x[d + 1] = hi; }
    this.pc = nextPc;
  }

  // ---- Atomics ------------------------------------------------------------------------------

  private atomic(op: number, va: number, blo: number, bhi: number): { lo: number; hi: number } {
    const dword = op === Op.lr_d || op === Op.sc_d || (op >= Op.amoadd_d && op <= Op.amomaxu_d);
    const size = dword ? 8 : 4;
    const isLr = op === Op.lr_w || op === Op.lr_d;
    if (va % size !== 0) throw new Trap(isLr ? Cause.LoadMisaligned : Cause.StoreMisaligned, BigInt.asUintN(64, BigInt(va)));
    const priv = this.dataPriv();
    if (isLr) {
      const pa = this.translate(va, LOAD, priv);
      this.load(va, size, true);
      this.reservation = pa;
      return { lo: this.lo, hi: this.hi };
    }
    const pa = this.translate(va, STORE, priv);
    if (op === Op.sc_w || op === Op.sc_d) {
      const ok = this.reservation === pa;
      this.reservation = -1;
      if (!ok) return { lo: 1, hi: 0 };
      this.storePhys(pa, size, blo, bhi, va);
      return { lo: 0, hi: 0 };
    }
    // The read half of an AMO reports a fault as a store/AMO fault.
    const off = this.bus.ram.offset(pa, size);
    let old: bigint;
    if (off >= 0) {
      const v = this.bus.ram.view;
      old = dword ? (BigInt(v.getInt32(off + 4, true)) << 32n) | BigInt(v.getUint32(off, true)) : BigInt(v.getInt32(off, true));
    } else {
      const r = this.bus.readIo(pa, size);
      if (r === undefined) throw this.accessFault(STORE, va);
      old = r;
    }
    const oldS = BigInt.asIntN(dword ? 64 : 32, old);
    const src = BigInt.asIntN(dword ? 64 : 32, (BigInt(bhi) << 32n) | BigInt(blo >>> 0));
    const u = (v: bigint) => BigInt.asUintN(dword ? 64 : 32, v);
    let nv: bigint;
    switch (op) {
      case Op.amoadd_w: case Op.amoadd_d: nv = oldS + src; break;
      case Op.amoswap_w: case Op.amoswap_d: nv = src; break;
      case Op.amoxor_w: case Op.amoxor_d: nv = oldS ^ src; break;
      case Op.amoor_w: case Op.amoor_d: nv = oldS | src; break;
      case Op.amoand_w: case Op.amoand_d: nv = oldS & src; break;
      case Op.amomin_w: case Op.amomin_d: nv = oldS < src ? oldS : src; break;
      case Op.amomax_w: case Op.amomax_d: nv = oldS > src ? oldS : src; break;
      case Op.amominu_w: case Op.amominu_d: nv = u(oldS) < u(src) ? oldS : src; break;
      default: nv = u(oldS) > u(src) ? oldS : src; break;
    }
    const w = BigInt.asIntN(64, nv);
    this.storePhys(pa, size, Number(BigInt.asIntN(32, w)), Number(BigInt.asIntN(32, w >> 32n)), va);
    const r = BigInt.asIntN(64, oldS);
    return { lo: Number(BigInt.asIntN(32, r)), hi: Number(BigInt.asIntN(32, r >> 32n)) };
  }

  // ---- CSRs ---------------------------------------------------------------------------------

  private csrInstruction(op: number, rd: number, rs1: number, csr: number, bits: number): bigint {
    const immForm = op === Op.csrrwi || op === Op.csrrsi || op === Op.csrrci;
    const src = immForm ? BigInt(rs1) : this.getReg(rs1);
    const kind = op === Op.csrrw || op === Op.csrrwi ? 'w' : op === Op.csrrs || op === Op.csrrsi ? 's' : 'c';
    const writes = kind === 'w' || rs1 !== 0;
    const reads = kind !== 'w' || rd !== 0;
    if (!this.csrAccessible(csr, writes)) throw this.illegal(bits);
    const old = reads || kind !== 'w' ? this.readCsr(csr) : 0n;
    if (writes) {
      const nv = kind === 'w' ? src : kind === 's' ? old | src : old & ~src;
      this.writeCsr(csr, BigInt.asIntN(64, nv));
    }
    return old;
  }

  /** Whether the current privilege may access `csr` (and write it, if `write`). */
  csrAccessible(csr: number, write: boolean): boolean {
    const spec = csrByNumber(csr);
    if (!spec || spec.unimplemented) return false;
    const minPriv = (csr >> 8) & 3;
    if (this.priv < minPriv) return false;
    if (write && ((csr >> 10) & 3) === 3) return false;
    if (csr === 0x180 && this.priv === Priv.S && this.mstatus & TVM) return false;
    if (csr >= 0xc00 && csr <= 0xc1f && this.priv < Priv.M) {
      const bit = 1 << (csr - 0xc00);
      if (!(this.mcounteren & bit)) return false;
      if (this.priv === Priv.U && !(this.scounteren & bit)) return false;
    }
    return true;
  }

  /** The value of a CSR (no privilege checks, no side effects: debugger-safe). */
  readCsr(csr: number): bigint {
    switch (csr) {
      case 0x300: return BigInt(this.mstatus) | MSTATUS_XL;
      case 0x100: return BigInt(this.mstatus & SSTATUS_MASK) | (2n << 32n);
      case 0x301: return MISA;
      case 0x302: return BigInt(this.medeleg);
      case 0x303: return BigInt(this.mideleg);
      case 0x304: return BigInt(this.mie);
      case 0x104: return BigInt(this.mie & this.mideleg);
      case 0x344: return BigInt(this.mip);
      case 0x144: return BigInt(this.mip & this.mideleg);
      case 0x305: return this.mtvec;
      case 0x105: return this.stvec;
      case 0x306: return BigInt(this.mcounteren);
      case 0x106: return BigInt(this.scounteren);
      case 0x340: return this.mscratch;
      case 0x140: return this.sscratch;
      case 0x341: return this.mepc;
      case 0x141: return this.sepc;
      case 0x342: return this.mcause;
      case 0x142: return this.scause;
      case 0x343: return this.mtval;
      case 0x143: return this.stval;
      case 0x180: return this.satp;
      case 0xf14: return 0n;
      case 0xb00: case 0xc00: return BigInt.asIntN(64, this.cycleBase + BigInt(this.cycles));
      case 0xb02: case 0xc02: return BigInt.asIntN(64, this.instretBase + BigInt(this.retired));
      case 0xc01: return BigInt.asIntN(64, this.bus.time());
      default: return this.xpc.readCsr(csr) ?? this.plainCsrs.get(csr) ?? 0n;
    }
  }

  /** Writes a CSR with its WARL rules (no privilege checks). */
  writeCsr(csr: number, v: bigint): void {
    const low = Number(BigInt.asIntN(32, v));
    switch (csr) {
      case 0x300: {
        let nv = (this.mstatus & ~MSTATUS_WRITABLE) | (low & MSTATUS_WRITABLE);
        if (((nv & MPP) >>> MPP_SHIFT) === 2) nv = (nv & ~MPP) | (this.mstatus & MPP); // WARL: 2 is reserved
        this.mstatus = nv;
        this.fetchVBase = NaN;
        return;
      }
      case 0x100: this.mstatus = (this.mstatus & ~SSTATUS_MASK) | (low & SSTATUS_MASK); this.fetchVBase = NaN; return;
      case 0x301: return; // misa: fixed
      case 0x302: this.medeleg = low & MEDELEG_WRITABLE; return;
      case 0x303: this.mideleg = low & S_INTERRUPTS; return;
      case 0x304: this.mie = low & (S_INTERRUPTS | MSI | MTI | MEI); return;
      case 0x104: this.mie = (this.mie & ~this.mideleg) | (low & this.mideleg); return;
      case 0x344: this.mipSw = (this.mipSw & ~S_INTERRUPTS) | (low & S_INTERRUPTS); return;
      case 0x144: this.mipSw = (this.mipSw & ~(SSI & this.mideleg)) | (low & SSI & this.mideleg); return;
      // WARL modes 2 and 3 are reserved: such writes are ignored, as QEMU does.
      case 0x305: if ((v & 3n) < 2n) this.mtvec = v; return;
      case 0x105: if ((v & 3n) < 2n) this.stvec = v; return;
      case 0x306: this.mcounteren = low & 7; return;
      case 0x106: this.scounteren = low & 7; return;
      case 0x340: this.mscratch = v; return;
      case 0x140: this.sscratch = v; return;
      case 0x341: this.mepc = v & ~1n; return;
      case 0x141: this.sepc = v & ~1n; return;
      case 0x342: this.mcause = v; return;
      case 0x142: this.scause = v; return;
      case 0x343: this.mtval = v; return;
      case 0x143: this.stval = v; return;
      case 0x180: {
        const mode = BigInt.asUintN(64, v) >> 60n;
        if (mode !== 0n && mode !== 8n) return; // WARL: only Bare and Sv39
        this.satp = BigInt.asUintN(64, v) & ((0xfn << 60n) | (0xffffn << 44n) | 0xfffffffffffn);
        this.sv39 = this.satp >> 60n === 8n;
        this.asid = Number((this.satp >> 44n) & 0xffffn);
        this.fetchVBase = NaN;
        this.onSatpWrite?.(this.satp);
        return;
      }
      case 0xb00: this.cycleBase = v - BigInt(this.cycles); return;
      case 0xb02: this.instretBase = v - BigInt(this.retired); return;
      default: {
        const spec = csrByNumber(csr);
        if (spec?.readOnly) return;
        if (spec?.xpc) {
          this.xpc.writeCsr(csr, v);
          // The relay segment takes part in translation: refetch under the new one.
          this.fetchVBase = NaN;
          return;
        }
        this.plainCsrs.set(csr, v);
      }
    }
  }
}

// ---- 64-bit arithmetic on int32 pairs -----------------------------------------------------

function pairToNumber(lo: number, hi: number): number {
  return hi * TWO32 + (lo >>> 0);
}

/** High 32 bits of the unsigned 64-bit product of two 32-bit values (16-bit limbs stay exact). */
function mulhu32(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p01 = a0 * b1, p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

function ltSigned(alo: number, ahi: number, blo: number, bhi: number): boolean {
  return ahi < bhi || (ahi === bhi && (alo >>> 0) < (blo >>> 0));
}

function ltUnsigned(alo: number, ahi: number, blo: number, bhi: number): boolean {
  return (ahi >>> 0) < (bhi >>> 0) || (ahi === bhi && (alo >>> 0) < (blo >>> 0));
}

const M64 = (1n << 64n) - 1n;

/** M extension via bigints: correct first; these are rare next to loads, stores and ALU ops. */
function mulDiv(op: number, a: bigint, b: bigint): bigint {
  const ua = a & M64, ub = b & M64;
  switch (op) {
    case Op.mul: return BigInt.asIntN(64, a * b);
    case Op.mulh: return BigInt.asIntN(64, (a * b) >> 64n);
    case Op.mulhsu: return BigInt.asIntN(64, (a * ub) >> 64n);
    case Op.mulhu: return BigInt.asIntN(64, (ua * ub) >> 64n);
    case Op.div: return b === 0n ? -1n : a === -(1n << 63n) && b === -1n ? a : BigInt.asIntN(64, a / b);
    case Op.divu: return ub === 0n ? -1n : BigInt.asIntN(64, ua / ub);
    case Op.rem: return b === 0n ? a : a === -(1n << 63n) && b === -1n ? 0n : BigInt.asIntN(64, a % b);
    case Op.remu: return ub === 0n ? a : BigInt.asIntN(64, ua % ub);
  }
  const a32 = BigInt.asIntN(32, a), b32 = BigInt.asIntN(32, b);
  const ua32 = BigInt.asUintN(32, a), ub32 = BigInt.asUintN(32, b);
  let r: bigint;
  switch (op) {
    case Op.mulw: r = a32 * b32; break;
    case Op.divw: r = b32 === 0n ? -1n : a32 === -(1n << 31n) && b32 === -1n ? a32 : a32 / b32; break;
    case Op.divuw: r = ub32 === 0n ? -1n : ua32 / ub32; break;
    case Op.remw: r = b32 === 0n ? a32 : a32 === -(1n << 31n) && b32 === -1n ? 0n : a32 % b32; break;
    default: r = ub32 === 0n ? a32 : ua32 % ub32; break;
  }
  return BigInt.asIntN(32, r);
}
