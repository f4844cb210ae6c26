// The debugger's runtime: owns the Machine and drives it. The machine is synchronous, so running
// happens in slices of a few milliseconds with the event loop served in between: requests
// (pause, threads, evaluate) are answered while the guest runs, and a pause takes effect at the
// next slice boundary. Breakpoints are the hart's; conditions, hit counts and logpoints are
// decided here when the hart stops at one, and the run goes on when they say so.

import { Machine, StopReason } from '../emulator/machine/machine';
import { Priv, TrapEvent } from '../emulator/hart/hart';
import { XpcEvent, LINK_RECORD_SIZE } from '../emulator/hart/xpc';
import { ExecForm, decodeExec } from '../emulator/hart/decoded';
import { Op } from '../emulator/hart/op.generated';
import { TimingOption } from '../emulator/timing/params';
import { DebugInfo, LoadedProgram, SourceLine } from './program';
import { EvalContext, EvalError, evaluateExpression } from './expressions';
import { BareMetalTarget, CodePoint, RegisterContext, TargetAwareness } from './target';
import { registerNumber } from '../emulator/isa/registers';
import { csrByName } from '../emulator/isa/csrs';
import { EXCEPTION_FILTERS, describeTrap } from './causes';
import { MachineDriver, TimeTravel, TimeTravelOptions, describeWatchHit, directDriver } from './time-travel';
import { UnwoundFrame } from './frame-registers';

export interface StopInfo {
  /** `exit`: with time travel, the program's end, where its history can still be travelled (the next forward run ends the session). */
  readonly reason: 'entry' | 'step' | 'goto' | 'breakpoint' | 'function breakpoint' | 'instruction breakpoint' | 'data breakpoint' | 'exception' | 'pause' | 'exit';
  readonly description?: string;
  readonly text?: string;
  readonly hitBreakpointIds?: number[];
}

export interface RuntimeListener {
  stopped(info: StopInfo): void;
  output(text: string, category: 'stdout' | 'console' | 'stderr'): void;
  exited(code: number, message: string): void;
  /** The program runs again without a request that says so (a time-travel custom request's long search). */
  continued?(): void;
}

export interface LaunchOptions extends TimeTravelOptions {
  readonly timing?: TimingOption;
  readonly ramSize?: number;
  readonly trace?: boolean;
  readonly stopInKernel?: boolean;
  /** Line steps stop in the target's library code (the XPC library) instead of passing through it. */
  readonly stepIntoLibrary?: boolean;
  /** The target awareness (default: bare metal); the kernel-aware one plugs in here. */
  readonly makeTarget?: (machine: Machine, debug: DebugInfo) => TargetAwareness;
}

export interface CodeBreakpoint {
  readonly id: number;
  readonly kind: 'line' | 'function' | 'instruction';
  /** Where it stops: a pc, in one process's address space (asid) or any. */
  readonly points: CodePoint[];
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
  hits: number;
}

export interface DataWatch {
  readonly id: number;
  /** Physical range [start, end). */
  readonly start: number;
  readonly end: number;
  readonly read: boolean;
  readonly write: boolean;
  readonly label: string;
}

export interface CallTraceEvent {
  readonly seq: number;
  readonly kind: 'xcall' | 'xret' | 'fault' | 'swapseg';
  readonly instructions: number;
  readonly cycles: number;
  readonly from?: string;
  readonly to?: string;
  readonly entryId?: number;
  readonly pc: number;
  readonly cause?: string;
}

/** How an operation ended; 'none': nothing moved and nothing is reported (a last write that found nothing). */
export type Outcome = { kind: 'stop'; info: StopInfo } | { kind: 'exit' } | { kind: 'temp' } | { kind: 'none' };

/** Slices aim at this many milliseconds: short enough for a 50 ms pause, long enough to run fast. */
const SLICE_MS = 8;
const MAX_CALL_TRACE = 10_000;

export class Runtime {
  readonly machine: Machine;
  /** The launched program's symbols (bare metal: the only ones; a system: the kernel's). */
  readonly programDebug: DebugInfo;
  readonly target: TargetAwareness;
  private running = false;
  private pauseRequested = false;
  private ended = false;
  /** Stopped at the program's exit with time travel on: the next forward operation ends the session. */
  private stoppedAtExit = false;
  private codeBreakpoints: CodeBreakpoint[] = [];
  private dataWatches: DataWatch[] = [];
  /** The pcs with a breakpoint in some address space (stepping past one turns them off). */
  private installed = new Set<number>();
  private tempAddrs: CodePoint[] = [];
  private exceptionFilters = new Set<string>();
  private sliceSteps = 200_000;
  private uartBuffer: number[] = [];
  readonly callTrace: CallTraceEvent[] = [];
  private traceSeq = 0;
  /** Record address → x-entry id of the calls in progress (the record does not hold the id). */
  readonly callIds = new Map<number, number>();
  /** The trap of the last exception stop, for exceptionInfo and the stack's trap frame. */
  lastTrap?: TrapEvent;
  private pendingTrap?: TrapEvent;
  stopInKernel: boolean;
  stepIntoLibrary: boolean;
  /** Print every XPC event and satp switch on the Debug Console as it happens. */
  private readonly trace: boolean;
  private readonly exec: ExecForm = { op: 0, rd: 0, rs1: 0, rs2: 0, imm: 0, len: 4 };
  /** Bumped when the guest state changes under the debugger (stop, setVariable, writeMemory). */
  stateVersion = 0;
  /** How the machine is run: through the time-travel Timeline (recording), or directly. */
  readonly driver: MachineDriver;
  readonly travel?: TimeTravel;

  constructor(program: LoadedProgram, programName: string, private readonly listener: RuntimeListener, opts: LaunchOptions = {}) {
    this.machine = new Machine({ ramSize: opts.ramSize, timing: opts.timing });
    this.machine.load(program.elfBytes, programName);
    this.programDebug = program.debug;
    this.target = opts.makeTarget?.(this.machine, program.debug) ?? new BareMetalTarget(this.machine, program.debug);
    this.stopInKernel = opts.stopInKernel ?? false;
    this.stepIntoLibrary = opts.stepIntoLibrary ?? false;
    this.trace = opts.trace ?? false;
    this.machine.onUartOutput((b) => { this.uartBuffer.push(b); });
    const engine = this.machine.hart.xpc;
    const previous = engine.onEvent;
    engine.onEvent = (e) => { previous?.(e); this.noteXpcEvent(e); };
    const prevTrap = this.machine.hart.onTrap;
    this.machine.hart.onTrap = (e) => { prevTrap?.(e); this.pendingTrap = e; };
    if (opts.trace) {
      const h = this.machine.hart;
      const prevSatp = h.onSatpWrite;
      h.onSatpWrite = (s) => { prevSatp?.(s); this.listener.output(`[trace] satp ← 0x${s.toString(16)} (${this.target.domainName(s)})\n`, 'console'); };
    }
    this.travel = opts.timeTravel === false ? undefined
      : new TimeTravel(this, { budgetMiB: opts.historyBudgetMiB, output: (b) => this.uartBuffer.push(b), console: (t) => this.listener.output(t, 'console'), continued: () => this.listener.continued?.() });
    this.driver = this.travel ?? directDriver(this.machine);
  }

  /**
   * Runs the boot ROM to the program: stops at the ELF entry or the start of RAM, whichever
   * comes first, so that a session begins in the program's own code.
   */
  runToEntry(entry: number, ramBase: number): void {
    const h = this.machine.hart;
    if (h.pc === entry || h.pc === ramBase) return;
    this.driver.setBreakpoints([entry, ramBase]);
    this.driver.run(100_000);
    // Forget that stop: a user breakpoint at the entry must still be hit by the first run.
    h.debugStop = undefined;
    this.driver.setBreakpoints(this.installed);
  }

  /** Symbols and lines of the code running now (the kernel's or the current process's). */
  get debug(): DebugInfo { const h = this.machine.hart; return this.target.debugAt(h.pc, h.satp); }

  /** The ASID of the address space the hart runs in. */
  get asid(): number { return Number((this.machine.hart.satp >> 44n) & 0xffffn); }

  /**
   * Runs (synchronously, with no user breakpoints) until one of `points` or `budget`
   * instructions: a system launch with stopOnEntry stops at the first user instruction.
   */
  runToPoints(points: readonly CodePoint[], budget: number): boolean {
    const h = this.machine.hart;
    this.driver.setBreakpoints(points);
    const stop = this.driver.run(budget);
    h.debugStop = undefined;
    this.driver.setBreakpoints(this.allPoints());
    return stop.kind === 'breakpoint';
  }

  get isRunning(): boolean { return this.running; }
  get hasEnded(): boolean { return this.ended; }

  // ---- Configuration ------------------------------------------------------------------------

  setCodeBreakpoints(kind: CodeBreakpoint['kind'], list: CodeBreakpoint[]): void {
    this.codeBreakpoints = [...this.codeBreakpoints.filter((b) => b.kind !== kind), ...list];
    this.installBreakpoints();
  }

  setDataWatches(list: DataWatch[]): void {
    this.dataWatches = list;
    this.driver.setWatchpoints(list.map((w) => ({ start: w.start, end: w.end, read: w.read, write: w.write })));
  }

  setExceptionFilters(ids: readonly string[]): void {
    this.exceptionFilters = new Set(ids);
    const causes = new Set<number>();
    for (const f of EXCEPTION_FILTERS) if (this.exceptionFilters.has(f.filter)) for (const c of f.causes) causes.add(c);
    this.driver.setTrapStops(causes);
  }

  private allPoints(): CodePoint[] { return [...this.codeBreakpoints.flatMap((b) => b.points), ...this.tempAddrs]; }

  private installBreakpoints(): void {
    const points = this.allPoints();
    this.installed = new Set(points.map((p) => p.pc));
    this.driver.setBreakpoints(points);
  }

  /** The user's code breakpoints and data breakpoints (reverse continue judges its hits with them). */
  get breakpoints(): readonly CodeBreakpoint[] { return this.codeBreakpoints; }
  get watches(): readonly DataWatch[] { return this.dataWatches; }

  /** Whether one of `points` is at `pc` in the current address space. */
  atPoint(points: readonly CodePoint[], pc: number): boolean {
    const asid = this.asid;
    return points.some((p) => p.pc === pc && (p.asid === undefined || p.asid === asid));
  }

  /**
   * A breakpoint's condition at the current state: false stops nothing; a condition that cannot
   * be evaluated stops (as VS Code expects) and says why.
   */
  conditionHolds(b: CodeBreakpoint): { holds: boolean; error?: string } {
    if (!b.condition) return { holds: true };
    try {
      return { holds: this.evaluate(b.condition) !== 0n };
    } catch (e) {
      return { holds: true, error: `breakpoint condition '${b.condition}' failed: ${e instanceof EvalError ? e.message : String(e)}` };
    }
  }

  /** The stop for the breakpoints hit (the first one's kind names the reason). */
  breakpointStop(hits: readonly CodeBreakpoint[], conditionError: string | undefined): StopInfo {
    const reason = hits[0].kind === 'function' ? 'function breakpoint' : hits[0].kind === 'instruction' ? 'instruction breakpoint' : 'breakpoint';
    return { reason, description: conditionError, hitBreakpointIds: hits.map((b) => b.id) };
  }

  // ---- Memory and registers for the debugger ----------------------------------------------

  /** Physical address of a virtual one as the current code sees it (relay segment, satp, M-mode bare). */
  translate(va: number): number | undefined {
    const h = this.machine.hart;
    const x = h.xpc;
    if (x.segActive && va >= x.segVaNum && va < x.segEndNum) return x.segPaNum + (va - x.segVaNum);
    if (h.priv === Priv.M) return va;
    return h.peekTranslate(va, h.satp);
  }

  /** Physical address of a virtual one in address space `satp` (the current one: as `translate`). */
  translateIn(satp: bigint, va: number): number | undefined {
    const h = this.machine.hart;
    return satp === h.satp && h.priv !== Priv.M ? this.translate(va) : h.peekTranslate(va, satp);
  }

  /** Bytes of another address space (a thread that is not on the hart, a process's globals). */
  readVirtualIn(satp: bigint, va: number, length: number): (number | undefined)[] {
    const h = this.machine.hart;
    if (satp === h.satp && h.priv !== Priv.M) return this.readVirtual(va, length);
    const out: (number | undefined)[] = [];
    for (let i = 0; i < length;) {
      const a = va + i;
      const n = Math.min(length - i, 4096 - (a & 4095));
      const pa = h.peekTranslate(a, satp);
      const bytes = pa === undefined ? undefined : this.readPhysical(pa, n);
      for (let k = 0; k < n; k++) out.push(bytes?.[k]);
      i += n;
    }
    return out;
  }

  readValueIn(satp: bigint, address: bigint, size: number): bigint | undefined {
    const bytes = this.readVirtualIn(satp, Number(address), size);
    if (bytes.some((b) => b === undefined)) return undefined;
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
    return v;
  }

  readVirtual(va: number, length: number): (number | undefined)[] {
    const out: (number | undefined)[] = [];
    const x = this.machine.hart.xpc;
    let i = 0;
    while (i < length) {
      const a = va + i;
      // One translation per run of bytes in the same page (and on the same side of the relay segment's ends).
      let n = Math.min(length - i, 4096 - (a & 4095));
      if (x.segActive) {
        if (a < x.segVaNum) n = Math.min(n, x.segVaNum - a);
        else if (a < x.segEndNum) n = Math.min(n, x.segEndNum - a);
      }
      const pa = this.translate(a);
      const bytes = pa === undefined ? undefined : this.machine.readPhysical(pa, n);
      if (bytes) for (const b of bytes) out.push(b);
      else for (let k = 0; k < n; k++) out.push(pa === undefined ? undefined : this.machine.readPhysical(pa + k, 1)?.[0]);
      i += n;
    }
    return out;
  }

  readPhysical(pa: number, length: number): (number | undefined)[] {
    const bytes = this.machine.readPhysical(pa, length);
    if (bytes) return [...bytes];
    const out: (number | undefined)[] = [];
    for (let i = 0; i < length; i++) out.push(this.machine.readPhysical(pa + i, 1)?.[0]);
    return out;
  }

  /** Writes bytes through translation (or physically); returns how many were written. */
  writeMemory(address: number, data: Uint8Array, physical: boolean, satp?: bigint): number {
    let n = 0;
    for (let i = 0; i < data.length; i++) {
      const pa = physical ? address + i : satp !== undefined ? this.translateIn(satp, address + i) : this.translate(address + i);
      if (pa === undefined || !this.driver.writePhysical(pa, data.subarray(i, i + 1))) break;
      n++;
    }
    if (n) this.stateVersion++;
    return n;
  }

  /** A little-endian value at a physical address. */
  readValuePhysical(pa: number, size: number): bigint | undefined {
    const bytes = this.readPhysical(pa, size);
    if (bytes.some((b) => b === undefined)) return undefined;
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
    return v;
  }

  readU64(va: number): bigint | undefined { return this.readValue(BigInt(va), 8); }

  readValue(address: bigint, size: number): bigint | undefined {
    const bytes = this.readVirtual(Number(address), size);
    if (bytes.some((b) => b === undefined)) return undefined;
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
    return v;
  }

  readonly evalContext: EvalContext = {
    register: (name) => {
      const h = this.machine.hart;
      if (name === 'pc') return BigInt(h.pc);
      const r = registerNumber(name);
      return r === undefined ? undefined : BigInt.asUintN(64, h.getReg(r));
    },
    csr: (name) => {
      const spec = csrByName(name);
      return spec && !spec.unimplemented ? BigInt.asUintN(64, this.machine.hart.readCsr(spec.number)) : undefined;
    },
    symbol: (name) => { const s = this.debug.symbol(name); return s ? BigInt(s.address) : undefined; },
    readMemory: (address, size) => this.readValue(address, size),
  };

  evaluate(text: string): bigint { return evaluateExpression(text, this.evalContext); }

  /** The instruction at a virtual address in execution form (op = Op.None if unreadable/illegal). */
  instructionAt(va: number): ExecForm {
    const bytes = this.readVirtual(va, 4);
    const out = this.exec;
    if (bytes[0] === undefined || bytes[1] === undefined) { out.op = Op.None; out.len = 4; return out; }
    const word = (bytes[0] | (bytes[1] << 8) | ((bytes[2] ?? 0) << 16) | ((bytes[3] ?? 0) << 24)) >>> 0;
    decodeExec(word, out);
    return out;
  }

  get linkDepth(): number {
    const x = this.machine.hart.xpc;
    return Number((x.xlink - x.xlinkBase) / BigInt(LINK_RECORD_SIZE));
  }

  // ---- XPC call trace ----------------------------------------------------------------------

  private noteXpcEvent(e: XpcEvent): void {
    if (this.travel?.seenBefore(e.steps)) return;
    const h = this.machine.hart;
    const base = { seq: ++this.traceSeq, instructions: e.steps, cycles: h.cycles, pc: h.pc };
    let ev: CallTraceEvent | undefined;
    switch (e.kind) {
      case 'xcall': {
        this.callIds.set(e.record, e.id);
        const entry = h.xpc.readEntry(BigInt(e.id));
        const rec = h.xpc.readRecord(e.record);
        ev = { ...base, kind: 'xcall', entryId: e.id, from: this.target.domainName(rec?.satp ?? 0n, e.from), to: this.target.domainName(entry?.satp ?? h.satp, e.to) };
        break;
      }
      case 'xret': {
        const rec = h.xpc.readRecord(e.record);
        const id = this.callIds.get(e.record);
        this.callIds.delete(e.record);
        const callee = id !== undefined ? h.xpc.readEntry(BigInt(id)) : undefined;
        ev = { ...base, kind: 'xret', entryId: id, from: callee ? this.target.domainName(callee.satp, e.from) : `domain ${e.from}`, to: this.target.domainName(rec?.satp ?? h.satp, e.to) };
        break;
      }
      case 'swapseg': ev = { ...base, kind: 'swapseg', from: this.target.domainName(h.satp, h.xpc.xdomain) }; break;
      case 'exception': ev = { ...base, kind: 'fault', cause: describeTrap(e.cause, false, e.tval).summary, from: this.target.domainName(h.satp, h.xpc.xdomain) }; break;
      default: return;
    }
    this.callTrace.push(ev);
    if (this.trace) {
      const what = ev.kind === 'fault' ? `fault: ${ev.cause}` : ev.kind === 'swapseg' ? 'swapseg' : `${ev.kind} #${ev.entryId ?? '?'} ${ev.from} → ${ev.to}`;
      this.listener.output(`[xpc] ${what} at ${this.debug.describe(ev.pc) ?? `0x${ev.pc.toString(16)}`} (instruction ${ev.instructions}, cycle ${ev.cycles})\n`, 'console');
    }
    if (this.callTrace.length > MAX_CALL_TRACE) this.callTrace.splice(0, this.callTrace.length - MAX_CALL_TRACE);
  }

  // ---- Running ------------------------------------------------------------------------------

  pause(): void { if (this.running) this.pauseRequested = true; }
  /** A pause was asked for during the operation in progress (time travel's sliced searches read it). */
  get pausePending(): boolean { return this.pauseRequested; }

  /** Sends console input to the UART receiver. */
  sendInput(text: string): void { this.driver.input(Buffer.from(text, 'utf8')); }

  private flushOutput(): void {
    if (!this.uartBuffer.length) return;
    const text = Buffer.from(this.uartBuffer).toString('utf8');
    this.uartBuffer = [];
    this.listener.output(text, 'stdout');
  }

  /** Runs one operation to its stop, reporting it (or the exit) to the listener. */
  async operate(op: () => Promise<Outcome>): Promise<void> {
    if (this.running || this.ended) return;
    this.running = true;
    const fromExit = this.stoppedAtExit;
    this.stoppedAtExit = false;
    this.pauseRequested = false;
    this.lastTrap = undefined;
    let outcome: Outcome;
    try {
      outcome = await op();
    } catch (e) {
      outcome = { kind: 'stop', info: { reason: 'exception', description: `internal error: ${e instanceof Error ? e.message : String(e)}`, text: 'internal error' } };
    } finally {
      this.running = false;
      this.tempAddrs = [];
      this.installBreakpoints();
    }
    this.flushOutput();
    this.stateVersion++;
    this.travel?.afterStop();
    if (outcome.kind === 'exit') {
      if (this.travel && !fromExit) this.stopAtExit(); else this.reportExit();
    } else if (outcome.kind === 'stop') this.listener.stopped(this.travel?.annotate(outcome.info) ?? outcome.info);
    else if (outcome.kind === 'none') {
      this.stoppedAtExit = fromExit;
      // A pause accepted while the operation ran expects its stop, even if the operation itself reports none.
      if (this.pauseRequested) this.listener.stopped(this.travel?.annotate({ reason: 'pause' }) ?? { reason: 'pause' });
    }
    else this.listener.stopped(this.travel?.annotate({ reason: 'step' }) ?? { reason: 'step' });
  }

  private reportExit(): void {
    if (this.ended) return;
    this.ended = true;
    const { code, message } = this.exitSummary();
    this.listener.exited(code, message);
  }

  /**
   * With time travel the end of the program is where one most often wants to look back from (why
   * did it exit 1?), as rr and WinDbg TTD stop at the end of their traces: stop there instead of
   * ending the session. The next forward operation ends it.
   */
  private stopAtExit(): void {
    this.stoppedAtExit = true;
    const { code, message } = this.exitSummary();
    this.listener.output(`${message}time travel: step back, reverse-continue or go to an earlier point to look at the history; continue ends the session\n`, 'console');
    this.listener.stopped(this.travel?.annotate({ reason: 'exit', description: `The program exited with code ${code}. Its history is still here: step back or reverse-continue; continue ends the session.`, text: `exit ${code}` })
      ?? { reason: 'exit', text: `exit ${code}` });
  }

  private exitSummary(): { code: number; message: string } {
    const stop = this.machine.run(0);
    const code = stop.kind === 'exit' ? stop.code : 0;
    const via = stop.kind === 'exit' ? ` through the ${stop.via === 'htif' ? 'HTIF tohost word' : 'test finisher'}` : '';
    return { code, message: `program exited with code ${code}${via} after ${this.machine.hart.steps.toLocaleString('en')} instructions, ${this.machine.hart.cycles.toLocaleString('en')} cycles (timing: ${this.machine.timingProfile})\n` };
  }

  /** Continues; `initial` (the launch) also stops at a breakpoint on the very first instruction. */
  continue(initial = false): Promise<void> { return this.operate(() => this.runFree(undefined, !initial)); }

  /** Runs with the user's breakpoints (and any temporary stop addresses, accepted by `accept`). */
  private async runFree(accept?: () => boolean, fromStop = true): Promise<Outcome> {
    // Leaving the breakpoint we are stopped at; a breakpoint reached mid-step stops at once.
    const first = fromStop ? this.stepPastBreakpoint() : undefined;
    if (first) return first;
    for (;;) {
      if (this.pauseRequested) return { kind: 'stop', info: { reason: 'pause' } };
      const t0 = performance.now();
      this.pendingTrap = undefined;
      const stop = this.driver.run(this.sliceSteps);
      const ms = performance.now() - t0;
      // Aim each slice at SLICE_MS, so a pause is served quickly whatever the speed.
      if (stop.kind === 'limit') this.sliceSteps = Math.max(1000, Math.min(50_000_000, Math.round(this.sliceSteps * Math.min(4, Math.max(0.25, SLICE_MS / Math.max(ms, 0.1))))));
      const outcome = this.judge(stop, accept);
      if (outcome === 'resume') {
        const again = this.stepPastBreakpoint();
        if (again) return again;
      } else if (outcome !== 'more') return outcome;
      this.flushOutput();
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** What a machine stop means: a stop to report, 'more' (keep running), 'resume' (past a breakpoint). */
  private judge(stop: StopReason, accept?: () => boolean): Outcome | 'more' | 'resume' {
    switch (stop.kind) {
      case 'exit': return { kind: 'exit' };
      case 'limit': return 'more';
      case 'idle': return { kind: 'stop', info: { reason: 'pause', description: 'The guest waits (WFI) for an interrupt no device will raise.', text: 'idle' } };
      case 'watchpoint': {
        const hit = this.dataWatches.filter((w) => stop.pa < w.end && stop.pa + stop.size > w.start && (stop.access === 'write' ? w.write : w.read));
        return { kind: 'stop', info: { reason: 'data breakpoint', description: `${hit[0]?.label ?? 'watchpoint'}: ${describeWatchHit(stop)}`, text: hit[0]?.label, hitBreakpointIds: hit.map((w) => w.id) } };
      }
      case 'trap': {
        this.lastTrap = this.pendingTrap ?? { cause: stop.cause, interrupt: stop.interrupt, tval: 0n, epc: 0n, fromPriv: Priv.M, toPriv: this.machine.hart.priv };
        const d = describeTrap(stop.cause, stop.interrupt, this.lastTrap.tval);
        const who = this.lastTrap.fromPriv === Priv.U && this.target.multithreaded ? ` in ${this.target.processOf(this.target.currentThread()) ?? 'a process'}` : '';
        return { kind: 'stop', info: { reason: 'exception', description: `${d.summary}${who}`, text: d.name } };
      }
      case 'breakpoint': {
        const pc = stop.pc;
        if (accept && this.atPoint(this.tempAddrs, pc) && accept()) return { kind: 'temp' };
        const hits: CodeBreakpoint[] = [];
        let conditionError: string | undefined;
        for (const b of this.codeBreakpoints) {
          if (!this.atPoint(b.points, pc)) continue;
          const c = this.conditionHolds(b);
          if (!c.holds) continue;
          if (c.error) { conditionError = c.error; hits.push(b); continue; }
          b.hits++;
          if (b.hitCondition && !hitConditionMet(b.hitCondition, b.hits)) continue;
          if (b.logMessage !== undefined) { this.listener.output(this.interpolate(b.logMessage) + '\n', 'console'); continue; }
          hits.push(b);
        }
        if (!hits.length) return 'resume';
        return { kind: 'stop', info: this.breakpointStop(hits, conditionError) };
      }
    }
  }

  /** A logpoint's message with each {expression} replaced by its value. */
  interpolate(message: string): string {
    return message.replace(/\{([^}]*)\}/g, (_m, expr: string) => {
      try { return `0x${this.evaluate(expr).toString(16)}`; } catch (e) { return `<${e instanceof Error ? e.message : String(e)}>`; }
    });
  }

  /** At a pc with a breakpoint, executes that instruction first (the hart would stop at once). */
  private stepPastBreakpoint(): Outcome | undefined {
    if (!this.installed.has(this.machine.hart.pc)) return undefined;
    return this.singleStep();
  }

  /** One instruction with breakpoints off; watchpoints, trap filters and exit still count. */
  private singleStep(): Outcome | undefined {
    const h = this.machine.hart;
    const atBp = this.installed.has(h.pc);
    if (atBp) this.driver.setBreakpoints([]);
    this.pendingTrap = undefined;
    const stop = this.driver.run(1);
    if (atBp) this.driver.setBreakpoints(this.installed);
    if (stop.kind === 'limit' || stop.kind === 'breakpoint') return undefined;
    const o = this.judge(stop);
    return o === 'more' || o === 'resume' ? undefined : o;
  }

  /** Runs to `address` when `accept` holds there (user breakpoints still stop the run). */
  private async runTo(points: CodePoint[], accept: () => boolean, fromStop = false): Promise<Outcome> {
    this.tempAddrs = points;
    this.installBreakpoints();
    try {
      if (this.atPoint(this.tempAddrs, this.machine.hart.pc) && !fromStop && accept()) return { kind: 'temp' };
      return await this.runFree(accept, fromStop);
    } finally {
      this.tempAddrs = [];
      this.installBreakpoints();
    }
  }

  // ---- Stepping -----------------------------------------------------------------------------

  stepIn(granularity: 'line' | 'instruction'): Promise<void> { return this.operate(() => this.doStep('in', granularity)); }
  next(granularity: 'line' | 'instruction'): Promise<void> { return this.operate(() => this.doStep('over', granularity)); }
  stepOut(): Promise<void> { return this.operate(() => this.doStepOut()); }

  /**
   * Step in/over by line or instruction. Over a call (jal/jalr linking ra) or an xcall the run
   * goes on to the return: the same stack pointer, or the same link-stack depth for an xcall.
   * A trap into a more privileged mode is run through unless stopInKernel; under a kernel the
   * step follows its thread: other threads may run before it comes back.
   */
  private async doStep(mode: 'in' | 'over', granularity: 'line' | 'instruction'): Promise<Outcome> {
    const h = this.machine.hart;
    const startLine = this.debug.lineAt(h.pc);
    const startPriv = h.priv;
    const startSp = h.getReg(2);
    const thread = this.target.currentThread();
    const sameThread = () => !this.target.multithreaded || this.target.currentThread() === thread;
    const lineMode = granularity === 'line' && startLine !== undefined;
    for (let n = 0; ; n++) {
      if (this.pauseRequested) return { kind: 'stop', info: { reason: 'pause' } };
      if (n > 200_000) return { kind: 'stop', info: { reason: 'step' } };
      const pc = h.pc;
      const ins = this.instructionAt(pc);
      const depth = this.linkDepth;
      let outcome: Outcome | undefined;
      // Passing through library code the step reached: its jumps (jal t0 into xpc_call_resume) are not calls to step over.
      const over = mode === 'over' && !(n > 0 && this.inLibrary());
      if (over && ins.op === Op.xcall) {
        const ret = pc + 4;
        const back = this.here(ret);
        outcome = this.singleStep();
        if (!outcome && this.linkDepth > depth) outcome = await this.runTo([back], () => h.pc === ret && this.linkDepth === depth && sameThread());
      } else if (over && (ins.op === Op.jal || ins.op === Op.jalr) && ins.rd !== 0) {
        const ret = pc + ins.len;
        const back = this.here(ret);
        outcome = this.singleStep();
        if (!outcome && h.pc !== ret) outcome = await this.runTo([back], () => h.pc === ret && h.getReg(2) >= startSp && sameThread());
      } else {
        outcome = this.singleStep();
      }
      if (outcome && outcome.kind !== 'temp') return outcome;
      let trapped = false;
      if (h.priv > startPriv && !this.stopInKernel) {
        trapped = true;
        const back = await this.throughKernel(startPriv, thread);
        if (back) return back;
      }
      // An interrupt taken before the instruction ran: the thread is back where it was; step it.
      if (trapped && h.pc === pc) continue;
      if (!lineMode) return { kind: 'stop', info: { reason: 'step' } };
      // Through library code (xpc_call, the x-entry trampoline): on to the handler, or back to the caller.
      if (this.inLibrary()) { if (n % 1000 === 999) await new Promise<void>((r) => setImmediate(r)); continue; }
      const line = this.debug.lineAt(h.pc);
      if (line === undefined) {
        // Code without lines (another program's, or data): instruction stepping from here.
        return { kind: 'stop', info: { reason: 'step' } };
      }
      if (!sameLine(line, startLine) && this.debug.isLineStart(h.pc)) return { kind: 'stop', info: { reason: 'step' } };
      // A line that loops on itself (`1: j 1b`) must not hang the step.
      if (n > 100_000) return { kind: 'stop', info: { reason: 'step' } };
      if (n % 1000 === 999) await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** Whether the hart is in user library code that line steps pass through (forward and back). */
  inLibrary(): boolean {
    const h = this.machine.hart;
    return !this.stepIntoLibrary && h.priv === Priv.U && (this.target.isLibraryCode?.(h.pc, h.satp) ?? false);
  }

  /** After a step or step out that ends in library code: on by line to the code the user wrote. */
  private async leaveLibrary(o: Outcome): Promise<Outcome> {
    if (o.kind !== 'stop' || o.info.reason !== 'step' || !this.inLibrary()) return o;
    return this.doStep('in', 'line');
  }

  /** A stop point at `pc` in the current address space (under a kernel: this process only). */
  private here(pc: number): CodePoint { return this.target.multithreaded ? { pc, asid: this.asid } : { pc }; }

  /**
   * After a step trapped into the kernel: runs until the stepping thread is back at the
   * trapping privilege. On bare metal the handler is stepped through to its return; under a
   * kernel the thread resumes where the trap left it (after an ecall, the next instruction),
   * maybe after other threads ran or after it blocked (a Call): a breakpoint there, accepted
   * only for the same thread.
   */
  private async throughKernel(startPriv: Priv, thread: number): Promise<Outcome | undefined> {
    const h = this.machine.hart;
    const t = this.pendingTrap;
    if (!this.target.multithreaded || !t) return this.runWhile(() => h.priv > startPriv);
    const ecall = !t.interrupt && (t.cause === 8 || t.cause === 9 || t.cause === 11);
    const epc = Number(BigInt.asIntN(64, t.epc));
    // An XPC fault of an xcall (24, 25, 28) is reported and the caller continues after its xcall.
    const xpcFault = !t.interrupt && t.cause >= 24 && t.cause <= 29;
    const points = ecall ? [epc + 4] : xpcFault ? [epc, epc + 4] : [epc];
    const o = await this.runTo(points.map((pc) => ({ pc, asid: this.asid })), () => h.priv === startPriv && this.target.currentThread() === thread);
    return o.kind === 'temp' ? undefined : o;
  }

  /** Single-steps while `cond` holds (a trap handler to its return), yielding now and then. */
  private async runWhile(cond: () => boolean): Promise<Outcome | undefined> {
    for (let n = 0; cond(); n++) {
      if (this.pauseRequested) return { kind: 'stop', info: { reason: 'pause' } };
      const o = this.singleStep();
      if (o) return o;
      if (n % 5000 === 4999) await new Promise<void>((r) => setImmediate(r));
      if (n > 10_000_000) return { kind: 'stop', info: { reason: 'pause', description: 'still in the trap handler after 10 million instructions' } };
    }
    return undefined;
  }

  /** The x-entry whose handler starts the function at pc, when pc is in a handler of the current call. */
  handlerEntryAt(pc: number): number | undefined {
    const fn = this.debug.functionAt(pc);
    if (!fn || this.linkDepth === 0) return undefined;
    const view = this.machine.hart.xpc.view();
    const top = view.linkStack[view.linkStack.length - 1];
    const id = top ? this.callIds.get(top.address) : undefined;
    if (id !== undefined) {
      const e = view.entries.find((x) => x.id === id);
      // The handler's own function, or code the unwinder finds no caller for in this domain.
      return e && (Number(e.entry.entryPc) === fn.address || this.unwind().length === 1) ? id : undefined;
    }
    return view.entries.find((x) => Number(x.entry.entryPc) === fn.address && x.entry.domain === view.domain)?.id;
  }

  private async doStepOut(): Promise<Outcome> {
    const h = this.machine.hart;
    if (this.handlerEntryAt(h.pc) !== undefined) {
      // Out of an x-entry handler: to the caller, just after its xcall (the matching xret).
      const view = h.xpc.view();
      const top = view.linkStack[view.linkStack.length - 1];
      const depth = this.linkDepth;
      const ret = Number(top.record.retPc);
      const thread = this.target.currentThread();
      const o = await this.runTo([{ pc: ret }], () => h.pc === ret && this.linkDepth === depth - 1 && this.target.currentThread() === thread, true);
      return this.leaveLibrary(o.kind === 'temp' ? { kind: 'stop', info: { reason: 'step' } } : o);
    }
    const frames = this.unwind();
    const caller = frames[1];
    if (caller === undefined) return this.doStep('over', 'line');
    const sp = h.getReg(2);
    const thread = this.target.currentThread();
    const o = await this.runTo([this.here(caller)], () => h.pc === caller && h.getReg(2) >= sp && this.target.currentThread() === thread, true);
    return this.leaveLibrary(o.kind === 'temp' ? { kind: 'stop', info: { reason: 'step' } } : o);
  }

  // ---- Stack ---------------------------------------------------------------------------------

  /** The instruction at a virtual address of another address space. */
  private instructionIn(satp: bigint, va: number): ExecForm {
    const b = this.readVirtualIn(satp, va, 4);
    const out: ExecForm = { op: Op.None, rd: 0, rs1: 0, rs2: 0, imm: 0, len: 4 };
    if (b[0] === undefined || b[1] === undefined) return out;
    decodeExec((b[0] | (b[1] << 8) | ((b[2] ?? 0) << 16) | ((b[3] ?? 0) << 24)) >>> 0, out);
    return out;
  }

  /**
   * Return addresses of a thread's frames, innermost first (frame 0 is pc): ra while it returns
   * into a caller of this function, then the fp chain (ra at fp-8, caller's fp at fp-16, the
   * RISC-V convention). A return address counts only where a call precedes it that could have
   * reached the callee. Without `ctx`, the hart's registers; with it, saved ones (another thread).
   */
  unwind(ctx?: RegisterContext): number[] { return this.unwindFrames(ctx).map((f) => f.pc); }

  /**
   * The frames `unwind` finds, each caller with the sp and s0 it had at its call where they can be
   * recovered: from its callee's frame record (sp = the record's fp, the callee's CFA; s0 = the
   * saved fp at fp-16), or, for the caller of a leaf reached through ra, from the leaf's registers
   * when the leaf's code before pc leaves them unchanged (or only moves sp by constants).
   */
  unwindFrames(ctx?: RegisterContext): UnwoundFrame[] {
    const h = this.machine.hart;
    const debug = ctx?.debug ?? this.debug;
    const known = (r: number) => ctx?.known?.(r) ?? true;
    const reg = ctx ? (r: number) => ctx.reg(r) : (r: number) => BigInt.asUintN(64, h.getReg(r));
    const readU64 = ctx ? (a: number) => this.readValueIn(ctx.satp, BigInt(a), 8) : (a: number) => this.readU64(a);
    const insAt = ctx ? (a: number) => this.instructionIn(ctx.satp, a) : (a: number) => ({ ...this.instructionAt(a) });
    const frames: UnwoundFrame[] = [{ pc: ctx?.pc ?? h.pc }];
    const fnOf = (a: number) => debug.functionAt(a)?.address;
    const isReturnInto = (ret: number, callee: number | undefined) => returnsInto(ret, callee, debug, insAt);
    const ra = Number(BigInt.asIntN(64, reg(1)));
    if (known(1) && isReturnInto(ra, fnOf(frames[0].pc))) {
      // A leaf (it has not called since it was entered): its caller's sp and s0 are its own, as far as its code has not changed them.
      const fx = leafEffect(fnOf(frames[0].pc), frames[0].pc, insAt);
      frames.push({
        pc: ra, from: 'prologue',
        sp: known(2) && fx.spDelta !== undefined ? BigInt.asUintN(64, reg(2) - fx.spDelta) : undefined,
        fp: known(8) && !fx.fpWritten ? reg(8) : undefined,
      });
    }
    let fp = known(8) ? reg(8) : 0n;
    for (let i = 0; i < 64 && fp !== 0n && fp % 8n === 0n; i++) {
      const ret = readU64(Number(fp) - 8);
      const prev = readU64(Number(fp) - 16);
      if (ret === undefined || prev === undefined) break;
      const r = Number(BigInt.asIntN(64, ret));
      const last = frames[frames.length - 1];
      if (i === 0 && frames.length === 2 && last.from === 'prologue' && r === last.pc) {
        // The leaf's own record (it saved ra and set fp): its caller's sp and s0, exactly.
        last.sp = fp; last.fp = prev; last.from = 'frame record';
      } else {
        if (!isReturnInto(r, fnOf(last.pc))) break;
        if (r !== last.pc) frames.push({ pc: r, sp: fp, fp: prev, from: 'frame record' });
      }
      if (prev <= fp) break;
      fp = prev;
    }
    return frames;
  }

  lineOf(pc: number): SourceLine | undefined { return this.debug.lineAt(pc); }
}

/** Whether `ret` follows a call that may have entered the function at `callee`. */
function returnsInto(ret: number, callee: number | undefined, debug: DebugInfo, insAt: (a: number) => ExecForm): boolean {
  if (!ret || !debug.isCode(ret)) return false;
  if (callee !== undefined && debug.functionAt(ret)?.address === callee) return false;
  for (const len of [4, 2]) {
    const ins = insAt(ret - len);
    if (ins.len !== len || ins.rd !== 1) continue;
    if (ins.op === Op.jal) return callee === undefined || ret - len + ins.imm === callee;
    if (ins.op === Op.jalr) {
      if (ins.rs1 === 1 && len === 4) {
        const au = insAt(ret - 8);
        if (au.op === Op.auipc && au.rd === 1) return callee === undefined || ret - 8 + au.imm + ins.imm === callee;
      }
      return true;
    }
  }
  return false;
}

/** Control transfers that make a linear scan's sp arithmetic path-dependent (calls return: not these). */
const BRANCHES = new Set<number>([Op.beq, Op.bne, Op.blt, Op.bge, Op.bltu, Op.bgeu]);

/**
 * What a leaf's code from its entry up to `pc` did to sp and s0, by a linear scan: sp moved by
 * constants (`addi sp, sp, imm` before any branch) or unknown; whether s0 was written at all.
 */
function leafEffect(entry: number | undefined, pc: number, insAt: (a: number) => ExecForm): { spDelta?: bigint; fpWritten: boolean } {
  const unknown = { spDelta: undefined, fpWritten: true };
  if (entry === undefined || pc < entry || pc - entry > 4096) return unknown;
  let delta: bigint | undefined = 0n;
  let branched = false;
  let fpWritten = false;
  let a = entry;
  while (a < pc) {
    const ins = insAt(a);
    if (ins.op === Op.None) return unknown;
    if (ins.rd === 2) delta = delta !== undefined && ins.op === Op.addi && ins.rs1 === 2 && !branched ? delta + BigInt(ins.imm) : undefined;
    if (ins.rd === 8) fpWritten = true;
    if (BRANCHES.has(ins.op) || ((ins.op === Op.jal || ins.op === Op.jalr) && ins.rd === 0)) branched = true;
    a += ins.len;
  }
  return a === pc ? { spDelta: delta, fpWritten } : unknown;
}

function sameLine(a: SourceLine | undefined, b: SourceLine | undefined): boolean {
  return a !== undefined && b !== undefined && a.file === b.file && a.line === b.line;
}

/** VS Code hit conditions: "5" or ">= 5" (from the 5th hit), "== 5", "> 5", "% 5" (every 5th). */
export function hitConditionMet(cond: string, hits: number): boolean {
  const m = /^\s*(>=|==|>|<=|<|%)?\s*(\d+)\s*$/.exec(cond);
  if (!m) return true;
  const n = Number(m[2]);
  switch (m[1]) {
    case '==': return hits === n;
    case '>': return hits > n;
    case '<': return hits < n;
    case '<=': return hits <= n;
    case '%': return n > 0 && hits % n === 0;
    default: return hits >= n;
  }
}
