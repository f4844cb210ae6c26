/**
 * The codec, specified by its properties over the whole instruction table: what it encodes
 * decodes back, compressed forms mean their base instruction, reserved encodings are illegal,
 * and the XPC encodings are the ones docs/xpc-isa.md gives.
 */

import { strict as assert } from 'node:assert';
import {
  ALL_SPECS, CompiledSpec, OpToken, compress, decode, encode, expandValues, parseArgs, specsFor,
} from '../../emulator/isa/codec';
import { instructionLength } from '../../emulator/isa/instructions';
import { BitRun, insertField, operandRange } from '../../emulator/isa/operands';

const hex = (w: number) => `0x${w.toString(16).padStart(8, '0')}`;
const spec = (m: string): CompiledSpec => {
  const s = specsFor(m)[0];
  assert.ok(s, `table has ${m}`);
  return s;
};

/** A few values for an operand, within its range and constraints: both ends and the middle. */
function samples(op: OpToken): number[] {
  const k = op.kind;
  let pool: number[];
  if (k.cls === 'reg') pool = k.compact ? [8, 9, 15] : [0, 1, 2, 10, 31];
  else if (k.cls === 'fence') pool = [1, 3, 15];
  else if (k.cls === 'csr') pool = [0x300, 0xc00, 0x5c0, 0xfff];
  else if (k.asmToField) pool = [1, 31, 0xfffe0, 0xfffff];
  else {
    const r = operandRange(k);
    const s = r.scale;
    pool = [r.min, r.max, 0, s, -s, r.min + s, r.max - s, Math.trunc(r.max / 2 / s) * s];
  }
  return [...new Set(pool)].filter((v) => !op.refused.includes(v) && insertField(k, v) !== undefined);
}

/** Operand tuples covering every sample of every operand. */
function tuples(c: CompiledSpec): number[][] {
  const lists = c.operands.map(samples);
  const n = Math.max(1, ...lists.map((l) => l.length));
  const out: number[][] = [];
  for (let t = 0; t < n; t++) {
    const values = lists.map((l, j) => l[(t + j) % l.length]);
    if (encode(c, values).ok) out.push(values);
  }
  return out;
}

const describeSpec = (c: CompiledSpec, values: readonly number[]) => `${c.spec.mnemonic} ${values.join(', ')}`;

describe('ISA codec', () => {
  describe('the table', () => {
    it('gives every mnemonic at most one entry per length', () => {
      const seen = new Set<string>();
      for (const c of ALL_SPECS) {
        const key = `${c.spec.mnemonic}/${c.length}`;
        assert.ok(!seen.has(key), `${c.spec.mnemonic} appears twice with length ${c.length}`);
        seen.add(key);
      }
    });

    it('keeps every match inside its mask, and the length its low bits say', () => {
      for (const c of ALL_SPECS) {
        assert.equal((c.spec.match & ~c.spec.mask) >>> 0, 0, `${c.spec.mnemonic}: match ${hex(c.spec.match)} has bits outside mask ${hex(c.spec.mask)}`);
        assert.equal(instructionLength(c.spec.match & 0xffff), c.length, c.spec.mnemonic);
      }
    });

    it('assigns every bit of an encoding to the fixed pattern or to exactly one operand', () => {
      for (const c of ALL_SPECS) {
        const all = c.length === 2 ? 0xffff : 0xffffffff;
        let covered = c.spec.mask >>> 0;
        for (const op of c.operands) {
          for (const [at, hi, lo] of op.kind.runs as readonly BitRun[]) {
            const bits = ((2 ** (hi - lo + 1) - 1) * 2 ** at) >>> 0;
            assert.equal((covered & bits) >>> 0, 0, `${c.spec.mnemonic}: operand ${op.kind.name} overlaps other bits (${hex(bits)})`);
            covered = (covered | bits) >>> 0;
          }
        }
        assert.equal(covered, all >>> 0, `${c.spec.mnemonic}: bits ${hex((all & ~covered) >>> 0)} are neither fixed nor an operand`);
      }
    });

    it('parses operand syntax with reserved (!) and assembler-refused (~) values', () => {
      const [rd] = parseArgs('c_rd~0!2', 'test');
      assert.ok(rd.t === 'op');
      assert.deepEqual(rd.reserved, [2]);
      assert.deepEqual(rd.refused, [0, 2]);
      const toks = parseArgs('rd, imm12(rs1)', 'test').map((t) => (t.t === 'op' ? t.kind.name : t.t));
      assert.deepEqual(toks, ['rd', ',', 'imm12', '(', 'rs1', ')']);
      assert.throws(() => parseArgs('rd, nosuchkind', 'test'), /unknown operand kind/);
    });
  });

  describe('encoding and decoding', () => {
    it('decodes what it encodes, for every entry and sample operands', () => {
      let checked = 0;
      for (const c of ALL_SPECS) {
        const ts = tuples(c);
        assert.ok(ts.length > 0, `no encodable sample for ${c.spec.mnemonic}`);
        for (const values of ts) {
          const r = encode(c, values);
          assert.ok(r.ok, describeSpec(c, values));
          const d = decode(r.word);
          assert.ok(d, `${describeSpec(c, values)} = ${hex(r.word)} does not decode`);
          assert.equal(d.spec, c, `${describeSpec(c, values)} = ${hex(r.word)} decodes as ${d.spec.spec.mnemonic}`);
          assert.deepEqual(d.values, values, `${describeSpec(c, values)} operands`);
          assert.equal(d.length, c.length);
          checked++;
        }
      }
      assert.ok(checked > ALL_SPECS.length);
    });

    it('re-encodes every decodable 16-bit word to the same bits', () => {
      let legal = 0;
      for (let w = 0; w < 0x10000; w++) {
        if ((w & 3) === 3) continue;
        const d = decode(w);
        if (!d) continue;
        legal++;
        // insertField, not encode: hints decode but the assembler refuses to write them.
        let word = d.spec.spec.match;
        d.spec.operands.forEach((op, i) => { word |= insertField(op.kind, d.values[i])!; });
        assert.equal(word >>> 0, w, `${hex(w)} decodes as ${describeSpec(d.spec, d.values)}, which encodes as ${hex(word >>> 0)}`);
      }
      assert.ok(legal > 38000, `${legal} legal 16-bit encodings`);
    });

    it('refuses operands outside their range or excluded by the syntax', () => {
      assert.deepEqual(encode(spec('addi'), [10, 10, 2048]), { ok: false, operand: 2, reason: 'range' });
      // c.lw rd', imm(rs1'): the offset is a multiple of 4, the base one of x8..x15.
      assert.deepEqual(encode(spec('c.lw'), [10, 2, 8]), { ok: false, operand: 1, reason: 'range' });
      assert.deepEqual(encode(spec('c.lw'), [10, 8, 6]), { ok: false, operand: 2, reason: 'range' });
      assert.deepEqual(encode(spec('c.addi'), [0, 1]), { ok: false, operand: 0, reason: 'refused' });
      assert.deepEqual(encode(spec('c.lui'), [2, 1]), { ok: false, operand: 0, reason: 'refused' });
      assert.deepEqual(encode(spec('c.addi4spn'), [8, 0]), { ok: false, operand: 1, reason: 'refused' });
    });

    it('pins well-known encodings', () => {
      const cases: [string, number[], number][] = [
        ['addi', [10, 10, 1], 0x00150513],
        ['addi', [0, 0, 0], 0x00000013],
        ['lui', [10, 0x12345], 0x12345537],
        ['jalr', [0, 0, 1], 0x00008067],
        ['ecall', [], 0x00000073],
        ['ebreak', [], 0x00100073],
        ['fence', [15, 15], 0x0ff0000f],
        ['fence.tso', [], 0x8330000f],
        ['csrrs', [10, 0xc00, 0], 0xc0002573],
        ['lr.w.aq', [10, 11], 0x1405a52f],
        ['sc.d.aqrl', [10, 12, 11], 0x1ec5b52f],
        ['mret', [], 0x30200073],
        ['c.addi', [10, 1], 0x0505],
        ['c.jr', [1], 0x8082],
        ['c.nop', [], 0x0001],
        ['c.addi16sp', [-512], 0x7101],
        ['c.addi4spn', [10, 1020], 0x1fe8],
        ['c.lui', [10, 0xfffe0], 0x7501],
        ['c.ldsp', [10, 504], 0x757e],
        ['c.sdsp', [10, 504], 0xffaa],
      ];
      for (const [m, values, word] of cases) {
        const r = encode(spec(m), values);
        assert.ok(r.ok, m);
        assert.equal(hex(r.word), hex(word), `${m} ${values.join(', ')}`);
      }
    });
  });

  describe('reserved encodings', () => {
    const reserved: [string, number][] = [
      ['all-zero halfword (c.unimp)', 0x0000],
      ['c.addi4spn with a zero immediate', 0x0004],
      ['c.lui with a zero immediate', 0x6501],
      ['c.addi16sp with a zero immediate', 0x6101],
      ['c.lwsp with rd = x0', 0x4002],
      ['c.ldsp with rd = x0', 0x6002],
      ['c.jr with rs1 = x0', 0x8002],
      ['c.addiw with rd = x0', 0x2001],
      ['RV64 reserved CA encoding (funct2 10, bit 12 set)', 0x9c41],
      ['fence with rd != 0', 0x0ff0008f],
      ['fence with fm = 1', 0x1ff0000f],
      ['slliw with shamt bit 5 set', 0x0200101b],
      ['xcall with rd != 0', 0x0005008b],
      ['xret with rs1 != 0', 0x0005100b],
      ['custom-0 funct3 3', 0x0000300b],
    ];
    for (const [what, word] of reserved) {
      it(`decodes ${what} (${hex(word)}) as illegal`, () => {
        const d = decode(word);
        assert.equal(d, undefined, d && `decoded as ${describeSpec(d.spec, d.values)}`);
      });
    }

    it('still decodes the HINT encodings (they execute as no-ops)', () => {
      for (const [w, m] of [[0x0015, 'c.addi'], [0x4015, 'c.li'], [0x6005, 'c.lui'], [0x802e, 'c.mv'], [0x902e, 'c.add'], [0x0502, 'c.slli']] as const) {
        assert.equal(decode(w)?.spec.spec.mnemonic, m, hex(w));
      }
    });
  });

  describe('compressed instructions', () => {
    it('mean their base instruction: the expansion decodes as the base entry', () => {
      for (const c of ALL_SPECS.filter((x) => x.spec.base)) {
        for (const values of tuples(c)) {
          const e = expandValues(c, values);
          assert.equal(e.base.length, 4, `${c.spec.mnemonic} expands to a 32-bit instruction`);
          const r = encode(e.base, e.values);
          assert.ok(r.ok, `${describeSpec(c, values)} expands to an unencodable ${describeSpec(e.base, e.values)}`);
          const d = decode(r.word);
          assert.equal(d?.spec, e.base, describeSpec(c, values));
          assert.deepEqual(d?.values, e.values);
        }
      }
    });

    it('are what compress() picks for their expansion, unless only aliases reach them (c.jr, c.jalr)', () => {
      for (const c of ALL_SPECS.filter((x) => x.spec.base)) {
        for (const values of tuples(c)) {
          const e = expandValues(c, values);
          const z = compress(e.base, e.values);
          if (c.spec.aliasOnly) { assert.equal(z, undefined, `${describeSpec(c, values)} from ${e.base.spec.mnemonic}`); continue; }
          assert.ok(z, `${describeSpec(e.base, e.values)} does not compress (to ${c.spec.mnemonic})`);
          // Several compressed forms may express one base instruction; all mean the same.
          const back = decode(z.word)!;
          const again = expandValues(back.spec, back.values);
          assert.equal(again.base, e.base);
          assert.deepEqual(again.values, e.values, `${describeSpec(c, values)} vs ${describeSpec(back.spec, back.values)}`);
        }
      }
    });

    it('are chosen as GNU as chooses them', () => {
      const c = (m: string, values: number[]) => compress(spec(m), values)?.spec.spec.mnemonic;
      assert.equal(c('addi', [10, 10, 1]), 'c.addi');
      assert.equal(c('addi', [10, 0, 5]), 'c.li');
      assert.equal(c('addi', [10, 11, 0]), 'c.mv', 'addi rd, rs, 0 is c.mv (GNU’s mv)');
      assert.equal(c('add', [10, 0, 11]), 'c.mv');
      assert.equal(c('add', [10, 5, 0]), undefined, 'add rd, rs, zero is not c.mv: GNU swaps sources only into c.add');
      assert.equal(c('add', [10, 5, 10]), 'c.add', 'add rd, rs, rd swaps into c.add');
      assert.equal(c('and', [8, 9, 8]), 'c.and');
      assert.equal(c('sub', [8, 9, 8]), undefined, 'sub is not commutative');
      assert.equal(c('jalr', [0, 0, 1]), undefined, 'jalr zero, 0(ra) stays 4 bytes; ret is written c.jr by the assembler');
      assert.equal(c('lui', [2, 1]), undefined, 'c.lui cannot write sp');
      assert.equal(c('addi', [2, 2, 16]), 'c.addi', 'c.addi comes first while the immediate fits 6 bits');
      assert.equal(c('addi', [2, 2, 48]), 'c.addi16sp');
      assert.equal(c('ebreak', []), 'c.ebreak');
    });
  });

  describe('XPC (custom-0, opcode 0x0b, R-type)', () => {
    it('encodes xcall rs1 as funct3 0 with rs1 in bits 19:15', () => {
      const r = encode(spec('xcall'), [10]);
      assert.ok(r.ok);
      assert.equal(hex(r.word), '0x0005000b');
      assert.equal(r.word, 0x0b | (0 << 12) | (10 << 15));
    });

    it('encodes xret as funct3 1 with every register field zero', () => {
      const r = encode(spec('xret'), []);
      assert.ok(r.ok);
      assert.equal(hex(r.word), '0x0000100b');
    });

    it('encodes swapseg rs1 as funct3 2', () => {
      const r = encode(spec('swapseg'), [11]);
      assert.ok(r.ok);
      assert.equal(hex(r.word), '0x0005a00b');
      assert.equal(r.word, 0x0b | (2 << 12) | (11 << 15));
    });

    it('decodes them back', () => {
      assert.equal(decode(0x0005000b)?.spec.spec.mnemonic, 'xcall');
      assert.deepEqual(decode(0x0005000b)?.values, [10]);
      assert.equal(decode(0x0000100b)?.spec.spec.mnemonic, 'xret');
      assert.equal(decode(0x0005a00b)?.spec.spec.mnemonic, 'swapseg');
      assert.deepEqual(decode(0x0005a00b)?.values, [11]);
    });
  });
});
