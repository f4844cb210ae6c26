// Kernel-aware debugging over stdio (dist/debug-adapter.js): `system` launches of the examples
// (examples/{echo-ipc,pingpong,crash}), the kernel's threads and processes, per-process
// breakpoints and stacks, stepping over system calls that block, user faults under the kernel.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { adapterPerTest, EXAMPLES, launch, lineOf, runToEnd, stack } from './dap-client';

const EX = EXAMPLES;
const ECHO = path.join(EX, 'echo-ipc', 'system.json');
const ECHO_SERVER = path.join(EX, 'echo-ipc', 'server.S');
const ECHO_CLIENT = path.join(EX, 'echo-ipc', 'client.S');
const PINGPONG = path.join(EX, 'pingpong', 'system.json');
const THREADS = path.join(EX, 'pingpong', 'threads.S');
const CRASH = path.join(EX, 'crash', 'system.json');
const FAULTY = path.join(EX, 'crash', 'faulty.S');




async function threads(dc: DebugClient): Promise<DebugProtocol.Thread[]> {
  return (await dc.threadsRequest()).body.threads;
}

async function evaluate(dc: DebugClient, expression: string, context = 'repl'): Promise<string> {
  return (await dc.evaluateRequest({ expression, context })).body.result;
}

describe('debug adapter: kernel-aware (system launches)', function () {
  this.timeout(60_000);
  let dc: DebugClient;
  adapterPerTest((c) => { dc = c; });

  it('lists the kernel\'s threads by name and state, focused on the first user thread', async () => {
    const ev = await launch(dc, { system: ECHO, stopOnEntry: true });
    const list = await threads(dc);
    const names = list.map((t) => t.name);
    assert.ok(names.some((n) => /^main \[server\]/.test(n)), names.join('; '));
    assert.ok(names.some((n) => /^main \[client\]/.test(n)), names.join('; '));
    assert.ok(names.some((n) => /^idle \[kernel\]/.test(n)), names.join('; '));
    // The server has the higher priority: it runs first, at its _start.
    const focused = list.find((t) => t.id === ev.body.threadId)!;
    assert.match(focused.name, /\[server\] — running/);
    const top = (await stack(dc, ev.body.threadId!))[0];
    assert.equal(top.source?.path, ECHO_SERVER);
    assert.match(top.name, /_start \[server\]/);
  });

  it('with stopInKernel, stop on entry is at the kernel\'s boot code, on a boot thread', async () => {
    const ev = await launch(dc, { system: ECHO, stopOnEntry: true, stopInKernel: true });
    const top = (await stack(dc, ev.body.threadId!))[0];
    assert.match(top.source?.path ?? '', /kernel[\\/]src[\\/]boot\.S$/);
    assert.match((await threads(dc)).find((t) => t.id === ev.body.threadId)!.name, /boot \[kernel\]/);
  });

  it('a breakpoint in the server\'s source stops in the server process, with the client blocked', async () => {
    const line = lineOf(ECHO_SERVER, /mv\s+s2, t0/, 'serve');
    const ev = await launch(dc, { system: ECHO }, async (c) => {
      const r = await c.setBreakpointsRequest({ source: { path: ECHO_SERVER }, breakpoints: [{ line }] });
      assert.ok(r.body.breakpoints[0].verified);
      assert.match(r.body.breakpoints[0].message ?? '', /server/);
      assert.doesNotMatch(r.body.breakpoints[0].message ?? '', /client/);
    });
    assert.equal(ev.body.reason, 'breakpoint');
    const frames = await stack(dc, ev.body.threadId!);
    assert.equal(frames[0].source?.path, ECHO_SERVER);
    assert.equal(frames[0].line, line);
    assert.match(frames[0].name, /\[server\]/);
    // The client called: it waits for the reply, its frame from the registers the kernel saved.
    const client = (await threads(dc)).find((t) => /\[client\]/.test(t.name))!;
    assert.match(client.name, /blocked on reply/);
    const cf = await stack(dc, client.id);
    assert.equal(cf[0].source?.path, ECHO_CLIENT);
    assert.equal(cf[0].line, lineOf(ECHO_CLIENT, /bnez\s+a7, fail/));
    assert.match(cf[0].name, /\[client\]/);
    // Globals of the client's frame are the client's symbols.
    const scopes = (await dc.scopesRequest({ frameId: cf[0].id })).body.scopes;
    const globals = scopes.find((s) => s.name.startsWith('Globals'))!;
    assert.match(globals.name, /client/);
    const names = (await dc.variablesRequest({ variablesReference: globals.variablesReference })).body.variables.map((v) => v.name);
    assert.ok(names.includes('long_text'), names.join(', '));
    const regs = scopes.find((s) => s.name === 'Registers')!;
    const a6 = (await dc.variablesRequest({ variablesReference: regs.variablesReference })).body.variables.find((v) => v.name === 'a6')!;
    assert.equal(BigInt(a6.value), 1n); // SERVER's slot, as saved by the kernel
    // Expressions in that frame: its saved registers, its process's symbols and memory.
    const inFrame = async (expression: string) => (await dc.evaluateRequest({ expression, context: 'watch', frameId: cf[0].id })).body.result;
    assert.equal(BigInt(await inFrame('a0 + a5')), 7n);
    assert.equal(BigInt(await inFrame('*(u8*)long_text')), 97n); // 'a', read through the client's page table
  });

  it('memory references of a client frame read and write the client\'s memory while stopped in the server', async () => {
    const line = lineOf(ECHO_SERVER, /mv\s+s2, t0/, 'serve');
    const ev = await launch(dc, { system: ECHO }, (c) => c.setBreakpointsRequest({ source: { path: ECHO_SERVER }, breakpoints: [{ line }] }));
    const sf = await stack(dc, ev.body.threadId!);
    assert.match(sf[0].instructionPointerReference ?? '', /^server:0x[0-9a-f]+$/);
    const client = (await threads(dc)).find((t) => /\[client\]/.test(t.name))!;
    const cf = await stack(dc, client.id);
    const ipr = cf[0].instructionPointerReference ?? '';
    assert.match(ipr, /^client:0x[0-9a-f]+$/);
    // Disassembly at the client's pc: the client's instruction, line and symbols.
    const dis = (await dc.disassembleRequest({ memoryReference: ipr, instructionCount: 1 })).body!.instructions;
    assert.match(dis[0].instruction, /^bnez\s+a7/);
    assert.equal(dis[0].line, lineOf(ECHO_CLIENT, /bnez\s+a7, fail/));
    // A client global's memory reference names the client; its bytes are the client's .rodata.
    const scopes = (await dc.scopesRequest({ frameId: cf[0].id })).body.scopes;
    const globals = scopes.find((s) => s.name.startsWith('Globals'))!;
    const longText = (await dc.variablesRequest({ variablesReference: globals.variablesReference })).body.variables.find((v) => v.name === 'long_text')!;
    const ref = longText.memoryReference ?? '';
    assert.match(ref, /^client:0x[0-9a-f]+$/);
    const read = async (memoryReference: string, count: number) => {
      const r = ((await dc.customRequest('readMemory', { memoryReference, count })) as DebugProtocol.ReadMemoryResponse).body!;
      return Buffer.from(r.data ?? '', 'base64').toString('latin1');
    };
    assert.equal(await read(ref, 6), 'a long');
    // The same address plain is the current (server's) address space: not the client's bytes.
    assert.notEqual(await read(ref.replace(/^client:/, ''), 6), 'a long');
    // An expression in the client's frame hands out a client reference too.
    assert.equal((await dc.evaluateRequest({ expression: 'long_text', context: 'watch', frameId: cf[0].id })).body.memoryReference, ref);
    // Writes go through the client's page table.
    await dc.customRequest('writeMemory', { memoryReference: ref, data: Buffer.from('A').toString('base64') });
    assert.equal(await read(ref, 6), 'A long');
    const again = await stack(dc, client.id); // a write forgets the frames
    assert.equal(BigInt((await dc.evaluateRequest({ expression: '*(u8*)long_text', context: 'watch', frameId: again[0].id })).body.result), 65n);
    await assert.rejects(dc.customRequest('readMemory', { memoryReference: 'nobody:0x10000', count: 4 }), /no process 'nobody'.*client/);
  });

  it('a data breakpoint set from a client frame while stopped in the server triggers when the client writes', async () => {
    const line = lineOf(ECHO_SERVER, /mv\s+s2, t0/, 'serve');
    const ev = await launch(dc, { system: ECHO }, (c) => c.setBreakpointsRequest({ source: { path: ECHO_SERVER }, breakpoints: [{ line }] }));
    const client = (await threads(dc)).find((t) => /\[client\]/.test(t.name))!;
    const cf = await stack(dc, client.id);
    // s1 = the client's IPC buffer, which it fills with the long message after this call returns.
    const info = (await dc.dataBreakpointInfoRequest({ name: 's1', frameId: cf[0].id, bytes: 1 } as DebugProtocol.DataBreakpointInfoArguments)).body;
    assert.ok(info.dataId, info.description);
    assert.match(info.description, /process client/);
    // The same virtual address in the current (server's) space is another page.
    const va = (await dc.evaluateRequest({ expression: 's1', context: 'watch', frameId: cf[0].id })).body.result;
    const here = (await dc.dataBreakpointInfoRequest({ name: va, asAddress: true, bytes: 1 } as DebugProtocol.DataBreakpointInfoArguments)).body;
    assert.notEqual(here.dataId, info.dataId);
    await dc.setBreakpointsRequest({ source: { path: ECHO_SERVER }, breakpoints: [] });
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.dataId!, accessType: 'write' }] });
    const stopped = dc.waitForEvent('stopped', 20_000);
    await dc.continueRequest({ threadId: ev.body.threadId! });
    const hit = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(hit.body.reason, 'data breakpoint');
    assert.equal(hit.body.threadId, client.id);
    const top = (await stack(dc, hit.body.threadId!))[0];
    assert.match(top.name, /\[client\]/);
    assert.equal(top.source?.path, ECHO_CLIENT);
    const copy = lineOf(ECHO_CLIENT, /sb\s+t3, 0\(t2\)/);
    assert.ok(top.line === copy || top.line === copy + 1, `stopped at line ${top.line}, the copy loop's store is line ${copy}`);
    assert.equal(BigInt((await dc.evaluateRequest({ expression: '*(u8*)s1', context: 'watch' })).body.result), 97n); // 'a'
  });

  it('step over a Call syscall runs the server and lands on the next line with the reply in a0', async () => {
    const call = lineOf(ECHO_CLIENT, /SYSCALL SYS_CALL/);
    const ev = await launch(dc, { system: ECHO }, (c) => c.setBreakpointsRequest({ source: { path: ECHO_CLIENT }, breakpoints: [{ line: call }] }));
    assert.equal((await stack(dc, ev.body.threadId!))[0].line, call);
    const stopped = dc.waitForEvent('stopped', 20_000);
    await dc.nextRequest({ threadId: ev.body.threadId! });
    const after = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(after.body.reason, 'step');
    assert.equal(after.body.threadId, ev.body.threadId);
    const top = (await stack(dc, after.body.threadId!))[0];
    assert.equal(top.source?.path, ECHO_CLIENT);
    assert.equal(top.line, lineOf(ECHO_CLIENT, /bnez\s+a7, fail/));
    assert.equal(BigInt(await evaluate(dc, 'a0', 'watch')), 21n);
    assert.equal(BigInt(await evaluate(dc, 'a1', 'watch')), 42n);
  });

  it('a step over Signal follows pong while the woken boss runs first; the console shows boss\'s output', async () => {
    const signal = lineOf(THREADS, /SYSCALL SYS_SIGNAL/, 'pong');
    const ev = await launch(dc, { system: PINGPONG }, (c) => c.setBreakpointsRequest({ source: { path: THREADS }, breakpoints: [{ line: signal }] }));
    let out = '';
    dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') out += e.body.output; });
    const stopped = dc.waitForEvent('stopped', 20_000);
    await dc.nextRequest({ threadId: ev.body.threadId! });
    const after = (await stopped) as DebugProtocol.StoppedEvent;
    assert.equal(after.body.threadId, ev.body.threadId);
    const top = (await stack(dc, after.body.threadId!))[0];
    assert.equal(top.line, signal + 1);
    assert.match(top.name, /pong.*\[pingpong\]/);
    assert.match(out, /boss/);
    const boss = (await threads(dc)).find((t) => t.name.startsWith('boss'))!;
    assert.match(boss.name, /waiting on notification/);
  });

  it('a step over a call follows its thread through preemption, while a twin thread returns to the same address', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-dap-twins-'));
    try {
      const src = path.join(dir, 'twins.S');
      fs.writeFileSync(src, [
        '        .include "user.inc"', '        .text', '        .globl _start',
        '_start: mv      s2, a1', '        li      s1, 0',
        '1:      mv      a0, s2', '        call    spin', '        addi    s1, s1, 1', '        j       1b',
        'spin:   mv      t0, a0', '2:      addi    t0, t0, -1', '        bnez    t0, 2b', '        ret', '',
      ].join('\n'));
      const system = path.join(dir, 'system.json');
      // b spins 200000 times per call (longer than a tick), a 500: a returns to the same address
      // many times while b spins, with a higher stack pointer (a's stack is above b's).
      fs.writeFileSync(system, JSON.stringify({ tick: 50, processes: [{ name: 'twins', sources: ['twins.S'], threads: [{ name: 'b', arg: 500 }, { name: 'a', arg: 200000 }] }] }));
      const callLine = 7;
      const ev = await launch(dc, { system }, (c) => c.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line: callLine, condition: 's2 == 200000' }] }));
      const a = (await threads(dc)).find((t) => t.id === ev.body.threadId)!;
      assert.match(a.name, /^a \[twins\]/);
      await dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [] });
      const stopped = dc.waitForEvent('stopped', 20_000);
      await dc.nextRequest({ threadId: a.id });
      const after = (await stopped) as DebugProtocol.StoppedEvent;
      assert.equal(after.body.threadId, a.id);
      assert.equal((await stack(dc, a.id))[0].line, callLine + 1);
      const b = (await threads(dc)).find((t) => /^b \[twins\]/.test(t.name))!;
      const bTop = (await stack(dc, b.id))[0];
      const bCalls = BigInt((await dc.evaluateRequest({ expression: 's1', context: 'watch', frameId: bTop.id })).body.result);
      assert.ok(bCalls >= 2n, `b returned from spin ${bCalls} times during a's step`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with stopInKernel a step in on an ecall stops in the kernel\'s source, the user frames below a syscall label', async () => {
    const call = lineOf(ECHO_CLIENT, /SYSCALL SYS_CALL/);
    const ev = await launch(dc, { system: ECHO, stopInKernel: true }, (c) => c.setBreakpointsRequest({ source: { path: ECHO_CLIENT }, breakpoints: [{ line: call }] }));
    const step = async (granularity?: DebugProtocol.SteppingGranularity) => {
      const stopped = dc.waitForEvent('stopped', 20_000);
      await dc.stepInRequest({ threadId: ev.body.threadId!, granularity });
      return (await stopped) as DebugProtocol.StoppedEvent;
    };
    await step('instruction'); // li a7, SYS_CALL
    const inKernel = await step('instruction'); // ecall
    const frames = await stack(dc, inKernel.body.threadId!);
    assert.match(frames[0].source?.path ?? '', /kernel[\\/]src[\\/]entry\.S$/);
    assert.match(frames[0].name, /trap_entry \[kernel\]/);
    const label = frames.findIndex((f) => /syscall SYS_CALL from client/.test(f.name));
    assert.ok(label > 0, frames.map((f) => f.name).join(' | '));
    assert.equal(frames[label + 1].source?.path, ECHO_CLIENT);
    assert.equal(frames[label + 1].line, call);
  });

  it('a function breakpoint on a kernel symbol stops in the kernel with the faulting process below', async () => {
    const ev = await launch(dc, { system: CRASH }, (c) => c.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'handle_fault' }] }));
    assert.equal(ev.body.reason, 'function breakpoint');
    const frames = await stack(dc, ev.body.threadId!);
    assert.match(frames[0].source?.path ?? '', /kernel[\\/]src[\\/]kernel\.S$/);
    assert.match(frames[0].name, /handle_fault \[kernel\]/);
    const label = frames.findIndex((f) => /load page fault from faulty/.test(f.name));
    assert.ok(label > 0, frames.map((f) => f.name).join(' | '));
    assert.equal(frames[label + 1].source?.path, FAULTY);
  });

  it('the crash example stops on the page-fault filter at the faulting user instruction, naming the process', async () => {
    const ev = await launch(dc, { system: CRASH }, (c) => c.setExceptionBreakpointsRequest({ filters: ['page-fault'] }));
    assert.equal(ev.body.reason, 'exception');
    assert.match(ev.body.description ?? '', /load page fault.*faulty/);
    const frames = await stack(dc, ev.body.threadId!);
    assert.equal(frames[0].source?.path, FAULTY);
    assert.equal(frames[0].line, lineOf(FAULTY, /ld\s+a1, 0\(a0\)/));
    assert.match(frames[0].name, /\[faulty\]/);
    const info = await dc.exceptionInfoRequest({ threadId: ev.body.threadId! });
    assert.match(info.body.description ?? '', /load page fault/);
    assert.match(info.body.description ?? '', /virtual address 0x0/);
    assert.match(info.body.description ?? '', /process faulty/);
    // The kernel reports the fault and ends the process; the worker finishes and the run ends with 0.
    let out = '';
    dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') out += e.body.output; });
    assert.equal((await runToEnd(dc, () => dc.continueRequest({ threadId: ev.body.threadId! }))).body.exitCode, 0);
    assert.match(out, /fault: process faulty, thread main: load page fault/);
    assert.match(out, /worker: finished despite the crash/);
  });

  it('pingpong: the three threads with their states, and a waiting thread\'s stack from its saved registers', async () => {
    const line = lineOf(THREADS, /PRINT\s+pong_run/, 'pong');
    const ev = await launch(dc, { system: PINGPONG }, (c) => c.setBreakpointsRequest({ source: { path: THREADS }, breakpoints: [{ line }] }));
    const list = await threads(dc);
    const byName = (n: string) => list.find((t) => t.name.startsWith(`${n} [pingpong]`));
    assert.match(byName('pong')!.name, /running/);
    assert.equal(byName('pong')!.id, ev.body.threadId);
    assert.match(byName('ping')!.name, /ready/);
    assert.match(byName('boss')!.name, /waiting on notification/);
    // ping was preempted by the tick while spinning on pong_ran.
    const ping = await stack(dc, byName('ping')!.id);
    assert.equal(ping[0].source?.path, THREADS);
    const spin = lineOf(THREADS, /ld\s+t0, 0\(s1\)/, 'ping');
    assert.ok(ping[0].line === spin || ping[0].line === spin + 1, `ping at line ${ping[0].line}`);
    assert.match(ping[0].name, /\[pingpong\]/);
    assert.match(await evaluate(dc, 'info threads'), /ping \[pingpong\]\s+ready/);
  });

  it('answers xpc.processes and the info commands from the kernel inspector', async () => {
    await launch(dc, { system: ECHO, stopOnEntry: true });
    const body = (await dc.customRequest('xpc.processes')).body as {
      available: boolean; processes: { name: string; asid: number; state: string; threads: { name: string; state: string }[]; capabilities: { slot: number; type: string; object: string; badge?: number; rights?: string }[] }[];
    };
    assert.equal(body.available, true);
    assert.deepEqual(body.processes.map((p) => p.name), ['server', 'client']);
    assert.notEqual(body.processes[0].asid, body.processes[1].asid);
    const client = body.processes[1];
    assert.equal(client.state, 'live');
    assert.deepEqual(client.capabilities.map((c) => [c.slot, c.type, c.object, c.badge, c.rights]), [[1, 'endpoint', 'echo', 42, 'w']]);
    assert.equal(body.processes[0].capabilities[0].rights, 'r');
    assert.match(await evaluate(dc, 'info processes'), /client\s+asid/);
    assert.match(await evaluate(dc, 'info caps client'), /slot\s+1\s+endpoint\s+echo.*badge 42/);
    assert.match(await evaluate(dc, 'info invariants'), /invariants hold/);
    assert.match(await evaluate(dc, 'info replies'), /^echo-reply\s+held by server slot 2\s+(unbound|bound to client\.main)$/);
    const c = await dc.completionsRequest({ text: 'info ca', column: 8 });
    assert.ok(c.body.targets.some((t) => t.label === 'info caps'));
  });

  it('refuses an invalid description listing each problem by JSON path, and a source that does not assemble by file:line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-dap-sys-'));
    try {
      const bad = path.join(dir, 'bad.json');
      fs.writeFileSync(bad, JSON.stringify({ processes: [{ name: 'a', sources: ['a.S'], priority: 99 }, { name: 'a', sources: ['missing.S'] }] }));
      fs.writeFileSync(path.join(dir, 'a.S'), '        .text\n        .globl _start\n_start: addi a0, a0\n');
      const e1 = await dc.launch({ system: bad }).then(() => undefined, (e: Error) => e);
      assert.ok(e1, 'the launch must be refused');
      assert.match(e1.message, /launch refused/);
      assert.match(e1.message, /processes\[0\]\.priority/);
      assert.match(e1.message, /processes\[1\]/);
      const asm = path.join(dir, 'asm.json');
      fs.writeFileSync(asm, JSON.stringify({ processes: [{ name: 'a', sources: ['a.S'] }] }));
      const e2 = await dc.launch({ system: asm }).then(() => undefined, (e: Error) => e);
      assert.ok(e2, 'the launch must be refused');
      assert.match(e2.message, /a\.S:3:\d+/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
