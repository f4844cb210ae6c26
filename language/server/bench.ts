// Benchmark of the language server's hot paths, for bench/index.ts: diagnostics of a
// 10,000-line file (assembler run, scan index and conversion, as after an edit) and a
// completion request in it. Targets: 50 ms and 10 ms after warm-up.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { completion } from './completion';
import { diagnose } from './diagnostics';
import { documentSystemDiagnostics } from './system-features';
import { DEFAULT_SETTINGS, Workspace } from './workspace';

export interface BenchResult { readonly name: string; readonly value: number; readonly unit: string; readonly target?: number }

/** A realistic file: macros, constants, functions with loops, calls, CSR accesses and data. */
export function benchSource(lines: number): string {
  const out = [
    '        .equ    UART_BASE, 0x10000000',
    '        .macro  push reg',
    '        addi    sp, sp, -8',
    '        sd      \\reg, 0(sp)',
    '        .endm',
    '        .text',
  ];
  for (let f = 0; out.length < lines - 4; f++) {
    out.push(
      `        .globl  fn${f}`,
      `fn${f}:  push    ra`,
      `        li      t0, ${f * 7 + 1}`,
      '.Lloop' + f + ':',
      '        addi    t0, t0, -1          # count down',
      `        lw      a1, 8(sp)`,
      `        csrr    a2, mstatus`,
      `        bnez    t0, .Lloop${f}`,
      `        la      a0, data${f % 50}`,
      f > 0 ? `        call    fn${f - 1}` : '        nop',
      '        ret',
    );
  }
  out.push('        .data');
  for (let d = 0; d < 50; d++) out.push(`data${d}: .word ${d}`);
  return out.slice(0, Math.max(lines, 60)).join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

export function benchLanguageServer(lines = 10_000): BenchResult[] {
  const ws = new Workspace({ ...DEFAULT_SETTINGS, debounceMs: 0 });
  const uri = 'file:///bench/bench.s';
  const base = benchSource(lines);
  let version = 0;
  const edit = () => {
    // Each run sees a new version, as after a keystroke: nothing is served from the caches.
    ws.setText(uri, base + `# edit ${++version}\n`, version);
    return uri.slice('file://'.length);
  };
  const timeDiagnostics = () => {
    const p = edit();
    const t0 = process.hrtime.bigint();
    const ds = diagnose(ws, p);
    ws.index(p);
    const t1 = process.hrtime.bigint();
    if (ds.length) throw new Error(`bench source has diagnostics: ${ds[0].message}`);
    return Number(t1 - t0) / 1e6;
  };
  for (let i = 0; i < 5; i++) timeDiagnostics();
  const diag = Array.from({ length: 9 }, timeDiagnostics);

  // Completion after the analysis of the current version, at an operand and at a mnemonic.
  const p = uri.slice('file://'.length);
  const midLine = Math.floor(lines / 2);
  const timeCompletion = (character: number) => {
    const t0 = process.hrtime.bigint();
    const r = completion(ws, p, { line: midLine, character }, true);
    const t1 = process.hrtime.bigint();
    if (!r.items.length) throw new Error('bench completion returned nothing');
    return Number(t1 - t0) / 1e6;
  };
  for (let i = 0; i < 20; i++) { timeCompletion(8); timeCompletion(16); }
  const compOp = Array.from({ length: 21 }, () => timeCompletion(8));
  const compArg = Array.from({ length: 21 }, () => timeCompletion(16));
  const n = lines.toLocaleString('en');
  const system = benchSystemChecks(base);
  return [
    { name: `language server: diagnostics of a ${n}-line file (median of 9)`, value: median(diag), unit: 'ms', target: 50 },
    { name: `language server: completion of a mnemonic in a ${n}-line file (median of 21)`, value: median(compOp), unit: 'ms', target: 10 },
    { name: `language server: completion of an operand in a ${n}-line file (median of 21)`, value: median(compArg), unit: 'ms', target: 10 },
    { name: `language server: system-description checks of a ${n}-line process source, beyond assembling it (median of 9)`, value: system, unit: 'ms' },
  ];
}

/**
 * The cost the system description adds to a diagnostics run of a process source (its XENTRY_
 * uses checked against the grants, after a new generation re-stats the description): the
 * source is the benchmark file with every third `li` loading an x-entry id, in a temporary folder.
 */
function benchSystemChecks(base: string): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-ls-bench-'));
  try {
    const file = path.join(dir, 'big.S');
    let k = 0, uses = 0;
    const text = base.replace(/li {6}t0, \d+/g, (m) => (k++ % 3 ? m : (uses++, 'li      t0, XENTRY_ECHO')));
    fs.writeFileSync(file, text);
    fs.writeFileSync(path.join(dir, 'system.json'), JSON.stringify({
      processes: [{ name: 'big', sources: ['big.S'] }, { name: 'server', sources: [] }],
      xEntries: [{ name: 'echo', process: 'server', handler: 'echo_entry' }],
    }));
    const ws = new Workspace({ ...DEFAULT_SETTINGS, debounceMs: 0 });
    const times: number[] = [];
    for (let v = 1; v <= 14; v++) {
      ws.setText(`file://${file}`, `${text}# edit ${v}\n`, v);
      ws.refreshSystems();
      // The assembler run and the scan index are every diagnostics run's anyway.
      ws.assemble(file);
      ws.index(file);
      const t0 = process.hrtime.bigint();
      const ds = documentSystemDiagnostics(ws, file);
      const t1 = process.hrtime.bigint();
      if (ds.length !== uses) throw new Error(`bench system checks: ${ds.length} warnings for ${uses} ungranted uses`);
      if (v > 5) times.push(Number(t1 - t0) / 1e6);
    }
    return median(times);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  for (const r of benchLanguageServer()) console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit}${r.target ? ` (target ${r.target})` : ''}`);
}
