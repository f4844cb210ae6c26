// Integer register names: the x-names and the ABI names of the RISC-V psABI.

export const ABI_NAMES: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];

export const REGISTER_DOCS: readonly string[] = [
  'hard-wired zero', 'return address', 'stack pointer', 'global pointer', 'thread pointer',
  'temporary / alternate link register', 'temporary', 'temporary', 'saved register / frame pointer',
  'saved register', 'argument / return value', 'argument / return value', 'argument', 'argument',
  'argument', 'argument', 'argument', 'argument (system-call number)', 'saved register',
  'saved register', 'saved register', 'saved register', 'saved register', 'saved register',
  'saved register', 'saved register', 'saved register', 'saved register', 'temporary', 'temporary',
  'temporary', 'temporary',
];

const byName = new Map<string, number>();
ABI_NAMES.forEach((n, i) => { byName.set(n, i); byName.set(`x${i}`, i); });
byName.set('fp', 8);

/** Register number for an x- or ABI name (case-sensitive, as GNU as), or undefined. */
export function registerNumber(name: string): number | undefined {
  return byName.get(name);
}

export function registerName(n: number): string {
  return ABI_NAMES[n] ?? `x${n}`;
}
