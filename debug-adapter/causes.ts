// Trap causes in words: the exception filters the adapter offers and the decoding of
// scause/stval (mcause/mtval) for exceptionInfo, stop descriptions and the call trace.

import { CAUSE_NAMES, INTERRUPT_NAMES } from '../emulator/hart/trap';
import { XPC_CAUSE } from '../emulator/hart/xpc';

export interface ExceptionFilter {
  readonly filter: string;
  readonly label: string;
  readonly description: string;
  /** Trap stop causes for the hart (-1: any trap). */
  readonly causes: readonly number[];
  readonly default?: boolean;
}

const xpcFilter = (cause: number, label: string): ExceptionFilter => ({
  filter: `xpc-${cause}`, label: `XPC fault ${cause}: ${label}`, description: `Stop when ${label} (cause ${cause}) is raised`, causes: [cause],
});

export const EXCEPTION_FILTERS: readonly ExceptionFilter[] = [
  xpcFilter(XPC_CAUSE.InvalidEntry, 'invalid x-entry'),
  xpcFilter(XPC_CAUSE.InvalidCap, 'invalid xcall-cap'),
  xpcFilter(XPC_CAUSE.InvalidLinkage, 'invalid linkage'),
  xpcFilter(XPC_CAUSE.SwapsegError, 'swapseg error'),
  xpcFilter(XPC_CAUSE.LinkOverflow, 'link stack overflow'),
  xpcFilter(XPC_CAUSE.SegmentNotReturned, 'relay segment not returned'),
  { filter: 'page-fault', label: 'Page faults', description: 'Stop on instruction, load and store page faults (12, 13, 15)', causes: [12, 13, 15] },
  { filter: 'illegal', label: 'Illegal instruction', description: 'Stop on an illegal instruction (2)', causes: [2] },
  { filter: 'ecall-u', label: 'ecall from U-mode', description: 'Stop on a system call from user mode (8)', causes: [8] },
  { filter: 'kernel-trap', label: 'Any trap into the kernel', description: 'Stop on every exception and interrupt taken', causes: [-1] },
];

/** What stval holds for each cause, to say it in words. */
const TVAL_MEANING: Readonly<Record<number, string>> = {
  0: 'target address', 1: 'fetch address', 2: 'instruction bits', 3: 'address', 4: 'address', 5: 'address', 6: 'address', 7: 'address',
  12: 'virtual address', 13: 'virtual address', 15: 'virtual address',
  24: 'x-entry id', 25: 'x-entry id', 26: 'xlink', 27: 'seg-list index', 28: 'xlink', 29: 'xlink',
};

const XPC_EXPLANATION: Readonly<Record<number, string>> = {
  24: 'the x-entry id is not below xentry_size, is 0 or its entry is not VALID',
  25: 'the caller\'s xcall-cap bitmap has no bit for this x-entry: the call is denied',
  26: 'xret found no valid linkage record on the link stack',
  27: 'the seg-list index is not below xseglist_len',
  28: 'the link stack is full (xlink + 128 > xlink_limit)',
  29: 'the callee did not give back the relay segment it was handed before xret',
};

export interface TrapDescription {
  /** Short name: "invalid xcall-cap". */
  readonly name: string;
  /** One sentence: name, cause number and tval in words. */
  readonly summary: string;
  readonly explanation?: string;
}

export function describeTrap(cause: number, interrupt: boolean, tval: bigint): TrapDescription {
  if (interrupt) {
    const name = INTERRUPT_NAMES[cause] ?? `interrupt ${cause}`;
    return { name, summary: `${name} (interrupt ${cause})` };
  }
  const name = CAUSE_NAMES[cause] ?? `exception ${cause}`;
  const meaning = TVAL_MEANING[cause];
  const tv = BigInt.asUintN(64, tval);
  const tvalText = meaning ? `, ${meaning} ${cause === 24 || cause === 25 || cause === 27 ? tv.toString() : `0x${tv.toString(16)}`}` : '';
  return { name, summary: `${name} (cause ${cause}${tvalText})`, explanation: XPC_EXPLANATION[cause] };
}
