// The timing model's parameters as data, one record per profile. docs/timing.md lists every
// parameter with its value per profile and its source; keep the two in step.

/** A blocking, set-associative cache's geometry. */
export interface CacheGeometry {
  readonly sizeBytes: number;
  readonly ways: number;
  readonly lineBytes: number;
}

export interface TimingParams {
  /** Printed with every cycle figure. */
  readonly name: string;
  // Pipeline.
  /** Cycles lost when a control transfer's predicted next pc is wrong (resolved in MEM). */
  readonly mispredictPenalty: number;
  /** Bubble after a pipeline flush: trap entry, mret/sret, CSR writes, fence.i, sfence.vma, xcall/xret. */
  readonly flushPenalty: number;
  /** Result latency of LW/LWU/LD (and LR, SC, AMOs) on a D-cache hit: a dependent next instruction waits latency − 1. */
  readonly loadWordLatency: number;
  /** Result latency of LB/LBU/LH/LHU on a hit (no fast path for sub-word loads). */
  readonly loadSubwordLatency: number;
  /** Result latency of a CSR read. */
  readonly csrReadLatency: number;
  /** MUL/MULH/MULHSU/MULHU latency; the unit is busy as long (iterative). */
  readonly mulLatency: number;
  /** MULW latency (the iterative multiplier starts half way for 32-bit operands). */
  readonly mulwLatency: number;
  /** Divide/remainder latency = divBaseLatency + max(1, quotient bits); by zero: + operand width. */
  readonly divBaseLatency: number;
  // Branch prediction.
  readonly btbEntries: number;
  readonly bhtEntries: number;
  readonly rasEntries: number;
  // Memory.
  readonly icache: CacheGeometry;
  readonly dcache: CacheGeometry;
  /** Refill of a line from DRAM (no L2): added to the access that misses, I- or D-side. */
  readonly missPenalty: number;
  /** Extra cycles of a data access that hits no RAM (a device register: uncached). */
  readonly uncachedPenalty: number;
  readonly itlbEntries: number;
  readonly dtlbEntries: number;
  /** Fixed cycles of a page walk (state machine start and TLB refill). */
  readonly ptwBaseCycles: number;
  /** Cycles per PTE read on a D-cache hit (a D-cache miss adds missPenalty). */
  readonly ptwLevelCycles: number;
  /** satp.ASID bits the TLBs honour; 0: untagged, every satp change flushes both TLBs. */
  readonly asidBits: number;
  // XPC engine.
  /** Fixed cost of the domain switch of xcall/xret (on top of the flush and the memory accesses). */
  readonly xpcSwitchCycles: number;
  /** An x-entry found in the engine cache. */
  readonly xpcEngineHitCycles: number;
  /** One engine access to a D-cache line on a hit (x-entry, cap bitmap, link record, seg-list slot); a miss adds missPenalty. */
  readonly xpcLineCycles: number;
}

export type TimingProfileName = 'default' | 'rocket2019';
export type TimingOption = 'off' | TimingProfileName;

const KiB = 1024;

/** rocket-chip's DefaultConfig at bcb3d0a9c (2019-06-28), as in shared/reference/emulator-anchors.md §4. */
const ROCKET_2019: TimingParams = {
  name: 'rocket2019',
  mispredictPenalty: 3,
  flushPenalty: 5,
  loadWordLatency: 2,
  loadSubwordLatency: 3,
  csrReadLatency: 3,
  mulLatency: 10,
  mulwLatency: 6,
  divBaseLatency: 1,
  btbEntries: 28,
  bhtEntries: 512,
  rasEntries: 6,
  icache: { sizeBytes: 16 * KiB, ways: 4, lineBytes: 64 },
  dcache: { sizeBytes: 16 * KiB, ways: 4, lineBytes: 64 },
  missPenalty: 60,
  uncachedPenalty: 20,
  itlbEntries: 32,
  dtlbEntries: 32,
  ptwBaseCycles: 2,
  ptwLevelCycles: 3,
  asidBits: 0,
  xpcSwitchCycles: 6,
  xpcEngineHitCycles: 1,
  xpcLineCycles: 2,
};

export const PROFILES: Readonly<Record<TimingProfileName, TimingParams>> = {
  rocket2019: ROCKET_2019,
  // The board's default: the same core with 16 ASID bits (the XPC contract's default), so
  // satp switches, xcall and xret included, keep the TLBs.
  default: { ...ROCKET_2019, name: 'default', asidBits: 16 },
};

export const TIMING_OPTIONS: readonly TimingOption[] = ['off', 'default', 'rocket2019'];

/** A profile with some parameters overridden (MachineOptions.timingParams); checks the geometry. */
export function timingParams(profile: TimingProfileName, overrides: Partial<TimingParams> = {}): TimingParams {
  const p: TimingParams = { ...PROFILES[profile], ...overrides };
  for (const [what, c] of [['icache', p.icache], ['dcache', p.dcache]] as const) {
    const sets = c.sizeBytes / (c.ways * c.lineBytes);
    if (!Number.isInteger(sets) || sets < 1 || (sets & (sets - 1)) !== 0 || (c.lineBytes & (c.lineBytes - 1)) !== 0 || c.lineBytes < 8) {
      throw new Error(`timing: ${what} geometry ${c.sizeBytes} B / ${c.ways} ways / ${c.lineBytes} B lines needs a power-of-two set count and line size`);
    }
  }
  if (p.bhtEntries & (p.bhtEntries - 1) || p.bhtEntries < 1) throw new Error('timing: bhtEntries must be a power of two');
  if (!(p.asidBits >= 0 && p.asidBits <= 16)) throw new Error('timing: asidBits must be 0..16');
  return p;
}
