// The XPC user library's numbers (kernel/lib/xpc, docs/xpc-library.md): the status codes that
// `xpc_call` returns, the register conventions of callers, handlers and the wire between them,
// and the layouts of the library's memory (call contexts, call slots, the caller's save frame).
// `kernel/lib/xpc/xpc-lib.inc` is generated from these tables (`xpcLibIncSource`) and checked
// fresh by test/xpc-lib; never edit the .inc by hand.

import { ConstantGroup as Group, StructLayout, constant as c, constantsByName, record, renderInc, structConstants } from './constants';

// ---- Status codes: a7 after `xpc_call` (and on the wire after `xret`) ----
// They start at 16 so that a status can never be read as one of the kernel's syscall error codes
// (abi.ts ERRORS, also returned in a7).
export const XPC_STATUS = {
  XPC_OK: 0,
  XPC_E_NO_CONTEXT: 16,
  XPC_E_NO_SLOT: 17,
  XPC_E_INVALID_ENTRY: 18,
  XPC_E_DENIED: 19,
  XPC_E_DEAD_CALLEE: 20,
  XPC_E_LINK_OVERFLOW: 21,
} as const;
export const XPC_STATUS_DOCS: Record<keyof typeof XPC_STATUS, string> = {
  XPC_OK: 'the callee ran; a0/a1 are its results',
  XPC_E_NO_CONTEXT: "every call context of the callee's x-entry is in use (the trampoline returned at once)",
  XPC_E_NO_SLOT: "every call slot of the caller's process is in use: no xcall was made",
  XPC_E_INVALID_ENTRY: 'x-entry id <= 0 (rejected by xpc_call); the kernel reports exception 24 with it',
  XPC_E_DENIED: 'the kernel reports exception 25 (no xcall-cap) to the caller',
  XPC_E_DEAD_CALLEE: 'the callee died; the kernel resumed the nearest live caller',
  XPC_E_LINK_OVERFLOW: 'the kernel reports exception 28 (link stack full) to the caller',
};

/** x-register numbers of the conventions (the assembly names them: a6 = x16, a7 = x17, tp = x4). */
export const XPC_REGS = {
  XPC_REG_ENTRY: 16,
  XPC_REG_STATUS: 17,
  XPC_REG_CALLER: 16,
  XPC_REG_CONTEXT: 4,
  XPC_ARG_REGS: 6,
  XPC_RESULT_REGS: 2,
} as const;
export const XPC_REGS_DOCS: Record<keyof typeof XPC_REGS, string> = {
  XPC_REG_ENTRY: 'a6: the x-entry id given to xpc_call',
  XPC_REG_STATUS: 'a7: the status xpc_call returns (XPC_OK or XPC_E_*), also on the wire after xret',
  XPC_REG_CALLER: "a6: the caller's domain id (uxcaller) given to a handler",
  XPC_REG_CONTEXT: 'tp: the call context inside a handler (0 in a thread\'s own code)',
  XPC_ARG_REGS: 'a0..a5 carry the arguments',
  XPC_RESULT_REGS: 'a0..a1 carry the results',
};

// ---- Structures ----
/**
 * A call context: one per concurrent invocation of an x-entry. The header, then `locals` bytes
 * for the handler (at XPC_CTX_LOCALS), then its stack, whose top is the context's end.
 */
export const XPC_CTX: StructLayout = {
  prefix: 'XPC_CTX', title: 'call context header', size: 64,
  fields: {
    BUSY: 0,      // 0 = free, 1 = in use (taken with amoswap.d, released with amoswap.d.rl)
    SEG_SLOT: 8,  // where the handed relay segment is: -1 = in seg-reg, else the seg-list slot
    CALLER: 16,   // the caller's domain id (uxcaller at entry)
    HANDLER: 24,  // the handler this context runs (names the x-entry)
    LOCALS: 64,   // the handler's locals start here (the header's size)
  },
};
/** A call slot: one per outstanding xpc_call of a process; slot k returns through stub k. */
export const XPC_SLOT: StructLayout = {
  prefix: 'XPC_SLOT', title: 'call slot', size: 16,
  fields: { BUSY: 0, SP: 8 },
};
/** What xpc_call saves on the caller's stack (sp is found again through the call slot). */
export const XPC_FRAME: StructLayout = {
  prefix: 'XPC_FRAME', title: "xpc_call's save frame", size: 128,
  fields: {
    RA: 0, GP: 8, TP: 16,
    S0: 24, S1: 32, S2: 40, S3: 48, S4: 56, S5: 64, S6: 72, S7: 80, S8: 88, S9: 96, S10: 104, S11: 112,
  },
};
export const XPC_STRUCTS: readonly StructLayout[] = [XPC_CTX, XPC_SLOT, XPC_FRAME];

// ---- Sizes ----
/** Default number of call slots per process (xpc.S: -D XPC_CALL_SLOTS=n overrides). */
export const XPC_CALL_SLOTS_DEFAULT = 16;
/** Bytes of one return stub: stub k sits at xpc_call_stubs + k * XPC_STUB_SIZE. */
export const XPC_STUB_SIZE = 16;
/** Offset of the `xcall` inside a stub (ret_pc = stub + XPC_STUB_XCALL + 4). */
export const XPC_STUB_XCALL = 4;
/** The seg-mask length meaning "to the end of the segment". */
export const XPC_SEGMASK_ALL = -1n;

// Relay-segment allocation and x-entry registration are kernel syscalls: their numbers live in
// abi.ts SYSCALLS (and kernel/include/abi.inc), the one table of syscall numbers.


export function xpcLibGroups(): Group[] {
  return [
    { title: 'Status codes (a7 after xpc_call and after xret)', constants: record(XPC_STATUS, (k) => XPC_STATUS_DOCS[k as keyof typeof XPC_STATUS]) },
    { title: 'Register conventions (x-register numbers)', constants: record(XPC_REGS, (k) => XPC_REGS_DOCS[k as keyof typeof XPC_REGS]) },
    ...XPC_STRUCTS.map((s) => ({ title: `Structure: ${s.title}`, constants: structConstants(s) })),
    {
      title: 'Sizes', constants: [
        c('XPC_CALL_SLOTS_DEFAULT', XPC_CALL_SLOTS_DEFAULT, 'call slots per process unless -D XPC_CALL_SLOTS=n'),
        c('XPC_STUB_SIZE', XPC_STUB_SIZE, 'bytes of one return stub (stub k at xpc_call_stubs + 16k)'),
        c('XPC_STUB_XCALL', XPC_STUB_XCALL, "offset of the stub's xcall (the caller's ret_pc is stub + 8)"),
        c('XPC_SEGMASK_ALL', XPC_SEGMASK_ALL, 'seg-mask length: the window runs to the end of the segment'),
      ],
    },
  ];
}

/** Every constant by name (for the debugger and tests). */
export function xpcLibConstants(): Map<string, bigint> { return constantsByName(xpcLibGroups()); }

/** The text of kernel/lib/xpc/xpc-lib.inc. */
export function xpcLibIncSource(): string {
  return renderInc([
    'GENERATED by kernel/abi/xpc-lib.ts (npm run gen): do not edit.',
    "The XPC user library's numbers: status codes, register conventions, layouts (docs/xpc-library.md).",
  ], xpcLibGroups(), 24);
}
