import { strict as assert } from 'node:assert';
import type {
  CompletionItem, CompletionList, DocumentSymbol, FoldingRange, Hover, Location, MarkupContent, Range, SymbolInformation, WorkspaceEdit,
} from 'vscode-languageserver/node';
import { Client, fixture, uriOf } from './harness';

const PROG = fixture('prog.s');
const DEFS = fixture('defs.inc');

const hoverText = (h: Hover | null) => {
  assert.ok(h, 'no hover');
  return (h.contents as MarkupContent).value;
};
const labels = (l: CompletionList) => l.items.map((i) => i.label);

describe('language server: features', () => {
  let client: Client;
  before(async () => {
    client = await Client.inProcess();
    await client.open(PROG);
  });
  after(() => client.dispose());

  const hover = (needle: string, offset = 0, nth = 0) => client.request<Hover | null>('textDocument/hover', client.at(PROG, needle, offset, nth));

  describe('hover', () => {
    it('documents an instruction from the table: syntax, semantics, encoding, extension, timing', async () => {
      const t = hoverText(await hover('addi    t1'));
      assert.match(t, /\*\*addi\*\* — Add immediate/);
      assert.match(t, /addi rd, rs1, imm/);
      assert.match(t, /x\[rd\] = x\[rs1\] \+ sext\(imm\)/);
      assert.match(t, /\| I \| RV64I \| alu \| match 0x00000013, mask 0x0000707f \|/);
    });

    it('documents a pseudo-instruction with its expansion', async () => {
      const t = hoverText(await hover('li      a0'));
      assert.match(t, /\*\*li\*\* \(pseudo-instruction\) — Load any 64-bit constant/);
      assert.match(t, /Expands to: addi rd, zero, imm/);
    });

    it('documents a CSR with its fields, XPC ones included', async () => {
      const t = hoverText(await hover('mstatus', 2));
      assert.match(t, /\*\*mstatus\*\* — CSR 0x300/);
      assert.match(t, /\| MIE \| 3 \| M-mode interrupt enable \|/);
      const x = hoverText(await hover('xcap', 1));
      assert.match(x, /\*\*xcap\*\* — CSR 0x5c2 \(XPC\)/);
    });

    it('documents a register by ABI and x name', async () => {
      const t = hoverText(await hover('a0, UART', 1));
      assert.match(t, /register x10 \(x10\)/);
      assert.match(t, /argument \/ return value/);
    });

    it("shows a symbol's value and definition, from an included file", async () => {
      const t = hoverText(await hover('UART_BASE', 3));
      assert.match(t, /\*\*UART_BASE\*\* — symbol, defined at defs.inc:2/);
      assert.match(t, /value: `268435456` \(`0x10000000`\)/);
      assert.match(t, /\.equ    UART_BASE, 0x10000000/);
      const c = hoverText(await hover('COUNT', 1, 1));
      assert.match(c, /value: `3`/);
    });

    it("shows a label's address", async () => {
      const t = hoverText(await hover('.Lloop', 2, 1));
      assert.match(t, /\*\*\.Lloop\*\* — label, defined at line 18/);
      assert.match(t, /address: `\.text \+ 0x[0-9a-f]+`/);
    });

    it("shows a macro's definition", async () => {
      const t = hoverText(await hover('push    ra', 1));
      assert.match(t, /\*\*push\*\* — macro \(reg\), defined at defs.inc:7/);
      assert.match(t, /sd      \\reg, 0\(sp\)\n {8}\.endm/);
    });

    it('documents directives, relocation operators and local labels', async () => {
      assert.match(hoverText(await hover('.rept', 1)), /\*\*\.rept\*\* — Repeat the lines up to \.endr/);
      assert.match(hoverText(await hover('1b')), /Local label `1` \(previous definition, line 14\)/);
      assert.equal(await hover('# never', 3), null);
      const reloc = fixture('reloc.s');
      await client.open(reloc, '        lui     a0, %hi(x)\n');
      const rel = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uriOf(reloc) }, position: { line: 0, character: 21 } });
      assert.match(hoverText(rel), /\*\*%hi\(symbol\)\*\* — Upper 20 bits/);
    });
  });

  describe('completion', () => {
    // Completion positions are taken in an unsaved copy of prog.s with one line changed.
    const complete = async (line: string, at = line.length) => {
      const file = fixture('scratch.s');
      const text = `        .include "defs.inc"\n        .equ    COUNT, 3\nwork:\n${line}\n.Lend:\n`;
      await client.open(file, text);
      return client.request<CompletionList>('textDocument/completion', { textDocument: { uri: uriOf(file) }, position: { line: 3, character: at } });
    };

    it('offers mnemonics with operand snippets, pseudo-instructions and macros at the start of a statement', async () => {
      const l = await complete('        ad');
      const addi = l.items.find((i) => i.label === 'addi')!;
      assert.equal(addi.insertText, 'addi ${1:rd}, ${2:rs1}, ${3:imm}');
      assert.equal(addi.insertTextFormat, 2);
      const lw = l.items.find((i) => i.label === 'lw')!;
      assert.equal(lw.insertText, 'lw ${1:rd}, ${2:offset}(${3:rs1})');
      for (const m of ['li', 'la', 'call', 'xcall', 'swapseg', 'c.addi', 'push', 'pop']) assert.ok(labels(l).includes(m), m);
      assert.equal(l.items.find((i) => i.label === 'push')!.insertText, 'push ${1:reg}');
      assert.ok(!labels(l).includes('.equ'));
    });

    it('offers directives after a dot', async () => {
      const l = await complete('        .eq');
      assert.ok(labels(l).includes('.equ'));
      assert.ok(labels(l).includes('.macro'));
      assert.ok(!labels(l).includes('addi'));
    });

    it('offers CSRs, XPC ones included, only where a CSR is expected', async () => {
      const l = await complete('        csrr    t0, ');
      for (const c of ['mstatus', 'xcap', 'xentry_base', 'satp']) assert.ok(labels(l).includes(c), c);
      assert.ok(!labels(l).includes('a0'));
      const w = await complete('        csrw    ');
      assert.ok(labels(w).includes('mtvec'));
      const r = await complete('        csrw    mtvec, ');
      assert.ok(!labels(r).includes('mtvec'));
    });

    it('offers registers (ABI and x names) for register operands and bases', async () => {
      const l = await complete('        add     a0, ');
      for (const r of ['a1', 'x11', 'zero', 'sp', 'fp']) assert.ok(labels(l).includes(r), r);
      assert.ok(!labels(l).includes('COUNT'));
      const base = await complete('        lw      a0, 8(');
      assert.ok(labels(base).includes('sp'));
    });

    it('offers labels and symbols in scope (included files too) for other operands', async () => {
      const l = await complete('        j       ');
      for (const s of ['work', '.Lend', 'COUNT', 'UART_BASE', 'STACK_SIZE']) assert.ok(labels(l).includes(s), s);
      const li = await complete('        li      a0, ');
      assert.ok(labels(li).includes('UART_BASE'));
    });

    it('offers %hi, %lo and %pcrel_* after %', async () => {
      const l = await complete('        lui     a0, %');
      assert.deepEqual(labels(l), ['%hi', '%lo', '%pcrel_hi', '%pcrel_lo']);
    });

    it('offers nothing inside comments and strings', async () => {
      assert.deepEqual(labels(await complete('        nop  # ad')), []);
      assert.deepEqual(labels(await complete('        .asciz "ad')), []);
    });

    it('resolves documentation for an item', async () => {
      const l = await complete('        csrr    t0, ');
      const item = await client.request<CompletionItem>('completionItem/resolve', l.items.find((i) => i.label === 'xcap')!);
      assert.match((item.documentation as MarkupContent).value, /CSR 0x5c2 \(XPC\)/);
    });
  });

  describe('navigation', () => {
    const def = (needle: string, offset = 0, nth = 0) => client.request<Location[]>('textDocument/definition', client.at(PROG, needle, offset, nth));
    const refs = (needle: string, offset = 0, nth = 0, includeDeclaration = true) =>
      client.request<Location[]>('textDocument/references', { ...client.at(PROG, needle, offset, nth), context: { includeDeclaration } });
    const line = (l: Location) => `${l.uri.split('/').pop()}:${l.range.start.line}:${l.range.start.character}`;

    it('goes to the definition of a label, a symbol, a macro, a local label and an include', async () => {
      assert.deepEqual((await def('.Lloop', 1, 1)).map(line), ['prog.s:17:0']);
      assert.deepEqual((await def('UART_BASE')).map(line), ['defs.inc:1:16']);
      assert.deepEqual((await def('push')).map(line), ['defs.inc:6:16']);
      assert.deepEqual((await def('1b')).map(line), ['prog.s:13:0']);
      assert.deepEqual((await def('defs.inc', 2)).map(line), ['defs.inc:0:0']);
      assert.deepEqual(await def('mstatus'), []);
    });

    it('finds references across the include closure', async () => {
      assert.deepEqual((await refs('.Lloop', 0)).map(line), ['prog.s:17:0', 'prog.s:19:20']);
      assert.deepEqual((await refs('.Lloop', 0, 0, false)).map(line), ['prog.s:19:20']);
      assert.deepEqual((await refs('COUNT', 0)).map(line), ['prog.s:1:16', 'prog.s:16:20', 'prog.s:23:12']);
      assert.deepEqual((await refs('push', 0)).map(line), ['defs.inc:6:16', 'prog.s:8:8']);
      assert.deepEqual((await refs('defs.inc', 1)).map(line).sort(), ['prog.s:0:18', 'scratch.s:0:18']);
      assert.deepEqual((await refs('1b', 0)).map(line), ['prog.s:13:0', 'prog.s:13:16', 'prog.s:31:26']);
    });

    it('renames a symbol everywhere and refuses a bad name', async () => {
      const range = await client.request<Range | null>('textDocument/prepareRename', client.at(PROG, 'COUNT', 1, 1));
      assert.deepEqual(range, { start: { line: 16, character: 20 }, end: { line: 16, character: 25 } });
      const edit = await client.request<WorkspaceEdit>('textDocument/rename', { ...client.at(PROG, 'COUNT', 1, 1), newName: 'N_ITER' });
      const edits = edit.changes![uriOf(PROG)];
      assert.equal(edits.length, 3);
      assert.ok(edits.every((e) => e.newText === 'N_ITER'));
      assert.equal(await client.request('textDocument/prepareRename', client.at(PROG, 'addi')), null);
      await assert.rejects(client.request('textDocument/rename', { ...client.at(PROG, 'COUNT', 1, 1), newName: '3bad' }), /not a valid symbol name/);
    });

    it('lists sections with their labels, and constants, as document symbols', async () => {
      const syms = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uriOf(PROG) } });
      const shape = syms.map((s) => `${s.name}:${s.kind}[${(s.children ?? []).map((c) => `${c.name}:${c.kind}`).join(',')}]`);
      assert.deepEqual(shape, ['COUNT:14[]', '.text:3[_start:12,work:8,.Lloop:8]', '.data:3[message:8]']);
      const defsSyms = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uriOf(DEFS) } });
      assert.deepEqual(defsSyms.map((s) => `${s.name}:${s.kind}:${s.range.start.line}-${s.range.end.line}`), ['UART_BASE:14:1-1', 'STACK_SIZE:14:2-2', 'push:6:6-9', 'pop:6:11-14']);
    });

    it('folds macros, repetitions, conditionals and block comments', async () => {
      const f = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: uriOf(PROG) } });
      assert.deepEqual(f.map((r) => `${r.startLine}-${r.endLine}:${r.kind}`).sort(), ['20-22:region', '23-25:region']);
      const d = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: uriOf(DEFS) } });
      assert.deepEqual(d.map((r) => `${r.startLine}-${r.endLine}:${r.kind}`).sort(), ['11-14:region', '4-5:comment', '6-9:region']);
    });

    it('finds workspace symbols in open documents and their includes', async () => {
      const s = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'uart' });
      assert.deepEqual(s.map((x) => `${x.name}@${x.location.uri.split('/').pop()}`), ['UART_BASE@defs.inc']);
    });
  });
});
