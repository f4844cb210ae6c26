// Time travel in the debugger (issue #11; the engine is emulator/replay, docs/time-travel.md).
// The runtime drives its machine through a MachineDriver: directly (timeTravel off), or through
// a replay Timeline, which records checkpoints and every host input (console, setVariable,
// writeMemory) by instruction count. This module owns that driver and every backwards
// operation: step back by instruction or line, reverse step over/out, reverse continue, last
// write, go to an instruction count and bookmarks. Each is reported through Runtime.operate like
// any stop, so views, frames and the `xpc.stateChanged` event follow as after a forward step.
// Those that search the history back (reverse continue, reverse step over/out, step back when the
// previous position is not where it stops, last write) may cover a long history: they run inside
// Runtime.operate in slices, as a forward continue does, and a pause ends them where they have
// got to. Go to and bookmarks are one seek (one interval's re-execution) and run synchronously.
//
// What must stay true after travelling: everything shown is the state at the position. The
// machine state is the Timeline's business; the runtime's own bookkeeping is rebuilt here (the
// x-entry ids of the calls in progress, from a log of xcalls by position) or filtered by
// position (the call trace). Hooks fire again while the Timeline re-executes: an XPC event
// whose step is below `timeline.end` was seen before and is not traced twice.

import type { CodeBreakpoint, Outcome, Runtime, StopInfo } from './runtime';
import type { CodePoint } from './target';
import { Machine, StopReason } from '../emulator/machine/machine';
import { HardwareWriter, HartStop, Priv, TrapEvent, Watchpoint } from '../emulator/hart/hart';
import { XpcEvent } from '../emulator/hart/xpc';
import { Op } from '../emulator/hart/op.generated';
import { BackwardSearch, HistoryError, StepScan, Timeline, WriteTarget } from '../emulator/replay';
import { registerNumber } from '../emulator/isa/registers';
import { csrByName } from '../emulator/isa/csrs';
import { describeTrap } from './causes';
import { LaunchError, SourceLine } from './program';

/** How the runtime runs the machine and hands it host input: directly or through the Timeline. */
export interface MachineDriver {
  run(maxSteps: number): StopReason;
  setBreakpoints(points: Iterable<number | CodePoint>): void;
  setWatchpoints(list: readonly Watchpoint[]): void;
  setTrapStops(causes: Iterable<number>): void;
  /** A debugger write to physical RAM; false where there is no RAM. */
  writePhysical(pa: number, data: Uint8Array): boolean;
  /** Console input to the UART receiver. */
  input(bytes: Uint8Array): void;
}

/** timeTravel: false — the machine as it is, nothing recorded. */
export function directDriver(machine: Machine): MachineDriver {
  const h = machine.hart;
  return {
    run: (n) => machine.run(n),
    setBreakpoints: (p) => h.setBreakpoints(p),
    setWatchpoints: (l) => h.setWatchpoints(l),
    setTrapStops: (c) => h.setTrapStops(c),
    writePhysical: (pa, d) => machine.writePhysical(pa, d),
    input: (b) => machine.injectUartInput(b),
  };
}

// ---- Launch attributes ------------------------------------------------------------------------

export interface TimeTravelOptions {
  /** Record for time travel (default true). */
  readonly timeTravel?: boolean;
  /** Memory the history may use, in MiB (default 512). */
  readonly historyBudgetMiB?: number;
}

export const DEFAULT_HISTORY_BUDGET_MIB = 512;

/** The launch attributes `timeTravel` and `historyBudgetMiB`, checked. */
export function timeTravelLaunchOptions(args: { timeTravel?: unknown; historyBudgetMiB?: unknown }): TimeTravelOptions {
  if (args.timeTravel !== undefined && typeof args.timeTravel !== 'boolean') throw new LaunchError(`launch: timeTravel must be true or false (got ${JSON.stringify(args.timeTravel)})`);
  const b = args.historyBudgetMiB;
  if (b !== undefined && (typeof b !== 'number' || !Number.isInteger(b) || b < 1 || b > 65536)) {
    throw new LaunchError(`launch: historyBudgetMiB is the time-travel history's memory in MiB, an integer from 1 to 65536 (got ${JSON.stringify(b)})`);
  }
  return { timeTravel: args.timeTravel as boolean | undefined, historyBudgetMiB: b as number | undefined };
}

const OFF = 'time travel is off for this session (launch attribute timeTravel: false)';

/** The session's time travel, or an error saying why there is none. */
export function requireTravel(rt: Runtime): TimeTravel {
  if (!rt.travel) throw new Error(OFF);
  if (rt.hasEnded) throw new Error('the program has exited: its history ended with the session');
  return rt.travel;
}

// ---- The recording driver and the backwards operations ----------------------------------------

type Granularity = 'line' | 'instruction';

/** A stop to report, and the trap to show (exceptionInfo, the trap frame) when it is one. */
export interface TravelStop {
  readonly outcome: Outcome;
  readonly trap?: TrapEvent;
  /**
   * Nothing moved (a last write that found nothing): reported as a stop only if the client was
   * told the program runs (a `continued` event, sent when the search outlasted a slice).
   */
  readonly quiet?: boolean;
}

/** What a sliced travel asks of report() between slices. */
export interface SliceControl {
  /** A pause has been asked for. */
  paused(): boolean;
  /** The travel is about to yield to the event loop (it will outlast this slice). */
  yielding(): void;
}

/**
 * A travel that may take long (a backwards search): run by report() in slices, with the event
 * loop served in between, as a forward continue runs.
 */
export interface SlicedTravel {
  readonly sliced: (ctl: SliceControl) => Promise<TravelStop>;
}

/** How fast a search goes decides its slice: the hart's stop conditions (block speed), or a test after every step. */
type SearchKind = 'conditions' | 'steps';

interface BookmarkNote { readonly pc: number; readonly source?: SourceLine }

/** A search slice aims at this many milliseconds (as the runtime's forward slices): a pause is served within about one. */
const SEARCH_SLICE_MS = 8;

const WRITERS: Record<HardwareWriter, string> = {
  xcall: 'the xcall (its linkage record)',
  xret: 'the xret (its linkage record\'s VALID flag)',
  swapseg: 'the swapseg (its seg-list slot)',
  'page walker': 'the page walker (A/D bits, for the instruction just executed)',
};

/** "write of 8 bytes at physical 0x…", and who wrote when it was the hardware on an instruction's behalf. */
export function describeWatchHit(stop: Extract<HartStop, { kind: 'watchpoint' }>): string {
  const what = `${stop.access} of ${stop.size} byte${stop.size > 1 ? 's' : ''} at physical 0x${stop.pa.toString(16)}`;
  return stop.writer ? `${what} by ${WRITERS[stop.writer]}` : what;
}

const fmt = (n: number): string => n.toLocaleString('en');
const hex = (v: number | bigint): string => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;
const sameLine = (a: SourceLine | undefined, b: SourceLine | undefined) => a !== undefined && b !== undefined && a.file === b.file && a.line === b.line;
const step = (description?: string): Outcome => ({ kind: 'stop', info: { reason: 'step', description } });

/** A paused backwards operation's stop: what it established, from where it started. */
function pausedStop(what: string, position: number, from: number, nothing: string): TravelStop {
  const searched = position < from ? `${nothing} between here and instruction ${fmt(from)}, where it started` : 'nothing searched yet';
  return { outcome: { kind: 'stop', info: { reason: 'pause', description: `${what} paused: ${searched}` } } };
}

const isPaused = (t: TravelStop): boolean => t.outcome.kind === 'stop' && t.outcome.info.reason === 'pause';

export class TimeTravel implements MachineDriver {
  readonly timeline: Timeline;
  private breakpoints: (number | CodePoint)[] = [];
  private watchpoints: Watchpoint[] = [];
  private trapStops: number[] = [];
  /** Per linkage-record address: the positions of the xcalls that wrote it, and their x-entry ids. */
  private readonly xcalls = new Map<number, { steps: number[]; ids: number[] }>();
  private readonly bookmarkNotes = new Map<number, BookmarkNote>();
  private toldAboutHistory = false;
  /** Steps per search slice by kind, adapted to SEARCH_SLICE_MS as the runtime adapts its forward slices. */
  private readonly searchSlice: Record<SearchKind, number> = { conditions: 200_000, steps: 20_000 };
  private readonly budgetMiB: number;
  /** Messages for the Debug Console. */
  private readonly console: (text: string) => void;
  /** Tells the client the program runs (a custom request's travel that outlasts a slice). */
  private readonly continued: () => void;

  constructor(private readonly rt: Runtime, opts: { budgetMiB?: number; output: (byte: number) => void; console: (text: string) => void; continued?: () => void }) {
    this.budgetMiB = opts.budgetMiB ?? DEFAULT_HISTORY_BUDGET_MIB;
    this.console = opts.console;
    this.continued = opts.continued ?? (() => undefined);
    // Output this history already produced was shown when it was first produced.
    this.timeline = new Timeline(rt.machine, { memoryBudget: this.budgetMiB * 1024 * 1024, onOutput: (b, replayed) => { if (!replayed) opts.output(b); } });
    const engine = rt.machine.hart.xpc;
    const previous = engine.onEvent;
    // Before the runtime's hook: it skips events seen before, the x-entry id is wanted anyway.
    engine.onEvent = (e) => { this.noteXpc(e); previous?.(e); };
  }

  // ---- MachineDriver: conditions live in the Timeline (travelling swaps the hart's) --------

  run(maxSteps: number): StopReason { return this.timeline.run(maxSteps); }
  setBreakpoints(points: Iterable<number | CodePoint>): void { this.breakpoints = [...points]; this.sync(); }
  setWatchpoints(list: readonly Watchpoint[]): void { this.watchpoints = [...list]; this.sync(); }
  setTrapStops(causes: Iterable<number>): void { this.trapStops = [...causes]; this.sync(); }
  private sync(): void { this.timeline.setConditions({ breakpoints: this.breakpoints, watchpoints: this.watchpoints, trapStops: this.trapStops }); }

  writePhysical(pa: number, data: Uint8Array): boolean {
    if (this.rt.machine.ram.offset(pa, data.length) < 0) return false;
    this.beforeInput('A memory write');
    this.timeline.writeMemory(pa, data);
    this.afterInput();
    return true;
  }

  input(bytes: Uint8Array): void {
    this.beforeInput('Console input');
    this.timeline.input(bytes);
    this.afterInput();
  }

  /** setVariable on a register, pc or CSR, recorded; false if `name` is none of them. */
  setVariable(name: string, value: bigint): boolean {
    const h = this.rt.machine.hart;
    const tl = this.timeline;
    if (name === 'pc') {
      this.beforeInput('Setting pc');
      tl.setPc(Number(BigInt.asIntN(64, value)));
      h.flushDecodeCache();
    } else if (registerNumber(name) !== undefined) {
      const r = registerNumber(name)!;
      if (r === 0) return true;
      this.beforeInput(`Setting ${name}`);
      tl.setRegister(r, value);
    } else {
      const c = csrByName(name);
      if (!c || c.unimplemented || c.readOnly) return false;
      this.beforeInput(`Setting ${name}`);
      tl.setCsr(c.number, value);
    }
    this.afterInput();
    return true;
  }

  /** New input in the past starts a new history (the engine's rule): say so before it happens. */
  private beforeInput(what: string): void {
    const tl = this.timeline;
    if (tl.position >= tl.end) return;
    this.console(`[time travel] ${what} at instruction ${fmt(tl.position)}, in the recorded past: the history after it ` +
      `(${fmt(tl.end - tl.position)} instructions, up to ${fmt(tl.end)}) is discarded, with its bookmarks; a new history starts here.\n`);
  }

  /** After input: drop what the runtime kept of a discarded future. */
  private afterInput(): void {
    const pos = this.timeline.position;
    const trace = this.rt.callTrace;
    let keep = trace.length;
    while (keep > 0 && trace[keep - 1].instructions >= pos) keep--;
    trace.splice(keep);
    for (const log of this.xcalls.values()) {
      let n = log.steps.length;
      while (n > 0 && log.steps[n - 1] >= pos) n--;
      log.steps.length = n;
      log.ids.length = n;
    }
  }

  // ---- What the runtime asks ----------------------------------------------------------------

  /** An XPC event from a re-execution of history already recorded (not to be traced twice). */
  seenBefore(steps: number): boolean { return steps < this.timeline.end; }

  private noteXpc(e: XpcEvent): void {
    if (e.kind !== 'xcall') return;
    this.rt.callIds.set(e.record, e.id);
    if (this.seenBefore(e.steps)) return;
    let log = this.xcalls.get(e.record);
    if (!log) this.xcalls.set(e.record, log = { steps: [], ids: [] });
    log.steps.push(e.steps);
    log.ids.push(e.id);
  }

  /**
   * After every stop: the x-entry ids of the calls in progress at this position (the record on
   * the link stack was written by the last xcall at its address before now), whatever history
   * the runtime's own bookkeeping saw last.
   */
  afterStop(): void {
    const pos = this.timeline.position;
    for (const r of this.rt.machine.hart.xpc.view().linkStack) {
      const log = this.xcalls.get(r.address);
      if (!log) continue;
      let lo = 0, hi = log.steps.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (log.steps[mid] < pos) lo = mid + 1; else hi = mid; }
      if (lo > 0) this.rt.callIds.set(r.address, log.ids[lo - 1]);
    }
  }

  /** A stop in the recorded past says so (the first one also explains what that means). */
  annotate(info: StopInfo): StopInfo {
    const tl = this.timeline;
    if (tl.position >= tl.end) return info;
    if (!this.toldAboutHistory) {
      this.toldAboutHistory = true;
      this.console(`[time travel] Now in the recorded past (instruction ${fmt(tl.position)} of ${fmt(tl.end)}). Going forward replays ` +
        'the recorded history deterministically, console input included; its UART output was shown when first produced and is ' +
        'not printed again. Input given in the past (console, setVariable, memory writes) discards the recorded future.\n');
    }
    const where = `at instruction ${fmt(tl.position)} of ${fmt(tl.end)} (history)`;
    return { ...info, description: info.description ? `${info.description} — ${where}` : where };
  }

  /**
   * Reports a travel's stop as any stop is reported (stateChanged, frames, description). A sliced
   * travel runs here, as an operation of the runtime: it is running meanwhile, so a pause
   * request reaches it and other requests are answered as during a forward continue. With
   * `announce` (a custom request: the client does not know it runs) a travel that outlasts its
   * first slice sends a `continued` event first, so the client offers pause.
   */
  report(travel: TravelStop | SlicedTravel, announce = false): Promise<void> {
    let told = false;
    const ctl: SliceControl = {
      paused: () => this.rt.pausePending,
      yielding: () => {
        if (told || !announce) return;
        told = true;
        this.continued();
      },
    };
    return this.rt.operate(async () => {
      const stop = 'sliced' in travel ? await travel.sliced(ctl) : travel;
      if (stop.trap) this.rt.lastTrap = stop.trap;
      return stop.quiet && !told ? { kind: 'none' } : stop.outcome;
    });
  }

  /** Runs a backwards search a slice at a time, yielding to the event loop; a pause ends it where it got to. */
  private async runSearch<R>(search: BackwardSearch<R>, ctl: SliceControl, kind: SearchKind): Promise<R> {
    for (;;) {
      if (ctl.paused()) return search.pause();
      const t0 = performance.now();
      const r = search.advance(this.searchSlice[kind]);
      if (r !== undefined) return r;
      const ms = performance.now() - t0;
      const slice = this.searchSlice[kind];
      this.searchSlice[kind] = Math.max(1000, Math.min(50_000_000, Math.round(slice * Math.min(4, Math.max(0.25, SEARCH_SLICE_MS / Math.max(ms, 0.1))))));
      ctl.yielding();
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** How far back the history reaches, in words, for messages at its start. */
  private reach(): string {
    const tl = this.timeline;
    return tl.start === 0 ? 'the history reaches back to the start of the run'
      : `the history reaches back to instruction ${fmt(tl.start)}; the history budget of ${this.budgetMiB} MiB (historyBudgetMiB) keeps no more`;
  }

  private atStart(): TravelStop {
    const text = `at the start of the recorded history (instruction ${fmt(this.timeline.position)}): ${this.reach()}`;
    return { outcome: step(text) };
  }

  // ---- Stepping back -----------------------------------------------------------------------

  /**
   * Where a backwards step may stop: not inside a trap handler unless stopInKernel (as forward
   * steps run through them), and, under a kernel, only in the stepping thread.
   */
  private context(): (m: Machine) => boolean {
    const rt = this.rt;
    const startPriv = rt.machine.hart.priv;
    const thread = rt.target.currentThread();
    const kernel = rt.stopInKernel;
    const multi = rt.target.multithreaded;
    return (m) => (kernel || m.hart.priv <= startPriv) && (!multi || rt.target.currentThread() === thread);
  }

  /**
   * The current frame or one of its callers: a lower link-stack depth (before an xcall), or the
   * same depth with a higher stack pointer, or the same sp in the same function (a leaf callee
   * keeps its caller's sp but is another function).
   */
  private sameOrOuterFrame(): (m: Machine) => boolean {
    const rt = this.rt;
    const h = rt.machine.hart;
    const depth = rt.linkDepth;
    const sp = BigInt.asUintN(64, h.getReg(2));
    const fn = rt.debug.functionAt(h.pc)?.address;
    return (m) => {
      const d = rt.linkDepth;
      if (d !== depth) return d < depth;
      const s = BigInt.asUintN(64, m.hart.getReg(2));
      if (s !== sp) return s > sp;
      return rt.debug.functionAt(m.hart.pc)?.address === fn;
    };
  }

  /** The start of a line other than this one (or of this one, from its middle); code without lines stops at once, as forward. */
  private lineStop(): (m: Machine) => boolean {
    const rt = this.rt;
    const h = rt.machine.hart;
    const startLine = rt.debug.lineAt(h.pc);
    const fromStart = rt.debug.isLineStart(h.pc);
    return (m) => {
      const d = rt.debug;
      const pc = m.hart.pc;
      const line = d.lineAt(pc);
      // The XPC library is passed through by line, as forward steps pass through it.
      if (rt.inLibrary()) return false;
      if (!line) return true;
      return d.isLineStart(pc) && (!fromStart || !sameLine(line, startLine));
    };
  }

  /**
   * Back to the last position before this one where `test` holds. The previous position is
   * tried first (a travel of one step, cheap with the checkpoint it leaves nearby); only when it
   * does not match is history scanned step by step, in slices: `what` and `nothing` describe a
   * pause ("reverse step over" paused: "no earlier line of this frame" between here and …).
   */
  private async back(test: (m: Machine) => boolean, ctl: SliceControl, what: string, nothing: string): Promise<TravelStop> {
    const tl = this.timeline;
    if (tl.position <= tl.start) return this.atStart();
    const from = tl.position;
    tl.stepBack(1);
    if (test(this.rt.machine)) return { outcome: step() };
    return this.scanBack({ test }, ctl, what, from, nothing);
  }

  /** findLast in slices: a step stop at the match, the start of the history, or a pause. */
  private async scanBack(scan: StepScan, ctl: SliceControl, what: string, from: number, nothing: string): Promise<TravelStop> {
    const r = await this.runSearch(this.timeline.beginFindLast(scan), ctl, 'steps');
    if (r.kind === 'paused') return pausedStop(what, r.position, from, nothing);
    return r.kind === 'found' ? { outcome: step() } : this.atStart();
  }

  /**
   * By line, a stop is at the first instruction of the line's execution: a line with several
   * rows (a macro: `li a7, n` + `ecall`) is entered at its first, as a forward step would
   * have stopped there. Goes back while the previous position is the same line, just before.
   */
  private toLineStart(ctx: (m: Machine) => boolean): void {
    const rt = this.rt;
    const tl = this.timeline;
    const h = rt.machine.hart;
    const line = rt.debug.lineAt(h.pc);
    if (!line) return;
    for (let i = 0; i < 64 && tl.position > tl.start; i++) {
      const here = tl.position, pc = h.pc;
      tl.stepBack(1);
      if (!(ctx(rt.machine) && h.pc < pc && h.pc >= pc - 64 && sameLine(rt.debug.lineAt(h.pc), line))) {
        tl.seek(here);
        return;
      }
    }
  }

  private async backToLine(test: (m: Machine) => boolean, ctx: (m: Machine) => boolean, ctl: SliceControl, what: string, nothing: string): Promise<TravelStop> {
    const r = await this.back(test, ctl, what, nothing);
    if (!isPaused(r) && this.timeline.position > this.timeline.start) this.toLineStart(ctx);
    return r;
  }

  /**
   * DAP stepBack: by instruction or line, into callees (backwards: their last line). Usually the
   * previous position or a few back; under a kernel the previous instruction of this thread
   * outside the kernel may lie far back (other threads ran since), so it runs in slices too.
   */
  stepBack(granularity: Granularity): SlicedTravel {
    return {
      sliced: (ctl) => {
        const ctx = this.context();
        if (granularity === 'instruction' || !this.rt.debug.lineAt(this.rt.machine.hart.pc)) return this.back(ctx, ctl, 'step back', 'no earlier instruction of this thread');
        const line = this.lineStop();
        return this.backToLine((m) => ctx(m) && line(m), ctx, ctl, 'step back', 'no earlier line of this thread');
      },
    };
  }

  /** Reverse step over (gdb reverse-next): as stepBack, but never into a callee (calls and xcalls); in slices. */
  reverseStepOver(granularity: Granularity): SlicedTravel {
    return { sliced: (ctl) => this.reverseStepOverSliced(granularity, ctl) };
  }

  private reverseStepOverSliced(granularity: Granularity, ctl: SliceControl): Promise<TravelStop> {
    const ctx = this.context();
    const frame = this.sameOrOuterFrame();
    const what = 'reverse step over';
    if (granularity === 'instruction' || !this.rt.debug.lineAt(this.rt.machine.hart.pc)) return this.back((m) => ctx(m) && frame(m), ctl, what, 'no earlier instruction of this frame');
    const line = this.lineStop();
    return this.backToLine((m) => ctx(m) && frame(m) && line(m), ctx, ctl, what, 'no earlier line of this frame');
  }

  /**
   * Reverse step out (gdb reverse-finish): back to the call that entered this function — the
   * caller's xcall for an x-entry handler (the last position at a lower link depth), else the
   * `jal`/`jalr` before the return address the unwinder finds. Without a caller: reverse step
   * over. In slices: a function entered long ago is a long way back.
   */
  reverseStepOut(): SlicedTravel {
    return { sliced: (ctl) => this.reverseStepOutSliced(ctl) };
  }

  private async reverseStepOutSliced(ctl: SliceControl): Promise<TravelStop> {
    const rt = this.rt;
    const h = rt.machine.hart;
    const tl = this.timeline;
    if (tl.position <= tl.start) return this.atStart();
    const ctx = this.context();
    const depth = rt.linkDepth;
    const from = tl.position;
    const what = 'reverse step out';
    const nothing = 'no call of this function';
    if (rt.handlerEntryAt(h.pc) !== undefined) return this.scanBack({ test: (m) => ctx(m) && rt.linkDepth < depth }, ctl, what, from, 'no xcall of this handler');
    const caller = rt.unwind()[1];
    if (caller === undefined) return this.reverseStepOverSliced('line', ctl);
    const callSite = [4, 2].map((len) => caller - len).find((a) => {
      const ins = rt.instructionAt(a);
      return ins.len === caller - a && ins.rd === 1 && (ins.op === Op.jal || ins.op === Op.jalr);
    }) ?? caller - 4;
    const asid = rt.asid;
    const sp = BigInt.asUintN(64, h.getReg(2));
    const at = (strict: boolean): StepScan => ({
      test: (m) => {
        if (m.hart.pc !== callSite || rt.linkDepth !== depth || rt.asid !== asid || !ctx(m)) return false;
        const s = BigInt.asUintN(64, m.hart.getReg(2));
        return strict ? s > sp : s >= sp;
      },
    });
    // Direct recursion: a call from this very frame (same sp) to itself has returned already;
    // the caller's call is made with a higher sp (unless still in the prologue: then retried).
    const recursive = rt.debug.functionAt(callSite)?.address === rt.debug.functionAt(h.pc)?.address;
    if (recursive) {
      const r = await this.runSearch(tl.beginFindLast(at(true)), ctl, 'steps');
      if (r.kind === 'paused') return pausedStop(what, r.position, from, nothing);
      if (r.kind === 'found') return { outcome: step() };
      tl.seek(from);
    }
    return this.scanBack(at(false), ctl, what, from, nothing);
  }

  // ---- Reverse continue --------------------------------------------------------------------

  /**
   * Back to the previous stop a forward run would have made: a breakpoint whose condition holds
   * there (logpoints never stop; hit counts count forward runs only), a data breakpoint, an
   * exception filter. Without one, the start of the history. The search runs in slices when
   * report() runs it, and a pause stops it where it has got to.
   */
  reverseContinue(): SlicedTravel {
    return { sliced: (ctl) => this.reverseContinueSliced(ctl) };
  }

  private async reverseContinueSliced(ctl: SliceControl): Promise<TravelStop> {
    const tl = this.timeline;
    const from = tl.position;
    for (;;) {
      const r = await this.runSearch(tl.beginSearchBack(tl.stopConditions), ctl, 'conditions');
      if (r.kind === 'paused') return pausedStop('reverse continue', r.position, from, 'no stop');
      if (r.kind === 'historyStart') {
        return { outcome: step(`no earlier breakpoint, data breakpoint or exception stop: at the start of the recorded history (instruction ${fmt(tl.position)}); ${this.reach()}`) };
      }
      const s = r.stop;
      if (s.kind === 'watchpoint') {
        const hit = this.rt.watches.filter((w) => s.pa < w.end && s.pa + s.size > w.start && (s.access === 'write' ? w.write : w.read));
        return { outcome: { kind: 'stop', info: { reason: 'data breakpoint', description: `${hit[0]?.label ?? 'watchpoint'}: ${describeWatchHit(s)}`, text: hit[0]?.label, hitBreakpointIds: hit.map((w) => w.id) } } };
      }
      if (s.kind === 'trap') {
        const trap = this.trapHere();
        const d = describeTrap(trap.cause, trap.interrupt, trap.tval);
        return { outcome: { kind: 'stop', info: { reason: 'exception', description: d.summary, text: d.name } }, trap };
      }
      const hits = this.breakpointsAt(s.pc);
      if (hits.stop) return { outcome: { kind: 'stop', info: hits.stop } };
    }
  }

  /** The user breakpoints that stop here going backwards (conditions evaluated at this position). */
  private breakpointsAt(pc: number): { stop?: StopInfo } {
    const rt = this.rt;
    const hits: CodeBreakpoint[] = [];
    let conditionError: string | undefined;
    for (const b of rt.breakpoints) {
      if (!rt.atPoint(b.points, pc) || b.logMessage !== undefined) continue;
      const c = rt.conditionHolds(b);
      if (!c.holds) continue;
      if (c.error) conditionError = c.error;
      hits.push(b);
    }
    return hits.length ? { stop: rt.breakpointStop(hits, conditionError) } : {};
  }

  /** The trap just taken, read back from the CSRs of the mode that took it. */
  private trapHere(): TrapEvent {
    const h = this.rt.machine.hart;
    const s = h.priv === Priv.S;
    const cause = s ? h.scause : h.mcause;
    const fromPriv: Priv = s ? ((h.mstatus >> 8) & 1 ? Priv.S : Priv.U) : (((h.mstatus >> 11) & 3) as Priv);
    return {
      cause: Number(cause & 0xffffn), interrupt: (cause >> 63n & 1n) === 1n, tval: s ? h.stval : h.mtval,
      epc: s ? h.sepc : h.mepc, fromPriv, toPriv: h.priv,
    };
  }

  // ---- Custom requests -------------------------------------------------------------------

  /** xpc.lastWrite's arguments, checked: what to look for, and its name in messages. */
  lastWriteTarget(args: { address?: unknown; length?: unknown; physical?: unknown; register?: unknown }): { target: WriteTarget; what: string } {
    const rt = this.rt;
    if (typeof args.register === 'string') {
      const name = args.register.trim();
      const r = registerNumber(name);
      const c = csrByName(name);
      if (r !== undefined && r > 0) return { target: { register: r }, what: name };
      if (c && !c.unimplemented) return { target: { csr: c.number }, what: name };
      throw new Error(`'${name}' is not a register (x1–x31, ABI names) or an implemented CSR`);
    }
    if (args.address !== undefined) {
      const address = parseNumber(args.address, 'address');
      const length = args.length === undefined ? 8 : parseNumber(args.length, 'length');
      if (!(length >= 1 && length <= 1 << 20)) throw new Error(`length must be 1 to 1 MiB (got ${length})`);
      let pa = address;
      if (args.physical !== true) {
        const first = rt.translate(address), last = rt.translate(address + length - 1);
        if (first === undefined || last === undefined) throw new Error(`${hex(address)} (+${length}) is not mapped in the current address space`);
        if (last - first !== length - 1) throw new Error(`${hex(address)} (+${length}) spans physical pages that are not contiguous; ask for each page, or give a physical range (physical: true)`);
        pa = first;
      }
      if (rt.machine.ram.offset(pa, length) < 0) throw new Error(`physical ${hex(pa)} (+${length}) is not RAM`);
      return { target: { address: pa, length }, what: `${length} byte${length > 1 ? 's' : ''} at ${args.physical === true ? 'physical ' : ''}${hex(address)}` };
    }
    throw new Error("give an address ('0x…') and a length (physical: true for a physical address), or a register ('a0', 'satp')");
  }

  /**
   * xpc.lastWrite: back to the instruction that last wrote a memory range or a register, in
   * slices. The request's answer (`respond`) comes when the search ends, before its stop: found
   * (a `goto` stop there), nothing found (back where it began: no stop, unless the client was told
   * the program runs), or paused — `{ found: false, paused: true, instructions: N }` and a `pause`
   * stop at N: nothing wrote it after N up to where it began; asking again from N goes on.
   */
  lastWrite(request: { target: WriteTarget; what: string }, respond: (body: Record<string, unknown>) => void): SlicedTravel {
    return {
      sliced: async (ctl) => {
        const rt = this.rt;
        const tl = this.timeline;
        const { target, what } = request;
        const from = tl.position;
        // Nothing found leaves the position as it was: the trap shown there stays.
        const trap = rt.lastTrap;
        const r = await this.runSearch(tl.beginLastWrite(target), ctl, 'address' in target ? 'conditions' : 'steps');
        if (r.kind === 'paused') {
          const searched = r.position < from ? `nothing wrote ${what} between instruction ${fmt(r.position)} and instruction ${fmt(from)}, where it started` : 'nothing searched yet';
          respond({ available: true, found: false, paused: true, instructions: r.position, message: `paused at instruction ${fmt(r.position)}: ${searched}; ask again to search on from here` });
          return pausedStop('last write', r.position, from, `nothing wrote ${what}`);
        }
        if (r.kind === 'none') {
          const message = `nothing wrote ${what} between instruction ${fmt(tl.start)} and here (instruction ${fmt(tl.position)}); ${this.reach()}`;
          respond({ available: true, found: false, message });
          return { outcome: { kind: 'stop', info: { reason: 'goto', description: `last write: ${message}` } }, trap, quiet: true };
        }
        const line = rt.lineOf(r.pc);
        const by = r.by === 'host' ? 'the debugger (a recorded write)' : `the instruction at ${rt.debug.describe(r.pc) ?? hex(r.pc)}`;
        const description = `last write of ${what}: by ${by}${r.by === 'instruction' ? ' (about to execute; step to see the value written)' : ''}`;
        respond({ available: true, found: true, instructions: r.position, pc: hex(r.pc), by: r.by, source: line ? { path: line.file, line: line.line } : undefined, description });
        return { outcome: { kind: 'stop', info: { reason: 'goto', description } } };
      },
    };
  }

  /** xpc.gotoInstruction: to an instruction count inside the recorded history. */
  gotoInstruction(args: { instructions?: unknown }): { body: Record<string, unknown>; stop: TravelStop } {
    const tl = this.timeline;
    const n = parseNumber(args.instructions, 'instructions');
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`instructions must be a non-negative integer (got ${String(args.instructions)})`);
    if (n > tl.end) throw new Error(`instruction ${fmt(n)} is beyond the recorded history, which ends at instruction ${fmt(tl.end)}; run forward to get there`);
    this.seek(n);
    return { body: { available: true, instructions: tl.position }, stop: { outcome: { kind: 'stop', info: { reason: 'goto' } } } };
  }

  private seek(n: number): void {
    const tl = this.timeline;
    try {
      tl.seek(n);
    } catch (e) {
      if (!(e instanceof HistoryError)) throw e;
      throw new Error(`instruction ${fmt(n)} is before the recorded history, which reaches back to instruction ${fmt(e.earliest)} ` +
        `(${fmt(tl.position - e.earliest)} instructions before the current one, ${fmt(tl.position)}); the history budget of ${this.budgetMiB} MiB (historyBudgetMiB) keeps no more`);
    }
  }

  /** xpc.bookmarks: list, add (here), remove or go to a bookmark. */
  bookmarks(args: { action?: unknown; id?: unknown; name?: unknown }): { body: Record<string, unknown>; stop?: TravelStop } {
    const tl = this.timeline;
    const rt = this.rt;
    const list = () => tl.bookmarks().map((b) => {
      const note = this.bookmarkNotes.get(b.id);
      return { id: b.id, name: b.name, instructions: b.position, pc: note ? hex(note.pc) : undefined, source: note?.source ? { path: note.source.file, line: note.source.line } : undefined };
    });
    const id = () => {
      const v = parseNumber(args.id, 'id');
      if (!tl.bookmarks().some((b) => b.id === v)) throw new Error(`no bookmark ${v}${tl.bookmarks().length ? ` (there are ${tl.bookmarks().map((b) => b.id).join(', ')})` : ' (there are none)'}`);
      return v;
    };
    switch (args.action ?? 'list') {
      case 'list': return { body: { available: true, bookmarks: list() } };
      case 'add': {
        if (args.name !== undefined && typeof args.name !== 'string') throw new Error('name must be a string');
        const pc = rt.machine.hart.pc;
        const b = tl.addBookmark(args.name as string | undefined);
        this.bookmarkNotes.set(b.id, { pc, source: rt.lineOf(pc) });
        return { body: { available: true, bookmark: list().find((x) => x.id === b.id), bookmarks: list() } };
      }
      case 'remove': {
        tl.removeBookmark(id());
        return { body: { available: true, bookmarks: list() } };
      }
      case 'goto': {
        // id() first: it refuses an unknown id (find would never call it on an empty list).
        const want = id();
        const b = tl.bookmarks().find((x) => x.id === want)!;
        this.seek(b.position);
        return { body: { available: true, instructions: tl.position, bookmarks: list() }, stop: { outcome: { kind: 'stop', info: { reason: 'goto', description: `bookmark ${b.name}` } } } };
      }
      default: throw new Error(`action must be list, add, remove or goto (got ${JSON.stringify(args.action)})`);
    }
  }

  /** Where the history is, for xpc.state. */
  history(): Record<string, unknown> {
    const s = this.timeline.stats();
    return {
      start: s.start, end: s.end, position: s.position, replaying: s.position < s.end, checkpoints: s.checkpoints,
      memoryMiB: Math.round(s.memoryBytes / 1048576 * 10) / 10, budgetMiB: this.budgetMiB,
    };
  }

  /** The views that depend on the position: xpc.state gains `history`; the call trace ends at the position. */
  decorate(command: string, body: unknown, args: unknown): unknown {
    if (!body || typeof body !== 'object') return body;
    if (command === 'xpc.state') return { ...body, history: this.history() };
    if (command === 'xpc.callTrace') {
      const b = body as { events?: { instructions: number }[] };
      if (!Array.isArray(b.events)) return body;
      const pos = this.timeline.position;
      // An event's instruction ran before the position when its count is below it.
      if ((args as { all?: unknown } | undefined)?.all === true) return { ...b, history: this.history(), events: b.events.map((e) => (e.instructions >= pos ? { ...e, future: true } : e)) };
      const events = b.events.filter((e) => e.instructions < pos);
      return { ...b, history: this.history(), events, laterEvents: b.events.length - events.length };
    }
    return body;
  }
}

function parseNumber(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*(0x[0-9a-fA-F]+|\d+)\s*$/.test(v)) return Number(BigInt(v.trim()));
  throw new Error(`${what} must be a number or a "0x…" string (${v === undefined ? 'missing' : `got ${JSON.stringify(v)}`})`);
}

// ---- The session's side ---------------------------------------------------------------------

export const TRAVEL_COMMANDS: ReadonlySet<string> = new Set(['xpc.reverseStepOver', 'xpc.reverseStepOut', 'xpc.lastWrite', 'xpc.gotoInstruction', 'xpc.bookmarks']);

export interface TravelAnswer {
  /**
   * Sends the request's response (through `respond`) and then reports the stop it travelled to,
   * if any. Rejects, without having responded, when the request could not be carried out.
   */
  readonly answer: (respond: (body: unknown) => void) => Promise<void>;
}

/** The time-travel custom requests (undefined for any other command). */
export function timeTravelRequest(rt: Runtime | undefined, command: string, args: unknown): TravelAnswer | undefined {
  if (!TRAVEL_COMMANDS.has(command)) return undefined;
  const now = (body: unknown): TravelAnswer => ({ answer: async (respond) => respond(body) });
  if (!rt) return now({ available: false, reason: 'no program is running' });
  if (!rt.travel) return now({ available: false, reason: OFF });
  if (rt.isRunning) throw new Error('the program is running (pause it first)');
  const travel = requireTravel(rt);
  const a = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>;
  const granularity: Granularity = a.granularity === 'instruction' ? 'instruction' : 'line';
  // Answered at once; then the travel, reported as a stop (a sliced one tells the client it runs).
  const answer = (body: unknown, stop?: TravelStop | SlicedTravel): TravelAnswer => ({
    answer: async (respond) => {
      respond(body);
      if (stop) await travel.report(stop, true);
    },
  });
  switch (command) {
    case 'xpc.reverseStepOver': return answer({ available: true }, travel.reverseStepOver(granularity));
    case 'xpc.reverseStepOut': return answer({ available: true }, travel.reverseStepOut());
    case 'xpc.lastWrite': {
      // Checked now (a bad target is an error response); answered when the search ends.
      const target = travel.lastWriteTarget(a);
      return {
        answer: async (respond) => {
          let answered = false;
          await travel.report(travel.lastWrite(target, (body) => { answered = true; respond(body); }), true);
          if (!answered) throw new Error('the search did not run to an answer (see the stop it reported)');
        },
      };
    }
    case 'xpc.gotoInstruction': { const r = travel.gotoInstruction(a); return answer(r.body, r.stop); }
    default: { const r = travel.bookmarks(a); return answer(r.body, r.stop); }
  }
}
