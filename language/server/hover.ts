// Hover: instruction, pseudo-instruction, CSR, register, directive and relocation-operator
// documentation from the ISA tables, and for the program's own names their value (from the
// last assembler run) and definition.

import * as path from 'node:path';
import { Hover, MarkupKind, Position } from 'vscode-languageserver/node';
import type { AsmSymbol } from '../asm/object';
import { VisibleDef, findDefs, localLabelTarget, statementContext } from './context';
import { csrByName, csrDoc, directiveDoc, mnemonicDoc, operandSlots, registerDoc, relocDoc } from './isa-docs';
import { tokensAt } from './scan';
import { systemHover } from './system-features';
import { Workspace } from './workspace';

const md = (value: string, line: number, s: number, e: number): Hover => ({
  contents: { kind: MarkupKind.Markdown, value },
  range: { start: { line, character: s }, end: { line, character: e } },
});

export function hover(ws: Workspace, docPath: string, pos: Position): Hover | null {
  const index = ws.index(docPath);
  if (!index) return null;
  const { tokens, at, text } = tokensAt(index, pos.line, pos.character);
  if (!at || at.k === 'comment' || at.k === 'punct') return null;
  const word = text.slice(at.s, at.e);
  const ret = (value: string | undefined) => (value ? md(value, pos.line, at.s, at.e) : null);

  if (at.k === 'string') {
    const inc = index.includes.find((i) => i.line === pos.line && i.start >= at.s && i.end <= at.e);
    if (!inc) return null;
    const target = ws.resolveIncludeRef(inc, docPath);
    return ret(target ? `Includes \`${target}\`` : `Include file "${inc.name}" not found`);
  }
  if (at.k === 'reloc') return ret(relocDoc(word));
  if (at.k === 'number') {
    const target = localLabelTarget(index, word, pos.line);
    return target ? ret(`Local label \`${word.slice(0, -1)}\` (${word.endsWith('f') ? 'next' : 'previous'} definition, line ${target.line + 1})\n\n\`\`\`xpc-asm\n${index.lines[target.line].trim()}\n\`\`\``) : null;
  }
  if (at.k !== 'ident') return null;

  const ctx = statementContext(text, tokens, pos.character);
  const closure = ws.closure(docPath);
  const defs = findDefs(closure, word);
  const isOp = ctx.op === at;
  if (isOp) {
    if (word.startsWith('.')) return ret(directiveDoc(word));
    const macro = defs.find((d) => d.def.kind === 'macro');
    if (macro) return ret(symbolDoc(ws, docPath, macro, undefined));
    return ret(mnemonicDoc(word));
  }
  // A CSR operand of a CSR instruction is the CSR even if a symbol has its name.
  const csr = csrByName(word);
  if (csr && ctx.op && operandSlots(ctx.opText).some((f) => f[ctx.operandIndex] === 'csr')) return ret(csrDoc(csr));
  const reg = registerDoc(word);
  if (reg) return ret(reg);
  // A name the system builder defines (cap slot, MEM_, XENTRY_, SEG_): what it names.
  if (!defs.length) {
    const sys = systemHover(ws, docPath, word);
    if (sys) return ret(sys);
  }
  if (defs.length) {
    const sym = ws.lastAssembled(docPath)?.object.symbols.get(word);
    return ret(symbolDoc(ws, docPath, defs[0], sym));
  }
  if (csr) return ret(csrDoc(csr));
  return null;
}

function symbolDoc(ws: Workspace, docPath: string, v: VisibleDef, sym: AsmSymbol | undefined): string {
  const d = v.def;
  const lines = ws.index(v.path)?.lines ?? [];
  const where = v.path === docPath ? `line ${d.line + 1}` : `${path.basename(v.path)}:${d.line + 1}`;
  if (d.kind === 'macro') {
    const end = Math.min(d.endLine ?? d.line, d.line + 20);
    const body = lines.slice(d.line, end + 1).join('\n');
    const more = (d.endLine ?? d.line) > end ? '\n…' : '';
    return `**${d.name}** — macro${d.detail ? ` (${d.detail})` : ''}, defined at ${where}\n\n\`\`\`xpc-asm\n${body}${more}\n\`\`\``;
  }
  const kind = d.kind === 'label' ? 'label' : d.kind === 'define' ? '#define' : 'symbol';
  const parts = [`**${d.name}** — ${kind}, defined at ${where}`];
  const value = symbolValue(sym);
  if (value) parts.push(value);
  else if (d.kind === 'define' && d.detail) parts.push(`expands to \`${d.detail}\``);
  parts.push('```xpc-asm\n' + (lines[d.line] ?? '').trim() + '\n```');
  return parts.join('\n\n');
}

function symbolValue(sym: AsmSymbol | undefined): string | undefined {
  const def = sym?.def;
  if (!def) return undefined;
  if (def.kind === 'value') {
    const v = def.value;
    const hex = v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
    return `value: \`${v.toString()}\` (\`${hex}\`)`;
  }
  if (def.kind === 'label') return `address: \`${def.section} + 0x${def.off.toString(16)}\`${sym?.global ? ' (global)' : ''}`;
  return 'value: an expression resolved at link time';
}
