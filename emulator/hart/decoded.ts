// Decoding into the execution form the hart's switch consumes: an opcode (the base instruction;
// compressed forms are expanded through the table's `base`) and four numeric fields. Decoded
// instructions are cached per physical page in typed arrays, one slot per halfword.

import { compiledSpec, decode, expandValues, CompiledSpec, Decoded } from '../isa/codec';
import { extractField } from '../isa/operands';
import { INSTRUCTIONS, TimingClass } from '../isa/instructions';
import { enumMemberName, executionMnemonic } from '../isa/op-enum';
import { Op, OP_NAMES } from './op.generated';
import type { CompiledBlock } from './block-compiler';
import type { TimingParams } from '../timing/params';

const OP_BY_NAME = new Map<string, number>(OP_NAMES.map((n, i) => [n, i]));

/** The table's timing class of each execution opcode (the timing model charges by it). */
export const TIMING_CLASS_OF_OP: TimingClass[] = [];

/** Execution opcode of each table entry (compressed entries map to their base's). */
const opOfSpec = new Map<CompiledSpec, number>();
for (const s of INSTRUCTIONS) {
  if (s.ext === 'C') continue;
  const op = OP_BY_NAME.get(executionMnemonic(s.mnemonic));
  if (op === undefined) throw new Error(`op.generated.ts is stale: no ${enumMemberName(s.mnemonic)} (run npm run gen)`);
  opOfSpec.set(compiledSpec(s), op);
  TIMING_CLASS_OF_OP[op] = s.timing;
}

/** One decoded instruction in execution form. */
export interface ExecForm {
  op: number;
  rd: number;
  rs1: number;
  rs2: number;
  /** Immediate (sign-extended; lui/auipc already shifted), CSR number, or fence bits. */
  imm: number;
  len: 2 | 4;
}

/** Entries the hart matches more loosely than the decoder (see InstructionSpec.execMask). */
const LOOSE = [...opOfSpec.keys()].filter((c) => c.spec.execMask !== undefined);

function decodeLoose(word: number): Decoded | undefined {
  for (const c of LOOSE) {
    if (((word & c.spec.execMask!) >>> 0) === ((c.spec.match & c.spec.execMask!) >>> 0)) {
      return { spec: c, values: c.operands.map((o) => extractField(o.kind, word)), length: 4, word };
    }
  }
  return undefined;
}

/** Decodes an instruction word into execution form; op = Op.None when it is illegal. */
export function decodeExec(word: number, out: ExecForm): void {
  const d = decode(word) ?? ((word & 3) === 3 ? decodeLoose(word >>> 0) : undefined);
  out.rd = 0; out.rs1 = 0; out.rs2 = 0; out.imm = 0;
  out.len = (word & 3) === 3 ? 4 : 2;
  if (!d) { out.op = Op.None; return; }
  let spec = d.spec;
  let values = d.values;
  if (spec.expansion) {
    const e = expandValues(spec, values);
    spec = e.base;
    values = e.values;
  }
  out.op = opOfSpec.get(spec) ?? Op.None;
  const ops = spec.operands;
  for (let i = 0; i < ops.length; i++) {
    const v = values[i];
    switch (ops[i].kind.name) {
      case 'rd': out.rd = v; break;
      case 'rs1': out.rs1 = v; break;
      case 'rs2': out.rs2 = v; break;
      case 'uimm20': out.imm = (v << 12) | 0; break;
      case 'zimm5': out.rs1 = v; break;
      case 'pred': out.imm |= v << 4; break;
      case 'succ': out.imm |= v; break;
      default: out.imm = v; // imm12, simm12, bimm, jimm, shamt, csr
    }
  }
}

/** Decoded instructions of one physical page, one slot per halfword; op 0 = not decoded yet. */
/** A compiled block installed at its first slot of a decoded page. */
export interface InstalledBlock {
  readonly fn: CompiledBlock;
  /** Instructions on its straight path (a run needs at least this much budget left). */
  readonly length: number;
  /** The virtual page base it was compiled for. */
  readonly vbase: number;
  /** The slot after its last instruction. */
  readonly end: number;
  /** Timed blocks: the model parameters baked in (a block compiled for other parameters is stale). */
  readonly params?: TimingParams;
  /** Whether it covers no breakpoint, as of breakpoint epoch `bpEpoch` (Hart.blockFreeOfBreakpoints). */
  bpEpoch?: number;
  bpFree?: boolean;
}

export class DecodedPage {
  readonly op = new Uint16Array(2048);
  readonly rd = new Uint8Array(2048);
  readonly rs1 = new Uint8Array(2048);
  readonly rs2 = new Uint8Array(2048);
  readonly imm = new Int32Array(2048);
  readonly len = new Uint8Array(2048);
  /** The raw instruction bits, for mtval on illegal instructions and the debugger. */
  readonly bits = new Int32Array(2048);
  /** Times the interpreter started an instruction here (the block tier's hotness counter). */
  readonly heat = new Uint16Array(2048);
  /** Compiled blocks by starting slot, with the virtual page base they were compiled for. */
  blocks?: (InstalledBlock | undefined)[];
  /** Timed compiled blocks (the timed tier, with a timing model), as `blocks`, with the parameters they were compiled for. */
  timedBlocks?: (InstalledBlock | undefined)[];
  /** Slots some compiled block covers: a store there invalidates the page's blocks. */
  covered?: Uint8Array;
}
