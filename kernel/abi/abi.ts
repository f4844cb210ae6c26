// The kernel ABI: the one place that defines every number and layout the kernel's assembly, user
// programs, the image builder and the debugger share. `kernel/include/abi.inc` is generated from
// these tables (`npm run gen`, checked by test/kernel/abi.test.ts); never edit the .inc by hand.
// Issue #7 (XPC in the kernel) extends these tables; the reserved ranges below are kept for it.

import { AbiConstant, ConstantGroup as Group, StructLayout, constant as c, constantsByName, record, renderInc, structConstants } from './constants';
export type { AbiConstant, StructLayout } from './constants';


// ---- Memory map ----
/** Kernel virtual address = physical address + KERNEL_OFFSET (a direct map in the upper half). */
export const KERNEL_OFFSET = 0xffff_ffc0_0000_0000n;
export const KERNEL_PA = 0x8000_0000;
export const KERNEL_MAX_SIZE = 0x20_0000;
export const BOOTINFO_PA = 0x8020_0000;
export const BOOTINFO_MAX_SIZE = 0x10_0000;
/** The image builder allocates page tables and process frames from here upwards. */
export const FREE_PA = 0x8030_0000;

export const USER_CODE_BASE = 0x1_0000;
export const USER_HEAP_BASE = 0x1000_0000;
export const USER_IPCBUF_BASE = 0x2000_0000;
export const USER_STACK_TOP = 0x3000_0000;
/** Each thread's stack lives in its own 1 MiB window below USER_STACK_TOP (guard page included). */
export const USER_STACK_STRIDE = 0x10_0000;
export const USER_SHARED_BASE = 0x4000_0000;
/** User virtual addresses are below this (the lower half of Sv39). */
export const USER_VA_LIMIT = 0x40_0000_0000n;
/**
 * The reserved relay-segment window (issue #7): no page table maps anything at or above it. A
 * relay segment at physical address pa has the virtual base USER_RELAY_BASE + (pa - KERNEL_PA),
 * so every segment has its own VA and the seg-reg translation never meets a page mapping.
 */
export const USER_RELAY_BASE = 0x30_0000_0000n;

// ---- Limits ----
export const MAX_PROCS = 16;
export const MAX_THREADS = 32;
export const MAX_ENDPOINTS = 32;
export const MAX_NOTIFICATIONS = 32;
/** Reply objects (seL4 MCS style: a server names one in Recv/ReplyRecv to receive a Call into it). */
export const MAX_REPLIES = 32;
/** t2 = REPLY_NONE: a Recv/ReplyRecv that names no reply object (it cannot take a Call's reply right). */
export const REPLY_NONE = -1;
export const CSPACE_SLOTS = 32;
export const NUM_PRIORITIES = 32;
export const IPC_BUFFER_SIZE = 4096;
/** XPC (issue #7): x-entry table entries (entry 0 reserved, so ids 1..63); one u64 cap bitmap per process. */
export const MAX_XENTRIES = 64;
/** Slots of each process's seg-list. */
export const SEGLIST_SLOTS = 8;
/** Linkage records (128 bytes each) of each thread's link stack (kernel memory, never mapped for users). */
export const LINK_STACK_RECORDS = 16;
/** Relay segments alive at once (description + allocated). */
export const MAX_RELAY_SEGS = 64;
/** The largest relay segment (bytes; a multiple of 4096). */
export const RELAY_MAX_SIZE = 0x10_0000;
/** Pages of the pool SYS_XPC_SEG_ALLOC allocates from (physically contiguous, after the builder's frames). */
export const RELAY_POOL_PAGES = 256;

// ---- Syscalls: a7 = number, a6 = capability slot, a0–a5 = message registers, t0 = message info,
// t2 = reply capability slot (Recv, Reply, ReplyRecv; REPLY_NONE = none) ----
export const SYSCALLS = {
  SYS_PUTCHAR: 0, SYS_PUTS: 1, SYS_EXIT: 2, SYS_SET_NAME: 3, SYS_YIELD: 4,
  SYS_SEND: 5, SYS_NBSEND: 6, SYS_RECV: 7, SYS_CALL: 8, SYS_REPLY: 9, SYS_REPLY_RECV: 10,
  SYS_SIGNAL: 11, SYS_WAIT: 12,
  // XPC (issue #7); 32 and 33 are the numbers the XPC user library reserved (kernel/abi/xpc-lib.ts).
  SYS_XPC_SEG_ALLOC: 32, SYS_XPC_SEG_FREE: 33, SYS_XPC_REGISTER: 34, SYS_XPC_GRANT: 35, SYS_XPC_REVOKE: 36,
} as const;
/** Size of the kernel's syscall table (numbers without a handler return E_BAD_SYSCALL). */
export const NUM_SYSCALLS = 37;
export const SYSCALL_DOCS: Record<keyof typeof SYSCALLS, string> = {
  SYS_PUTCHAR: 'a0 = byte: write it to the UART',
  SYS_PUTS: 'a0 = user address of a NUL-terminated string (at most 4096 bytes): write it to the UART',
  SYS_EXIT: 'a0 = exit code: end the calling process (all its threads)',
  SYS_SET_NAME: 'a0 = user address of a NUL-terminated name: name the calling thread (31 bytes kept)',
  SYS_YIELD: 'give the processor to the next ready thread of the same priority',
  SYS_SEND: 'a6 = endpoint cap (W): send a0–a5 (+ t0 bytes of the IPC buffer); blocks until received',
  SYS_NBSEND: 'a6 = endpoint cap (W): send if a receiver waits, otherwise drop the message',
  SYS_RECV: 'a6 = endpoint cap (R), t2 = reply cap (or REPLY_NONE; it must be unbound): wait for a message; returns a0–a5, t0 = length, t1 = badge; a Call received binds its caller to the reply object (with REPLY_NONE the message is delivered and the caller\'s Call returns E_NO_REPLY)',
  SYS_CALL: 'a6 = endpoint cap (W): send and wait for the reply (the kernel binds us to the reply object the receiver named); E_NO_REPLY if the receiver named none',
  SYS_REPLY: 't2 = reply cap: reply a0–a5 (+ t0 bytes) to the caller bound to the reply object and unbind it (E_NO_CALLER if unbound)',
  SYS_REPLY_RECV: 'a6 = endpoint cap (R), t2 = reply cap: Reply through the reply object (if bound), then Recv on the endpoint with the same reply object',
  SYS_SIGNAL: 'a6 = notification cap (W): OR the cap\'s badge into the notification word',
  SYS_WAIT: 'a6 = notification cap (R): wait until the word is non-zero; returns it in t1 and clears it',
  SYS_XPC_SEG_ALLOC: 'a6 = XPC control cap, a0 = length (4096..1 MiB, page multiple), a1 = perm (1 r, 2 w, 3 rw): a new zeroed relay segment in a free slot of the seg-list -> a0 = va, a1 = slot',
  SYS_XPC_SEG_FREE: 'a0 = seg-list slot holding a whole segment the process owns: free it',
  SYS_XPC_REGISTER: 'a6 = XPC control cap, a0 = handler address (entry_pc), a1 = call contexts: a new x-entry of the process -> a0 = id, a1 = cap slot of its grant capability (x-entry, rwg)',
  SYS_XPC_GRANT: 'a6 = x-entry cap (G), a0 = process cap slot: the process may xcall the entry',
  SYS_XPC_REVOKE: 'a6 = x-entry cap (G), a0 = process cap slot: clear its cap bit and flush the engine cache (effective at the next xcall)',
};

// ---- Error codes, returned in a7 by every syscall (0 = success) ----
export const ERRORS = {
  E_OK: 0, E_INVALID_CAP: 1, E_WRONG_TYPE: 2, E_NO_RIGHTS: 3, E_BAD_ARG: 4, E_NO_CALLER: 5, E_BAD_SYSCALL: 6, E_NO_MEMORY: 7, E_NO_REPLY: 8,
} as const;
export const ERROR_DOCS: Record<keyof typeof ERRORS, string> = {
  E_OK: 'success',
  E_INVALID_CAP: 'the slot index is out of range or the slot is empty',
  E_WRONG_TYPE: 'the capability is not of the type the syscall needs',
  E_NO_RIGHTS: 'the capability lacks the right (R to receive/wait, W to send/signal)',
  E_BAD_ARG: 'a pointer is not mapped readable for the process, or a length is out of range',
  E_NO_CALLER: 'Reply through a reply object no caller is bound to',
  E_BAD_SYSCALL: 'unknown syscall number in a7',
  E_NO_MEMORY: 'no free x-entry, cap slot, seg-list slot, relay-segment record or pool pages',
  E_NO_REPLY: 'Call: the message was delivered but the receiver named no reply object (REPLY_NONE), so no reply can come; Recv: the reply object is still bound to a caller',
};

// ---- Capabilities ----
export const CAP_TYPES = {
  CAP_NULL: 0, CAP_ENDPOINT: 1, CAP_NOTIFICATION: 2, CAP_REPLY: 3, CAP_PROCESS: 4, CAP_THREAD: 5,
  /** Issue #7. */
  CAP_XENTRY: 6,
  /**
   * Issue #7: the authority to create XPC objects (SYS_XPC_REGISTER, SYS_XPC_SEG_ALLOC), as seL4's
   * control capabilities (ASIDControl, IRQControl) are for theirs. It names no object.
   */
  CAP_XPC_CONTROL: 7,
} as const;
export const CAP_TYPE_NAMES = ['null', 'endpoint', 'notification', 'reply', 'process', 'thread', 'x-entry', 'xpc-control'] as const;
export const RIGHTS = { RIGHT_READ: 1, RIGHT_WRITE: 2, RIGHT_GRANT: 4 } as const;

// ---- Thread and process states ----
export const THREAD_STATES = {
  TS_INACTIVE: 0, TS_RUNNING: 1, TS_READY: 2, TS_BLOCKED_SEND: 3, TS_BLOCKED_RECV: 4, TS_BLOCKED_REPLY: 5,
  TS_BLOCKED_NOTIF: 6, TS_DEAD: 7, TS_IDLE: 8,
} as const;
export const THREAD_STATE_NAMES = ['inactive', 'running', 'ready', 'blocked on send', 'blocked on receive', 'blocked on reply', 'waiting on notification', 'dead', 'idle'] as const;
export const PROC_STATES = { PS_FREE: 0, PS_LIVE: 1, PS_EXITED: 2, PS_FAULTED: 3 } as const;
export const PROC_STATE_NAMES = ['free', 'live', 'exited', 'faulted'] as const;
/** Thread flag: the thread blocked in Send is doing a Call (it waits for the reply next). */
export const TF_CALL = 1;

// ---- Structures (kernel memory, u64 fields) ----
export const TCB: StructLayout = {
  prefix: 'TCB', title: 'thread control block', size: 1024,
  fields: {
    REGS: 0,          // x0..x31 at 8*i (x0's slot is unused)
    PC: 256, STATE: 264, PRIO: 272, PROC: 280,
    NEXT: 288, PREV: 296, QUEUE: 304,   // the queue the thread is in (ready or endpoint/notification)
    REPLY: 312,       // blocked on reply: the reply object this thread's Call is bound to
    IPCBUF_VA: 320, IPCBUF_KVA: 328, SEND_BADGE: 336, FLAGS: 344, ID: 352, WAITOBJ: 360,
    HOME: 368,        // the thread's own process (PROC is the domain it runs in now: a callee's while inside an xcall)
    RECV_REPLY: 376,  // blocked on receive: the reply object its Recv named (0 = none), a Call binds to it
    NAME: 384,        // 32 bytes, NUL-terminated
    XPC: 512,         // the thread's XPC CSRs while it is not on the hart (saved/loaded on a thread switch)
    XLINK: 512, XLINK_BASE: 520, XLINK_LIMIT: 528, XCAP: 536, XSEGLIST: 544, XSEGLIST_LEN: 552,
    XDOMAIN: 560, XCALLER: 568, SEG_VA: 576, SEG_PA: 584, SEG_LEN: 592, SEG_PERM: 600,
    SEGMASK_OFF: 608, SEGMASK_LEN: 616, SEGMASK_PERM: 624,
  },
};
export const PROC: StructLayout = {
  prefix: 'PROC', title: 'process (address space + CSpace)', size: 1280,
  fields: {
    STATE: 0, ASID: 8, SATP: 16, NAME: 24, EXIT_CODE: 32, LIVE_THREADS: 40, ID: 48,
    XPC: 64, XCAP: 64,        // the xcall-cap bitmap (entry i callable iff bit i); the engine reads it by PA
    DOMAIN: 72,               // XPC domain id = process index + 1
    SEGLIST: 80,              // kernel address of its seg-list (SEGLIST_SLOTS x 32 bytes)
    XPC_USER: 88,             // 1 once it owns an x-entry or a relay segment or holds a grant: its threads run with XPC on
    CSPACE: 256,
  },
};
export const CAP: StructLayout = { prefix: 'CAP', title: 'capability slot', size: 32, fields: { TYPE: 0, OBJECT: 8, BADGE: 16, RIGHTS: 24 } };
/** A queue header: endpoints, notifications and the ready queues share it (doubly-linked through TCB_NEXT/PREV). */
export const Q: StructLayout = { prefix: 'Q', title: 'thread queue header', size: 16, fields: { HEAD: 0, TAIL: 8 } };
export const EP: StructLayout = { prefix: 'EP', title: 'endpoint', size: 32, fields: { QUEUE: 0, STATE: 16, ID: 24 } };
export const EP_STATES = { EPS_IDLE: 0, EPS_SEND: 1, EPS_RECV: 2 } as const;
/** A reply object (seL4 MCS): CALLER = the thread blocked in Call bound to it (0 = unbound). */
export const REPLY: StructLayout = { prefix: 'REPLY', title: 'reply object', size: 16, fields: { CALLER: 0, ID: 8 } };
export const NTFN: StructLayout = { prefix: 'NTFN', title: 'notification', size: 32, fields: { QUEUE: 0, WORD: 16, ID: 24 } };

// ---- XPC hardware structures (docs/xpc-isa.md; physical memory the engine reads and writes) ----
export const XE: StructLayout = {
  prefix: 'XE', title: 'x-entry (hardware table)', size: 64,
  fields: { SATP: 0, XCAP: 8, ENTRY_PC: 16, XSEGLIST: 24, XSEGLIST_LEN: 32, DOMAIN: 40, FLAGS: 48 },
};
export const LR: StructLayout = {
  prefix: 'LR', title: 'linkage record (hardware link stack)', size: 128,
  fields: {
    SATP: 0, RET_PC: 8, XCAP: 16, XSEGLIST: 24, XSEGLIST_LEN: 32, DOMAIN: 40, CALLER: 48,
    SEG_VA: 56, SEG_PA: 64, SEG_LEN: 72, SEG_PERM: 80, HANDED_VA: 88, HANDED_LEN: 96, HANDED_PERM: 104, FLAGS: 112,
  },
};
export const SS: StructLayout = { prefix: 'SS', title: 'seg-list slot (hardware)', size: 32, fields: { VA: 0, PA: 8, LEN: 16, PERM: 24 } };
/** The kernel's record of an x-entry (beside the hardware table): who owns it, its call contexts. */
export const XEI: StructLayout = { prefix: 'XEI', title: 'x-entry kernel record', size: 16, fields: { OWNER: 0, CONTEXTS: 8 } };
/** The kernel's record of a relay segment: OWNER 0 = free record; POOL 1 = allocated from the pool. */
export const RS: StructLayout = { prefix: 'RS', title: 'relay segment kernel record', size: 40, fields: { PA: 0, LEN: 8, OWNER: 16, PERM: 24, POOL: 32 } };
/** xctl bits, and the flags bit shared by x-entries and linkage records. */
export const XCTL = { XCTL_EN: 1, XCTL_FLUSH: 2, XPC_VALID: 1 } as const;
/** The first XPC exception cause (24 invalid x-entry … 29 relay segment not returned). */
export const XPC_CAUSE_BASE = 24;

// ---- Boot info (written by the image builder at BOOTINFO_PA) ----
export const BOOTINFO_MAGIC = 0x4b43_5058n; // 'XPCK'
export const BI: StructLayout = {
  prefix: 'BI', title: 'boot info header', size: 160,
  fields: {
    MAGIC: 0, NPROCS: 8, NTHREADS: 16, NENDPOINTS: 24, NNOTIFS: 32, NCAPS: 40, TICK: 48, EXIT_PROC: 56, PROCS: 64, THREADS: 72, CAPS: 80,
    // XPC (issue #7): 0 x-entries and 0 segments = XPC stays off (xctl.EN = 0)
    NXENTRIES: 88, XENTRIES: 96, NGRANTS: 104, GRANTS: 112, NSEGS: 120, SEGS: 128, POOL_PA: 136, POOL_PAGES: 144,
  },
};
export const BIP: StructLayout = { prefix: 'BIP', title: 'boot info process record', size: 32, fields: { SATP: 0, ASID: 8, NAME: 16 } };
export const BIT: StructLayout = {
  prefix: 'BIT', title: 'boot info thread record', size: 64,
  fields: { PROC: 0, PRIO: 8, ENTRY: 16, SP: 24, IPCBUF_VA: 32, IPCBUF_KVA: 40, NAME: 48, ARG: 56 },
};
export const BIC: StructLayout = { prefix: 'BIC', title: 'boot info capability record', size: 48, fields: { PROC: 0, SLOT: 8, TYPE: 16, OBJECT: 24, BADGE: 32, RIGHTS: 40 } };
/** x-entry id k+1 is record k. */
export const BIX: StructLayout = { prefix: 'BIX', title: 'boot info x-entry record', size: 24, fields: { PROC: 0, ENTRY_PC: 8, CONTEXTS: 16 } };
export const BIG: StructLayout = { prefix: 'BIG', title: 'boot info grant record', size: 16, fields: { PROC: 0, ENTRY: 8 } };
export const BIS: StructLayout = { prefix: 'BIS', title: 'boot info relay segment record', size: 40, fields: { PROC: 0, PA: 8, LEN: 16, PERM: 24, SLOT: 32 } };
/** EXIT_PROC value: the run ends when every process has ended. */
export const EXIT_WHEN_ALL = -1n;
/** A process killed by a fault ends with this code + the cause number. */
export const FAULT_EXIT_BASE = 128;
/** The run's exit code when no thread can ever run again but some process is still alive. */
export const DEADLOCK_EXIT_CODE = 3;

export const STRUCTS: readonly StructLayout[] = [TCB, PROC, CAP, Q, EP, NTFN, REPLY, XE, LR, SS, XEI, RS, BI, BIP, BIT, BIC, BIX, BIG, BIS];

/** Exception cause names as the kernel prints them in a fault line (index = scause). */
export const FAULT_CAUSE_WORDS = [
  'instruction address misaligned', 'instruction access fault', 'illegal instruction', 'breakpoint',
  'load address misaligned', 'load access fault', 'store address misaligned', 'store access fault',
  'environment call', 'environment call', 'reserved', 'reserved', 'instruction page fault', 'load page fault',
  'reserved', 'store page fault', 'reserved', 'reserved', 'reserved', 'reserved', 'reserved', 'reserved', 'reserved', 'reserved',
  'invalid x-entry', 'invalid xcall-cap', 'invalid linkage', 'swapseg error', 'link stack overflow', 'relay segment not returned',
] as const;


export function abiGroups(): Group[] {
  return [
    {
      title: 'Memory map', constants: [
        c('KERNEL_OFFSET', KERNEL_OFFSET, 'kernel VA = PA + KERNEL_OFFSET (upper-half direct map)'),
        c('KERNEL_PA', KERNEL_PA, 'physical load address of the kernel (where the boot ROM jumps)'),
        c('KERNEL_MAX_SIZE', KERNEL_MAX_SIZE, 'room for the kernel image'),
        c('BOOTINFO_PA', BOOTINFO_PA, 'physical address of the boot info'),
        c('FREE_PA', FREE_PA, 'first frame the image builder hands to processes and page tables'),
        c('USER_CODE_BASE', USER_CODE_BASE, 'user code and data start here'),
        c('USER_HEAP_BASE', USER_HEAP_BASE, 'the process heap (heapSize bytes, zeroed)'),
        c('USER_IPCBUF_BASE', USER_IPCBUF_BASE, 'IPC buffer of thread k at USER_IPCBUF_BASE + 4096*k'),
        c('USER_STACK_TOP', USER_STACK_TOP, 'thread k stack top at USER_STACK_TOP - USER_STACK_STRIDE*k'),
        c('USER_STACK_STRIDE', USER_STACK_STRIDE, 'distance between thread stacks'),
        c('USER_SHARED_BASE', USER_SHARED_BASE, 'default VA of the first shared memory region'),
        c('USER_VA_LIMIT', USER_VA_LIMIT, 'user addresses are below this'),
        c('USER_RELAY_BASE', USER_RELAY_BASE, 'relay-segment window (no page table maps it): va = USER_RELAY_BASE + pa - KERNEL_PA'),
        c('UART_KVA', KERNEL_OFFSET + 0x1000_0000n, 'the UART through the kernel window'),
        c('FINISHER_KVA', KERNEL_OFFSET + 0x10_0000n, 'the SiFive test finisher through the kernel window'),
        c('CLINT_MTIMECMP', 0x200_4000, 'CLINT mtimecmp (M-mode, physical)'),
      ],
    },
    {
      title: 'Limits', constants: [
        c('MAX_PROCS', MAX_PROCS, 'processes'), c('MAX_THREADS', MAX_THREADS, 'threads (the idle thread is extra)'),
        c('MAX_ENDPOINTS', MAX_ENDPOINTS, 'endpoints'), c('MAX_NOTIFICATIONS', MAX_NOTIFICATIONS, 'notifications'), c('MAX_REPLIES', MAX_REPLIES, 'reply objects'),
        c('REPLY_NONE', REPLY_NONE, 't2 of Recv/ReplyRecv: no reply object'),
        c('CSPACE_SLOTS', CSPACE_SLOTS, 'capability slots per process'), c('NUM_PRIORITIES', NUM_PRIORITIES, 'priorities 0 (lowest) .. 31'),
        c('IPC_BUFFER_SIZE', IPC_BUFFER_SIZE, 'bytes of a long message (t0 = length)'),
        c('MAX_XENTRIES', MAX_XENTRIES, 'x-entry table entries (id 0 reserved)'),
        c('SEGLIST_SLOTS', SEGLIST_SLOTS, 'seg-list slots per process'),
        c('LINK_STACK_RECORDS', LINK_STACK_RECORDS, 'linkage records per thread link stack'),
        c('LINK_STACK_SIZE', LINK_STACK_RECORDS * 128, 'bytes of one link stack'),
        c('MAX_RELAY_SEGS', MAX_RELAY_SEGS, 'relay segments alive at once'),
        c('RELAY_MAX_SIZE', RELAY_MAX_SIZE, 'largest relay segment in bytes'),
        c('RELAY_POOL_PAGES', RELAY_POOL_PAGES, 'pages of the relay-segment allocation pool'),
        c('NUM_SYSCALLS', NUM_SYSCALLS, 'size of the syscall table'),
      ],
    },
    { title: 'Syscall numbers (a7)', constants: record(SYSCALLS, (k) => SYSCALL_DOCS[k as keyof typeof SYSCALLS]) },
    { title: 'Error codes (returned in a7)', constants: record(ERRORS, (k) => ERROR_DOCS[k as keyof typeof ERRORS]) },
    { title: 'Capability types and rights', constants: [...record(CAP_TYPES, (k) => `capability type ${CAP_TYPE_NAMES[CAP_TYPES[k as keyof typeof CAP_TYPES]]}`), ...record(RIGHTS, (k) => `right ${k.slice(6).toLowerCase()}`)] },
    {
      title: 'States', constants: [
        ...record(THREAD_STATES, (k) => `thread ${THREAD_STATE_NAMES[THREAD_STATES[k as keyof typeof THREAD_STATES]]}`),
        ...record(PROC_STATES, (k) => `process ${PROC_STATE_NAMES[PROC_STATES[k as keyof typeof PROC_STATES]]}`),
        ...record(EP_STATES, (k) => `endpoint queue holds ${k.slice(4).toLowerCase()}ers`),
        c('TF_CALL', TF_CALL, 'thread flag: blocked in Send as part of a Call'),
      ],
    },
    { title: 'XPC control', constants: [...record(XCTL, (k) => ({ XCTL_EN: 'xctl: extension enabled', XCTL_FLUSH: 'xctl: flush the engine cache', XPC_VALID: 'x-entry / linkage record flags: valid' } as Record<string, string>)[k]), c('XPC_CAUSE_BASE', XPC_CAUSE_BASE, 'scause of the first XPC exception (24..29)')] },
    ...STRUCTS.map((s) => ({ title: `Structure: ${s.title}`, constants: structConstants(s) })),
    {
      title: 'Boot info and exit protocol', constants: [
        c('BOOTINFO_MAGIC', BOOTINFO_MAGIC, "'XPCK'"),
        c('EXIT_WHEN_ALL', EXIT_WHEN_ALL, 'BI_EXIT_PROC: end the run when every process has ended'),
        c('FAULT_EXIT_BASE', FAULT_EXIT_BASE, 'a faulted process exits with FAULT_EXIT_BASE + cause'),
        c('DEADLOCK_EXIT_CODE', DEADLOCK_EXIT_CODE, 'run exit code when no thread can run again'),
      ],
    },
  ];
}

/** Every constant by name (for the inspector and tests). */
export function abiConstants(): Map<string, bigint> { return constantsByName(abiGroups()); }

/** The text of kernel/include/abi.inc. */
export function abiIncSource(): string {
  return renderInc([
    'GENERATED by kernel/abi/abi.ts (npm run gen): do not edit.',
    'The kernel ABI shared by the kernel, user programs, the image builder and the debugger.',
  ], abiGroups(), 22);
}
