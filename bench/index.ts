// `npm run bench`: throughput figures and ratios against targets, measured in one run.

import { build } from '../language/asm';
import { generateAsmCorpus } from './asm-corpus';

interface Result { name: string; value: number; unit: string; target?: number }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function benchAssembler(): Result[] {
  const lines = 100_000;
  const text = generateAsmCorpus(lines);
  const run = () => {
    const t0 = process.hrtime.bigint();
    const r = build([{ path: 'bench.s', text }]);
    const t1 = process.hrtime.bigint();
    if (!r.image) throw new Error(`bench corpus failed to assemble: ${r.diagnostics[0]?.message}`);
    return Number(t1 - t0) / 1e9;
  };
  // Warm-up: JIT tiers and inline caches settle over the first runs.
  for (let i = 0; i < 3; i++) run();
  const times = Array.from({ length: 9 }, run);
  const secs = median(times);
  const best = Math.min(...times);
  return [
    { name: `assemble+link ${lines.toLocaleString('en')}-line file (median of 9)`, value: lines / secs, unit: 'lines/s', target: 500_000 },
    { name: `assemble+link ${lines.toLocaleString('en')}-line file (best of 9)`, value: lines / best, unit: 'lines/s', target: 500_000 },
    { name: 'assemble+link time (median of 9)', value: secs * 1000, unit: 'ms' },
  ];
}

function main(): void {
  const results = benchAssembler();
  for (const r of results) {
    const ratio = r.target ? `  ratio to target ${(r.value / r.target).toFixed(2)} (target ${r.target.toLocaleString('en')} ${r.unit})` : '';
    console.log(`${r.name}: ${Math.round(r.value).toLocaleString('en')} ${r.unit}${ratio}`);
  }
}

main();
