// XPC under the kernel, over stdio (dist/debug-adapter.js): `system` launches of the XPC examples
// (examples/{echo-xpc,chain,denied,dead-callee}) — stepping into and over xpc_call, stacks
// stitched across processes through the link stack, XPC faults, watchpoints on relay segments,
// and the extension's views from the kernel inspector.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { adapterPerTest, EXAMPLES, launch, lineOf, runToEnd, stack } from './dap-client';

const EX = EXAMPLES;
const ECHO = path.join(EX, 'echo-xpc', 'system.json');
const ECHO_CLIENT = path.join(EX, 'echo-xpc', 'client.S');
const ECHO_SERVER = path.join(EX, 'echo-xpc', 'server.S');
const CHAIN = path.join(EX, 'chain', 'system.json');
const CHAIN_CLIENT = path.join(EX, 'chain', 'client.S');
const CHAIN_MIDDLE = path.join(EX, 'chain', 'middle.S');
const CHAIN_SERVER = path.join(EX, 'chain', 'server.S');
const DENIED = path.join(EX, 'denied', 'system.json');
const DENIED_CLIENT = path.join(EX, 'denied', 'client.S');
const DEAD = path.join(EX, 'dead-callee', 'system.json');
const DEAD_CLIENT = path.join(EX, 'dead-callee', 'client.S');
const XPC_E_DEAD_CALLEE = 20;
/** Two client threads preempted inside the same x-entry (two call contexts). */
const PREEMPT = path.resolve(EX, '..', 'test', 'kernel', 'fixtures', 'xpc-preempt.json');
const PREEMPT_S = path.resolve(EX, '..', 'test', 'kernel', 'fixtures', 'xpc-preempt.S');
/** An x-entry the owner registers at run time (SYS_XPC_REGISTER), not in the description. */
const XPC_SYS = path.resolve(EX, '..', 'test', 'kernel', 'fixtures', 'xpc-sys.json');
const XPC_SYS_S = path.resolve(EX, '..', 'test', 'kernel', 'fixtures', 'xpc-sys.S');



/** Launches with source breakpoints at `lines` of `file` and runs to the first. */
async function runToLine(dc: DebugClient, system: string, file: string, lines: number[], extra: Record<string, unknown> = {}): Promise<DebugProtocol.StoppedEvent> {
  return launch(dc, { system, ...extra }, (c) => c.setBreakpointsRequest({ source: { path: file }, breakpoints: lines.map((line) => ({ line })) }));
}


async function register(dc: DebugClient, frameId: number, name: string): Promise<bigint> {
  const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
  const regs = scopes.find((s) => s.name === 'Registers')!;
  const vars = (await dc.variablesRequest({ variablesReference: regs.variablesReference })).body.variables;
  const v = vars.find((x) => x.name === name);
  if (!v) throw new Error(`no register ${name}`);
  return BigInt(v.value);
}

async function step(dc: DebugClient, kind: 'stepIn' | 'next' | 'stepOut', threadId: number): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped', 20_000);
  if (kind === 'stepIn') await dc.stepInRequest({ threadId });
  else if (kind === 'next') await dc.nextRequest({ threadId });
  else await dc.stepOutRequest({ threadId });
  return (await stopped) as DebugProtocol.StoppedEvent;
}

async function cont(dc: DebugClient, threadId: number): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped', 20_000);
  await dc.continueRequest({ threadId });
  return (await stopped) as DebugProtocol.StoppedEvent;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;
async function custom(dc: DebugClient, command: string, args: Record<string, unknown> = {}): Promise<Body> {
  return (await dc.customRequest(command, args)).body;
}

describe('debug adapter: XPC under the kernel (system launches)', function () {
  this.timeout(60_000);
  let dc: DebugClient;
  adapterPerTest((c) => { dc = c; });

  it('step in on a line calling xpc_call lands on the handler\'s first line in the server, same thread', async () => {
    const callLine = lineOf(ECHO_CLIENT, /call\s+xpc_call/);
    const ev = await runToLine(dc, ECHO, ECHO_CLIENT, [callLine]);
    const tid = ev.body.threadId!;
    assert.equal((await stack(dc, tid))[0].line, callLine);
    const s = await step(dc, 'stepIn', tid);
    assert.equal(s.body.threadId, tid);
    const frames = await stack(dc, tid);
    assert.equal(frames[0].source?.path, ECHO_SERVER);
    assert.equal(frames[0].line, lineOf(ECHO_SERVER, /addi\s+sp, sp, -32/, 'echo'));
    assert.match(frames[0].name, /^echo \[server\]/);
    // Below it: the call's label and the client's xpc_call line.
    const label = frames.find((f) => f.presentationHint === 'label');
    assert.match(label?.name ?? '', /xcall #1 → .*echo/);
    const client = frames.find((f) => f.source?.path === ECHO_CLIENT);
    assert.equal(client?.line, callLine);
    assert.match(client!.name, /\[client\]/);
  });

  it('in the handler, the client\'s caller frame evaluates and reads memory in the client\'s address space', async () => {
    const ev = await runToLine(dc, ECHO, ECHO_SERVER, [lineOf(ECHO_SERVER, /addi\s+sp, sp, -32/, 'echo')]);
    const frames = await stack(dc, ev.body.threadId!);
    const client = frames.find((f) => f.source?.path === ECHO_CLIENT)!;
    assert.ok(client, frames.map((f) => f.name).join(', '));
    assert.match(client.instructionPointerReference ?? '', /^client:0x/);
    // The caller's frame is not a saved context: its expressions still use the client's symbols and memory.
    const e = (await dc.evaluateRequest({ expression: 'text', context: 'watch', frameId: client.id })).body;
    assert.match(e.memoryReference ?? '', /^client:0x/);
    assert.equal(BigInt((await dc.evaluateRequest({ expression: '*(u8*)text', context: 'watch', frameId: client.id })).body.result), 97n); // 'a'
    const read = async (memoryReference: string) => Buffer.from(((await dc.customRequest('readMemory', { memoryReference, count: 9 })) as DebugProtocol.ReadMemoryResponse).body?.data ?? '', 'base64').toString('latin1');
    assert.equal(await read(e.memoryReference!), 'a message');
    assert.notEqual(await read(e.memoryReference!.replace(/^client:/, '')), 'a message');
  });

  it('with stepIntoXpcLibrary a step in on the same line stops in the library\'s xpc_call', async () => {
    const callLine = lineOf(ECHO_CLIENT, /call\s+xpc_call/);
    const ev = await runToLine(dc, ECHO, ECHO_CLIENT, [callLine], { stepIntoXpcLibrary: true });
    await step(dc, 'stepIn', ev.body.threadId!);
    const top = (await stack(dc, ev.body.threadId!))[0];
    assert.match(top.source?.path ?? '', /kernel[/\\]lib[/\\]xpc[/\\]xpc\.S$/);
    assert.match(top.name, /^xpc_call \[client\]/);
  });

  it('step over the xpc_call line stops on the next client line with the server\'s result in a0 and a7 = 0', async () => {
    const callLine = lineOf(ECHO_CLIENT, /call\s+xpc_call/);
    const ev = await runToLine(dc, ECHO, ECHO_CLIENT, [callLine]);
    const tid = ev.body.threadId!;
    const s = await step(dc, 'next', tid);
    assert.equal(s.body.threadId, tid);
    const top = (await stack(dc, tid))[0];
    assert.equal(top.source?.path, ECHO_CLIENT);
    assert.equal(top.line, callLine + 1);
    assert.match(top.name, /\[client\]/);
    assert.equal(await register(dc, top.id, 'a0'), 15n);
    assert.equal(await register(dc, top.id, 'a7'), 0n);
  });

  it('step out of the handler returns to the client after its xpc_call', async () => {
    const ev = await runToLine(dc, ECHO, ECHO_SERVER, [lineOf(ECHO_SERVER, /bnez\s+s1, capitals/)]);
    const tid = ev.body.threadId!;
    await step(dc, 'stepOut', tid);
    const top = (await stack(dc, tid))[0];
    assert.equal(top.source?.path, ECHO_CLIENT);
    assert.equal(top.line, lineOf(ECHO_CLIENT, /call\s+xpc_call/) + 1);
  });

  it('a step over the last line of a handler returns through the trampoline to the caller\'s next line', async () => {
    const ev = await runToLine(dc, ECHO, ECHO_SERVER, [lineOf(ECHO_SERVER, /^\s+ret\b/, 'echo')]);
    const tid = ev.body.threadId!;
    await step(dc, 'next', tid);
    const top = (await stack(dc, tid))[0];
    assert.equal(top.source?.path, ECHO_CLIENT);
    assert.equal(top.line, lineOf(ECHO_CLIENT, /call\s+xpc_call/) + 1);
    assert.equal(await register(dc, top.id, 'a0'), 15n);
  });

  it('chain: step in from the middle\'s xpc_call lands in the server\'s handler; step out returns after the middle\'s call with a7 = 0', async () => {
    const call = lineOf(CHAIN_MIDDLE, /call\s+xpc_call/);
    const ev = await runToLine(dc, CHAIN, CHAIN_MIDDLE, [call]);
    const tid = ev.body.threadId!;
    let top = (await stack(dc, tid))[0];
    assert.match(top.name, /\[middle\]/);
    await step(dc, 'stepIn', tid);
    top = (await stack(dc, tid))[0];
    assert.equal(top.source?.path, CHAIN_SERVER);
    assert.equal(top.line, lineOf(CHAIN_SERVER, /addi\s+sp, sp, -16/, 'answer'));
    assert.match(top.name, /^answer \[server\]/);
    await step(dc, 'stepOut', tid);
    top = (await stack(dc, tid))[0];
    assert.equal(top.source?.path, CHAIN_MIDDLE);
    assert.equal(top.line, call + 1);
    assert.equal(await register(dc, top.id, 'a7'), 0n);
    assert.equal(await register(dc, top.id, 'a0'), 0n);
  });

  it('denied: step over and step in on a refused xpc_call both land on the next line with a7 = XPC_E_DENIED', async () => {
    const call = lineOf(DENIED_CLIENT, /call\s+xpc_call/);
    const ev = await runToLine(dc, DENIED, DENIED_CLIENT, [call]);
    const tid = ev.body.threadId!;
    await step(dc, 'next', tid);
    let top = (await stack(dc, tid))[0];
    assert.equal(top.line, call + 1);
    assert.equal(await register(dc, top.id, 'a7'), 19n);
    // The second call (x-entry 40, none): step in passes through the library and the kernel's report.
    const second = fs.readFileSync(DENIED_CLIENT, 'utf8').split('\n').findIndex((l, i) => i + 1 > call && /call\s+xpc_call/.test(l)) + 1;
    await dc.setBreakpointsRequest({ source: { path: DENIED_CLIENT }, breakpoints: [{ line: second }] });
    await cont(dc, tid);
    await step(dc, 'stepIn', tid);
    top = (await stack(dc, tid))[0];
    assert.equal(top.source?.path, DENIED_CLIENT);
    assert.equal(top.line, second + 1);
    assert.equal(await register(dc, top.id, 'a7'), 18n);
  });

  it('time travel: stepping back by line from the handler\'s first line lands on the client\'s xpc_call line, and back again into the handler\'s last line', async () => {
    const callLine = lineOf(ECHO_CLIENT, /call\s+xpc_call/);
    const ev = await runToLine(dc, ECHO, ECHO_CLIENT, [callLine]);
    const tid = ev.body.threadId!;
    await step(dc, 'stepIn', tid);
    const stepBack = async () => { const s = dc.waitForEvent('stopped', 20_000); await dc.stepBackRequest({ threadId: tid }); await s; return (await stack(dc, tid))[0]; };
    let top = await stepBack();
    assert.equal(top.source?.path, ECHO_CLIENT);
    assert.equal(top.line, callLine);
    await step(dc, 'next', tid);
    top = await stepBack();
    assert.equal(top.source?.path, ECHO_SERVER);
    assert.equal(top.line, lineOf(ECHO_SERVER, /^\s+ret\b/, 'echo'));
    assert.match(top.name, /\[server\]/);
  });

  it('a kernel stop inside a handler\'s system call shows the kernel, the handler in the server and, below the xcall, the client', async () => {
    const print = lineOf(ECHO_SERVER, /PRINT\s+asked_sum/);
    const ev = await runToLine(dc, ECHO, ECHO_SERVER, [print]);
    const tid = ev.body.threadId!;
    await dc.setBreakpointsRequest({ source: { path: ECHO_SERVER }, breakpoints: [] });
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'sys_puts' }] });
    const hit = await cont(dc, tid);
    assert.equal(hit.body.threadId, tid);
    const frames = await stack(dc, tid);
    const shown = frames.map((f) => `${f.name} ${f.source?.name ?? ''}:${f.line}`).join(' | ');
    assert.match(frames[0].name, /\[kernel\]/, shown);
    const labels = frames.filter((f) => f.presentationHint === 'label').map((f) => f.name);
    assert.equal(labels.length, 2, shown);
    assert.match(labels[0], /syscall SYS_PUTS from server/, shown);
    assert.match(labels[1], /xcall #1 → server\.echo/, shown);
    assert.ok(frames.some((f) => f.source?.path === ECHO_SERVER && (f.line === print || f.line === print + 1) && /^echo(\+0x[0-9a-f]+)? \[server\]/.test(f.name)), shown);
    const client = frames[frames.length - 1];
    assert.equal(client.source?.path, ECHO_CLIENT, shown);
    assert.equal(client.line, lineOf(ECHO_CLIENT, /call\s+xpc_call/), shown);
  });

  it('the stack inside the third hop of chain shows server, middle and client, each with its own source', async () => {
    const ev = await runToLine(dc, CHAIN, CHAIN_SERVER, [lineOf(CHAIN_SERVER, /la\s+t1, reply/)]);
    const frames = await stack(dc, ev.body.threadId!);
    const names = frames.map((f) => f.name);
    const shown = names.join(' | ');
    const labels = frames.filter((f) => f.presentationHint === 'label');
    assert.equal(labels.length, 2, shown);
    assert.match(labels[0].name, /xcall #2 → .*answer/, shown);
    assert.match(labels[1].name, /xcall #1 → .*forward/, shown);
    const i1 = frames.indexOf(labels[0]);
    const i2 = frames.indexOf(labels[1]);
    // Every non-label frame names its process; each process's part resolves to its own file.
    for (const f of frames.slice(0, i1)) assert.match(f.name, /\[server\]/, shown);
    for (const f of frames.slice(i1 + 1, i2)) assert.match(f.name, /\[middle\]/, shown);
    for (const f of frames.slice(i2 + 1)) assert.match(f.name, /\[client\]/, shown);
    assert.equal(frames[0].source?.path, CHAIN_SERVER);
    assert.ok(frames.slice(i1 + 1, i2).some((f) => f.source?.path === CHAIN_MIDDLE && f.line === lineOf(CHAIN_MIDDLE, /call\s+xpc_call/)), shown);
    assert.ok(frames.slice(i2 + 1).some((f) => f.source?.path === CHAIN_CLIENT && f.line === lineOf(CHAIN_CLIENT, /call\s+xpc_call/)), shown);
    // The threads view: one thread, the client's, now running in the server's domain.
    const list = (await dc.threadsRequest()).body.threads;
    assert.match(list.find((t) => t.id === ev.body.threadId)!.name, /^main \[client → server\] — running/);
    const links = await custom(dc, 'xpc.linkStacks');
    const mine = links.threads.find((t: Body) => t.threadId === ev.body.threadId);
    assert.deepEqual(mine.records.map((r: Body) => r.callerProcess), ['client', 'middle']);
    assert.deepEqual(mine.records.map((r: Body) => r.entryId), [1, 2]);
    assert.equal(mine.records[0].source?.path, CHAIN_CLIENT);
    assert.equal(mine.records[1].source?.path, CHAIN_MIDDLE);
    // The client's call carried its whole segment; the middle's the same segment (its window of 2 KiB was handed on).
    const segs = await custom(dc, 'xpc.relaySegments');
    const buf = segs.relaySegments.find((s: Body) => s.name === 'buf');
    assert.equal(mine.records[0].segment?.base, buf.va);
    assert.equal(mine.records[0].segment?.size, '0x1000');
    assert.equal(mine.records[1].segment?.base, buf.va);
  });

  it('denied: the XPC-fault filter for cause 25 stops at the refused xcall in the client; continuing, the run exits 0', async () => {
    const ev = await launch(dc, { system: DENIED }, (c) => c.setExceptionBreakpointsRequest({ filters: ['xpc-25'] }));
    assert.equal(ev.body.reason, 'exception');
    assert.match(ev.body.description ?? '', /client/);
    const info = (await dc.exceptionInfoRequest({ threadId: ev.body.threadId! })).body;
    assert.match(info.description ?? '', /xcall-cap|capabilit|not allowed|denied/i);
    assert.match(`${info.description} ${info.details?.message}`, /client/);
    const top = (await stack(dc, ev.body.threadId!))[0];
    assert.match(top.name, /\[client\]/);
    const frames = await stack(dc, ev.body.threadId!);
    assert.ok(frames.some((f) => f.source?.path === DENIED_CLIENT && f.line === lineOf(DENIED_CLIENT, /call\s+xpc_call/)), frames.map((f) => f.name).join(' | '));
    const out: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => out.push(e.body.output));
    assert.equal((await runToEnd(dc, () => dc.continueRequest({ threadId: ev.body.threadId! }))).body.exitCode, 0);
    assert.match(out.join(''), /status 19/);
  });

  it('a data breakpoint on a relay-segment byte stops in the callee that writes it', async () => {
    // Stop in the client once the segment is in seg-reg (before the call), find its va.
    const ev = await runToLine(dc, CHAIN, CHAIN_CLIENT, [lineOf(CHAIN_CLIENT, /PRINT\s+says/)]);
    const segs = await custom(dc, 'xpc.relaySegments');
    assert.equal(segs.available, true);
    const buf = segs.relaySegments.find((s: Body) => s.name === 'buf');
    assert.equal(buf.owner, 'client');
    const info = (await dc.dataBreakpointInfoRequest({ name: buf.va, bytes: 1 } as DebugProtocol.DataBreakpointInfoArguments)).body;
    assert.ok(info.dataId, info.description);
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.dataId!, accessType: 'write' }] });
    const hit = await cont(dc, ev.body.threadId!);
    assert.equal(hit.body.reason, 'data breakpoint');
    const top = (await stack(dc, hit.body.threadId!))[0];
    assert.match(top.name, /\[server\]/);
    assert.equal(top.source?.path, CHAIN_SERVER);
  });

  it('a thread preempted inside a call while another runs shows its callers from the kernel\'s copy of its link stack', async () => {
    const spin = lineOf(PREEMPT_S, /ld\s+a0, 0\(sp\)/, 'inc');
    let ev = await runToLine(dc, PREEMPT, PREEMPT_S, [spin]);
    // Run from hit to hit until the other client thread is inside the server too (preempted there).
    let other: DebugProtocol.Thread | undefined;
    for (let i = 0; i < 200 && !other; i++) {
      const threads = (await dc.threadsRequest()).body.threads;
      other = threads.find((t) => t.id !== ev.body.threadId && /^[ab] \[client → server\]/.test(t.name));
      if (!other) ev = await cont(dc, ev.body.threadId!);
    }
    assert.ok(other, 'the two threads never were inside the server at once');
    const frames = await stack(dc, other.id);
    const names = frames.map((f) => f.name).join(' | ');
    assert.match(frames[0].name, /\[server\]/, names);
    assert.ok(frames.some((f) => f.presentationHint === 'label' && /xcall #1 → .*inc/.test(f.name)), names);
    const worker = frames.find((f) => f.source?.path === PREEMPT_S && /^worker\b.*\[client\]/.test(f.name));
    assert.equal(worker?.line, lineOf(PREEMPT_S, /call\s+xpc_call/, 'worker'), names);
    // Its registers are the kernel's copy, not the hart's (which hold the thread that stopped).
    const pcOf = async (frameId: number) => register(dc, frameId, 'pc').catch(() => undefined);
    assert.notEqual(await pcOf(frames[0].id), await pcOf((await stack(dc, ev.body.threadId!))[0].id));
  });

  it('an x-entry registered at run time: step in lands in its handler, and the X-Entries view names it', async () => {
    const callLine = lineOf(XPC_SYS_S, /call\s+xpc_call/, 'user_main');
    const ev = await runToLine(dc, XPC_SYS, XPC_SYS_S, [callLine]);
    const tid = ev.body.threadId!;
    await step(dc, 'stepIn', tid);
    const frames = await stack(dc, tid);
    assert.match(frames[0].name, /^dyn \[owner\]/);
    assert.equal(frames[0].line, lineOf(XPC_SYS_S, /addi\s+sp, sp, -16/, 'dyn'));
    const entry = (await custom(dc, 'xpc.xEntries')).entries.find((e: Body) => e.id === 1);
    assert.equal(entry.owner, 'owner');
    assert.equal(entry.handlerFunction, 'dyn');
    assert.equal(entry.source?.line, frames[0].line);
  });

  it('answers xpc.xEntries, xpc.relaySegments and xpc.callTrace from the kernel with process names', async () => {
    const ev = await runToLine(dc, CHAIN, CHAIN_SERVER, [lineOf(CHAIN_SERVER, /la\s+t1, reply/)]);
    const xe = await custom(dc, 'xpc.xEntries');
    assert.equal(xe.available, true);
    const fwd = xe.entries.find((e: Body) => e.id === 1);
    const ans = xe.entries.find((e: Body) => e.id === 2);
    assert.equal(fwd.owner, 'middle');
    assert.equal(ans.owner, 'server');
    assert.equal(fwd.symbol, 'forward_entry');
    assert.deepEqual(fwd.callers, ['client']);
    assert.deepEqual(ans.callers, ['middle']);
    assert.equal(ans.contexts, 1);
    assert.equal(ans.contextsInUse, 1);
    assert.equal(ans.source?.path, CHAIN_SERVER);
    assert.equal(fwd.source?.path, CHAIN_MIDDLE);
    // The source is the handler the entry's stub calls (where a step in lands), not the XPC_ENTRY stub.
    assert.equal(fwd.handlerFunction, 'forward');
    assert.equal(fwd.source?.line, lineOf(CHAIN_MIDDLE, /addi\s+sp, sp, -16/, 'forward'));
    assert.notEqual(fwd.pageTable, ans.pageTable);
    const info = (await dc.evaluateRequest({ expression: 'info xpc', context: 'repl' })).body.result;
    assert.match(info, /#1 → forward_entry in middle/);
    assert.match(info, /from middle, returns to xpc_call_stubs\+/);
    const trace = await custom(dc, 'xpc.callTrace', { since: 0 });
    const calls = trace.events.filter((e: Body) => e.kind === 'xcall');
    assert.deepEqual(calls.map((e: Body) => `${e.from}→${e.to}`), ['client→middle', 'middle→server']);
    const segs = await custom(dc, 'xpc.relaySegments');
    assert.equal(segs.relaySegments[0].owner, 'client');
    assert.ok(segs.relaySegments[0].locations.some((l: string) => /client\.main/.test(l)), JSON.stringify(segs.relaySegments[0]));
    const links = await custom(dc, 'xpc.linkStacks');
    assert.equal(links.available, true);
    for (const t of links.threads) if (t.threadId !== ev.body.threadId) assert.deepEqual(t.records, [], t.name);
  });

  it('dead-callee: the caller resumes after its xpc_call with a7 = XPC_E_DEAD_CALLEE', async () => {
    const after = lineOf(DEAD_CLIENT, /mv\s+s3, a7/);
    const ev = await runToLine(dc, DEAD, DEAD_CLIENT, [after]);
    const top = (await stack(dc, ev.body.threadId!))[0];
    assert.equal(top.line, after);
    assert.match(top.name, /\[client\]/);
    assert.equal(await register(dc, top.id, 'a7'), BigInt(XPC_E_DEAD_CALLEE));
    const trace = await custom(dc, 'xpc.callTrace', { since: 0 });
    assert.ok(trace.events.some((e: Body) => e.kind === 'xcall' && e.from === 'client' && e.to === 'server'), JSON.stringify(trace.events));
  });

  it('dead-callee: a step over the xpc_call whose callee dies lands on the next line with a7 = XPC_E_DEAD_CALLEE', async () => {
    const call = lineOf(DEAD_CLIENT, /call\s+xpc_call/);
    const ev = await runToLine(dc, DEAD, DEAD_CLIENT, [call]);
    const tid = ev.body.threadId!;
    const s = await step(dc, 'next', tid);
    assert.equal(s.body.threadId, tid);
    const top = (await stack(dc, tid))[0];
    assert.equal(top.source?.path, DEAD_CLIENT);
    assert.equal(top.line, call + 1);
    assert.equal(await register(dc, top.id, 'a7'), BigInt(XPC_E_DEAD_CALLEE));
  });
});
