// What each stack frame knows of its registers. Only the innermost frame of the thread on the hart
// has the hart's registers; every other frame has what something actually kept for it — the
// kernel's copy in a TCB, xpc_call's save frame, a frame record on the stack — and nothing else.
// A register no one kept is "not saved" (gdb's `<not saved>`): the Registers scope says so, an
// expression reading it is an error and nothing writes it. Showing the hart's current value there
// instead would be wrong information.

import { ABI_NAMES } from '../emulator/isa/registers';

/** What the unwinder recovered for a caller's frame (runtime.ts `unwindFrames`). */
export interface UnwoundFrame {
  readonly pc: number;
  /** The frame's sp at its call, when recovered. */
  sp?: bigint;
  /** The frame's s0/fp at its call, when recovered. */
  fp?: bigint;
  /** Where sp and fp came from: its callee's frame record, or its callee's code so far (a leaf). */
  from?: 'frame record' | 'prologue';
}

export interface FrameRegisters {
  /** x1..x31 in this frame, or undefined: nothing kept it. */
  value(r: number): bigint | undefined;
  /** Where r's value comes from, or why there is none (the Registers scope's type, error messages). */
  origin(r: number): string;
  /** The hart's own registers (the innermost frame of the thread on the hart): readable and writable. */
  readonly live: boolean;
  /** Why this frame's registers cannot be written (setVariable's error); '' when live. */
  readonly readOnly: string;
  /** The privilege the frame's code runs at, in words. */
  privilege(): string;
}

/** Registers the psABI keeps across calls (s1–s11) and the ones no function changes (gp, tp). */
const CALLEE_SAVED = new Set([3, 4, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);

const u64 = (v: bigint | number): bigint => BigInt.asUintN(64, BigInt(v));

/** The hart's registers (the thread on the hart, innermost frame). */
export function liveRegisters(read: (r: number) => bigint, privilege: () => string): FrameRegisters {
  return { value: (r) => u64(read(r)), origin: () => '', live: true, readOnly: '', privilege };
}

/**
 * A complete (or partial: `known`) copy someone kept — the kernel's TCB copy of a thread that is
 * not on the hart, xpc_call's save frame — described by `source`, read-only for `readOnly`.
 */
export function keptRegisters(
  read: (r: number) => bigint, known: (r: number) => boolean, source: string, missing: (r: number) => string, readOnly: string, privilege: string,
): FrameRegisters {
  return {
    value: (r) => (known(r) ? u64(read(r)) : undefined),
    origin: (r) => (known(r) ? source : missing(r)),
    live: false, readOnly, privilege: () => privilege,
  };
}

/** A frame of which only pc is known (an xcall site whose caller's registers nothing kept). */
export function pcOnlyRegisters(why: string, readOnly: string, privilege = '<not saved>'): FrameRegisters {
  return { value: () => undefined, origin: () => why, live: false, readOnly, privilege: () => privilege };
}

/**
 * A caller's frame in the same address space as `inner`, the innermost frame of its unwinding:
 * ra is its return address (what its callee received), sp and s0 what the unwinder recovered,
 * s1–s11, gp, tp the inner frame's (the ABI keeps them across calls), everything else not saved.
 */
export function callerRegisters(inner: FrameRegisters, u: UnwoundFrame, innerName: string): FrameRegisters {
  const how = u.from === 'frame record' ? "from its callee's frame record (fp-8, fp-16; sp = that fp, the callee's CFA)"
    : "its callee's own, unchanged by the callee's code before the stop";
  return {
    value: (r) => {
      if (r === 1) return u64(u.pc);
      if (r === 2) return u.sp === undefined ? undefined : u64(u.sp);
      if (r === 8) return u.fp === undefined ? undefined : u64(u.fp);
      return CALLEE_SAVED.has(r) ? inner.value(r) : undefined;
    },
    origin: (r) => {
      if (r === 1) return 'the return address into this frame (ra as its callee received it)';
      if (r === 2 || r === 8) {
        const v = r === 2 ? u.sp : u.fp;
        return v !== undefined ? `recovered ${how}`
          : `not recovered: its callee changed ${ABI_NAMES[r]} and keeps no frame record the unwinder can read`;
      }
      if (CALLEE_SAVED.has(r)) {
        return inner.value(r) === undefined ? inner.origin(r)
          : `callee-saved: ${innerName}'s value (the ABI keeps it across calls; wrong only while a callee has saved and changed it)`;
      }
      return 'caller-saved: not kept across the call, and nothing saved it';
    },
    live: false,
    readOnly: 'a caller frame\'s registers are what the unwinder recovered from the stack; writing one would change the hart\'s current registers, not this frame\'s',
    privilege: () => inner.privilege(),
  };
}
