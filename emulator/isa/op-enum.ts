// Source text of emulator/hart/op.generated.ts: a const enum with one member per base
// instruction of the table (compressed forms execute as their base instruction; the .aq/.rl
// orderings execute as the plain AMO on this single hart). A `switch` over const-enum members
// compiles to a jump table, which a switch over values looked up at run time does not.

import { INSTRUCTIONS } from './instructions';

/** The execution identity of a mnemonic: compressed forms excluded, ordering suffixes dropped. */
export function executionMnemonic(mnemonic: string): string {
  return mnemonic.replace(/\.(aq|rl|aqrl)$/, '');
}

export const enumMemberName = (mnemonic: string): string => mnemonic.replace(/\./g, '_');

export function opEnumSource(): string {
  const names = [...new Set(INSTRUCTIONS.filter((s) => s.ext !== 'C').map((s) => executionMnemonic(s.mnemonic)))];
  return [
    '// Generated from emulator/isa/instructions.ts by `npm run gen`; do not edit (a test checks it).',
    '',
    '/* eslint-disable */',
    'export const enum Op {',
    '  /** Not decoded yet (decode cache) or not an instruction. */',
    '  None = 0,',
    ...names.map((n, i) => `  ${enumMemberName(n)} = ${i + 1},`),
    '}',
    '',
    `export const OP_NAMES: readonly string[] = ['', ${names.map((n) => `'${n}'`).join(', ')}];`,
    '',
  ].join('\n');
}
