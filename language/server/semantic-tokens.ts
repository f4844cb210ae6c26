// Semantic tokens (whole document): what the TextMate grammar cannot know because it needs the
// tables and the include closure — whether a mnemonic is a table instruction, a
// pseudo-instruction or a macro defined somewhere, whether a name is a label, a constant or a
// CSR in a CSR slot, and which labels are definitions. Built from the scan tokenizer, so it
// works on half-written text and costs one pass over the lines.

import { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver/node';
import { statementContext } from './context';
import { csrByName, operandSlots, pseudoFormsOf, registerNumber, specsFor } from './isa-docs';
import { DefKind, Token, tokenizeLine } from './scan';
import { injectedSymbols } from './system-features';
import { Workspace } from './workspace';

/**
 * Standard LSP type names, so themes colour them without the extension declaring anything.
 * Instructions, pseudo-instructions and directives share `keyword`-like types but are told apart:
 * pseudo-instructions by the `pseudo` modifier, directives by their own type.
 */
export const TOKEN_TYPES = [
  'keyword', // instruction or pseudo-instruction mnemonic
  'macro', // macro invocation or definition, #define name
  'decorator', // assembler directive (.word) or preprocessor directive (#include)
  'variable', // register (defaultLibrary) or .equ/.set/= constant (readonly)
  'property', // CSR in a CSR operand (xpc for the XPC extension's)
  'label', // label, numeric local label and its 1f/1b references
  'parameter', // macro parameter (\reg) and its declaration
  'number',
  'string',
  'comment',
  'operator', // %hi, %lo, %pcrel_hi, %pcrel_lo
] as const;

export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary', 'pseudo', 'xpc'] as const;

export type TokenType = typeof TOKEN_TYPES[number];
export type TokenModifier = typeof TOKEN_MODIFIERS[number];

export const LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

const typeIndex = new Map<string, number>(TOKEN_TYPES.map((t, i) => [t, i]));
const modifierBit = new Map<string, number>(TOKEN_MODIFIERS.map((m, i) => [m, 1 << i]));

/** One classified token before encoding (also what tests decode the wire format back into). */
export interface ClassifiedToken {
  readonly line: number;
  readonly start: number;
  readonly length: number;
  readonly type: TokenType;
  readonly modifiers: readonly TokenModifier[];
}

const EQU_DIRECTIVES = new Set(['.equ', '.set', '.equiv', '.eqv']);

const slotCache = new Map<string, string[][]>();

/** operandSlots, memoised: it formats every table form's syntax, and a file repeats few mnemonics. */
function cachedSlots(mnemonic: string): string[][] {
  let s = slotCache.get(mnemonic);
  if (!s) {
    s = operandSlots(mnemonic);
    // Bounded: unknown words typed as mnemonics would otherwise accumulate.
    if (slotCache.size < 4096) slotCache.set(mnemonic, s);
  }
  return s;
}

/** The kind of a mnemonic as written at the start of a statement, or undefined when unknown. */
function mnemonicKind(name: string, macros: ReadonlySet<string>): { type: TokenType; modifiers: TokenModifier[] } | undefined {
  // A macro shadows a mnemonic of the same name, as in the assembler.
  if (macros.has(name)) return { type: 'macro', modifiers: [] };
  const l = name.toLowerCase();
  if (specsFor(l).length) return { type: 'keyword', modifiers: [] };
  if (pseudoFormsOf(l).length) return { type: 'keyword', modifiers: ['pseudo'] };
  return undefined;
}

export function classifyDocument(ws: Workspace, docPath: string): ClassifiedToken[] {
  const index = ws.index(docPath);
  if (!index) return [];
  // Every name defined in the include closure with its kind; the document's own first, as lookups do.
  const kinds = new Map<string, DefKind>();
  const macros = new Set<string>();
  for (const f of ws.closure(docPath)) {
    for (const d of f.index.defs) {
      if (d.kind === 'macro') macros.add(d.name);
      else if (!kinds.has(d.name)) kinds.set(d.name, d.kind);
    }
  }
  // Names the system builder defines for a process source are #defines too.
  for (const s of injectedSymbols(ws, docPath)) if (!kinds.has(s.name)) kinds.set(s.name, 'define');
  const out: ClassifiedToken[] = [];
  const push = (line: number, t: Token, type: TokenType, modifiers: TokenModifier[] = []) => {
    if (t.e > t.s) out.push({ line, start: t.s, length: t.e - t.s, type, modifiers });
  };

  for (let ln = 0; ln < index.lines.length; ln++) {
    const text = index.lines[ln];
    const tokens = tokenizeLine(text, index.inBlockAt[ln] === 1, index.cpp).tokens;
    if (!tokens.length) continue;
    const word = (t: Token) => text.slice(t.s, t.e);
    const nameToken = (t: Token, declaration: boolean) => {
      const name = word(t);
      const kind = kinds.get(name);
      const decl: TokenModifier[] = declaration ? ['declaration'] : [];
      if (kind === 'label') push(ln, t, 'label', decl);
      else if (kind === 'equ') push(ln, t, 'variable', [...decl, 'readonly']);
      else if (kind === 'define') push(ln, t, 'macro', decl);
      else if (macros.has(name)) push(ln, t, 'macro', decl);
    };

    if (tokens[0].k === 'pp') {
      push(ln, tokens[0], 'decorator');
      const isDefine = /^#\s*define$/.test(word(tokens[0]));
      tokens.slice(1).forEach((t, k) => {
        if (t.k === 'ident') {
          if (isDefine && k === 0) push(ln, t, 'macro', ['declaration']);
          else nameToken(t, false);
        } else simple(t);
      });
      continue;
    }

    // Statement by statement: `;` separates them, as in the scan.
    let st = 0;
    while (st <= tokens.length) {
      let en = st;
      while (en < tokens.length && !(tokens[en].k === 'punct' && text.charCodeAt(tokens[en].s) === 59)) en++;
      statement(tokens.slice(st, en));
      if (en >= tokens.length) break;
      st = en + 1;
    }

    function simple(t: Token): void {
      switch (t.k) {
        case 'comment': push(ln, t, 'comment'); break;
        case 'string': case 'char': push(ln, t, 'string'); break;
        case 'reloc': push(ln, t, 'operator'); break;
        case 'macroParam': push(ln, t, 'parameter'); break;
        case 'number': push(ln, t, /^\d+[fb]$/.test(word(t)) ? 'label' : 'number'); break;
        default: break;
      }
    }

    function statement(toks: Token[]): void {
      let p = 0;
      // Labels first: `name:` and `1:` (not `name :=`).
      while (p + 1 < toks.length && (toks[p].k === 'ident' || toks[p].k === 'number') && word(toks[p + 1]) === ':' && text[toks[p + 1].e] !== '=') {
        push(ln, toks[p], 'label', ['declaration']);
        p += 2;
      }
      // Comments may sit anywhere (a `/* */` between operands); the op is the first code token.
      while (p < toks.length && toks[p].k === 'comment') simple(toks[p++]);
      const op = toks[p];
      if (!op) return;
      if (op.k !== 'ident') { for (const t of toks.slice(p)) simple(t); return; }
      const opName = word(op);
      const rest = toks.slice(p + 1);
      const assign = rest[0] && word(rest[0]) === '=' && text[rest[0].e] !== '=';
      let declared: Token | undefined;
      let macroParams = false;
      if (assign) {
        push(ln, op, 'variable', ['declaration', 'readonly']);
      } else if (opName.startsWith('.')) {
        push(ln, op, 'decorator');
        const d = opName.toLowerCase();
        const first = rest.find((t) => t.k !== 'comment');
        if (d === '.macro' && first?.k === 'ident') { push(ln, first, 'macro', ['declaration']); declared = first; macroParams = true; }
        else if (EQU_DIRECTIVES.has(d) && first?.k === 'ident') { push(ln, first, 'variable', ['declaration', 'readonly']); declared = first; }
      } else {
        const k = mnemonicKind(opName, macros);
        if (k) push(ln, op, k.type, k.modifiers);
      }
      // Which operands are CSRs: asked of the statement context at each identifier's place.
      const slots = !opName.startsWith('.') && !macros.has(opName) ? cachedSlots(opName) : [];
      const csrSlots = slots.some((f) => f.includes('csr')) ? slots : [];
      // `.macro name a, b=1, c:vararg`: a parameter name starts each comma-separated part (or
      // blank-separated, when the list has no comma); after `:` comes a qualifier, after `=` a default.
      const blankSeparated = macroParams && !rest.some((t) => t.k === 'punct' && text[t.s] === ',');
      let paramState: 'name' | 'qualifier' | 'default' | 'after' = 'name';
      let prev: Token = declared ?? op;
      for (const t of rest) {
        const gap = t.s > prev.e;
        prev = t;
        if (t === declared) continue;
        if (macroParams) {
          const c = text[t.s];
          if (t.k === 'punct') { paramState = c === ',' ? 'name' : c === ':' ? 'qualifier' : c === '=' ? 'default' : paramState; continue; }
          if (blankSeparated && gap && paramState !== 'default') paramState = 'name';
          if (t.k === 'ident' && paramState === 'name') { push(ln, t, 'parameter', ['declaration']); paramState = 'after'; continue; }
          if (paramState === 'qualifier') { paramState = 'after'; continue; }
          if (t.k !== 'ident') { simple(t); if (blankSeparated && paramState === 'default') paramState = 'after'; continue; }
          nameToken(t, false);
          if (blankSeparated && paramState === 'default') paramState = 'after';
          continue;
        }
        if (t.k !== 'ident') { simple(t); continue; }
        const name = word(t);
        if (csrSlots.length) {
          const csr = csrByName(name);
          const ctx = statementContext(text, tokens, t.s + 1);
          if (csr && csrSlots.some((f) => f[ctx.operandIndex] === 'csr')) { push(ln, t, 'property', csr.xpc ? ['xpc'] : []); continue; }
        }
        if (registerNumber(name) !== undefined) { push(ln, t, 'variable', ['defaultLibrary']); continue; }
        nameToken(t, false);
      }
    }
  }
  return out;
}

/** The LSP wire format: five integers per token, positions relative to the previous token. */
export function encodeTokens(tokens: readonly ClassifiedToken[]): SemanticTokens {
  const data: number[] = [];
  let line = 0, start = 0;
  for (const t of tokens) {
    const dl = t.line - line;
    data.push(dl, dl === 0 ? t.start - start : t.start, t.length, typeIndex.get(t.type)!, t.modifiers.reduce((m, x) => m | modifierBit.get(x)!, 0));
    line = t.line;
    start = t.start;
  }
  return { data };
}

export function semanticTokens(ws: Workspace, docPath: string): SemanticTokens {
  return encodeTokens(classifyDocument(ws, docPath));
}
