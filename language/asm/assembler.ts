// The assembler: reads source lines (after the preprocessor), runs directives, expands macros
// and repetitions, encodes instructions from the ISA table (compressing where GNU as does),
// expands pseudo-instructions, relaxes branches, and produces an AsmObject for the linker.

import { ALL_SPECS, CompiledSpec, compress, encode, specsFor } from '../../emulator/isa/codec';
import { syntaxOf } from '../../emulator/isa/reference';
import { csrByName, csrByNumber, csrReadOnlyByNumber } from '../../emulator/isa/csrs';
import { insertField, operandKind, operandRange, operandValue } from '../../emulator/isa/operands';
import { registerNumber } from '../../emulator/isa/registers';
import { Diagnostic, ExpansionStep } from './diagnostics';
import { Expr, ExprContext, ExprError, evaluate, parseExpression, symbolsOf } from './expr';
import { ParsedStatement, parseStatement, splitOperands, splitStatements, stringEnd } from './lines';
import {
  AlignItem, AsmObject, FieldMode, AsmSymbol, BranchItem, Fixup, FixupKind, INTERNAL_PREFIX, Loc, MAX_OBJECT_BYTES, MAX_SYMBOL_NESTING, ObjSection,
  SectionBuilder, SectionFlags, displaySymbol,
} from './object';
import { LineSource, LineStream, MacroDef, MacroParam, SrcLine, fileLines, splitMacroArgs, substitute } from './source';
import { PSEUDO_HANDLERS, InsnOperand } from './pseudo';
import { relaxSection } from './relax';

export interface AssemblerHost {
  readFile(path: string): string | undefined;
  /** Resolves `.include "name"` from the including file and the -I directories. */
  resolveInclude(name: string, fromFile: string, dirs: readonly string[]): string | undefined;
}

export interface AssembleFileOptions {
  readonly includeDirs?: readonly string[];
  /** Start with compressed instructions enabled (rv64imac); `.option norvc` turns them off. */
  readonly rvc?: boolean;
  readonly host?: AssemblerHost;
}

/**
 * Bounds on the work one file may ask for, so that hostile or random input (a macro that calls
 * itself twice, nested .rept, .space in a loop) ends in a diagnostic instead of a hang or
 * gigabytes of memory. GNU as has no such limits; real programs stay far below them.
 */
export const MAX_EXPANDED_LINES = 2_000_000;
/** Characters of those lines: a long line repeated a million times takes as long as a billion short ones. */
export const MAX_EXPANDED_TEXT = 256 * 1024 * 1024;
/**
 * Text that macro and `.irp`/`.irpc` expansions may create in all, counted at its worst case
 * before substituting (a macro passing itself ever longer arguments doubles it per call).
 */
export const MAX_EXPANSION_CHARS = 16 * 1024 * 1024;

class AsmError extends Error {
  constructor(message: string, readonly col?: number, readonly length?: number) { super(message); }
}

/** An error after which assembling stops, as gas's `as_fatal` (runaway macro or include recursion). */
class FatalAsmError extends AsmError {}

const STANDARD_SECTIONS: Record<string, { nobits: boolean; flags: SectionFlags }> = {
  '.text': { nobits: false, flags: { alloc: true, write: false, exec: true } },
  '.data': { nobits: false, flags: { alloc: true, write: true, exec: false } },
  '.rodata': { nobits: false, flags: { alloc: true, write: false, exec: false } },
  '.bss': { nobits: true, flags: { alloc: true, write: true, exec: false } },
};

function defaultSectionKind(name: string): { nobits: boolean; flags: SectionFlags } {
  const base = ['.text', '.data', '.rodata', '.bss'].find((b) => name === b || name.startsWith(b + '.'));
  if (base) return STANDARD_SECTIONS[base];
  if (/^\.s(data|bss)/.test(name)) return STANDARD_SECTIONS[name.startsWith('.sbss') ? '.bss' : '.data'];
  if (name.startsWith('.srodata')) return STANDARD_SECTIONS['.rodata'];
  if (name.startsWith('.tbss')) return STANDARD_SECTIONS['.bss'];
  return { nobits: false, flags: { alloc: false, write: false, exec: false } };
}

interface CondFrame { active: boolean; taken: boolean; sawElse: boolean; loc: Loc }

interface OptionState { rvc: boolean; relax: boolean }

/** Collects lines of a .macro or .rept/.irp/.irpc body until its terminator. */
interface Collecting {
  readonly kind: 'macro' | 'rept';
  depth: number;
  readonly lines: SrcLine[];
  readonly start: Loc;
  readonly onDone: (body: SrcLine[]) => void;
}

const DIRECTIVE_RE = /^\s*(?:[A-Za-z_.$][\w.$]*:\s*)*(\.[A-Za-z_][\w.]*)/;

export class Assembler implements ExprContext {
  readonly diagnostics: Diagnostic[] = [];
  private sections = new Map<string, SectionBuilder>();
  private sec!: SectionBuilder;
  private sectionStack: { cur: SectionBuilder; prev: SectionBuilder }[] = [];
  private prevSec!: SectionBuilder;
  readonly symbols = new Map<string, AsmSymbol>();
  private macros = new Map<string, MacroDef>();
  private conds: CondFrame[] = [];
  private collecting?: Collecting;
  private stream = new LineStream();
  private opts: OptionState;
  private optStack: OptionState[] = [];
  private macroCounter = 0;
  private localCounts = new Map<string, number>();
  private dotCounter = 0;
  /** The line being assembled and the column of the current statement (a Loc is made only when needed). */
  private src: SrcLine = { text: '', file: '', line: 0, chain: [] };
  private col = 1;
  private get loc(): Loc {
    return { file: this.src.file, line: this.src.line, col: this.col, chain: this.src.chain };
  }
  /** Column of the current statement's mnemonic, for line rows. */
  private stmtCol = 1;
  private readonly host?: AssemblerHost;
  private readonly includeDirs: readonly string[];
  /** Lines read so far, expansions included (bounded by MAX_EXPANDED_LINES), and their characters (MAX_EXPANDED_TEXT). */
  private linesRead = 0;
  private textRead = 0;
  /** Worst-case alignment padding promised so far (counted against MAX_OBJECT_BYTES). */
  private paddingReserved = 0;
  /** Characters created by macro and .irp expansions so far (bounded by MAX_EXPANSION_CHARS). */
  private expansionChars = 0;
  /** Set by a fatal error: nothing after it is assembled. */
  private stopped = false;

  constructor(readonly file: string, options: AssembleFileOptions = {}) {
    this.opts = { rvc: options.rvc ?? true, relax: true };
    this.host = options.host;
    this.includeDirs = options.includeDirs ?? [];
    this.switchSection('.text');
    this.prevSec = this.sec;
  }

  // ---- Entry points ---------------------------------------------------------------------------

  /** Assembles lines (already preprocessed for `.S`) and returns the object. */
  assembleLines(lines: LineSource): AsmObject {
    this.stream.push(lines, 0);
    let inBlock = false;
    for (let l = this.stream.next(); l && !this.stopped; l = this.stream.next()) {
      this.src = l;
      this.col = 1;
      this.textRead += l.text.length;
      if (++this.linesRead > MAX_EXPANDED_LINES || this.textRead > MAX_EXPANDED_TEXT) {
        const what = this.linesRead > MAX_EXPANDED_LINES ? `${MAX_EXPANDED_LINES} lines` : `${MAX_EXPANDED_TEXT / 0x100000} MiB of text`;
        this.error(`more than ${what} to assemble after expanding macros, repetitions and includes; the rest is not assembled (a macro that calls itself, or nested .rept?)`);
        this.stopped = true;
        break;
      }
      if (this.collecting) { this.collectLine(l); continue; }
      let r;
      try {
        r = splitStatements(l.text, inBlock);
      } catch (e) {
        this.error(String(e));
        continue;
      }
      inBlock = r.inBlockComment;
      for (const st of r.statements) {
        if (this.stopped) break;
        this.col = st.col;
        if (this.collecting) {
          // A .macro/.rept started earlier on this line takes the rest of the line as body text.
          this.collectLine({ ...l, text: st.text });
          continue;
        }
        try {
          this.statement(parseStatement(st), l);
        } catch (e) {
          if (e instanceof FatalAsmError) this.stopped = true;
          if (e instanceof AsmError) this.error(e.message, e.col, e.length);
          else if (e instanceof ExprError) this.error(e.message, e.col);
          else this.error(`internal error: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    if (this.collecting && !this.stopped) {
      const c = this.collecting;
      this.diagnostics.push({ severity: 'error', file: c.start.file, line: c.start.line, col: c.start.col, chain: c.start.chain, message: c.kind === 'macro' ? 'missing .endm for .macro' : 'missing .endr' });
    }
    for (const c of this.stopped ? [] : this.conds) {
      this.diagnostics.push({ severity: 'error', file: c.loc.file, line: c.loc.line, col: c.loc.col, chain: c.loc.chain, message: '.if without .endif' });
    }
    return this.finish();
  }

  // ---- Diagnostics ----------------------------------------------------------------------------

  private error(message: string, col?: number, length?: number): void {
    this.diag('error', message, col, length);
  }

  private warn(message: string, col?: number): void {
    this.diag('warning', message, col);
  }

  private diag(severity: 'error' | 'warning', message: string, col?: number, length?: number): void {
    const l = this.src;
    this.diagnostics.push({ severity, file: l.file, line: l.line, col: col ?? this.col, message, chain: l.chain, length });
  }

  private locAt(col: number): Loc {
    return { file: this.src.file, line: this.src.line, col, chain: this.src.chain };
  }

  // ---- ExprContext ----------------------------------------------------------------------------

  localLabel(n: string, dir: 'b' | 'f', col: number): string {
    const count = this.localCounts.get(n) ?? 0;
    if (dir === 'b') {
      if (count === 0) throw new ExprError(`no previous definition of local label ${n}`, col);
      return `${INTERNAL_PREFIX}L${n}^${count}`;
    }
    return `${INTERNAL_PREFIX}L${n}^${count + 1}`;
  }

  dot(): string {
    const name = `${INTERNAL_PREFIX}dot${this.dotCounter++}`;
    this.defineLabel(name, this.loc);
    return name;
  }

  // ---- Collecting macro and repetition bodies -------------------------------------------------

  private collectLine(l: SrcLine): void {
    const c = this.collecting!;
    const m = DIRECTIVE_RE.exec(l.text);
    const d = m?.[1].toLowerCase();
    if (c.kind === 'macro') {
      if (d === '.macro') c.depth++;
      else if (d === '.endm' || d === '.endmacro') c.depth--;
    } else {
      if (d === '.rept' || d === '.irp' || d === '.irpc') c.depth++;
      else if (d === '.endr') c.depth--;
    }
    if (c.depth === 0) {
      this.collecting = undefined;
      c.onDone(c.lines);
      return;
    }
    c.lines.push(l);
  }

  // ---- Statements -----------------------------------------------------------------------------

  private statement(st: ParsedStatement, line: SrcLine): void {
    const active = this.conds.length === 0 || this.conds[this.conds.length - 1].active;
    const op = st.op;
    const lop = op.toLowerCase();
    if (!active) {
      // Only conditional structure matters in a skipped region.
      if (lop.startsWith('.if') || lop === '.else' || lop === '.elseif' || lop === '.endif') this.conditional(lop, st);
      return;
    }
    for (const lb of st.labels) this.label(lb.name, lb.col);
    if (st.assign) {
      this.setSymbol(st.assign.name, st.assign.expr, st.assign.exprCol, false);
      return;
    }
    if (!op) return;
    this.stmtCol = st.opCol;
    if (op[0] === '.') {
      this.directive(lop, st, line);
      return;
    }
    const macro = this.macros.get(op);
    if (macro) {
      this.expandMacro(macro, st);
      return;
    }
    this.instruction(lop, st.rest, st.restCol, st.opCol);
  }

  private label(name: string, col: number): void {
    if (/^\d+$/.test(name)) {
      const count = (this.localCounts.get(name) ?? 0) + 1;
      this.localCounts.set(name, count);
      this.defineLabel(`${INTERNAL_PREFIX}L${name}^${count}`, this.locAt(col));
      return;
    }
    this.defineLabel(name, this.locAt(col));
  }

  private sym(name: string): AsmSymbol {
    let s = this.symbols.get(name);
    if (!s) {
      s = { name, global: false, weak: false };
      this.symbols.set(name, s);
    }
    return s;
  }

  private defineLabel(name: string, loc: Loc): void {
    const s = this.sym(name);
    if (s.def) {
      throw new AsmError(`symbol '${displaySymbol(name)}' is already defined` + (s.defLoc ? ` (at ${s.defLoc.file}:${s.defLoc.line})` : ''), loc.col, name.length);
    }
    s.def = { kind: 'label', section: this.sec.name, off: this.sec.size, vi: this.sec.vars.length };
    s.defLoc = loc;
  }

  /** `.set`/`.equ`/`=`: a constant is recorded by value now, so later redefinitions do not affect earlier uses. */
  private setSymbol(name: string, exprText: string, col: number, once: boolean): void {
    const e = this.parseExpr(exprText, col);
    const s = this.sym(name);
    if (s.def && (once || s.def.kind === 'label')) throw new AsmError(`symbol '${name}' is already defined`, col);
    const v = this.constValue(e);
    s.def = v !== undefined ? { kind: 'value', value: v } : { kind: 'expr', expr: this.freeze(e) };
    s.defLoc = this.loc;
  }

  // ---- Expressions ----------------------------------------------------------------------------

  private parseExpr(text: string, col: number): Expr {
    return parseExpression(text, col, this);
  }

  /** Value now, if the expression only uses constants and constant symbols. */
  private constValue(e: Expr): bigint | undefined {
    return this.constValueIn(e, new Map(), 0);
  }

  /**
   * `memo` holds the symbols evaluated in this one evaluation (a chain of definitions that each
   * use the previous one twice is otherwise exponential), `null` while one is being evaluated.
   */
  private constValueIn(e: Expr, memo: Map<string, bigint | undefined | null>, depth: number): bigint | undefined {
    return evaluate(e, (name, col) => {
      const s = this.symbols.get(name);
      if (s?.def?.kind === 'value') return s.def.value;
      if (s?.def?.kind === 'expr') {
        const known = memo.get(name);
        if (known === null) throw new AsmError(`symbol '${displaySymbol(name)}' is defined in terms of itself`, col);
        if (memo.has(name)) return known;
        if (depth >= MAX_SYMBOL_NESTING) throw new AsmError(`symbol definitions nested more than ${MAX_SYMBOL_NESTING} deep (at '${displaySymbol(name)}')`, col);
        memo.set(name, null);
        const v = this.constValueIn(s.def.expr, memo, depth + 1);
        memo.set(name, v);
        return v;
      }
      if (!s) this.sym(name).firstUse = this.loc;
      else if (!s.firstUse) s.firstUse = this.loc;
      return undefined;
    });
  }

  private requireConst(text: string, col: number, what: string): bigint {
    const e = this.parseExpr(text, col);
    const v = this.constValue(e);
    if (v === undefined) {
      const unknown = symbolsOf(e).filter((n) => this.symbols.get(n)?.def?.kind !== 'value');
      throw new AsmError(`${what} must be a constant expression` + (unknown.length ? ` ('${displaySymbol(unknown[0])}' is not a constant known at this point)` : ''), col);
    }
    return v;
  }

  /** Replaces constant symbols by their current values (a later `.set` must not change this use). */
  private freeze(e: Expr): Expr {
    switch (e.t) {
      case 'num': return e;
      case 'sym': {
        const s = this.symbols.get(e.name);
        if (s?.def?.kind === 'value') return { t: 'num', v: s.def.value, col: e.col };
        if (!s) this.sym(e.name).firstUse = this.locAt(e.col);
        else if (!s.firstUse) s.firstUse = this.locAt(e.col);
        return e;
      }
      case 'un': return { ...e, e: this.freeze(e.e) };
      case 'reloc': return { ...e, e: this.freeze(e.e) };
      case 'bin': return { ...e, l: this.freeze(e.l), r: this.freeze(e.r) };
    }
  }

  // ---- Sections -------------------------------------------------------------------------------

  private switchSection(name: string, flagsText?: string, typeText?: string): void {
    let s = this.sections.get(name);
    if (!s) {
      const d = defaultSectionKind(name);
      let flags = d.flags, nobits = d.nobits;
      if (flagsText !== undefined) {
        flags = { alloc: flagsText.includes('a'), write: flagsText.includes('w'), exec: flagsText.includes('x') };
      }
      if (typeText !== undefined) nobits = typeText === 'nobits';
      s = new SectionBuilder(name, nobits, flags);
      // As gas: only .text gets an instruction alignment up front (from the initial -march);
      // other code sections start byte-aligned, which decides their end padding and placement.
      if (flags.exec && name === '.text') s.align = this.opts.rvc ? 2 : 4;
      this.sections.set(name, s);
    }
    if (this.sec) this.prevSec = this.sec;
    this.sec = s;
  }

  // ---- Emission -------------------------------------------------------------------------------

  private row(): void {
    // Code inside macro expansions maps to the outermost invocation the user wrote.
    const chain = this.src.chain;
    const site = chain.length ? chain.find((c) => c.kind === 'macro') : undefined;
    const file = site ? site.file : this.src.file;
    const line = site ? site.line : this.src.line;
    const col = site ? site.col : this.stmtCol;
    this.sec.rows.push(this.sec.size, this.sec.vars.length, file, line, col);
  }

  private checkCodeSection(): void {
    if (this.sec.nobits) throw new AsmError(`instructions cannot go in ${this.sec.name} (a section without contents)`);
  }

  private fixup(kind: FixupKind, expr: Expr, col: number, hi?: Fixup): Fixup {
    const f: Fixup = { off: this.sec.size, vi: this.sec.vars.length, kind, expr: hi ? expr : this.freeze(expr), loc: this.locAt(col), hi };
    this.sec.fixups.push(f);
    return f;
  }

  /**
   * Emits one base or compressed instruction. Operand values that are undefined come with a
   * fixup (the field is patched at link time, so such instructions are never compressed).
   */
  emitInsn(c: CompiledSpec, values: readonly (number | undefined)[], fix: InsnFix | undefined, opCols: readonly number[], compressible = true): Fixup | undefined {
    this.checkCodeSection();
    this.row();
    const known = fix ? values.map((v) => v ?? 0) : values as readonly number[];
    if (!fix && compressible && c.length === 4 && this.opts.rvc) {
      const z = compress(c, known);
      if (z) { this.sec.emit16(z.word); return undefined; }
    }
    const r = encode(c, known);
    if (!r.ok) throw this.operandError(c, r.operand, known[r.operand], r.reason, opCols[r.operand]);
    const f = fix ? this.fixup({ k: 'field', field: c.operands[fix.index].kind, mode: fix.mode, length: c.length }, fix.expr, fix.col, fix.hi) : undefined;
    if (c.length === 2) this.sec.emit16(r.word); else this.sec.emit32(r.word);
    return f;
  }

  private operandError(c: CompiledSpec, index: number, value: number | bigint, reason: 'range' | 'refused', col: number | undefined): AsmError {
    const op = c.operands[index];
    const k = op.kind;
    if (reason === 'refused') return new AsmError(`${c.spec.mnemonic}: operand ${index + 1} may not be ${k.cls === 'reg' ? `x${value}` : value}`, col);
    if (k.cls === 'reg') return new AsmError(`${c.spec.mnemonic}: operand ${index + 1} must be one of x8-x15 (s0, s1, a0-a5)`, col);
    const r = operandRange(k);
    const scale = r.scale > 1 ? ` and a multiple of ${r.scale}` : '';
    const lo = k.asmToField ? '1' : r.min.toString();
    const hi = k.asmToField ? '31 or 0xfffe0..0xfffff' : (k.hex ? `0x${r.max.toString(16)}` : r.max.toString());
    return new AsmError(`${c.spec.mnemonic}: immediate ${value} out of range (${lo}..${hi}${scale})`, col);
  }

  /** A conditional branch or jal to a symbol: relaxable, sized at layout time. */
  emitBranch(c: CompiledSpec, regs: readonly number[], target: Expr, rvc: boolean): void {
    this.checkCodeSection();
    this.row();
    const item: BranchItem = { k: 'branch', off: this.sec.size, vi: this.sec.vars.length, loc: this.locAt(target.col), spec: c, regs, rvc: rvc && this.opts.rvc, target: this.freeze(target), size: 0 };
    this.sec.vars.push(item);
  }

  /** `call`/`tail`: auipc + jalr with one fixup over both. */
  emitCall(linkReg: number, tmpReg: number, target: Expr): void {
    this.checkCodeSection();
    this.row();
    const auipc = specsFor('auipc')[0], jalr = specsFor('jalr')[0];
    this.fixup({ k: 'call' }, target, target.col);
    this.sec.emit32((encode(auipc, [tmpReg, 0]) as { word: number }).word);
    this.sec.emit32((encode(jalr, [linkReg, 0, tmpReg]) as { word: number }).word);
  }

  get rvcEnabled(): boolean { return this.opts.rvc; }

  /** A raw 16-bit instruction (c.unimp). */
  emitRaw16(word: number): void {
    this.checkCodeSection();
    this.row();
    this.sec.emit16(word);
  }

  // ---- Instructions ---------------------------------------------------------------------------

  private instruction(mnemonic: string, rest: string, restCol: number, opCol: number): void {
    const ops: InsnOperand[] = splitOperands(rest, restCol);
    const handler = PSEUDO_HANDLERS.get(mnemonic);
    if (handler && handler(this.insnApi, ops, mnemonic)) return;
    const specs = specsFor(mnemonic);
    if (!specs.length) {
      const near = this.nearestMnemonic(mnemonic);
      throw new AsmError(`unknown instruction '${mnemonic}'` + (near ? ` (did you mean '${near}'?)` : ''), opCol, mnemonic.length);
    }
    // As GNU as: the c.* mnemonics exist only while compressed instructions are enabled.
    if (!this.opts.rvc && specs.every((c) => c.length === 2)) throw new AsmError(`'${mnemonic}' needs compressed instructions (.option rvc)`, opCol, mnemonic.length);
    let lastErr: AsmError | undefined;
    for (const c of specs) {
      try {
        this.encodeWithSyntax(c, ops, opCol);
        return;
      } catch (e) {
        if (!(e instanceof AsmError)) throw e;
        lastErr = e;
      }
    }
    throw lastErr!;
  }

  /**
   * Operand state of the instruction being encoded. Reused, not reallocated: this runs for every
   * instruction, and encoding never nests.
   */
  private readonly ops = {
    values: [] as (number | undefined)[],
    cols: [] as number[],
    fix: undefined as InsnFix | undefined,
    target: undefined as Expr | undefined,
    /** GNU as never compresses an instruction written with %hi/%lo, even of a constant. */
    relocOperator: false,
  };

  /** The closest known mnemonic or macro name, for "did you mean" (at most two edits away). */
  private nearestMnemonic(name: string): string | undefined {
    let best: string | undefined, bestD = 3;
    for (const cand of [...ALL_MNEMONICS, ...this.macros.keys()]) {
      if (Math.abs(cand.length - name.length) >= bestD) continue;
      const d = editDistance(name, cand, bestD);
      if (d < bestD) { best = cand; bestD = d; }
    }
    return best;
  }

  /** Parses operands per the spec's syntax and emits the instruction. */
  encodeWithSyntax(c: CompiledSpec, ops: readonly InsnOperand[], opCol: number): void {
    const groups = syntaxGroups(c);
    if (ops.length !== groups.length) {
      throw new AsmError(`${c.spec.mnemonic} takes ${groups.length} operand${groups.length === 1 ? '' : 's'} (${syntaxOf(c)}), got ${ops.length}`, opCol, c.spec.mnemonic.length);
    }
    const st = this.ops;
    st.values.length = c.operands.length;
    st.cols.length = c.operands.length;
    st.fix = undefined;
    st.target = undefined;
    st.relocOperator = false;
    let opIndex = 0;
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi];
      const o = ops[gi];
      if (g.kind === 'single') { this.takeOperand(c, opIndex++, o.text, o.col); continue; }
      if (g.kind === 'fixed') {
        const r = this.register(o.text, o.col);
        if (r !== g.reg) throw new AsmError(`${c.spec.mnemonic}: operand ${gi + 1} must be ${['zero', 'ra', 'sp'][g.reg] ?? 'x' + g.reg}`, o.col);
        continue;
      }
      // offset(base) or (base)
      const m = MEM_OPERAND.exec(o.text);
      if (!m) throw new AsmError(`${c.spec.mnemonic}: expected ${g.kind === 'paren' ? '(register)' : 'offset(register)'}, got '${o.text}'`, o.col);
      if (g.kind === 'paren') {
        if (m[1].trim() !== '' && this.constValue(this.parseExpr(m[1], o.col)) !== 0n) throw new AsmError(`${c.spec.mnemonic}: the address must be (register) with no offset`, o.col);
        this.takeOperand(c, opIndex++, m[2], o.col + o.text.indexOf('(') + 1);
        continue;
      }
      const offText = m[1].trim();
      if (offText === '') { st.cols[opIndex] = o.col; st.values[opIndex++] = 0; }
      else this.takeOperand(c, opIndex++, offText, o.col);
      if (g.baseFixed !== undefined) {
        if (this.register(m[2], o.col) !== g.baseFixed) throw new AsmError(`${c.spec.mnemonic}: base register must be sp`, o.col);
      } else this.takeOperand(c, opIndex++, m[2], o.col + o.text.lastIndexOf('(') + 1);
    }
    const target = st.target as Expr | undefined;
    if (target && c.length === 4 && (c.spec.format === 'B' || c.spec.format === 'J')) {
      // Branches and jumps to symbols are relaxed at layout like GNU as does.
      const regs = c.spec.format === 'B' ? [st.values[0]!, st.values[1]!] : [st.values[0]!];
      // GNU as relaxes to c.j only what is written `j`; `jal zero, label` stays a 4-byte jal.
      const rvc = (c.spec.mnemonic === 'beq' || c.spec.mnemonic === 'bne') && regs[1] === 0 && regs[0] >= 8 && regs[0] <= 15;
      this.emitBranch(c, regs, target, rvc);
      return;
    }
    if (c.spec.ext === 'Zicsr') this.checkCsrWrite(c, st.values, st.cols);
    this.emitInsn(c, st.values, st.fix, st.cols, !st.relocOperator);
  }

  /** Warns about a write to a read-only CSR (which traps), as GNU as does with -mcsr-check. */
  private checkCsrWrite(c: CompiledSpec, values: readonly (number | undefined)[], cols: readonly number[]): void {
    const [, csr, src] = values;
    if (csr === undefined) return;
    const m = c.spec.mnemonic;
    const writes = m === 'csrrw' || m === 'csrrwi' || src !== 0;
    const spec = csrByNumber(csr);
    if (writes && (spec?.readOnly ?? csrReadOnlyByNumber(csr))) {
      this.warn(`CSR ${spec ? `'${spec.name}'` : `0x${csr.toString(16)}`} is read-only: this write raises an illegal-instruction exception`, cols[1]);
    }
  }

  /** One operand's value into this.ops (or a fixup when it is not known until link time). */
  private takeOperand(c: CompiledSpec, i: number, text: string, col: number): void {
    const st = this.ops;
    const k = c.operands[i].kind;
    st.cols[i] = col;
    if (k.cls === 'reg') { st.values[i] = this.register(text, col); return; }
    if (k.cls === 'csr') { st.values[i] = this.csrOperand(text, col); return; }
    if (k.cls === 'fence') { st.values[i] = fenceBits(text, col); return; }
    if (!k.pcrel) {
      // Most immediates are plain decimal or hex numbers: no expression tree needed.
      const n = plainInt(text);
      if (n !== undefined) { st.values[i] = n; return; }
    }
    const e = this.parseExpr(text, col);
    if (k.pcrel) {
      st.target = e;
      st.values[i] = undefined;
      st.fix = { index: i, expr: e, mode: 'pcrel', col };
      return;
    }
    if (e.t === 'reloc') {
      st.relocOperator = true;
      const v = e.fn === 'hi' || e.fn === 'lo' ? this.constValue(e) : undefined;
      if (v !== undefined) st.values[i] = this.immediate(c, i, v, col);
      else { st.values[i] = undefined; st.fix = { index: i, expr: e.e, mode: e.fn, col }; }
      return;
    }
    const v = this.constValue(e);
    if (v !== undefined) st.values[i] = this.immediate(c, i, v, col);
    else { st.values[i] = undefined; st.fix = { index: i, expr: e, mode: 'abs', col }; }
  }

  register(text: string, col: number): number {
    const direct = registerNumber(text);
    if (direct !== undefined) return direct;
    const r = registerNumber(text.trim());
    if (r === undefined) throw new AsmError(`'${text.trim()}' is not a register`, col, text.trim().length);
    return r;
  }

  /** A constant immediate as an operand value; values no field can hold are reported here, exactly. */
  private immediate(c: CompiledSpec, index: number, v: bigint, col: number): number {
    const n = operandValue(v);
    if (Number.isNaN(n)) throw this.operandError(c, index, v, 'range', col);
    return n;
  }

  private csrOperand(text: string, col: number): number {
    const t = text.trim();
    const c = csrByName(t);
    if (c) return c.number;
    const v = this.requireConst(t, col, 'CSR number');
    if (v < 0n || v > 0xfffn) throw new AsmError(`CSR number ${v} out of range (0..0xfff)`, col);
    return Number(v);
  }

  /** Expression parsing for pseudo-instruction handlers. */
  readonly insnApi = {
    asm: this,
    reg: (o: InsnOperand) => this.register(o.text, o.col),
    expr: (o: InsnOperand) => this.parseExpr(o.text, o.col),
    constOf: (e: Expr) => this.constValue(e),
    fail: (message: string, col?: number): never => { throw new AsmError(message, col); },
  };

  // ---- Directives -----------------------------------------------------------------------------

  private directive(d: string, st: ParsedStatement, line: SrcLine): void {
    const ops = () => splitOperands(st.rest, st.restCol);
    const c = st.restCol;
    switch (d) {
      case '.text': case '.data': case '.rodata': case '.bss':
        if (st.rest.trim()) this.warn(`subsections are not supported; '${d} ${st.rest.trim()}' uses ${d}`, c);
        this.switchSection(d); return;
      case '.section': case '.pushsection': {
        const o = ops();
        if (!o.length) throw new AsmError(`${d} needs a section name`, st.opCol);
        const name = o[0].text.replace(/^"(.*)"$/, '$1');
        const flags = o[1] ? o[1].text.replace(/^"(.*)"$/, '$1') : undefined;
        const type = o[2] ? o[2].text.replace(/^[@%]/, '') : undefined;
        if (d === '.pushsection') this.sectionStack.push({ cur: this.sec, prev: this.prevSec });
        this.switchSection(name, flags, type);
        return;
      }
      case '.popsection': {
        const s = this.sectionStack.pop();
        if (!s) throw new AsmError('.popsection without .pushsection', st.opCol);
        this.sec = s.cur; this.prevSec = s.prev; return;
      }
      case '.previous': { const p = this.prevSec; this.prevSec = this.sec; this.sec = p; return; }
      case '.globl': case '.global': case '.local': case '.weak': case '.hidden': case '.protected': case '.internal':
        for (const o of ops()) {
          if (!/^[A-Za-z_.$][\w.$]*$/.test(o.text)) throw new AsmError(`bad symbol name '${o.text}'`, o.col);
          const s = this.sym(o.text);
          if (d === '.globl' || d === '.global') s.global = true;
          else if (d === '.weak') { s.global = true; s.weak = true; }
          else if (d === '.local') s.global = false;
        }
        return;
      case '.type': {
        const o = ops();
        if (o.length < 2) throw new AsmError('.type needs a symbol and a type', c);
        const t = o[1].text.replace(/^[@%"]|"$/g, '');
        const s = this.sym(o[0].text);
        if (t === 'function') s.type = 'func';
        else if (t === 'object') s.type = 'object';
        else if (t === 'notype') s.type = 'notype';
        else throw new AsmError(`unknown symbol type '${o[1].text}'`, o[1].col);
        return;
      }
      case '.size': {
        const o = ops();
        if (o.length < 2) throw new AsmError('.size needs a symbol and an expression', c);
        this.sym(o[0].text).size = this.freeze(this.parseExpr(o[1].text, o[1].col));
        return;
      }
      case '.equ': case '.set': case '.equiv': case '.eqv': {
        const o = ops();
        if (o.length < 2) throw new AsmError(`${d} needs a symbol and an expression`, c);
        if (!/^[A-Za-z_.$][\w.$]*$/.test(o[0].text)) throw new AsmError(`bad symbol name '${o[0].text}'`, o[0].col);
        const exprStart = st.rest.indexOf(',') + 1;
        const exprText = st.rest.slice(exprStart);
        this.setSymbol(o[0].text, exprText, c + exprStart + (exprText.length - exprText.trimStart().length), d === '.equiv');
        return;
      }
      case '.align': case '.p2align': case '.balign': {
        const o = ops();
        if (!o.length) throw new AsmError(`${d} needs an alignment`, st.opCol);
        const n = this.requireConst(o[0].text, o[0].col, 'alignment');
        let alignment: number;
        if (d === '.balign') {
          if (n <= 0n || (n & (n - 1n)) !== 0n) throw new AsmError(`alignment ${n} is not a power of 2`, o[0].col);
          alignment = Number(n);
        } else {
          if (n < 0n || n > 30n) throw new AsmError(`alignment 2^${n} too large`, o[0].col);
          alignment = 1 << Number(n);
        }
        const fill = o[1] && o[1].text !== '' ? Number(this.requireConst(o[1].text, o[1].col, 'fill') & 0xffn) : undefined;
        const max = o[2] && o[2].text !== '' ? Number(this.requireConst(o[2].text, o[2].col, 'maximum')) : alignment;
        this.align(alignment, fill, max);
        return;
      }
      case '.byte': case '.half': case '.short': case '.2byte': case '.word': case '.long': case '.4byte':
      case '.int': case '.dword': case '.8byte': case '.quad': {
        const width = ({ '.byte': 1, '.half': 2, '.short': 2, '.2byte': 2, '.word': 4, '.long': 4, '.4byte': 4, '.int': 4, '.dword': 8, '.8byte': 8, '.quad': 8 } as Record<string, 1 | 2 | 4 | 8>)[d];
        this.row();
        for (const o of ops()) this.data(o.text, o.col, width);
        return;
      }
      case '.ascii': case '.asciz': case '.string': {
        this.row();
        for (const o of ops()) {
          const bytes = parseString(o.text, o.col);
          this.emitData(bytes);
          if (d !== '.ascii') this.emitData([0]);
        }
        return;
      }
      case '.zero': case '.space': case '.skip': {
        const o = ops();
        if (!o.length) throw new AsmError(`${d} needs a size`, st.opCol);
        const n = this.requireConst(o[0].text, o[0].col, 'size');
        if (n < 0n || n > 0x10000000n) throw new AsmError(`${d} size ${n} out of range`, o[0].col);
        const fill = d !== '.zero' && o[1] ? Number(this.requireConst(o[1].text, o[1].col, 'fill') & 0xffn) : 0;
        this.fill(Number(n), fill);
        // gas puts a fill in a frag of its own, which matters to its branch-size estimate.
        if (n > 0n) this.sec.markFragBreak();
        return;
      }
      case '.fill': {
        const o = ops();
        const rep = this.requireConst(o[0]?.text ?? '', o[0]?.col ?? c, 'repeat count');
        let size = o[1] ? Number(this.requireConst(o[1].text, o[1].col, 'size')) : 1;
        const value = o[2] ? this.requireConst(o[2].text, o[2].col, 'value') : 0n;
        if (rep < 0n || rep > 0x1000000n) throw new AsmError(`.fill count ${rep} out of range`, c);
        if (size < 0) throw new AsmError(`.fill size ${size} is negative`, c);
        if (size > 8) { this.warn('.fill size clamped to 8', o[1]!.col); size = 8; }
        this.reserve(Number(rep) * size);
        const chunk: number[] = [];
        for (let i = 0; i < size; i++) chunk.push(i < 4 ? Number((value >> BigInt(8 * i)) & 0xffn) : 0);
        for (let i = 0n; i < rep; i++) this.emitData(chunk);
        if (size > 0) this.sec.markFragBreak();
        return;
      }
      case '.option': {
        const o = st.rest.trim();
        switch (o) {
          case 'rvc': this.opts.rvc = true; return;
          case 'norvc': this.opts.rvc = false; return;
          case 'relax': this.opts.relax = true; return;
          case 'norelax': this.opts.relax = false; return;
          case 'push': this.optStack.push({ ...this.opts }); return;
          case 'pop': {
            const p = this.optStack.pop();
            if (!p) throw new AsmError('.option pop with no .option push', c);
            this.opts = p; return;
          }
          case 'pic': case 'nopic': case 'csr-check': case 'no-csr-check': return;
          default: {
            const m = /^arch\s*,\s*(.*)$/.exec(o);
            if (m) { this.optionArch(m[1], c); return; }
            // gas only warns, and goes on.
            this.warn(`unrecognized .option directive: ${o}`, c);
            return;
          }
        }
      }
      case '.include': {
        const name = st.rest.trim().replace(/^"(.*)"$/, '$1');
        if (!this.host) throw new AsmError('.include is not available here', c);
        const path = this.host.resolveInclude(name, line.file, this.includeDirs);
        const text = path !== undefined ? this.host.readFile(path) : undefined;
        if (path === undefined || text === undefined) throw new AsmError(`cannot find include file "${name}"`, c, st.rest.trim().length);
        const step: ExpansionStep = { kind: 'include', file: this.loc.file, line: this.loc.line, col: st.opCol };
        if (!this.stream.push(fileLines(text, path, [...this.loc.chain, step]), this.conds.length)) throw new FatalAsmError('includes nested too deeply (recursive .include?)', c);
        return;
      }
      case '.macro': this.defineMacro(st); return;
      case '.endm': case '.endmacro': throw new AsmError('.endm without .macro', st.opCol);
      case '.exitm': {
        const depth = this.stream.exitMacro();
        if (depth === undefined) throw new AsmError('.exitm outside a macro', st.opCol);
        this.conds.length = Math.min(this.conds.length, depth);
        return;
      }
      case '.purgem': this.macros.delete(st.rest.trim()); return;
      case '.rept': case '.irp': case '.irpc': this.repetition(d, st); return;
      case '.endr': throw new AsmError('.endr without .rept/.irp/.irpc', st.opCol);
      case '.if': case '.ifdef': case '.ifndef': case '.ifnotdef': case '.ifc': case '.ifnc': case '.ifeq': case '.ifne':
      case '.ifgt': case '.ifge': case '.iflt': case '.ifle': case '.ifb': case '.ifnb': case '.ifeqs': case '.ifnes':
      case '.else': case '.elseif': case '.endif':
        this.conditional(d, st); return;
      case '.error': case '.err': throw new AsmError(d === '.err' ? '.err encountered' : parseStringText(st.rest, c), st.opCol);
      case '.warning': this.warn(parseStringText(st.rest, c), st.opCol); return;
      case '.print': return;
      case '.insn': this.insn(st); return;
      case '.org': {
        const n = this.requireConst(st.rest, c, '.org offset');
        if (n < BigInt(this.sec.size) || this.sec.vars.length) throw new AsmError('.org cannot move backwards (or past relaxable code)', c);
        this.fill(Number(n) - this.sec.size, 0);
        this.sec.markFragBreak();
        return;
      }
      case '.comm': case '.lcomm': {
        const o = ops();
        if (o.length < 2) throw new AsmError(`${d} needs a symbol and a size`, c);
        const size = this.requireConst(o[1].text, o[1].col, 'size');
        if (size < 0n) throw new AsmError(`${d} size ${size} is negative`, o[1].col);
        const al = o[2] ? Number(this.requireConst(o[2].text, o[2].col, 'alignment')) : Math.min(16, 1 << Math.floor(Math.log2(Math.max(1, Number(size)))));
        const saved = this.sec, savedPrev = this.prevSec;
        this.switchSection('.bss');
        this.align(al, undefined, al);
        this.defineLabel(o[0].text, this.locAt(o[0].col));
        const s = this.sym(o[0].text);
        if (d === '.comm') s.global = true;
        s.type = 'object';
        s.size = { t: 'num', v: size, col: o[1].col };
        this.fill(Number(size), 0);
        this.sec = saved; this.prevSec = savedPrev;
        return;
      }
      // Accepted for compatibility with GCC output and GNU sources; they carry nothing we use.
      case '.file': case '.ident': case '.attribute': case '.loc': case '.addrsig': case '.addrsig_sym':
      case '.variant_cc': case '.sleb128': case '.uleb128':
        if (d === '.sleb128' || d === '.uleb128') { this.leb(d, ops()); }
        return;
      default:
        if (d.startsWith('.cfi_')) return;
        throw new AsmError(`unknown directive '${d}'`, st.opCol, d.length);
    }
  }

  private leb(d: string, ops: InsnOperand[]): void {
    this.row();
    for (const o of ops) {
      let v = this.requireConst(o.text, o.col, d.slice(1) + ' value');
      const out: number[] = [];
      if (d === '.uleb128') {
        v = BigInt.asUintN(64, v);
        do { let b = Number(v & 0x7fn); v >>= 7n; if (v) b |= 0x80; out.push(b); } while (v);
      } else {
        for (;;) {
          const b = Number(v & 0x7fn); v >>= 7n;
          if ((v === 0n && !(b & 0x40)) || (v === -1n && b & 0x40)) { out.push(b); break; }
          out.push(b | 0x80);
        }
      }
      this.emitData(out);
    }
  }

  private optionArch(spec: string, col: number): void {
    for (const part of spec.split(',').map((s) => s.trim())) {
      if (/^[+-]c$/.test(part)) this.opts.rvc = part[0] === '+';
      else if (/^rv(32|64)/.test(part)) {
        if (part.startsWith('rv32')) throw new AsmError('only rv64 is supported', col);
        this.opts.rvc = /^rv64[a-z]*c/.test(part.split('_')[0]) || /^rv64gc/.test(part);
      } else if (/^[+-]/.test(part)) {
        // Other extensions do not change how we encode RV64IMAC.
      } else throw new AsmError(`bad .option arch '${part}'`, col);
    }
  }

  private emitData(bytes: ArrayLike<number>): void {
    if (this.sec.nobits) {
      for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) throw new AsmError(`attempt to store non-zero value in section ${this.sec.name}`);
    }
    this.sec.emitBytes(bytes);
  }

  private fill(n: number, byte: number): void {
    if (this.sec.nobits && byte !== 0) throw new AsmError(`attempt to store non-zero value in section ${this.sec.name}`);
    this.reserve(n);
    this.sec.emitFill(n, byte);
  }

  /** Refuses to grow past MAX_OBJECT_BYTES before any memory is allocated for it. */
  private reserve(n: number): void {
    let total = this.paddingReserved;
    for (const s of this.sections.values()) total += s.size;
    if (!(n >= 0) || total + n > MAX_OBJECT_BYTES) {
      throw new AsmError(`${n} more bytes would make the sections of this file larger than ${MAX_OBJECT_BYTES / 0x100000} MiB (the assembler's limit)`);
    }
  }

  private data(text: string, col: number, width: 1 | 2 | 4 | 8): void {
    if (text === '') throw new AsmError('missing value', col);
    const e = this.parseExpr(text, col);
    if (e.t === 'reloc') throw new AsmError(`%${e.fn} is not allowed in data`, col);
    const v = this.constValue(e);
    if (v !== undefined) {
      if (width < 8) {
        const bits = BigInt(width * 8);
        if (v >= 1n << bits || v < -(1n << bits)) this.warn(`value 0x${BigInt.asUintN(64, v).toString(16)} truncated to 0x${BigInt.asUintN(width * 8, v).toString(16)}`, col);
      }
      if (this.sec.nobits && v !== 0n) throw new AsmError(`attempt to store non-zero value in section ${this.sec.name}`, col);
      this.sec.emitLE(BigInt.asUintN(width * 8, v), width);
      return;
    }
    if (this.sec.nobits) throw new AsmError(`attempt to store a relocated value in section ${this.sec.name}`, col);
    this.fixup({ k: 'data', width }, e, col);
    this.sec.emitFill(width, 0);
  }

  private align(alignment: number, fill: number | undefined, max: number): void {
    if (alignment <= 1) return;
    // Padding is only known after relaxation: the worst case is counted now.
    const worst = Math.max(0, Math.min(alignment - 1, max));
    this.reserve(worst);
    this.paddingReserved += worst;
    this.sec.align = Math.max(this.sec.align, alignment);
    // gas (riscv_frag_align_code) ignores a code alignment no larger than the instruction
    // alignment, even where a .zero left the position unaligned; it only records it.
    if (fill === undefined && this.sec.flags.exec && alignment <= (this.opts.rvc ? 2 : 4)) return;
    const item: AlignItem = { k: 'align', off: this.sec.size, vi: this.sec.vars.length, loc: this.loc, alignment, fill, max, code: this.sec.flags.exec, rvc: this.opts.rvc, size: 0 };
    if (this.sec.nobits && fill) throw new AsmError(`attempt to store non-zero value in section ${this.sec.name}`);
    this.sec.vars.push(item);
  }

  // ---- .insn ----------------------------------------------------------------------------------

  private insn(st: ParsedStatement): void {
    const m = /^([A-Za-z]+)\s+(.*)$/s.exec(st.rest.trim());
    if (!m) {
      // `.insn 0x12345678`: raw value; the length comes from its low bits.
      const v = this.requireConst(st.rest, st.restCol, '.insn value');
      this.checkCodeSection(); this.row();
      if ((v & 3n) === 3n) this.sec.emit32(Number(BigInt.asUintN(32, v))); else this.sec.emit16(Number(BigInt.asUintN(16, v)));
      return;
    }
    const fmt = m[1].toLowerCase();
    const argCol = st.restCol + st.rest.indexOf(m[2]);
    const ops = splitOperands(m[2], argCol);
    const num = (o: InsnOperand | undefined, bits: number, what: string): number => {
      if (!o) throw new AsmError(`.insn ${fmt}: missing ${what}`, st.restCol);
      const v = this.requireConst(o.text, o.col, what);
      if (v < 0n || v >= 1n << BigInt(bits)) throw new AsmError(`.insn ${fmt}: ${what} ${v} out of range (0..${(1 << bits) - 1})`, o.col);
      return Number(v);
    };
    const reg = (o: InsnOperand | undefined, what: string): number => {
      if (!o) throw new AsmError(`.insn ${fmt}: missing ${what}`, st.restCol);
      return this.register(o.text, o.col);
    };
    const need = (n: number) => { if (ops.length !== n) throw new AsmError(`.insn ${fmt} takes ${n} operands, got ${ops.length}`, st.restCol); };
    // Build an ad-hoc spec-free encoding: fixed fields, then an immediate through the table's operand kinds.
    let word: number;
    let immKind: string | undefined, immOp: InsnOperand | undefined;
    switch (fmt) {
      case 'r': need(6); word = num(ops[0], 7, 'opcode') | reg(ops[3], 'rd') << 7 | num(ops[1], 3, 'funct3') << 12 | reg(ops[4], 'rs1') << 15 | reg(ops[5], 'rs2') << 20 | num(ops[2], 7, 'funct7') << 25; break;
      case 'i': {
        need(5);
        // Both `.insn i op, f3, rd, rs1, imm` and `.insn i op, f3, rd, imm(rs1)` (loads) exist; we take the first.
        word = num(ops[0], 7, 'opcode') | num(ops[1], 3, 'funct3') << 12 | reg(ops[2], 'rd') << 7 | reg(ops[3], 'rs1') << 15;
        immKind = 'imm12'; immOp = ops[4]; break;
      }
      case 's': {
        need(4);
        const mm = /^(.*)\(\s*(\w+)\s*\)$/.exec(ops[3].text);
        if (!mm) throw new AsmError('.insn s: expected offset(rs1)', ops[3].col);
        word = num(ops[0], 7, 'opcode') | num(ops[1], 3, 'funct3') << 12 | reg(ops[2], 'rs2') << 20 | this.register(mm[2], ops[3].col) << 15;
        immKind = 'simm12'; immOp = { text: mm[1] || '0', col: ops[3].col }; break;
      }
      case 'b': case 'sb': need(5); word = num(ops[0], 7, 'opcode') | num(ops[1], 3, 'funct3') << 12 | reg(ops[2], 'rs1') << 15 | reg(ops[3], 'rs2') << 20; immKind = 'bimm'; immOp = ops[4]; break;
      case 'u': need(3); word = num(ops[0], 7, 'opcode') | reg(ops[1], 'rd') << 7; immKind = 'uimm20'; immOp = ops[2]; break;
      case 'j': case 'uj': need(3); word = num(ops[0], 7, 'opcode') | reg(ops[1], 'rd') << 7; immKind = 'jimm'; immOp = ops[2]; break;
      default: throw new AsmError(`.insn format '${m[1]}' is not supported (r, i, s, b, u, j)`, st.restCol);
    }
    this.checkCodeSection();
    this.row();
    if (immKind && immOp) {
      const k = operandKind(immKind);
      const e = this.parseExpr(immOp.text, immOp.col);
      const inner = e.t === 'reloc' ? e.e : e;
      const mode = k.pcrel ? 'pcrel' : e.t === 'reloc' ? e.fn : 'abs';
      const v = k.pcrel || (e.t === 'reloc' && (e.fn === 'pcrel_hi' || e.fn === 'pcrel_lo')) ? undefined : this.constValue(e);
      if (v !== undefined) {
        const bits = insertField(k, operandValue(v));
        if (bits === undefined) throw new AsmError(`.insn ${fmt}: immediate ${v} out of range`, immOp.col);
        word |= bits;
      } else this.fixup({ k: 'field', field: k, mode, length: 4 }, inner, immOp.col);
    }
    this.sec.emit32(word >>> 0);
  }

  // ---- Macros, repetitions, conditionals ------------------------------------------------------

  private defineMacro(st: ParsedStatement): void {
    const m = /^([A-Za-z_.$][\w.$]*)\s*,?\s*(.*)$/s.exec(st.rest.trim());
    if (!m) throw new AsmError('.macro needs a name', st.restCol);
    const name = m[1];
    const params: MacroParam[] = [];
    const paramText = m[2].trim();
    if (paramText) {
      const parts = paramText.includes(',') ? paramText.split(',') : paramText.split(/\s+/);
      for (const raw of parts.map((p) => p.trim()).filter(Boolean)) {
        const pm = /^([A-Za-z_.$][\w.$]*)(?::(req|vararg))?(?:\s*=\s*(.*))?$/s.exec(raw);
        if (!pm) throw new AsmError(`bad macro parameter '${raw}'`, st.restCol);
        params.push({ name: pm[1], required: pm[2] === 'req', vararg: pm[2] === 'vararg', def: pm[3] });
      }
    }
    const start = this.loc;
    this.collecting = {
      kind: 'macro', depth: 1, lines: [], start,
      onDone: (body) => {
        const prev = this.macros.get(name);
        if (prev) {
          // gas refuses to redefine a macro (.purgem first).
          this.diagnostics.push({ severity: 'error', file: start.file, line: start.line, col: start.col, chain: start.chain, message: `macro '${name}' is already defined (at ${prev.file}:${prev.line}); use .purgem first` });
          return;
        }
        this.macros.set(name, { name, params, body, file: start.file, line: start.line });
      },
    };
  }

  private expandMacro(m: MacroDef, st: ParsedStatement): void {
    const args = splitMacroArgs(st.rest);
    const values = new Map<string, string>();
    let pos = 0;
    for (const a of args) {
      const kw = /^([A-Za-z_.$][\w.$]*)\s*=(?!=)\s*(.*)$/s.exec(a);
      if (kw && m.params.some((p) => p.name === kw[1])) { values.set(kw[1], kw[2]); continue; }
      const p = m.params[pos];
      if (!p) throw new AsmError(`too many arguments to macro '${m.name}'`, st.restCol);
      if (p.vararg) {
        values.set(p.name, args.slice(args.indexOf(a)).join(', '));
        pos = m.params.length;
        break;
      }
      values.set(p.name, a);
      pos++;
    }
    for (const p of m.params) {
      const v = values.get(p.name);
      if (v === undefined || v === '') {
        if (p.required) throw new AsmError(`missing value for required parameter '${p.name}' of macro '${m.name}'`, st.restCol);
        values.set(p.name, p.def ?? '');
      }
    }
    const counter = this.macroCounter++;
    this.chargeExpansion(m.body, [...values.values()].reduce((n, v) => Math.max(n, v.length), 10), 1, `macro '${m.name}'`, st.opCol);
    const step: ExpansionStep = { kind: 'macro', name: m.name, file: this.loc.file, line: this.loc.line, col: st.opCol };
    const chain = [...this.loc.chain, step];
    const lines = m.body.map((l) => ({ text: substitute(l.text, values, counter), file: l.file, line: l.line, chain }));
    if (!this.stream.push(lines, this.conds.length, m.name)) throw new FatalAsmError(`macros nested too deeply (recursive macro '${m.name}'?)`, st.opCol);
  }

  private repetition(d: string, st: ParsedStatement): void {
    const start = this.loc;
    let expand: (body: SrcLine[]) => SrcLine[][];
    let copies: number;
    let longest = -1;
    if (d === '.rept') {
      const n = this.requireConst(st.rest, st.restCol, '.rept count');
      if (n < 0n || n > 1000000n) throw new AsmError(`.rept count ${n} out of range`, st.restCol);
      copies = Number(n);
      expand = (body) => Array.from({ length: Number(n) }, () => body);
    } else {
      const m = /^([A-Za-z_.$][\w.$]*)\s*,?\s*(.*)$/s.exec(st.rest.trim());
      if (!m) throw new AsmError(`${d} needs a symbol`, st.restCol);
      const sym = m[1];
      const items = d === '.irp' ? splitMacroArgs(m[2]) : [...m[2].trim().replace(/^"(.*)"$/, '$1')];
      copies = Math.max(1, items.length);
      longest = items.reduce((n, v) => Math.max(n, v.length), 0);
      expand = (body) => (items.length ? items : ['']).map((v) => body.map((l) => ({ ...l, text: substitute(l.text, new Map([[sym, v]]), 0) })));
    }
    this.collecting = {
      kind: 'rept', depth: 1, lines: [], start,
      onDone: (body) => {
        const total = copies * body.length;
        const text = copies * body.reduce((n, l) => n + l.text.length, 0);
        if (total > MAX_EXPANDED_LINES - this.linesRead || text > MAX_EXPANDED_TEXT - this.textRead) {
          const message = total > MAX_EXPANDED_LINES - this.linesRead
            ? `${d} expands to ${total} lines, more than the assembler's limit of ${MAX_EXPANDED_LINES} in all`
            : `${d} expands to ${text} characters, more than the assembler's limit of ${MAX_EXPANDED_TEXT / 0x100000} MiB in all`;
          this.diagnostics.push({ severity: 'error', ...start, message });
          this.stopped = true;
          return;
        }
        if (longest >= 0) {
          try {
            this.chargeExpansion(body, longest, copies, d, start.col);
          } catch (e) {
            if (!(e instanceof AsmError)) throw e;
            this.diagnostics.push({ severity: 'error', ...start, message: e.message });
            this.stopped = true;
            return;
          }
        }
        const step: ExpansionStep = { kind: 'macro', file: start.file, line: start.line, col: start.col };
        const chain = [...start.chain, step];
        const all = expand(body).flat().map((l) => ({ ...l, chain }));
        if (!this.stream.push(all, this.conds.length)) {
          this.diagnostics.push({ severity: 'error', ...start, message: 'repetitions nested too deeply' });
          this.stopped = true;
        }
      },
    };
  }

  /** Counts an expansion's worst-case text (every `\` replaced by the longest value) against MAX_EXPANSION_CHARS. */
  private chargeExpansion(body: readonly SrcLine[], longestValue: number, copies: number, what: string, col: number): void {
    let worst = 0;
    for (const l of body) {
      let refs = 0;
      for (let i = l.text.indexOf('\\'); i >= 0; i = l.text.indexOf('\\', i + 1)) refs++;
      worst += l.text.length + refs * longestValue;
    }
    worst *= copies;
    if (worst > MAX_EXPANSION_CHARS - this.expansionChars) {
      throw new FatalAsmError(`${what}: expansions would create more than ${MAX_EXPANSION_CHARS / 0x100000} MiB of text in all (a macro that calls itself with growing arguments?)`, col);
    }
    this.expansionChars += worst;
  }

  private conditional(d: string, st: ParsedStatement): void {
    const top = this.conds[this.conds.length - 1];
    const parentActive = this.conds.length < 2 || this.conds[this.conds.length - 2].active;
    if (d === '.endif') {
      if (!top) throw new AsmError('.endif without .if', st.opCol);
      this.conds.pop();
      return;
    }
    if (d === '.else') {
      if (!top) throw new AsmError('.else without .if', st.opCol);
      if (top.sawElse) throw new AsmError('duplicate .else', st.opCol);
      top.sawElse = true;
      top.active = parentActive && !top.taken;
      top.taken = true;
      return;
    }
    if (d === '.elseif') {
      if (!top) throw new AsmError('.elseif without .if', st.opCol);
      if (top.sawElse) throw new AsmError('.elseif after .else', st.opCol);
      const v = parentActive && !top.taken ? this.condition('.if', st) : false;
      top.active = v;
      if (v) top.taken = true;
      return;
    }
    const enclosing = this.conds.length === 0 || this.conds[this.conds.length - 1].active;
    // The frame is pushed even when the condition is in error, so its .endif still matches.
    const frame: CondFrame = { active: false, taken: true, sawElse: false, loc: this.locAt(st.opCol) };
    this.conds.push(frame);
    const v = enclosing ? this.condition(d, st) : false;
    frame.active = v;
    frame.taken = v;
  }

  private condition(d: string, st: ParsedStatement): boolean {
    const t = st.rest.trim();
    switch (d) {
      case '.if': case '.ifne': return this.requireConst(t, st.restCol, 'condition') !== 0n;
      case '.ifeq': return this.requireConst(t, st.restCol, 'condition') === 0n;
      case '.ifgt': return this.requireConst(t, st.restCol, 'condition') > 0n;
      case '.ifge': return this.requireConst(t, st.restCol, 'condition') >= 0n;
      case '.iflt': return this.requireConst(t, st.restCol, 'condition') < 0n;
      case '.ifle': return this.requireConst(t, st.restCol, 'condition') <= 0n;
      case '.ifdef': return this.symbols.get(t)?.def !== undefined;
      case '.ifndef': case '.ifnotdef': return this.symbols.get(t)?.def === undefined;
      case '.ifb': return t === '';
      case '.ifnb': return t !== '';
      case '.ifc': case '.ifnc': case '.ifeqs': case '.ifnes': {
        const parts = splitOperands(t, st.restCol);
        if (parts.length !== 2) throw new AsmError(`${d} needs two strings separated by a comma`, st.restCol);
        const [a, b] = parts.map((p) => p.text.replace(/^"(.*)"$/, '$1'));
        const eq = a === b;
        return d === '.ifc' || d === '.ifeqs' ? eq : !eq;
      }
    }
    throw new AsmError(`unknown conditional ${d}`, st.opCol);
  }

  // ---- Finishing ------------------------------------------------------------------------------

  private finish(): AsmObject {
    const sections: ObjSection[] = [];
    for (const s of this.sections.values()) {
      // gas pads the end of a code section with nops to the section's alignment.
      if (s.flags.exec && !s.nobits && s.align > 1) {
        s.vars.push({ k: 'align', off: s.size, vi: s.vars.length, loc: this.loc, alignment: s.align, fill: undefined, max: s.align, code: true, rvc: this.opts.rvc, size: 0 });
      }
      const relaxed = relaxSection(s, this.symbols, (d) => this.diagnostics.push(d));
      sections.push(relaxed.section);
      for (const sym of this.symbols.values()) {
        if (sym.def?.kind === 'label' && sym.def.section === s.name) {
          sym.def.off = relaxed.offsetOf(sym.def.off, sym.def.vi);
          sym.def.vi = 0;
        }
      }
    }
    return { file: this.file, sections, symbols: this.symbols };
  }
}

// ---- Operand syntax groups ------------------------------------------------------------------

type SyntaxGroup =
  | { kind: 'single' }
  | { kind: 'fixed'; reg: number }
  | { kind: 'mem'; baseFixed?: number }
  | { kind: 'paren' };

const groupCache = new Map<CompiledSpec, SyntaxGroup[]>();

/** Comma-separated operand shapes of a spec: a plain operand, a fixed register, offset(base) or (base). */
function syntaxGroups(c: CompiledSpec): SyntaxGroup[] {
  let g = groupCache.get(c);
  if (g) return g;
  g = [];
  let cur: typeof c.tokens[number][] = [];
  const close = () => {
    if (!cur.length) return;
    if (cur.length === 1) g!.push(cur[0].t === 'reg' ? { kind: 'fixed', reg: cur[0].n } : { kind: 'single' });
    else if (cur[0].t === '(') g!.push({ kind: 'paren' });
    else g!.push({ kind: 'mem', baseFixed: cur[2].t === 'reg' ? cur[2].n : undefined });
    cur = [];
  };
  for (const t of c.tokens) {
    if (t.t === ',') close(); else cur.push(t);
  }
  close();
  groupCache.set(c, g);
  return g;
}

const ALL_MNEMONICS: readonly string[] = [...new Set([...ALL_SPECS.map((c) => c.spec.mnemonic), ...PSEUDO_HANDLERS.keys()])];

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin >= limit) return limit;
    prev = cur;
  }
  return prev[b.length];
}

const PLAIN_INT = /^-?(?:0[xX][0-9a-fA-F]{1,7}|[1-9][0-9]{0,8}|0)$/;

/** A plain integer literal that is exact as a number (at most 9 decimal / 7 hex digits). */
function plainInt(text: string): number | undefined {
  return PLAIN_INT.test(text) ? (text.charCodeAt(0) === 45 ? -Number(text.slice(1)) : Number(text)) : undefined;
}

const MEM_OPERAND = /^(.*?)\(\s*([^()]*?)\s*\)$/s;

/** An operand patched at link time: which operand, its expression and how it is applied. */
export interface InsnFix {
  readonly index: number;
  readonly expr: Expr;
  readonly mode: FieldMode;
  readonly col: number;
  /** %pcrel_lo of a pseudo-instruction's own auipc: its fixup, instead of a label. */
  readonly hi?: Fixup;
}

const FENCE_BITS: Record<string, number> = { i: 8, o: 4, r: 2, w: 1 };

function fenceBits(text: string, col: number): number {
  const t = text.trim().toLowerCase();
  if (t === '0') return 0;
  if (!/^[iorw]+$/.test(t)) throw new AsmError(`bad fence operand '${text.trim()}' (letters from i, o, r, w)`, col);
  let v = 0;
  for (const ch of t) v |= FENCE_BITS[ch];
  return v;
}

/** Parses a "…" string operand with C escapes into bytes (UTF-8 for non-ASCII). */
export function parseString(text: string, col: number): number[] {
  const t = text.trim();
  if (t[0] !== '"' || stringEnd(t, 0) !== t.length || t.length < 2 || t[t.length - 1] !== '"') throw new AsmError(`expected a string in double quotes, got '${t}'`, col);
  const out: number[] = [];
  const body = t.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      const code = body.codePointAt(i)!;
      if (code < 0x80) out.push(code);
      else { out.push(...Buffer.from(String.fromCodePoint(code), 'utf8')); if (code > 0xffff) i++; }
      continue;
    }
    const e = body[++i];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, '\\': 92, '"': 34, "'": 39 };
    if (e in simple) { out.push(simple[e]); continue; }
    if (e === 'x' || e === 'X') {
      const m = /^[0-9a-fA-F]+/.exec(body.slice(i + 1));
      if (!m) throw new AsmError('bad \\x escape', col);
      out.push(parseInt(m[0].slice(-2), 16)); i += m[0].length; continue;
    }
    if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i))!;
      out.push(parseInt(m[0], 8) & 0xff); i += m[0].length - 1; continue;
    }
    throw new AsmError(`unknown escape '\\${e}' in string`, col);
  }
  return out;
}

function parseStringText(text: string, col: number): string {
  const t = text.trim();
  if (!t) return 'error';
  return t.startsWith('"') ? Buffer.from(parseString(t, col)).toString('utf8') : t;
}

export { AsmError };
