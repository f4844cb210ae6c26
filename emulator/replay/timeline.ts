// Time travel over a deterministic machine (docs/time-travel.md): rr's checkpoint-and-replay
// model on the machine's step count. Going forward records periodic checkpoints (core state plus
// the RAM pages written since the previous checkpoint) and every input from the host, keyed by
// the position it arrived at; going back restores the nearest checkpoint at or before the target
// and re-executes to it, re-injecting the recorded input. Since the machine is deterministic,
// the re-execution is the same history, not a new run.
//
// A position is the machine's step count (Hart.steps): retired instructions plus exceptions and
// interrupts taken, the clock the machine runs on. The state "at position p" is the state after
// p steps and after any host input recorded at p has been applied.

import { Machine, StopReason } from '../machine/machine';
import { HartStop, Watchpoint } from '../hart/hart';
import { Checkpoints, LogMarks } from './checkpoints';

export const DEFAULT_MEMORY_BUDGET = 512 * 1024 * 1024;

/** Input from the host: everything that reaches the machine from outside its own execution. */
export type HostInput =
  | { readonly kind: 'uart'; readonly bytes: Uint8Array }
  | { readonly kind: 'memory'; readonly pa: number; readonly bytes: Uint8Array }
  | { readonly kind: 'register'; readonly reg: number; readonly value: bigint }
  | { readonly kind: 'csr'; readonly csr: number; readonly value: bigint }
  | { readonly kind: 'pc'; readonly value: number };

export interface RecordedInput {
  readonly position: number;
  readonly input: HostInput;
}

/** Debugger stop conditions, as the hart takes them (Hart.setBreakpoints & co). */
export interface StopConditions {
  readonly breakpoints?: readonly (number | { pc: number; asid?: number } | { pa: number })[];
  readonly watchpoints?: readonly Watchpoint[];
  /** Trap causes (interrupts as 0x8000_0000 | code; -1 any trap). */
  readonly trapStops?: readonly number[];
}

export interface TimelineOptions {
  /** Bytes the history may use (checkpoints, page copies, logs); default 512 MiB. */
  readonly memoryBudget?: number;
  /** Steps between checkpoints to start with; default 1,000,000. */
  readonly checkpointInterval?: number;
  /**
   * Adapt the interval to the measured speed, so re-executing one interval takes about
   * `targetReplayMs` and taking checkpoints costs at most ~2% of the run (default true; tests
   * turn it off to get the same checkpoints on every run).
   */
  readonly adaptive?: boolean;
  /** Wall time one interval's re-execution should take (adaptive spacing); default 15 ms. */
  readonly targetReplayMs?: number;
  /**
   * Each byte the guest writes to the UART. `replayed` is true when this history has already
   * produced it (running forward again after travelling back), so a console can skip it.
   */
  readonly onOutput?: (byte: number, replayed: boolean) => void;
}

/** Asked to go where the history does not reach. */
export class HistoryError extends Error {
  constructor(message: string, readonly requested: number, readonly earliest: number, readonly latest: number) {
    super(message);
    this.name = 'HistoryError';
  }
}

/** Where a backwards search stopped. */
export type ReverseResult =
  | { readonly kind: 'hit'; readonly position: number; readonly stop: HartStop }
  /** No hit before the current position: the timeline is at the start of its history. */
  | { readonly kind: 'historyStart'; readonly position: number };

/** Where a backwards search run in slices (beginSearchBack) ended. */
export type SearchResult =
  | ReverseResult
  /**
   * Paused: no stop from `position` up to where the search began. The timeline is at `position`
   * (a checkpoint's, or the start); the step into it was not examined, so a search from there
   * counts a watchpoint or trap stop at `position` itself.
   */
  | { readonly kind: 'paused'; readonly position: number };

/**
 * A backwards operation under way, run in slices (beginSearchBack, beginFindLast,
 * beginLastWrite): re-executing checkpoint intervals from the newest back.
 */
export interface BackwardSearch<R = SearchResult> {
  /** Where the search began. */
  readonly from: number;
  /** The history from here up to `from` has been searched without a hit. */
  readonly searchedTo: number;
  readonly done: boolean;
  /**
   * Re-executes about `steps` more steps (a checkpoint restore may come on top); the result once
   * the search is over, else undefined. After the end it returns the same result.
   */
  advance(steps: number): R | undefined;
  /** Ends the search where it has got to ('paused' at `searchedTo`), or returns the result it already had. */
  pause(): R;
}

/** Where a step-by-step search (beginFindLast) ended. */
export type FindResult =
  | { readonly kind: 'found'; readonly position: number }
  /** No match before the current position: the timeline is at the start of its history. */
  | { readonly kind: 'historyStart'; readonly position: number }
  /** Paused: no match after `position` up to where the search began; the timeline is at `position`. */
  | { readonly kind: 'paused'; readonly position: number };

export interface LastWrite {
  /** Where the timeline now is: before the writing instruction (or at the host write). */
  readonly position: number;
  /** The writing instruction's pc (for a host write: the pc at that position). */
  readonly pc: number;
  readonly by: 'instruction' | 'host';
}

/** What lastWrite looks for: a physical RAM range, a register (x1–x31) or a CSR by number. */
export type WriteTarget = { readonly address: number; readonly length: number } | { readonly register: number } | { readonly csr: number };

/** Where a last-write search (beginLastWrite) ended. */
export type LastWriteResult =
  | ({ readonly kind: 'found' } & LastWrite)
  /** Nothing wrote it since the start of the history: the timeline is back where it began. */
  | { readonly kind: 'none'; readonly position: number }
  /**
   * Paused: nothing wrote it after `position` up to where the search began (that position's own
   * step included, as last write includes it). The timeline is at `position`; a last write from
   * there examines the step into it, so asking again goes on where this one stopped.
   */
  | { readonly kind: 'paused'; readonly position: number };

/** Something to look for step by step (see Timeline.findLast). */
export interface StepScan {
  /** Called at the start of each re-executed interval, before its first step. */
  begin?(m: Machine): void;
  /** Called after each step (and after host input at that position): does this position match? */
  test(m: Machine): boolean;
}

export interface Bookmark {
  readonly id: number;
  readonly position: number;
  readonly name: string;
}

export interface TimelineStats {
  readonly start: number;
  readonly end: number;
  readonly position: number;
  readonly checkpoints: number;
  readonly memoryBytes: number;
  readonly memoryBudget: number;
  readonly pageBytes: number;
  readonly checkpointInterval: number;
  readonly inputs: number;
}

const NO_CONDITIONS: StopConditions = {};
const MIN_INTERVAL = 10_000;
const MAX_INTERVAL = 50_000_000;

export class Timeline {
  private readonly checkpoints: Checkpoints;
  private readonly log: RecordedInput[] = [];
  /** Next log entry to apply. */
  private logIndex = 0;
  private frontier: number;
  private conditions: StopConditions = NO_CONDITIONS;
  private readonly output: number[] = [];
  private outputCount = 0;
  /** Set while seeking or searching: output is not reported then. */
  private quiet = false;
  private bookmarkList: Bookmark[] = [];
  private nextBookmark = 1;
  private interval: number;
  private readonly budget: number;
  private readonly adaptive: boolean;
  private readonly targetReplayMs: number;
  /** The sliced backwards search in progress (beginSearchBack), if any. */
  private search?: BackwardSearch<unknown>;
  /** Left by a paused search: the position it stopped at, whose incoming step it did not examine. */
  private unexamined?: number;
  /** Each byte the guest writes to the UART (see TimelineOptions.onOutput); may be set later. */
  onOutput?: (byte: number, replayed: boolean) => void;
  // Adaptive spacing: wall time spent running since the last checkpoint.
  private runMs = 0;
  private runSteps = 0;
  private checkpointMs?: number;

  constructor(readonly machine: Machine, opts: TimelineOptions = {}) {
    this.budget = opts.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
    if (!(this.budget > 0)) throw new RangeError(`timeline: memory budget must be positive, got ${opts.memoryBudget}`);
    this.interval = opts.checkpointInterval ?? 1_000_000;
    if (!Number.isSafeInteger(this.interval) || this.interval < 1) throw new RangeError(`timeline: checkpoint interval must be a positive integer, got ${opts.checkpointInterval}`);
    this.adaptive = opts.adaptive ?? true;
    this.targetReplayMs = opts.targetReplayMs ?? 15;
    this.onOutput = opts.onOutput;
    this.frontier = machine.hart.steps;
    machine.onUartOutput((b) => this.emitted(b));
    this.checkpoints = new Checkpoints(machine, this.marks());
  }

  private marks(): LogMarks { return { logIndex: this.logIndex, outputCount: this.outputCount }; }

  // ---- Where we are ---------------------------------------------------------------------------

  /** The current position (machine steps). */
  get position(): number { return this.machine.hart.steps; }
  /** The earliest position the history still reaches. */
  get start(): number { return this.checkpoints.oldest.position; }
  /** The furthest position this history has reached. */
  get end(): number { return this.frontier; }
  /** Before the end of the history: running forward re-executes recorded history. */
  get replaying(): boolean { return this.position < this.frontier; }
  /** True while the timeline re-executes to travel or search (hooks on the machine may want to ignore what fires then). */
  get travelling(): boolean { return this.quiet; }

  stats(): TimelineStats {
    return {
      start: this.start, end: this.end, position: this.position, checkpoints: this.checkpoints.count,
      memoryBytes: this.memoryBytes(), memoryBudget: this.budget, pageBytes: this.checkpoints.pageBytes,
      checkpointInterval: this.interval, inputs: this.log.length,
    };
  }

  /** The recorded host input, in order. */
  inputs(): readonly RecordedInput[] { return this.log; }

  /** The UART output of this history up to the current position. */
  outputSoFar(): Uint8Array { return Uint8Array.from(this.output.slice(0, this.outputCount)); }

  // ---- Debugger conditions ----------------------------------------------------------------------

  /**
   * The stop conditions of forward runs. With a timeline, set them here rather than on the hart:
   * travelling clears the hart's and puts these back.
   */
  setConditions(c: StopConditions): void {
    this.conditions = { breakpoints: c.breakpoints ?? [], watchpoints: c.watchpoints ?? [], trapStops: c.trapStops ?? [] };
  }

  get stopConditions(): StopConditions { return this.conditions; }

  private install(c: StopConditions): void {
    const h = this.machine.hart;
    h.setBreakpoints(c.breakpoints ?? []);
    h.setWatchpoints(c.watchpoints ?? []);
    h.setTrapStops(c.trapStops ?? []);
  }

  // ---- Going forward ----------------------------------------------------------------------------

  /**
   * Runs forward as Machine.run does (exit, limit, idle, or a stop condition), recording. In the
   * past it re-executes the recorded history, input included, and goes on live past its end.
   */
  run(maxSteps = Infinity): StopReason {
    this.assertIdle('run');
    this.unexamined = undefined;
    this.install(this.conditions);
    return this.drive(this.position + maxSteps, true);
  }

  /**
   * The core loop: runs to `target` in chunks that end at recorded input (applied at its
   * position) and at checkpoint positions. Returns the machine's stop, or limit at `target`.
   */
  private drive(target: number, checkpoints: boolean): StopReason {
    const m = this.machine;
    for (;;) {
      this.applyInputs();
      if (checkpoints) this.maybeCheckpoint();
      const pos = this.position;
      if (pos >= target) return { kind: 'limit' };
      let chunkEnd = target;
      if (this.logIndex < this.log.length) chunkEnd = Math.min(chunkEnd, this.log[this.logIndex].position);
      // Recording: the chunk ends where the next checkpoint is due. From the past too: a run
      // that replays up to the end of the history goes on live, and must take them there.
      if (checkpoints) chunkEnd = Math.min(chunkEnd, this.checkpoints.newest.position + this.interval);
      const t0 = checkpoints ? performance.now() : 0;
      const r = m.run(chunkEnd - pos);
      if (checkpoints) { this.runMs += performance.now() - t0; this.runSteps += this.position - pos; }
      if (this.position > this.frontier) this.frontier = this.position;
      if (r.kind === 'limit') continue;
      // Idle in WFI, but the history says input came here: it wakes the guest.
      if (r.kind === 'idle' && this.logIndex < this.log.length && this.log[this.logIndex].position === this.position) continue;
      // A watchpoint or trap stop after the step into a position with recorded input: the state
      // at a position includes its input (a replayed stop shows what the live one showed once
      // the input was given there, and input given now does not cut that input off).
      this.applyInputs();
      return r;
    }
  }

  private applyInputs(): void {
    const pos = this.position;
    while (this.logIndex < this.log.length && this.log[this.logIndex].position <= pos) {
      const e = this.log[this.logIndex++];
      if (e.position === pos) this.applyInput(e.input);
    }
  }

  private applyInput(i: HostInput): void {
    const m = this.machine;
    switch (i.kind) {
      case 'uart': m.injectUartInput(i.bytes); return;
      case 'memory': m.writePhysical(i.pa, i.bytes); return;
      case 'register': m.hart.setReg(i.reg, i.value); return;
      case 'csr': m.hart.writeCsr(i.csr, i.value); return;
      case 'pc': m.hart.pc = i.value; return;
    }
  }

  private emitted(byte: number): void {
    const replayed = this.outputCount < this.output.length;
    if (!replayed) this.output.push(byte);
    this.outputCount++;
    // New output is reported even while travelling (a seek past the end of the history runs live).
    if (!this.quiet || !replayed) this.onOutput?.(byte, replayed);
  }

  // ---- Input from the host ----------------------------------------------------------------------

  /**
   * Records and applies host input at the current position. In the past this is a new
   * history: the recorded future (checkpoints, input, output and bookmarks after the current
   * position) is cut off first, as rr and TTD do when execution diverges.
   */
  record(input: HostInput): void {
    this.assertIdle(`${input.kind} input`);
    if (input.kind === 'memory' && this.machine.ram.offset(input.pa, input.bytes.length) < 0) {
      throw new RangeError(`timeline: memory write at 0x${input.pa.toString(16)} (${input.bytes.length} bytes) is not in RAM`);
    }
    this.truncateFuture();
    const copy: HostInput = input.kind === 'uart' || input.kind === 'memory' ? { ...input, bytes: input.bytes.slice() } : input;
    this.log.push({ position: this.position, input: copy });
    this.logIndex = this.log.length;
    this.applyInput(copy);
  }

  /** Console input (UART receive). */
  input(bytes: Uint8Array): void { this.record({ kind: 'uart', bytes }); }
  writeMemory(pa: number, bytes: Uint8Array): void { this.record({ kind: 'memory', pa, bytes }); }
  setRegister(reg: number, value: bigint): void {
    if (!Number.isInteger(reg) || reg < 1 || reg > 31) throw new RangeError(`timeline: no writable register x${reg}`);
    this.record({ kind: 'register', reg, value });
  }
  setCsr(csr: number, value: bigint): void { this.record({ kind: 'csr', csr, value }); }
  setPc(value: number): void { this.record({ kind: 'pc', value }); }

  private truncateFuture(): void {
    const pos = this.position;
    if (pos >= this.frontier && this.logIndex >= this.log.length) return;
    this.log.length = this.logIndex;
    this.checkpoints.truncateAfter(pos);
    this.output.length = this.outputCount;
    this.bookmarkList = this.bookmarkList.filter((b) => b.position <= pos);
    this.frontier = pos;
  }

  // ---- Checkpoints ------------------------------------------------------------------------------

  private maybeCheckpoint(): void {
    if (this.position < this.checkpoints.newest.position + this.interval) return;
    const t0 = performance.now();
    this.checkpoints.take(this.marks());
    this.enforceBudget();
    if (this.adaptive) this.adapt(performance.now() - t0);
  }

  /**
   * Spacing from measured speed: one interval re-executes in ~targetReplayMs, unless checkpoints
   * are so costly (many pages written) that this would spend over ~5% of the run on them; then
   * wider, up to four times that. Costs are smoothed: one slow checkpoint (a GC) moves little.
   */
  private adapt(checkpointMs: number): void {
    this.checkpointMs = this.checkpointMs === undefined ? checkpointMs : 0.8 * this.checkpointMs + 0.2 * checkpointMs;
    if (this.runSteps < MIN_INTERVAL || this.runMs <= 0) return;
    const stepsPerMs = this.runSteps / this.runMs;
    const byReplay = stepsPerMs * this.targetReplayMs;
    const next = Math.min(4 * byReplay, Math.max(byReplay, stepsPerMs * this.checkpointMs * 20));
    this.interval = Math.round(Math.min(MAX_INTERVAL, Math.max(MIN_INTERVAL, next)));
    this.runMs = 0;
    this.runSteps = 0;
  }

  /** The checkpoint's state, logs included. */
  private restoreCheckpoint(index: number): void {
    const c = this.checkpoints.at(index);
    this.checkpoints.restore(c);
    this.logIndex = c.marks.logIndex;
    this.outputCount = c.marks.outputCount;
  }

  private memoryBytes(): number {
    let n = this.checkpoints.memoryBytes();
    for (const e of this.log) n += 64 + (e.input.kind === 'uart' || e.input.kind === 'memory' ? e.input.bytes.length : 0);
    return n + 8 * this.output.length;
  }

  /**
   * Over budget: first thin out old checkpoints (never making an interval longer than 32 of the
   * current ones, so replay stays bounded), then give up the oldest history.
   */
  private enforceBudget(): void {
    this.checkpoints.thin(() => this.memoryBytes() > this.budget, 32 * this.interval);
  }

  // ---- Travelling -------------------------------------------------------------------------------

  private reachCheck(target: number, what: string): void {
    if (!Number.isSafeInteger(target) || target < 0) throw new RangeError(`timeline: ${what}: position ${target} is not a step count`);
    if (target < this.start) {
      const back = this.position - this.start;
      throw new HistoryError(
        `${what}: position ${target} is before the recorded history, which reaches back to position ${this.start} ` +
        `(${back.toLocaleString('en')} steps before the current position ${this.position}); the memory budget of ` +
        `${Math.round(this.budget / 1048576)} MiB keeps no more`, target, this.start, this.end);
    }
  }

  /**
   * Goes to `target`: back by restoring a checkpoint and re-executing, forward by re-executing
   * (past the end of the history: running on live, recording). Stop conditions do not apply;
   * the machine may stop short only at its exit or an idle WFI at the end. Returns the position.
   */
  seek(target: number): number {
    this.reachCheck(target, 'seek');
    this.travel(() => this.seekWithin(target));
    return this.position;
  }

  /** Back `n` steps (default 1); stops at the start of the history. Returns the position. */
  stepBack(n = 1): number {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`timeline: stepBack: ${n} is not a step count`);
    return this.seek(Math.max(this.start, this.position - n));
  }

  /** Runs `fn` with stop conditions off and output quiet, then arms "resume past a breakpoint here". */
  private travel<T>(fn: () => T): T {
    this.assertIdle('travel');
    const wasQuiet = this.enterTravel();
    try {
      return fn();
    } finally {
      this.leaveTravel(wasQuiet);
    }
  }

  private enterTravel(): boolean {
    const wasQuiet = this.quiet;
    this.quiet = true;
    this.unexamined = undefined;
    this.install(NO_CONDITIONS);
    return wasQuiet;
  }

  private leaveTravel(wasQuiet: boolean): void {
    this.quiet = wasQuiet;
    this.install(this.conditions);
    // Like a stop at a breakpoint: the next forward run does not stop at this pc at once.
    this.machine.hart.debugStop = { kind: 'breakpoint', pc: this.machine.hart.pc };
  }

  /** While a sliced search is open the machine is mid-re-execution: nothing else may use it. */
  private assertIdle(what: string): void {
    if (this.search) throw new Error(`timeline: ${what}: a backwards search is in progress (let it finish or pause it first)`);
  }

  /**
   * Back to the last position before the current one where a forward run with the current stop
   * conditions would have stopped (breakpoint, watchpoint or trap stop), re-executing checkpoint
   * intervals from the newest back. Without one, ends at the start of the history.
   */
  reverseContinue(): ReverseResult {
    return this.searchBack(this.conditions);
  }

  /**
   * reverseContinue with other conditions (e.g. a watchpoint only this search uses). With
   * `inclusive`, a watchpoint or trap stop at the current position itself counts (the step just
   * taken), as "last write" wants. Runs to the end; beginSearchBack runs the same search in slices.
   */
  searchBack(conditions: StopConditions, inclusive = false): ReverseResult {
    return unbounded(this.beginSearchBack(conditions, inclusive));
  }

  /**
   * Starts searchBack's search without running it: `advance` re-executes a slice at a time, so a
   * caller (the debugger) can serve requests in between and `pause` the search. Until the search
   * is over the timeline is travelling: `position` is wherever the re-execution is, and runs,
   * input, travel, bookmarks and other searches are refused.
   */
  beginSearchBack(conditions: StopConditions, inclusive = false): BackwardSearch {
    this.assertIdle('beginSearchBack');
    // A paused search did not examine the step into the position it left us at: it counts now.
    const counted = inclusive || this.unexamined === this.position;
    return this.openSearch<ConditionHit, SearchResult>(this.conditionScanner(conditions), counted, {
      hit: (h) => { this.seekWithin(h.position); return { kind: 'hit', position: h.position, stop: h.stop }; },
      exhausted: () => { this.seekWithin(this.start); return { kind: 'historyStart', position: this.position }; },
      paused: (position) => ({ kind: 'paused', position }),
    });
  }

  /**
   * The last position before the current one (or at it, `inclusive`) at which `scan.test`
   * holds, found by re-executing intervals backwards one step at a time (~0.1 µs a step: for
   * what the hart cannot watch, like register values, or source-level reverse stepping). `test`
   * sees every position after the start of the history, in order within an interval; `begin`
   * is called at each interval's start. The timeline ends at the match, or at the start of the
   * history (result undefined). beginFindLast runs the same search in slices.
   */
  findLast(scan: StepScan, inclusive = false): number | undefined {
    const r = unbounded(this.beginFindLast(scan, inclusive));
    return r.kind === 'found' ? r.position : undefined;
  }

  /**
   * findLast's search in slices, as beginSearchBack's: paused, it leaves the timeline at
   * `searchedTo`, every position after which (up to where it began) was tested without a match.
   */
  beginFindLast(scan: StepScan, inclusive = false): BackwardSearch<FindResult> {
    this.assertIdle('beginFindLast');
    return this.openSearch<number, FindResult>(this.stepScanner(scan), inclusive, {
      hit: (p) => { this.seekWithin(p); return { kind: 'found', position: p }; },
      exhausted: () => { this.seekWithin(this.start); return { kind: 'historyStart', position: this.position }; },
      paused: (position) => ({ kind: 'paused', position }),
    });
  }

  /**
   * Back to the last write before the current position of a physical RAM range or a register
   * (x1–x31, or a CSR by number): the timeline stops before the writing instruction, so the pc
   * is that instruction. Memory uses a write watchpoint — stores and AMOs, and what the hardware
   * writes on an instruction's behalf: the XPC engine's linkage records and seg-list slots (xcall,
   * xret, swapseg) and the page walker's A/D bits — plus the debugger's recorded writes;
   * registers and CSRs are found by their value changing. Undefined when nothing wrote it since
   * the start of the history. beginLastWrite runs the same search in slices.
   */
  lastWrite(target: WriteTarget): LastWrite | undefined {
    const r = unbounded(this.beginLastWrite(target));
    return r.kind === 'found' ? { position: r.position, pc: r.pc, by: r.by } : undefined;
  }

  /**
   * lastWrite's search in slices. The step into the current position counts (it may be the
   * writer). Paused, the timeline is at `searchedTo`: nothing wrote the target after it.
   */
  beginLastWrite(target: WriteTarget): BackwardSearch<LastWriteResult> {
    this.assertIdle('beginLastWrite');
    const from = this.position;
    const paused = (position: number): LastWriteResult => ({ kind: 'paused', position });
    const none = (): LastWriteResult => { this.seekWithin(from); return { kind: 'none', position: from }; };
    const found = (position: number, by: LastWrite['by']): LastWriteResult => {
      this.seekWithin(position);
      return { kind: 'found', position: this.position, pc: this.machine.hart.pc, by };
    };
    if ('address' in target) {
      if (!(target.length > 0) || this.machine.ram.offset(target.address, target.length) < 0) {
        throw new RangeError(`timeline: lastWrite: 0x${target.address.toString(16)} (+${target.length}) is not a RAM range`);
      }
      const start = target.address, end = target.address + target.length;
      const host = [...this.log].reverse().find((e) => e.position <= from && e.position >= this.start && e.input.kind === 'memory' &&
        e.input.pa < end && e.input.pa + e.input.bytes.length > start);
      // The debugger's write at `host` is the answer unless an instruction wrote it later (a
      // write in the same step is the host's: input is applied after the step), so the search
      // need not go further back than that.
      return this.openSearch<ConditionHit, LastWriteResult>(this.conditionScanner({ watchpoints: [{ start, end, read: false, write: true }] }), true, {
        // The watchpoint stops after the writing step: the write is the step into h.position.
        hit: (h) => (host && host.position >= h.position ? found(host.position, 'host') : found(h.position - 1, 'instruction')),
        exhausted: () => (host ? found(host.position, 'host') : none()),
        paused,
      }, host?.position);
    }
    if ('register' in target && !(Number.isInteger(target.register) && target.register >= 1 && target.register <= 31)) {
      throw new RangeError(`timeline: lastWrite: no register x${target.register}`);
    }
    const read: (m: Machine) => bigint = 'register' in target
      ? (m) => m.hart.getReg(target.register)
      : (m) => m.hart.readCsr(target.csr);
    let prev = 0n;
    const changed: StepScan = { begin: (m) => { prev = read(m); }, test: (m) => { const v = read(m); const hit = v !== prev; prev = v; return hit; } };
    // Inclusive: the step just taken (the instruction before the current position) may be the writer.
    return this.openSearch<number, LastWriteResult>(this.stepScanner(changed), true, {
      hit: (p) => {
        // The change at p is the step into it, or host input recorded there (a register write,
        // or one with side effects: console input raising mip). The input is applied after the
        // step, so it is the last writer if it changed the value the step left.
        if (this.log.some((e) => e.position === p)) {
          this.seekWithin(p);
          const atP = read(this.machine);
          if (this.valueBeforeInput(p, read) !== atP) return found(p, 'host');
        }
        return found(p - 1, 'instruction');
      },
      exhausted: none,
      paused,
    });
  }

  /**
   * `read` just after the step into position `p`, before the host input recorded at p. Leaves
   * the machine there, short of that input: the caller seeks on (which applies it). For use
   * while travelling.
   */
  private valueBeforeInput(p: number, read: (m: Machine) => bigint): bigint {
    this.seekWithin(p - 1);
    this.machine.run(1);
    return read(this.machine);
  }

  /** Looks through an interval with the hart's stop conditions; a hit is a stop (after its step for a watchpoint or trap). */
  private conditionScanner(conditions: StopConditions): IntervalScanner<ConditionHit> {
    let last: ConditionHit | undefined;
    return {
      begin: () => {
        this.install(conditions);
        // A breakpoint at the checkpoint's own position is a stop like any other.
        this.machine.hart.debugStop = undefined;
        last = undefined;
      },
      scan: (end, steps, limit) => {
        const r = this.drive(Math.min(end, this.position + steps), false);
        if (r.kind === 'breakpoint' || r.kind === 'watchpoint' || r.kind === 'trap') {
          if (this.position < limit) last = { position: this.position, stop: r };
          return false;
        }
        // The slice ended inside the interval; otherwise the interval is over (its end, an exit or idle).
        return !(r.kind === 'limit' && this.position < end);
      },
      last: () => last,
    };
  }

  /** Looks through an interval one step at a time; a hit is a position after whose step (and input) `scan.test` holds. */
  private stepScanner(scan: StepScan): IntervalScanner<number> {
    let last: number | undefined;
    return {
      begin: () => {
        this.applyInputs();
        scan.begin?.(this.machine);
        last = undefined;
      },
      scan: (end, steps, limit) => {
        const stop = Math.min(end, this.position + steps);
        while (this.position < stop) {
          const before = this.position;
          const r = this.machine.run(1);
          this.applyInputs();
          if (this.position === before) return true; // exit or idle: nothing more happens here
          if (scan.test(this.machine) && this.position < limit) last = this.position;
          if (r.kind === 'exit') return true;
        }
        return this.position >= end;
      },
      last: () => last,
    };
  }

  /**
   * The backwards search every sliced operation shares: checkpoint intervals re-executed from the
   * newest back, each looked through by `scanner`; the first interval (from the end) with a hit
   * has the answer (its last hit). The history from `searched` up to `from` holds no hit; the
   * interval being looked through runs from its checkpoint (`intervalStart`) to `searched`. With
   * `counted`, a hit at `from` itself counts (the step into it). A `floor` ends the search
   * (`exhausted`) once the history above it has been searched. `ending` lands the timeline and
   * says what was found; a pause lands at `searched`, whose incoming step was not examined (the
   * next beginSearchBack from there counts a stop at it).
   */
  private openSearch<H, R>(scanner: IntervalScanner<H>, counted: boolean, ending: SearchEnding<H, R>, floor = 0): BackwardSearch<R> {
    const from = this.position;
    const limit = counted ? from + 1 : from;
    const wasUnexamined = this.unexamined;
    const wasQuiet = this.enterTravel();
    let searched = from;
    let open = false;
    let intervalStart = 0;
    let result: R | undefined;
    const finish = (land: () => R): R => {
      try {
        this.install(NO_CONDITIONS);
        result = land();
      } finally {
        this.search = undefined;
        this.leaveTravel(wasQuiet);
      }
      return result;
    };
    const ended = () => new Error('timeline: this backwards search ended with an error');
    const advance = (steps: number): R | undefined => {
      if (result !== undefined) return result;
      if (this.search !== search) throw ended();
      let left = steps;
      try {
        for (;;) {
          if (!open) {
            if (searched <= Math.max(this.start, floor)) return finish(ending.exhausted);
            if (left <= 0) return undefined;
            const k = this.checkpoints.indexAtOrBefore(searched - 1);
            intervalStart = this.checkpoints.at(k).position;
            this.restoreCheckpoint(k);
            scanner.begin();
            open = true;
          }
          while (this.position < searched) {
            if (left <= 0) return undefined;
            const before = this.position;
            const over = scanner.scan(searched, left, limit);
            left -= this.position - before;
            if (over) break;
          }
          // The interval is over: its last hit is the answer, else the search goes on before it.
          const hit = scanner.last();
          if (hit !== undefined) return finish(() => ending.hit(hit));
          searched = intervalStart;
          open = false;
        }
      } catch (e) {
        // Nothing should throw here; if something does, the timeline is not left mid-search.
        if (this.search === search) {
          this.search = undefined;
          this.leaveTravel(wasQuiet);
        }
        throw e;
      }
    };
    const search: BackwardSearch<R> = {
      from,
      get searchedTo() { return searched; },
      get done() { return result !== undefined; },
      advance,
      pause: () => {
        if (result !== undefined) return result;
        if (this.search !== search) throw ended();
        return finish(() => {
          this.seekWithin(searched);
          // Paused before any progress, the timeline is as it was (the stop it stands on stays skipped).
          this.unexamined = searched < from ? searched : wasUnexamined;
          return ending.paused(searched);
        });
      },
    };
    this.search = search;
    return search;
  }

  /**
   * seek's body, for use inside travel(). A long re-execution inside the history leaves a
   * checkpoint a little before the target on its way: the next step back (the usual next
   * request) then re-executes only that little.
   */
  private seekWithin(target: number): void {
    const k = this.checkpoints.indexAtOrBefore(target);
    // Forward from here is cheaper than from the checkpoint when both lead to the target.
    if (!(target >= this.position && this.position >= this.checkpoints.at(k).position)) this.restoreCheckpoint(k);
    const dense = this.denseSpacing();
    if (target <= this.frontier && target - this.position > 2 * dense) {
      const q = target - dense;
      if (this.drive(q, false).kind === 'limit' && this.position === q && !this.checkpoints.has(q)) {
        this.checkpoints.take(this.marks());
        this.enforceBudget();
      }
    }
    this.drive(target, true);
  }

  /** Re-execution distance kept near a travel target (see seekWithin). */
  private denseSpacing(): number {
    return Math.min(250_000, Math.max(1_000, Math.round(this.interval / 16)));
  }

  // ---- Bookmarks --------------------------------------------------------------------------------

  addBookmark(name?: string): Bookmark {
    this.assertIdle('addBookmark');
    const id = this.nextBookmark++;
    const b: Bookmark = { id, position: this.position, name: name ?? `#${id} at ${this.position}` };
    this.bookmarkList.push(b);
    return b;
  }

  bookmarks(): readonly Bookmark[] { return this.bookmarkList; }

  removeBookmark(id: number): boolean {
    const n = this.bookmarkList.length;
    this.bookmarkList = this.bookmarkList.filter((b) => b.id !== id);
    return this.bookmarkList.length !== n;
  }

  gotoBookmark(id: number): number {
    const b = this.bookmarkList.find((x) => x.id === id);
    if (!b) throw new RangeError(`timeline: no bookmark ${id}`);
    return this.seek(b.position);
  }
}

/** A hit of a condition search: where the hart stopped, and why. */
interface ConditionHit {
  readonly position: number;
  readonly stop: HartStop;
}

/** How a backwards search looks through one checkpoint interval (see Timeline.openSearch). */
interface IntervalScanner<H> {
  /** The interval's checkpoint has just been restored: forget the hits of the interval before. */
  begin(): void;
  /**
   * Re-executes towards `end`, about `steps` steps at most, noting hits at positions below
   * `limit`. True when the interval is over: at `end`, or the machine exited or went idle.
   */
  scan(end: number, steps: number, limit: number): boolean;
  /** The interval's last hit so far. */
  last(): H | undefined;
}

/** How a search ends: it lands the timeline and says what it found. */
interface SearchEnding<H, R> {
  /** The newest interval with a hit has been looked through; `hit` is its last. */
  hit(h: H): R;
  /** No hit down to the start of the history (or the search's floor). */
  exhausted(): R;
  /** Paused; the timeline is already at `position`. */
  paused(position: number): R;
}

/** Runs a search to its end in one go. */
function unbounded<R extends { readonly kind: string }>(s: BackwardSearch<R>): Exclude<R, { kind: 'paused' }> {
  const r = s.advance(Infinity);
  if (!r || r.kind === 'paused') throw new Error('timeline: an unbounded search ended unfinished');
  return r as Exclude<R, { kind: 'paused' }>;
}
