export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[]): Promise<number> | number;
}

/** Minimal option parser: flags with values (`-o x`, `-ox`, `--opt=x`, `--opt x`) and positionals. */
export function parseOptions(args: readonly string[], withValue: readonly string[], flags: readonly string[] = []):
  { values: Map<string, string[]>; flags: Set<string>; positional: string[]; error?: string } {
  const values = new Map<string, string[]>();
  const set = new Set<string>();
  const positional: string[] = [];
  const add = (k: string, v: string) => { const l = values.get(k) ?? []; l.push(v); values.set(k, l); };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') { positional.push(...args.slice(i + 1)); break; }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const key = eq > 0 ? a.slice(0, eq) : a;
    if (withValue.includes(key)) {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) return { values, flags: set, positional, error: `option ${key} needs a value` };
      add(key, v);
      continue;
    }
    const short = withValue.find((w) => w.length === 2 && a.startsWith(w) && a.length > 2);
    if (short) { add(short, a.slice(2)); continue; }
    if (flags.includes(a)) { set.add(a); continue; }
    if (a.startsWith('-') && a !== '-') return { values, flags: set, positional, error: `unknown option ${a}` };
    positional.push(a);
  }
  return { values, flags: set, positional };
}
