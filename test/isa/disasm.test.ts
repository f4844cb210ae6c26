/**
 * The disassembler prints what `riscv64-unknown-elf-objdump -d` prints (binutils 2.40). These
 * expectations were taken from objdump; test/diff/objdump.test.ts compares against the real tool
 * over the whole corpus when it is installed, this file pins the behaviour without it.
 */

import { strict as assert } from 'node:assert';
import { disassembleRange, formatInstruction } from '../../emulator/isa/disasm';

const PC = 0x80000000n;
const na = (word: number, pc = PC) => formatInstruction(word, pc)?.text;
const al = (word: number, pc = PC) => formatInstruction(word, pc, { aliases: true })?.text;

describe('disassembler', () => {
  describe('objdump -M no-aliases', () => {
    const cases: [number, string][] = [
      [0x00150513, 'addi\ta0,a0,1'],
      [0x00000013, 'addi\tzero,zero,0'],
      [0x12345537, 'lui\ta0,0x12345'],
      [0xfffff597, 'auipc\ta1,0xfffff'],
      [0x01f6559b, 'srliw\ta1,a2,0x1f'],
      [0x02001013, 'slli\tzero,zero,0x20'],
      [0x8005a503, 'lw\ta0,-2048(a1)'],
      [0x7ea5afa3, 'sw\ta0,2047(a1)'],
      [0x00c58567, 'jalr\ta0,12(a1)'],
      [0x1405a52f, 'lr.w.aq\ta0,(a1)'],
      [0x1ec5b52f, 'sc.d.aqrl\ta0,a2,(a1)'],
      [0x00c5a52f, 'amoadd.w\ta0,a2,(a1)'],
      [0x30059573, 'csrrw\ta0,mstatus,a1'],
      [0x140fe573, 'csrrsi\ta0,sscratch,31'],
      [0x7b002573, 'csrrs\ta0,dcsr,zero'],
      [0x3a102573, 'csrrs\ta0,pmpcfg1,zero'],
      [0xfff02573, 'csrrs\ta0,0xfff,zero'],
      [0x0ff0000f, 'fence\tiorw,iorw'],
      [0x0210000f, 'fence\tr,w'],
      [0x0030000f, 'fence\tunknown,rw'],
      [0x8330000f, 'fence.tso'],
      [0x0000100f, 'fence.i'],
      [0x00000073, 'ecall'],
      [0x12b50073, 'sfence.vma\ta0,a1'],
      [0xc0001073, 'unimp'],
      [0x0505, 'c.addi\ta0,1'],
      [0x0001, 'c.addi\tzero,0'],
      [0x0015, 'c.addi\tzero,5'],
      [0x7501, 'c.lui\ta0,0xfffe0'],
      [0x057e, 'c.slli\ta0,0x1f'],
      [0x0502, 'c.slli64\ta0'],
      [0x8101, 'c.srli64\ta0'],
      [0x957d, 'c.srai\ta0,0x3f'],
      [0x7101, 'c.addi16sp\tsp,-512'],
      [0x1fe8, 'c.addi4spn\ta0,sp,1020'],
      [0x5de8, 'c.lw\ta0,124(a1)'],
      [0x757e, 'c.ldsp\ta0,504(sp)'],
      [0xffaa, 'c.sdsp\ta0,504(sp)'],
      [0x8082, 'c.jr\tra'],
      [0x9502, 'c.jalr\ta0'],
      [0x852e, 'c.mv\ta0,a1'],
      [0x9002, 'c.ebreak'],
      [0x997d, 'c.andi\ta0,-1'],
      [0x357d, 'c.addiw\ta0,-1'],
    ];
    for (const [word, text] of cases) {
      it(`prints ${word.toString(16)} as ${JSON.stringify(text)}`, () => assert.equal(na(word), text));
    }

    it('prints branch and jump targets as absolute hex addresses', () => {
      assert.equal(na(0xfab50be3, 0x8000004an), 'beq\ta0,a1,80000000');
      assert.equal(na(0xfb3ff0ef, 0x8000004en), 'jal\tra,80000000');
      assert.equal(na(0xb77d, 0x80000052n), 'c.j\t80000000');
      assert.equal(na(0xd555, 0x80000054n), 'c.beqz\ta0,80000000');
      // A target below address zero wraps around, as objdump prints it.
      assert.equal(na(0xffdff06f, 0n), 'jal\tzero,fffffffffffffffc');
    });

    it('adds <symbol> after a target when asked to name addresses', () => {
      const symbolize = (a: bigint) => (a === 0x80000000n ? '_start' : a > 0x80000000n ? `_start+0x${(a - 0x80000000n).toString(16)}` : undefined);
      assert.equal(formatInstruction(0xfab50be3, 0x8000004an, { symbolize })?.text, 'beq\ta0,a1,80000000 <_start>');
      assert.equal(formatInstruction(0x0280006f, 0x8000007cn, { symbolize })?.text, 'jal\tzero,800000a4 <_start+0xa4>');
    });

    it('prints the XPC instructions and CSRs in our own syntax', () => {
      assert.equal(na(0x0005000b), 'xcall\ta0');
      assert.equal(na(0x0000100b), 'xret');
      assert.equal(na(0x0005a00b), 'swapseg\ta1');
      assert.equal(na(0x5c05a573), 'csrrs\ta0,xentry_base,a1');
      assert.equal(na(0xcc302573), 'csrrs\ta0,uxcaller,zero');
    });

    it('returns undefined for illegal encodings and reports the length of legal ones', () => {
      for (const w of [0x0000, 0x4002, 0x8002, 0x6101, 0x0000300b, 0x0ff0008f]) assert.equal(formatInstruction(w, PC), undefined, w.toString(16));
      assert.deepEqual(formatInstruction(0x00150513, PC), { text: 'addi\ta0,a0,1', length: 4 });
      // Only the low half of a compressed instruction counts.
      assert.deepEqual(formatInstruction(0x12340505, PC), { text: 'c.addi\ta0,1', length: 2 });
    });
  });

  describe('objdump with aliases', () => {
    const cases: [number, string][] = [
      [0x00000013, 'nop'],
      [0x0001, 'nop'],
      [0x0015, 'c.nop\t5'],
      [0x02000093, 'li\tra,32'],
      [0x4085, 'li\tra,1'],
      [0x00058513, 'mv\ta0,a1'],
      [0x852e, 'mv\ta0,a1'],
      [0x00008067, 'ret'],
      [0x8082, 'ret'],
      [0x8102, 'jr\tsp'],
      [0xf9cf8067, 'jr\t-100(t6)'],
      [0x9502, 'jalr\ta0'],
      [0x00050567, 'jalr\ta0,a0'],
      [0xfff5c513, 'not\ta0,a1'],
      [0x40b00533, 'neg\ta0,a1'],
      [0x40b0053b, 'negw\ta0,a1'],
      [0x0005851b, 'sext.w\ta0,a1'],
      [0x2501, 'sext.w\ta0,a0'],
      [0x0015b513, 'seqz\ta0,a1'],
      [0x00b03533, 'snez\ta0,a1'],
      [0x0005a533, 'sltz\ta0,a1'],
      [0x00b02533, 'sgtz\ta0,a1'],
      [0x0505, 'add\ta0,a0,1'],
      [0x1fe8, 'add\ta0,sp,1020'],
      [0x957d, 'sra\ta0,a0,0x3f'],
      [0x5de8, 'lw\ta0,124(a1)'],
      [0x01f51513, 'sll\ta0,a0,0x1f'],
      [0x0ff57513, 'zext.b\ta0,a0'],
      [0x0fe57513, 'and\ta0,a0,254'],
      [0x30002573, 'csrr\ta0,mstatus'],
      [0x30059073, 'csrw\tmstatus,a1'],
      [0x3007d073, 'csrw\tmstatus,15'],
      [0x140fe573, 'csrrs\ta0,sscratch,31'],
      [0xc0002573, 'rdcycle\ta0'],
      [0xc0102573, 'rdtime\ta0'],
      [0xc0202573, 'rdinstret\ta0'],
      [0x0ff0000f, 'fence'],
      [0x12000073, 'sfence.vma'],
      [0x12050073, 'sfence.vma\ta0'],
      [0xc0001073, 'unimp'],
      [0x9002, 'ebreak'],
    ];
    for (const [word, text] of cases) {
      it(`prints ${word.toString(16)} as ${JSON.stringify(text)}`, () => assert.equal(al(word), text));
    }

    it('names branch aliases with their targets', () => {
      assert.equal(al(0x00028663, 0x8000010cn), 'beqz\tt0,80000118');
      assert.equal(al(0x00804063, 0x80000140n), 'bgtz\ts0,80000140');
      assert.equal(al(0x00805063, 0x80000168n), 'blez\ts0,80000168');
      assert.equal(al(0x0280006f, 0x8000007cn), 'j\t800000a4');
      assert.equal(al(0xffdff0ef, 0x80000080n), 'jal\t8000007c');
      assert.equal(al(0xd555, 0x80000054n), 'beqz\ta0,80000000');
    });
  });

  describe('disassembleRange', () => {
    it('walks mixed 16- and 32-bit code, one line per instruction', () => {
      const bytes = Uint8Array.from([0x05, 0x05, 0x13, 0x05, 0x15, 0x00, 0x82, 0x80]);
      assert.deepEqual(disassembleRange(bytes, 0x1000n).map((l) => [l.addr, l.length, l.word, l.text]), [
        [0x1000n, 2, 0x0505, 'c.addi\ta0,1'],
        [0x1002n, 4, 0x00150513, 'addi\ta0,a0,1'],
        [0x1006n, 2, 0x8082, 'c.jr\tra'],
      ]);
    });

    it('prints what it cannot decode as objdump does, and keeps going', () => {
      const bytes = Uint8Array.from([0x00, 0x00, 0x02, 0x40, 0x0b, 0x30, 0x00, 0x00, 0x13, 0x00, 0x7f]);
      assert.deepEqual(disassembleRange(bytes, 0n).map((l) => l.text), ['c.unimp', '.2byte\t0x4002', '.4byte\t0x300b', '.2byte\t0x13', '.byte\t0x7f']);
      assert.deepEqual(disassembleRange(bytes.subarray(0, 2), 0n, { aliases: true }).map((l) => l.text), ['unimp']);
    });
  });
});
