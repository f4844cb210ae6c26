// The timing model's charges as inline code for compiled blocks (the timed block tier): per
// instruction, exactly what TimingModel.retire charges, with everything known when the block is
// compiled folded into constants — the timing class, latencies, the registers to interlock on,
// whether the instruction starts a new I-cache line, its pc and physical address.
//
// The generated code keeps the cycle count in a local `c` plus a compile-time offset (`off`):
// as long as nothing dynamic happens (a memory access, a branch prediction, an interlock on a
// register written outside the straight-line run), consecutive instructions only add constants,
// and a register's ready cycle is known relative to `c`. Registers whose ready cycle is known
// to be in the past need no scoreboard read at all. The scoreboard array is still written for
// every destination, so the model's state is the interpreter's, entry for entry.
//
// Names the generated code uses (declared by the block compiler): `t` the TimingModel, `rdy` its
// scoreboard, `c` the cycle base, `st` the fetch and class stalls charged (for the interlock
// counter), `e` a scratch stall, `va` the data address of the current memory instruction.

import { TimingParams } from './params';
import {
  BRANCH, CALL, CLASS, C_ALU, C_BRANCH, C_JAL, C_JALR, C_LOAD_SUBWORD, C_LOAD_WORD, C_MUL, C_MULW, C_STORE, JUMP, RET, isLink,
} from './model';

/** One instruction as the emitter sees it (decoded fields and addresses). */
export interface TimedInstruction {
  readonly op: number;
  readonly rd: number;
  readonly rs1: number;
  readonly rs2: number;
  readonly pc: number;
  readonly pa: number;
  readonly len: number;
}

/** Whether the timed block tier charges this opcode inline (its class is one of the simple ones). */
export function timedInline(op: number): boolean {
  const c = CLASS[op];
  return c === C_ALU || c === C_LOAD_WORD || c === C_LOAD_SUBWORD || c === C_STORE || c === C_MUL || c === C_MULW
    || c === C_BRANCH || c === C_JAL || c === C_JALR;
}

/** Compile-time knowledge at the top of a loop iteration. */
export interface LoopState {
  /** Registers whose ready cycle is at most the cycle count. */
  readonly done: ReadonlySet<number>;
  /** Physical I-cache line of the last fetch (NaN: unknown). */
  readonly lastLine: number;
}

/** What holds at every one of several back edges: the registers ready at all, the common line. */
export function meetLoopStates(states: readonly LoopState[]): LoopState | undefined {
  if (!states.length) return undefined;
  const done = new Set([...states[0].done].filter((r) => states.every((st) => st.done.has(r))));
  const line = states[0].lastLine;
  return { done, lastLine: states.every((st) => st.lastLine === line) ? line : NaN };
}

/** Whether `a` knows at least what `b` knows (a steady copy entered with `b` may loop from `a`). */
export function coversLoopState(a: LoopState, b: LoopState): boolean {
  return [...b.done].every((r) => a.done.has(r)) && (Number.isNaN(b.lastLine) || a.lastLine === b.lastLine);
}

export class BlockTimingEmitter {
  /** Cycles known at compile time beyond `c`: the count is `c + off`. */
  private off = 0;
  /** Registers whose ready cycle is exactly `c + k` (k the value). */
  private readonly rel = new Map<number, number>();
  /** Registers whose ready cycle is at most the current count: no interlock possible. */
  private readonly done = new Set<number>();
  /** Physical line of the previous instruction in this iteration (NaN: none yet). */
  private lastLine = NaN;
  private readonly lineShift: number;
  private readonly dLineBytes: number;

  constructor(private readonly p: TimingParams) {
    this.lineShift = Math.log2(p.icache.lineBytes);
    this.dLineBytes = p.dcache.lineBytes;
  }

  /**
   * Start of an iteration of the block. On entry nothing is known; a steady-state copy of a
   * loop starts from what holds at every back edge (loopState): registers already ready, and
   * the line of the last fetch.
   */
  reset(state: LoopState = { done: new Set(), lastLine: NaN }): void {
    this.off = 0;
    this.rel.clear();
    this.done.clear();
    for (const r of state.done) this.done.add(r);
    this.lastLine = state.lastLine;
  }

  /** What holds if the block loops back to its start from here (after `exact()`). */
  loopState(): LoopState {
    const done = new Set(this.done);
    for (const [r, k] of this.rel) if (k <= this.off) done.add(r);
    return { done, lastLine: this.lastLine };
  }

  /** The current cycle count as an expression. */
  now(): string { return this.off === 0 ? 'c' : `c + ${this.off}`; }

  /** Code that makes `c` the exact count on a path that leaves the block (the state stays). */
  exact(): string { return this.off === 0 ? '' : `c += ${this.off};`; }

  /** Code that makes `c` the exact count (before an exit); afterwards `off` is 0. */
  settle(): string {
    if (this.off === 0) return '';
    const code = `c += ${this.off};`;
    this.advanced(this.off);
    return code;
  }

  /**
   * `c` grew at run time by at least `min` (relative to the old `c`): registers ready by then are
   * done, the others' ready cycles are no longer known relative to `c`.
   */
  private advanced(min: number): void {
    for (const [r, k] of this.rel) if (k <= min) this.done.add(r);
    this.rel.clear();
    this.off = 0;
  }

  /**
   * The timing code of one instruction, placed after its functional code. A conditional branch's
   * outcome is in local `tk` (set before) and `branchTarget` is its destination, as for jal; a
   * jalr's destination is in local `target`.
   */
  instruction(i: TimedInstruction, branchTarget?: number): string {
    const out: string[] = [];
    const cls = CLASS[i.op];
    // Fetch: only where the line may differ from the previous fetch's.
    const line = Math.floor(i.pa / 2 ** this.lineShift);
    if (line !== this.lastLine) {
      out.push(`e = t.fetchStall(${i.pc}, ${i.pa}); c += ${this.off} + e; st += e;`);
      this.advanced(this.off);
      this.lastLine = line;
    }
    // Operand interlock: static where the ready cycles are known, a scoreboard read otherwise.
    let issue = this.off;
    const dynamic: number[] = [];
    for (const r of i.rs1 === i.rs2 ? [i.rs1] : [i.rs1, i.rs2]) {
      if (r === 0 || this.done.has(r)) continue;
      const k = this.rel.get(r);
      if (k !== undefined) issue = Math.max(issue, k);
      else dynamic.push(r);
    }
    if (dynamic.length) {
      if (issue) out.push(`c += ${issue};`);
      for (const r of dynamic) out.push(`if (rdy[${r}] > c) c = rdy[${r}];`);
      this.advanced(issue);
      for (const r of dynamic) this.done.add(r);
      issue = 0;
    }
    // From here the instruction issues at c + issue.
    // rd is ready at c + lat; `isDone` when that is not after the instruction's own end.
    const setReady = (lat: number, isDone: boolean, k?: number) => {
      if (i.rd === 0) return;
      out.push(`rdy[${i.rd}] = ${lat === 0 ? 'c' : `c + ${lat}`};`);
      this.rel.delete(i.rd);
      this.done.delete(i.rd);
      if (isDone) this.done.add(i.rd);
      else if (k !== undefined) this.rel.set(i.rd, k);
    };
    const dynamicStall = (code: string) => {
      // c becomes issue + e: at least the old c + issue.
      out.push(`${code} c += ${issue === 0 ? '' : `${issue} + `}e; st += e;`);
      this.advanced(issue);
    };
    switch (cls) {
      case C_ALU:
        setReady(issue + 1, true);
        this.off = issue + 1;
        break;
      case C_LOAD_WORD: case C_LOAD_SUBWORD: case C_STORE: {
        // A repeat access to the previous data line is a hit that changes nothing (TimingModel.dLine).
        dynamicStall(`e = va - t.dLine; e = e >= 0 && e < ${this.dLineBytes} ? 0 : t.dataAccess(va);`);
        if (cls !== C_STORE) {
          const lat = cls === C_LOAD_WORD ? this.p.loadWordLatency : this.p.loadSubwordLatency;
          setReady(lat, lat <= 1, lat);
        }
        this.off = 1;
        break;
      }
      case C_MUL: case C_MULW: {
        const lat = cls === C_MUL ? this.p.mulLatency : this.p.mulwLatency;
        // One iterative unit: a second mul waits for the first.
        out.push(`${issue ? `c += ${issue}; ` : ''}if (t.mulDivFree > c) c = t.mulDivFree; t.mulDivFree = c + ${lat};`);
        this.advanced(issue);
        setReady(lat, lat <= 1, lat);
        this.off = 1;
        break;
      }
      case C_BRANCH: case C_JAL: case C_JALR: {
        const fall = i.pc + i.len;
        const kind = cls === C_BRANCH ? BRANCH : isLink(i.rd) ? CALL : cls === C_JALR && isLink(i.rs1) ? RET : JUMP;
        const npc = cls === C_BRANCH ? `tk ? ${branchTarget} : ${fall}` : cls === C_JAL ? String(branchTarget) : 'target';
        if (issue) out.push(`c += ${issue};`);
        this.advanced(issue);
        out.push(kind === BRANCH ? `e = t.branch(${i.pc}, ${fall}, ${npc});`
          : kind === JUMP ? `e = t.jump(${i.pc}, ${fall}, ${npc});` : `e = t.predict(${i.pc}, ${i.len}, ${npc}, ${kind});`);
        // The link register is ready one cycle after issue; a mispredict delays what follows.
        setReady(1, true);
        out.push('c += e; st += e;');
        this.off = 1;
        break;
      }
      default:
        throw new Error(`timed block: op ${i.op} has no inline timing`);
    }
    return out.join(' ');
  }
}
