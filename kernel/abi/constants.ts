// The shape of the generated assembler includes (kernel/include/abi.inc, kernel/lib/xpc/xpc-lib.inc):
// named constants with one-line docs in titled groups, rendered as `.equ` lines. abi.ts and
// xpc-lib.ts hold the data; this module is the one way of turning it into text.

/** A named constant with a one-line description, emitted as `.equ NAME, value`. */
export interface AbiConstant { readonly name: string; readonly value: bigint; readonly doc: string }
export interface ConstantGroup { readonly title: string; readonly constants: readonly AbiConstant[] }

/** Fields of one in-memory structure: each field is a u64 at the given offset unless sized. */
export interface StructLayout { readonly prefix: string; readonly title: string; readonly size: number; readonly fields: Readonly<Record<string, number>> }

export const constant = (name: string, value: number | bigint, doc: string): AbiConstant => ({ name, value: BigInt(value), doc });

/** Every entry of a name → number table as a constant, documented by `doc(name)`. */
export const record = (o: Readonly<Record<string, number | bigint>>, doc: (k: string) => string): AbiConstant[] =>
  Object.entries(o).map(([k, v]) => constant(k, v, doc(k)));

/** PREFIX_FIELD offsets of a structure, then PREFIX_SIZE. */
export function structConstants(s: StructLayout): AbiConstant[] {
  return [
    ...Object.entries(s.fields).map(([f, off]) => constant(`${s.prefix}_${f}`, off, `${s.title}: ${f.toLowerCase()}`)),
    constant(`${s.prefix}_SIZE`, s.size, `${s.title}: size in bytes`),
  ];
}

/** Every constant of the groups by name (for the inspector, the debugger and tests). */
export function constantsByName(groups: readonly ConstantGroup[]): Map<string, bigint> {
  return new Map(groups.flatMap((g) => g.constants.map((k) => [k.name, k.value] as [string, bigint])));
}

const hex = (v: bigint) => (v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);

/** The text of a generated include: header comment lines, then each group's `.equ`s. */
export function renderInc(header: readonly string[], groups: readonly ConstantGroup[], nameWidth: number): string {
  const out = header.map((h) => `# ${h}`);
  for (const g of groups) {
    out.push('', `# ---- ${g.title} ----`);
    for (const k of g.constants) out.push(`.equ ${k.name.padEnd(nameWidth)}, ${hex(k.value).padEnd(20)} # ${k.doc}`);
  }
  return out.join('\n') + '\n';
}
