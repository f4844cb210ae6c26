// `xpc bench ipc`: the XPC paper's evaluation (Du et al., ISCA 2019) reproduced on our kernel and
// emulator (docs/evaluation.md). Runs the benchmark systems of bench/ipc under each timing profile,
// collects the figures the guests measure, the phase breakdown of a kernel IPC, and formats them
// as one table beside the paper's figures, or as JSON.

import { BenchBuildError, BenchProfile, BENCH_PROFILES, Figure, GuestRun, buildBareWorld, runBareWorld, runProblem, runSystem } from './harness';
import { Breakdown, measureBreakdown, PHASES, Phase } from './breakdown';

export const SIZES = [0, 64, 256, 1024, 2048, 4096, 8192, 16384] as const;
export const HOPS = [1, 2, 3, 4] as const;
/** Operations in one measured kvstore batch: KV_KEYS (16) × put, get, delete (common/kv.inc). */
export const KV_OPS = 48;

/** The paper's figures (and seL4's on a Rocket FPGA, measured elsewhere), in cycles. */
export const PAPER = {
  onewaySel4: 664, onewayXpc: 21, copy4k: 4010, sel4RocketFpga: 518,
  breakdown: { trap: 107, ipc: 212, switch: 146, restore: 199 } as Record<Phase, number>,
} as const;

/** The kernel-IPC systems and the figures each prints. */
const KERNEL_RUNS: readonly { readonly name: string; readonly figures: readonly string[] }[] = [
  { name: 'fastpath', figures: ['oneway.fastpath', 'reply.fastpath', 'roundtrip.fastpath', ...SIZES.map((n) => `copy.${n}.ipc`)] },
  { name: 'chain-ipc', figures: HOPS.map((h) => `chain.${h}.copy`) },
  { name: 'kv-ipc', figures: ['kvstore.ipc.cycles'] },
];
export const XPC_FIGURES: readonly string[] = [
  'oneway.xcall', 'roundtrip.xcall', 'oneway.xpc_call', 'roundtrip.xpc_call',
  ...SIZES.map((n) => `copy.${n}.relay`), ...HOPS.map((h) => `chain.${h}.relay`), 'kvstore.xpc.cycles',
];

export type XpcWorldChoice = 'auto' | 'kernel' | 'bare';
export interface XpcWorld { readonly world: 'kernel' | 'bare-metal'; readonly reason?: string }

export interface ProfileResult {
  /** Every figure: kernel IPC, and XPC from the world in `xpc`. */
  readonly figures: ReadonlyMap<string, Figure>;
  /** The XPC figures in the bare-metal world (no kernel), for comparison. */
  readonly bare: ReadonlyMap<string, Figure>;
  /** Undefined when the trace could not follow the kernel (breakdownError says why): the figures stand. */
  readonly breakdown?: Breakdown;
  readonly breakdownError?: string;
  readonly xpc: XpcWorld;
}
export type IpcBenchResult = Partial<Record<BenchProfile, ProfileResult>>;

function checked(run: GuestRun, expected: readonly string[]): GuestRun {
  const problem = runProblem(run, expected);
  if (problem) throw new Error(problem);
  return run;
}

/** The XPC figures: under the kernel when it can run bench/ipc/xpc, else (auto) in the bare world. */
function xpcFigures(profile: BenchProfile, choice: XpcWorldChoice, bare: GuestRun, system: string): { run: GuestRun; xpc: XpcWorld } {
  if (choice === 'bare') return { run: bare, xpc: { world: 'bare-metal', reason: 'chosen with --xpc-world bare' } };
  let reason: string;
  try {
    const run = runSystem(system, profile);
    const problem = runProblem(run, XPC_FIGURES);
    if (!problem) return { run, xpc: { world: 'kernel' } };
    reason = problem;
  } catch (e) {
    if (!(e instanceof BenchBuildError) || choice === 'kernel') throw e;
    reason = `bench/ipc/${system}/system.json does not build: ${e.message.split('\n').slice(1, 3).map((l) => l.trim()).join('; ')}`;
  }
  if (choice === 'kernel') throw new Error(reason);
  return { run: bare, xpc: { world: 'bare-metal', reason } };
}

/**
 * The whole evaluation, per profile. `xpcSystem` names the folder of bench/ipc holding the XPC
 * system (tests point it elsewhere to exercise the fallback).
 */
export function runIpcBench(opts: { profiles?: readonly BenchProfile[]; xpcWorld?: XpcWorldChoice; xpcSystem?: string } = {}): IpcBenchResult {
  const out: IpcBenchResult = {};
  const bareElf = buildBareWorld();
  for (const profile of opts.profiles ?? BENCH_PROFILES) {
    const figures = new Map<string, Figure>();
    for (const k of KERNEL_RUNS) for (const [name, f] of checked(runSystem(k.name, profile), k.figures).figures) figures.set(name, f);
    const bare = checked(runBareWorld(profile, bareElf), XPC_FIGURES);
    const x = xpcFigures(profile, opts.xpcWorld ?? 'auto', bare, opts.xpcSystem ?? 'xpc');
    for (const name of XPC_FIGURES) figures.set(name, x.run.figures.get(name)!);
    let breakdown: Breakdown | undefined, breakdownError: string | undefined;
    try { breakdown = measureBreakdown(profile); } catch (e) { breakdownError = e instanceof Error ? e.message : String(e); }
    out[profile] = { figures, bare: bare.figures, breakdown, breakdownError, xpc: x.xpc };
  }
  return out;
}

/** The 4 KiB copy alone, as the paper gives it: the 4 KiB one-way less the register-only one-way. */
const copyAloneOf = (r: ProfileResult): number | undefined => {
  const a = r.figures.get('copy.4096.ipc')?.warm, b = r.figures.get('copy.0.ipc')?.warm;
  return a !== undefined && b !== undefined ? a - b : undefined;
};

const opsPerMcycle = (cycles: number | undefined): number | undefined => (cycles ? Math.round((KV_OPS * 1e6) / cycles) : undefined);

/** One profile as a flat object: figure → warm cycles, `<figure>.cold`, the breakdown, kvstore throughput, `bare.<figure>`. */
export function profileJson(r: ProfileResult): Record<string, number> {
  const o: Record<string, number> = {};
  for (const [k, f] of r.figures) o[k] = f.warm;
  for (const [k, f] of r.figures) o[`${k}.cold`] = f.cold;
  if (r.breakdown) {
    const b = r.breakdown;
    for (const p of PHASES) o[`breakdown.${p}`] = b.warm[p];
    o['breakdown.total'] = PHASES.reduce((s, p) => s + b.warm[p], 0);
    for (const p of PHASES) o[`breakdown.${p}.cold`] = b.cold[p];
  }
  for (const side of ['ipc', 'xpc']) {
    const v = opsPerMcycle(r.figures.get(`kvstore.${side}.cycles`)?.warm);
    if (v !== undefined) o[`kvstore.${side}.ops_per_mcycle`] = v;
  }
  const copyAlone = copyAloneOf(r);
  if (copyAlone !== undefined) o['copy.4096.copy_alone'] = copyAlone;
  for (const [k, f] of r.bare) o[`bare.${k}`] = f.warm;
  return o;
}

export function toJson(result: IpcBenchResult): { profiles: Record<string, Record<string, number>>; xpcWorld: Record<string, XpcWorld>; paper: typeof PAPER } {
  const profiles: Record<string, Record<string, number>> = {};
  const xpcWorld: Record<string, XpcWorld> = {};
  for (const p of BENCH_PROFILES) {
    const r = result[p];
    if (!r) continue;
    profiles[p] = profileJson(r);
    xpcWorld[p] = r.xpc;
  }
  return { profiles, xpcWorld, paper: PAPER };
}

/** The bar, in the rocket2019 profile: deterministic cycle counts, so checked exactly. */
export interface BarCheck { readonly what: string; readonly ok: boolean; readonly value: string }
export function barChecks(r: ProfileResult): BarCheck[] {
  const w = (k: string) => r.figures.get(k)?.warm ?? NaN;
  const xcall = w('oneway.xcall'), fast = w('oneway.fastpath');
  const relay = SIZES.map((n) => w(`copy.${n}.relay`));
  const spread = (Math.max(...relay) - Math.min(...relay)) / Math.min(...relay);
  return [
    { what: 'bare xcall one-way <= 40 cycles', ok: xcall <= 40, value: `${xcall}` },
    { what: 'bare xcall one-way >= 15x faster than the fastpath one-way Call', ok: fast / xcall >= 15, value: `${(fast / xcall).toFixed(1)}x` },
    { what: 'relay-segment cost flat (+-10%) from 0 B to 16 KiB', ok: spread <= 0.1, value: `${Math.min(...relay)}..${Math.max(...relay)} (${(spread * 100).toFixed(1)}%)` },
  ];
}

/** The text table: our figures beside the paper's. */
export function formatTable(result: IpcBenchResult): string {
  const profiles = BENCH_PROFILES.filter((p) => result[p]);
  const rows: (readonly string[])[] = [];
  const head = ['figure (cycles, warm)', 'paper', ...profiles];
  const cell = (p: BenchProfile, k: string) => { const v = result[p]!.figures.get(k)?.warm; return v === undefined ? '-' : String(v); };
  const row = (label: string, paper: string, key: string | ((p: BenchProfile) => string)) =>
    rows.push([label, paper, ...profiles.map((p) => (typeof key === 'string' ? cell(p, key) : key(p)))]);
  const section = (title: string) => rows.push([title]);

  section('one-way call (caller rdcycle -> callee first instruction)');
  row('  kernel IPC: fastpath Call', `${PAPER.onewaySel4} (seL4)`, 'oneway.fastpath');
  row('  bare xcall', `${PAPER.onewayXpc}`, 'oneway.xcall');
  row('  xpc_call (library: save, clear, trampoline)', '-', 'oneway.xpc_call');
  row('  fastpath / bare xcall', `${(PAPER.onewaySel4 / PAPER.onewayXpc).toFixed(1)}x`, (p) => `${(result[p]!.figures.get('oneway.fastpath')!.warm / result[p]!.figures.get('oneway.xcall')!.warm).toFixed(1)}x`);
  row('  kernel IPC: fastpath ReplyRecv (reply one-way)', '-', 'reply.fastpath');
  section('round trip');
  row('  kernel IPC: fastpath Call + ReplyRecv', '-', 'roundtrip.fastpath');
  row('  bare xcall + xret', '-', 'roundtrip.xcall');
  row('  xpc_call to an empty handler', '-', 'roundtrip.xpc_call');
  section('kernel IPC one-way, phases (emulator breakpoints; docs/evaluation.md)');
  const names: Record<Phase, string> = { trap: 'trap', ipc: 'IPC logic', switch: 'process switch', restore: 'restore' };
  const phase = (p: BenchProfile, f: (b: Breakdown) => string) => { const b = result[p]!.breakdown; return b ? f(b) : '-'; };
  for (const ph of PHASES) row(`  ${names[ph]}`, `${PAPER.breakdown[ph]}`, (p) => phase(p, (b) => String(b.warm[ph])));
  row('  total (guest\'s one-way)', `${PHASES.reduce((s, ph) => s + PAPER.breakdown[ph], 0)}`, (p) => phase(p, (b) => `${PHASES.reduce((s, ph) => s + b.warm[ph], 0)} (${b.guest.warm})`));
  section('message one-way: IPC-buffer copy (<= 4 KiB per Call) vs relay segment');
  for (const n of SIZES) {
    const label = n >= 1024 ? `${n / 1024} KiB` : `${n} B`;
    row(`  ${label.padEnd(7)} copy`, '-', `copy.${n}.ipc`);
    row(`  ${label.padEnd(7)} relay`, '-', `copy.${n}.relay`);
  }
  row('  4 KiB copy alone (4 KiB copy - 0 B copy)', `${PAPER.copy4k}`, (p) => String(copyAloneOf(result[p]!) ?? '-'));
  section('call chain round trip, 4 KiB message: copy at each hop vs segment handed on');
  for (const h of HOPS) {
    row(`  ${h} hop${h > 1 ? 's' : ''} copy`, '-', `chain.${h}.copy`);
    row(`  ${h} hop${h > 1 ? 's' : ''} relay`, '-', `chain.${h}.relay`);
  }
  section(`kvstore (1 KiB values, put/get/delete): operations per million cycles`);
  for (const side of ['ipc', 'xpc'] as const) {
    row(`  over ${side === 'ipc' ? 'endpoints' : 'XPC'}`, '-', (p) => String(opsPerMcycle(result[p]!.figures.get(`kvstore.${side}.cycles`)?.warm) ?? '-'));
  }

  const widths = head.map((_, i) => Math.max(head[i].length, ...rows.filter((r) => r.length > 1).map((r) => (r[i] ?? '').length)));
  const fmt = (r: readonly string[]) => r.length === 1 ? r[0] : r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const lines = [
    'XPC evaluation (issue #7): cycles measured by the guest with rdcycle (docs/evaluation.md)',
    `paper: Du et al., ISCA 2019; seL4 elsewhere on a Rocket FPGA: ${PAPER.sel4RocketFpga} cycles per call`,
  ];
  for (const p of profiles) {
    const x = result[p]!.xpc;
    lines.push(x.world === 'kernel'
      ? `${p}: XPC figures measured under the kernel (bench/ipc/xpc/system.json)`
      : `${p}: XPC FIGURES FROM THE BARE-METAL WORLD (no kernel: bench/ipc/bare/world.S), because ${x.reason}`);
  }
  for (const p of profiles) if (result[p]!.breakdownError) lines.push(`${p}: NO PHASE BREAKDOWN: ${result[p]!.breakdownError}`);
  lines.push('', fmt(head), ...rows.map(fmt));
  if (result.rocket2019) {
    lines.push('', 'issue #7 bar (rocket2019):');
    for (const b of barChecks(result.rocket2019)) lines.push(`  ${b.ok ? 'ok  ' : 'FAIL'} ${b.what}: ${b.value}`);
    const x = result.rocket2019.bare.get('oneway.xcall')?.warm;
    if (result.rocket2019.xpc.world === 'kernel' && x !== undefined) lines.push(`  (bare xcall one-way without a kernel, bench/ipc/bare: ${x})`);
  }
  return lines.join('\n');
}
