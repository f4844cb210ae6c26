// Mutations of JSON values (system descriptions): wrong types at any path, missing keys, huge,
// negative and fractional numbers, NaN-like strings, duplicated elements, deep nesting, unknown
// keys, long lists.

import type { Rng } from './fuzz-kit';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The paths of a JSON value, as lists of keys (not into values the mutations made deep or long). */
function pathsOf(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (at.length > 12) return out;
  if (Array.isArray(v)) v.slice(0, 40).forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v).slice(0, 40)) pathsOf(v[k], [...at, k], out);
  return out;
}

/** Nodes in a JSON value, counted up to 1000. */
function nodes(v: Json, limit = 1000): number {
  let n = 0;
  const stack: Json[] = [v];
  while (stack.length && n < limit) {
    const x = stack.pop()!;
    n++;
    if (Array.isArray(x)) stack.push(...x.slice(0, limit));
    else if (x !== null && typeof x === 'object') stack.push(...Object.values(x).slice(0, limit));
  }
  return n;
}

function deepen(v: Json, levels: number, asArray: boolean): Json {
  for (let k = 0; k < levels; k++) v = asArray ? [v] : { a: v };
  return v;
}

/** A value that is wrong somewhere: a type, a range, a name or a size. */
function wrongValue(rng: Rng, old: Json): Json {
  switch (rng.int(9)) {
    case 0: return rng.pick<Json>([null, true, false, 0, '', [], {}]);
    case 1: return rng.pick([-1, -0, 0.5, 1e308, -1e308, 2 ** 53 + 1, 2 ** 64, 4095, 4097, 0x7fffffff, 1 << 20, (1 << 20) + 1, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE]);
    case 2: return rng.pick(['NaN', 'Infinity', '-1', '1e999', '0x10', 'main', 'server', 'client', '__proto__', 'constructor', 'toString', 'a.b', 'x y', '9lives', 'rw', 'rwx', 'g']);
    case 3: return rng.pick(['\u0000', '\ud800', '\u{1F600}', 'é'.repeat(40), 'a'.repeat(100000), '../../../../etc/passwd', '/dev/zero', '.', '', '\\', 'C:\\x']);
    case 4: return deepen(nodes(old) < 50 ? old : 1, 1 + rng.int(3000), rng.chance(0.5));
    case 5: {
      // Long lists of the same element (of a small one: repeated lists of lists grow without bound).
      const item = nodes(old) < 50 ? old : 'x';
      return Array.from({ length: rng.pick([2, 33, 65, 257, 5000, 70000]) }, () => item);
    }
    case 6: return typeof old === 'number' ? String(old) : typeof old === 'string' ? Number(old) || old.length : Array.isArray(old) ? { ...old } : old === null ? 'null' : [old];
    case 7: return { ...(old !== null && typeof old === 'object' && !Array.isArray(old) ? old : {}), [rng.pick(['bogus', '__proto__', 'constructor', 'hasOwnProperty', 'slot', 'name', 'endpoint', 'xentry', 'control', 'thread', ''])]: rng.pick<Json>([1, 'x', 'echo', 'server.main', 'xpc', null]) };
    default: return old;
  }
}

export function mutate(rng: Rng, root: Json): Json {
  const v = structuredClone(root);
  let result: Json = v;
  for (let k = 1 + rng.int(3); k > 0; k--) {
    const paths = pathsOf(result);
    const p = rng.pick(paths);
    if (p.length === 0) { result = wrongValue(rng, result); continue; }
    let parent: Json = result;
    for (const key of p.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key];
    const last = p[p.length - 1];
    const container = parent as Record<string | number, Json>;
    const r = rng.int(4);
    if (r === 0) {
      // Missing key or element.
      if (Array.isArray(parent)) parent.splice(last as number, 1); else delete container[last];
    } else if (r === 1 && Array.isArray(parent)) {
      // A duplicated element (duplicate names, slots, grants); shared, not copied: it may be nested too deep to copy.
      parent.splice(last as number, 0, parent[last as number]);
    } else {
      container[last] = wrongValue(rng, container[last]);
    }
  }
  return result;
}

