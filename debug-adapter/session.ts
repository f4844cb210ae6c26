// The Debug Adapter Protocol session: requests in, the runtime driven, events out. Every
// handler is guarded, so a malformed or unexpected request gets an error response and the
// session goes on. Usable inline (the extension) and over stdio (main.ts, `xpc dap`).

import * as path from 'node:path';
import {
  Breakpoint, ContinuedEvent, Event, ExitedEvent, Handles, InitializedEvent, LoggingDebugSession, OutputEvent, Response, Scope, Source, StackFrame,
  StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import { DebugInfo, LaunchError, LoadedProgram, debugInfoFromImage, loadProgram } from './program';
import { CodeBreakpoint, DataWatch, LaunchOptions, Runtime, StopInfo } from './runtime';
import { requireTravel, timeTravelLaunchOptions, timeTravelRequest } from './time-travel';
import { CodePoint, RegisterContext } from './target';
import { SystemTarget } from './kernel-target';
import { buildSystem, formatSystemDiagnostic } from '../kernel/system/build';
import { SYSCALLS } from '../kernel/abi/abi';
import { EXCEPTION_FILTERS, describeTrap } from './causes';
import { EvalContext, EvalError, evaluateExpression } from './expressions';
import { registerNumber } from '../emulator/isa/registers';
import {
  NOT_SAVED, VarNode, callTraceBody, completionNames, csrNodes, examine, globalNodes, hex, infoTlb, infoXpc, linkStacksBody, privilegeName,
  registerNodes, relaySegmentsBody, setRegisterOrCsr, stateBody, xEntriesBody, xpcNodes,
} from './views';
import { FrameRegisters, callerRegisters, keptRegisters, liveRegisters, pcOnlyRegisters } from './frame-registers';
import { formatInstruction } from '../emulator/isa/disasm';
import { Priv } from '../emulator/hart/hart';
import { LoadError } from '../emulator/machine/loader';
import { RAM_BASE } from '../emulator/machine/machine';
import { TimingOption } from '../emulator/timing/params';
import { argumentProblem } from './request-arguments';

export interface XpcLaunchArguments extends DebugProtocol.LaunchRequestArguments {
  program?: string;
  system?: string;
  stopOnEntry?: boolean;
  timing?: TimingOption;
  ramSize?: number;
  trace?: boolean;
  includeDirs?: string[];
  stopInKernel?: boolean;
  /** Under the kernel: line steps stop inside the XPC library (xpc_call, trampoline) instead of passing through it. */
  stepIntoXpcLibrary?: boolean;
  timeTravel?: boolean;
  historyBudgetMiB?: number;
}

const TIMINGS = ['off', 'default', 'rocket2019'];

/** A frame as the stack shows it: code at pc in a domain, or a label between domains. */
interface FrameInfo {
  readonly pc: number;
  readonly domain: string;
  readonly label?: string;
  /** A caller's frame: pc is a return address, its line is the call's (pc - 1). */
  readonly caller?: boolean;
  /** Symbols and lines of the code at pc (a process's own, or the kernel's). */
  readonly debug: DebugInfo;
  /** The address space its memory (globals) is read through. */
  readonly satp: bigint;
  /** Its registers as far as anything kept them (the hart's only for the innermost frame on the hart). */
  readonly regs: FrameRegisters;
}

const SCAUSE = 0x142;
const SYSCALL_NAMES = new Map<number, string>(Object.entries(SYSCALLS).map(([k, v]) => [v, k]));

// What frames other than the innermost one on the hart know of their registers, and why not more.
const NOTHING_KEPT = 'nothing kept this frame\'s registers';
const LABEL_REGS = pcOnlyRegisters('a label between frames has no registers', 'a label between frames has no registers');
/** The return stub's xcall under the kernel: xpc_call zeroed the registers before it and keeps the caller's in its save frame (the next frame). */
const STUB_REGS = pcOnlyRegisters('not saved: xpc_call hands a0–a6 to the callee and zeroes the rest before this xcall; the caller\'s own registers are in the next frame', NOTHING_KEPT, 'U-mode');
/** A raw xcall (bare metal): the link record keeps the return address and nothing else of the caller. */
const RAW_XCALL_REGS = pcOnlyRegisters('not saved: xcall keeps only the return address (in the link record); no one saved the caller\'s registers', NOTHING_KEPT);
const SAVED_READ_ONLY = 'these are the kernel\'s saved copy of a thread that is not on the hart (read-only)';
const USER_IN_KERNEL_READ_ONLY = 'these are the user registers of the thread that entered the kernel, as the kernel keeps them (read-only)';

export class XpcDebugSession extends LoggingDebugSession {
  private runtime?: Runtime;
  private configured!: Promise<void>;
  private markConfigured!: () => void;
  private nextBreakpointId = 1;
  private readonly lineBreakpoints = new Map<string, CodeBreakpoint[]>();
  private variableHandles = new Handles<() => VarNode[]>();
  /** Frames handed out since the last stop (frame id = index); per thread, their ids. */
  private frames: FrameInfo[] = [];
  private threadFrames = new Map<number, number[]>();
  /** Threads whose frames were asked for before a change of state while stopped (see forgetFrames). */
  private rebuildThreads: number[] = [];
  /** Scope handles → the frame they belong to (dataBreakpointInfo of a variable binds to its process). */
  private scopeFrames = new Map<number, FrameInfo>();
  /** The handles of Registers scopes (setVariable there writes a frame's registers). */
  private registerScopes = new Set<number>();
  private hexFormat = true;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.configured = new Promise((r) => { this.markConfigured = r; });
  }

  // ---- Guarding ------------------------------------------------------------------------------

  /** Malformed arguments are refused naming the argument, before a handler could trip over them. */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const problem = argumentProblem(request.command, request.arguments);
    if (problem) {
      this.sendErrorResponse(new Response(request), { id: 1002, format: problem.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')')), showUser: request.command === 'launch' });
      return;
    }
    // Requests whose arguments are all optional may come without any.
    if (request.arguments === undefined) request.arguments = {};
    super.dispatchRequest(request);
  }

  /** Runs a handler; anything it throws becomes the request's error response. */
  private guard(response: DebugProtocol.Response, fn: () => void | Promise<void>): void {
    const fail = (e: unknown) => {
      const text = e instanceof Error ? e.message : String(e);
      // Named once: some handlers' messages name their request already.
      const message = e instanceof LaunchError || e instanceof EvalError || e instanceof LoadError || text.startsWith(`${response.command}:`) ? text
        : `${response.command}: ${text}`;
      this.sendErrorResponse(response, { id: 1001, format: message.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')')), showUser: response.command === 'launch' });
    };
    try {
      const r = fn();
      if (r instanceof Promise) r.catch(fail);
    } catch (e) {
      fail(e);
    }
  }

  private rt(): Runtime {
    if (!this.runtime) throw new Error('no program is running (launch first)');
    return this.runtime;
  }

  private stoppedRuntime(): Runtime {
    const rt = this.rt();
    if (rt.isRunning) throw new Error('the program is running (pause it first)');
    return rt;
  }

  /** For pause: refused once the program has exited (nothing runs, and no stop would come). */
  private liveRuntime(): Runtime {
    const rt = this.rt();
    if (rt.hasEnded) throw new Error('the program has exited (the session has ended)');
    return rt;
  }

  /** For requests that run the program: stopped, and not exited (the operation would do nothing and report nothing). */
  private runnableRuntime(): Runtime {
    const rt = this.stoppedRuntime();
    if (rt.hasEnded) throw new Error('the program has exited (the session has ended)');
    return rt;
  }

  // ---- Initialization and launch ---------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsDisassembleRequest: true,
      supportsSteppingGranularity: true,
      supportsInstructionBreakpoints: true,
      supportsDataBreakpoints: true,
      supportsExceptionInfoRequest: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['.', '$', ' '],
      supportsValueFormattingOptions: true,
      supportsTerminateRequest: true,
      supportsBreakpointLocationsRequest: true,
      supportsStepBack: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ filter: f.filter, label: f.label, description: f.description, default: f.default ?? false })),
    };
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.markConfigured();
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: XpcLaunchArguments): void {
    this.guard(response, async () => {
      if (this.runtime) throw new Error('launch: a program is already running in this session');
      if (args.system !== undefined && args.program !== undefined) throw new LaunchError("launch: give either 'program' (bare metal) or 'system' (a system description), not both");
      if (args.system !== undefined && (typeof args.system !== 'string' || !args.system)) throw new LaunchError("launch: 'system' must name a system description (.json)");
      if (args.system === undefined && (typeof args.program !== 'string' || !args.program)) throw new LaunchError("launch: 'program' must name an assembly source (.S, .s, .asm) or an ELF executable");
      if (args.timing !== undefined && !TIMINGS.includes(args.timing)) throw new LaunchError(`launch: timing must be one of ${TIMINGS.join(', ')} (got '${String(args.timing)}')`);
      if (args.ramSize !== undefined && (typeof args.ramSize !== 'number' || !(args.ramSize >= 1 && args.ramSize <= 2048) || !Number.isInteger(args.ramSize))) {
        throw new LaunchError(`launch: ramSize is in MiB, an integer from 1 to 2048 (got ${JSON.stringify(args.ramSize)})`);
      }
      let program: LoadedProgram;
      let makeTarget: LaunchOptions['makeTarget'];
      let firstUser: CodePoint[] = [];
      if (typeof args.system === 'string') {
        const file = path.resolve(args.system);
        const built = buildSystem(file);
        if (!built.image) {
          const n = built.diagnostics.length;
          throw new LaunchError(`${path.basename(file)}: ${n} problem${n === 1 ? '' : 's'} in the system description; launch refused:\n${built.diagnostics.slice(0, 40).map(formatSystemDiagnostic).join('\n')}`);
        }
        const image = built.image;
        program = { elfBytes: image.elf, debug: debugInfoFromImage(image.kernel, path.dirname(file), 'kernel') };
        makeTarget = (m, d) => new SystemTarget(m, image, d);
        firstUser = image.processes.flatMap((p) => p.threads.map((t) => ({ pc: Number(t.entry), asid: p.asid })));
      } else {
        program = loadProgram(args.program!, Array.isArray(args.includeDirs) ? args.includeDirs.filter((d) => typeof d === 'string') : []);
      }
      this.runtime = new Runtime(program, path.resolve(args.system ?? args.program!), {
        stopped: (info) => this.onStopped(info),
        output: (text, category) => this.sendEvent(new OutputEvent(text, category)),
        exited: (code, message) => {
          this.sendEvent(new OutputEvent(message, 'console'));
          this.sendEvent(new ExitedEvent(code));
          this.sendEvent(new TerminatedEvent());
        },
        continued: () => this.sendEvent(new ContinuedEvent(this.currentThreadId(), true)),
      }, { timing: args.timing, ramSize: args.ramSize !== undefined ? args.ramSize * 1024 * 1024 : undefined, trace: args.trace === true, stopInKernel: args.stopInKernel === true, stepIntoLibrary: args.stepIntoXpcLibrary === true, makeTarget,
        // Run without debugging: nothing can travel, so nothing is recorded (and the exit ends the run).
        ...timeTravelLaunchOptions(args), ...(args.noDebug === true ? { timeTravel: false } : {}) });
      this.runtime.runToEntry(Number(program.debug.elf.entry), RAM_BASE);
      // A system stops on entry at its first user instruction (the boot is the kernel's), unless stopInKernel.
      if (args.stopOnEntry && firstUser.length && args.stopInKernel !== true) this.runtime.runToPoints(firstUser, 50_000_000);
      if (!this.runtime.travel) this.sendEvent(new Event('capabilities', { capabilities: { supportsStepBack: false } }));
      this.sendEvent(new InitializedEvent());
      // Breakpoints and filters arrive between `initialized` and configurationDone; run after it.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.configured, new Promise((r) => { timer = setTimeout(r, 10_000); })]);
      clearTimeout(timer);
      this.sendResponse(response);
      if (args.stopOnEntry) this.onStopped({ reason: 'entry' });
      else void this.runtime.continue(true);
    });
  }

  /** Guest memory decides the thread (the kernel's current_tcb); nothing read there may escape. */
  private currentThreadId(): number {
    try { return this.runtime?.target.currentThread() ?? 1; } catch { return 1; }
  }

  private onStopped(info: StopInfo): void {
    this.variableHandles.reset();
    this.scopeFrames.clear();
    this.registerScopes.clear();
    this.forgetFrames();
    const ev = new StoppedEvent(info.reason, this.currentThreadId(), info.text) as DebugProtocol.StoppedEvent;
    ev.body.description = info.description;
    ev.body.allThreadsStopped = true;
    if (info.hitBreakpointIds?.length) ev.body.hitBreakpointIds = info.hitBreakpointIds;
    this.sendEvent(ev);
    this.sendEvent(new Event('xpc.stateChanged'));
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): void {
    this.runtime?.pause();
    // The base class answers and, run as a process, exits; inline it only answers.
    super.disconnectRequest(response, args);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.runtime?.pause();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  // ---- Breakpoints ---------------------------------------------------------------------------

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.guard(response, () => {
      const rt = this.rt();
      const file = args.source?.path;
      if (!file) throw new Error('setBreakpoints: the source has no path');
      const requested: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
      const mine: CodeBreakpoint[] = [];
      const out: DebugProtocol.Breakpoint[] = requested.map((b) => {
        const resolved = resolveInSpaces(rt, file, b.line);
        const id = this.nextBreakpointId++;
        if (!resolved) {
          const bp = new Breakpoint(false, b.line) as DebugProtocol.Breakpoint;
          bp.id = id;
          bp.message = `no code at or near line ${b.line} of ${path.basename(file)} in this program`;
          return bp;
        }
        mine.push({ id, kind: 'line', points: resolved.points, condition: b.condition || undefined, hitCondition: b.hitCondition || undefined, logMessage: b.logMessage, hits: 0 });
        const bp = new Breakpoint(true, resolved.line, 1, new Source(path.basename(file), file)) as DebugProtocol.Breakpoint;
        bp.id = id;
        bp.instructionReference = hex(resolved.points[0].pc);
        if (resolved.where) bp.message = `in ${resolved.where}`;
        return bp;
      });
      this.lineBreakpoints.set(path.resolve(file), mine);
      rt.setCodeBreakpoints('line', [...this.lineBreakpoints.values()].flat());
      response.body = { breakpoints: out };
      this.sendResponse(response);
    });
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    this.guard(response, () => {
      const rt = this.rt();
      const file = args.source.path ?? '';
      const end = args.endLine ?? args.line;
      const breakpoints: DebugProtocol.BreakpointLocation[] = [];
      for (let l = args.line; l <= end && l - args.line < 10_000; l++) {
        if (rt.target.spaces().some((sp) => sp.debug.lines?.lineToAddresses(file, l).length)) breakpoints.push({ line: l });
      }
      response.body = { breakpoints };
      this.sendResponse(response);
    });
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.guard(response, () => {
      const rt = this.rt();
      const list: CodeBreakpoint[] = [];
      const out = args.breakpoints.map((b) => {
        const id = this.nextBreakpointId++;
        // A symbol in each address space that has it (`_start` is in every process), else an expression.
        const points: CodePoint[] = rt.target.spaces().flatMap((sp) => {
          const sym = sp.debug.symbol(b.name);
          return sym && sp.debug.isCode(sym.address) ? [{ pc: sym.address, asid: sp.asid }] : [];
        });
        if (!points.length) { try { points.push({ pc: Number(BigInt.asIntN(64, rt.evaluate(b.name))) }); } catch { /* reported below */ } }
        const address = points[0]?.pc;
        if (address === undefined) {
          const bp = new Breakpoint(false) as DebugProtocol.Breakpoint;
          bp.id = id;
          bp.message = `no function or symbol '${b.name}'`;
          return bp;
        }
        list.push({ id, kind: 'function', points, condition: b.condition || undefined, hitCondition: b.hitCondition || undefined, hits: 0 });
        const space = rt.target.spaces().find((sp) => sp.asid === points[0].asid && sp.debug.isCode(address));
        const line = (space?.debug ?? rt.debug).lineAt(address);
        const bp = new Breakpoint(true, line?.line, 1, line ? new Source(path.basename(line.file), line.file) : undefined) as DebugProtocol.Breakpoint;
        bp.id = id;
        bp.instructionReference = hex(address);
        return bp;
      });
      rt.setCodeBreakpoints('function', list);
      response.body = { breakpoints: out };
      this.sendResponse(response);
    });
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    this.guard(response, () => {
      const rt = this.rt();
      const list: CodeBreakpoint[] = [];
      const out = args.breakpoints.map((b) => {
        const id = this.nextBreakpointId++;
        const ref = parseAddress(b.instructionReference);
        const address = ref.address + (b.offset ?? 0);
        // `client:0x…` (a frame's instructionPointerReference under the kernel): that process's ASID only.
        const satp = spaceOf(rt, ref);
        const asid = satp !== undefined ? Number((satp >> 44n) & 0xffffn) : undefined;
        list.push({ id, kind: 'instruction', points: [{ pc: address, asid }], condition: b.condition || undefined, hitCondition: b.hitCondition || undefined, hits: 0 });
        const bp = new Breakpoint(true) as DebugProtocol.Breakpoint;
        bp.id = id;
        bp.instructionReference = ref.process ? `${ref.process}:${hex(address)}` : hex(address);
        return bp;
      });
      rt.setCodeBreakpoints('instruction', list);
      response.body = { breakpoints: out };
      this.sendResponse(response);
    });
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments & { asAddress?: boolean; bytes?: number }): void {
    this.guard(response, () => {
      const rt = this.rt();
      // A variable of a frame's scope, or an expression in a frame: that frame's process (under the kernel).
      const frame = args.frameId !== undefined ? this.frameOf(rt, args.frameId)
        : args.variablesReference !== undefined ? this.scopeFrames.get(args.variablesReference) : undefined;
      const inProcess = frame && rt.target.multithreaded && rt.target.spaceSatp?.(frame.domain) !== undefined ? frame : undefined;
      let va: number, size: number, physical = false, label: string;
      let satp = inProcess?.satp;
      let process = inProcess?.domain;
      const sym = (frame?.debug ?? rt.debug).symbol(args.name);
      if (sym && !args.asAddress) {
        va = sym.address; size = sym.size > 0 && sym.size <= 4096 ? sym.size : 8; label = sym.name;
      } else {
        const ref = args.asAddress ? parseAddress(args.name) : undefined;
        physical = ref?.physical ?? false;
        if (ref?.process !== undefined) { satp = spaceOf(rt, ref); process = ref.process; }
        va = ref ? ref.address : Number(frame ? evaluateExpression(args.name, frameEvalContext(rt, frame)) : rt.evaluate(args.name));
        size = Math.max(1, Math.min(args.bytes ?? 8, 1 << 20));
        label = args.name;
      }
      if (physical) { satp = undefined; process = undefined; }
      const pa = physical ? va : satp !== undefined ? rt.translateIn(satp, va) : rt.translate(va);
      const where = process !== undefined ? `process ${process}` : 'the current address space';
      if (pa === undefined) {
        response.body = { dataId: null, description: `${label}: ${hex(va)} is not mapped in ${where}` };
      } else {
        if (process !== undefined) label = `${label} [${process}]`;
        const kind = physical ? 'physical' : process !== undefined ? `virtual (${where})` : 'virtual';
        response.body = {
          dataId: `${pa}:${size}:${label}`, description: `${label} (${size} byte${size > 1 ? 's' : ''} at ${kind} ${hex(va)}, physical ${hex(pa)})`,
          accessTypes: ['read', 'write', 'readWrite'], canPersist: false,
        };
      }
      this.sendResponse(response);
    });
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.guard(response, () => {
      const rt = this.rt();
      const watches: DataWatch[] = [];
      const out = args.breakpoints.map((b) => {
        const m = /^(\d+):(\d+):(.*)$/s.exec(b.dataId);
        const id = this.nextBreakpointId++;
        if (!m) {
          const bp = new Breakpoint(false) as DebugProtocol.Breakpoint;
          bp.message = `unknown data breakpoint id '${b.dataId}'`;
          bp.id = id;
          return bp;
        }
        const access = b.accessType ?? 'write';
        watches.push({ id, start: Number(m[1]), end: Number(m[1]) + Number(m[2]), read: access !== 'write', write: access !== 'read', label: m[3] });
        const bp = new Breakpoint(true) as DebugProtocol.Breakpoint;
        bp.id = id;
        return bp;
      });
      rt.setDataWatches(watches);
      response.body = { breakpoints: out };
      this.sendResponse(response);
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.guard(response, () => {
      const known = new Set(EXCEPTION_FILTERS.map((f) => f.filter));
      const ids = [...(args.filters ?? []), ...(args.filterOptions ?? []).map((o) => o.filterId)];
      const unknown = ids.filter((f) => !known.has(f));
      if (unknown.length) throw new Error(`unknown exception filter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
      this.rt().setExceptionFilters(ids);
      response.body = { breakpoints: ids.map(() => ({ verified: true })) };
      this.sendResponse(response);
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime();
      const t = rt.lastTrap;
      if (!t) throw new Error('exceptionInfo: the program did not stop on an exception');
      const d = describeTrap(t.cause, t.interrupt, t.tval);
      const reg = t.toPriv === Priv.M ? 'm' : 's';
      const epc = Number(BigInt.asIntN(64, t.epc));
      const debug = rt.target.debugAt(epc, rt.machine.hart.satp);
      const where = debug.describe(epc) ?? hex(t.epc);
      const line = debug.lineAt(epc);
      // Under a kernel, a user fault belongs to a thread of a process, which the kernel will end.
      const thread = rt.target.currentThread();
      const who = t.fromPriv === Priv.U && rt.target.multithreaded
        ? `in process ${rt.target.processOf(thread) ?? '?'} (${rt.target.threads().find((x) => x.id === thread)?.name ?? `thread ${thread}`}); the kernel will report it and end the process`
        : `in ${['U', 'S', '?', 'M'][t.fromPriv]}-mode`;
      response.body = {
        exceptionId: d.name,
        description: `${d.summary} at ${where}${line ? ` (${path.basename(line.file)}:${line.line})` : ''} ${who}${d.explanation ? `: ${d.explanation}` : ''}. ${reg}cause = ${hex(BigInt(t.cause) | (t.interrupt ? 1n << 63n : 0n))}, ${reg}tval = ${hex(t.tval)}, ${reg}epc = ${hex(t.epc)}.`,
        breakMode: 'always',
        details: { message: d.summary, typeName: d.name, stackTrace: `${where}${line ? ` at ${line.file}:${line.line}` : ''}` },
      };
      this.sendResponse(response);
    });
  }

  // ---- Execution -------------------------------------------------------------------------------

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.guard(response, () => {
      const rt = this.runnableRuntime();
      response.body = { allThreadsContinued: true };
      this.sendResponse(response);
      void rt.continue();
    });
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.guard(response, () => {
      const rt = this.runnableRuntime();
      this.sendResponse(response);
      void rt.next(args.granularity === 'instruction' ? 'instruction' : 'line');
    });
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.guard(response, () => {
      const rt = this.runnableRuntime();
      this.sendResponse(response);
      void rt.stepIn(args.granularity === 'instruction' ? 'instruction' : 'line');
    });
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.guard(response, () => {
      const rt = this.runnableRuntime();
      this.sendResponse(response);
      void rt.stepOut();
    });
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.guard(response, () => {
      const travel = requireTravel(this.stoppedRuntime());
      const stop = travel.stepBack(args.granularity === 'instruction' ? 'instruction' : 'line');
      this.sendResponse(response);
      void travel.report(stop);
    });
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.guard(response, () => {
      const travel = requireTravel(this.stoppedRuntime());
      const stop = travel.reverseContinue();
      this.sendResponse(response);
      void travel.report(stop);
    });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.guard(response, () => {
      const rt = this.liveRuntime();
      this.sendResponse(response);
      if (rt.isRunning) rt.pause();
      else this.onStopped({ reason: 'pause' });
    });
  }

  // ---- Threads, stack, variables --------------------------------------------------------------

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    this.guard(response, () => {
      response.body = { threads: this.runtime ? this.runtime.target.threads().map((t) => new Thread(t.id, t.name)) : [new Thread(1, 'hart')] };
      this.sendResponse(response);
    });
  }

  /**
   * Drops the frames. After a stop their ids mean nothing; after a change of the state while
   * stopped (setVariable, writeMemory) the client keeps the ids it has (watches are evaluated
   * again with them), so `frameOf` rebuilds the same threads' stacks in the same order on demand.
   */
  private forgetFrames(atStop = true): void {
    this.rebuildThreads = atStop ? [] : [...this.threadFrames.keys()];
    this.frames = [];
    this.threadFrames.clear();
  }

  /**
   * The frame a request's frameId names; undefined when none is given. An id the stack no longer
   * has is an error: answering with the hart's registers would be another frame's values.
   */
  private frameOf(rt: Runtime, frameId: number | undefined): FrameInfo | undefined {
    if (frameId === undefined) return undefined;
    if (!this.frames[frameId] && this.rebuildThreads.length) {
      for (const t of this.rebuildThreads) this.framesOf(rt, t);
      this.rebuildThreads = [];
    }
    const f = this.frames[frameId];
    if (!f && this.frames.length) throw new Error(`no frame ${frameId} (the stack changed; ask for it again)`);
    return f;
  }

  /** The frames of a thread; their ids index `this.frames` until the next stop. */
  private framesOf(rt: Runtime, threadId: number): number[] {
    let ids = this.threadFrames.get(threadId);
    if (!ids) {
      const list = rt.target.multithreaded && threadId !== rt.target.currentThread() ? this.savedFrames(rt, threadId) : this.buildFrames(rt);
      ids = list.map((f) => this.frames.push(f) - 1);
      this.threadFrames.set(threadId, ids);
    }
    return ids;
  }

  /**
   * Frames unwound from `ctx` (the hart's registers when undefined) in one address space: the
   * first with `first` (the context's registers), its callers with what the unwinder recovered.
   */
  private unwoundFrames(rt: Runtime, ctx: RegisterContext | undefined, domain: string, satp: bigint, first: FrameRegisters, firstIsCaller = false): FrameInfo[] {
    const list = rt.unwindFrames(ctx);
    const at0 = firstIsCaller ? list[0].pc - 1 : list[0].pc;
    const innerName = `${rt.target.debugAt(list[0].pc, satp).describe(at0) ?? hex(list[0].pc)} [${domain}]`;
    return list.map((u, i) => ({
      pc: u.pc, domain, caller: firstIsCaller || i > 0, debug: rt.target.debugAt(u.pc, satp), satp,
      regs: i === 0 ? first : callerRegisters(first, u, innerName),
    }));
  }

  /** The hart's own registers: the innermost frame of the thread on the hart. */
  private hartRegisters(rt: Runtime): FrameRegisters {
    const h = rt.machine.hart;
    return liveRegisters((r) => h.getReg(r), () => privilegeName(h.priv));
  }

  /** Frames unwound from saved registers (a thread that is not running, a user context under a kernel entry). */
  private contextFrames(rt: Runtime, ctx: RegisterContext, readOnly: string): FrameInfo[] {
    const regs = keptRegisters((r) => ctx.reg(r), (r) => ctx.known?.(r) ?? true, ctx.source ?? 'saved', () => ctx.notKept ?? 'not saved', readOnly,
      ctx.pc < 0 ? 'S-mode (kernel)' : 'U-mode (user context)');
    return this.withXcallCaller(rt, this.unwoundFrames(rt, ctx, ctx.domain, ctx.satp, regs), ctx.satp, ctx.domain);
  }

  /** A caller's frames across an xcall, from the registers xpc_call saved (its call slot and save frame). */
  private xcallCallerFrames(rt: Runtime, ctx: RegisterContext, domain: string): FrameInfo[] {
    const regs = keptRegisters((r) => ctx.reg(r), (r) => ctx.known?.(r) ?? true, ctx.source ?? 'saved by xpc_call', () => ctx.notKept ?? 'not saved',
      'these are the copy xpc_call saved on the caller\'s stack (the library reloads them when the call returns); writing one would change the hart\'s current registers, not this frame\'s', 'U-mode');
    return this.unwoundFrames(rt, ctx, domain, ctx.satp, regs, true);
  }

  /**
   * Stopped at a return stub's xcall (an XPC fault, a step into the library): xpc_call cleared
   * the registers, so the caller's frames come from its call slot.
   */
  private withXcallCaller(rt: Runtime, frames: FrameInfo[], satp: bigint, domain: string): FrameInfo[] {
    const last = frames[frames.length - 1];
    const ctx = last && !last.caller ? rt.target.xcallCaller?.(last.pc + 4, satp) : undefined;
    if (!ctx) return frames;
    return [...frames, ...this.xcallCallerFrames(rt, ctx, domain)];
  }

  private savedFrames(rt: Runtime, threadId: number): FrameInfo[] {
    const ctx = rt.target.savedContext(threadId);
    if (!ctx) return [];
    return [...this.contextFrames(rt, ctx, SAVED_READ_ONLY), ...this.threadLinkFrames(rt, threadId)];
  }

  /** A thread's callers across xcalls, from the link stack the kernel keeps for it (the inspector's view). */
  private threadLinkFrames(rt: Runtime, threadId: number): FrameInfo[] {
    const frames: FrameInfo[] = [];
    for (const r of [...(rt.target.linkStackOf?.(threadId) ?? [])].reverse()) {
      const id = rt.callIds.get(r.recordPa);
      const debug = rt.target.debugAt(r.retPc - 4, r.satp);
      frames.push({ pc: r.retPc - 4, domain: r.process, label: `xcall #${id ?? '?'} → ${(id !== undefined ? rt.target.xEntryName?.(id) : undefined) ?? '?'}`, debug, satp: r.satp, regs: LABEL_REGS });
      frames.push({ pc: r.retPc - 4, domain: r.process, debug, satp: r.satp, regs: xcallSiteRegisters(rt, r.retPc - 4, r.satp) });
      const caller = rt.target.xcallCaller?.(r.retPc, r.satp);
      if (caller) frames.push(...this.xcallCallerFrames(rt, caller, r.process));
    }
    return frames;
  }

  /** The frames: this domain's, then for each linkage record a label and the caller's xcall site. */
  private buildFrames(rt: Runtime): FrameInfo[] {
    const h = rt.machine.hart;
    const frames: FrameInfo[] = [];
    const here = rt.target.currentDomain();
    const t = rt.lastTrap;
    if (rt.target.multithreaded && h.priv !== Priv.U) {
      const user = rt.target.userContextInKernel();
      // A user fault caught by an exception filter: the faulting instruction, before the kernel runs.
      if (user && t && t.fromPriv === Priv.U && !rt.stopInKernel) return this.contextFrames(rt, user, USER_IN_KERNEL_READ_ONLY);
      const debug = rt.debug;
      frames.push(...this.unwoundFrames(rt, undefined, here, h.satp, this.hartRegisters(rt)));
      if (user) {
        const scause = BigInt.asUintN(64, h.readCsr(SCAUSE));
        const a7 = Number(user.reg(17));
        const entry = t && t.fromPriv === Priv.U ? describeTrap(t.cause, t.interrupt, t.tval).name
          : scause === 8n && SYSCALL_NAMES.has(a7) ? `syscall ${SYSCALL_NAMES.get(a7)}`
          : describeTrap(Number(scause & 0xffn), scause >> 63n === 1n, 0n).name;
        frames.push({ pc: user.pc, domain: user.domain, label: `${entry} from ${user.domain}`, debug, satp: user.satp, regs: LABEL_REGS });
        frames.push(...this.contextFrames(rt, user, USER_IN_KERNEL_READ_ONLY));
        // Entered from inside an xcall: the callers, from the thread's link stack.
        frames.push(...this.threadLinkFrames(rt, rt.target.currentThread()));
      }
      return frames;
    }
    frames.push(...this.unwoundFrames(rt, undefined, here, h.satp, this.hartRegisters(rt)));
    if (h.priv === Priv.U) frames.splice(0, frames.length, ...this.withXcallCaller(rt, frames, h.satp, here));
    if (t && !t.interrupt && t.toPriv !== Priv.U) {
      const d = describeTrap(t.cause, false, t.tval);
      const from = t.fromPriv === Priv.M ? 'M-mode' : rt.target.domainName(h.satp, h.xpc.enabled ? h.xpc.xdomain : undefined);
      const debug = rt.target.debugAt(Number(t.epc), h.satp);
      // Stopped on the trap (an exception filter): the handler has not run, the registers are still the interrupted code's.
      const regs = keptRegisters((r) => h.getReg(r), () => true, 'the hart\'s: the trap has just been taken and the handler has not run yet', () => '',
        'the interrupted code\'s registers are still the hart\'s: change them in the innermost frame', privilegeName(t.fromPriv));
      frames.push({ pc: Number(t.epc), domain: from, label: `trap: ${d.name} (cause ${t.cause})`, debug, satp: h.satp, regs: LABEL_REGS });
      frames.push({ pc: Number(t.epc), domain: from, debug, satp: h.satp, regs });
    }
    frames.push(...this.linkFrames(rt));
    return frames;
  }

  /** For each linkage record of the hart's link stack (innermost first): a label, the caller's stub and its own frames. */
  private linkFrames(rt: Runtime): FrameInfo[] {
    const h = rt.machine.hart;
    const frames: FrameInfo[] = [];
    const view = h.xpc.view();
    for (let i = view.linkStack.length - 1; i >= 0; i--) {
      const r = view.linkStack[i];
      const id = rt.callIds.get(r.address);
      const callee = i === view.linkStack.length - 1 ? h.pc : Number(view.linkStack[i + 1].record.retPc) - 4;
      const entry = id !== undefined ? h.xpc.readEntry(BigInt(id)) : undefined;
      const calleeDebug = entry ? rt.target.debugAt(Number(entry.entryPc), entry.satp) : rt.debug;
      const target = (id !== undefined ? rt.target.xEntryName?.(id) : undefined) ?? calleeDebug.describe(Number(entry?.entryPc ?? -1)) ?? rt.debug.functionAt(callee)?.name ?? '?';
      const caller = rt.target.domainName(r.record.satp, r.record.domain);
      const retPc = Number(BigInt.asIntN(64, r.record.retPc));
      const debug = rt.target.debugAt(retPc - 4, r.record.satp);
      frames.push({ pc: retPc - 4, domain: caller, label: `xcall #${id ?? '?'} → ${target}`, debug, satp: r.record.satp, regs: LABEL_REGS });
      // Through the XPC library's call slot: the caller's own frames, from `call xpc_call` outwards.
      const ctx = rt.target.xcallCaller?.(retPc, r.record.satp);
      frames.push({ pc: retPc - 4, domain: caller, debug, satp: r.record.satp, regs: xcallSiteRegisters(rt, retPc - 4, r.record.satp) });
      if (ctx) frames.push(...this.xcallCallerFrames(rt, ctx, caller));
    }
    return frames;
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime();
      const ids = this.framesOf(rt, args.threadId);
      const start = args.startFrame ?? 0;
      const count = args.levels ? args.levels : ids.length;
      const frames = ids.slice(start, start + count).map((i) => {
        const f = this.frames[i];
        if (f.label) {
          const sf = new StackFrame(i, `── ${f.label} ──`) as DebugProtocol.StackFrame;
          sf.presentationHint = 'label';
          return sf;
        }
        const at = f.caller ? f.pc - 1 : f.pc;
        const line = f.debug.lineAt(at);
        const name = `${f.debug.describe(at) ?? hex(f.pc)} [${f.domain}]`;
        const sf = new StackFrame(i, name, line ? new Source(path.basename(line.file), line.file) : undefined, line?.line ?? 0, 1) as DebugProtocol.StackFrame;
        sf.instructionPointerReference = frameRef(rt, f, f.pc);
        // No source, or the XPC library the steps pass through: de-emphasised.
        if (!line || (!rt.stepIntoLibrary && rt.target.isLibraryCode?.(f.pc, f.satp))) sf.presentationHint = 'subtle';
        return sf;
      });
      response.body = { stackFrames: frames, totalFrames: ids.length };
      this.sendResponse(response);
    });
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime();
      const frame = this.frameOf(rt, args.frameId);
      // Each frame shows the registers it really has (frame-registers.ts): the hart's for the
      // innermost frame on the hart, what was kept for any other, `<not saved>` for the rest.
      const regs = frame?.regs ?? this.hartRegisters(rt);
      const framePc = frame?.pc ?? rt.machine.hart.pc;
      const fmt = () => this.hexFormat;
      // Memory references of a process's frame (its registers, its globals) name that process
      // (`client:0x…`), read through its page table; CSRs and XPC state are the hart's.
      const qualify = (nodes: VarNode[]) => nodes.map((n) => (n.memoryReference && /^0x/.test(n.memoryReference) ? { ...n, memoryReference: frameRef(rt, frame, BigInt(n.memoryReference)) } : n));
      const scope = (name: string, nodes: () => VarNode[], hint?: string, expensive = false) => {
        const own = name === 'Registers' || name.startsWith('Globals');
        const ref = this.variableHandles.create(own ? () => qualify(nodes()) : nodes);
        if (frame && own) this.scopeFrames.set(ref, frame);
        if (name === 'Registers') this.registerScopes.add(ref);
        const s = new Scope(name, ref, expensive) as DebugProtocol.Scope;
        if (hint) s.presentationHint = hint;
        return s;
      };
      const space = frame ? { debug: frame.debug, satp: frame.satp } : undefined;
      response.body = {
        scopes: [
          scope('Registers', () => registerNodes(fmt(), framePc, regs, frame?.debug ?? rt.debug), 'registers'),
          scope('CSRs', () => csrNodes(rt, fmt())),
          scope('XPC', () => xpcNodes(rt, fmt())),
          scope(frame && rt.target.multithreaded ? `Globals (${frame.domain})` : 'Globals', () => globalNodes(rt, fmt(), space)),
        ],
      };
      this.sendResponse(response);
    });
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime();
      const saved = this.hexFormat;
      if (args.format?.hex !== undefined) this.hexFormat = args.format.hex;
      try {
        const nodes = this.variableHandles.get(args.variablesReference)?.() ?? [];
        response.body = { variables: nodes.map((n) => this.toVariable(n)) };
      } finally {
        this.hexFormat = saved;
      }
      void rt;
      this.sendResponse(response);
    });
  }

  private toVariable(n: VarNode): DebugProtocol.Variable {
    return {
      name: n.name, value: n.value, type: n.type, evaluateName: n.evaluateName, memoryReference: n.memoryReference,
      variablesReference: n.children ? this.variableHandles.create(n.children) : 0, presentationHint: n.hint,
    };
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime();
      // A reference from before the last stop (or none at all) names no frame: writing the hart's
      // registers for it could change another frame's than the one the client shows.
      if (!this.variableHandles.get(args.variablesReference)) throw new Error(`setVariable: no variables with reference ${args.variablesReference} (they are gone after a stop; ask for the scopes again)`);
      if (registerNumber(args.name) === 0) throw new Error(`setVariable: ${args.name} is hardwired to zero; it cannot be changed`);
      const frame = this.registerScopes.has(args.variablesReference) ? this.scopeFrames.get(args.variablesReference) : undefined;
      if (frame && !frame.regs.live) throw new Error(`${frameRegisterRefusal(rt, frame, args.name)}`);
      const value = rt.evaluate(args.value);
      if (!(rt.travel ? rt.travel.setVariable(args.name, value) : setRegisterOrCsr(rt, args.name, value))) throw new Error(`setVariable: '${args.name}' is not a writable register or CSR`);
      rt.stateVersion++;
      const now = rt.evaluate(args.name === 'privilege' ? 'pc' : args.name);
      response.body = { value: hex(now) };
      this.sendResponse(response);
      this.forgetFrames(false);
      this.sendEvent(new Event('xpc.stateChanged'));
    });
  }

  // ---- Evaluate, memory, disassembly -----------------------------------------------------------

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.guard(response, () => {
      const rt = this.rt();
      const text = args.expression.trim();
      const input = /^(?:>|input\s)\s?(.*)$/s.exec(text);
      if (args.context === 'repl' && (input || rt.isRunning)) {
        // Console input goes to the guest's UART (while it runs, or with '>' / 'input').
        rt.sendInput(`${input ? input[1] : text}\n`);
        response.body = { result: '', variablesReference: 0 };
        this.sendResponse(response);
        return;
      }
      if (rt.isRunning) throw new Error('the program is running (pause it to evaluate)');
      const hexOut = args.format?.hex ?? true;
      let result: string;
      let memoryReference: string | undefined;
      const x = /^x(?:\/(\S*))?\s+(.+)$/.exec(text);
      const targetAnswer = rt.target.command(text);
      if (targetAnswer !== undefined) result = targetAnswer;
      else if (text === 'info xpc') result = infoXpc(rt);
      else if (text === 'info tlb') result = infoTlb(rt);
      else if (text === 'info registers') {
        // gdb's: the registers of the selected frame (`<not saved>` where nothing kept them).
        const f = this.frameOf(rt, args.frameId);
        result = registerNodes(true, f?.pc ?? rt.machine.hart.pc, f?.regs ?? this.hartRegisters(rt), f?.debug ?? rt.debug).map((n) => `${n.name.padEnd(9)} ${n.value}`).join('\n');
      }
      else if (x && args.context === 'repl') result = examine(rt, x[1] ?? '', x[2]);
      // Commands misspelt or out of place: say so, rather than "unknown name 'info'".
      else if (/^info(\s|$)/.test(text)) throw new Error(`unknown command '${text}' (commands: ${['info xpc', 'info tlb', 'info registers', ...rt.target.commandNames.filter((c) => c.startsWith('info '))].join(', ')})`);
      else if (x && x[1] !== undefined) throw new Error(`'${text}': x/… examines memory in the Debug Console only; elsewhere give an expression such as *(u64*)address`);
      else {
        const frame = this.frameOf(rt, args.frameId);
        // A frame's expressions read its registers (an error for one it does not have), its process's memory and symbols.
        const v = frame ? evaluateExpression(text, frameEvalContext(rt, frame)) : rt.evaluate(text);
        result = hexOut ? `${hex(v)} (${BigInt.asIntN(64, v)})` : BigInt.asIntN(64, v).toString();
        if (args.context === 'hover' || args.context === 'watch') result = hexOut ? hex(v) : BigInt.asIntN(64, v).toString();
        memoryReference = frameRef(rt, frame, v);
      }
      response.body = { result, variablesReference: 0, memoryReference };
      this.sendResponse(response);
    });
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    this.guard(response, () => {
      const rt = this.rt();
      const before = args.text.slice(0, Math.max(0, (args.column ?? args.text.length + 1) - 1));
      const word = /[$A-Za-z_.][$A-Za-z0-9_.]*$/.exec(before)?.[0] ?? '';
      const whole = before.trimStart();
      const targets = [...new Set(completionNames(rt))].filter((n) => (n.includes(' ') || n.includes('/') ? n.startsWith(whole) && whole.length > 0 : n.startsWith(word)));
      response.body = {
        targets: targets.slice(0, 200).map((n) => (n.includes(' ') || n.includes('/')
          ? { label: n, text: n, start: before.length - whole.length, length: whole.length }
          : { label: n, text: n, start: before.length - word.length, length: word.length })),
      };
      this.sendResponse(response);
    });
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime();
      const ref = parseAddress(args.memoryReference);
      const start = ref.address + (args.offset ?? 0);
      const count = Math.max(0, Math.min(args.count, 1 << 20));
      const satp = spaceOf(rt, ref);
      const bytes = ref.physical ? rt.readPhysical(start, count) : satp !== undefined ? rt.readVirtualIn(satp, start, count) : rt.readVirtual(start, count);
      let readable = 0;
      while (readable < bytes.length && bytes[readable] !== undefined) readable++;
      response.body = {
        address: hex(start), unreadableBytes: count - readable,
        data: Buffer.from(bytes.slice(0, readable) as number[]).toString('base64'),
      };
      this.sendResponse(response);
    });
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime();
      const ref = parseAddress(args.memoryReference);
      const data = Buffer.from(args.data, 'base64');
      const written = rt.writeMemory(ref.address + (args.offset ?? 0), data, ref.physical, spaceOf(rt, ref));
      if (written === 0 && data.length > 0) throw new Error(`writeMemory: ${hex(ref.address + (args.offset ?? 0))} is not writable RAM`);
      response.body = { offset: args.offset ?? 0, bytesWritten: written };
      this.sendResponse(response);
      this.forgetFrames(false);
      this.sendEvent(new Event('xpc.stateChanged'));
    });
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.guard(response, () => {
      const rt = this.stoppedRuntime();
      const ref = parseAddress(args.memoryReference);
      const base = ref.address + (args.offset ?? 0);
      // In a named process's space: its bytes, symbols and lines; otherwise the current code's.
      const satp = spaceOf(rt, ref);
      const debug = satp !== undefined ? rt.target.debugInfoFor(satp) : rt.debug;
      const read = (a: number) => (satp !== undefined ? rt.readVirtualIn(satp, a, 4) : rt.readVirtual(a, 4));
      const count = Math.max(0, Math.min(args.instructionCount, 10_000));
      const before = Math.max(0, -(args.instructionOffset ?? 0));
      // Decode from a known instruction boundary (a line-table row) far enough back.
      let anchor = base - before * 4 - 8;
      const row = debug.rowAddressAtOrBefore(anchor);
      anchor = row ?? anchor - (anchor % 2);
      const list: DebugProtocol.DisassembledInstruction[] = [];
      let addr = anchor;
      let baseIndex = -1;
      const want = () => baseIndex >= 0 && list.length >= baseIndex + (args.instructionOffset ?? 0) + count;
      while (!want() && list.length < 30_000) {
        if (baseIndex < 0 && addr >= base) baseIndex = list.length;
        const b = read(addr);
        if (b[0] === undefined || b[1] === undefined) {
          list.push({ address: hex(addr), instruction: '<not mapped>', presentationHint: 'invalid' });
          addr += 2;
          continue;
        }
        const word = (b[0] | (b[1] << 8) | ((b[2] ?? 0) << 16) | ((b[3] ?? 0) << 24)) >>> 0;
        const ins = formatInstruction(word, BigInt(addr), { aliases: true, symbolize: (a) => debug.describe(Number(a)) });
        const len = ins?.length ?? ((word & 3) === 3 ? 4 : 2);
        const line = debug.lineAt(addr);
        const sym = debug.functionAt(addr);
        const entry: DebugProtocol.DisassembledInstruction = {
          address: hex(addr), instructionBytes: b.slice(0, len).map((x) => (x ?? 0).toString(16).padStart(2, '0')).join(' '),
          instruction: ins ? ins.text.replace('\t', ' ') : `.${len}byte 0x${(len === 2 ? word & 0xffff : word).toString(16)}`,
          symbol: sym && sym.address === addr ? sym.name : undefined,
        };
        if (line) { entry.location = new Source(path.basename(line.file), line.file); entry.line = line.line; }
        list.push(entry);
        addr += len;
      }
      const from = baseIndex + (args.instructionOffset ?? 0);
      const out: DebugProtocol.DisassembledInstruction[] = [];
      for (let i = from; i < from + count; i++) {
        out.push(list[i] ?? { address: hex(Math.max(0, base + (i - baseIndex) * 4)), instruction: '', presentationHint: 'invalid' });
      }
      response.body = { instructions: out };
      this.sendResponse(response);
    });
  }

  // ---- Custom requests (the extension's views) -------------------------------------------------

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    this.guard(response, () => {
      const rt = this.runtime;
      const since = typeof (args as { since?: unknown } | undefined)?.since === 'number' ? (args as { since: number }).since : 0;
      const notNow = (reason: string) => ({ available: false, reason });
      const travelled = timeTravelRequest(rt, command, args);
      if (travelled) {
        return travelled.answer((body) => {
          response.body = body;
          this.sendResponse(response);
        });
      }
      switch (command) {
        case 'xpc.state': response.body = rt ? stateBody(rt) : { ...notNow('no program is running'), running: false, instructions: 0, cycles: 0, timing: 'off' }; break;
        // The machine never runs while a request is handled (one thread; it runs in slices
        // between them), so these views are consistent whether the guest is running or stopped.
        case 'xpc.xEntries': response.body = rt ? xEntriesBody(rt) : { ...notNow('no program is running'), entries: [] }; break;
        case 'xpc.linkStacks': response.body = rt ? linkStacksBody(rt) : { ...notNow('no program is running'), threads: [] }; break;
        case 'xpc.relaySegments': response.body = rt ? relaySegmentsBody(rt) : { ...notNow('no program is running'), segList: [] }; break;
        case 'xpc.processes': response.body = rt ? rt.target.processes() : { ...notNow('no program is running'), processes: [] }; break;
        case 'xpc.callTrace': response.body = rt ? callTraceBody(rt, since) : { ...notNow('no program is running'), events: [] }; break;
        default:
          this.sendErrorResponse(response, 1014, `unrecognized request '${command}'`);
          return;
      }
      if (rt?.travel) response.body = rt.travel.decorate(command, response.body, args);
      this.sendResponse(response);
    });
  }
}

/**
 * A source line in every address space whose line table has it (each process is linked on its
 * own; an included file may be in several): the first resolved line, and its pc in each space
 * that resolves to that same line (ASID-qualified for a process).
 */
function resolveInSpaces(rt: Runtime, file: string, line: number): { line: number; points: CodePoint[]; where?: string } | undefined {
  let found: number | undefined;
  const points: CodePoint[] = [];
  const names: string[] = [];
  for (const sp of rt.target.spaces()) {
    const r = sp.debug.resolveLine(file, line);
    if (!r || (found !== undefined && r.line !== found)) continue;
    found = r.line;
    points.push(...r.addresses.map((pc) => ({ pc, asid: sp.asid })));
    names.push(sp.name);
  }
  if (found === undefined) return undefined;
  return { line: found, points, where: rt.target.multithreaded ? names.join(', ') : undefined };
}

/**
 * "0x80001000" (virtual, the current address space), "p:0x80001000" / "phys:…" (physical) or,
 * under the kernel, "client:0x10000" (virtual in that process's address space; `p`/`phys` mean physical).
 */
function parseAddress(ref: string): { address: number; physical: boolean; process?: string } {
  const m = /^\s*(?:([A-Za-z_][\w.-]*):)?(0x[0-9a-fA-F]+|\d+)\s*$/.exec(String(ref));
  if (!m) throw new Error(`not a memory reference: '${ref}' (expected 0x…, p:0x… or <process>:0x…)`);
  const physical = m[1] === 'p' || m[1] === 'phys';
  // Upper-half (kernel) addresses are negative numbers, as the hart keeps them.
  return { address: Number(BigInt.asIntN(64, BigInt(m[2]))), physical, process: physical ? undefined : m[1] };
}

/** The address space a parsed reference names: a process's satp, or undefined for the current one. */
function spaceOf(rt: Runtime, ref: { process?: string }): bigint | undefined {
  if (ref.process === undefined) return undefined;
  const satp = rt.target.spaceSatp?.(ref.process);
  if (satp === undefined) {
    const names = rt.target.spaces().filter((s) => s.asid !== undefined).map((s) => s.name);
    throw new Error(`no process '${ref.process}' for a memory reference${names.length ? ` (processes: ${names.join(', ')})` : ' (a bare-metal program has none: use 0x… or p:0x…)'}`);
  }
  return satp;
}

/** A memory reference to `address` as a frame sees it: `<process>:0x…` for a process's frame under the kernel. */
function frameRef(rt: Runtime, frame: FrameInfo | undefined, address: number | bigint): string {
  const own = frame && rt.target.multithreaded && rt.target.spaceSatp?.(frame.domain) !== undefined;
  return own ? `${frame.domain}:${hex(address)}` : hex(address);
}

/** The registers of an xcall site: the library's return stub, or a raw xcall. */
function xcallSiteRegisters(rt: Runtime, pc: number, satp: bigint): FrameRegisters {
  return rt.target.isLibraryCode?.(pc, satp) ? STUB_REGS : RAW_XCALL_REGS;
}

/** "`_start+0x40 [client]`": a frame as messages name it. */
function frameName(f: FrameInfo): string {
  const at = f.caller ? f.pc - 1 : f.pc;
  return `${f.debug.describe(at) ?? hex(f.pc)} [${f.domain}]`;
}

/** Why setVariable may not write `name` in a frame that is not the innermost one on the hart. */
function frameRegisterRefusal(rt: Runtime, f: FrameInfo, name: string): string {
  const r = registerNumber(name);
  const v = r === undefined ? undefined : f.regs.value(r);
  if (r !== undefined && r !== 0 && v === undefined) return `${name} is ${NOT_SAVED} in frame ${frameName(f)} (${f.regs.origin(r)}); there is nothing to change`;
  return `${name} cannot be changed in frame ${frameName(f)}: ${f.regs.readOnly}. Select the innermost frame of the thread on the hart to change registers`;
}

/**
 * Expressions in a frame: its registers (reading one it does not have is an error, never the
 * hart's current value), its process's symbols and memory; CSRs are the hart's.
 */
function frameEvalContext(rt: Runtime, frame: FrameInfo): EvalContext {
  const h = rt.machine.hart;
  return {
    ...rt.evalContext,
    register: (name) => {
      if (name === 'pc') return BigInt.asUintN(64, BigInt(frame.pc));
      const r = registerNumber(name);
      if (r === undefined) return undefined;
      if (r === 0) return 0n;
      const v = frame.regs.value(r);
      if (v === undefined) throw new EvalError(`${name} is ${NOT_SAVED} in frame ${frameName(frame)}: ${frame.regs.origin(r)}`);
      return v;
    },
    symbol: (name) => { const s = frame.debug.symbol(name); return s ? BigInt.asUintN(64, BigInt(s.address)) : rt.evalContext.symbol(name); },
    readMemory: (address, size) => (frame.satp === h.satp ? rt.readValue(address, size) : rt.readValueIn(frame.satp, address, size)),
  };
}
