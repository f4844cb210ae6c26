// A Rocket-like timing model (docs/timing.md): it charges cycles per retired instruction and
// never changes behaviour. The hart calls it from its timed run loop (Hart.runTimed) at three
// points — after fetching an instruction, after executing it, and when it takes a trap — and adds
// the cycles returned to `cycles` (hence mcycle/cycle/time and timer interrupts).
//
// The model keeps its own microarchitectural state: I- and D-cache tags, I- and D-TLBs, BTB,
// BHT, RAS, a register scoreboard and the multiplier/divider's busy time. The hart's functional
// TLB is separate and untouched: a timing TLB that forgot an entry costs cycles, never a
// different result. Everything here is deterministic and captured in snapshots.

import { Op } from '../hart/op.generated';
import { TIMING_CLASS_OF_OP } from '../hart/decoded';
import type { TimingClass } from '../isa/instructions';
import type { XpcEngine } from '../hart/xpc';
import type { Ram } from '../machine/memory';
import { TimingParams } from './params';
import { Cache, CacheState, Tlb, TlbState } from './structures';

/** What the model reads from the hart (the hart implements it). */
export interface TimingHost {
  readonly x: Int32Array;
  /** The next pc, once the instruction has executed. */
  readonly pc: number;
  /** Cycles charged before this instruction. */
  readonly cycles: number;
  readonly priv: number;
  readonly mstatus: number;
  readonly satp: bigint;
  readonly bus: { readonly ram: Ram };
  readonly xpc: XpcEngine;
}

export interface TimingState {
  readonly profile: string;
  readonly ready: Float64Array;
  readonly mulDivFree: number;
  readonly icache: CacheState; readonly dcache: CacheState;
  readonly itlb: TlbState; readonly dtlb: TlbState;
  readonly btbTag: Float64Array; readonly btbTarget: Float64Array; readonly btbKind: Uint8Array; readonly btbStamps: Float64Array; readonly btbClock: number;
  readonly bht: Uint8Array;
  readonly ras: Float64Array; readonly rasTop: number; readonly rasCount: number;
  readonly satp: bigint;
}

/** Counters for `--stats` and the tests (not part of the machine's state). */
export interface TimingCounters {
  icacheMisses: number; dcacheMisses: number; itlbMisses: number; dtlbMisses: number;
  mispredicts: number; flushes: number; interlockCycles: number;
}

const TWO32 = 4294967296;
const M_MODE = 3, U_MODE = 0;
const MPRV = 1 << 17, MPP_SHIFT = 11;
const PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_G = 32;

/** Control-transfer kinds, as Rocket's BTB records them (exported for compiled blocks). */
export const BRANCH = 0, JUMP = 1, CALL = 2, RET = 3;

// Instruction classes, by execution opcode (derived from the instruction table's timing classes):
// one table load and a small dense switch per instruction instead of a hundred-case switch.
// Exported for the timed block tier (block-timing.ts), which charges the same classes inline.
export const C_ALU = 0, C_LOAD_WORD = 1, C_LOAD_SUBWORD = 2, C_STORE = 3, C_ATOMIC = 4, C_MUL = 5, C_MULW = 6, C_DIV = 7,
  C_BRANCH = 8, C_JAL = 9, C_JALR = 10, C_CSR = 11, C_CSRI = 12, C_XRET_PRIV = 13, C_FENCE_I = 14, C_SFENCE = 15,
  C_XCALL = 16, C_XRET = 17, C_SWAPSEG = 18;
/** The model's class of each execution opcode, from the instruction table's timing class. */
const CLASS_OF_TIMING: Readonly<Record<TimingClass, number>> = {
  alu: C_ALU, lui: C_ALU, fence: C_ALU, system: C_ALU, wfi: C_ALU,
  load: C_LOAD_WORD, 'load-narrow': C_LOAD_SUBWORD, store: C_STORE, amo: C_ATOMIC, lr: C_ATOMIC, sc: C_ATOMIC,
  mul: C_MUL, 'mul-word': C_MULW, div: C_DIV, branch: C_BRANCH, jal: C_JAL, jalr: C_JALR, csr: C_CSR, 'csr-imm': C_CSRI,
  'trap-return': C_XRET_PRIV, 'fence.i': C_FENCE_I, 'sfence.vma': C_SFENCE, xcall: C_XCALL, xret: C_XRET, swapseg: C_SWAPSEG,
};
export const CLASS = new Uint8Array(256);
TIMING_CLASS_OF_OP.forEach((t, op) => { if (t) CLASS[op] = CLASS_OF_TIMING[t]; });
/** The opcodes whose charge needs state from before they execute (TimingModel.beforeExecute). */
const BEFORE_EXECUTE = CLASS.map((c) => (c === C_XCALL || c === C_XRET || c === C_SWAPSEG || c === C_XRET_PRIV ? 1 : 0));

/** A jal/jalr destination register that makes it a call (the RISC-V link-register convention). */
export function isLink(r: number): boolean { return r === 1 || r === 5; }

export class TimingModel {
  readonly icache: Cache;
  readonly dcache: Cache;
  readonly itlb: Tlb;
  readonly dtlb: Tlb;
  readonly counters: TimingCounters = { icacheMisses: 0, dcacheMisses: 0, itlbMisses: 0, dtlbMisses: 0, mispredicts: 0, flushes: 0, interlockCycles: 0 };

  // The scoreboard and the multiplier's busy time are public for compiled blocks, which update
  // them inline (block-timing.ts); nothing else writes them.
  /** Cycle at which each register's value can be used by an instruction entering execute. */
  readonly ready = new Float64Array(32);
  /** The iterative multiplier/divider is busy until this cycle. */
  mulDivFree = 0;

  private readonly btbTag: Float64Array;
  private readonly btbTarget: Float64Array;
  private readonly btbKind: Uint8Array;
  private readonly btbStamps: Float64Array;
  private btbClock = 0;
  /**
   * An index over the fully associative BTB (a lookup accelerator, not state): btbHint[hash(pc)]
   * is the entry holding pc when one does. Entries whose hash slot is taken by another entry are
   * counted in btbAliased; only while that is non-zero does a missed hint need a full scan.
   */
  private readonly btbHint = new Int8Array(4096).fill(-1);
  private btbAliased = 0;
  private readonly bht: Uint8Array;
  private readonly ras: Float64Array;
  private rasTop = 0;
  private rasCount = 0;

  // Translation context, refreshed when satp changes (syncSatp).
  private satp = 0n;
  private sv39 = false;
  private asid = 0;
  private root = 0;
  private readonly asidMask: number;

  /**
   * The virtual page (base address) of the previous fetch: its I-TLB entry is the most recently used, so a fetch
   * from the same page needs no lookup. Reset on every event that may change the fetch context
   * (a pure shortcut: it never changes a count).
   */
  private fetchPage = NaN;

  /**
   * The data-side twin of fetchPage: the virtual line (first byte) of the previous data access
   * when it hit RAM through an unchanged translation, so its D-TLB entry and D-cache line are the
   * most recently used and a repeat access changes neither (no stamp update, no count). Reset by
   * every event that may change translation or touch the D-cache otherwise (flushes, traps,
   * satp, walks, XPC engine accesses): a pure shortcut. Compiled blocks test it inline.
   */
  dLine = NaN;

  // Result of the last walk (no allocation per walk).
  private walkOk = false;
  private walkLevel = 0;
  private walkBase = 0;
  private walkGlobal = false;

  // An XPC instruction's engine accesses, recorded before it executes (prepareXpc).
  private xpcCached = false;
  private xpcA = 0;
  private xpcB = 0;
  private xpcC = 0;

  /**
   * The instruction being executed: virtual and physical address of its fetch, set by the hart
   * before it executes. Fields rather than arguments: addresses above 2^31 are not small
   * integers, and passing them to a call would allocate a number box per instruction.
   */
  pc = 0;
  pa = 0;
  /**
   * The privilege an mret/sret was fetched in, set by beforeExecute (-1 otherwise):
   * retire charges the fetch after the instruction has changed the privilege, and a fetch that
   * misses the same-page shortcut (the first of a run slice) must not be translated as the new
   * privilege's — or a run split just before a trap return would cost differently.
   */
  private fetchPriv = -1;

  constructor(readonly params: TimingParams, private readonly host: TimingHost) {
    this.icache = new Cache(params.icache);
    this.dcache = new Cache(params.dcache);
    this.itlb = new Tlb(params.itlbEntries);
    this.dtlb = new Tlb(params.dtlbEntries);
    this.btbTag = new Float64Array(params.btbEntries).fill(NaN);
    this.btbTarget = new Float64Array(params.btbEntries);
    this.btbKind = new Uint8Array(params.btbEntries);
    this.btbStamps = new Float64Array(params.btbEntries);
    this.bht = new Uint8Array(params.bhtEntries);
    this.ras = new Float64Array(params.rasEntries);
    this.asidMask = (1 << params.asidBits) - 1;
    this.satp = host.satp;
    this.syncSatp(true);
  }

  get profile(): string { return this.params.name; }

  // ---- Entry points (the hart's timed loop) -------------------------------------------------

  /** Start of a run slice: the debugger may have changed satp, privilege or pc in between. */
  begin(): void {
    this.syncSatp(false);
    this.fetchPage = NaN;
    this.dLine = NaN;
  }

  /**
   * The fetch stall of the instruction at virtual `pc`, physical `pa`: the common case (same page,
   * same line as the previous fetch) costs two compares. Compiled blocks call it where a line may
   * change (their first instruction and each line crossing).
   */
  fetchStall(pc: number, pa: number): number {
    const fd = pc - this.fetchPage;
    if (fd >= 0 && fd < 4096 && this.icache.repeat(pa)) return 0;
    return this.fetch(pc, pa);
  }

  /** The fetch of an instruction at virtual `pc`, physical `pa`: the I-TLB and I-cache stalls. */
  private fetch(pc: number, pa: number): number {
    let cost = 0;
    const d = pc - this.fetchPage;
    if (!(d >= 0 && d < 4096)) {
      const vpage = Math.floor(pc / 4096);
      this.fetchPage = vpage * 4096;
      const priv = this.fetchPriv >= 0 ? this.fetchPriv : this.host.priv;
      if (priv !== M_MODE && this.sv39) {
        const vpn = vpage & 0x7ffffff;
        if (this.itlb.lookup(vpn, pc, this.asid) < 0) {
          this.counters.itlbMisses++;
          cost += this.walk(vpn);
          if (this.walkOk) this.itlb.insert(vpn, this.walkLevel, this.asid, this.walkGlobal, this.walkBase);
        }
      }
    }
    if (!this.icache.access(pa)) { cost += this.params.missPenalty; this.counters.icacheMisses++; }
    return cost;
  }

  /**
   * An exception or interrupt taken: the instruction's slot and the pipeline flush, plus the
   * fetch stall of the instruction that trapped if it was fetched (`pa` ≥ 0; -1 for an
   * interrupt or a fetch fault). `pc` is that instruction's, before the trap.
   */
  trap(pc: number, pa: number): number {
    const fetch = pa >= 0 ? this.fetch(pc, pa) : 0;
    this.fetchPriv = -1;
    this.fetchPage = NaN;
    this.dLine = NaN;
    this.counters.flushes++;
    return (fetch + 1 + this.params.flushPenalty) | 0;
  }

  /** Opcode → 1 when the hart must call beforeExecute for it (rare: XPC instructions, trap returns). */
  readonly beforeExecuteOps: Uint8Array = BEFORE_EXECUTE;

  /**
   * Before an instruction of `beforeExecuteOps` executes, what its charge depends on and its
   * execution changes: a trap return's privilege (its fetch is charged in it), an XPC
   * instruction's engine state. `alo`/`ahi` are x[rs1].
   */
  beforeExecute(op: number, alo: number, ahi: number, priv: number): void {
    if (CLASS[op] === C_XRET_PRIV) this.fetchPriv = priv;
    else this.prepareXpc(op, alo, ahi);
  }

  /**
   * Before an XPC instruction executes: the engine state its accesses depend on (whether the
   * x-entry is cached, where the record goes). `alo`/`ahi` are x[rs1].
   */
  private prepareXpc(op: number, alo: number, ahi: number): void {
    const x = this.host.xpc;
    if (op === Op.xcall) {
      const id = ahi * TWO32 + (alo >>> 0);
      const eid = id < 0 ? -id : id;
      this.xpcCached = x.isCached(eid);
      this.xpcA = Number(x.xentryBase) + 64 * eid;
      this.xpcB = Number(x.xcap) + Math.floor(eid / 8);
      this.xpcC = Number(x.xlink);
    } else if (op === Op.xret) {
      this.xpcC = Number(x.xlink) - 128;
    } else {
      this.xpcA = Number(x.xseglist) + 32 * (alo >>> 0);
    }
  }

  /**
   * A retired instruction (at this.pc/this.pa, length `len`): its decoded fields and x[rs1],
   * x[rs2] as they were before it executed; the host's pc is now the next pc and its cycles the
   * count before this instruction. Returns the cycles to charge: fetch stall, operand interlock,
   * its issue cycle and what its class adds (memory stalls, mispredict, flush, XPC engine work).
   */
  retire(len: number, op: number, rd: number, rs1: number, rs2: number, imm: number,
    alo: number, ahi: number, blo: number, bhi: number): number {
    const p = this.params;
    const ready = this.ready;
    const pc = this.pc, pa = this.pa, npc = this.host.pc;
    const start = this.host.cycles;
    let now = start;
    now += this.fetchStall(pc, pa);
    // Operand interlock (x0 is never written, so ready[0] stays 0; CSR immediates sit in rs1).
    const cls = CLASS[op];
    let issue = now;
    if (cls !== C_CSRI && ready[rs1] > issue) issue = ready[rs1];
    if (ready[rs2] > issue) issue = ready[rs2];
    let extra = 0;
    let lat = 1;
    switch (cls) {
      case C_ALU:
        break;
      case C_LOAD_WORD:
        extra = this.dataAccess(ahi * TWO32 + (alo >>> 0) + imm);
        lat = extra + p.loadWordLatency;
        break;
      case C_LOAD_SUBWORD:
        extra = this.dataAccess(ahi * TWO32 + (alo >>> 0) + imm);
        lat = extra + p.loadSubwordLatency;
        break;
      case C_STORE:
        extra = this.dataAccess(ahi * TWO32 + (alo >>> 0) + imm);
        break;
      case C_ATOMIC:
        extra = this.dataAccess(ahi * TWO32 + (alo >>> 0));
        lat = extra + p.loadWordLatency;
        break;
      case C_MUL: case C_MULW: case C_DIV:
        // One iterative unit: a second mul/div waits for the first.
        if (this.mulDivFree > issue) issue = this.mulDivFree;
        lat = cls === C_MUL ? p.mulLatency : cls === C_MULW ? p.mulwLatency : divLatency(op, alo, ahi, blo, bhi, p.divBaseLatency);
        this.mulDivFree = issue + lat;
        break;
      case C_BRANCH:
        extra = this.branch(pc, pc + len, npc);
        break;
      case C_JAL:
        extra = this.predict(pc, len, npc, isLink(rd) ? CALL : JUMP);
        break;
      case C_JALR:
        extra = this.predict(pc, len, npc, isLink(rd) ? CALL : isLink(rs1) ? RET : JUMP);
        break;
      case C_CSR: case C_CSRI: {
        if (rd !== 0) lat = p.csrReadLatency;
        const writes = op === Op.csrrw || op === Op.csrrwi || rs1 !== 0;
        // Rocket flushes after every CSR write but those to the scratch registers.
        if (writes && imm !== 0x340 && imm !== 0x140) {
          extra = this.flush();
          if (imm === 0x180) this.syncSatp(false);
        }
        break;
      }
      case C_XRET_PRIV:
        this.fetchPriv = -1;
        extra = this.flush();
        break;
      case C_FENCE_I:
        extra = this.flush();
        this.icache.invalidateAll();
        break;
      case C_SFENCE: {
        extra = this.flush();
        const vpn = rs1 !== 0 ? Math.floor((ahi * TWO32 + (alo >>> 0)) / 4096) & 0x7ffffff : undefined;
        const asid = rs2 !== 0 && p.asidBits > 0 ? blo & this.asidMask : undefined;
        this.itlb.flush(vpn, asid);
        this.dtlb.flush(vpn, asid);
        break;
      }
      case C_XCALL:
        if (ahi < 0) {
          // Prefetch: the entry's line is brought into the D-cache without stalling the pipeline.
          if (!this.xpcCached) { this.dcache.access(this.xpcA); this.dLine = NaN; }
          break;
        }
        extra = this.flush() + p.xpcSwitchCycles
          + (this.xpcCached ? p.xpcEngineHitCycles : this.lines(this.xpcA, 64))
          + this.lines(this.xpcB, 1) + this.lines(this.xpcC, 128);
        this.syncSatp(false);
        break;
      case C_XRET:
        // Read the record, then clear its VALID flag (a second access, to a line just read).
        extra = this.flush() + p.xpcSwitchCycles + this.lines(this.xpcC, 128) + this.lines(this.xpcC + 112, 8);
        this.syncSatp(false);
        break;
      case C_SWAPSEG:
        // Read the slot, write the old segment back; the relay segment takes part in translation.
        extra = this.flush() + this.lines(this.xpcA, 32) + this.lines(this.xpcA, 32);
        break;
    }
    if (rd !== 0) ready[rd] = issue + lat;
    this.counters.interlockCycles += issue - now;
    // A small integer: a double result would be boxed on return.
    return (issue - start + 1 + extra) | 0;
  }

  // ---- Memory -------------------------------------------------------------------------------

  /** A data access at virtual `va`: D-TLB (and walk) plus D-cache; the stall cycles. */
  dataAccess(va: number): number {
    const dd = va - this.dLine;
    if (dd >= 0 && dd < this.dcache.lineBytes) return 0;
    const h = this.host;
    let priv = h.priv;
    if (priv === M_MODE && h.mstatus & MPRV) priv = (h.mstatus >>> MPP_SHIFT) & 3;
    let cost = 0;
    let pa: number;
    const x = h.xpc;
    if (priv === U_MODE && x.segActive && va >= x.segVaNum && va < x.segEndNum) {
      pa = x.segPaNum + (va - x.segVaNum); // the relay segment: never in the TLB
    } else if (priv === M_MODE || !this.sv39) {
      pa = va;
    } else {
      const vpn = Math.floor(va / 4096) & 0x7ffffff;
      pa = this.dtlb.lookup(vpn, va, this.asid);
      if (pa < 0) {
        this.counters.dtlbMisses++;
        cost += this.walk(vpn);
        if (!this.walkOk) { this.dLine = NaN; return cost; }
        this.dtlb.insert(vpn, this.walkLevel, this.asid, this.walkGlobal, this.walkBase);
        pa = this.walkBase + (vpn & ((1 << (9 * this.walkLevel)) - 1)) * 4096 + (va & 4095);
      }
    }
    if (h.bus.ram.offset(pa, 1) < 0) { this.dLine = NaN; return cost + this.params.uncachedPenalty; }
    if (!this.dcache.access(pa)) { this.counters.dcacheMisses++; cost += this.params.missPenalty; }
    // pa's line is now the most recent in the D-cache and its translation in the D-TLB. Every
    // address of the virtual line maps into it (a page holds whole lines), unless the relay
    // segment, which need not be aligned, covers part of the line only.
    const L = this.dcache.lineBytes;
    const line = va - (pa & (L - 1));
    const partial = priv === U_MODE && x.segActive && line < x.segEndNum && line + L > x.segVaNum
      && !(line >= x.segVaNum && line + L <= x.segEndNum);
    this.dLine = partial ? NaN : line;
    return cost;
  }

  /** Engine accesses to `bytes` at `pa` through the D-cache: xpcLineCycles per line, plus refills. */
  private lines(pa: number, bytes: number): number {
    const d = this.dcache;
    this.dLine = NaN;
    let cost = 0;
    const last = d.line(pa + bytes - 1);
    for (let line = d.line(pa); line <= last; line++) {
      cost += this.params.xpcLineCycles;
      if (!d.access(line * (1 << d.lineShift))) { this.counters.dcacheMisses++; cost += this.params.missPenalty; }
    }
    return cost;
  }

  /**
   * An Sv39 walk for timing: PTE reads through the D-cache. It reads the page table as memory
   * holds it now (side-effect free: the hart's own walk sets A/D). Leaves walkOk/Level/Base/Global.
   */
  private walk(vpn: number): number {
    const p = this.params;
    const ram = this.host.bus.ram;
    let cost = p.ptwBaseCycles;
    let table = this.root;
    this.walkOk = false;
    this.dLine = NaN;
    for (let level = 2; level >= 0; level--) {
      const pteAddr = table + ((vpn >>> (9 * level)) & 511) * 8;
      cost += p.ptwLevelCycles;
      const off = ram.offset(pteAddr, 8);
      if (off < 0) return cost;
      if (!this.dcache.access(pteAddr)) { this.counters.dcacheMisses++; cost += p.missPenalty; }
      const lo = ram.view.getInt32(off, true), hi = ram.view.getInt32(off + 4, true);
      if (!(lo & PTE_V) || (!(lo & PTE_R) && lo & PTE_W) || (hi >>> 22) !== 0) return cost;
      const ppn = (hi >>> 0) * 4194304 + (lo >>> 10);
      if (lo & (PTE_R | PTE_X)) {
        if (ppn % 2 ** (9 * level) !== 0) return cost;
        this.walkOk = true;
        this.walkLevel = level;
        this.walkBase = ppn * 4096;
        this.walkGlobal = (lo & PTE_G) !== 0;
        return cost;
      }
      table = ppn * 4096;
    }
    return cost;
  }

  /** Picks up a satp change: the translation root, and without ASIDs a flush of both TLBs. */
  private syncSatp(force: boolean): void {
    const s = this.host.satp;
    if (!force && s === this.satp) return;
    this.satp = s;
    this.sv39 = s >> 60n === 8n;
    this.asid = Number((s >> 44n) & 0xffffn) & this.asidMask;
    this.root = Number(s & 0xfffffffffffn) * 4096;
    this.fetchPage = NaN;
    this.dLine = NaN;
    if (!force && this.params.asidBits === 0) { this.itlb.flush(); this.dtlb.flush(); }
  }

  private flush(): number {
    this.fetchPage = NaN;
    this.dLine = NaN;
    this.counters.flushes++;
    return this.params.flushPenalty;
  }

  // ---- Branch prediction --------------------------------------------------------------------

  /**
   * predict() for a conditional branch at `pc` (falling through to `fall`, going to `npc`): the
   * common case, a BTB entry found through its hint that already records a branch, in a few
   * array accesses small enough for V8 to inline into compiled blocks; anything else takes
   * predict(), which does the same in general.
   */
  branch(pc: number, fall: number, npc: number): number {
    const e = this.btbHint[(pc >>> 1) & 4095];
    if (e < 0 || this.btbTag[e] !== pc || this.btbKind[e] !== BRANCH) return this.predict(pc, fall - pc, npc, BRANCH);
    const bhtIndex = (pc >>> 1) & (this.bht.length - 1);
    const predicted = this.bht[bhtIndex] ? this.btbTarget[e] : fall;
    this.btbStamps[e] = ++this.btbClock;
    const taken = npc !== fall;
    this.bht[bhtIndex] = taken ? 1 : 0;
    if (taken) this.btbTarget[e] = npc;
    if (predicted === npc) return 0;
    this.counters.mispredicts++;
    return this.params.mispredictPenalty;
  }

  /** predict() for a plain jump (no link, not a return) at `pc` to `npc`, as branch() is for branches. */
  jump(pc: number, fall: number, npc: number): number {
    const e = this.btbHint[(pc >>> 1) & 4095];
    if (e < 0 || this.btbTag[e] !== pc || this.btbKind[e] !== JUMP || npc === fall) return this.predict(pc, fall - pc, npc, JUMP);
    const predicted = this.btbTarget[e];
    this.btbStamps[e] = ++this.btbClock;
    this.btbTarget[e] = npc;
    if (predicted === npc) return 0;
    this.counters.mispredicts++;
    return this.params.mispredictPenalty;
  }

  /** Predicts a control transfer at `pc` as Rocket's frontend would; returns the penalty. */
  predict(pc: number, len: number, npc: number, kind: number): number {
    const fall = pc + len;
    const bhtIndex = (pc >>> 1) & (this.bht.length - 1);
    let e = this.btbFind(pc);
    // Without a BTB hit the frontend fetches straight on.
    let predicted = fall;
    if (e >= 0) {
      const k = this.btbKind[e];
      if (k === BRANCH) { if (this.bht[bhtIndex]) predicted = this.btbTarget[e]; }
      else if (k === RET && this.rasCount > 0) predicted = this.ras[this.rasTop];
      else predicted = this.btbTarget[e];
      this.btbStamps[e] = ++this.btbClock;
    }
    const n = this.ras.length;
    if (kind === CALL) {
      this.rasTop = (this.rasTop + 1) % n;
      this.ras[this.rasTop] = fall;
      if (this.rasCount < n) this.rasCount++;
    } else if (kind === RET && this.rasCount > 0) {
      this.rasTop = (this.rasTop + n - 1) % n;
      this.rasCount--;
    }
    const taken = npc !== fall;
    if (kind === BRANCH) this.bht[bhtIndex] = taken ? 1 : 0;
    if (taken) {
      if (e < 0) {
        e = 0;
        for (let i = 1; i < this.btbStamps.length; i++) if (this.btbStamps[i] < this.btbStamps[e]) e = i;
        this.btbReplace(e, pc);
        this.btbStamps[e] = ++this.btbClock;
      }
      this.btbTarget[e] = npc;
      this.btbKind[e] = kind;
    }
    if (predicted === npc) return 0;
    this.counters.mispredicts++;
    return this.params.mispredictPenalty;
  }

  private btbFind(pc: number): number {
    const e = this.btbHint[(pc >>> 1) & 4095];
    if (e >= 0 && this.btbTag[e] === pc) return e;
    if (this.btbAliased === 0) return -1;
    for (let i = 0; i < this.btbTag.length; i++) if (this.btbTag[i] === pc) return i;
    return -1;
  }

  /** Entry `e` now holds `pc` (its old branch, if any, is evicted); keeps the hint index exact. */
  private btbReplace(e: number, pc: number): void {
    const hint = this.btbHint;
    const old = this.btbTag[e];
    if (!Number.isNaN(old)) {
      const h = (old >>> 1) & 4095;
      if (hint[h] === e) {
        hint[h] = -1;
        // An aliased entry with the same hash takes over the slot.
        for (let i = 0; i < this.btbTag.length; i++) {
          if (i !== e && !Number.isNaN(this.btbTag[i]) && ((this.btbTag[i] >>> 1) & 4095) === h) { hint[h] = i; this.btbAliased--; break; }
        }
      } else this.btbAliased--;
    }
    this.btbTag[e] = pc;
    const h = (pc >>> 1) & 4095;
    if (hint[h] >= 0 && hint[h] !== e) this.btbAliased++;
    else hint[h] = e;
  }

  private rebuildBtbHints(): void {
    this.btbHint.fill(-1);
    this.btbAliased = 0;
    for (let i = 0; i < this.btbTag.length; i++) {
      if (Number.isNaN(this.btbTag[i])) continue;
      const h = (this.btbTag[i] >>> 1) & 4095;
      if (this.btbHint[h] >= 0) this.btbAliased++; else this.btbHint[h] = i;
    }
  }

  // ---- Snapshots ----------------------------------------------------------------------------

  capture(): TimingState {
    return {
      profile: this.params.name, ready: this.ready.slice(), mulDivFree: this.mulDivFree,
      icache: this.icache.capture(), dcache: this.dcache.capture(), itlb: this.itlb.capture(), dtlb: this.dtlb.capture(),
      btbTag: this.btbTag.slice(), btbTarget: this.btbTarget.slice(), btbKind: this.btbKind.slice(), btbStamps: this.btbStamps.slice(), btbClock: this.btbClock,
      bht: this.bht.slice(), ras: this.ras.slice(), rasTop: this.rasTop, rasCount: this.rasCount, satp: this.satp,
    };
  }

  restore(s: TimingState): void {
    if (s.profile !== this.params.name) throw new Error(`timing: snapshot of profile ${s.profile} restored into ${this.params.name}`);
    this.ready.set(s.ready); this.mulDivFree = s.mulDivFree;
    this.icache.restore(s.icache); this.dcache.restore(s.dcache); this.itlb.restore(s.itlb); this.dtlb.restore(s.dtlb);
    this.btbTag.set(s.btbTag); this.btbTarget.set(s.btbTarget); this.btbKind.set(s.btbKind); this.btbStamps.set(s.btbStamps); this.btbClock = s.btbClock;
    this.rebuildBtbHints();
    this.bht.set(s.bht); this.ras.set(s.ras); this.rasTop = s.rasTop; this.rasCount = s.rasCount;
    // The hart restores satp alongside: take the root from it without flushing.
    this.satp = s.satp;
    this.syncSatp(true);
  }
}

/** Significant bits of a non-negative bigint (0 for 0). */
function bitLength(v: bigint): number { return v === 0n ? 0 : v.toString(2).length; }

/**
 * Rocket's divider retires one quotient bit per cycle and skips the leading ones that must be
 * zero (divEarlyOut): latency = base + max(1, bits(|a|) − bits(|b|) + 1); dividing by zero runs
 * the full operand width.
 */
function divLatency(op: number, alo: number, ahi: number, blo: number, bhi: number, base: number): number {
  const word = op === Op.divw || op === Op.divuw || op === Op.remw || op === Op.remuw;
  const signed = op === Op.div || op === Op.rem || op === Op.divw || op === Op.remw;
  const width = word ? 32 : 64;
  const pair = (lo: number, hi: number) => (BigInt(hi) << 32n) | BigInt(lo >>> 0);
  let a = word ? BigInt(alo >>> 0) : pair(alo, ahi) & ((1n << 64n) - 1n);
  let b = word ? BigInt(blo >>> 0) : pair(blo, bhi) & ((1n << 64n) - 1n);
  if (signed) {
    a = BigInt.asIntN(width, a); b = BigInt.asIntN(width, b);
    if (a < 0n) a = -a;
    if (b < 0n) b = -b;
  }
  if (b === 0n) return base + width;
  return base + Math.max(1, bitLength(a) - bitLength(b) + 1);
}
