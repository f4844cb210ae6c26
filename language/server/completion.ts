// Completion: what fits where the cursor is. At the start of a statement, mnemonics (with
// operand snippets from the table's syntax), pseudo-instructions, macros, and directives after
// `.`; in operands, CSRs where the instruction takes a CSR, registers where it takes a register,
// otherwise symbols in scope, registers and the `%hi`-style operators.

import { CompletionItem, CompletionItemKind, CompletionList, InsertTextFormat, MarkupKind, Position } from 'vscode-languageserver/node';
import { statementContext } from './context';
import {
  ABI_NAMES, ALL_SPECS, CSRS, DIRECTIVES, PSEUDO_INSTRUCTIONS, RELOC_OPERATORS, csrByName, csrDoc, directiveDoc, mnemonicDoc,
  operandSlots, registerDoc, registerNumber, syntaxOf,
} from './isa-docs';
import { tokensAt } from './scan';
import { injectedSymbols, symbolDetail } from './system-features';
import { Workspace } from './workspace';

/** What completionItem/resolve needs to fill in the documentation. */
export type ItemData = { readonly t: 'mnemonic' | 'csr' | 'register' | 'directive'; readonly name: string };

const escapeSnippet = (s: string) => s.replace(/[$}\\]/g, '\\$&');

/** `lw rd, offset(rs1)` → `lw ${1:rd}, ${2:offset}(${3:rs1})`; fixed registers stay literal. */
export function operandSnippet(syntax: string): string {
  const sp = syntax.indexOf(' ');
  if (sp < 0) return escapeSnippet(syntax);
  let n = 0;
  const ops = syntax.slice(sp + 1)
    .replace(/\[[^\]]*\]/g, '')
    .replace(/^\s*,\s*|\s*,\s*$/g, '')
    .replace(/[A-Za-z_][\w.|']*/g, (w) => (registerNumber(w) !== undefined ? w : `\${${++n}:${escapeSnippet(w)}}`));
  return `${syntax.slice(0, sp)} ${ops}`;
}

interface StaticItems { mnemonics: CompletionItem[]; registers: CompletionItem[]; csrs: CompletionItem[]; directives: CompletionItem[]; relocs: CompletionItem[] }
const staticCache = new Map<boolean, StaticItems>();

function staticItems(snippets: boolean): StaticItems {
  let s = staticCache.get(snippets);
  if (s) return s;
  const mnemonics: CompletionItem[] = [];
  const seen = new Set<string>();
  const mnemonic = (name: string, syntax: string, summary: string, pseudo: boolean) => {
    if (seen.has(name)) return;
    seen.add(name);
    const item: CompletionItem = { label: name, kind: pseudo ? CompletionItemKind.Snippet : CompletionItemKind.Keyword, detail: `${syntax} — ${summary}`, data: { t: 'mnemonic', name } satisfies ItemData };
    if (snippets && syntax.includes(' ')) { item.insertText = operandSnippet(syntax); item.insertTextFormat = InsertTextFormat.Snippet; }
    mnemonics.push(item);
  };
  for (const c of ALL_SPECS) mnemonic(c.spec.mnemonic, syntaxOf(c), c.spec.summary, false);
  for (const p of PSEUDO_INSTRUCTIONS) mnemonic(p.mnemonic, p.syntax ? `${p.mnemonic} ${p.syntax}` : p.mnemonic, p.summary, true);
  const registers: CompletionItem[] = [];
  ABI_NAMES.forEach((abi, i) => {
    registers.push({ label: abi, kind: CompletionItemKind.Variable, detail: `x${i}`, sortText: `0${String(i).padStart(2, '0')}a`, data: { t: 'register', name: abi } satisfies ItemData });
    registers.push({ label: `x${i}`, kind: CompletionItemKind.Variable, detail: abi, sortText: `0${String(i).padStart(2, '0')}b`, data: { t: 'register', name: `x${i}` } satisfies ItemData });
  });
  registers.push({ label: 'fp', kind: CompletionItemKind.Variable, detail: 'x8 (s0)', sortText: '008c', data: { t: 'register', name: 'fp' } satisfies ItemData });
  const csrs = CSRS.map((c): CompletionItem => ({
    label: c.name, kind: CompletionItemKind.Property,
    detail: `CSR 0x${c.number.toString(16).padStart(3, '0')}${c.xpc ? ' (XPC)' : ''}${c.unimplemented ? ' (not implemented)' : ''}`,
    // XPC and implemented CSRs first.
    sortText: `${c.xpc ? 0 : c.unimplemented ? 2 : 1}${c.name}`,
    data: { t: 'csr', name: c.name } satisfies ItemData,
  }));
  const directives = DIRECTIVES.map((d): CompletionItem => ({
    label: d.name, kind: CompletionItemKind.Keyword, detail: d.summary,
    // Completion is triggered after the '.', which the label includes: filter on the whole word.
    filterText: d.name, data: { t: 'directive', name: d.name } satisfies ItemData,
  }));
  const relocs = RELOC_OPERATORS.map((r): CompletionItem => {
    const item: CompletionItem = { label: r.name, kind: CompletionItemKind.Operator, detail: r.summary };
    if (snippets) { item.insertText = `${r.name}(\${1:symbol})`; item.insertTextFormat = InsertTextFormat.Snippet; }
    return item;
  });
  s = { mnemonics, registers, csrs, directives, relocs };
  staticCache.set(snippets, s);
  return s;
}

const OPTION_WORDS = ['rvc', 'norvc', 'push', 'pop', 'relax', 'norelax', 'pic', 'nopic', 'arch'];
const SECTION_NAMES = ['.text', '.data', '.rodata', '.bss', '.sdata', '.sbss', '.text.init'];

const isRegisterSlot = (slot: string) => /^r[dst]\d?'?$/.test(slot) || /^rs\|/.test(slot);

export function completion(ws: Workspace, docPath: string, pos: Position, snippets: boolean): CompletionList {
  const list = (items: CompletionItem[]): CompletionList => ({ isIncomplete: false, items });
  const index = ws.index(docPath);
  if (!index) return list([]);
  const { tokens, text } = tokensAt(index, pos.line, pos.character);
  const inside = tokens.find((t) => t.s < pos.character && pos.character < t.e && (t.k === 'string' || t.k === 'char'))
    ?? tokens.find((t) => t.k === 'comment' && t.s <= pos.character && (pos.character < t.e || t.e === text.length));
  if (inside) return list([]);
  const before = text.slice(0, pos.character);
  const word = /[\w.$%]*$/.exec(before)![0];
  const st = staticItems(snippets);
  const ctx = statementContext(text, tokens, pos.character);

  if (ctx.atOp && !ctx.onLabel) {
    if (word.startsWith('.')) return list(st.directives);
    return list([...st.mnemonics, ...macroItems(ws, docPath, snippets)]);
  }
  if (ctx.onLabel) return list([]);
  if (word.startsWith('%')) return list(st.relocs);
  const op = ctx.opText.toLowerCase();
  if (op.startsWith('.')) {
    switch (op) {
      case '.option': return list(ctx.operandIndex === 0 ? OPTION_WORDS.map((w) => ({ label: w, kind: CompletionItemKind.EnumMember })) : []);
      case '.section': case '.pushsection': return list(ctx.operandIndex === 0 ? SECTION_NAMES.map((w) => ({ label: w, kind: CompletionItemKind.Module })) : []);
      case '.include': case '.macro': case '.file': case '.ascii': case '.asciz': case '.string': return list([]);
      default: return list(symbolItems(ws, docPath));
    }
  }
  const slots = operandSlots(op).map((f) => f[ctx.operandIndex]).filter((x): x is string => x !== undefined);
  if (slots.includes('csr')) return list(st.csrs);
  if (ctx.inParens || (slots.length && slots.every(isRegisterSlot))) return list(st.registers);
  return list([...symbolItems(ws, docPath), ...st.relocs, ...st.registers.map((r) => ({ ...r, sortText: `z${r.sortText ?? ''}` }))]);
}

function symbolItems(ws: Workspace, docPath: string): CompletionItem[] {
  const out: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const f of ws.closure(docPath)) {
    for (const d of f.index.defs) {
      if (d.kind === 'macro' || seen.has(d.name)) continue;
      seen.add(d.name);
      out.push({
        label: d.name,
        kind: d.kind === 'label' ? CompletionItemKind.Reference : CompletionItemKind.Constant,
        detail: d.kind === 'label' ? 'label' : `${d.kind === 'define' ? '#define' : '.equ'} ${d.detail}`,
        sortText: `a${d.name}`,
      });
    }
  }
  for (const s of injectedSymbols(ws, docPath)) {
    if (!seen.has(s.name)) out.push({ label: s.name, kind: CompletionItemKind.Constant, detail: symbolDetail(s), sortText: `a${s.name}` });
  }
  return out;
}

function macroItems(ws: Workspace, docPath: string, snippets: boolean): CompletionItem[] {
  const out: CompletionItem[] = [];
  for (const f of ws.closure(docPath)) {
    for (const d of f.index.defs) {
      if (d.kind !== 'macro') continue;
      const params = d.detail.split(/[\s,]+/).filter(Boolean).map((p) => p.replace(/[:=].*$/, ''));
      const item: CompletionItem = { label: d.name, kind: CompletionItemKind.Function, detail: `macro ${d.name} ${d.detail}`.trim() };
      if (snippets && params.length) {
        item.insertText = `${d.name} ${params.map((p, i) => `\${${i + 1}:${escapeSnippet(p)}}`).join(', ')}`;
        item.insertTextFormat = InsertTextFormat.Snippet;
      }
      out.push(item);
    }
  }
  return out;
}

/** Fills in the documentation of a static item (kept out of the list to keep it light). */
export function resolveCompletion(item: CompletionItem): CompletionItem {
  const data = item.data as Partial<ItemData> | undefined;
  if (!data || typeof data.name !== 'string') return item;
  let doc: string | undefined;
  switch (data.t) {
    case 'mnemonic': doc = mnemonicDoc(data.name); break;
    case 'register': doc = registerDoc(data.name); break;
    case 'directive': doc = directiveDoc(data.name); break;
    case 'csr': { const c = csrByName(data.name); doc = c ? csrDoc(c) : undefined; break; }
  }
  return doc ? { ...item, documentation: { kind: MarkupKind.Markdown, value: doc } } : item;
}
