import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { generatedPages } from '../../cli/commands/gen';
import { syntaxOf } from '../../emulator/isa/reference';
import { specsFor } from '../../emulator/isa/codec';
import { PSEUDO_INSTRUCTIONS } from '../../emulator/isa/pseudo-instructions';
import { PSEUDO_HANDLERS } from '../../language/asm/pseudo';

describe('generated reference pages', () => {
  for (const page of generatedPages('.')) {
    it(`${page.file} matches the ISA tables (run npm run gen after changing them)`, () => {
      const current = fs.readFileSync(page.file, 'utf8');
      assert.equal(current, page.expected(current));
    });
  }

  it('shows operand syntax as users write it', () => {
    assert.equal(syntaxOf(specsFor('lw')[0]), 'lw rd, offset(rs1)');
    assert.equal(syntaxOf(specsFor('c.addi16sp')[0]), 'c.addi16sp sp, imm');
    assert.equal(syntaxOf(specsFor('amoswap.w.aqrl')[0]), 'amoswap.w.aqrl rd, rs2, (rs1)');
    assert.equal(syntaxOf(specsFor('xcall')[0]), 'xcall rs1');
    assert.equal(syntaxOf(specsFor('xret')[0]), 'xret');
  });
});

describe('pseudo-instruction table', () => {
  it('documents exactly the pseudo-instructions the assembler expands', () => {
    const documented = new Set(PSEUDO_INSTRUCTIONS.map((p) => p.mnemonic));
    assert.deepEqual([...PSEUDO_HANDLERS.keys()].filter((m) => !documented.has(m)), [], 'expanded but not documented');
    assert.deepEqual([...documented].filter((m) => !PSEUDO_HANDLERS.has(m)), [], 'documented but not expanded');
  });
});
