// A generated, realistic assembly file for throughput measurements: a mix of ALU, memory,
// branch, call and pseudo-instructions with labels, comments and some data, like kernel code.

export function generateAsmCorpus(lines: number, seed = 1): string {
  let s = seed >>> 0;
  const rnd = (n: number) => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return (s >>> 8) % n; };
  const regs = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 's0', 's1', 't0', 't1', 't2', 'ra', 'sp', 'gp', 's2', 's3'];
  const r = () => regs[rnd(regs.length)];
  const out: string[] = ['\t.text', '\t.globl _start', '_start:'];
  let label = 0;
  while (out.length < lines - 8) {
    switch (rnd(20)) {
      case 0: out.push(`L${label++}:`); break;
      case 1: out.push(`\t# ${label} a comment line`); break;
      case 2: out.push(`\tli\t${r()}, ${rnd(100000) - 50000}`); break;
      case 3: out.push(`\tld\t${r()}, ${rnd(64) * 8}(sp)`); break;
      case 4: out.push(`\tsd\t${r()}, ${rnd(64) * 8}(sp)`); break;
      case 5: out.push(`\tbeq\t${r()}, ${r()}, L${label + rnd(3)}`); break;
      case 6: out.push(`\tbnez\t${r()}, L${Math.max(0, label - 1 - rnd(2))}`); break;
      case 7: out.push(`\tcall\tL${rnd(label + 1)}`); break;
      case 8: out.push(`\tla\t${r()}, data${rnd(4)}`); break;
      case 9: out.push(`\tmv\t${r()}, ${r()}`); break;
      case 10: out.push(`\tsub\t${r()}, ${r()}, ${r()}`); break;
      case 11: out.push(`\tslli\t${r()}, ${r()}, ${rnd(64)}`); break;
      case 12: out.push(`\tcsrr\t${r()}, sepc`); break;
      case 13: out.push(`\tlw\t${r()}, ${rnd(100) * 4 - 200}(${r()})  // load`); break;
      case 14: out.push(`\tmul\t${r()}, ${r()}, ${r()}`); break;
      default: out.push(`\taddi\t${r()}, ${r()}, ${rnd(4096) - 2048}`); break;
    }
  }
  // Forward branches may name up to two labels past the last one defined.
  out.push(`L${label}:`, `L${label + 1}:`, `L${label + 2}:`);
  out.push('\tret', '\t.data', 'data0: .dword 1, 2, 3', 'data1: .word 4', 'data2: .asciz "hello"', 'data3: .byte 1');
  return out.join('\n') + '\n';
}
