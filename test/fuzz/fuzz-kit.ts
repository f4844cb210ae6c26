// Shared pieces of the fuzz tests: a seeded generator (mulberry32: a fixed seed gives the same
// cases on every run), the case count (XPC_FUZZ_CASES), replay of one case (XPC_FUZZ_SEED), and
// text mutations for sources and JSON.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root (tests run from out/test/fuzz). */
export const ROOT = path.resolve(__dirname, '../../..');

export class Rng {
  private s: number;
  constructor(readonly seed: number) { this.s = seed | 0; }
  /** Uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number { return Math.floor(this.next() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  chance(p: number): boolean { return this.next() < p; }
}

/**
 * How many cases a fuzzer runs: its default under `npm test`, or XPC_FUZZ_CASES (e.g. 20000
 * for a long local run).
 */
export function caseCount(fallback: number): number {
  const n = Number(process.env.XPC_FUZZ_CASES);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** A test's time limit: `ms` under `npm test`, none for a long run asked for with XPC_FUZZ_CASES. */
export function fuzzTimeout(ms: number): number {
  return process.env.XPC_FUZZ_CASES ? 0 : ms;
}

/**
 * Runs `cases` cases with seeds base, base+1, …; each case draws everything from its own
 * generator, so XPC_FUZZ_SEED=<seed> replays exactly the failing one. A failure names the seed.
 */
export function runCases(name: string, base: number, cases: number, run: (rng: Rng, seed: number) => void): void {
  const replay = process.env.XPC_FUZZ_SEED;
  const seeds = replay !== undefined ? [Number(replay)] : Array.from({ length: cases }, (_, i) => base + i);
  for (const seed of seeds) {
    try {
      run(new Rng(seed), seed);
    } catch (e) {
      const detail = e instanceof Error ? e.stack ?? e.message : String(e);
      throw new Error(`${name}: case with seed ${seed} failed (replay: XPC_FUZZ_SEED=${seed} npx mocha --no-config out/test/fuzz/*.test.js)\n${detail}`);
    }
  }
}

/** Files under `dir` (recursively) whose names match. */
export function filesUnder(dir: string, match: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (match.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Pieces of assembly that provoke the assembler's edge cases. */
export const ASM_TOKENS: readonly string[] = [
  'addi', 'a0', 'x31', 'x32', 'zero', 'sp', ',', '(', ')', '%hi(', '%lo(', '%pcrel_hi(', '%pcrel_lo(', '1b', '1f', '2:', '.',
  '0x', '0xffffffffffffffff', '99999999999999999999999', '-2049', '2048', '4096', '-1', '1<<63', '/ 0', '% 0', "'", '"', '\\',
  '\\@', '\\()', '.macro', '.endm', '.endr', '.rept', '.irp', '.irpc', '.if', '.ifdef', '.else', '.elseif', '.endif', '.exitm',
  '.include', '.set', '.equ', '=', '.section', '.text', '.data', '.bss', '.align', '.balign', '.p2align', '.org', '.space', '.fill',
  '.word', '.dword', '.byte', '.ascii', '.asciz', '.string', '.option', 'push', 'pop', 'norvc', 'rvc', '.globl', '.type', '.size',
  '.comm', '.insn', '.uleb128', '.sleb128', 'li', 'la', 'call', 'tail', 'j', 'beqz', 'csrr', 'csrw', 'mstatus', 'xcall', 'xret',
  'swapseg', 'lr.w.aqrl', 'c.addi', 'fence', 'ecall', '#', '//', '/*', '*/', ';', '\t', ' ', '\u00e9', '\u{1F600}', '\u0000',
  '\r', '\ufeff', '\ud800', '#define', '#include', '#if', '#ifdef', '#endif', '#else', '#undef', '##', '__LINE__', 'defined(',
];

/** Lines that are well-formed on their own but push a limit or unbalance a block. */
export const ASM_HOSTILE_LINES: readonly string[] = [
  '.rept 1000000', '.rept -1', '.rept 0x7fffffffffffffff', '.endr', '.macro m a', '.endm', '.if 1', '.endif', '.else',
  '.space 0x10000000', '.space 0x7fffffff', '.space -1', '.fill 0x1000000, 8, 1', '.org 0x7fffffff', '.org -1',
  '.balign 0x40000000', '.p2align 30', '.p2align 64', '.align 31', '.comm big, 0x7fffffffff', '.comm neg, -8',
  '.irp x, 1,2,3,4,5,6,7,8,9,10', '.irpc c, abcdefghijklmnopqrstuvwxyz', '.exitm', '.purgem m', '.include "fuzz-self.s"',
  '#include "fuzz-self.S"', '.error "boom"', '.warning "hm"', '.option pop', '.option arch, +zzz', '.section .weird, "awx", @nobits',
  '.insn r 0x33, 0, 0, a0, a1, a2', '.insn i 0x13, 0, a0, a1, 99999', 'addi a0, a0, 4096', 'slli a0, a0, 64', 'lui a0, 0x100000',
  'li a0, 0x123456789abcdef0', 'beq a0, a1, .+0x100000', 'jal .+0x200000', 'csrw 0x1000, a0', 'csrw cycle, a0', 'c.addi a0, 0',
  'x = x + 1', 'y = z', 'z = y', '.equ q, q', '.set v, 1/0', '.word 1 % 0', '.sleb128 -99999999999999999999',
  '.macro r\nr\nr\n.endm\nr', '.macro g a\ng \\a\\a\n.endm\ng x', '1: j 1f', '.type f, @function', '.size f, .-f',
];

/** Applies `count` random line- and character-level mutations to a source text. */
export function mutateSource(rng: Rng, text: string, count: number): string {
  let lines = text.split('\n');
  for (let k = 0; k < count; k++) {
    const at = rng.int(lines.length + 1);
    switch (rng.int(12)) {
      case 0: lines.splice(at, 1); break;
      case 1: if (lines.length) lines.splice(at, 0, lines[rng.int(lines.length)]); break;
      case 2: { const b = rng.int(lines.length); const t = lines[at] ?? ''; lines[at] = lines[b] ?? ''; lines[b] = t; break; }
      case 3: { const cut = rng.int(text.length + 1); lines = lines.join('\n').slice(0, cut).split('\n'); break; }
      case 4: {
        const l = lines[at] ?? '';
        const c = rng.int(l.length + 1);
        lines[at] = l.slice(0, c) + rng.pick(ASM_TOKENS) + l.slice(c);
        break;
      }
      case 5: lines.splice(at, 0, rng.pick(ASM_HOSTILE_LINES)); break;
      case 6: {
        // Numbers out of range: a number in the line becomes a huge or negative one.
        const l = lines[at] ?? '';
        lines[at] = l.replace(/\b\d+\b/, () => rng.pick(['4096', '-2049', '0x80000000', '18446744073709551616', '-9223372036854775809', '1e9', '0b2', '09']));
        break;
      }
      case 7: {
        // A register or mnemonic swapped for another word of the language.
        const l = lines[at] ?? '';
        lines[at] = l.replace(/\b[a-z][a-z0-9.]*\b/, () => rng.pick(ASM_TOKENS));
        break;
      }
      case 8: {
        const l = lines[at] ?? '';
        const c = rng.int(l.length + 1);
        lines[at] = l.slice(0, c) + String.fromCharCode(rng.pick([0, 1, 8, 12, 13, 27, 0x7f, 0xa0, 0x2028, 0xd800, 0xdc00, 0xfeff, 0xfffd, rng.int(0x10000)])) + l.slice(c);
        break;
      }
      case 9: {
        // Random characters spliced from elsewhere in the file.
        const l = lines[at] ?? '';
        const src = lines[rng.int(lines.length)] ?? '';
        const from = rng.int(src.length + 1);
        lines[at] = l.slice(0, rng.int(l.length + 1)) + src.slice(from, from + 1 + rng.int(20));
        break;
      }
      case 10: lines.splice(at, rng.int(8)); break;
      default: {
        // A block opener or closer without its partner.
        lines.splice(at, 0, rng.pick(['.macro u', '.endm', '.rept 3', '.endr', '.if 0', '.endif', '.else', '#if 1', '#endif', '#else', '/*', '*/', '.irp i, 1, 2', '"']));
      }
    }
  }
  return lines.join('\n');
}

/** runCases for asynchronous cases (a fuzzer that talks to a process): one seed at a time, in order. */
export async function runCasesAsync(name: string, base: number, cases: number, run: (rng: Rng, seed: number) => Promise<void>): Promise<void> {
  const replay = process.env.XPC_FUZZ_SEED;
  const seeds = replay !== undefined ? [Number(replay)] : Array.from({ length: cases }, (_, i) => base + i);
  for (const seed of seeds) {
    try {
      await run(new Rng(seed), seed);
    } catch (e) {
      const detail = e instanceof Error ? e.stack ?? e.message : String(e);
      throw new Error(`${name}: case with seed ${seed} failed (replay: XPC_FUZZ_SEED=${seed} npx mocha --no-config out/test/fuzz/*.test.js)\n${detail}`);
    }
  }
}
