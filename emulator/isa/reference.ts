// Human-readable views of the tables: operand syntax as users write it ("lw rd, offset(rs1)"),
// and the markdown reference pages in docs/, generated so they cannot drift from the tables.

import { CompiledSpec, ALL_SPECS } from './codec';
import { CSRS, CsrSpec } from './csrs';
import { Extension } from './instructions';
import { PSEUDO_INSTRUCTIONS } from './pseudo-instructions';

const OPERAND_LABELS: Record<string, string> = {
  rd: 'rd', rs1: 'rs1', rs2: 'rs2', imm12: 'imm', simm12: 'offset', bimm: 'offset', jimm: 'offset',
  uimm20: 'imm20', shamt6: 'shamt', shamt5: 'shamt', csr: 'csr', zimm5: 'uimm5', pred: 'pred', succ: 'succ',
  c_rd: 'rd', c_rs2: 'rs2', c_rdq: "rd'", c_rs1q: "rs1'", c_rs2q: "rs2'", c_imm6: 'imm', c_shamt: 'shamt',
  c_lui: 'imm20', c_addi4spn: 'uimm', c_addi16sp: 'imm', c_lw: 'offset', c_ld: 'offset', c_lwsp: 'offset',
  c_ldsp: 'offset', c_swsp: 'offset', c_sdsp: 'offset', c_jimm: 'offset', c_bimm: 'offset',
};

/** Operand syntax for docs, completion snippets and hover: `lw rd, offset(rs1)`. */
export function syntaxOf(c: CompiledSpec): string {
  const ops = c.spec.args.replace(/([A-Za-z_][\w]*)([!~]\d+)*/g, (_m, name: string) => OPERAND_LABELS[name] ?? name).replace(/\s*,\s*/g, ', ').replace(/\bimm\(/g, 'offset(');
  return ops ? `${c.spec.mnemonic} ${ops}` : c.spec.mnemonic;
}

const hex = (n: number, w: number) => '0x' + (n >>> 0).toString(16).padStart(w, '0');
const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, '<br>');

const EXT_TITLES: Record<Extension, string> = {
  I: 'RV64I base', M: 'M: multiply and divide', A: 'A: atomics', C: 'C: compressed (RV64C)',
  Zicsr: 'Zicsr: CSR access', Zifencei: 'Zifencei: instruction-fetch fence', Priv: 'Privileged', XPC: 'XPC: cross process call',
};

export function instructionTable(filter: (c: CompiledSpec) => boolean): string {
  const rows = ALL_SPECS.filter(filter).map((c) => {
    const enc = c.length === 2 ? `${hex(c.spec.match, 4)} / ${hex(c.spec.mask, 4)}` : `${hex(c.spec.match, 8)} / ${hex(c.spec.mask, 8)}`;
    return `| \`${syntaxOf(c)}\` | ${c.spec.format} | ${enc} | ${c.spec.timing} | ${esc(c.spec.summary)} |`;
  });
  return ['| syntax | format | match / mask | timing class | summary |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function csrTable(filter: (c: CsrSpec) => boolean): string {
  const rows = CSRS.filter(filter).map((c) => {
    const fields = c.fields?.length ? `<br>fields: ${c.fields.map((f) => `${f.name} [${f.hi === f.lo ? f.hi : `${f.hi}:${f.lo}`}]`).join(', ')}` : '';
    return `| ${hex(c.number, 3)} | \`${c.name}\` | ${c.privilege} | ${c.readOnly ? 'read-only' : 'read/write'} | ${esc(c.description)}${fields} |`;
  });
  return ['| number | name | privilege | access | description |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function pseudoTable(): string {
  const rows = PSEUDO_INSTRUCTIONS.map((p) => `| \`${p.syntax ? `${p.mnemonic} ${p.syntax}` : p.mnemonic}\` | ${esc(p.summary)} | ${esc(p.expansion)} |`);
  return ['| syntax | summary | expands to |', '|---|---|---|', ...rows].join('\n');
}

/** The whole-ISA reference page (docs/isa-reference.md). */
export function isaReferenceMarkdown(): string {
  const exts: Extension[] = ['I', 'M', 'A', 'C', 'Zicsr', 'Zifencei', 'Priv', 'XPC'];
  const parts = [
    '# Instruction and CSR reference',
    '',
    '<!-- Generated from emulator/isa by `npm run gen`; do not edit by hand. -->',
    '',
    'Every instruction the assembler, disassembler and emulator know, from the one table in',
    '`emulator/isa/instructions.ts`, and every CSR from `emulator/isa/csrs.ts`. Compressed forms',
    'list the base instruction they expand to in their description (hover in the editor).',
  ];
  for (const e of exts) parts.push('', `## ${EXT_TITLES[e]}`, '', instructionTable((c) => c.spec.ext === e));
  parts.push('', '## Pseudo-instructions', '', pseudoTable());
  parts.push('', '## CSRs', '', csrTable((c) => !c.unimplemented), '');
  return parts.join('\n');
}

export const XPC_GENERATED_BEGIN = '<!-- generated:xpc-tables begin (npm run gen) -->';
export const XPC_GENERATED_END = '<!-- generated:xpc-tables end -->';

/** The generated part of docs/xpc-isa.md: XPC instructions and CSRs as the tables define them. */
export function xpcTablesMarkdown(): string {
  return [
    XPC_GENERATED_BEGIN,
    '',
    '### Instructions',
    '',
    instructionTable((c) => c.spec.ext === 'XPC'),
    '',
    '### CSRs',
    '',
    csrTable((c) => c.xpc === true),
    '',
    XPC_GENERATED_END,
  ].join('\n');
}
