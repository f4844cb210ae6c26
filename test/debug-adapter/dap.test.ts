// The debug adapter over stdio (dist/debug-adapter.js, built by `npm run build`), driven by
// @vscode/debugadapter-testsupport's DebugClient, on the bare-metal programs in fixtures/:
// hello.S (M-mode, a function with a frame, UART output, exit 30), spin.S (runs forever) and
// xpc-demo.S (a client, a server and an audit domain in U-mode calling each other with xcall).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { build, imageToElf } from '../../language/asm';
import { ADAPTER, ROOT, Setup, lineOf, launch as launchWithin, runToEnd } from './dap-client';

/** The bare-metal programs here start at once: a stop not within 10 s is a failure. */
const launch = (dc: DebugClient, args: Record<string, unknown>, setup?: Setup) => launchWithin(dc, args, setup, 10_000);

const FIX = path.join(ROOT, 'test', 'debug-adapter', 'fixtures');
const HELLO = path.join(FIX, 'hello.S');
const SPIN = path.join(FIX, 'spin.S');
const DEMO = path.join(FIX, 'xpc-demo.S');
const CLIENT = path.join(FIX, 'xpc-client.S');
const SERVER = path.join(FIX, 'xpc-server.S');
const SYSCALL = path.join(FIX, 'syscall.S');
const ECHO = path.join(FIX, 'echo.S');

async function top(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  return (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
}

async function evaluate(dc: DebugClient, expression: string, context = 'watch'): Promise<string> {
  return (await dc.evaluateRequest({ expression, context })).body.result;
}

async function stepAndWait(dc: DebugClient, kind: 'next' | 'stepIn' | 'stepOut', granularity?: DebugProtocol.SteppingGranularity): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped', 10_000);
  if (kind === 'next') await dc.nextRequest({ threadId: 1, granularity });
  else if (kind === 'stepIn') await dc.stepInRequest({ threadId: 1, granularity });
  else await dc.stepOutRequest({ threadId: 1 });
  return (await stopped) as DebugProtocol.StoppedEvent;
}

async function continueAndWait(dc: DebugClient, event = 'stopped'): Promise<DebugProtocol.Event> {
  const ev = dc.waitForEvent(event, 10_000);
  await dc.continueRequest({ threadId: 1 });
  return ev;
}

async function variables(dc: DebugClient, scope: string): Promise<DebugProtocol.Variable[]> {
  const frame = await top(dc);
  const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
  const s = scopes.find((x) => x.name === scope);
  assert.ok(s, `scope ${scope} among ${scopes.map((x) => x.name).join(', ')}`);
  return (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
}

async function readMemory(dc: DebugClient, args: DebugProtocol.ReadMemoryArguments): Promise<DebugProtocol.ReadMemoryResponse> {
  return (await dc.customRequest('readMemory', args)) as DebugProtocol.ReadMemoryResponse;
}

async function rejects(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (e: Error) => { assert.match(e.message, re); return true; });
}

describe('debug adapter (DAP over stdio)', function () {
  this.timeout(20_000);
  let dc: DebugClient;

  before(() => {
    if (!fs.existsSync(ADAPTER)) throw new Error(`${ADAPTER} is missing: run npm run build`);
  });
  beforeEach(async () => {
    dc = new DebugClient('node', ADAPTER, 'xpc');
    await dc.start();
  });
  afterEach(async () => { await dc.stop(); });

  describe('launch', () => {
    it('stops on entry at the first line, with one thread named hart', async () => {
      const ev = await launch(dc, { program: HELLO, stopOnEntry: true });
      assert.equal(ev.body.reason, 'entry');
      const f = await top(dc);
      assert.equal(f.source?.path, HELLO);
      assert.equal(f.line, lineOf(HELLO, /la sp, stack_top/));
      const threads = (await dc.threadsRequest()).body.threads;
      assert.deepEqual(threads.map((t) => t.name), ['hart']);
    });

    it('refuses a source that does not assemble, naming file and line', async () => {
      await dc.initializeRequest();
      await rejects(dc.launchRequest({ program: path.join(FIX, 'bad.S') } as DebugProtocol.LaunchRequestArguments), new RegExp(`bad\\.S:${lineOf(path.join(FIX, 'bad.S'), /frobnicate/)}.*launch refused|launch refused[\\s\\S]*bad\\.S:4`));
    });

    it('refuses a missing system description, both program and system, and a missing program', async () => {
      await dc.initializeRequest();
      await rejects(dc.launchRequest({ system: 'no-such-system.json' } as DebugProtocol.LaunchRequestArguments), /cannot read .*no-such-system\.json/);
      await rejects(dc.launchRequest({ system: 'a.json', program: 'a.S' } as DebugProtocol.LaunchRequestArguments), /not both/);
      await rejects(dc.launchRequest({ program: path.join(FIX, 'nope.S') } as DebugProtocol.LaunchRequestArguments), /does not exist/);
    });

    it('launches an ELF too, and ends with the exit code, UART output on the way', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-dap-'));
      try {
        // Build the ELF through the CLI's assembler.
        const r = build([{ path: HELLO }], { rvc: true });
        assert.ok(r.image);
        const elf = path.join(dir, 'hello.elf');
        fs.writeFileSync(elf, imageToElf(r.image, FIX));
        const output = dc.assertOutput('stdout', 'hello from the guest\n');
        const terminated = dc.waitForEvent('terminated', 10_000);
        const exited = await runToEnd(dc, () => Promise.all([dc.configurationSequence(), dc.launch({ program: elf })]));
        await output;
        assert.equal(exited.body.exitCode, 30);
        await terminated;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('with time travel, stops at the exit: the history can be travelled from there, and continuing ends the session', async () => {
      const atExit = dc.waitForEvent('stopped', 10_000);
      await Promise.all([dc.configurationSequence(), dc.launch({ program: HELLO })]);
      const stop = (await atExit) as DebugProtocol.StoppedEvent;
      assert.equal(stop.body.reason, 'exit');
      assert.match(stop.body.description ?? '', /exited with code 30/);
      // Back into the history: the last time the sum was loaded for the exit.
      const load = lineOf(HELLO, /ld a0, 0\(t0\)/, 'done');
      await dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: load }] });
      const back = dc.waitForEvent('stopped', 10_000);
      await dc.reverseContinueRequest({ threadId: 1 });
      assert.equal(((await back) as DebugProtocol.StoppedEvent).body.reason, 'breakpoint');
      assert.equal((await top(dc)).line, load);
      assert.equal(await evaluate(dc, '*(u64*)total'), '0x1e');
      const again = dc.waitForEvent('stopped', 10_000);
      await dc.continueRequest({ threadId: 1 });
      assert.equal(((await again) as DebugProtocol.StoppedEvent).body.reason, 'exit', 'forward to the end again');
      const exited = dc.waitForEvent('exited', 10_000);
      const terminated = dc.waitForEvent('terminated', 10_000);
      await dc.continueRequest({ threadId: 1 });
      assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 30);
      await terminated;
    });

    it('run without debugging (noDebug) records no history and ends at the exit', async () => {
      const exited = dc.waitForEvent('exited', 10_000);
      await Promise.all([dc.configurationSequence(), dc.launch({ program: HELLO, noDebug: true })]);
      assert.equal(((await exited) as DebugProtocol.ExitedEvent).body.exitCode, 30);
    });
  });

  describe('breakpoints', () => {
    it('moves a breakpoint on a comment to the next line with code, and stops there', async () => {
      const comment = lineOf(HELLO, /^\s*\/\* hello\.S/);
      const ev = await launch(dc, { program: HELLO }, async () => {
        const r = await dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: comment }] });
        assert.equal(r.body.breakpoints[0].verified, true);
        assert.equal(r.body.breakpoints[0].line, lineOf(HELLO, /la sp, stack_top/));
      });
      assert.equal(ev.body.reason, 'breakpoint');
      assert.equal((await top(dc)).line, lineOf(HELLO, /la sp, stack_top/));
    });

    it('honours conditions over registers and hit counts', async () => {
      const line = lineOf(HELLO, /mv a0, s1/);
      await launch(dc, { program: HELLO }, () => dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line, hitCondition: '3' }] }));
      assert.equal(await evaluate(dc, 's1'), '0x2', 'the third hit');
      await dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line, condition: 's1 == 4 && *(u64*)total == 14' }] });
      await continueAndWait(dc);
      assert.equal(await evaluate(dc, 's1'), '0x4', 'the condition over a register and memory');
    });

    it('logs through logpoints without stopping, then the program exits with its code', async () => {
      const line = lineOf(HELLO, /addi s1, s1, 1/);
      const logged: string[] = [];
      dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'console') logged.push(e.body.output); });
      const exited = await runToEnd(dc, () => Promise.all([
        dc.waitForEvent('initialized').then(() => dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line, logMessage: 'square={a0}' }] })).then(() => dc.configurationDoneRequest()),
        dc.launch({ program: HELLO }),
      ]));
      assert.equal(exited.body.exitCode, 30);
      assert.deepEqual(logged.filter((l) => l.startsWith('square=')), ['square=0x0\n', 'square=0x1\n', 'square=0x4\n', 'square=0x9\n', 'square=0x10\n']);
      assert.ok(logged.some((l) => /exited with code 30/.test(l)));
    });

    it('stops at a function breakpoint, with the caller below it on the stack', async () => {
      const ev = await launch(dc, { program: HELLO }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'square' }] }));
      assert.equal(ev.body.reason, 'function breakpoint');
      const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      assert.match(frames[0].name, /^square \[M-mode\]/);
      assert.equal(frames[0].line, lineOf(HELLO, /addi sp, sp, -16/));
      assert.match(frames[1].name, /^_start\+0x/);
      assert.equal(frames[1].line, lineOf(HELLO, /call square/));
    });

    it('stops at an instruction breakpoint', async () => {
      const r = await launch(dc, { program: HELLO, stopOnEntry: true });
      assert.equal(r.body.reason, 'entry');
      const addr = await evaluate(dc, 'square + 4');
      await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: addr }] });
      const ev = (await continueAndWait(dc)) as DebugProtocol.StoppedEvent;
      assert.equal(ev.body.reason, 'instruction breakpoint');
      assert.equal(await evaluate(dc, 'pc'), addr);
    });

    it('stops on a data breakpoint after the write', async () => {
      await launch(dc, { program: HELLO, stopOnEntry: true });
      const info = await dc.dataBreakpointInfoRequest({ name: 'total' });
      assert.ok(info.body.dataId);
      await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId, accessType: 'write' }] });
      const ev = (await continueAndWait(dc)) as DebugProtocol.StoppedEvent;
      assert.equal(ev.body.reason, 'data breakpoint');
      assert.match(ev.body.description ?? '', /total: write of 8 bytes/);
      assert.equal((await top(dc)).line, lineOf(HELLO, /addi s1, s1, 1/));
    });
  });

  describe('stepping', () => {
    it('steps over a call, into it and out of it by line', async () => {
      const call = lineOf(HELLO, /call square/);
      await launch(dc, { program: HELLO }, () => dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: call }] }));
      await stepAndWait(dc, 'next');
      assert.equal((await top(dc)).line, call + 1, 'over the call to the next line');
      assert.equal(await evaluate(dc, 'a0'), '0x0');
      await continueAndWait(dc);
      const ev = await stepAndWait(dc, 'stepIn');
      assert.equal(ev.body.reason, 'step');
      assert.equal((await top(dc)).line, lineOf(HELLO, /addi sp, sp, -16/));
      await stepAndWait(dc, 'next');
      await stepAndWait(dc, 'next');
      await stepAndWait(dc, 'stepOut');
      const f = await top(dc);
      assert.equal(f.line, call + 1, 'at the return address, after the call');
      assert.equal(await evaluate(dc, 'pc'), await evaluate(dc, 'ra'));
      assert.equal(await evaluate(dc, 'a0'), '0x1');
    });

    it('steps by instruction', async () => {
      await launch(dc, { program: HELLO, stopOnEntry: true });
      const pc0 = BigInt(await evaluate(dc, 'pc'));
      await stepAndWait(dc, 'next', 'instruction');
      assert.equal(BigInt(await evaluate(dc, 'pc')), pc0 + 4n, 'auipc of la is 4 bytes');
      await stepAndWait(dc, 'stepIn', 'instruction');
      assert.equal((await top(dc)).line, lineOf(HELLO, /li s0, 0/));
    });

    it('pauses a running guest and continues it', async () => {
      const running = dc.waitForEvent('xpc.stateChanged', 10_000).catch(() => undefined);
      await Promise.all([dc.configurationSequence(), dc.launch({ program: SPIN })]);
      await new Promise((r) => setTimeout(r, 100));
      const state = (await dc.customRequest('xpc.state')).body;
      assert.equal(state.running, true, 'requests are served while the guest runs');
      const stopped = dc.waitForEvent('stopped', 5000);
      await dc.pauseRequest({ threadId: 1 });
      assert.equal(((await stopped) as DebugProtocol.StoppedEvent).body.reason, 'pause');
      await running;
      const count = BigInt(await evaluate(dc, '*(u64*)counter'));
      assert.ok(count > 0n);
      const again = dc.waitForEvent('stopped', 5000);
      await dc.continueRequest({ threadId: 1 });
      await new Promise((r) => setTimeout(r, 50));
      await dc.pauseRequest({ threadId: 1 });
      await again;
      assert.ok(BigInt(await evaluate(dc, '*(u64*)counter')) > count);
    });
  });

  describe('state', () => {
    it('shows registers, CSRs with fields, XPC and globals, and sets registers and CSRs', async () => {
      const line = lineOf(HELLO, /mv a0, s1/);
      await launch(dc, { program: HELLO }, () => dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line }] }));
      const frame = await top(dc);
      const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
      assert.deepEqual(scopes.map((s) => s.name), ['Registers', 'CSRs', 'XPC', 'Globals']);
      assert.equal(scopes[0].presentationHint, 'registers');
      const regs = await variables(dc, 'Registers');
      assert.equal(regs[0].name, 'pc');
      assert.ok(regs.some((r) => r.name === 'sp' && /^0x8/.test(r.value)));
      const csrs = await variables(dc, 'CSRs');
      const mstatus = csrs.find((c) => c.name === 'mstatus');
      assert.ok(mstatus && mstatus.variablesReference > 0);
      const fields = (await dc.variablesRequest({ variablesReference: mstatus.variablesReference })).body.variables;
      assert.ok(fields.some((f) => f.name === 'MPP' && /\(M\)|\(U\)/.test(f.value)), JSON.stringify(fields.map((f) => `${f.name}=${f.value}`)));
      const xpc = await variables(dc, 'XPC');
      assert.ok(['seg-reg', 'seg-mask', 'xentry_base', 'xlink', 'xctl'].every((n) => xpc.some((v) => v.name === n)));
      const globals = await variables(dc, 'Globals');
      assert.ok(globals.some((g) => g.name === 'total' && g.value === '0x0'));
      const dec = (await dc.variablesRequest({ variablesReference: (await dc.scopesRequest({ frameId: frame.id })).body.scopes[0].variablesReference, format: { hex: false } })).body.variables;
      assert.ok(dec.some((r) => r.name === 's2' && r.value === '5'));
      const set = await dc.setVariableRequest({ variablesReference: scopes[0].variablesReference, name: 'a5', value: '0x1234 + 1' });
      assert.equal(set.body.value, '0x1235');
      assert.equal(await evaluate(dc, 'a5'), '0x1235');
      await dc.setVariableRequest({ variablesReference: scopes[1].variablesReference, name: 'mscratch', value: '77' });
      assert.equal(await evaluate(dc, 'mscratch'), '0x4d');
      await rejects(dc.setVariableRequest({ variablesReference: scopes[0].variablesReference, name: 'nonsense', value: '1' }), /not a writable register/);
    });

    it('evaluates expressions and console commands, with completions', async () => {
      const line = lineOf(HELLO, /addi s1, s1, 1/);
      await launch(dc, { program: HELLO }, () => dc.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line, hitCondition: '3' }] }));
      assert.equal(await evaluate(dc, '*(u64*)total'), '0x5');
      assert.equal(await evaluate(dc, '(s1 + 1) * 2 - 1'), '0x5');
      assert.equal(await evaluate(dc, '*(u8*)greeting'), '0x68');
      assert.equal(await evaluate(dc, 'misa >> 62'), '0x2');
      assert.match(await evaluate(dc, 'x/2gx total', 'repl'), /<total>: 0x0000000000000005 0x/);
      assert.match(await evaluate(dc, 'x/2i pc', 'repl'), /<_start\+0x\w+>: \w+\s+s1,s1,1\n.*blt\s+s1,s2/);
      assert.match(await evaluate(dc, 'info xpc', 'repl'), /XPC engine disabled/);
      assert.match(await evaluate(dc, 'info tlb', 'repl'), /TLB/);
      await rejects(dc.evaluateRequest({ expression: 'nosuch + 1', context: 'watch' }), /unknown name 'nosuch'/);
      const comp = await dc.completionsRequest({ text: 'mst', column: 4 });
      assert.ok(comp.body.targets.some((t) => t.label === 'mstatus'));
      const cmd = await dc.completionsRequest({ text: 'info x', column: 7 });
      assert.ok(cmd.body.targets.some((t) => t.label === 'info xpc'));
    });

    it('reads and writes memory, and disassembles with source lines', async () => {
      await launch(dc, { program: HELLO, stopOnEntry: true });
      const total = await evaluate(dc, 'total');
      const mem = await readMemory(dc, { memoryReference: total, count: 16 });
      assert.equal(mem.body?.unreadableBytes, 0);
      assert.equal(Buffer.from(mem.body!.data!, 'base64').length, 16);
      const changed = dc.waitForEvent('xpc.stateChanged', 5000);
      await dc.customRequest('writeMemory', { memoryReference: total, data: Buffer.from([7, 0, 0, 0, 0, 0, 0, 0]).toString('base64') });
      await changed;
      assert.equal(await evaluate(dc, '*(u64*)total'), '0x7');
      const phys = await readMemory(dc, { memoryReference: `p:${total}`, count: 8 });
      assert.equal(Buffer.from(phys.body!.data!, 'base64')[0], 7);
      const unmapped = await readMemory(dc, { memoryReference: '0x40000000', count: 8 });
      assert.equal(unmapped.body?.unreadableBytes, 8);
      const pc = await evaluate(dc, 'square');
      const dis = (await dc.disassembleRequest({ memoryReference: pc, instructionOffset: -2, instructionCount: 6 })).body!.instructions;
      assert.equal(dis.length, 6);
      assert.equal(dis[2].address, pc);
      assert.equal(dis[2].symbol, 'square');
      assert.match(dis[2].instruction, /sp,sp,-16/);
      assert.equal(dis[2].line, lineOf(HELLO, /addi sp, sp, -16/));
      assert.equal(dis[2].location?.path, HELLO);
    });

    it('survives a barrage of malformed requests', async () => {
      await launch(dc, { program: DEMO }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'kv_get' }] }));
      const garbage: [string, unknown][] = [
        ['stackTrace', undefined], ['scopes', { frameId: 'x' }], ['variables', { variablesReference: 99999 }], ['variables', undefined],
        ['setBreakpoints', null], ['setBreakpoints', { source: { path: 42 }, breakpoints: 'no' }], ['evaluate', {}], ['evaluate', { expression: '*(u64*)' }],
        ['evaluate', { expression: '((((((' }], ['evaluate', { expression: '1/0' }], ['evaluate', { expression: 'x/zz pc', context: 'repl' }],
        ['disassemble', { memoryReference: undefined, instructionCount: 5 }], ['disassemble', { memoryReference: '0x0', instructionCount: 3, instructionOffset: -5 }],
        ['readMemory', { memoryReference: '0x80000000', count: -5 }], ['writeMemory', { memoryReference: '0x10', data: 'AAAA' }],
        ['setVariable', { variablesReference: 1, name: 'pc', value: 'garbage(' }], ['setDataBreakpoints', { breakpoints: [{ dataId: 'nonsense' }] }],
        ['dataBreakpointInfo', { name: 'no_such_symbol' }], ['setInstructionBreakpoints', { breakpoints: [{ instructionReference: 'zz' }] }],
        ['setFunctionBreakpoints', { breakpoints: [{ name: 'no_such_function' }] }], ['exceptionInfo', { threadId: 1 }],
        ['completions', { text: 42 }], ['xpc.callTrace', { since: 'yesterday' }], ['xpc.linkStacks', 7], ['stepIn', { threadId: 1, granularity: 'weird' }],
      ];
      for (const [command, args] of garbage) {
        await dc.customRequest(command, args).catch((e: Error) => assert.ok(e.message.length > 0, command));
      }
      assert.equal((await dc.threadsRequest()).body.threads.length, 1);
      assert.ok((await dc.customRequest('xpc.state')).body.available);
    });

    it('traces XPC events on the Debug Console with trace: true', async () => {
      const traced: string[] = [];
      dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.output.startsWith('[xpc]')) traced.push(e.body.output); });
      await launch(dc, { program: DEMO, trace: true }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'kv_put' }] }));
      assert.match(traced[0], /^\[xpc\] xcall #1 pt_client \(domain 1\) → pt_server \(domain 2\) at client_main\+0x\w+ \(instruction \d+, cycle \d+\)/);
      assert.equal(traced.length, 5, traced.join(''));
    });

    it('answers malformed and unexpected requests with errors and goes on', async () => {
      await rejects(dc.stackTraceRequest({ threadId: 1 }), /no program is running/);
      await launch(dc, { program: HELLO, stopOnEntry: true });
      await rejects(dc.customRequest('xpc.nonsense'), /unrecognized request/);
      await rejects(readMemory(dc, { memoryReference: 'banana', count: 4 }), /not a memory reference/);
      await rejects(dc.setExceptionBreakpointsRequest({ filters: ['no-such-filter'] }), /unknown exception filter/);
      await rejects(dc.evaluateRequest({ expression: '1 +', context: 'watch' }), /unexpected end/);
      await rejects(dc.setBreakpointsRequest({ source: {}, breakpoints: [{ line: 1 }] }), /no path/);
      await rejects(dc.customRequest('launch', { program: HELLO }), /already running/);
      assert.equal((await dc.threadsRequest()).body.threads.length, 1);
      assert.equal(await evaluate(dc, '1 + 1'), '0x2');
    });
  });

  describe('XPC', () => {
    const callGet = () => lineOf(CLIENT, /xcall t0/);

    it('step in on xcall lands on the handler\'s first line in the server\'s file', async () => {
      await launch(dc, { program: DEMO }, () => dc.setBreakpointsRequest({ source: { path: CLIENT }, breakpoints: [{ line: callGet() }] }));
      const f0 = await top(dc);
      assert.equal(f0.source?.path, CLIENT);
      assert.match(f0.name, /pt_client/);
      await stepAndWait(dc, 'stepIn');
      const f = await top(dc);
      assert.equal(f.source?.path, SERVER);
      assert.equal(f.line, lineOf(SERVER, /slli a0, a0, 1/, 'kv_get'));
      assert.match(f.name, /^kv_get \[pt_server \(domain 2\)\]/);
      const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      assert.equal(frames[1].presentationHint, 'label');
      assert.match(frames[1].name, /xcall #1 → kv_get/);
      assert.equal(frames[2].source?.path, CLIENT);
      assert.equal(frames[2].line, callGet());
      assert.match(frames[2].name, /pt_client/);
    });

    it('step over xcall stops on the next line with the server\'s result in a0', async () => {
      await launch(dc, { program: DEMO }, () => dc.setBreakpointsRequest({ source: { path: CLIENT }, breakpoints: [{ line: callGet() }] }));
      await stepAndWait(dc, 'next');
      const f = await top(dc);
      assert.equal(f.source?.path, CLIENT);
      assert.equal(f.line, callGet() + 1);
      assert.equal(await evaluate(dc, 'a0'), `0x${(2 * 20 + 1).toString(16)}`);
      const trace = (await dc.customRequest('xpc.callTrace', { since: 0 })).body;
      assert.deepEqual(trace.events.map((e: { kind: string; entryId?: number }) => `${e.kind} ${e.entryId}`), ['xcall 1', 'xcall 4', 'xret 4', 'xret 1']);
      assert.ok(trace.events.every((e: { instructions: number; cycles: number }) => e.instructions > 0 && e.cycles > 0));
      assert.equal(trace.events[0].from, 'pt_client (domain 1)');
      assert.equal(trace.events[0].to, 'pt_server (domain 2)');
      const later = (await dc.customRequest('xpc.callTrace', { since: trace.events[1].seq })).body;
      assert.equal(later.events.length, 2);
    });

    it('the stack inside the second hop shows three domains, and step out returns after the xcall', async () => {
      await launch(dc, { program: DEMO }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'audit' }] }));
      const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      const names = frames.map((f) => f.name);
      assert.match(names[0], /^audit \[pt_audit/);
      assert.match(names[1], /xcall #4 → audit/);
      assert.match(names[2], /^kv_get\+0x\w+ \[pt_server/);
      assert.match(names[3], /xcall #1 → kv_get/);
      assert.match(names[4], /^client_main\+0x\w+ \[pt_client/);
      const stacks = (await dc.customRequest('xpc.linkStacks')).body;
      assert.equal(stacks.threads[0].records.length, 2);
      assert.equal(stacks.threads[0].records[1].entryId, 4);
      assert.equal(stacks.threads[0].records[0].source.path, CLIENT);
      await stepAndWait(dc, 'stepOut');
      const f = await top(dc);
      assert.equal(f.source?.path, SERVER);
      assert.equal(f.line, lineOf(SERVER, /xret/, 'kv_get'));
      await stepAndWait(dc, 'stepOut');
      const back = await top(dc);
      assert.equal(back.source?.path, CLIENT);
      assert.equal(back.line, callGet() + 1, 'just after the caller\'s xcall');
    });

    it('a watchpoint on a relay-segment byte stops in the callee that writes it', async () => {
      await launch(dc, { program: DEMO }, () => dc.setBreakpointsRequest({ source: { path: CLIENT }, breakpoints: [{ line: callGet() }] }));
      const info = await dc.dataBreakpointInfoRequest({ name: 'relay_buf + 3', bytes: 1 } as DebugProtocol.DataBreakpointInfoArguments);
      assert.ok(info.body.dataId, info.body.description);
      await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId, accessType: 'write' }] });
      const ev = (await continueAndWait(dc)) as DebugProtocol.StoppedEvent;
      assert.equal(ev.body.reason, 'data breakpoint');
      const f = await top(dc);
      assert.equal(f.source?.path, SERVER);
      assert.match(f.name, /^kv_put/);
      assert.equal(f.line, lineOf(SERVER, /nop/, 'kv_put'));
      assert.equal(await evaluate(dc, '*(u8*)(relay_buf + 3)'), '0x42');
      assert.equal(await evaluate(dc, '*(u8*)0x40000003'), '0x42', 'the relay segment as the callee sees it');
      const segs = (await dc.customRequest('xpc.relaySegments')).body;
      assert.equal(segs.segReg.va, '0x40000000');
      assert.equal(segs.segReg.size, '0x40');
    });

    it('a denied xcall stops on the XPC-fault filter with the cause in words', async () => {
      const ev = await launch(dc, { program: DEMO }, () => dc.setExceptionBreakpointsRequest({ filters: ['xpc-25'] }));
      assert.equal(ev.body.reason, 'exception');
      assert.match(ev.body.description ?? '', /invalid xcall-cap \(cause 25, x-entry id 3\)/);
      const info = (await dc.exceptionInfoRequest({ threadId: 1 })).body;
      assert.equal(info.exceptionId, 'invalid xcall-cap');
      assert.match(info.description ?? '', /denied/);
      assert.match(info.description ?? '', /mcause = 0x19, mtval = 0x3/);
      const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      assert.match(frames[0].name, /trap_handler \[M-mode\]/);
      assert.match(frames[1].name, /trap: invalid xcall-cap/);
      assert.equal(frames[2].source?.path, CLIENT);
      assert.equal(frames[2].line, lineOf(CLIENT, /ENTRY_DENY/) + 1);
    });

    it('answers the extension\'s custom requests', async () => {
      await launch(dc, { program: DEMO }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'kv_get' }] }));
      const state = (await dc.customRequest('xpc.state')).body;
      assert.equal(state.available, true);
      assert.equal(state.running, false);
      assert.equal(state.timing, 'off');
      assert.match(state.process, /pt_server/);
      const xe = (await dc.customRequest('xpc.xEntries')).body;
      const e1 = xe.entries.find((e: { id: number }) => e.id === 1);
      assert.equal(e1.symbol, 'kv_get');
      assert.equal(e1.source.path, SERVER);
      assert.equal(e1.valid, true);
      assert.equal(e1.contextsInUse, 1);
      assert.ok(e1.callers.some((c: string) => /pt_client/.test(c)));
      const e3 = xe.entries.find((e: { id: number }) => e.id === 3);
      assert.ok(!e3.callers.some((c: string) => /pt_client/.test(c)), 'the client may not call entry 3');
      const procs = (await dc.customRequest('xpc.processes')).body;
      assert.equal(procs.available, false);
      assert.match(procs.reason, /bare-metal/);
    });
  });
  describe('the examples', () => {
    const BARE_XPC = path.join(ROOT, 'examples', 'bare-xpc');

    it('bare-xpc: step in on the xcall lands in server.S, step out returns after it with the reply', async function () {
      if (!fs.existsSync(path.join(BARE_XPC, 'boot.S'))) this.skip();
      const client = path.join(BARE_XPC, 'client.S'), server = path.join(BARE_XPC, 'server.S');
      const call = lineOf(client, /^\s*xcall\s+t0/);
      await launch(dc, { program: path.join(BARE_XPC, 'boot.S') }, () => dc.setBreakpointsRequest({ source: { path: client }, breakpoints: [{ line: call }] }));
      assert.equal((await top(dc)).line, call);
      await stepAndWait(dc, 'stepIn');
      const f = await top(dc);
      assert.equal(f.source?.path, server);
      assert.equal(f.line, lineOf(server, /^\s*li\s+a1, MSG_VA/, 'server_echo'));
      assert.match(f.name, /^server_echo \[/);
      await stepAndWait(dc, 'stepOut');
      const back = await top(dc);
      assert.equal(back.source?.path, client);
      assert.equal(back.line, call + 1);
      assert.equal(BigInt(await evaluate(dc, 'a0')), BigInt('hello through xpc\n'.length));
      const output = dc.assertOutput('stdout', 'HELLO THROUGH XPC');
      await runToEnd(dc, () => dc.continueRequest({ threadId: 1 }));
      await output;
    });

    it('bare-metal hello: runs to its exit with its output', async function () {
      const hello = path.join(ROOT, 'examples', 'bare-metal', 'hello.S');
      if (!fs.existsSync(hello)) this.skip();
      let out = '';
      dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') out += e.body.output; });
      await runToEnd(dc, () => Promise.all([dc.configurationSequence(), dc.launch({ program: hello })]));
      assert.ok(out.length > 0, 'the example printed something');
    });
  });

  describe('xpc dap (the CLI)', () => {
    it('speaks DAP on stdio', async () => {
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'dap'], { stdio: ['pipe', 'pipe', 'inherit'] });
      try {
        const body = JSON.stringify({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'xpc', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true } });
        child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        const text = await new Promise<string>((resolve, reject) => {
          let got = '';
          child.stdout.on('data', (d: Buffer) => { got += d.toString(); if (got.includes('supportsDataBreakpoints')) resolve(got); });
          setTimeout(() => reject(new Error(`no initialize response: ${got}`)), 10_000);
        });
        assert.match(text, /"command":"initialize"/);
        assert.match(text, /"success":true/);
      } finally {
        child.kill();
      }
    });
  });

  describe('traps, console and options', () => {
    it('steps over a system call through the M-mode handler, or into it with stopInKernel', async () => {
      const ecall = lineOf(SYSCALL, /ecall/, 'user_main');
      await launch(dc, { program: SYSCALL }, () => dc.setBreakpointsRequest({ source: { path: SYSCALL }, breakpoints: [{ line: ecall }] }));
      await stepAndWait(dc, 'stepIn');
      const f = await top(dc);
      assert.equal(f.line, ecall + 1, 'the handler ran through');
      assert.match(f.name, /user_main/);
      assert.equal(await evaluate(dc, 'a0'), '0x64');
      await dc.stop();
      dc = new DebugClient('node', ADAPTER, 'xpc');
      await dc.start();
      await launch(dc, { program: SYSCALL, stopInKernel: true }, () => dc.setBreakpointsRequest({ source: { path: SYSCALL }, breakpoints: [{ line: ecall }] }));
      await stepAndWait(dc, 'next');
      const k = await top(dc);
      assert.match(k.name, /^trap_handler \[M-mode\]/);
    });

    it('stops on an ecall from U-mode with its filter, naming the cause', async () => {
      const ev = await launch(dc, { program: SYSCALL }, () => dc.setExceptionBreakpointsRequest({ filters: ['ecall-u'] }));
      assert.equal(ev.body.reason, 'exception');
      assert.match(ev.body.description ?? '', /environment call from U-mode \(cause 8\)/);
      const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      assert.match(frames[1].name, /trap: environment call from U-mode/);
      assert.equal(frames[2].line, lineOf(SYSCALL, /ecall/, 'user_main'));
      await dc.setExceptionBreakpointsRequest({ filters: [] });
      assert.equal((await runToEnd(dc, () => dc.continueRequest({ threadId: 1 }))).body.exitCode, 201);
    });

    it('sends Debug Console input to the UART while the guest runs', async () => {
      await Promise.all([dc.configurationSequence(), dc.launch({ program: ECHO })]);
      const echoed = dc.assertOutput('stdout', 'ping\n', 5000);
      await dc.evaluateRequest({ expression: 'ping', context: 'repl' });
      await echoed;
      const stopped = dc.waitForEvent('stopped', 5000);
      await dc.pauseRequest({ threadId: 1 });
      await stopped;
      const more = dc.assertOutput('stdout', 'pong\n', 5000);
      await dc.evaluateRequest({ expression: '> pong', context: 'repl' });
      await dc.continueRequest({ threadId: 1 });
      await more;
    });

    it('runs with a timing profile and reports cycles', async () => {
      await launch(dc, { program: DEMO, timing: 'rocket2019', ramSize: 16 }, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'audit' }] }));
      const state = (await dc.customRequest('xpc.state')).body;
      assert.equal(state.timing, 'rocket2019');
      assert.ok(state.cycles > state.instructions, `${state.cycles} cycles for ${state.instructions} instructions`);
      const bad = new DebugClient('node', ADAPTER, 'xpc');
      await bad.start();
      try {
        await bad.initializeRequest();
        await rejects(bad.launchRequest({ program: HELLO, timing: 'fast' } as DebugProtocol.LaunchRequestArguments), /timing must be one of/);
        await rejects(bad.launchRequest({ program: HELLO, ramSize: 0.5 } as DebugProtocol.LaunchRequestArguments), /ramSize is in MiB/);
      } finally {
        await bad.stop();
      }
    });
  });
});
