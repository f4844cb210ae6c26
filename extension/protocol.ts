// The bodies of the debug adapter's custom requests, as fixed by the contract between the adapter
// and the extension (notes: dap-contract). The extension only reads them; every field the views
// show comes from here, so a body that lacks one must still render (hence the optional fields
// and the readers in models/ that never assume more than `available`).

export interface SourceRef { path: string; line: number }

export interface Unavailable { available: false; reason?: string }

/** Where the time-travel history is (instruction counts); present when the session records one. */
export interface HistoryInfo {
  start: number;
  end: number;
  position: number;
  replaying?: boolean;
  checkpoints?: number;
  memoryMiB?: number;
  budgetMiB?: number;
}

export interface StateBody {
  available: boolean;
  reason?: string;
  running: boolean;
  instructions: number;
  cycles: number;
  timing: string;
  process?: string;
  thread?: string;
  pc?: string;
  history?: HistoryInfo;
}

export interface XEntry {
  id: number;
  valid: boolean;
  owner?: string;
  handler: string;
  /** The entry's name in the system description (kernel systems). */
  name?: string;
  /** The symbol at the entry address (with the XPC library: the XPC_ENTRY stub). */
  symbol?: string;
  /** The function the entry stub hands the call to (with the XPC library: the user's handler). */
  handlerFunction?: string;
  source?: SourceRef;
  pageTable: string;
  contexts?: number;
  contextsInUse?: number;
  callers?: string[];
}
export interface XEntriesBody { available: boolean; reason?: string; entries: XEntry[] }

export interface LinkRecord {
  depth: number;
  valid: boolean;
  callerProcess?: string;
  entryId?: number;
  returnAddress: string;
  source?: SourceRef;
  segment?: { base: string; size: string; perm?: string };
}
export interface LinkStackThread { threadId: number; name: string; records: LinkRecord[] }
export interface LinkStacksBody { available: boolean; reason?: string; threads: LinkStackThread[] }

export interface SegmentWindow { valid: boolean; va: string; pa: string; size: string; perm: string }
export interface SegListSlot extends SegmentWindow { slot: number; owner?: string }
export interface RelaySegmentsBody {
  available: boolean;
  reason?: string;
  segReg: SegmentWindow;
  segMask: { offset: string; size: string };
  segList: SegListSlot[];
}

export interface ProcessThread { id: number; name: string; state: string; priority?: number }
export interface Capability { slot: number; type: string; object: string; badge?: number; rights?: string }
export interface XpcProcess {
  id: number;
  name: string;
  asid: number;
  state: string;
  threads: ProcessThread[];
  capabilities: Capability[];
}
export interface ProcessesBody { available: boolean; reason?: string; processes: XpcProcess[] }

export type CallEventKind = 'xcall' | 'xret' | 'fault' | 'swapseg';
export interface CallEvent {
  seq: number;
  kind: CallEventKind;
  instructions: number;
  cycles: number;
  from?: string;
  to?: string;
  entryId?: number;
  pc: string;
  cause?: string;
  source?: SourceRef;
  /** With `all: true`: the event's instruction has not run at the current position. */
  future?: boolean;
}
export interface CallTraceBody {
  available: boolean;
  reason?: string;
  events: CallEvent[];
  history?: HistoryInfo;
  /** Without `all`: how many events lie after the position (left out). */
  laterEvents?: number;
}
export interface CallTraceArgs { since?: number; all?: boolean }

// ---- Time travel -------------------------------------------------------------------------------

export type LastWriteArgs = { address: string; length: number; physical?: boolean } | { register: string };
export type LastWriteBody =
  | { available: true; found: true; instructions: number; pc: string; by: 'instruction' | 'host'; source?: SourceRef; description: string }
  | { available: true; found: false; message: string }
  /** Paused (DAP pause) before the search ended: stopped at `instructions`; asking again searches on from there. */
  | { available: true; found: false; paused: true; instructions: number; message: string }
  | Unavailable;

export interface Bookmark { id: number; name: string; instructions: number; pc?: string; source?: SourceRef }
export interface BookmarksArgs { action: 'list' | 'add' | 'remove' | 'goto'; id?: number; name?: string }
export interface BookmarksBody { available: boolean; reason?: string; bookmarks?: Bookmark[]; bookmark?: Bookmark; instructions?: number }
export interface TravelBody { available: boolean; reason?: string; instructions?: number }

/** The custom requests by name, with the body each answers. */
export interface CustomRequests {
  'xpc.state': StateBody;
  'xpc.xEntries': XEntriesBody;
  'xpc.linkStacks': LinkStacksBody;
  'xpc.relaySegments': RelaySegmentsBody;
  'xpc.processes': ProcessesBody;
  'xpc.callTrace': CallTraceBody;
  'xpc.reverseStepOver': TravelBody;
  'xpc.reverseStepOut': TravelBody;
  'xpc.lastWrite': LastWriteBody;
  'xpc.gotoInstruction': TravelBody;
  'xpc.bookmarks': BookmarksBody;
}
export type CustomRequestName = keyof CustomRequests;

/** The event the adapter sends after every stop and every change made through the debugger. */
export const STATE_CHANGED_EVENT = 'xpc.stateChanged';
export const DEBUG_TYPE = 'xpc';
