// The image builder: system description → one boot ELF. Like seL4 Microkit's tool, it lays out
// the whole initial system ahead of time: it assembles the kernel and each process (each linked
// separately, with its own symbols and DWARF lines at user addresses), gives every process its
// frames and Sv39 page tables, and writes the boot info from which the kernel creates its
// objects (processes, threads, endpoints, notifications, capabilities) at boot.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { build, formatDiagnostic, imageToElf, Diagnostic, LinkedImage, LAYOUTS } from '../../language/asm/index';
import { writeElfExecutable, ElfSectionInput } from '../../language/elf/elf-writer';
import * as abi from '../abi/abi';
import { elfProcessImage } from './elf-process';
import { mapVa, memoryDefine, processIncludeDirs, segmentDefine, segmentSlots, usesXpc as isXpcSystem, xEntryContextsSymbol, xEntryDefine, xEntryId } from './names';

import { SystemDescription } from './types';
import { SystemDiagnostic, validateDescription } from './validate';

export type { SystemDiagnostic } from './validate';

export interface ThreadImage {
  readonly name: string;
  /** Index in the kernel's TCB array. */
  readonly index: number;
  readonly entry: bigint;
  readonly priority: number;
  readonly stackTop: bigint;
  readonly ipcBuffer: bigint;
}

export interface Placement { readonly what: string; readonly va: bigint; readonly pa: number; readonly size: number; readonly perms: string }

export interface ProcessImage {
  readonly name: string;
  readonly index: number;
  readonly asid: number;
  readonly satp: bigint;
  /** Linked at user addresses: symbols and line tables for the debugger. */
  readonly image: LinkedImage;
  readonly entry: bigint;
  readonly threads: readonly ThreadImage[];
  readonly placement: readonly Placement[];
  /** Cap slot names (`#define`d in its sources) → slot. */
  readonly capNames: ReadonlyMap<string, number>;
}

/** An x-entry as built (issue #7): id = index in the hardware table. */
export interface XEntryImage { readonly name: string; readonly id: number; readonly process: string; readonly handler: string; readonly entryPc: bigint; readonly contexts: number }
/** A relay segment from the description: physically contiguous at `pa`, seen at `va` through seg-reg. */
export interface RelaySegmentImage { readonly name: string; readonly owner: string; readonly slot: number; readonly pa: number; readonly va: bigint; readonly size: number; readonly perms: string }

export interface SystemImage {
  /** The boot ELF: everything at physical addresses; entry 0x8000_0000. */
  readonly elf: Uint8Array;
  /** The kernel, linked at its upper-half virtual addresses. */
  readonly kernel: LinkedImage;
  readonly kernelOffset: bigint;
  readonly processes: readonly ProcessImage[];
  readonly endpoints: readonly string[];
  readonly notifications: readonly string[];
  /** Reply objects by index (kernel_replies[i]). */
  readonly replies: readonly string[];
  readonly description: SystemDescription;
  readonly descriptionPath: string;
  /** XPC (issue #7); empty when the description has none. */
  readonly xEntries: readonly XEntryImage[];
  readonly relaySegments: readonly RelaySegmentImage[];
  /** Process name → the x-entry names it may call at boot. */
  readonly grants: ReadonlyMap<string, readonly string[]>;
  /** The pool SYS_XPC_SEG_ALLOC allocates from (0 pages when XPC is off). */
  readonly relayPool: { readonly pa: number; readonly pages: number };
}

export interface BuildSystemResult { readonly image?: SystemImage; readonly diagnostics: SystemDiagnostic[] }

const PAGE = 4096;
/** The board's default RAM (xpc run --ram changes it; a system must fit the default). */
const DEFAULT_RAM_MIB = 128;
const PTE = { V: 1n, R: 2n, W: 4n, X: 8n, U: 16n, A: 64n, D: 128n } as const;
const KERNEL_SOURCES = ['boot.S', 'entry.S', 'kernel.S', 'xpc.S'];

/** The folder holding kernel/src and kernel/include, found from this module (works from out/ and dist/). */
export function kernelRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'kernel');
    if (fs.existsSync(path.join(candidate, 'src', 'kernel.S'))) return candidate;
    if (fs.existsSync(path.join(dir, 'src', 'kernel.S')) && path.basename(dir) === 'kernel') return dir;
    dir = path.dirname(dir);
  }
  return path.resolve('kernel');
}

export function kernelIncludeDir(): string { return path.join(kernelRoot(), 'include'); }
/** The XPC user library (docs/xpc-library.md): on every process's include path; xpc.S is linked into XPC systems' processes. */
export function xpcLibDir(): string { return path.join(kernelRoot(), 'lib', 'xpc'); }
export { memoryDefine, segmentDefine, xEntryDefine } from './names';

/** Assembles the kernel alone (no description needed). */
export function buildKernel(): { image?: LinkedImage; diagnostics: Diagnostic[] } {
  const root = kernelRoot();
  const r = build(KERNEL_SOURCES.map((f) => ({ path: path.join(root, 'src', f) })), {
    includeDirs: [path.join(root, 'include'), path.join(root, 'src'), xpcLibDir()],
    layout: { ...LAYOUTS.bare, name: 'kernel', base: abi.KERNEL_OFFSET + BigInt(abi.KERNEL_PA), sectionAlign: PAGE, entry: '_start' },
  });
  return { image: r.image, diagnostics: r.diagnostics };
}

/** Reads, validates and builds a description file. Nothing is built when any problem is found. */
export function buildSystem(file: string): BuildSystemResult {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch { return { diagnostics: [{ path: '$', message: `cannot read ${file}` }] }; }
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) { return { diagnostics: [{ path: '$', message: `${file}: not valid JSON: ${(e as Error).message}` }] }; }
  return buildSystemFrom(raw, file);
}

/**
 * Far more frames than the board's RAM were asked for (processes with huge .bss, say): stops the
 * build before it allocates them. Up to the cap the build goes on, so the RAM check below can say
 * exactly how much the system needs (everything a description alone can ask for fits under it).
 */
class OutOfRam extends Error {}
const FRAMES_CAP_MIB = 4 * DEFAULT_RAM_MIB;

/** Physical memory under construction: 4 KiB frames by address. */
class Frames {
  readonly pages = new Map<number, Uint8Array>();
  private next = abi.FREE_PA;
  alloc(): number {
    if (this.next + PAGE > abi.KERNEL_PA + FRAMES_CAP_MIB * 1024 * 1024) throw new OutOfRam();
    const pa = this.next; this.next += PAGE; this.pages.set(pa, new Uint8Array(PAGE)); return pa;
  }
  page(pa: number): Uint8Array { const p = this.pages.get(pa); if (!p) throw new Error(`no frame at 0x${pa.toString(16)}`); return p; }
  get top(): number { return this.next; }
}

class AddressSpace {
  readonly root: number;
  readonly placement: Placement[] = [];
  constructor(private readonly frames: Frames) { this.root = frames.alloc(); }
  /** Maps one page; the intermediate tables are allocated on the way. */
  map(va: bigint, pa: number, flags: bigint): void {
    let table = this.root;
    for (const shift of [30n, 21n]) {
      const idx = Number((va >> shift) & 511n);
      const view = new DataView(this.frames.page(table).buffer);
      let pte = view.getBigUint64(idx * 8, true);
      if (!(pte & PTE.V)) { const t = this.frames.alloc(); pte = ((BigInt(t) >> 12n) << 10n) | PTE.V; view.setBigUint64(idx * 8, pte, true); }
      table = Number((pte >> 10n) << 12n);
    }
    const idx = Number((va >> 12n) & 511n);
    new DataView(this.frames.page(table).buffer).setBigUint64(idx * 8, ((BigInt(pa) >> 12n) << 10n) | flags | PTE.V | PTE.U | PTE.A | PTE.D, true);
  }
  /** Fresh zeroed frames for [va, va+size), returning the first frame's address. */
  mapFresh(what: string, va: bigint, size: number, flags: bigint, perms: string): number {
    let first = -1;
    for (let off = 0; off < size; off += PAGE) { const pa = this.frames.alloc(); if (first < 0) first = pa; this.map(va + BigInt(off), pa, flags); }
    this.placement.push({ what, va, pa: first, size: Math.ceil(size / PAGE) * PAGE, perms });
    return first;
  }
}

/** A thread's entry address: its symbol, or for an ELF process without `_start`, the ELF entry. */
function entryOf(image: LinkedImage, entry: string | undefined, isElf: boolean): bigint | undefined {
  const sym = image.symbols.find((s) => s.name === (entry ?? '_start') && s.section !== 'undef');
  if (sym) return sym.value;
  return isElf && entry === undefined ? image.entry : undefined;
}

const rightsOf = (s: string | undefined): number => {
  const r = s ?? 'rw';
  return (r.includes('r') ? abi.RIGHTS.RIGHT_READ : 0) | (r.includes('w') ? abi.RIGHTS.RIGHT_WRITE : 0) | (r.includes('g') ? abi.RIGHTS.RIGHT_GRANT : 0);
};

export function buildSystemFrom(raw: unknown, file: string): BuildSystemResult {
  try {
    return buildValidated(raw, file);
  } catch (e) {
    if (!(e instanceof OutOfRam)) throw e;
    return { diagnostics: [{ path: 'processes', message: `the system needs more than ${FRAMES_CAP_MIB} MiB of RAM; the board has ${DEFAULT_RAM_MIB} MiB (reduce heapSize, stackSize, memory sizes or the processes' code and data)` }] };
  }
}

function buildValidated(raw: unknown, file: string): BuildSystemResult {
  const v = validateDescription(raw);
  if (!v.description) return { diagnostics: v.diagnostics };
  const desc = v.description;
  const dir = path.dirname(path.resolve(file));
  const diagnostics: SystemDiagnostic[] = [];
  const asmError = (at: string, ds: readonly Diagnostic[]) => {
    for (const dg of ds) if (dg.severity === 'error') diagnostics.push({ path: at, message: formatDiagnostic(dg) });
  };

  const kernel = buildKernel();
  asmError('(kernel)', kernel.diagnostics);

  const checkEntries = (i: number, image: LinkedImage, isElf: boolean) => {
    const p = desc.processes[i];
    (p.threads ?? [{ name: 'main' }]).forEach((t, k) => {
      if (entryOf(image, t.entry, isElf) === undefined) {
        diagnostics.push({ path: `processes[${i}].threads[${k}]${t.entry ? '.entry' : ''}`, message: `entry symbol '${t.entry ?? '_start'}' is not defined in ${p.name}'s ${isElf ? 'ELF' : 'sources'}` });
      }
    });
  };

  // XPC names, the same in every process: entry ids and each segment's slot in its owner's seg-list.
  const xEntries = desc.xEntries ?? [];
  const relaySegs = desc.relaySegments ?? [];
  // An XPC system: the description has xEntries, grants or relaySegments (even empty lists).
  const usesXpc = isXpcSystem(desc);
  const xpcDefines = new Map<string, string>();
  xEntries.forEach((x, k) => xpcDefines.set(xEntryDefine(x.name), String(xEntryId(k))));
  const segSlot = segmentSlots(relaySegs);
  relaySegs.forEach((r, k) => xpcDefines.set(segmentDefine(r.name), String(segSlot[k])));
  const libSource = path.join(xpcLibDir(), 'xpc.S');

  // Assemble each process with its cap and memory names as #defines.
  const linked: (LinkedImage | undefined)[] = desc.processes.map((p, i) => {
    const defines = new Map<string, string>(xpcDefines);
    for (const c of p.caps ?? []) if (c.name) defines.set(c.name, String(c.slot));
    (p.maps ?? []).forEach((m, k) => defines.set(memoryDefine(m.memory), `0x${mapVa(m, k).toString(16)}`));
    if (p.elf !== undefined) {
      const elfPath = path.resolve(dir, p.elf);
      let bytes: Uint8Array;
      try { bytes = fs.readFileSync(elfPath); } catch { diagnostics.push({ path: `processes[${i}].elf`, message: `cannot read ${elfPath}` }); return undefined; }
      const r = elfProcessImage(bytes, elfPath);
      if (!r.image) { diagnostics.push({ path: `processes[${i}].elf`, message: r.error ?? 'unusable ELF' }); return undefined; }
      checkEntries(i, r.image, true);
      return r.image;
    }
    const sources = (p.sources ?? []).map((s) => path.resolve(dir, s));
    sources.forEach((s, k) => { if (!fs.existsSync(s)) diagnostics.push({ path: `processes[${i}].sources[${k}]`, message: `file not found: ${s}` }); });
    if (sources.some((s) => !fs.existsSync(s))) return undefined;
    // An XPC system links the user library into every process (once, even if listed).
    const all = usesXpc && !sources.some((s) => path.resolve(s) === libSource) ? [...sources, libSource] : sources;
    const r = build(all.map((s) => ({ path: s })), {
      includeDirs: processIncludeDirs(dir, p.includeDirs ?? [], kernelRoot()),
      defines, layout: LAYOUTS.user,
    });
    asmError(`processes[${i}].sources`, r.diagnostics);
    if (!r.image) return undefined;
    checkEntries(i, r.image, false);
    return r.image;
  });
  // Each x-entry's handler must be a symbol of its owner.
  const xEntryImages: XEntryImage[] = [];
  xEntries.forEach((x, k) => {
    const owner = desc.processes.findIndex((p) => p.name === x.process);
    const image = linked[owner];
    if (!image) return;
    const sym = image.symbols.find((s) => s.name === x.handler && s.section !== 'undef');
    if (!sym) { diagnostics.push({ path: `xEntries[${k}].handler`, message: `handler symbol '${x.handler}' is not defined in ${x.process}'s sources` }); return; }
    // An XPC_ENTRY stub sizes its own context pool; the description must not tell the debugger otherwise.
    const pool = image.symbols.find((s) => s.name === xEntryContextsSymbol(x.handler) && s.section === 'abs');
    const contexts = x.contexts ?? (pool ? Number(pool.value) : 1);
    if (pool && Number(pool.value) !== contexts) {
      diagnostics.push({ path: `xEntries[${k}].contexts`, message: `${contexts} call contexts, but the XPC_ENTRY stub '${x.handler}' in ${x.process}'s sources has ${pool.value}` });
      return;
    }
    xEntryImages.push({ name: x.name, id: xEntryId(k), process: x.process, handler: x.handler, entryPc: sym.value, contexts });
  });
  if (diagnostics.length || !kernel.image) return { diagnostics };
  const kimage = kernel.image;
  const ksize = Math.max(...kimage.sections.map((s) => Number(s.addr + s.size - abi.KERNEL_OFFSET))) - abi.KERNEL_PA;
  if (ksize > abi.KERNEL_MAX_SIZE) return { diagnostics: [{ path: '(kernel)', message: `the kernel is ${ksize} bytes; at most ${abi.KERNEL_MAX_SIZE} fit` }] };

  // ---- Physical layout ----
  const frames = new Frames();
  const memFrames = new Map<string, number[]>();
  for (const m of desc.memory ?? []) memFrames.set(m.name, Array.from({ length: Math.ceil(m.size / PAGE) }, () => frames.alloc()));
  const threadIndex = new Map<string, number>();
  const processes: ProcessImage[] = [];
  interface ThreadRec { proc: number; prio: number; entry: bigint; sp: bigint; ipcVa: bigint; ipcPa: number; name: string; arg: bigint }
  const threadRecs: ThreadRec[] = [];
  desc.processes.forEach((p, i) => {
    const image = linked[i]!;
    const as = new AddressSpace(frames);
    // Sections may share a page (an ELF from GNU ld packs them): one frame per page, flags merged.
    const pages = new Map<bigint, { pa: number; flags: bigint }>();
    for (const s of image.sections) {
      if (s.size === 0n) continue;
      const start = s.addr & ~0xfffn, end = (s.addr + s.size + 0xfffn) & ~0xfffn;
      const flags = PTE.R | (s.flags.write ? PTE.W : 0n) | (s.flags.exec ? PTE.X : 0n);
      for (let va = start; va < end; va += 0x1000n) {
        const pg = pages.get(va) ?? { pa: frames.alloc(), flags: 0n };
        pg.flags |= flags;
        pages.set(va, pg);
      }
      as.placement.push({ what: s.name, va: s.addr, pa: pages.get(start)!.pa + Number(s.addr - start), size: Number(s.size), perms: `r${s.flags.write ? 'w' : '-'}${s.flags.exec ? 'x' : '-'}` });
      if (!s.nobits) {
        for (let off = 0; off < s.data.length; off++) {
          const va = s.addr + BigInt(off);
          frames.page(pages.get(va & ~0xfffn)!.pa)[Number(va & 0xfffn)] = s.data[off];
        }
      }
    }
    for (const [va, pg] of pages) as.map(va, pg.pa, pg.flags);
    if (p.heapSize) as.mapFresh('heap', BigInt(abi.USER_HEAP_BASE), p.heapSize, PTE.R | PTE.W, 'rw-');
    const stack = Math.ceil((p.stackSize ?? 16384) / PAGE) * PAGE;
    const threads: ThreadImage[] = [];
    (p.threads ?? [{ name: 'main' }]).forEach((t, k) => {
      const ipcVa = BigInt(abi.USER_IPCBUF_BASE + k * PAGE);
      const ipcPa = as.mapFresh(`ipc buffer ${t.name}`, ipcVa, PAGE, PTE.R | PTE.W, 'rw-');
      const top = BigInt(abi.USER_STACK_TOP - k * abi.USER_STACK_STRIDE);
      as.mapFresh(`stack ${t.name}`, top - BigInt(stack), stack, PTE.R | PTE.W, 'rw-');
      const entry = entryOf(image, t.entry, p.elf !== undefined)!;
      const index = threadRecs.length;
      threadIndex.set(`${p.name}.${t.name}`, index);
      const prio = t.priority ?? p.priority ?? 10;
      threadRecs.push({ proc: i, prio, entry, sp: top, ipcVa, ipcPa, name: t.name, arg: BigInt(t.arg ?? 0) });
      threads.push({ name: t.name, index, entry, priority: prio, stackTop: top, ipcBuffer: ipcVa });
    });
    (p.maps ?? []).forEach((m, k) => {
      const region = desc.memory!.find((r) => r.name === m.memory)!;
      const va = mapVa(m, k);
      const write = (m.perms ?? 'rw') === 'rw';
      memFrames.get(m.memory)!.forEach((pa, n) => as.map(va + BigInt(n * PAGE), pa, PTE.R | (write ? PTE.W : 0n)));
      as.placement.push({ what: `memory ${m.memory}`, va, pa: memFrames.get(m.memory)![0], size: Math.ceil(region.size / PAGE) * PAGE, perms: write ? 'rw-' : 'r--' });
    });
    const asid = i + 1;
    const satp = (8n << 60n) | (BigInt(asid) << 44n) | (BigInt(as.root) >> 12n);
    const capNames = new Map<string, number>();
    for (const c of p.caps ?? []) if (c.name) capNames.set(c.name, c.slot);
    processes.push({ name: p.name, index: i, asid, satp, image, entry: threads[0].entry, threads, placement: as.placement, capNames });
  });

  // Relay segments: physically contiguous runs of frames (the allocator hands out consecutive frames).
  const segImages: RelaySegmentImage[] = relaySegs.map((r, k) => {
    let pa = -1;
    for (let off = 0; off < r.size; off += PAGE) { const f = frames.alloc(); if (pa < 0) pa = f; }
    return { name: r.name, owner: r.owner, slot: segSlot[k], pa, va: abi.USER_RELAY_BASE + BigInt(pa - abi.KERNEL_PA), size: r.size, perms: r.perms ?? 'rw' };
  });
  // The allocation pool lies past every frame; it is not in the ELF (RAM starts zeroed, the kernel zeroes on allocation).
  const relayPool = { pa: frames.top, pages: usesXpc ? abi.RELAY_POOL_PAGES : 0 };

  const ramEnd = abi.KERNEL_PA + DEFAULT_RAM_MIB * 1024 * 1024;
  if (frames.top + relayPool.pages * PAGE > ramEnd) {
    return { diagnostics: [{ path: 'processes', message: `the system needs ${Math.ceil((frames.top - abi.KERNEL_PA) / 1048576)} MiB of RAM; the board has ${DEFAULT_RAM_MIB} MiB (reduce heapSize, stackSize or memory sizes)` }] };
  }

  // ---- Boot info ----
  const endpoints = (desc.endpoints ?? []).map((e) => e.name);
  const notifications = (desc.notifications ?? []).map((e) => e.name);
  const replies = (desc.replies ?? []).map((e) => e.name);
  interface CapRec { proc: number; slot: number; type: number; object: number; badge: bigint; rights: number }
  const caps: CapRec[] = [];
  desc.processes.forEach((p, i) => {
    for (const c of p.caps ?? []) {
      const [type, object] =
        c.endpoint !== undefined ? [abi.CAP_TYPES.CAP_ENDPOINT, endpoints.indexOf(c.endpoint)]
        : c.notification !== undefined ? [abi.CAP_TYPES.CAP_NOTIFICATION, notifications.indexOf(c.notification)]
        : c.reply !== undefined ? [abi.CAP_TYPES.CAP_REPLY, replies.indexOf(c.reply)]
        : c.process !== undefined ? [abi.CAP_TYPES.CAP_PROCESS, desc.processes.findIndex((q) => q.name === c.process)]
        : c.xentry !== undefined ? [abi.CAP_TYPES.CAP_XENTRY, xEntries.findIndex((x) => x.name === c.xentry) + 1]
        : c.control !== undefined ? [abi.CAP_TYPES.CAP_XPC_CONTROL, 0]
        : [abi.CAP_TYPES.CAP_THREAD, threadIndex.get(c.thread!)!];
      caps.push({ proc: i, slot: c.slot, type, object, badge: BigInt(c.badge ?? 0), rights: rightsOf(c.rights) });
    }
  });
  const bi = new Uint8Array(abi.BOOTINFO_MAX_SIZE);
  const view = new DataView(bi.buffer);
  const put = (off: number, v: bigint | number) => view.setBigUint64(off, BigInt.asUintN(64, BigInt(v)), true);
  const F = (s: abi.StructLayout, f: string) => s.fields[f];
  const procsOff = abi.BI.size, threadsOff = procsOff + processes.length * abi.BIP.size, capsOff = threadsOff + threadRecs.length * abi.BIT.size;
  const grantRecs = (desc.grants ?? []).flatMap((g) => g.entries.map((e) => ({ proc: desc.processes.findIndex((p) => p.name === g.process), entry: xEntries.findIndex((x) => x.name === e) + 1 })));
  const xOff = capsOff + caps.length * abi.BIC.size, gOff = xOff + xEntryImages.length * abi.BIX.size, sOff = gOff + grantRecs.length * abi.BIG.size;
  let strOff = sOff + segImages.length * abi.BIS.size;
  const nameBytes = [...processes, ...threadRecs].reduce((n, x) => n + Buffer.byteLength(x.name, 'utf8') + 1, 0);
  if (strOff + nameBytes > abi.BOOTINFO_MAX_SIZE) {
    return { diagnostics: [{ path: '$', message: `the boot information would take ${strOff + nameBytes} bytes; at most ${abi.BOOTINFO_MAX_SIZE} fit (fewer grants, caps or threads)` }] };
  }
  const str = (s: string): bigint => {
    const at = strOff;
    const bytes = Buffer.from(s + '\0', 'utf8');
    bi.set(bytes, at);
    strOff += bytes.length;
    return abi.KERNEL_OFFSET + BigInt(abi.BOOTINFO_PA + at);
  };
  put(F(abi.BI, 'MAGIC'), abi.BOOTINFO_MAGIC);
  put(F(abi.BI, 'NPROCS'), processes.length);
  put(F(abi.BI, 'NTHREADS'), threadRecs.length);
  put(F(abi.BI, 'NENDPOINTS'), endpoints.length);
  put(F(abi.BI, 'NNOTIFS'), notifications.length);
  put(F(abi.BI, 'NCAPS'), caps.length);
  put(F(abi.BI, 'TICK'), desc.tick ?? 1000);
  put(F(abi.BI, 'EXIT_PROC'), desc.exitOn === undefined ? abi.EXIT_WHEN_ALL : BigInt(desc.processes.findIndex((p) => p.name === desc.exitOn)));
  put(F(abi.BI, 'PROCS'), procsOff);
  put(F(abi.BI, 'THREADS'), threadsOff);
  put(F(abi.BI, 'CAPS'), capsOff);
  put(F(abi.BI, 'NXENTRIES'), xEntryImages.length);
  put(F(abi.BI, 'XENTRIES'), xOff);
  put(F(abi.BI, 'NGRANTS'), grantRecs.length);
  put(F(abi.BI, 'GRANTS'), gOff);
  put(F(abi.BI, 'NSEGS'), segImages.length);
  put(F(abi.BI, 'SEGS'), sOff);
  put(F(abi.BI, 'POOL_PA'), relayPool.pa);
  put(F(abi.BI, 'POOL_PAGES'), relayPool.pages);
  const procIndex = (name: string) => desc.processes.findIndex((p) => p.name === name);
  xEntryImages.forEach((x, k) => {
    const o = xOff + k * abi.BIX.size;
    put(o + F(abi.BIX, 'PROC'), procIndex(x.process));
    put(o + F(abi.BIX, 'ENTRY_PC'), x.entryPc);
    put(o + F(abi.BIX, 'CONTEXTS'), x.contexts);
  });
  grantRecs.forEach((g, k) => { put(gOff + k * abi.BIG.size + F(abi.BIG, 'PROC'), g.proc); put(gOff + k * abi.BIG.size + F(abi.BIG, 'ENTRY'), g.entry); });
  segImages.forEach((r, k) => {
    const o = sOff + k * abi.BIS.size;
    put(o + F(abi.BIS, 'PROC'), procIndex(r.owner));
    put(o + F(abi.BIS, 'PA'), r.pa);
    put(o + F(abi.BIS, 'LEN'), r.size);
    put(o + F(abi.BIS, 'PERM'), (r.perms.includes('r') ? 1 : 0) | (r.perms.includes('w') ? 2 : 0));
    put(o + F(abi.BIS, 'SLOT'), r.slot);
  });
  processes.forEach((p, i) => {
    const o = procsOff + i * abi.BIP.size;
    put(o + F(abi.BIP, 'SATP'), p.satp);
    put(o + F(abi.BIP, 'ASID'), p.asid);
    put(o + F(abi.BIP, 'NAME'), str(p.name));
  });
  threadRecs.forEach((t, i) => {
    const o = threadsOff + i * abi.BIT.size;
    put(o + F(abi.BIT, 'PROC'), t.proc);
    put(o + F(abi.BIT, 'PRIO'), t.prio);
    put(o + F(abi.BIT, 'ENTRY'), t.entry);
    put(o + F(abi.BIT, 'SP'), t.sp);
    put(o + F(abi.BIT, 'IPCBUF_VA'), t.ipcVa);
    put(o + F(abi.BIT, 'IPCBUF_KVA'), abi.KERNEL_OFFSET + BigInt(t.ipcPa));
    put(o + F(abi.BIT, 'NAME'), str(t.name));
    put(o + F(abi.BIT, 'ARG'), t.arg);
  });
  caps.forEach((c, i) => {
    const o = capsOff + i * abi.BIC.size;
    put(o + F(abi.BIC, 'PROC'), c.proc);
    put(o + F(abi.BIC, 'SLOT'), c.slot);
    put(o + F(abi.BIC, 'TYPE'), c.type);
    put(o + F(abi.BIC, 'OBJECT'), c.object);
    put(o + F(abi.BIC, 'BADGE'), c.badge);
    put(o + F(abi.BIC, 'RIGHTS'), c.rights);
  });

  // ---- The boot ELF (physical addresses) ----
  const sections: ElfSectionInput[] = kimage.sections.filter((s) => s.size > 0n).map((s) => ({
    name: s.name, kind: s.nobits ? 'nobits' : 'progbits', alloc: true, write: s.flags.write, exec: s.flags.exec,
    addr: s.addr - abi.KERNEL_OFFSET, align: s.align, data: s.data, size: s.size,
  }));
  sections.push({ name: '.bootinfo', kind: 'progbits', alloc: true, write: true, exec: false, addr: BigInt(abi.BOOTINFO_PA), align: 8, data: bi.slice(0, (strOff + 7) & ~7) });
  const sorted = [...frames.pages.keys()].sort((a, b) => a - b);
  for (let k = 0; k < sorted.length;) {
    let e = k + 1;
    while (e < sorted.length && sorted[e] === sorted[e - 1] + PAGE) e++;
    const data = new Uint8Array((e - k) * PAGE);
    for (let n = k; n < e; n++) data.set(frames.pages.get(sorted[n])!, (n - k) * PAGE);
    sections.push({ name: `.frames.${sections.length}`, kind: 'progbits', alloc: true, write: true, exec: true, addr: BigInt(sorted[k]), align: PAGE, data });
    k = e;
  }
  const elf = writeElfExecutable({
    entry: BigInt(abi.KERNEL_PA), compDir: process.cwd(), sections,
    symbols: kimage.symbols.map((s) => ({ name: s.name, value: s.value, size: s.size, type: s.type, bind: s.bind, section: 'abs' })),
    lineSequences: kimage.lineSequences.map((q) => ({ rows: q.rows.map((r) => ({ ...r })), endAddress: q.endAddress })),
  });
  return {
    diagnostics: [],
    image: {
      elf, kernel: kimage, kernelOffset: abi.KERNEL_OFFSET, processes, endpoints, notifications, replies, description: desc, descriptionPath: path.resolve(file),
      xEntries: xEntryImages, relaySegments: segImages, relayPool,
      grants: (desc.grants ?? []).reduce((m, g) => m.set(g.process, [...(m.get(g.process) ?? []), ...g.entries]), new Map<string, string[]>()),
    },
  };
}

/** The ELF of one process alone (its own symbols and lines at user addresses), for tools like objdump. */
export function processElf(p: ProcessImage): Uint8Array { return imageToElf(p.image); }

/** One line per problem: `path: message`. */
export function formatSystemDiagnostic(d: SystemDiagnostic): string { return `${d.path}: ${d.message}`; }
