// Editor documentation for what the ISA tables define (instructions, pseudo-instructions, CSRs,
// registers) and for the assembler's directives and relocation operators. Everything about
// instructions and CSRs is read from emulator/isa; only the directive and operator summaries
// are written here, since the assembler keeps them as code, not data.

import { ALL_SPECS, CompiledSpec, specsFor } from '../../emulator/isa/codec';
import { CSRS, CsrSpec, csrByName } from '../../emulator/isa/csrs';
import { PSEUDO_INSTRUCTIONS, PseudoInstruction, pseudoFormsOf } from '../../emulator/isa/pseudo-instructions';
import { syntaxOf } from '../../emulator/isa/reference';
import { ABI_NAMES, REGISTER_DOCS, registerNumber } from '../../emulator/isa/registers';

export { csrByName, pseudoFormsOf, specsFor, registerNumber };

const hex = (n: number, w: number) => '0x' + (n >>> 0).toString(16).padStart(w, '0');

export const EXTENSION_NAMES: Record<string, string> = {
  I: 'RV64I', M: 'M (multiply/divide)', A: 'A (atomics)', C: 'C (compressed)', Zicsr: 'Zicsr',
  Zifencei: 'Zifencei', Priv: 'privileged', XPC: 'XPC (cross process call)',
};

function instructionDoc(c: CompiledSpec): string {
  const s = c.spec;
  const enc = c.length === 2 ? `match ${hex(s.match, 4)}, mask ${hex(s.mask, 4)} (16-bit)` : `match ${hex(s.match, 8)}, mask ${hex(s.mask, 8)}`;
  const parts = [
    `**${s.mnemonic}** — ${s.summary}`,
    '```xpc-asm\n' + syntaxOf(c) + '\n```',
    '```\n' + s.description + '\n```',
  ];
  if (s.base) parts.push(`Expands to \`${s.base.replace(/\b(c_\w+?)(?:[!~]\d+)*\b/g, '$1')}\`.`);
  parts.push(`| format | extension | timing class | encoding |\n|---|---|---|---|\n| ${s.format} | ${EXTENSION_NAMES[s.ext] ?? s.ext}${s.rv64Only ? ', RV64 only' : ''} | ${s.timing} | ${enc} |`);
  return parts.join('\n\n');
}

function pseudoDoc(p: PseudoInstruction): string {
  return [`**${p.mnemonic}** (pseudo-instruction) — ${p.summary}`, '```xpc-asm\n' + (p.syntax ? `${p.mnemonic} ${p.syntax}` : p.mnemonic) + '\n```', `Expands to: ${p.expansion}`].join('\n\n');
}

/** Hover text for a mnemonic: every table form and every pseudo form, or undefined. */
export function mnemonicDoc(name: string): string | undefined {
  const l = name.toLowerCase();
  const docs = [...specsFor(l).map(instructionDoc), ...pseudoFormsOf(l).map(pseudoDoc)];
  return docs.length ? docs.join('\n\n---\n\n') : undefined;
}

export function csrDoc(c: CsrSpec): string {
  const parts = [
    `**${c.name}** — CSR ${hex(c.number, 3)}${c.xpc ? ' (XPC)' : ''}`,
    `${c.privilege === 'D' ? 'debug' : `${c.privilege}-mode`}, ${c.readOnly ? 'read-only' : 'read/write'}${c.unimplemented ? ', not implemented on this hart' : ''}`,
    c.description,
  ];
  if (c.fields?.length) {
    parts.push('| field | bits | meaning |\n|---|---|---|\n' + c.fields.map((f) => `| ${f.name} | ${f.hi === f.lo ? f.hi : `${f.hi}:${f.lo}`} | ${f.description} |`).join('\n'));
  }
  return parts.join('\n\n');
}

export function registerDoc(name: string): string | undefined {
  const n = registerNumber(name);
  if (n === undefined) return undefined;
  const names = [`x${n}`, ABI_NAMES[n], ...(n === 8 ? ['fp'] : [])].filter((x) => x !== name);
  return `**${name}** — register x${n} (${names.join(', ')})\n\n${REGISTER_DOCS[n]}${n >= 8 && n <= 15 ? '\n\nUsable by the compressed register forms (x8–x15).' : ''}`;
}

/** Directives the assembler implements, with a one-line summary and operand syntax. */
export const DIRECTIVES: readonly { readonly name: string; readonly syntax: string; readonly summary: string }[] = [
  ['.text', '', 'Switch to the .text (code) section'],
  ['.data', '', 'Switch to the .data section'],
  ['.rodata', '', 'Switch to the .rodata section'],
  ['.bss', '', 'Switch to the .bss section (no contents)'],
  ['.section', 'name[, "flags"[, @type]]', 'Switch to a named section; flags a (alloc), w (write), x (exec)'],
  ['.pushsection', 'name[, "flags"[, @type]]', 'Switch section, remembering the current one'],
  ['.popsection', '', 'Return to the section before .pushsection'],
  ['.previous', '', 'Return to the previous section'],
  ['.globl', 'symbol[, symbol…]', 'Make symbols global'],
  ['.global', 'symbol[, symbol…]', 'Make symbols global'],
  ['.local', 'symbol[, symbol…]', 'Make symbols local'],
  ['.weak', 'symbol[, symbol…]', 'Make symbols weak'],
  ['.hidden', 'symbol', 'Symbol visibility (accepted, no effect on executables)'],
  ['.type', 'symbol, @function|@object', 'Set a symbol\'s type'],
  ['.size', 'symbol, expression', 'Set a symbol\'s size'],
  ['.equ', 'symbol, expression', 'Define a symbol\'s value'],
  ['.set', 'symbol, expression', 'Define or redefine a symbol\'s value'],
  ['.equiv', 'symbol, expression', 'Define a symbol; an error if already defined'],
  ['.eqv', 'symbol, expression', 'Define a symbol'],
  ['.align', 'p2[, fill[, max]]', 'Align to 2^p2 bytes (nops in code)'],
  ['.p2align', 'p2[, fill[, max]]', 'Align to 2^p2 bytes (nops in code)'],
  ['.balign', 'bytes[, fill[, max]]', 'Align to a byte boundary (a power of 2)'],
  ['.byte', 'expr[, expr…]', 'Emit 1-byte values'],
  ['.half', 'expr[, expr…]', 'Emit 2-byte values'],
  ['.short', 'expr[, expr…]', 'Emit 2-byte values'],
  ['.2byte', 'expr[, expr…]', 'Emit 2-byte values'],
  ['.word', 'expr[, expr…]', 'Emit 4-byte values'],
  ['.long', 'expr[, expr…]', 'Emit 4-byte values'],
  ['.4byte', 'expr[, expr…]', 'Emit 4-byte values'],
  ['.int', 'expr[, expr…]', 'Emit 4-byte values'],
  ['.dword', 'expr[, expr…]', 'Emit 8-byte values'],
  ['.8byte', 'expr[, expr…]', 'Emit 8-byte values'],
  ['.quad', 'expr[, expr…]', 'Emit 8-byte values'],
  ['.ascii', '"string"[, …]', 'Emit string bytes'],
  ['.asciz', '"string"[, …]', 'Emit NUL-terminated strings'],
  ['.string', '"string"[, …]', 'Emit NUL-terminated strings'],
  ['.zero', 'size', 'Emit zero bytes'],
  ['.space', 'size[, fill]', 'Emit size fill bytes'],
  ['.skip', 'size[, fill]', 'Emit size fill bytes'],
  ['.fill', 'repeat[, size[, value]]', 'Emit repeat copies of a size-byte value'],
  ['.sleb128', 'expr[, …]', 'Emit signed LEB128 values'],
  ['.uleb128', 'expr[, …]', 'Emit unsigned LEB128 values'],
  ['.org', 'offset[, fill]', 'Advance to an offset in the section'],
  ['.comm', 'symbol, size[, align]', 'Common symbol (placed in .bss)'],
  ['.lcomm', 'symbol, size[, align]', 'Local common symbol (placed in .bss)'],
  ['.option', 'rvc|norvc|push|pop|relax|norelax|arch, …', 'Assembler options'],
  ['.include', '"file"', 'Assemble another file here'],
  ['.macro', 'name[ params…]', 'Define a macro (up to .endm)'],
  ['.endm', '', 'End a macro definition'],
  ['.exitm', '', 'Leave the current macro expansion'],
  ['.purgem', 'name', 'Forget a macro'],
  ['.rept', 'count', 'Repeat the lines up to .endr'],
  ['.irp', 'symbol, values…', 'Repeat for each value'],
  ['.irpc', 'symbol, chars', 'Repeat for each character'],
  ['.endr', '', 'End a repetition'],
  ['.if', 'expression', 'Assemble if the expression is non-zero'],
  ['.ifdef', 'symbol', 'Assemble if the symbol is defined'],
  ['.ifndef', 'symbol', 'Assemble if the symbol is not defined'],
  ['.ifeq', 'expression', 'Assemble if the expression is zero'],
  ['.ifne', 'expression', 'Assemble if the expression is non-zero'],
  ['.ifgt', 'expression', 'Assemble if the expression is positive'],
  ['.ifge', 'expression', 'Assemble if the expression is ≥ 0'],
  ['.iflt', 'expression', 'Assemble if the expression is negative'],
  ['.ifle', 'expression', 'Assemble if the expression is ≤ 0'],
  ['.ifb', 'text', 'Assemble if the text is blank'],
  ['.ifnb', 'text', 'Assemble if the text is not blank'],
  ['.ifc', 'a, b', 'Assemble if the strings are equal'],
  ['.ifnc', 'a, b', 'Assemble if the strings differ'],
  ['.else', '', 'Else branch of a conditional'],
  ['.elseif', 'expression', 'Else-if branch of a conditional'],
  ['.endif', '', 'End a conditional'],
  ['.error', '"message"', 'Report an error'],
  ['.warning', '"message"', 'Report a warning'],
  ['.print', '"message"', 'Print a message (ignored)'],
  ['.insn', 'format, fields…', 'Emit an instruction by format and fields'],
  ['.file', '"name"', 'Source file name (accepted, ignored)'],
  ['.attribute', 'tag, value', 'RISC-V attribute (accepted, ignored)'],
].map(([name, syntax, summary]) => ({ name, syntax, summary }));

const directiveByName = new Map(DIRECTIVES.map((d) => [d.name, d]));

export function directiveDoc(name: string): string | undefined {
  const d = directiveByName.get(name.toLowerCase());
  return d ? `**${d.name}** — ${d.summary}\n\n\`\`\`xpc-asm\n${d.name}${d.syntax ? ' ' + d.syntax : ''}\n\`\`\`` : undefined;
}

export const RELOC_OPERATORS: readonly { readonly name: string; readonly summary: string }[] = [
  { name: '%hi', summary: 'Upper 20 bits of an absolute address, rounded for a following %lo (lui)' },
  { name: '%lo', summary: 'Lower 12 bits of an absolute address (addi, loads, stores)' },
  { name: '%pcrel_hi', summary: 'Upper 20 bits of a pc-relative offset (auipc)' },
  { name: '%pcrel_lo', summary: 'Lower 12 bits of the pc-relative offset computed by the auipc at the given label' },
];

export function relocDoc(name: string): string | undefined {
  const r = RELOC_OPERATORS.find((x) => x.name === name.toLowerCase());
  return r ? `**${r.name}(symbol)** — ${r.summary}` : undefined;
}

/** Every mnemonic the assembler accepts, table and pseudo, each once. */
export const MNEMONICS: readonly string[] = [...new Set([...ALL_SPECS.map((c) => c.spec.mnemonic), ...PSEUDO_INSTRUCTIONS.map((p) => p.mnemonic)])];

/**
 * The operand slots of a mnemonic as their user-facing names (`['rd', 'csr', 'rs1']`), one list
 * per form; used to tell which kind of operand the cursor is in.
 */
export function operandSlots(mnemonic: string): string[][] {
  const l = mnemonic.toLowerCase();
  const forms: string[][] = [];
  for (const c of specsFor(l)) {
    const syn = syntaxOf(c);
    const ops = syn.slice(c.spec.mnemonic.length).trim();
    forms.push(ops ? ops.split(/\s*,\s*/) : []);
  }
  for (const p of pseudoFormsOf(l)) forms.push(p.syntax ? p.syntax.replace(/[[\]]/g, '').split(/\s*,\s*/) : []);
  return forms;
}

export { CSRS, PSEUDO_INSTRUCTIONS, ALL_SPECS, syntaxOf, ABI_NAMES };
export type { CsrSpec, CompiledSpec, PseudoInstruction };
