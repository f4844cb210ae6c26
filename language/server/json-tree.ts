// A small JSON parser that keeps where every value sits, so checks of a system description can
// point at the offending value in system.json. Tolerant by design: a syntax error ends the parse
// with what was read so far (the editor's JSON support reports the error itself).

export type JsonNode =
  | { readonly kind: 'object'; readonly start: number; readonly end: number; readonly props: ReadonlyMap<string, JsonNode> }
  | { readonly kind: 'array'; readonly start: number; readonly end: number; readonly items: readonly JsonNode[] }
  | { readonly kind: 'string'; readonly start: number; readonly end: number; readonly value: string }
  | { readonly kind: 'number'; readonly start: number; readonly end: number; readonly value: number }
  | { readonly kind: 'literal'; readonly start: number; readonly end: number; readonly value: boolean | null };

class Stop extends Error {}

/** The tree of a JSON text, or undefined when it does not even start with a value. */
export function parseJsonTree(text: string): JsonNode | undefined {
  let i = 0;
  let depth = 0;
  const blank = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  const fail = (): never => { throw new Stop(); };

  function str(): JsonNode {
    const start = i++;
    let value = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        const c = text[i + 1];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
        if (c === 'u') { value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16) || 0); i += 6; continue; }
        value += simple[c] ?? c ?? '';
        i += 2;
        continue;
      }
      if (text[i] === '\n') fail();
      value += text[i++];
    }
    if (i >= text.length) fail();
    i++;
    return { kind: 'string', start, end: i, value };
  }

  function value(): JsonNode {
    // Deeper than any description needs: stop before the stack does.
    if (++depth > 256) fail();
    try { return valueAt(); } finally { depth--; }
  }

  function valueAt(): JsonNode {
    blank();
    const start = i;
    const c = text[i];
    if (c === '"') return str();
    if (c === '{') {
      i++;
      const props = new Map<string, JsonNode>();
      const node = { kind: 'object' as const, start, end: text.length, props };
      blank();
      if (text[i] === '}') { i++; return { ...node, end: i }; }
      let key = '';
      try {
        for (;;) {
          blank();
          if (text[i] !== '"') fail();
          key = (str() as { value: string }).value;
          blank();
          if (text[i++] !== ':') fail();
          props.set(key, value());
          blank();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === '}') { i++; return { ...node, end: i }; }
          fail();
        }
      } catch (e) {
        if (e instanceof Partial) props.set(key, e.node);
        else if (!(e instanceof Stop)) throw e;
        throw new Partial(node);
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      const node = { kind: 'array' as const, start, end: text.length, items };
      blank();
      if (text[i] === ']') { i++; return { ...node, end: i }; }
      try {
        for (;;) {
          items.push(value());
          blank();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === ']') { i++; return { ...node, end: i }; }
          fail();
        }
      } catch (e) {
        if (e instanceof Partial) items.push(e.node);
        else if (!(e instanceof Stop)) throw e;
        throw new Partial(node);
      }
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 40));
    if (num) { i += num[0].length; return { kind: 'number', start, end: i, value: Number(num[0]) }; }
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) { i += word.length; return { kind: 'literal', start, end: i, value: v }; }
    }
    return fail();
  }

  try {
    return value();
  } catch (e) {
    if (e instanceof Partial) return e.node;
    if (e instanceof Stop) return undefined;
    throw e;
  }
}

/** Thrown up through the containers after a syntax error, carrying what each one had so far. */
class Partial extends Error {
  constructor(readonly node: JsonNode) { super('partial JSON'); }
}

/** 0-based line and character of an offset. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0, last = 0;
  for (let k = 0; k < offset && k < text.length; k++) if (text[k] === '\n') { line++; last = k + 1; }
  return { line, character: Math.max(0, Math.min(offset, text.length) - last) };
}
