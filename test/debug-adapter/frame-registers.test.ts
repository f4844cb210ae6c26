// Every frame's registers are the ones it really had, or `<not saved>` (debug-adapter/frame-registers.ts):
// a caller across an xcall under the kernel shows what xpc_call saved (compared with what the
// caller had at its `call xpc_call`), a same-process caller what the unwinder recovered, a caller
// across a raw xcall on bare metal only its pc. Writes to any of them are refused, and so is an
// expression reading a register the frame does not have.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { adapterPerTest, EXAMPLES, ROOT, launch, lineOf, stack } from './dap-client';

const CHAIN = path.join(EXAMPLES, 'chain', 'system.json');
const CHAIN_CLIENT = path.join(EXAMPLES, 'chain', 'client.S');
const CHAIN_MIDDLE = path.join(EXAMPLES, 'chain', 'middle.S');
const CHAIN_SERVER = path.join(EXAMPLES, 'chain', 'server.S');
const ECHO_IPC = path.join(EXAMPLES, 'echo-ipc', 'system.json');
const ECHO_IPC_SERVER = path.join(EXAMPLES, 'echo-ipc', 'server.S');
const HELLO = path.join(ROOT, 'test', 'debug-adapter', 'fixtures', 'hello.S');
const BARE_XPC = path.join(EXAMPLES, 'bare-xpc', 'boot.S');
const BARE_CLIENT = path.join(EXAMPLES, 'bare-xpc', 'client.S');

const NOT_SAVED = '<not saved>';
const CALLER_SAVED = ['t0', 't1', 't2', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 't3', 't4', 't5', 't6'];
const XPC_KEPT = ['ra', 'sp', 'gp', 'tp', 's0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11'];

/** A frame's Registers scope: name → variable, and the scope's handle (for setVariable). */
async function registers(dc: DebugClient, frameId: number): Promise<{ ref: number; vars: Map<string, DebugProtocol.Variable> }> {
  const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
  const regs = scopes.find((s) => s.name === 'Registers')!;
  const vars = (await dc.variablesRequest({ variablesReference: regs.variablesReference })).body.variables;
  return { ref: regs.variablesReference, vars: new Map(vars.map((v) => [v.name, v])) };
}

/** The known registers of a frame as numbers (the `<not saved>` ones left out). */
async function values(dc: DebugClient, frameId: number): Promise<Map<string, bigint>> {
  const { vars } = await registers(dc, frameId);
  return new Map([...vars].filter(([n, v]) => n !== 'privilege' && v.value !== NOT_SAVED).map(([n, v]) => [n, BigInt(v.value)]));
}

async function cont(dc: DebugClient, threadId: number): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped', 20_000);
  await dc.continueRequest({ threadId });
  return (await stopped) as DebugProtocol.StoppedEvent;
}

const evaluate = async (dc: DebugClient, expression: string, frameId: number): Promise<bigint> =>
  BigInt((await dc.evaluateRequest({ expression, context: 'watch', frameId })).body.result);

describe('debug adapter: registers of caller frames', function () {
  this.timeout(60_000);
  let dc: DebugClient;
  adapterPerTest((c) => { dc = c; });

  it('chain: in the server\'s handler, the middle\'s and the client\'s frames show what they had at their call xpc_call, the rest <not saved>', async () => {
    const clientCall = lineOf(CHAIN_CLIENT, /call\s+xpc_call/);
    const middleCall = lineOf(CHAIN_MIDDLE, /call\s+xpc_call/);
    const ev = await launch(dc, { system: CHAIN }, async (c) => {
      await c.setBreakpointsRequest({ source: { path: CHAIN_CLIENT }, breakpoints: [{ line: clientCall }] });
      await c.setBreakpointsRequest({ source: { path: CHAIN_MIDDLE }, breakpoints: [{ line: middleCall }] });
      await c.setBreakpointsRequest({ source: { path: CHAIN_SERVER }, breakpoints: [{ line: lineOf(CHAIN_SERVER, /la\s+t1, reply/) }] });
    });
    const tid = ev.body.threadId!;
    // What each caller really had just before its call xpc_call (live registers, innermost frame).
    let top = (await stack(dc, tid))[0];
    assert.equal(top.line, clientCall);
    const client = await values(dc, top.id);
    assert.notEqual(client.get('s1'), 0n, 'the client keeps its segment va in s1');
    top = (await stack(dc, (await cont(dc, tid)).body.threadId!))[0];
    assert.equal(top.source?.path, CHAIN_MIDDLE);
    assert.equal(top.line, middleCall);
    const middle = await values(dc, top.id);
    await cont(dc, tid);
    const frames = await stack(dc, tid);
    const shown = frames.map((f) => `${f.name}:${f.line}`).join(' | ');
    assert.equal(frames[0].source?.path, CHAIN_SERVER, shown);

    for (const [file, line, had] of [[CHAIN_MIDDLE, middleCall, middle], [CHAIN_CLIENT, clientCall, client]] as const) {
      const f = frames.find((x) => x.source?.path === file && x.line === line);
      assert.ok(f, `${path.basename(file)}:${line} in ${shown}`);
      const { vars, ref } = await registers(dc, f.id);
      const got = await values(dc, f.id);
      // pc and ra: the return address of its call xpc_call (this frame's pc).
      const pc = BigInt(f.instructionPointerReference!.replace(/^\w+:/, ''));
      assert.equal(got.get('pc'), pc);
      assert.equal(got.get('ra'), pc);
      // sp, gp, tp, s0–s11: exactly what it had at the call (xpc_call's save frame, sp from the call slot).
      for (const r of XPC_KEPT.filter((x) => x !== 'ra')) assert.equal(got.get(r), had.get(r), `${r} of ${f.name}`);
      // Everything else: not saved, and said why.
      for (const r of CALLER_SAVED) {
        assert.equal(vars.get(r)?.value, NOT_SAVED, `${r} of ${f.name}`);
        assert.match(vars.get(r)?.type ?? '', /xpc_call/);
      }
      assert.ok(vars.get('s1')?.presentationHint?.attributes?.includes('readOnly'));
      // Writes are refused with a reason, never made to the hart.
      await assert.rejects(dc.setVariableRequest({ variablesReference: ref, name: 's1', value: '5' }), /cannot be changed in frame .*xpc_call saved/);
      await assert.rejects(dc.setVariableRequest({ variablesReference: ref, name: 'a0', value: '5' }), /a0 is <not saved>/);
      // Expressions in the frame: its values; a register it does not have is an error, not the current value.
      assert.equal(await evaluate(dc, 's1 + 1', f.id), had.get('s1')! + 1n);
      assert.equal(await evaluate(dc, 'sp', f.id), had.get('sp'));
      await assert.rejects(dc.evaluateRequest({ expression: 'a0', context: 'watch', frameId: f.id }), /a0 is <not saved> in frame/);
      await assert.rejects(dc.evaluateRequest({ expression: '$t0 + 1', context: 'watch', frameId: f.id }), /t0 is <not saved>/);
    }
    // The return stub's xcall between them: only its pc.
    const stub = frames.find((x) => /^xpc_call_stubs/.test(x.name))!;
    const stubRegs = await registers(dc, stub.id);
    assert.equal(stubRegs.vars.get('s1')?.value, NOT_SAVED);
    assert.equal(stubRegs.vars.get('sp')?.value, NOT_SAVED);
    // The innermost frame is still the hart's, and writable.
    const inner = await registers(dc, frames[0].id);
    await dc.setVariableRequest({ variablesReference: inner.ref, name: 't0', value: '0x1234' });
    assert.equal(await evaluate(dc, 't0', frames[0].id), 0x1234n);
    const info = (await dc.evaluateRequest({ expression: 'info registers', context: 'repl', frameId: frames.find((x) => x.source?.path === CHAIN_CLIENT)!.id })).body.result;
    assert.match(info, /a0\s+<not saved>/);
  });

  it('a same-process caller (hello.S, _start → square): sp and s0 recovered at each point of the prologue, ra = its pc, caller-saved <not saved>', async () => {
    const ev = await launch(dc, { program: HELLO }, async (c) => {
      await c.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'square' }] });
      await c.setBreakpointsRequest({ source: { path: HELLO }, breakpoints: [{ line: lineOf(HELLO, /sd s0, 0\(sp\)/, 'square') }, { line: lineOf(HELLO, /mul a0, a0, a0/) }] });
    }, 10_000);
    const tid = ev.body.threadId!;
    const check = async (spOffset: bigint) => {
      const frames = await stack(dc, tid);
      assert.match(frames[0].name, /^square/);
      assert.match(frames[1].name, /^_start\+0x/);
      const inner = await values(dc, frames[0].id);
      const caller = await values(dc, frames[1].id);
      const { vars, ref } = await registers(dc, frames[1].id);
      const pc = BigInt(frames[1].instructionPointerReference!);
      assert.equal(caller.get('pc'), pc);
      assert.equal(caller.get('ra'), pc);
      assert.equal(caller.get('sp'), inner.get('sp')! + spOffset, 'sp at the call');
      assert.equal(caller.get('s0'), 0n, "_start's s0 (li s0, 0)");
      assert.match(vars.get('sp')?.type ?? '', /recovered/);
      // Callee-saved: the inner frame's (square leaves s1, s2 alone); caller-saved: not saved.
      assert.equal(caller.get('s1'), inner.get('s1'));
      assert.match(vars.get('s1')?.type ?? '', /callee-saved/);
      for (const r of CALLER_SAVED) assert.equal(vars.get(r)?.value, NOT_SAVED, r);
      await assert.rejects(dc.setVariableRequest({ variablesReference: ref, name: 'sp', value: '0' }), /cannot be changed in frame _start/);
      await assert.rejects(dc.evaluateRequest({ expression: 'a0', context: 'watch', frameId: frames[1].id }), /a0 is <not saved>/);
      assert.equal(await evaluate(dc, 'sp', frames[1].id), inner.get('sp')! + spOffset);
    };
    // At square's entry (nothing changed yet), after its addi sp (sp moved, no record yet), after its prologue (frame record).
    assert.equal(ev.body.reason, 'function breakpoint');
    await check(0n);
    await cont(dc, tid);
    await check(16n);
    await cont(dc, tid);
    const frames = await stack(dc, tid);
    assert.equal(frames[0].line, lineOf(HELLO, /mul a0, a0, a0/));
    assert.match((await registers(dc, frames[1].id)).vars.get('s0')?.type ?? '', /frame record/);
    await check(16n);
  });

  it('bare metal: the caller of a raw xcall shows only its pc (the xcall), every register <not saved>', async () => {
    const ev = await launch(dc, { program: BARE_XPC }, (c) => c.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'server_echo' }] }), 10_000);
    const frames = await stack(dc, ev.body.threadId!);
    const shown = frames.map((f) => f.name).join(' | ');
    assert.match(frames[0].name, /^server_echo/, shown);
    assert.equal(frames[1].presentationHint, 'label', shown);
    const caller = frames[2];
    assert.equal(caller.source?.path, BARE_CLIENT, shown);
    assert.equal(caller.line, lineOf(BARE_CLIENT, /xcall\s+t0/));
    const { vars, ref } = await registers(dc, caller.id);
    assert.equal(BigInt(vars.get('pc')!.value), BigInt(caller.instructionPointerReference!));
    for (const r of ['ra', 'sp', 'gp', 'tp', 's0', 's1', 'a0', 't0', 't6']) {
      assert.equal(vars.get(r)?.value, NOT_SAVED, r);
      assert.match(vars.get(r)?.type ?? '', /xcall keeps only the return address/);
    }
    // The hart's s0 is still the client's here, but nothing guarantees it: the frame does not claim it.
    await assert.rejects(dc.evaluateRequest({ expression: 's0', context: 'watch', frameId: caller.id }), /s0 is <not saved> in frame client_main/);
    assert.equal(await evaluate(dc, 'pc', caller.id), BigInt(caller.instructionPointerReference!));
    await assert.rejects(dc.setVariableRequest({ variablesReference: ref, name: 'a0', value: '1' }), /a0 is <not saved>/);
  });

  it('a thread that is not on the hart: its registers are the kernel\'s saved copy, shown but never written to the hart', async () => {
    const ev = await launch(dc, { system: ECHO_IPC }, (c) => c.setBreakpointsRequest({ source: { path: ECHO_IPC_SERVER }, breakpoints: [{ line: lineOf(ECHO_IPC_SERVER, /mv\s+s2, t0/, 'serve') }] }));
    const client = (await dc.threadsRequest()).body.threads.find((t) => /\[client\]/.test(t.name))!;
    assert.notEqual(client.id, ev.body.threadId);
    const cf = await stack(dc, client.id);
    const { vars, ref } = await registers(dc, cf[0].id);
    assert.equal(BigInt(vars.get('a6')!.value), 1n); // the SERVER slot, as the kernel saved it
    assert.match(vars.get('a6')?.type ?? '', /TCB/);
    const hartA6 = await evaluate(dc, 'a6', (await stack(dc, ev.body.threadId!))[0].id);
    await assert.rejects(dc.setVariableRequest({ variablesReference: ref, name: 'a6', value: '7' }), /kernel's saved copy/);
    // Nothing was written: neither the copy nor the hart.
    assert.equal(await evaluate(dc, 'a6', (await stack(dc, client.id))[0].id), 1n);
    assert.equal(await evaluate(dc, 'a6', (await stack(dc, ev.body.threadId!))[0].id), hartA6);
  });
});
