// The names and addresses the system builder gives a description's objects inside each process's
// sources (`#define`s, include directories, default map addresses). The language server must
// assemble a process source exactly as the builder does, so both read these rules from here.
// Pure: only the ABI tables are imported (the language server may not pull in the emulator).

import * as path from 'node:path';
import { USER_SHARED_BASE } from '../abi/abi';

/** The generated name of a description name: prefix + NAME uppercased, `-` → `_`. */
export const defineName = (prefix: string, name: string): string => `${prefix}${name.toUpperCase().replace(/-/g, '_')}`;
/** XENTRY_<NAME>: the x-entry's id. */
export const xEntryDefine = (name: string): string => defineName('XENTRY_', name);
/** SEG_<NAME>: the relay segment's slot in its owner's seg-list. */
export const segmentDefine = (name: string): string => defineName('SEG_', name);
/** MEM_<NAME>: the mapped region's virtual address in the process. */
export const memoryDefine = (name: string): string => defineName('MEM_', name);

/** x-entry ids count from 1 in array order (entry 0 is reserved by the ISA). */
export const xEntryId = (index: number): number => index + 1;

/** Each relay segment's seg-list slot: one owner's segments take slots 0, 1, … in array order. */
export function segmentSlots(segments: readonly { readonly owner: string }[]): number[] {
  const next = new Map<string, number>();
  return segments.map((s) => {
    const slot = next.get(s.owner) ?? 0;
    next.set(s.owner, slot + 1);
    return slot;
  });
}

/** The keys of a description capability that name its object (exactly one per capability). */
export const CAP_KINDS = ['endpoint', 'notification', 'reply', 'process', 'thread', 'xentry', 'control'] as const;
/** What a `control` capability may name: the authority it carries (seL4's control capabilities). */
export const CONTROL_KINDS = ['xpc'] as const;
export type CapKind = typeof CAP_KINDS[number];

/** The absolute symbol XPC_ENTRY (kernel/lib/xpc/xpc.inc) sets to its stub's number of call contexts. */
export const xEntryContextsSymbol = (stub: string): string => `${stub}_contexts`;

/** Bytes between the default addresses of a process's successive shared-memory maps. */
export const MAP_WINDOW = 0x10_0000;
/** Where the k-th map of a process is mapped: its `va`, or the k-th window from USER_SHARED_BASE. */
export const mapVa = (m: { readonly va?: number }, k: number): bigint => BigInt(m.va ?? USER_SHARED_BASE + k * MAP_WINDOW);

/**
 * An XPC system: the description names xEntries, grants or relaySegments (even as empty lists).
 * The builder then links kernel/lib/xpc/xpc.S into every process with sources.
 */
export const usesXpc = (desc: { readonly xEntries?: unknown; readonly grants?: unknown; readonly relaySegments?: unknown }): boolean =>
  desc.xEntries !== undefined || desc.grants !== undefined || desc.relaySegments !== undefined;

/** kernel/include (the ABI) and kernel/lib/xpc (the XPC user library) below a kernel folder. */
export const kernelIncludeDirs = (kernelRoot: string): string[] => [path.join(kernelRoot, 'include'), path.join(kernelRoot, 'lib', 'xpc')];

/** A process's include path: its own includeDirs (relative to the description), then the kernel's. */
export const processIncludeDirs = (descriptionDir: string, own: readonly string[], kernelRoot: string): string[] =>
  [...own.map((d) => path.resolve(descriptionDir, d)), ...kernelIncludeDirs(kernelRoot)];
