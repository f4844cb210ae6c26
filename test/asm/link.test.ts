import { strict as assert } from 'node:assert';
import { build, LAYOUTS, parseLayout } from '../../language/asm';
import { asm, errorText } from './helpers';

function buildFiles(files: Record<string, string>, layout = LAYOUTS.bare) {
  const host = {
    readFile: (p: string) => files[p],
    resolveInclude: (name: string) => (files[name] !== undefined ? name : undefined),
  };
  return build(Object.keys(files).map((path) => ({ path })), { host, layout });
}

describe('linker', () => {
  it('bare layout: start-up code first at 0x80000000, then text, rodata, data, bss', () => {
    const a = asm('.text\nf: ret\n.section .text.init,"ax"\n.globl _start\n_start: j f\n.rodata\nr: .byte 1\n.data\nd: .byte 2\n.bss\nb: .skip 8\n');
    assert.equal(errorText(a), '');
    assert.equal(a.symbol('_start'), 0x80000000n);
    assert.equal(a.image!.entry, 0x80000000n);
    const names = a.image!.sections.map((s) => s.name);
    assert.deepEqual(names, ['.text', '.rodata', '.data', '.bss']);
    const addrs = a.image!.sections.map((s) => s.addr);
    assert.ok(addrs.every((x, i) => i === 0 || x >= addrs[i - 1]));
  });

  it('user layout: code from 0x10000 and every section on its own pages', () => {
    const a = asm('.globl _start\n_start: ret\n.data\nd: .word 1\n', { layout: LAYOUTS.user });
    assert.equal(errorText(a), '');
    const [text, data] = a.image!.sections;
    assert.equal(text.addr, 0x10000n);
    assert.equal(data.addr % 4096n, 0n);
    assert.ok(data.addr >= text.addr + 4096n);
  });

  it('reads a layout file with addresses, alignment and an entry symbol', () => {
    const r = parseLayout('# layout\nbase 0x80200000\nalign 64\nsection .text .text .text.*\nsection .data at 0x80300000 .data\nentry main\n', 'x.ld');
    assert.deepEqual(r.diagnostics, []);
    const a = asm('main: nop\n.data\nv: .byte 1\n', { layout: r.layout });
    assert.equal(errorText(a), '');
    assert.equal(a.image!.entry, 0x80200000n);
    assert.equal(a.symbol('v'), 0x80300000n);
  });

  it('reports bad layout statements with their line', () => {
    const r = parseLayout('base\nfrobnicate 3\nalign 3\n', 'bad.ld');
    assert.equal(r.layout, undefined);
    assert.deepEqual(r.diagnostics.map((d) => `${d.file}:${d.line}`), ['bad.ld:1', 'bad.ld:2', 'bad.ld:3']);
  });

  it('resolves globals across files and keeps locals private', () => {
    const r = buildFiles({
      'a.s': '.globl _start\n_start: call helper\nlocal: nop\n',
      'b.s': '.globl helper\nhelper: j local\nlocal: ret\n',
    });
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    const locals = r.image!.symbols.filter((s) => s.name === 'local');
    assert.equal(locals.length, 2);
    assert.ok(locals.every((s) => s.bind === 'local'));
  });

  it('reports multiple definitions and a missing entry symbol', () => {
    const r = buildFiles({ 'a.s': '.globl f\nf: ret\n', 'b.s': '.globl f\nf: ret\n' });
    assert.match(r.diagnostics.map((d) => d.message).join('\n'), /multiple definitions of 'f'/);
    const l = parseLayout('entry nowhere\n', 'e.ld');
    const a = asm('nop\n', { layout: l.layout });
    assert.match(errorText(a), /entry symbol 'nowhere' is not defined/);
  });

  it('weak definitions yield to strong ones', () => {
    const r = buildFiles({ 'a.s': '.weak f\nf: nop\n.data\n.dword f\n', 'b.s': '.globl f\nnop\nf: ret\n' });
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    const f = r.image!.symbols.find((s) => s.name === 'f' && s.bind === 'global')!;
    assert.ok(f.value > 0x80000000n);
  });

  it('range-checks fixups at link time and names the instruction', () => {
    // .insn is never relaxed, so a far target is an error the linker reports at the instruction.
    const a = asm('nop\n.insn b 0x63, 0, a0, a1, far\n.skip 8192\nfar: nop\n');
    assert.match(errorText(a), /test\.s:2:\d+: error: branch target out of range/);
    assert.match(errorText(asm('.data\n.byte sym\n.equ sym, 0x1234\n')), /does not fit in 1 byte/);
  });

  it('provides linker symbols when the program does not define them', () => {
    const a = asm('la a0, _end\nla a1, __bss_start\n.bss\n.skip 16\n');
    assert.equal(errorText(a), '');
    const bss = a.image!.sections.find((s) => s.name === '.bss')!;
    assert.equal(bss.size, 16n);
  });
});

describe('build: robustness', () => {
  it('never throws on random .S input (preprocessor + assembler + linker)', () => {
    let seed = 99;
    const rnd = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
    const pieces = ['#define A(x) x+1\n', '#if A(1)\n', '#endif\n', '#include "x.h"\n', 'li a0, A(', ')\n', '.globl _start\n', '_start:', 'call _start\n', '.data\n', '.word _start - .\n', '\\\n', '/*', '*/', '"', "'", '%pcrel_lo(', 'la a0, _start\n'];
    for (let i = 0; i < 500; i++) {
      let s = '';
      for (let k = rnd(40); k > 0; k--) s += rnd(3) === 0 ? String.fromCharCode(rnd(128)) : pieces[rnd(pieces.length)];
      const host = { readFile: (p: string) => (p === 'x.h' ? '#define B 2\nnop\n' : p === 'f.S' ? s : undefined), resolveInclude: (n: string) => (n === 'x.h' ? n : undefined) };
      build([{ path: 'f.S' }], { host });
    }
  });
});
