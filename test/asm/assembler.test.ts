import { strict as assert } from 'node:assert';
import { asm, errorText } from './helpers';

// Expected encodings below were taken from GNU as 2.40 (-march=rv64imac_zicsr_zifencei -mno-relax).

describe('assembler: instructions', () => {
  it('encodes base instructions and compresses them where GNU as does', () => {
    const a = asm('addi sp, sp, 16\naddi sp, sp, -64\nadd a0, a1, a0\nand s0, s1, s0\nsub a0, a0, a0\naddi a0, a0, 0\n');
    assert.equal(errorText(a), '');
    assert.deepEqual(a.words(), ['0141', '7139', '952e', '8c65', '8d09', '852a']);
  });

  it('keeps the 4-byte form under .option norvc and restores with .option pop', () => {
    const a = asm('.option push\n.option norvc\naddi a0, a0, 1\n.option pop\naddi a0, a0, 1\n');
    assert.deepEqual(a.words(), ['00150513', '0505']);
  });

  it('accepts explicit compressed mnemonics and refuses operands they cannot encode', () => {
    assert.deepEqual(asm('c.addi a0, 1\nc.lw a0, 4(a1)\nc.j 0x80000000\n').words().slice(0, 2), ['0505', '41c8']);
    const bad = asm('c.lw a0, 4(t0)\n');
    assert.match(errorText(bad), /test\.s:1:\d+: error: c\.lw: operand \d must be one of x8-x15/);
  });

  it('encodes the XPC instructions from the table', () => {
    assert.deepEqual(asm('.option norvc\nxcall a0\nxret\nswapseg a1\n').words(), ['0005000b', '0000100b', '0005a00b']);
  });

  it('encodes CSR instructions with names and numbers', () => {
    assert.deepEqual(asm('csrrw a0, mstatus, a1\ncsrr a0, 0x5c0\ncsrw xctl, a1\ncsrwi sscratch, 5\n').words(),
      ['30059573', '5c002573', '5c959073', '1402d073']);
  });

  it('encodes loads, stores and atomics with offset(base) syntax', () => {
    assert.deepEqual(asm('.option norvc\nld a0, -8(sp)\nsd a1, 16(s0)\nlr.w.aq t0, (a0)\namoadd.d a0, a1, (a2)\nlw a0, (a1)\n').words(),
      ['ff813503', '00b43823', '140522af', '00b6352f', '0005a503']);
  });
});

describe('assembler: pseudo-instructions', () => {
  const li = (v: string) => asm(`li a0, ${v}\n`).words();
  it('li chooses the instruction sequence of GNU as', () => {
    assert.deepEqual(li('0'), ['4501']);
    assert.deepEqual(li('5'), ['4515']);
    assert.deepEqual(li('2047'), ['7ff00513']);
    assert.deepEqual(li('-2048'), ['80000513']);
    assert.deepEqual(li('2048'), ['6505', '8005051b']);
    assert.deepEqual(li('0x1000'), ['6505']);
    assert.deepEqual(li('0x80000000'), ['0010051b', '057e']);
    assert.deepEqual(li('0xffffffff'), ['0010051b', '1502', '157d']);
    assert.deepEqual(li('0x123456789abcdef0'), ['00247537', '8ad5051b', '053a', 'c4d50513', '0532', '5e750513', '0536', 'ef050513']);
    assert.deepEqual(li('-0x8000000000000000'), ['fff0051b', '157e']);
  });

  it('expands the small aliases', () => {
    assert.deepEqual(asm('nop\nmv a0, a1\nret\nunimp\nnot a0, a1\nneg a0, a1\nseqz a0, a1\nsnez a0, a1\nsext.w a0, a0\n').words(),
      ['0001', '852e', '8082', '0000', 'fff5c513', '40b00533', '0015b513', '00b03533', '2501']);
  });

  it('la, call and tail are pc-relative pairs resolved by the linker', () => {
    const a = asm('la a0, msg\ncall f\ntail f\nf: ret\n.data\nmsg: .asciz "hi"\n');
    assert.equal(errorText(a), '');
    const w = a.words();
    // auipc a0, hi; addi a0, a0, lo — msg sits in .data after .text.
    const msg = a.symbol('msg')!;
    const hi = BigInt.asIntN(32, BigInt(parseInt(w[0], 16) & 0xfffff000));
    const lo = BigInt.asIntN(12, BigInt(parseInt(w[1], 16) >>> 20));
    assert.equal(0x80000000n + hi + lo, msg);
    assert.deepEqual(w.slice(2, 6), ['00000097', '010080e7', '00000317', '00830067']);
  });

  it('branch aliases swap or zero operands like GNU as', () => {
    const a = asm('.option norvc\n1: bgt a0, a1, 1b\nble a0, a1, 1b\nbgtz a0, 1b\nblez a0, 1b\nbltz a0, 1b\nbgez a0, 1b\n');
    assert.deepEqual(a.words(), ['00a5c063', 'fea5dee3', 'fea04ce3', 'fea05ae3', 'fe0548e3', 'fe0556e3']);
  });

  it('relaxes branches: compressed near, inverted over a jal when far, 8 bytes to other sections', () => {
    const a = asm('beq a0, a1, ext\nbeqz s0, ext\nbnez s0, 2f\nj 2f\nbeqz s0, 3f\n.skip 5000\n3: nop\n2: nop\n.section .text.other,"ax"\next: nop\n');
    assert.equal(errorText(a), '');
    const w = a.words();
    // bne over a jal (target in another section), twice; c.beqz over a jal (too far for a
    // branch); a plain jal; c.bnez over a jal.
    assert.equal(w.length, 9 + 2500 + 2 + 1);
    assert.deepEqual([w[0], w[2], w[4], w[7]], ['00b51463', '00041463', 'c019', 'e019']);
    for (const i of [1, 3, 5, 6, 8]) assert.equal(w[i].slice(-3), '06f', `word ${i} is a jal x0`);
  });
});

describe('assembler: directives', () => {
  it('emits data of every width, little-endian', () => {
    const a = asm('.data\n.byte 1, -1\n.half 0x1234\n.2byte 2\n.word 0x11223344\n.dword -2\n.quad 1\n');
    assert.equal(a.hex('.data'), '01ff3412020044332211feffffffffffffff0100000000000000');
  });

  it('emits strings with escapes', () => {
    assert.equal(asm('.data\n.ascii "a\\n"\n.asciz "b"\n.string "\\x41\\101"\n').hex('.data'), '610a6200414100');
  });

  it('aligns with .align (power of two), .p2align and .balign, with a fill byte', () => {
    assert.equal(asm('.data\n.byte 1\n.align 2\n.byte 2\n.balign 8, 0xee\n.byte 3\n.p2align 1\n.byte 4\n').hex('.data'), '0100000002eeeeee030004');
  });

  it('pads code with c.nop and nop, and the end of .text to its alignment (as GNU as)', () => {
    assert.deepEqual(asm('c.nop\n.align 3\nc.nop\n').words(), ['0001', '0001', '00000013', '0001', '0001', '00000013']);
  });

  it('reserves space with .zero, .space and .skip, and .bss takes no file bytes', () => {
    const a = asm('.data\n.zero 3\n.space 2, 7\n.bss\nbuf: .skip 64\n');
    assert.equal(a.hex('.data'), '0000000707');
    const bss = a.image!.sections.find((s) => s.name === '.bss')!;
    assert.equal(bss.size, 64n);
    assert.equal(bss.data.length, 0);
  });

  it('defines constants with .equ/.set/= and lets .set redefine', () => {
    const a = asm('.equ N, 3\nX = N * 2\n.set Y, 1\n.data\n.byte N, X, Y\n.set Y, Y + 1\n.byte Y\n');
    assert.equal(a.hex('.data'), '03060102');
  });

  it('expands macros with named, default and vararg parameters and \\@', () => {
    const src = ['.macro pair a, b=7', '.byte \\a, \\b', '.endm', '.macro all first, rest:vararg', '.byte \\first', '.byte \\rest', '.endm',
      '.macro uniq', 'L\\@: .byte 9', '.endm', '.data', 'pair 1', 'pair 2, 3', 'pair b=5, a=4', 'all 1, 2, 3', 'uniq', 'uniq'].join('\n');
    const a = asm(src);
    assert.equal(errorText(a), '');
    assert.equal(a.hex('.data'), '01070203040501020309' + '09');
  });

  it('repeats with .rept, .irp and .irpc', () => {
    assert.equal(asm('.data\n.rept 3\n.byte 1\n.endr\n.irp v, 4, 5\n.byte \\v\n.endr\n.irpc c, 89\n.byte \\c\n.endr\n').hex('.data'), '0101010405' + '0809');
  });

  it('assembles conditionally with .if/.elseif/.else, .ifdef and .ifc', () => {
    const src = '.equ A, 2\n.data\n.if A == 1\n.byte 1\n.elseif A == 2\n.byte 2\n.else\n.byte 3\n.endif\n.ifdef A\n.byte 4\n.endif\n.ifndef B\n.byte 5\n.endif\n.ifc x,x\n.byte 6\n.endif\n';
    assert.equal(asm(src).hex('.data'), '02040506');
  });

  it('includes files with .include, searching -I directories', () => {
    const a = asm('.include "inc/defs.s"\n.data\n.byte K\n', { files: { 'lib/inc/defs.s': '.equ K, 42\n' }, includeDirs: ['lib'] });
    assert.equal(errorText(a), '');
    assert.equal(a.hex('.data'), '2a');
  });

  it('accepts .file, .ident, .attribute, .type, .size, .cfi_* as GCC emits them', () => {
    const a = asm('.file "x.c"\n.attribute arch, "rv64i2p1"\n.globl f\n.type f, @function\nf:\n.cfi_startproc\nret\n.cfi_endproc\n.size f, .-f\n.ident "GCC"\n');
    assert.equal(errorText(a), '');
    const f = a.image!.symbols.find((s) => s.name === 'f')!;
    assert.equal(f.type, 'func');
    assert.equal(f.size, 2n);
    assert.equal(f.bind, 'global');
  });

  it('encodes .insn r/i/s/b/u/j forms', () => {
    assert.deepEqual(asm('.insn r 0x0b, 0, 0, x0, a0, x0\n.insn i 0x13, 0, a0, a1, 5\n.insn u 0x37, a0, 0x12\n').words(), ['0005000b', '00558513', '00012537']);
  });
});

describe('assembler: expressions', () => {
  it('follows gas precedence and 64-bit arithmetic', () => {
    assert.equal(asm('.data\n.word 2+3&1, 1+1<<2, 7-2-1, 2*3%4, (1==1), -7/2, 1<>2\n').hex('.data'),
      '03000000' + '05000000' + '04000000' + '02000000' + 'ffffffff' + 'fdffffff' + 'ffffffff');
  });

  it('resolves label differences after relaxation and local labels 1b/1f', () => {
    const a = asm('s: nop\nbeqz s0, 1f\nnop\n1: nop\nbnez s0, 1b\ne:\n.data\n.word e - s\n');
    assert.equal(errorText(a), '');
    assert.deepEqual(a.words(), ['0001', 'c011', '0001', '0001', 'fc7d']);
    assert.equal(a.hex('.data'), '0a000000');
  });

  it('applies %hi/%lo and %pcrel_hi/%pcrel_lo', () => {
    const a = asm('.option norvc\nlui a0, %hi(0x12345fff)\naddi a0, a0, %lo(0x12345fff)\n1: auipc a1, %pcrel_hi(v)\nld a1, %pcrel_lo(1b)(a1)\n.data\n.skip 0x9f0\nv: .dword 0\n');
    assert.equal(errorText(a), '');
    const v = a.symbol('v')!;
    const w = a.words().map((x) => parseInt(x, 16));
    assert.deepEqual(a.words().slice(0, 2), ['12346537', 'fff50513']);
    const pc = 0x80000008n;
    assert.equal(pc + BigInt.asIntN(32, BigInt(w[2] & 0xfffff000)) + BigInt.asIntN(12, BigInt(w[3] >>> 20)), v);
  });

  it('refuses %hi of an address that lui cannot reach (not a sign-extended 32-bit value)', () => {
    assert.match(errorText(asm('lui a0, %hi(v)\n.data\nv: .word 0\n')), /test\.s:1:\d+: error: %hi value 0x8000[0-9a-f]+ out of range/);
  });
});

describe('assembler: errors', () => {
  it('reports every error of a run with file:line:col and produces no image', () => {
    const a = asm('nop\nfoo a0\naddi a0, a0, 5000\nlw a0, 4(q9)\n');
    assert.equal(a.image, undefined);
    const t = errorText(a);
    assert.match(t, /^test\.s:2:1: error: unknown instruction 'foo'/m);
    assert.match(t, /^test\.s:3:\d+: error: addi: immediate 5000 out of range \(-2048\.\.2047\)/m);
    assert.match(t, /^test\.s:4:\d+: error: 'q9' is not a register/m);
  });

  it('reports an undefined symbol at each use', () => {
    const t = errorText(asm('la a0, nowhere\nj nowhere\n'));
    assert.match(t, /test\.s:1:\d+: error: undefined symbol 'nowhere'/);
    assert.match(t, /test\.s:2:\d+: error: undefined symbol 'nowhere'/);
  });

  it('names the macro expansion chain', () => {
    const t = errorText(asm('.macro bad\naddi a0, a0, 99999\n.endm\nbad\n'));
    assert.match(t, /test\.s:2:\d+: error: addi: immediate 99999 out of range/);
    assert.match(t, /in expansion of macro 'bad' at test\.s:4:1/);
  });

  it('names the include chain', () => {
    const t = errorText(asm('.include "x.s"\n', { files: { 'x.s': 'nop\nbogus\n' } }));
    assert.match(t, /x\.s:2:1: error: unknown instruction 'bogus'\n {2}included from test\.s:1:1/);
  });

  it('reports unterminated structures', () => {
    assert.match(errorText(asm('.macro m\nnop\n')), /missing \.endm/);
    assert.match(errorText(asm('.if 1\nnop\n')), /\.if without \.endif/);
    assert.match(errorText(asm('.endif\n')), /\.endif without \.if/);
    assert.match(errorText(asm('.rept 2\nnop\n')), /missing \.endr/);
  });

  it('reports duplicate labels, branch ranges and bad directives', () => {
    assert.match(errorText(asm('a: nop\na: nop\n')), /symbol 'a' is already defined/);
    assert.match(errorText(asm('.frobnicate 1\n')), /unknown directive '\.frobnicate'/);
    assert.match(errorText(asm('.data\n.byte x\n')), /undefined symbol 'x'/);
    assert.match(errorText(asm('.bss\n.byte 1\n')), /non-zero value in section \.bss/);
    assert.match(errorText(asm('li a0, undefined_thing\n')), /li needs a constant/);
  });

  it('warns where GNU as warns: truncated data', () => {
    const a = asm('.data\n.byte 256\n');
    assert.equal(a.errors.length, 0);
    assert.match(a.warnings[0].message, /truncated/);
  });

  it('never throws on random input: errors are the only outcome', () => {
    let seed = 12345;
    const rnd = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 ,.()%:#"\'\\/*-+<>=!~&|^\n\t;@$[]{}';
    const pieces = ['.macro ', '.endm\n', '.rept 3\n', '.endr\n', '.if ', '.endif\n', 'li a0, ', 'beqz s0, 1f\n', '1:', '%hi(', '.irp x,', '\\x', 'la a0, ', '.include "', '.align 40\n', '.equ q, q+1\n'];
    for (let i = 0; i < 1500; i++) {
      let s = '';
      const n = rnd(80);
      for (let k = 0; k < n; k++) s += rnd(5) === 0 ? pieces[rnd(pieces.length)] : alphabet[rnd(alphabet.length)];
      for (let k = 0; k < rnd(4); k++) s += String.fromCharCode(rnd(0x3000));
      asm(s); // must return, with or without diagnostics
    }
  });
});
