import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type { InlayHint, MarkupContent, SemanticTokens, SemanticTokensLegend, SignatureHelp, TextEdit } from 'vscode-languageserver/node';
import { assembleOne } from '../../language/asm';
import { Client, fixture, uriOf } from './harness';

/** Applies whole-line edits (what the formatter returns) to a text. */
function applyLineEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  for (const e of edits) {
    assert.equal(e.range.start.line, e.range.end.line, 'formatting edits replace one line each');
    assert.equal(e.range.start.character, 0);
    assert.equal(e.range.end.character, lines[e.range.start.line].length);
    lines[e.range.start.line] = e.newText;
  }
  return lines.join('\n');
}

/** Every section's bytes and every diagnostic's message and line: what formatting must not change. */
function meaning(file: string, text: string): string {
  const r = assembleOne({ path: file, text });
  return JSON.stringify({
    sections: r.object.sections.map((s) => `${s.name}:${Buffer.from(s.data).toString('hex')}`),
    diagnostics: r.diagnostics.map((d) => `${d.line}: ${d.message}`),
  });
}

describe('language server: editing features', () => {
  let client: Client;
  before(async () => { client = await Client.inProcess(); });
  after(() => client.dispose());

  describe('semantic tokens', () => {
    const TOKENS = fixture('tokens.s');

    it('declares a legend', () => {
      const provider = client.initializeResult!.capabilities.semanticTokensProvider!;
      assert.deepEqual(provider.legend.tokenTypes, ['keyword', 'macro', 'decorator', 'variable', 'property', 'label', 'parameter', 'number', 'string', 'comment', 'operator']);
      assert.deepEqual(provider.legend.tokenModifiers, ['declaration', 'readonly', 'defaultLibrary', 'pseudo', 'xpc']);
      assert.equal(provider.full, true);
    });

    it('classifies every token of a small file exactly', async () => {
      await client.open(TOKENS);
      const r = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: uriOf(TOKENS) } });
      // The wire format itself for the first line: .equ, N, 3.
      assert.deepEqual(r.data.slice(0, 15), [0, 8, 4, 2, 0, 0, 8, 1, 3, 3, 0, 3, 1, 7, 0]);
      const legend: SemanticTokensLegend = client.initializeResult!.capabilities.semanticTokensProvider!.legend;
      const lines = fs.readFileSync(TOKENS, 'utf8').split('\n');
      const decoded: string[] = [];
      let line = 0, start = 0;
      for (let k = 0; k < r.data.length; k += 5) {
        const [dl, ds, len, type, mods] = r.data.slice(k, k + 5);
        line += dl;
        start = dl ? ds : start + ds;
        const modifiers = legend.tokenModifiers.filter((_, i) => mods & (1 << i));
        decoded.push(`${line}:${start} ${lines[line].slice(start, start + len)} ${[legend.tokenTypes[type], ...modifiers].join('.')}`);
      }
      assert.deepEqual(decoded, [
        '0:8 .equ decorator', '0:16 N variable.declaration.readonly', '0:19 3 number',
        '1:8 .macro decorator', '1:16 twice macro.declaration', '1:22 reg parameter.declaration', '1:27 n parameter.declaration', '1:29 1 number',
        '2:8 add keyword', '2:16 \\reg parameter', '2:22 \\reg parameter', '2:28 \\reg parameter',
        '3:8 .endm decorator',
        '4:0 start label.declaration', '4:8 li keyword.pseudo', '4:16 a0 variable.defaultLibrary', '4:20 N variable.readonly', '4:32 # load N comment',
        '5:8 twice macro', '5:16 a0 variable.defaultLibrary',
        '6:8 csrr keyword.pseudo', '6:16 t0 variable.defaultLibrary', '6:20 xcap property.xpc',
        '6:26 csrw keyword.pseudo', '6:31 mstatus property', '6:40 t0 variable.defaultLibrary',
        '7:8 lui keyword', '7:16 a1 variable.defaultLibrary', '7:20 %hi operator', '7:24 msg label',
        '8:0 1 label.declaration', '8:8 bnez keyword.pseudo', '8:16 a0 variable.defaultLibrary', '8:20 1b label', '8:24 /* back */ comment',
        '9:0 msg label.declaration', '9:8 .asciz decorator', '9:16 "hi" string',
      ]);
    });

    it('knows macros and #define names from included files, and preprocessor directives', async () => {
      const prog = fixture('prog.s');
      await client.open(prog);
      const r = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: uriOf(prog) } });
      const legend = client.initializeResult!.capabilities.semanticTokensProvider!.legend;
      const lines = fs.readFileSync(prog, 'utf8').split('\n');
      const at = new Map<string, string>();
      let line = 0, start = 0;
      for (let k = 0; k < r.data.length; k += 5) {
        line += r.data[k];
        start = r.data[k] ? r.data[k + 1] : start + r.data[k + 1];
        at.set(`${line}:${lines[line].slice(start, start + r.data[k + 2])}`, legend.tokenTypes[r.data[k + 3]]);
      }
      assert.equal(at.get('8:push'), 'macro'); // defined in defs.inc
      assert.equal(at.get('7:UART_BASE'), 'variable');
      assert.equal(at.get('9:work'), 'label');

      const cpp = fixture('cpp.S');
      await client.open(cpp);
      const c = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: uriOf(cpp) } });
      // #define (decorator) UART_BASE (macro, declaration) 0x10000000 (number).
      assert.deepEqual(c.data.slice(0, 15), [0, 0, 7, 2, 0, 0, 8, 9, 1, 1, 0, 10, 10, 7, 0]);
    });
  });

  describe('signature help', () => {
    const SIG = fixture('sig.s');
    before(() => client.open(SIG));
    const help = (needle: string, offset: number, nth = 0) => client.request<SignatureHelp | null>('textDocument/signatureHelp', client.at(SIG, needle, offset, nth));
    const paramLabels = (h: SignatureHelp, s = h.activeSignature ?? 0) =>
      h.signatures[s].parameters!.map((p) => (typeof p.label === 'string' ? p.label : h.signatures[s].label.slice(p.label[0], p.label[1])));

    it('shows a macro\'s parameters with defaults, :req and :vararg, the active one by comma position', async () => {
      const h = (await help('store   a0', 'store   a0, '.length))!;
      assert.equal(h.signatures.length, 1);
      assert.equal(h.signatures[0].label, 'store reg:req, off=0, base=sp');
      assert.deepEqual(paramLabels(h), ['reg:req', 'off=0', 'base=sp']);
      assert.deepEqual(h.signatures[0].parameters!.map((p) => p.documentation), ['required', 'default: 0', 'default: sp']);
      assert.equal(h.activeParameter, 1);
      assert.match((h.signatures[0].documentation as MarkupContent).value, /macro defined at line 1/);
      assert.equal((await help('store   a0', 'store   '.length))!.activeParameter, 0);
      assert.equal((await help('store   a0', 'store   a0, 8, '.length))!.activeParameter, 2);
    });

    it('keeps a vararg parameter active for every later argument, and follows keyword arguments', async () => {
      assert.equal((await help('emit    1', 'emit    1, 2, '.length))!.activeParameter, 1);
      assert.equal((await help('emit    1', 'emit    1, 2, 3'.length))!.activeParameter, 1);
      assert.equal((await help('store   off=16', 'store   off=1'.length))!.activeParameter, 1);
      assert.equal((await help('store   off=16', 'store   off=16, reg='.length))!.activeParameter, 0);
    });

    it('shows every operand form of an instruction and pseudo-instruction from the tables', async () => {
      const lw = (await help('lw      a0', 'lw      a0, '.length))!;
      assert.deepEqual(lw.signatures.map((s) => s.label), ['lw rd, offset(rs1)', 'lw rd, symbol']);
      assert.equal(lw.activeSignature, 0);
      assert.equal(lw.activeParameter, 1);
      assert.deepEqual(paramLabels(lw), ['rd', 'offset(rs1)']);
      // Optional operands give a form without and one with them.
      const jr = (await help('jr      ra', 'jr      r'.length))!;
      assert.deepEqual(jr.signatures.map((s) => s.label), ['jr rs', 'jr rs, offset']);
      const call = (await help('call    work', 'call    w'.length))!;
      assert.deepEqual(call.signatures.map((s) => s.label), ['call symbol', 'call rd, symbol']);
      assert.equal(call.activeSignature, 0);
    });

    it('offers nothing on the mnemonic, in a comment or for directives', async () => {
      assert.equal(await help('lw      a0', 1), null);
      assert.equal(await help('# return', 3), null);
      assert.equal(await help('.byte', 7), null);
      assert.equal(await help('        ret', 11), null);
      assert.deepEqual(client.initializeResult!.capabilities.signatureHelpProvider!.triggerCharacters, [' ', ',']);
    });
  });

  describe('formatting', () => {
    const format = async (file: string, text?: string) => {
      await client.open(file, text);
      return client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uriOf(file) }, options: { tabSize: 8, insertSpaces: true } });
    };

    it('aligns labels, mnemonics, operands and comments, and keeps what it cannot prove harmless', async () => {
      const file = fixture('format.s');
      const before = fs.readFileSync(file, 'utf8');
      const after = applyLineEdits(before, await format(file));
      assert.equal(after, [
        '# header comment at column 0',
        '        .text',
        '        .globl  main',
        'main:   addi    sp, sp, -16             # frame',
        '        sd      ra, 8(sp)               // save',
        '        li      a0, 1; li a1, 2; nop    # two statements',
        'a_really_long_label_name: nop',
        '.Lx: .Ly: mv    a0, a1',
        '        /* block comment line */',
        '        /* multi',
        '     line,  kept */   ',
        '        nop                             /* trailing block */',
        '  /* lead */ nop',
        '        addi    a0, a0, 1               # tabs',
        '        .macro  m a, b=1',
        '    addi \\a,\\a,\\b',
        '        .endm',
        '        m       a0, 2',
        '        .asciz  "a ,b  c"               # string kept',
        '        .ifc    a,b',
        '        .endif',
        '        X = 4',
        '        .irp    r, a0, a1',
        '  mv \\r,zero',
        '        .endr',
        '        lw      a0, %lo(X) ( a1 )',
        '        call    ra, foo',
        'foo:; bar: ret',
        '',
      ].join('\n'));
      assert.equal(meaning(file, after), meaning(file, before));
      // Idempotent: the formatted text formats to itself.
      assert.deepEqual(await format(file, after), []);
    });

    it('leaves preprocessor lines and the lines they splice alone', async () => {
      const file = fixture('format.S');
      const before = fs.readFileSync(file, 'utf8');
      const after = applyLineEdits(before, await format(file));
      assert.equal(after, [
        '#define TWO 2',
        '#if TWO > 1',
        '        li      a0, TWO                 # two',
        '#endif',
        '#define PAIR(x) \\',
        '   x ,  x',
        '        .word   PAIR(1)',
        '',
      ].join('\n'));
      assert.equal(meaning(file, after), meaning(file, before));
    });

    it('leaves an already formatted file as it is', async () => {
      assert.deepEqual(await format(fixture('defs.inc')), []);
    });

    it('takes its columns from initializationOptions', async () => {
      const other = await Client.inProcess({ format: { mnemonicColumn: 4, operandColumn: 12, commentColumn: 0 } });
      try {
        const file = fixture('format-cols.s');
        await other.open(file, 'loop: addi a0,a0,1 # inc\n  bnez a0,loop\n');
        const edits = await other.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uriOf(file) }, options: { tabSize: 4, insertSpaces: true } });
        assert.equal(applyLineEdits('loop: addi a0,a0,1 # inc\n  bnez a0,loop\n', edits), 'loop: addi  a0, a0, 1 # inc\n    bnez    a0, loop\n');
      } finally { other.dispose(); }
    });
  });

  describe('inlay hints', () => {
    const HINTS = fixture('hints.s');

    it('shows constant values at their uses and the length of a long li', async () => {
      await client.open(HINTS);
      const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: uriOf(HINTS) }, range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } } });
      const shown = hints.map((h) => `${h.position.line}:${h.position.character} ${h.label as string}`);
      assert.deepEqual(shown, [
        '4:25 = 3',
        '5:23 = 0x12345678', '5:23 2 instructions',
        '6:31 4 instructions',
        // V is redefined by .set: no single value, and li of it is not counted.
        '8:29 = 3',
      ]);
      const li = hints.find((h) => h.label === '4 instructions')!;
      assert.equal((li.tooltip as MarkupContent).value, '```xpc-asm\nlui rd, 146\naddiw rd, rd, -1493\nslli rd, rd, 13\naddi rd, rd, 1929\n```');
      const part = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: uriOf(HINTS) }, range: { start: { line: 6, character: 0 }, end: { line: 7, character: 0 } } });
      assert.deepEqual(part.map((h) => h.label), ['4 instructions']);
    });
  });
});
