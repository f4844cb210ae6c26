// The phases of a kernel IPC (the paper's trap / IPC logic / process switch / restore), observed
// from the emulator: breakpoints at phase boundaries of the fastpath Call that the guest measures
// as oneway.fastpath (bench/ipc/fastpath). A breakpoint stops before an instruction executes and
// costs the guest nothing, so each boundary's cycle count is exact; the guest's own figure is
// reported next to the sum (they agree: see docs/evaluation.md).
//
//   trap     the client's ecall → the fastpath's first instruction (trap entry: the register save
//            into the TCB, the dispatch on the syscall number)
//   ipc      fastpath_call → return_to_user (the cap and receiver checks, dequeue, the badge and
//            the message registers into the receiver's TCB, the reply right)
//   switch   return_to_user → the first register load (current thread, satp, sepc, sscratch)
//   restore  the register loads, sret, and the server's first instruction (its fetch: with
//            rocket2019's untagged TLBs, the I-TLB walk after the satp switch)

import { formatInstruction } from '../../emulator/isa/disasm';
import { Machine } from '../../emulator/machine/machine';
import type { LinkedImage } from '../../language/asm';
import type { SystemImage } from '../../kernel/system/build';
import { BenchProfile, benchIpcDir, buildBenchSystem, parseFigures } from './harness';
import * as path from 'node:path';

export const PHASES = ['trap', 'ipc', 'switch', 'restore'] as const;
export type Phase = typeof PHASES[number];
export interface Breakdown {
  /** The phases of the warm (last) measured call and of the cold (first) one. */
  readonly warm: Readonly<Record<Phase, number>>;
  readonly cold: Readonly<Record<Phase, number>>;
  /** The guest's own oneway.fastpath figures, for comparison with the sums. */
  readonly guest: { readonly warm: number; readonly cold: number };
  /** How many measured calls the trace saw (BENCH_ROUNDS). */
  readonly calls: number;
}

const hartPc = (va: bigint): number => Number(BigInt.asIntN(64, va));

function symbol(image: LinkedImage, name: string, where: string): bigint {
  const s = image.symbols.find((x) => x.name === name && x.section !== 'undef');
  if (!s) throw new Error(`breakdown: no symbol ${name} in ${where}`);
  return s.value;
}

/** The kernel's first `ld ra, 8(sp)` after return_to_user: where restoring the registers begins. */
function restoreStart(kernel: LinkedImage): bigint {
  const from = symbol(kernel, 'return_to_user', 'the kernel');
  const text = kernel.sections.find((s) => s.addr <= from && from < s.addr + BigInt(s.size) && !s.nobits);
  if (!text) throw new Error('breakdown: return_to_user is in no section with contents');
  let off = Number(from - text.addr);
  for (let n = 0; n < 64 && off + 2 <= text.data.length; n++) {
    const word = text.data[off] | (text.data[off + 1] << 8) | ((text.data[off + 2] ?? 0) << 16) | ((text.data[off + 3] ?? 0) << 24);
    const ins = formatInstruction(word >>> 0, text.addr + BigInt(off));
    if (!ins) break;
    if (/^(c\.ldsp|ld)\s+ra,\s*8\(sp\)$/.test(ins.text)) return text.addr + BigInt(off);
    off += ins.length;
  }
  throw new Error('breakdown: no `ld ra, 8(sp)` within 64 instructions of return_to_user');
}

/** Runs bench/ipc/fastpath with breakpoints at the phase boundaries of each measured Call. */
export function measureBreakdown(profile: BenchProfile, image: SystemImage = buildBenchSystem(path.join(benchIpcDir(), 'fastpath', 'system.json'))): Breakdown {
  const client = image.processes.find((p) => p.name === 'client');
  const server = image.processes.find((p) => p.name === 'server');
  if (!client || !server) throw new Error('breakdown: the fastpath system has no client or server');
  // In order: the boundaries of one Call; a sequence starts only at the client's ecall.
  const marks = [
    { pc: hartPc(symbol(client.image, 'bench_call_ecall', 'client')), asid: client.asid },
    { pc: hartPc(symbol(image.kernel, 'fastpath_call', 'the kernel')) },
    { pc: hartPc(symbol(image.kernel, 'return_to_user', 'the kernel')) },
    { pc: hartPc(restoreStart(image.kernel)) },
    // After the server's nop (which takes its fetch stall), before its rdcycle: the guest's stamp.
    { pc: hartPc(symbol(server.image, 'bench_arrive_stamp', 'server')), asid: server.asid },
  ];
  const m = new Machine({ timing: profile });
  m.load(image.elf, 'bench/ipc/fastpath');
  const bytes: number[] = [];
  m.onUartOutput((b) => bytes.push(b));
  m.hart.setBreakpoints(marks);
  const calls: number[][] = [];
  let seq: number[] | undefined;
  for (;;) {
    const stop = m.run(50_000_000);
    if (stop.kind !== 'breakpoint') {
      if (stop.kind !== 'exit' || stop.code !== 0) throw new Error(`breakdown: the fastpath system ended with ${JSON.stringify(stop)}`);
      break;
    }
    const k = marks.findIndex((b) => b.pc === stop.pc);
    if (k === 0) seq = [m.hart.cycles];
    else if (seq && k === seq.length) {
      seq.push(m.hart.cycles);
      if (seq.length === marks.length) { calls.push(seq); seq = undefined; }
    } else seq = undefined; // another path (a slowpath Call, another thread): not a measured fastpath Call
  }
  const guest = parseFigures(Buffer.from(bytes).toString('latin1')).get('oneway.fastpath');
  if (!guest || calls.length === 0) throw new Error('breakdown: no measured fastpath Call was seen');
  const phases = (c: number[]): Record<Phase, number> => ({
    trap: c[1] - c[0], ipc: c[2] - c[1], switch: c[3] - c[2],
    // The server's nop issues in one cycle, which the guest counts as part of its stamps.
    restore: c[4] - c[3] - 1,
  });
  return { warm: phases(calls[calls.length - 1]), cold: phases(calls[0]), guest, calls: calls.length };
}
