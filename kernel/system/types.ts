// The system description: a JSON file in the spirit of seL4 Microkit's `.system` files. The JSON
// Schema (system.schema.json, registered by the extension) describes the same shape for editors;
// validate.ts is what the builder trusts.

export interface SystemDescription {
  readonly $schema?: string;
  /** CLINT ticks (100 cycles each) per time slice; default 1000. */
  readonly tick?: number;
  /** The run ends when this process ends, with its exit code; default: when every process has ended. */
  readonly exitOn?: string;
  readonly endpoints?: readonly { readonly name: string }[];
  readonly notifications?: readonly { readonly name: string }[];
  /** Reply objects (seL4 MCS): a server's Recv/ReplyRecv names one (t2) to receive a Call's reply right. */
  readonly replies?: readonly { readonly name: string }[];
  /** Shared memory regions, mapped into processes by their `maps`. */
  readonly memory?: readonly { readonly name: string; readonly size: number }[];
  readonly processes: readonly ProcessDescription[];
  /** XPC (issue #7): x-entries, ids 1, 2, … in array order (`XENTRY_<NAME>` in every process's sources). */
  readonly xEntries?: readonly XEntryDescription[];
  /** Which process may xcall which entries (its xcall-cap bitmap at boot). */
  readonly grants?: readonly GrantDescription[];
  /** Relay segments, initially in their owner's seg-list slots 0, 1, … in array order (`SEG_<NAME>`). */
  readonly relaySegments?: readonly RelaySegmentDescription[];
}

export interface XEntryDescription {
  readonly name: string;
  /** The owner process. */
  readonly process: string;
  /** A symbol of the owner's sources: the entry_pc (with the XPC library, the XPC_ENTRY name). */
  readonly handler: string;
  /** Size of the call-context pool, 1..64; default 1. */
  readonly contexts?: number;
}

export interface GrantDescription { readonly process: string; readonly entries: readonly string[] }

export interface RelaySegmentDescription {
  readonly name: string;
  /** Bytes, a multiple of 4096, at most 1 MiB. */
  readonly size: number;
  readonly owner: string;
  /** Default "rw". */
  readonly perms?: 'r' | 'w' | 'rw';
}

export interface ProcessDescription {
  readonly name: string;
  /** Assembly sources, relative to the description's folder (or `elf`). */
  readonly sources?: readonly string[];
  /** A RISC-V ELF executable linked at user addresses (`xpc asm --layout user`), instead of sources. */
  readonly elf?: string;
  readonly includeDirs?: readonly string[];
  /** 0 (lowest) .. 31; the default priority of its threads. Default 10. */
  readonly priority?: number;
  /** Bytes per thread stack; default 16384. */
  readonly stackSize?: number;
  /** Bytes of zeroed heap at USER_HEAP_BASE; default 0. */
  readonly heapSize?: number;
  /** Default: one thread `main` at `_start`. */
  readonly threads?: readonly ThreadDescription[];
  readonly caps?: readonly CapDescription[];
  readonly maps?: readonly { readonly memory: string; readonly va?: number; readonly perms?: 'r' | 'rw' }[];
}

export interface ThreadDescription {
  readonly name: string;
  /** Entry symbol; default `_start` (for an `elf` process without `_start`: the ELF's entry). */
  readonly entry?: string;
  readonly priority?: number;
  /** Passed in a1 (a0 is the thread's IPC buffer address). */
  readonly arg?: number;
}

/** Exactly one of endpoint / notification / reply / process / thread / xentry / control names the object. */
export interface CapDescription {
  readonly slot: number;
  /** Assembler symbol (a #define) for the slot number in this process's sources. */
  readonly name?: string;
  readonly endpoint?: string;
  readonly notification?: string;
  /** A reply object by name (at most one capability in the system may hold it, as in seL4). */
  readonly reply?: string;
  readonly process?: string;
  /** `process.thread` */
  readonly thread?: string;
  /** An x-entry by name: its grant capability (SYS_XPC_GRANT / SYS_XPC_REVOKE need right g). */
  readonly xentry?: string;
  /** `"xpc"`: the XPC control capability, which SYS_XPC_REGISTER and SYS_XPC_SEG_ALLOC need (XPC systems only). */
  readonly control?: 'xpc';
  readonly badge?: number;
  /** Any of r, w, g; default "rw". */
  readonly rights?: string;
}
