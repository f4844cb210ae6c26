// `xpc bench ipc`: the XPC paper's evaluation on our kernel and emulator (docs/evaluation.md).

import { Command, parseOptions } from '../command';
import { BENCH_PROFILES, BenchProfile } from '../../bench/ipc/harness';
import { formatTable, runIpcBench, toJson, XpcWorldChoice } from '../../bench/ipc/ipc-bench';

const USAGE = `usage: xpc bench ipc [--json] [--profile rocket2019|default] [--xpc-world auto|kernel|bare]

Runs the IPC benchmarks of bench/ipc (the XPC paper's evaluation, docs/evaluation.md) under the
kernel and prints the figures the guests measure with rdcycle beside the paper's: one-way and
round-trip calls (kernel fastpath, bare xcall, xpc_call), the phases of a kernel IPC, message
sizes 0 B..16 KiB (IPC-buffer copy vs relay segment), call chains of 1..4 hops, and a key-value
service over endpoints vs over XPC. Every figure is a deterministic cycle count.
  --json           print { "profiles": { "rocket2019": {...}, "default": {...} }, ... } instead
  --profile P      only this timing profile (repeatable; default: both)
  --xpc-world W    where the XPC figures come from: auto (the kernel if it runs bench/ipc/xpc,
                   else the bare-metal world, labelled), kernel, bare
Exit codes: 0; 1 a benchmark failed; 2 bad usage.`;

const WORLDS: readonly XpcWorldChoice[] = ['auto', 'kernel', 'bare'];

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run the XPC paper\'s evaluation on the kernel and emulator (bench ipc)',
  usage: USAGE,
  run(args) {
    const o = parseOptions(args, ['--profile', '--xpc-world'], ['--json']);
    if (o.error || o.positional.length !== 1 || o.positional[0] !== 'ipc') {
      console.error(`xpc bench: ${o.error ?? (o.positional.length ? `unknown benchmark '${o.positional.join(' ')}'` : 'which benchmark? (ipc)')}\n${USAGE}`);
      return 2;
    }
    const profiles = o.values.get('--profile') ?? [...BENCH_PROFILES];
    const bad = profiles.find((p) => !(BENCH_PROFILES as readonly string[]).includes(p));
    if (bad !== undefined) { console.error(`xpc bench: --profile ${bad}: expected one of ${BENCH_PROFILES.join(', ')}`); return 2; }
    const world = o.values.get('--xpc-world')?.at(-1) ?? 'auto';
    if (!(WORLDS as readonly string[]).includes(world)) { console.error(`xpc bench: --xpc-world ${world}: expected one of ${WORLDS.join(', ')}`); return 2; }
    let result;
    try {
      result = runIpcBench({ profiles: [...new Set(profiles)] as BenchProfile[], xpcWorld: world as XpcWorldChoice });
    } catch (e) {
      console.error(`xpc bench ipc: ${e instanceof Error ? e.message : String(e)}`);
      return 1;
    }
    console.log(o.flags.has('--json') ? JSON.stringify(toJson(result), null, 2) : formatTable(result));
    return 0;
  },
};
