// Target awareness: what the debugger needs to know about the software on the machine to name
// threads and processes, tell kernel code from user code and pick the symbol table of an address
// space. A bare-metal program has one thread (the hart) and names its XPC domains after their
// page tables; a kernel-aware target (kernel/inspect, once the kernel lands) implements the same
// interface from the kernel's data structures and the system description.

import { Machine } from '../emulator/machine/machine';
import { Priv } from '../emulator/hart/hart';
import { DebugInfo } from './program';

export interface TargetThread { readonly id: number; readonly name: string }

/** A code address in one address space (asid) or in all of them (asid undefined). */
export interface CodePoint { readonly pc: number; readonly asid?: number }

/** Registers of a thread that is not on the hart (saved by the kernel), or of the hart itself. */
export interface RegisterContext {
  readonly pc: number;
  /** x1..x31 (0 for a register `known` excludes: never shown as a value). */
  reg(r: number): bigint;
  /** Which registers the context really holds (default: all); the others are not saved. */
  known?(r: number): boolean;
  /** Where the values come from, in words ("saved by xpc_call at 0x…"): the Registers scope says it. */
  readonly source?: string;
  /** Why a register `known` excludes has no value ("zeroed by xpc_call before the xcall"). */
  readonly notKept?: string;
  /** The address space its memory is read through. */
  readonly satp: bigint;
  readonly debug: DebugInfo;
  /** Process or domain name, for frames. */
  readonly domain: string;
}

/** An address space with its own symbols: a process (by ASID), or the kernel (any ASID). */
export interface DebugSpace { readonly name: string; readonly debug: DebugInfo; readonly asid?: number }

export interface ProcessesView {
  readonly available: boolean;
  readonly reason?: string;
  readonly processes: readonly {
    id: number; name: string; asid: number; state: string;
    threads: { id: number; name: string; state: string; priority?: number }[];
    capabilities: { slot: number; type: string; object: string; badge?: number; rights?: string }[];
  }[];
}

export interface TargetAwareness {
  /** The threads to show; the first is the one that runs on the hart now. */
  threads(): readonly TargetThread[];
  /** The thread on the hart now. */
  currentThread(): number;
  /** The name of the process/domain an address space (satp) belongs to. */
  domainName(satp: bigint, domainId?: bigint): string;
  /** The domain running now (privilege decides: kernel code belongs to the kernel). */
  currentDomain(): string;
  /** Whether the hart is running kernel code (trap handlers on bare metal). */
  inKernel(): boolean;
  /** Symbols and lines for code of an address space (per process once there are processes). */
  debugInfoFor(satp: bigint): DebugInfo;
  /** Symbols and lines for code at `pc` in address space `satp` (kernel code: the kernel's). */
  debugAt(pc: number, satp: bigint): DebugInfo;
  /** Every address space with symbols: breakpoints by source line or symbol resolve in each. */
  spaces(): readonly DebugSpace[];
  /** The user registers of a thread not on the hart (saved in its TCB); undefined for the hart's. */
  savedContext(threadId: number): RegisterContext | undefined;
  /** While the hart runs the kernel for the current thread: that thread's user registers. */
  userContextInKernel(): RegisterContext | undefined;
  /** The scheduler may run other threads: steps follow their thread through the kernel. */
  readonly multithreaded: boolean;
  /** The process a thread belongs to (names frames and stop descriptions). */
  processOf(threadId: number): string | undefined;
  processes(): ProcessesView;
  /** The target's Debug Console commands (`info threads`, …): the answer, or undefined. */
  command(text: string): string | undefined;
  readonly commandNames: readonly string[];
  // XPC through a user library (kernel/lib/xpc, under the kernel); absent on bare metal.
  /** Library code (xpc_call, its stubs, the trampoline, x-entry stubs): line steps pass through it. */
  isLibraryCode?(pc: number, satp: bigint): boolean;
  /** "server.echo": an x-entry by its owner and name. */
  xEntryName?(id: number): string | undefined;
  /** The caller's registers across an xcall made at `retPc - 4` (its return stub) in `satp`, as xpc_call saved them: pc = where xpc_call returns; `known` = what its save frame holds. */
  xcallCaller?(retPc: number, satp: bigint): RegisterContext | undefined;
  /** The link stack the kernel keeps for a thread (bottom first): each record's caller, its return stub and the record's physical address. */
  linkStackOf?(threadId: number): readonly { retPc: number; satp: bigint; process: string; recordPa: number }[];
  /** The satp of a process by name (memory references `<process>:0x…`); undefined: no such process. */
  spaceSatp?(name: string): bigint | undefined;
}

const PPN_MASK = 0xfffffffffffn;

/** Bare metal: one "hart" thread; domains named by the symbol of their page table. */
export class BareMetalTarget implements TargetAwareness {
  constructor(private readonly machine: Machine, private readonly debug: DebugInfo) {}

  threads(): readonly TargetThread[] { return [{ id: 1, name: 'hart' }]; }

  currentThread(): number { return 1; }

  domainName(satp: bigint, domainId?: bigint): string {
    const id = domainId !== undefined ? ` (domain ${domainId})` : '';
    if (satp >> 60n !== 8n) return `bare${id}`;
    const root = Number((satp & PPN_MASK) * 4096n);
    const sym = this.debug.symbols.find((s) => s.address === root && !s.isCode);
    const asid = (satp >> 44n) & 0xffffn;
    return `${sym ? sym.name : `satp 0x${satp.toString(16)}`}${domainId !== undefined ? id : ` (asid ${asid})`}`;
  }

  currentDomain(): string {
    const h = this.machine.hart;
    if (h.priv === Priv.M) return 'M-mode';
    if (h.priv === Priv.S && h.satp >> 60n !== 8n) return 'S-mode';
    return this.domainName(h.satp, h.xpc.enabled ? h.xpc.xdomain : undefined);
  }

  inKernel(): boolean { return this.machine.hart.priv !== Priv.U; }

  debugInfoFor(): DebugInfo { return this.debug; }

  debugAt(): DebugInfo { return this.debug; }

  spaces(): readonly DebugSpace[] { return [{ name: 'program', debug: this.debug }]; }

  savedContext(): RegisterContext | undefined { return undefined; }

  userContextInKernel(): RegisterContext | undefined { return undefined; }

  readonly multithreaded = false;

  processOf(): string | undefined { return undefined; }

  command(): string | undefined { return undefined; }

  readonly commandNames: readonly string[] = [];

  processes(): ProcessesView {
    return { available: false, reason: 'a bare-metal program has no kernel processes (launch a system description once the kernel is available)', processes: [] };
  }
}
