import { strict as assert } from 'node:assert';
import { imageToElf } from '../../language/asm';
import { readElf } from '../../emulator/elf/elf-reader';
import { readDebugLine } from '../../emulator/elf/dwarf-line';
import { asm, errorText } from './helpers';

describe('assembler: more directives', () => {
  it('.fill repeats values of a given size', () => {
    assert.equal(asm('.data\n.fill 2, 2, 0x1234\n.fill 3\n').hex('.data'), '34123412000000');
  });

  it('.uleb128 and .sleb128', () => {
    assert.equal(asm('.data\n.uleb128 624485\n.sleb128 -123456\n.sleb128 63\n.sleb128 64\n').hex('.data'), 'e58e26' + 'c0bb78' + '3f' + 'c000');
  });

  it('.section with flags, .pushsection/.popsection and .previous', () => {
    const a = asm('.section .mydata, "aw", @progbits\n.byte 1\n.text\nnop\n.pushsection .rodata\n.byte 2\n.popsection\nnop\n.previous\n.byte 3\n');
    assert.equal(errorText(a), '');
    assert.equal(a.hex('.mydata'), '0103');
    assert.equal(a.hex('.rodata'), '02');
    assert.deepEqual(a.words(), ['0001', '0001']);
  });

  it('.comm and .lcomm reserve zeroed .bss storage', () => {
    const a = asm('.comm buf, 64, 16\n.lcomm tmp, 8\n');
    assert.equal(errorText(a), '');
    const bss = a.image!.sections.find((s) => s.name === '.bss')!;
    assert.equal(bss.size, 72n);
    assert.equal(a.image!.symbols.find((s) => s.name === 'buf')!.bind, 'global');
    assert.equal(a.image!.symbols.find((s) => s.name === 'tmp')!.bind, 'local');
  });

  it('.equiv refuses to redefine', () => {
    assert.match(errorText(asm('.equiv A, 1\n.equiv A, 2\n')), /test\.s:2:\d+: error: symbol 'A' is already defined/);
  });

  it('.exitm leaves a macro early and .purgem removes it', () => {
    const a = asm('.macro m\n.byte 1\n.exitm\n.byte 2\n.endm\n.data\nm\n.purgem m\n');
    assert.equal(a.hex('.data'), '01');
    assert.match(errorText(asm('.macro m\n.endm\n.purgem m\nm\n')), /unknown instruction 'm'/);
  });

  it('.ifb/.ifnb test for empty macro arguments', () => {
    assert.equal(asm('.macro m a\n.ifb \\a\n.byte 0\n.else\n.byte \\a\n.endif\n.endm\n.data\nm\nm 5\n').hex('.data'), '0005');
  });

  it('.error stops with the message, .warning only warns', () => {
    assert.match(errorText(asm('.error "stop here"\n')), /test\.s:1:1: error: stop here/);
    const w = asm('.warning "careful"\n');
    assert.equal(w.errors.length, 0);
    assert.equal(w.warnings[0].message, 'careful');
  });

  it('.option arch toggles compressed instructions', () => {
    assert.deepEqual(asm('.option arch, -c\naddi a0, a0, 1\n.option arch, +c\naddi a0, a0, 1\n').words(), ['00150513', '0505']);
  });

  it('.insn s, b and j forms', () => {
    const a = asm('.insn s 0x23, 2, a0, 8(sp)\n1: .insn b 0x63, 0, a0, a1, 1b\n.insn j 0x6f, ra, 1b\n');
    assert.equal(errorText(a), '');
    assert.deepEqual(a.words(), ['00a12423', '00b50063', 'ffdff0ef']);
  });

  it('nested macros and recursion up to a limit', () => {
    const a = asm('.macro count n\n.if \\n\n.byte \\n\ncount \\n-1\n.endif\n.endm\n.data\ncount 3\n');
    assert.equal(errorText(a), '');
    assert.equal(a.hex('.data'), '030201');
    assert.match(errorText(asm('.macro loop\nloop\n.endm\nloop\n')), /nested too deeply/);
  });
});

describe('assembler: more error messages', () => {
  it('suggests the nearest mnemonic for a typo', () => {
    assert.match(errorText(asm('adi a0, a0, 1\n')), /unknown instruction 'adi' \(did you mean 'addi'\?\)/);
    assert.match(errorText(asm('xcal a0\n')), /did you mean 'xcall'/);
    assert.doesNotMatch(errorText(asm('frobnicate a0\n')), /did you mean/);
  });

  it('shows the operand syntax when the operand count is wrong', () => {
    assert.match(errorText(asm('lw a0\n')), /lw takes 2 operands \(lw rd, offset\(rs1\)\), got 1/);
  });

  it('warns about writes to read-only CSRs, but not about reads', () => {
    const a = asm('csrw cycle, a0\ncsrr a0, cycle\ncsrs useg_len, a1\ncsrrs a0, useg_len, zero\n');
    assert.equal(a.errors.length, 0);
    assert.deepEqual(a.warnings.map((w) => `${w.line}: ${w.message}`), [
      "1: CSR 'cycle' is read-only: this write raises an illegal-instruction exception",
      "3: CSR 'useg_len' is read-only: this write raises an illegal-instruction exception",
    ]);
  });

  it('warns, as gas does, about an unknown .option and a .fill size above 8', () => {
    const a = asm('.option frobnicate\n.data\n.fill 1, 9, 1\n');
    assert.equal(a.errors.length, 0);
    assert.deepEqual(a.warnings.map((w) => w.message), ['unrecognized .option directive: frobnicate', '.fill size clamped to 8']);
    assert.equal(a.hex('.data'), '0100000000000000');
  });

  it('refuses to redefine a macro, as gas does', () => {
    assert.match(errorText(asm('.macro m\n.endm\n.macro m\n.endm\n')), /test\.s:3:1: error: macro 'm' is already defined \(at test\.s:1\)/);
  });
});

describe('assembler: more pseudo-instructions', () => {
  it('loads from and stores to a symbol through auipc', () => {
    const a = asm('.option norvc\nlw a0, v\nsw a1, v, t0\n.data\nv: .word 0\n');
    assert.equal(errorText(a), '');
    const w = a.words().map((x) => parseInt(x, 16));
    assert.equal(w[0] & 0xfff, 0x517);  // auipc a0
    assert.equal(w[1] & 0x000fffff, 0x52503); // lw a0, lo(a0)
    assert.equal(w[2] & 0xfff, 0x297);  // auipc t0
    assert.equal(w[3] & 0x01fff07f, 0x00b2a023 & 0x01fff07f); // sw a1, lo(t0)
  });

  it('CSR aliases choose the immediate form for constants', () => {
    assert.deepEqual(asm('csrs sstatus, 2\ncsrc sstatus, a0\ncsrsi sie, 1\ncsrci sie, 1\nrdcycle a0\nrdtime a1\nrdinstret a2\ncsrrw a0, sscratch, 3\n').words(),
      ['10016073', '10053073', '1040e073', '1040f073', 'c0002573', 'c01025f3', 'c0202673', '1401d573']);
  });

  it('fence, fence.i, fence.tso and sfence.vma forms', () => {
    assert.deepEqual(asm('fence\nfence rw, w\nfence.i\nfence.tso\nsfence.vma\nsfence.vma a0\nsfence.vma a0, a1\n').words(),
      ['0ff0000f', '0310000f', '0000100f', '8330000f', '12000073', '12050073', '12b50073']);
  });

  it('jr, jalr and jump forms', () => {
    assert.deepEqual(asm('.option norvc\njr a0\njr a0, 8\njalr a1\njalr t0, a1\njalr t0, 4(a1)\njalr t0, a1, 12\n').words(),
      ['00050067', '00850067', '000580e7', '000582e7', '004582e7', '00c582e7']);
  });

  it('negw, sltz, sgtz, lla, jump', () => {
    const a = asm('.option norvc\nnegw a0, a1\nsltz a0, a1\nsgtz a0, a1\nlla a0, f\njump f, t0\nf: ret\n');
    assert.equal(errorText(a), '');
    assert.deepEqual(a.words().slice(0, 3), ['40b0053b', '0005a533', '00b02533']);
    assert.equal(parseInt(a.words()[6], 16) & 0xfffff, 0x28067); // jalr zero, lo(t0)
  });
});

describe('assembler: forms found by the emulator test programs', () => {
  it('compresses only beq/bne against zero, never bge/blt/bltu/bgeu (GCC emits those)', () => {
    const a = asm('1: bge s0, zero, 1b\nblt a0, zero, 1b\nbltu s1, zero, 1b\nbgeu a5, zero, 1b\nbeq s0, zero, 1b\n');
    assert.equal(errorText(a), '');
    assert.deepEqual(a.words().map((w) => w.length), [8, 8, 8, 8, 4]);
  });

  it('accepts an immediate as the last operand of register ALU ops, as GNU as does', () => {
    assert.deepEqual(asm('add a0, a0, 1\nsra a0, a0, 1\nand s0, s0, 3\nor a0, a1, -1\nsltu a0, a1, 5\naddw a0, a0, 1\nsll a0, a0, 3\nxor a0, a0, 1\n').words(),
      ['0505', '8505', '880d', 'fff5e513', '0055b513', '2505', '050e', '00154513']);
  });

  it('keeps .if/.endif balanced when the condition is in error', () => {
    const t = errorText(asm('.if nosuch\nnop\n.endif\n'));
    assert.match(t, /condition must be a constant expression/);
    assert.doesNotMatch(t, /\.endif without \.if/);
  });
});

describe('assembler: more expressions', () => {
  it('character constants, octal, binary and the current location', () => {
    const a = asm(".data\nx: .byte 'a', '\\n', 010, 0b101\n.word . - x\n");
    assert.equal(a.hex('.data'), '610a0805' + '04000000');
  });

  it('reports division by zero and unknown relocation operators', () => {
    assert.match(errorText(asm('.data\n.word 1/0\n')), /division by zero/);
    assert.match(errorText(asm('lui a0, %tprel_hi(x)\n')), /unsupported relocation operator '%tprel_hi'/);
    assert.match(errorText(asm('j 1b\n')), /no previous definition of local label 1/);
  });
});

describe('assembler: line information', () => {
  it('maps every instruction, including pseudo and macro expansions, to the line the user wrote', () => {
    const src = ['.macro twice', 'nop', 'nop', '.endm', '_start:', '  li a0, 0x123456789', '  twice', '  call _start', '  .rept 2', '  addi a0, a0, 1', '  .endr', ''].join('\n');
    const a = asm(src);
    assert.equal(errorText(a), '');
    const elf = readElf(imageToElf(a.image!, '/work'), 'test.elf');
    const table = readDebugLine(elf);
    const text = a.image!.sections.find((s) => s.name === '.text')!;
    const lines: number[] = [];
    for (let off = 0; off < text.data.length;) {
      const row = table.addressToLine(text.addr + BigInt(off));
      assert.ok(row, `no line row at offset ${off}`);
      lines.push(row.line);
      off += (text.data[off] & 3) === 3 ? 4 : 2;
    }
    // li expands to several instructions (line 6); the macro's nops map to line 7; call is 8;
    // the repetition's instructions map to the .rept line (9).
    assert.deepEqual([...new Set(lines)], [6, 7, 8, 9]);
    assert.ok(lines.filter((l) => l === 6).length > 2);
    assert.equal(lines.filter((l) => l === 7).length, 2);
    assert.ok(table.rows.every((r) => r.endSequence || r.file.endsWith('test.s')));
  });
});
