import * as fs from 'node:fs';
import { Machine, StopReason } from '../../emulator/machine/machine';
import { LoadError } from '../../emulator/machine/loader';
import { formatInstruction } from '../../emulator/isa/disasm';
import { CAUSE_NAMES, INTERRUPT_NAMES } from '../../emulator/hart/trap';
import { Command, parseOptions } from '../command';
import { TIMING_OPTIONS, TimingOption } from '../../emulator/timing/params';
import { buildSystem, formatSystemDiagnostic } from '../../kernel/system/build';

const USAGE = `usage: xpc run [--max-instructions N] [--trace] [--stats] [--timing off|default|rocket2019] [--ram MiB] file.elf|system.json

Runs an ELF executable on the xpc-virt board (RV64IMAC + XPC, QEMU virt-like). UART output goes to
stdout and stdin to the UART. The exit code is the guest's (SiFive test finisher or HTIF tohost).
A system description (.json) is built first (as xpc build) and its boot image run.
  --max-instructions N   stop after N instructions (exit code 124)
  --trace                print every instruction and every trap to stderr
  --stats                print instructions, cycles (with the timing profile) and MIPS to stderr
  --timing P             cycle model (docs/timing.md): default (Rocket-like core, 16 ASID bits;
                         the default), rocket2019 (no ASIDs), off (one cycle per instruction,
                         fastest: the block tier only runs with timing off)
  --ram MiB              RAM size (default 128)
Exit codes: the guest's; 124 instruction limit; 2 a file that cannot be loaded; 3 the guest is
idle in WFI with nothing left to wake it.`;

export const runCommand: Command = {
  name: 'run',
  summary: 'run an ELF file on the emulated board (UART on stdio, exit code from the guest)',
  usage: USAGE,
  async run(args) {
    const o = parseOptions(args, ['--max-instructions', '--timing', '--ram'], ['--trace', '--stats']);
    if (o.error || o.positional.length !== 1) { console.error(`xpc run: ${o.error ?? 'one ELF file or system description expected'}\n${USAGE}`); return 2; }
    const timingText = o.values.get('--timing')?.at(-1) ?? 'default';
    if (!(TIMING_OPTIONS as readonly string[]).includes(timingText)) { console.error(`xpc run: --timing ${timingText}: expected one of ${TIMING_OPTIONS.join(', ')}`); return 2; }
    const timing = timingText as TimingOption;
    const limitText = o.values.get('--max-instructions')?.at(-1);
    const limit = limitText === undefined ? Infinity : Number(limitText);
    if (!(limit > 0) || !Number.isInteger(limit) && limit !== Infinity) { console.error(`xpc run: bad --max-instructions '${limitText}'`); return 2; }
    const ramMiB = Number(o.values.get('--ram')?.at(-1) ?? 128);
    if (!Number.isInteger(ramMiB) || ramMiB < 1 || ramMiB > 4096) { console.error('xpc run: --ram must be 1..4096 (MiB)'); return 2; }
    const file = o.positional[0];
    let bytes: Uint8Array;
    if (/\.json$/i.test(file)) {
      const built = buildSystem(file);
      if (!built.image) {
        for (const d of built.diagnostics) console.error(`${file}: ${formatSystemDiagnostic(d)}`);
        console.error(`xpc run: ${built.diagnostics.length} problem${built.diagnostics.length === 1 ? '' : 's'} in the system description; nothing runs`);
        return 2;
      }
      bytes = built.image.elf;
    } else {
      try { bytes = fs.readFileSync(file); } catch { console.error(`xpc run: cannot read ${file}`); return 2; }
    }

    const m = new Machine({ ramSize: ramMiB * 1024 * 1024, timing });
    try { m.load(bytes, file); } catch (e) {
      if (e instanceof LoadError) { console.error(`xpc run: ${e.message}`); return 2; }
      throw e;
    }
    const out: number[] = [];
    const flush = () => { if (out.length) { process.stdout.write(Buffer.from(out)); out.length = 0; } };
    m.onUartOutput((b) => { out.push(b); if (b === 10 || out.length > 4096) flush(); });
    const trace = o.flags.has('--trace');
    if (trace) {
      m.hart.onTrap = (t) => console.error(`trap: ${t.interrupt ? INTERRUPT_NAMES[t.cause] ?? `interrupt ${t.cause}` : CAUSE_NAMES[t.cause] ?? `cause ${t.cause}`} epc=0x${t.epc.toString(16)} tval=0x${BigInt.asUintN(64, t.tval).toString(16)} ${'USxM'[t.fromPriv]}→${'USxM'[t.toPriv]}`);
    }
    if (trace) {
      m.hart.xpc.onEvent = (e) => {
        switch (e.kind) {
          case 'xcall': console.error(`xpc: xcall #${e.id} domain ${e.from}→${e.to} (record at 0x${e.record.toString(16)})`); break;
          case 'xret': console.error(`xpc: xret domain ${e.from}→${e.to}`); break;
          case 'swapseg': console.error(`xpc: swapseg slot ${e.index}`); break;
          case 'prefetch': console.error(`xpc: prefetch x-entry ${e.id}`); break;
          case 'exception': console.error(`xpc: exception ${e.cause} (${CAUSE_NAMES[e.cause]}) tval=0x${e.tval.toString(16)}`); break;
        }
      };
    }
    const onStdin = (chunk: Buffer) => m.board.uart.pushInput(new Uint8Array(chunk));
    if (!process.stdin.isTTY) { process.stdin.on('data', onStdin); process.stdin.on('error', () => undefined); }

    const started = process.hrtime.bigint();
    let stop: StopReason;
    // Slices keep the event loop (stdin) served; --trace steps one instruction at a time.
    for (;;) {
      const left = limit - m.hart.steps;
      if (trace) {
        const pc = m.hart.pc;
        // Below M-mode the pc is virtual (a kernel or a process): read through the page table.
        const pa = m.hart.priv === 3 ? pc : m.hart.peekTranslate(pc, m.hart.satp);
        const off = pa === undefined ? -1 : m.ram.offset(pa, 4);
        const word = off >= 0 ? m.ram.view.getUint32(off, true) : undefined;
        const text = word === undefined ? '?' : formatInstruction(word, BigInt(pc))?.text ?? 'illegal';
        console.error(`${m.hart.steps}\t${'USxM'[m.hart.priv]}\t0x${BigInt.asUintN(64, BigInt(pc)).toString(16)}\t${text}`);
      }
      stop = m.run(trace ? Math.min(1, left) : Math.min(2_000_000, left));
      if (stop.kind !== 'limit' || m.hart.steps >= limit) break;
      await new Promise((r) => setImmediate(r));
    }
    const secs = Number(process.hrtime.bigint() - started) / 1e9;
    flush();
    process.stdin.off('data', onStdin);
    process.stdin.pause();
    if (o.flags.has('--stats')) {
      // The profile goes with the cycle figure (the line after it): cycles mean nothing without it.
      console.error(`instructions: ${m.hart.steps}`);
      console.error(`cycles: ${m.hart.cycles}`);
      console.error(`timing: ${m.timingProfile}`);
      console.error(`mips: ${(m.hart.steps / secs / 1e6).toFixed(1)}`);
      const c = m.hart.timing?.counters;
      if (c) {
        console.error(`timing events: I$ misses ${c.icacheMisses}, D$ misses ${c.dcacheMisses}, I-TLB misses ${c.itlbMisses}, D-TLB misses ${c.dtlbMisses}, mispredicts ${c.mispredicts}, flushes ${c.flushes}, interlock cycles ${c.interlockCycles}`);
      }
    }
    if (stop.kind === 'exit') return stop.code;
    if (stop.kind === 'limit') { console.error(`xpc run: stopped after ${m.hart.steps} instructions (--max-instructions)`); return 124; }
    console.error(`xpc run: the guest is idle (WFI) and nothing can wake it; stopped after ${m.hart.steps} instructions`);
    return 3;
  },
};
