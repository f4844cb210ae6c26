// Time travel in the debug adapter (issue #11), over stdio with DebugClient against
// dist/debug-adapter.js: stepBack / reverseContinue and the xpc.* time-travel requests on the
// bare-metal fixtures (hello.S, xpc-demo.S, echo.S; tt-pages.S for the history budget; spin.S and
// tt-long-call.S for pausing long searches, whose stops are checked by instruction count). States
// after travelling are compared with a fresh session driven forward to the same instruction
// count, so a wrong travel (or a replay that is not the recorded history) shows as a difference.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';

const ROOT = path.resolve(__dirname, '../../..');
const ADAPTER = path.join(ROOT, 'dist', 'debug-adapter.js');
const FIX = path.join(ROOT, 'test', 'debug-adapter', 'fixtures');
const HELLO = path.join(FIX, 'hello.S');
const DEMO = path.join(FIX, 'xpc-demo.S');
const CLIENT = path.join(FIX, 'xpc-client.S');
const SERVER = path.join(FIX, 'xpc-server.S');
const ECHO = path.join(FIX, 'echo.S');
const PAGES = path.join(FIX, 'tt-pages.S');
const SPIN = path.join(FIX, 'spin.S');
const LONG_CALL = path.join(FIX, 'tt-long-call.S');
const ECHO_IPC = path.join(ROOT, 'examples', 'echo-ipc', 'system.json');
const ECHO_IPC_CLIENT = path.join(ROOT, 'examples', 'echo-ipc', 'client.S');

function lineOf(file: string, re: RegExp, nth = 0): number {
  const hits = fs.readFileSync(file, 'utf8').split('\n').map((l, i) => (re.test(l) ? i + 1 : 0)).filter((x) => x);
  if (hits.length <= nth) throw new Error(`no line ${nth} matching ${re} in ${file}`);
  return hits[nth];
}

type Setup = (dc: DebugClient) => Promise<unknown>;

async function launch(dc: DebugClient, args: Record<string, unknown>, setup?: Setup): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped', 15_000);
  await Promise.all([
    dc.waitForEvent('initialized').then(() => setup?.(dc)).then(() => dc.configurationDoneRequest()),
    dc.launch(args),
  ]);
  return (await stopped) as DebugProtocol.StoppedEvent;
}

/** Sends a request and waits for the stop it causes. */
async function stopAfter(dc: DebugClient, send: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped', 15_000);
  await send();
  return (await stopped) as DebugProtocol.StoppedEvent;
}

const stepIn = (dc: DebugClient, granularity: DebugProtocol.SteppingGranularity = 'instruction') => stopAfter(dc, () => dc.stepInRequest({ threadId: 1, granularity }));
const next = (dc: DebugClient, granularity: DebugProtocol.SteppingGranularity = 'line') => stopAfter(dc, () => dc.nextRequest({ threadId: 1, granularity }));
const stepBack = (dc: DebugClient, granularity: DebugProtocol.SteppingGranularity = 'instruction') => stopAfter(dc, () => dc.stepBackRequest({ threadId: 1, granularity }));
const reverseContinue = (dc: DebugClient) => stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
const cont = (dc: DebugClient) => stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
const custom = async (dc: DebugClient, command: string, args?: unknown) => (await dc.customRequest(command, args)).body;
const travel = (dc: DebugClient, command: string, args?: unknown) => stopAfter(dc, () => dc.customRequest(command, args));

async function top(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
}

async function evaluate(dc: DebugClient, expression: string): Promise<bigint> {
  return BigInt((await dc.evaluateRequest({ expression, context: 'watch' })).body.result);
}

async function instructions(dc: DebugClient): Promise<number> {
  return (await custom(dc, 'xpc.state')).instructions as number;
}

/** Every register, CSR and XPC variable, by scope and name (what the Variables view shows). */
async function machineState(dc: DebugClient): Promise<Record<string, string>> {
  return machineStateOf(dc, await top(dc));
}

async function machineStateOf(dc: DebugClient, frame: DebugProtocol.StackFrame): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const s of (await dc.scopesRequest({ frameId: frame.id })).body.scopes) {
    if (s.name.startsWith('Globals')) continue;
    for (const v of (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables) out[`${s.name}.${v.name}`] = v.value;
  }
  return out;
}

/** The caller's view of the XPC state: satp, the link stack and the seg-reg. */
async function xpcState(dc: DebugClient): Promise<{ satp: string; linkStack: unknown; segReg: unknown; pc: string }> {
  const vars = await machineState(dc);
  return {
    satp: vars['CSRs.satp'], pc: vars['Registers.pc'],
    linkStack: (await custom(dc, 'xpc.linkStacks')).threads[0].records,
    segReg: (await custom(dc, 'xpc.relaySegments')).segReg,
  };
}

async function rejects(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (e: Error) => { assert.match(e.message, re); return true; });
}

describe('debug adapter: time travel (DAP over stdio)', function () {
  this.timeout(40_000);
  let dc: DebugClient;
  const extra: DebugClient[] = [];

  async function fresh(): Promise<DebugClient> {
    const c = new DebugClient('node', ADAPTER, 'xpc');
    await c.start();
    extra.push(c);
    return c;
  }

  before(() => {
    if (!fs.existsSync(ADAPTER)) throw new Error(`${ADAPTER} is missing: run npm run build`);
  });
  beforeEach(async () => {
    dc = new DebugClient('node', ADAPTER, 'xpc');
    await dc.start();
  });
  afterEach(async () => {
    await dc.stop();
    for (const c of extra.splice(0)) await c.stop();
  });

  it('advertises stepBack; forward 40 instructions, back 15, forward 5 equals a fresh session stepped to the same count', async () => {
    const caps = await dc.initializeRequest();
    assert.equal(caps.body?.supportsStepBack, true);
    await launch(dc, { program: DEMO, stopOnEntry: true });
    const entry = await instructions(dc);
    for (let i = 0; i < 40; i++) await stepIn(dc);
    assert.equal(await instructions(dc), entry + 40);
    const descriptions: string[] = [];
    for (let i = 0; i < 15; i++) descriptions.push((await stepBack(dc)).body.description ?? '');
    assert.equal(await instructions(dc), entry + 25);
    assert.match(descriptions[14], new RegExp(`at instruction ${entry + 25} of ${entry + 40} \\(history\\)`));
    const history = (await custom(dc, 'xpc.state')).history;
    assert.deepEqual([history.position, history.end, history.replaying], [entry + 25, entry + 40, true]);
    for (let i = 0; i < 5; i++) await stepIn(dc); // replays the recorded history
    assert.equal(await instructions(dc), entry + 30);
    const travelled = await machineState(dc);

    const other = await fresh();
    await launch(other, { program: DEMO, stopOnEntry: true });
    for (let i = 0; i < 30; i++) await stepIn(other);
    assert.equal(await instructions(other), entry + 30);
    assert.deepEqual(travelled, await machineState(other));
    // And the stack and memory agree too.
    assert.deepEqual(await top(dc), await top(other));
    const mem = async (c: DebugClient) => ((await c.customRequest('readMemory', { memoryReference: 'p:0x80000000', count: 0x4000 })) as DebugProtocol.ReadMemoryResponse).body?.data;
    assert.equal(await mem(dc), await mem(other));
  });

  it('reverse-continues to the last hit of a data breakpoint, then of a conditional breakpoint, before the current position', async () => {
    const doneLine = lineOf(HELLO, /^done:/) + 1;
    await launch(dc, { program: HELLO }, (c) => c.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: doneLine }] }));
    assert.equal((await top(dc)).line, doneLine);
    assert.equal(await evaluate(dc, '*(u64*)total'), 30n);
    const info = await dc.dataBreakpointInfoRequest({ name: 'total' });
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
    let ev = await reverseContinue(dc);
    assert.equal(ev.body.reason, 'data breakpoint');
    assert.match(ev.body.description ?? '', /total: write of 8 bytes.*\(history\)/);
    // Stopped after the write, as a forward run would: the last sum is there, s1 not yet bumped.
    assert.equal(await evaluate(dc, '*(u64*)total'), 30n);
    assert.equal(await evaluate(dc, 's1'), 4n);
    ev = await reverseContinue(dc);
    assert.equal(await evaluate(dc, '*(u64*)total'), 14n);
    assert.equal(await evaluate(dc, 's1'), 3n);
    // A breakpoint's condition is evaluated where it would have stopped: s1 == 1 only.
    await dc.setDataBreakpointsRequest({ breakpoints: [] });
    const loopLine = lineOf(HELLO, /mv a0, s1/);
    await dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: loopLine, condition: 's1 == 1' }] });
    ev = await reverseContinue(dc);
    assert.equal(ev.body.reason, 'breakpoint');
    assert.equal((await top(dc)).line, loopLine);
    assert.equal(await evaluate(dc, 's1'), 1n);
    // Nothing earlier: the start of the history, said so.
    ev = await reverseContinue(dc);
    assert.match(ev.body.description ?? '', /no earlier breakpoint.*start of the recorded history.*reaches back to the start of the run/);
    assert.equal((await custom(dc, 'xpc.state')).history.position, 0);
    // Forward again replays to the same stop.
    ev = await cont(dc);
    assert.equal(await evaluate(dc, 's1'), 1n);
  });

  it('reverse steps over and out of a call by line, and back into the callee\'s last line', async () => {
    const callLine = lineOf(HELLO, /call square/);
    const afterCall = callLine + 1;
    await launch(dc, { program: HELLO }, (c) => c.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: afterCall }] }));
    assert.equal(await evaluate(dc, 's1'), 0n);
    const sp = await evaluate(dc, 'sp');
    await travel(dc, 'xpc.reverseStepOver');
    assert.equal((await top(dc)).line, callLine, 'over the call, onto its line');
    assert.equal(await evaluate(dc, 's1'), 0n);
    await next(dc);
    assert.equal((await top(dc)).line, afterCall);
    await stepBack(dc, 'line');
    assert.equal((await top(dc)).line, lineOf(HELLO, /^\s+ret$/), 'into the callee: its last line');
    assert.ok(await evaluate(dc, 'sp') === sp);
    await stepBack(dc, 'line');
    assert.equal((await top(dc)).line, lineOf(HELLO, /addi sp, sp, 16/));
    assert.ok(await evaluate(dc, 'sp') < sp, 'inside the callee\'s frame');
    await travel(dc, 'xpc.reverseStepOut');
    assert.equal((await top(dc)).line, callLine, 'out: on the call');
    assert.equal(await evaluate(dc, 'sp'), sp);
    assert.equal(await evaluate(dc, 's1'), 0n);
  });

  it('steps back across an xcall/xret pair: the caller\'s satp, link stack and seg-reg come back', async () => {
    const xcallLine = lineOf(CLIENT, /xcall t0/);
    await launch(dc, { program: DEMO }, (c) => c.setBreakpointsRequest({ source: { path: CLIENT }, breakpoints: [{ line: xcallLine }] }));
    const caller = await xpcState(dc);
    await stepIn(dc, 'line');
    const f = await top(dc);
    assert.equal(f.source?.path, SERVER);
    const callee = await xpcState(dc);
    assert.notEqual(callee.satp, caller.satp);
    assert.equal((callee.linkStack as unknown[]).length, (caller.linkStack as unknown[]).length + 1);
    // Out of the callee's first instruction: on the caller's xcall.
    await stepBack(dc, 'instruction');
    assert.equal((await top(dc)).line, xcallLine);
    assert.deepEqual(await xpcState(dc), caller);
    // Over the whole pair (replayed forward), then reverse step over it.
    await next(dc);
    assert.equal((await top(dc)).line, xcallLine + 1);
    const after = await xpcState(dc);
    assert.equal(after.satp, caller.satp);
    await travel(dc, 'xpc.reverseStepOver');
    assert.equal((await top(dc)).line, xcallLine);
    assert.deepEqual(await xpcState(dc), caller);
    // Reverse step (into) from after the pair: the callee's last line, in the callee's domain.
    await next(dc);
    await stepBack(dc, 'line');
    const last = await top(dc);
    assert.equal(last.source?.path, SERVER);
    assert.equal(last.line, lineOf(SERVER, /xret/));
    assert.deepEqual((await xpcState(dc)).satp, callee.satp);
    assert.equal(((await custom(dc, 'xpc.linkStacks')).threads[0].records as { entryId?: number }[]).at(-1)?.entryId, 1);
    // Reverse step out of the handler: back on the caller's xcall.
    await travel(dc, 'xpc.reverseStepOut');
    assert.equal((await top(dc)).line, xcallLine);
    assert.deepEqual(await xpcState(dc), caller);
    // The call trace ends at the position: the xcall that is now in the future is not shown.
    const trace = await custom(dc, 'xpc.callTrace');
    assert.equal(trace.events.filter((e: { kind: string }) => e.kind === 'xcall').length, 0);
    assert.ok(trace.laterEvents >= 4, `later events: ${trace.laterEvents}`);
    const all = await custom(dc, 'xpc.callTrace', { all: true });
    assert.ok(all.events.some((e: { future?: boolean }) => e.future));
  });

  it('replays recorded console input: the same bytes reach the guest, output is not printed twice, and input in the past cuts the future', async () => {
    const stdout: string[] = [];
    const console: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => (e.body.category === 'stdout' ? stdout : console).push(e.body.output));
    await launch(dc, { program: ECHO, stopOnEntry: true });
    await dc.continueRequest({ threadId: 1 });
    await dc.evaluateRequest({ expression: 'ab', context: 'repl' });
    for (let i = 0; i < 100 && stdout.join('') !== 'ab\n'; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(stdout.join(''), 'ab\n');
    await stopAfter(dc, () => dc.pauseRequest({ threadId: 1 }));
    const end = (await custom(dc, 'xpc.state')).history.end as number;
    const ev = await travel(dc, 'xpc.gotoInstruction', { instructions: 10 });
    assert.equal(ev.body.reason, 'goto');
    assert.equal(await instructions(dc), 10);
    // The guest polls the UART: without the recorded input it would never reach the store.
    await dc.setBreakpointsRequest({ source: { path: ECHO }, breakpoints: [{ line: lineOf(ECHO, /sb t2, 0\(s0\)/) }] });
    const echoed: bigint[] = [];
    for (let i = 0; i < 3; i++) {
      await cont(dc);
      echoed.push(await evaluate(dc, 't2'));
    }
    assert.deepEqual(echoed, [0x61n, 0x62n, 0x0an]);
    assert.equal(stdout.join(''), 'ab\n', 'replayed output is not printed again');
    assert.equal((await custom(dc, 'xpc.state')).history.end, end);
    // New input in the past: the future after this point is discarded, with a console message.
    await dc.setBreakpointsRequest({ source: { path: ECHO }, breakpoints: [] });
    await travel(dc, 'xpc.gotoInstruction', { instructions: 10 });
    await dc.evaluateRequest({ expression: '> x', context: 'repl' });
    assert.ok(console.some((t) => /Console input at instruction 10, in the recorded past: .*discarded/.test(t)), console.join(''));
    assert.equal((await custom(dc, 'xpc.state')).history.end, 10);
    await dc.continueRequest({ threadId: 1 });
    for (let i = 0; i < 100 && stdout.join('') !== 'ab\nx\n'; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(stdout.join(''), 'ab\nx\n');
    await stopAfter(dc, () => dc.pauseRequest({ threadId: 1 }));
  });

  it('reverse-continues to an exception-filter stop: exceptionInfo and the trap frame as at the forward stop', async () => {
    const ev = await launch(dc, { program: DEMO }, (c) => c.setExceptionBreakpointsRequest({ filters: ['xpc-25'] }));
    assert.equal(ev.body.reason, 'exception');
    const forward = { description: ev.body.description, info: (await dc.exceptionInfoRequest({ threadId: 1 })).body, frames: (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames, at: await instructions(dc) };
    for (let i = 0; i < 3; i++) await stepIn(dc);
    assert.equal(await instructions(dc), forward.at + 3);
    const back = await reverseContinue(dc);
    assert.equal(back.body.reason, 'exception');
    assert.equal(await instructions(dc), forward.at);
    assert.match(back.body.description ?? '', /^invalid xcall-cap \(cause 25, x-entry id 3\).*\(history\)$/);
    assert.deepEqual((await dc.exceptionInfoRequest({ threadId: 1 })).body, forward.info);
    assert.deepEqual((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames, forward.frames);
  });

  it('finds the last write of memory and of a register, and says when nothing wrote it', async () => {
    const doneLine = lineOf(HELLO, /^done:/) + 1;
    await launch(dc, { program: HELLO }, (c) => c.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: doneLine }] }));
    const total = (await evaluate(dc, 'total')).toString(16);
    const stopped = dc.waitForEvent('stopped', 15_000);
    const w = await custom(dc, 'xpc.lastWrite', { address: `0x${total}`, length: 8 });
    assert.equal(((await stopped) as DebugProtocol.StoppedEvent).body.reason, 'goto');
    assert.equal(w.found, true);
    assert.equal(w.by, 'instruction');
    assert.equal(w.source.line, lineOf(HELLO, /sd t1, 0\(t0\)/));
    assert.equal((await top(dc)).line, w.source.line);
    assert.equal(await evaluate(dc, '*(u64*)total'), 14n);
    await stepIn(dc);
    assert.equal(await evaluate(dc, '*(u64*)total'), 30n);

    // Here s1 is 4 (the last iteration's addi has not run): its last write made it 4.
    await travel(dc, 'xpc.lastWrite', { register: 's1' });
    assert.equal((await top(dc)).line, lineOf(HELLO, /addi s1, s1, 1/));
    assert.equal(await evaluate(dc, 's1'), 3n);
    const none = await custom(dc, 'xpc.lastWrite', { register: 's11' });
    assert.equal(none.found, false);
    assert.match(none.message, /nothing wrote s11 between instruction 0 and here/);
    await rejects(dc.customRequest('xpc.lastWrite', { register: 'bogus' }), /not a register/);
    await rejects(dc.customRequest('xpc.lastWrite', {}), /give an address .* or a register/);
  });

  it('a data breakpoint on a linkage record stops after the xcall that writes it; last write finds that xcall', async () => {
    // xpc-boot.S leaves the link stack (`lstack`) zero: only the XPC engine writes it.
    await launch(dc, { program: DEMO, stopOnEntry: true });
    const lstack = await evaluate(dc, 'lstack');
    const info = await dc.dataBreakpointInfoRequest({ name: 'lstack' });
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
    let ev = await cont(dc);
    assert.equal(ev.body.reason, 'data breakpoint');
    assert.match(ev.body.description ?? '', /^lstack: write of 128 bytes at physical 0x[0-9a-f]+ by the xcall \(its linkage record\)$/);
    let f = await top(dc);
    assert.deepEqual([f.source?.path, f.line], [SERVER, lineOf(SERVER, /slli a0, a0, 1/)], 'after the xcall: at the callee\'s entry');
    // The nested call and both returns write other words; the next write of this one is the second call's.
    ev = await cont(dc);
    assert.equal(ev.body.reason, 'data breakpoint');
    f = await top(dc);
    assert.deepEqual([f.source?.path, f.line], [SERVER, lineOf(SERVER, /li t1, RELAY_VA/)]);
    const secondCall = lineOf(CLIENT, /xcall t0/, 1);
    // Its VALID flag: last written by the xcall just taken.
    const stopped = dc.waitForEvent('stopped', 15_000);
    const w = await custom(dc, 'xpc.lastWrite', { address: `0x${(lstack + 112n).toString(16)}`, length: 8, physical: true });
    await stopped;
    assert.deepEqual([w.found, w.by, w.source?.path, w.source?.line], [true, 'instruction', CLIENT, secondCall]);
    // Reverse-continue from there: the first call's write, reported as the xcall's again.
    ev = await reverseContinue(dc);
    assert.match(ev.body.description ?? '', /by the xcall \(its linkage record\) — at instruction/);
    f = await top(dc);
    assert.deepEqual([f.source?.path, f.line], [SERVER, lineOf(SERVER, /slli a0, a0, 1/)]);
  });

  it('goes to an instruction count and to bookmarks; the state equals a fresh session\'s at that count', async () => {
    const doneLine = lineOf(HELLO, /^done:/) + 1;
    await launch(dc, { program: HELLO }, (c) => c.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: doneLine }] }));
    const atDone = await instructions(dc);
    const added = await custom(dc, 'xpc.bookmarks', { action: 'add', name: 'at done' });
    assert.equal(added.bookmark.instructions, atDone);
    assert.equal(added.bookmark.source.line, doneLine);
    await travel(dc, 'xpc.gotoInstruction', { instructions: 20 });
    assert.equal(await instructions(dc), 20);
    const at20 = await machineState(dc);
    await travel(dc, 'xpc.bookmarks', { action: 'goto', id: added.bookmark.id });
    assert.equal(await instructions(dc), atDone);
    assert.equal((await top(dc)).line, doneLine);
    const list = await custom(dc, 'xpc.bookmarks', { action: 'list' });
    assert.deepEqual(list.bookmarks.map((b: { name: string }) => b.name), ['at done']);
    await rejects(dc.customRequest('xpc.gotoInstruction', { instructions: atDone + 1 }), /beyond the recorded history, which ends at instruction/);
    await rejects(dc.customRequest('xpc.bookmarks', { action: 'goto', id: 99 }), /no bookmark 99/);
    assert.deepEqual((await custom(dc, 'xpc.bookmarks', { action: 'remove', id: added.bookmark.id })).bookmarks, []);
    // A register set in the past is recorded there, and the recorded future is given up.
    const kept = await custom(dc, 'xpc.bookmarks', { action: 'add', name: 'later' });
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    await travel(dc, 'xpc.gotoInstruction', { instructions: 20 });
    const frame = await top(dc);
    const regs = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.find((x) => x.name === 'Registers')!;
    await dc.setVariableRequest({ variablesReference: regs.variablesReference, name: 'a5', value: '0x1234' });
    assert.ok(output.some((t) => /Setting a5 at instruction 20, in the recorded past: the history after it .* is discarded, with its bookmarks/.test(t)), output.join(''));
    assert.equal((await custom(dc, 'xpc.state')).history.end, 20);
    assert.deepEqual((await custom(dc, 'xpc.bookmarks')).bookmarks, []);
    void kept;
    await stepIn(dc);
    await stepBack(dc);
    assert.equal(await evaluate(dc, 'a5'), 0x1234n, 'the write is replayed at its position');

    const other = await fresh();
    await launch(other, { program: HELLO, stopOnEntry: true });
    const entry = await instructions(other);
    for (let i = entry; i < 20; i++) await stepIn(other);
    assert.deepEqual(at20, await machineState(other));
  });

  it('says how far back the history reaches when the budget has given up its start', async function () {
    // Every checkpoint of this program copies 2 MiB: a 1 MiB budget keeps only the newest.
    await Promise.all([dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()), dc.launch({ program: PAGES, historyBudgetMiB: 1 })]);
    let start = 0;
    for (let i = 0; i < 100 && start === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      start = (await custom(dc, 'xpc.state')).history.start;
    }
    await stopAfter(dc, () => dc.pauseRequest({ threadId: 1 }));
    const h = (await custom(dc, 'xpc.state')).history;
    assert.ok(h.start > 0, `history start ${h.start}`);
    await rejects(dc.customRequest('xpc.gotoInstruction', { instructions: 0 }),
      new RegExp(`instruction 0 is before the recorded history, which reaches back to instruction ${h.start.toLocaleString('en')}.*budget of 1 MiB`));
    const ev = await reverseContinue(dc);
    assert.match(ev.body.description ?? '', new RegExp(`start of the recorded history \\(instruction ${h.start.toLocaleString('en')}\\).*budget of 1 MiB`));
    const back = await stepBack(dc);
    assert.match(back.body.description ?? '', /at the start of the recorded history/);
  });

  it('timeTravel: false turns it off, with clear answers', async () => {
    const caps = dc.waitForEvent('capabilities', 10_000);
    await launch(dc, { program: HELLO, stopOnEntry: true, timeTravel: false });
    assert.equal(((await caps) as DebugProtocol.CapabilitiesEvent).body.capabilities.supportsStepBack, false);
    await rejects(dc.stepBackRequest({ threadId: 1 }), /time travel is off/);
    const body = await custom(dc, 'xpc.gotoInstruction', { instructions: 1 });
    assert.equal(body.available, false);
    assert.equal((await custom(dc, 'xpc.state')).history, undefined);
    await stepIn(dc);
    assert.equal(await instructions(dc) > 0, true);
  });

  it('steps back across a kernel syscall (echo-ipc): out of the kernel and the server, onto the client\'s SYSCALL line', async () => {
    const call = lineOf(ECHO_IPC_CLIENT, /SYSCALL SYS_CALL/);
    const ev = await launch(dc, { system: ECHO_IPC }, (c) => c.setBreakpointsRequest({ source: { path: ECHO_IPC_CLIENT }, breakpoints: [{ line: call }] }));
    const thread = ev.body.threadId!;
    const frame = async () => (await dc.stackTraceRequest({ threadId: thread })).body.stackFrames[0];
    assert.equal((await frame()).line, call);
    const before = await machineStateOf(dc, await frame());
    const at = await instructions(dc);
    await stopAfter(dc, () => dc.nextRequest({ threadId: thread }));
    assert.equal((await frame()).line, lineOf(ECHO_IPC_CLIENT, /bnez\s+a7, fail/));
    assert.equal(await evaluate(dc, 'a0'), 21n);
    assert.ok(await instructions(dc) > at + 50, 'the kernel and the server ran');
    const back = await stopAfter(dc, () => dc.stepBackRequest({ threadId: thread }));
    assert.equal(back.body.threadId, thread);
    const f = await frame();
    assert.equal(f.source?.path, ECHO_IPC_CLIENT);
    assert.equal(f.line, call);
    assert.equal(await evaluate(dc, 'a0'), 1n);
    // At the line's first instruction (the macro's li, before its ecall): the registers of the stop before the syscall.
    const now = await machineStateOf(dc, f);
    for (const k of Object.keys(before)) if (k.startsWith('Registers.')) assert.equal(now[k], before[k], k);
    assert.equal(await instructions(dc), at);
    // Forward again: the recorded history, to the same reply.
    await stopAfter(dc, () => dc.nextRequest({ threadId: thread }));
    assert.equal(await evaluate(dc, 'a0'), 21n);
  });

  it('pauses a long reverse-continue where the search has got to: a real position, stepping works from there', async () => {
    // spin.S loops forever (8 instructions an iteration, `counter` bumped in each). Record a long
    // history, then search it back for a write of `never` (code: nothing writes it). The data
    // breakpoint turns off compiled blocks, so searching it all takes seconds.
    await Promise.all([dc.configurationSequence(), dc.launch({ program: SPIN })]);
    const HISTORY = 30_000_000;
    for (let i = 0; i < 600; i++) {
      if ((await custom(dc, 'xpc.state')).history.end >= HISTORY) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await stopAfter(dc, () => dc.pauseRequest({ threadId: 1 }));
    const before = (await custom(dc, 'xpc.state')).history;
    assert.ok(before.end >= HISTORY, `history of ${before.end} instructions`);
    const info = await dc.dataBreakpointInfoRequest({ name: 'never' });
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
    const stopped = dc.waitForEvent('stopped', 30_000);
    await dc.reverseContinueRequest({ threadId: 1 });
    await dc.pauseRequest({ threadId: 1 });
    const ev = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(ev.body.reason, 'pause');
    assert.match(ev.body.description ?? '', /reverse continue paused: (no stop between here and instruction [\d,]+, where it started|nothing searched yet)/);
    const h = (await custom(dc, 'xpc.state')).history;
    assert.equal(h.end, before.end, 'the history is kept');
    // Stopped well before the search would have ended (at the start of the history).
    assert.ok(h.position <= before.position && h.position > h.start + (before.position - h.start) / 2, `paused at ${h.position} of ${h.start}…${before.position}`);
    // A real position: the machine is in the loop, with the counter of that instruction count.
    const p = h.position;
    assert.equal(await instructions(dc), p);
    const frame = await top(dc);
    assert.equal(frame.source?.path, SPIN);
    const counter = Number(await evaluate(dc, '*(u64*)counter'));
    assert.ok(Math.abs(counter * 8 - p) <= 16, `counter ${counter} at instruction ${p}`);
    const here = await machineState(dc);
    await stepBack(dc);
    assert.equal(await instructions(dc), p - 1);
    await stepIn(dc);
    assert.equal(await instructions(dc), p);
    assert.deepEqual(await machineState(dc), here);
    await next(dc);
    assert.ok(await instructions(dc) > p);
    // Searching goes on from a paused position as from any other: back to the last call of tick.
    await dc.setDataBreakpointsRequest({ breakpoints: [] });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'tick' }] });
    const cur = await instructions(dc);
    const back = await reverseContinue(dc);
    assert.equal(back.body.reason, 'function breakpoint');
    const at = await instructions(dc);
    assert.ok(at < cur && at >= cur - 8, `tick's last call at ${at}, from ${cur}`);
    assert.match((await top(dc)).name, /^tick\b/);
  });

  /** Sends a travel request and pauses it at once: its response (or undefined), the `pause` stop, whether `continued` came first. */
  async function pausedTravel(command: string, args?: unknown): Promise<{ body: Record<string, unknown>; stop: DebugProtocol.StoppedEvent; continued: boolean }> {
    let continued = false;
    const onContinued = () => { continued = true; };
    dc.on('continued', onContinued);
    const stopped = dc.waitForEvent('stopped', 30_000);
    const response = dc.customRequest(command, args);
    await dc.pauseRequest({ threadId: 1 });
    const body = (await response).body as Record<string, unknown>;
    const stop = (await stopped) as DebugProtocol.StoppedEvent;
    dc.removeListener('continued', onContinued);
    return { body, stop, continued };
  }

  it('pauses a reverse step out of a function entered millions of instructions ago, and a reverse step over of that long call', async () => {
    // tt-long-call.S: work runs 5,000,000 instructions (a loop of 5, `count` bumped in each) before it returns.
    const doneLine = lineOf(LONG_CALL, /^work_done:/) + 1;
    const callLine = lineOf(LONG_CALL, /call work/);
    await launch(dc, { program: LONG_CALL }, (c) => c.setBreakpointsRequest({ source: { path: LONG_CALL }, breakpoints: [{ line: doneLine }] }));
    const end = await instructions(dc);
    assert.ok(end > 5_000_000, `work ran ${end} instructions`);
    const workSp = await evaluate(dc, 'sp');
    // Step out backwards: the call is ~5 M instructions back, scanned one at a time. Paused at once.
    let r = await pausedTravel('xpc.reverseStepOut');
    assert.equal(r.body.available, true);
    assert.equal(r.continued, true, 'the client was told the program runs (so it offers pause)');
    assert.equal(r.stop.body.reason, 'pause');
    assert.match(r.stop.body.description ?? '', /^reverse step out paused: (no call of this function between here and instruction [\d,]+, where it started|nothing searched yet)/);
    let h = (await custom(dc, 'xpc.state')).history;
    assert.equal(h.end, end, 'the history is kept');
    // Well before it would have finished (at the call, near instruction 0): still inside work's loop.
    assert.ok(h.position <= end && h.position > end / 2, `paused at ${h.position} of ${end}`);
    const p = h.position;
    assert.match((await top(dc)).name, /^work\b/);
    assert.equal(await evaluate(dc, 'sp'), workSp);
    const count = Number(await evaluate(dc, '*(u64*)count'));
    assert.ok(Math.abs(count * 5 - p) <= 16, `count ${count} at instruction ${p}`);
    // A real position: back one and forward one give the same state.
    const here = await machineState(dc);
    await stepBack(dc);
    assert.equal(await instructions(dc), p - 1);
    await stepIn(dc);
    assert.equal(await instructions(dc), p);
    assert.deepEqual(await machineState(dc), here);
    // Asked again from there, unpaused: it goes on to the call.
    const out = await travel(dc, 'xpc.reverseStepOut');
    assert.equal(out.body.reason, 'step');
    let f = await top(dc);
    assert.deepEqual([f.source?.path, f.line], [LONG_CALL, callLine]);
    assert.equal(await evaluate(dc, 'sp'), workSp + 16n);
    const callAt = await instructions(dc);
    assert.ok(callAt < 10, `the call at instruction ${callAt}`);

    // Over the call forward (replayed: 5 M instructions), then a reverse step over it, paused.
    await dc.setBreakpointsRequest({ source: { path: LONG_CALL }, breakpoints: [] });
    await next(dc);
    f = await top(dc);
    assert.equal(f.line, callLine + 1);
    const after = await instructions(dc);
    r = await pausedTravel('xpc.reverseStepOver', { granularity: 'line' });
    assert.equal(r.stop.body.reason, 'pause');
    assert.match(r.stop.body.description ?? '', /^reverse step over paused: (no earlier line of this frame between here and instruction [\d,]+, where it started|nothing searched yet)/);
    h = (await custom(dc, 'xpc.state')).history;
    assert.ok(h.position < after && h.position > after / 2, `paused at ${h.position}, the step started at ${after}`);
    assert.match((await top(dc)).name, /^work\b/, 'inside the call it was stepping over');
    await stepIn(dc);
    assert.equal(await instructions(dc), h.position + 1);
    // Unpaused from the same place, the reverse step over lands on the call's line.
    await travel(dc, 'xpc.gotoInstruction', { instructions: after });
    await travel(dc, 'xpc.reverseStepOver', { granularity: 'line' });
    f = await top(dc);
    assert.equal(f.line, callLine);
    // The line's first instruction (`call` is auipc + jalr; reverse step out stops on the jalr).
    assert.equal(await instructions(dc), callAt - 1);
  });

  it('pauses a last write that searches far: answered "paused at instruction N", a pause stop there; asking again goes on', async () => {
    // tt-long-call.S spins after work returns: record a history well past it.
    await Promise.all([dc.configurationSequence(), dc.launch({ program: LONG_CALL })]);
    const HISTORY = 16_000_000;
    for (let i = 0; i < 600; i++) {
      if ((await custom(dc, 'xpc.state')).history.end >= HISTORY) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await stopAfter(dc, () => dc.pauseRequest({ threadId: 1 }));
    const from = await instructions(dc);
    assert.ok(from >= HISTORY, `history of ${from} instructions`);
    const spinStart = from - 2 * Number(await evaluate(dc, 's3'));
    const never = (await evaluate(dc, 'never')).toString(16);
    const searched = (what: string) => new RegExp(`^paused at instruction ([\\d,]+): (nothing wrote ${what} between instruction \\1 and instruction ${from.toLocaleString('en')}, where it started|nothing searched yet); ask again`);
    // Memory nothing writes (a watchpoint search) and a register nothing writes (a scan of every step).
    for (const [args, what] of [[{ address: `0x${never}`, length: 8 }, `8 bytes at 0x${never}`], [{ register: 's11' }, 's11']] as const) {
      await travel(dc, 'xpc.gotoInstruction', { instructions: from });
      const r = await pausedTravel('xpc.lastWrite', args);
      assert.deepEqual([r.body.available, r.body.found, r.body.paused], [true, false, true], JSON.stringify(r.body));
      assert.match(String(r.body.message), searched(what));
      assert.equal(r.stop.body.reason, 'pause');
      assert.match(r.stop.body.description ?? '', new RegExp(`^last write paused: (nothing wrote ${what} between here and instruction ${from.toLocaleString('en')}, where it started|nothing searched yet)`));
      const p = await instructions(dc);
      assert.equal(r.body.instructions, p);
      // Well before it would have finished (the whole history, then back to `from`).
      assert.ok(p <= from && p > from / 2, `paused at ${p} of ${from}`);
      // A real position: spinning, with the counter of that instruction count.
      const s3 = Number(await evaluate(dc, 's3'));
      assert.ok(Math.abs(2 * s3 - (p - spinStart)) <= 2, `s3 ${s3} at instruction ${p} (the loop from ${spinStart})`);
      await stepBack(dc);
      await stepIn(dc);
      assert.equal(await instructions(dc), p);
    }
    // Asking again from a paused position goes on: the last write of `count` (work's last store) is found behind it.
    const p = await instructions(dc);
    const stopped = dc.waitForEvent('stopped', 30_000);
    const w = await custom(dc, 'xpc.lastWrite', { address: `0x${(await evaluate(dc, 'count')).toString(16)}`, length: 8 });
    assert.equal(((await stopped) as DebugProtocol.StoppedEvent).body.reason, 'goto');
    assert.deepEqual([w.found, w.by, w.source?.line], [true, 'instruction', lineOf(LONG_CALL, /sd t2, 0\(t0\)/)]);
    assert.ok(w.instructions < spinStart && w.instructions < p);
    assert.equal(await evaluate(dc, '*(u64*)count'), 999_999n);
  });

  it('refuses bad time-travel launch attributes', async () => {
    await dc.initializeRequest();
    await rejects(dc.launchRequest({ program: HELLO, historyBudgetMiB: 0 } as DebugProtocol.LaunchRequestArguments), /historyBudgetMiB .* integer from 1 to 65536/);
  });
});
