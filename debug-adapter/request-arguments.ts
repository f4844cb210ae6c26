// The shape of each DAP request's arguments, checked before the handler runs: a client that
// sends `evaluate` without an expression or a breakpoint list that is not a list gets an error
// naming the argument, instead of whatever the handler would trip over (a JS TypeError's text).
// Only what the handlers read is listed; unknown extra arguments are ignored.

/** A field's type; a trailing `?` makes it optional. */
type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'array';
type Spec = Readonly<Record<string, `${FieldType}` | `${FieldType}?`>>;

/** Per request: its fields (`a.b` for a field of an object field). */
const REQUESTS: Readonly<Record<string, Spec>> = {
  launch: {},
  setBreakpoints: { source: 'object', 'source.path': 'string?', breakpoints: 'array?', lines: 'array?' },
  breakpointLocations: { source: 'object', 'source.path': 'string?', line: 'number', endLine: 'number?' },
  setFunctionBreakpoints: { breakpoints: 'array' },
  setInstructionBreakpoints: { breakpoints: 'array' },
  setExceptionBreakpoints: { filters: 'array?', filterOptions: 'array?' },
  dataBreakpointInfo: { name: 'string', variablesReference: 'number?', frameId: 'number?', bytes: 'number?', asAddress: 'boolean?' },
  setDataBreakpoints: { breakpoints: 'array' },
  continue: { granularity: 'string?' },
  next: { granularity: 'string?' },
  stepIn: { granularity: 'string?' },
  stepOut: { granularity: 'string?' },
  stepBack: { granularity: 'string?' },
  reverseContinue: {},
  pause: {},
  stackTrace: { threadId: 'number', startFrame: 'number?', levels: 'number?' },
  scopes: { frameId: 'number' },
  variables: { variablesReference: 'number', format: 'object?' },
  setVariable: { variablesReference: 'number', name: 'string', value: 'string' },
  evaluate: { expression: 'string', frameId: 'number?', context: 'string?', format: 'object?' },
  completions: { text: 'string', column: 'number?', frameId: 'number?' },
  readMemory: { memoryReference: 'string', count: 'number', offset: 'number?' },
  writeMemory: { memoryReference: 'string', data: 'string', offset: 'number?' },
  disassemble: { memoryReference: 'string', instructionCount: 'number', offset: 'number?', instructionOffset: 'number?' },
  exceptionInfo: {},
};

/** The fields of each element of a list argument. */
const ELEMENTS: Readonly<Record<string, Spec>> = {
  'setBreakpoints.breakpoints': { line: 'number', condition: 'string?', hitCondition: 'string?', logMessage: 'string?' },
  'setBreakpoints.lines': {},
  'setFunctionBreakpoints.breakpoints': { name: 'string', condition: 'string?', hitCondition: 'string?' },
  'setInstructionBreakpoints.breakpoints': { instructionReference: 'string', offset: 'number?', condition: 'string?', hitCondition: 'string?' },
  'setExceptionBreakpoints.filterOptions': { filterId: 'string' },
  'setDataBreakpoints.breakpoints': { dataId: 'string', accessType: 'string?' },
};

/** Element types of lists whose elements are plain values. */
const PLAIN_ELEMENTS: Readonly<Record<string, FieldType>> = {
  'setBreakpoints.lines': 'number',
  'setExceptionBreakpoints.filters': 'string',
};

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** How a wrong value is named in a message (never "undefined" or "[object Object]"). */
function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'an object';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

const article = (t: FieldType) => (t === 'array' ? 'a list' : t === 'object' ? 'an object' : `a ${t}`);

function checkFields(spec: Spec, obj: Record<string, unknown>, where: string): string | undefined {
  for (const [key, want] of Object.entries(spec)) {
    const optional = want.endsWith('?');
    const type = want.replace('?', '') as FieldType;
    const parts = key.split('.');
    let v: unknown = obj;
    for (const p of parts) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[p] : undefined;
    if (v === undefined && optional) continue;
    const ok = type === 'number' ? typeof v === 'number' && Number.isFinite(v) : typeOf(v) === type;
    if (!ok) return `${where}'${key}' must be ${article(type)} (got ${shown(v)})`;
  }
  return undefined;
}

/** What is wrong with a request's arguments, or undefined when its handler may run. */
export function argumentProblem(command: string, args: unknown): string | undefined {
  const spec = REQUESTS[command];
  if (!spec) return undefined;
  if (args !== undefined && typeOf(args) !== 'object') return `${command}: the arguments must be an object (got ${shown(args)})`;
  const obj = (args ?? {}) as Record<string, unknown>;
  const problem = checkFields(spec, obj, `${command}: argument `);
  if (problem) return problem;
  for (const key of Object.keys(spec)) {
    const list = obj[key];
    if (!Array.isArray(list)) continue;
    const element = ELEMENTS[`${command}.${key}`];
    const plain = PLAIN_ELEMENTS[`${command}.${key}`];
    for (let i = 0; i < list.length; i++) {
      if (plain) {
        if (typeOf(list[i]) !== plain) return `${command}: ${key}[${i}] must be ${article(plain)} (got ${shown(list[i])})`;
      } else if (element) {
        if (typeOf(list[i]) !== 'object') return `${command}: ${key}[${i}] must be an object (got ${shown(list[i])})`;
        const p = checkFields(element, list[i] as Record<string, unknown>, `${command}: ${key}[${i}].`);
        if (p) return p;
      }
    }
  }
  return undefined;
}
