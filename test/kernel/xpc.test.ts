// XPC in the kernel (issue #7): the description's x-entries, grants and relay segments, the
// examples' exact output, every XPC fault path, the XPC syscalls, and the kernel invariants
// extended to XPC state, checked at many stops during runs.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as abi from '../../kernel/abi/abi';
import { XPC_STATUS } from '../../kernel/abi/xpc-lib';
import { KernelInspector } from '../../kernel/inspect/inspect';
import { buildSystemFrom, SystemImage } from '../../kernel/system/build';
import { Machine } from '../../emulator/machine/machine';
import { Priv } from '../../emulator/hart/hart';
import { ROOT, buildOrThrow, example, runImage, runSystem } from './harness';

const FIXTURES = path.join(ROOT, 'test', 'kernel', 'fixtures');
const fixture = (name: string) => path.join(FIXTURES, `${name}.json`);
const lines = (...l: string[]) => l.map((x) => x + '\n').join('');
const hex = (v: bigint | number) => `0x${v.toString(16)}`;
const sym = (img: SystemImage, proc: string, name: string): bigint => {
  const s = img.processes.find((p) => p.name === proc)!.image.symbols.find((x) => x.name === name);
  if (!s) throw new Error(`no symbol ${name} in ${proc}`);
  return s.value;
};
/** The pc of the xcall in return stub 0 of the XPC library (the first call slot). */
const stub0Xcall = (img: SystemImage, proc: string) => sym(img, proc, 'xpc_call_stubs') + 4n;

const clientServer = (extra: Record<string, unknown>, procs?: unknown[]) => ({
  notifications: [{ name: 'park' }],
  processes: procs ?? [
    { name: 'server', sources: ['echo-xpc/server.S'], caps: [{ slot: 1, name: 'PARK', notification: 'park' }] },
    { name: 'client', sources: ['echo-xpc/client.S'] },
  ],
  ...extra,
});
const diagnosticsOf = (desc: unknown) => buildSystemFrom(desc, path.join(ROOT, 'examples', 'system.json')).diagnostics.map((d) => `${d.path}: ${d.message}`);

describe('kernel XPC: the description', () => {
  it("takes an x-entry's call contexts from its XPC_ENTRY stub, and refuses a description that says otherwise", () => {
    const entry = (contexts?: number) => ({
      xEntries: [{ name: 'echo', process: 'server', handler: 'echo_entry', ...(contexts ? { contexts } : {}) }],
      grants: [{ process: 'client', entries: ['echo'] }], relaySegments: [{ name: 'msg', size: 4096, owner: 'client' }],
    });
    const omitted = buildSystemFrom(clientServer(entry()), path.join(ROOT, 'examples', 'system.json'));
    assert.deepEqual(omitted.image?.xEntries.map((x) => x.contexts), [2], 'echo-xpc/server.S: XPC_ENTRY echo_entry, echo, 2');
    assert.deepEqual(diagnosticsOf(clientServer(entry(3))), ["xEntries[0].contexts: 3 call contexts, but the XPC_ENTRY stub 'echo_entry' in server's sources has 2"]);
  });

  it('gives x-entry ids in order, places relay segments in the reserved window, links the library', () => {
    const img = buildOrThrow(example('echo-xpc'));
    assert.deepEqual(img.xEntries.map((x) => [x.id, x.name, x.process, x.handler, x.contexts]), [[1, 'echo', 'server', 'echo_entry', 2]]);
    assert.equal(img.xEntries[0].entryPc, sym(img, 'server', 'echo_entry'));
    const seg = img.relaySegments[0];
    assert.deepEqual([seg.name, seg.owner, seg.slot, seg.size, seg.perms], ['msg', 'client', 0, 4096, 'rw']);
    assert.equal(seg.va, abi.USER_RELAY_BASE + BigInt(seg.pa - abi.KERNEL_PA));
    for (const p of img.processes) {
      assert.ok(p.image.symbols.some((s) => s.name === 'xpc_call'), `${p.name} links the XPC library`);
      for (const pl of p.placement) assert.ok(pl.va + BigInt(pl.size) <= abi.USER_RELAY_BASE, `${p.name}: ${pl.what} is below the relay window`);
    }
    assert.deepEqual([...img.grants], [['client', ['echo']]]);
    assert.equal(img.relayPool.pages, abi.RELAY_POOL_PAGES);
    // Generated names: XENTRY_ECHO = 1 and SEG_MSG = 0 reached the client's code (li a6, 1 / li a0, 0 before the calls).
    const hello = buildOrThrow(example('hello'));
    assert.ok(!hello.processes[0].image.symbols.some((s) => s.name === 'xpc_call'), 'a system without XPC does not link the library');
    assert.equal(hello.relayPool.pages, 0);
  });

  it('segments of one owner take its seg-list slots in order, each physically contiguous', () => {
    const desc = clientServer({
      xEntries: [{ name: 'echo', process: 'server', handler: 'echo_entry' }],
      relaySegments: [{ name: 'msg', size: 8192, owner: 'client' }, { name: 'b', size: 4096, owner: 'server', perms: 'r' }, { name: 'c-d', size: 4096, owner: 'client' }],
    });
    const r = buildSystemFrom(desc, path.join(ROOT, 'examples', 'system.json'));
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.image!.relaySegments.map((s) => [s.name, s.owner, s.slot]), [['msg', 'client', 0], ['b', 'server', 0], ['c-d', 'client', 1]]);
    const [a, b] = r.image!.relaySegments;
    assert.equal(b.pa, a.pa + 8192, 'consecutive frames');
  });

  it('a cap can name an x-entry: its grant capability, checked live by the inspector', () => {
    const desc = clientServer({
      exitOn: 'client',
      xEntries: [{ name: 'echo', process: 'server', handler: 'echo_entry' }],
      grants: [{ process: 'client', entries: ['echo'] }],
      relaySegments: [{ name: 'msg', size: 4096, owner: 'client' }],
    }, [
      { name: 'server', sources: ['echo-xpc/server.S'], caps: [{ slot: 1, name: 'PARK', notification: 'park' }, { slot: 2, name: 'ECHO_GRANT', xentry: 'echo', rights: 'g' }] },
      { name: 'client', sources: ['echo-xpc/client.S'] },
    ]);
    const r = buildSystemFrom(desc, path.join(ROOT, 'examples', 'system.json'));
    assert.deepEqual(r.diagnostics, []);
    const run = runImage(r.image!);
    assert.equal(run.code, 0);
    const ins = new KernelInspector(run.machine, r.image!);
    assert.deepEqual(ins.view().processes[0].capabilities.find((c) => c.slot === 2), { slot: 2, type: 'x-entry', object: 'echo', badge: 0n, rights: 'g' });
    assert.deepEqual(ins.checkInvariants(), []);
    assert.deepEqual(diagnosticsOf(clientServer({ xEntries: [{ name: 'echo', process: 'server', handler: 'echo_entry' }] }, [
      { name: 'server', sources: ['echo-xpc/server.S'], caps: [{ slot: 2, xentry: 'nope' }] },
    ])), ["processes[0].caps[0].xentry: unknown xentry 'nope'"]);
    assert.deepEqual(diagnosticsOf(clientServer({ grants: [] }, [
      { name: 'server', sources: ['echo-xpc/server.S'], caps: [{ slot: 2, control: 'irq' }, { slot: 3, control: 'xpc', endpoint: 'echo' }] },
    ])), ["processes[0].caps[0].control: unknown control 'irq' (one of: xpc)", 'processes[0].caps[1]: exactly one of endpoint, notification, reply, process, thread, xentry, control is required']);
  });

  it('lists every XPC problem by JSON path and builds nothing', () => {
    const d = diagnosticsOf(clientServer({
      xEntries: [
        { name: 'echo', process: 'server', handler: 'echo_entry', contexts: 0 },
        { name: 'echo', process: 'nobody', handler: 'x' },
        { name: 'gone', process: 'server', handler: 'no_such_symbol' },
      ],
      grants: [{ process: 'client', entries: ['echo', 'nope'] }, { process: 'ghost', entries: [] }],
      relaySegments: [
        { name: 's', size: 100, owner: 'client' }, { name: 's', size: 2 << 20, owner: 'ghost' },
        ...Array.from({ length: 9 }, (_, k) => ({ name: `m${k}`, size: 4096, owner: 'server', perms: 'x' })),
      ],
    }));
    const want = [
      'xEntries[0].contexts: contexts 0 is out of range (1..64)',
      "xEntries[1].name: duplicate x-entry name 'echo'",
      "xEntries[1].process: unknown process 'nobody'",
      "grants[0].entries[1]: unknown x-entry 'nope'",
      "grants[1].process: unknown process 'ghost'",
      'relaySegments[0].size: size 100 is out of range (4096..1048576)',
      "relaySegments[1].name: duplicate relay segment name 's'",
      'relaySegments[1].size: size 2097152 is out of range (4096..1048576)',
      "relaySegments[1].owner: unknown process 'ghost'",
      "relaySegments[10].owner: process 'server' owns more than 8 relay segments (its seg-list has 8 slots)",
      'relaySegments[10].perms: must be "r", "w" or "rw"',
    ];
    for (const w of want) assert.ok(d.includes(w), `missing: ${w}\n got:\n${d.join('\n')}`);
    assert.ok(d.some((x) => x.startsWith('relaySegments[2].perms')));
    // A handler missing from the owner's sources needs the assembler: reported by the builder.
    const h = diagnosticsOf(clientServer({
      xEntries: [{ name: 'echo', process: 'server', handler: 'echo_entry' }, { name: 'gone', process: 'server', handler: 'no_such_symbol' }],
      relaySegments: [{ name: 'msg', size: 4096, owner: 'client' }],
    }));
    assert.deepEqual(h, ["xEntries[1].handler: handler symbol 'no_such_symbol' is not defined in server's sources"]);
    const s = diagnosticsOf(clientServer({ relaySegments: [{ name: 'odd', size: 6000, owner: 'client' }] }));
    assert.deepEqual(s, ['relaySegments[0].size: size 6000 is not a multiple of 4096']);
    const m = diagnosticsOf({ memory: [{ name: 'm', size: 4096 }], processes: [{ name: 'p', sources: ['hello/hello.S'], maps: [{ memory: 'm', va: 0x30_0000_0000 }] }] });
    assert.ok(m[0]?.startsWith('processes[0].maps[0].va: must be a page-aligned address in 0x40000000..0x2fffffffff'), m.join('\n'));
  });
});

describe('kernel XPC: examples (exact output, exit 0)', () => {
  const echo = lines(
    'server: ready (x-entry echo, 2 call contexts)',
    'client: calling the echo server over XPC',
    'server: sum requested',
    'client: 1+2+3+4+5 = 15, seen by the server as domain 2',
    'server: capitals requested, writing into the relay segment',
    'client: reply in place: A MESSAGE IN A RELAY SEGMENT, CAPITALISED BY THE SERVER WHERE IT LIES',
  );
  for (const timing of ['off', 'rocket2019'] as const) {
    it(`echo-xpc (timing ${timing})`, () => {
      const r = runSystem(example('echo-xpc'), { timing });
      assert.equal(r.output, echo);
      assert.equal(r.code, 0);
    });
  }

  it('chain: one relay segment from client through middle to server, reply written in place', () => {
    const r = runSystem(example('chain'));
    assert.equal(r.output, lines(
      'client: request in the relay segment: ping through three processes',
      "middle: handed the client's segment at the same address; passing 2 KiB of it to the server",
      'server: writing the reply in place, in a window of 2048 bytes',
      'client: reply in the same bytes: PONG FROM THE SERVER, WRITTEN IN PLACE',
      'client: one segment, two hops, nothing copied',
    ));
    assert.equal(r.code, 0);
  });

  it('denied: the kernel reports the refused xcalls, the caller gets an error, the rest goes on', () => {
    const r = runSystem(example('denied'));
    const pc = hex(stub0Xcall(r.image, 'client'));
    assert.equal(r.output, lines(
      'client: calling secret (no right)',
      `[kernel] xcall failed: process client, thread main: invalid xcall-cap at pc ${pc}, tval 0x2`,
      `client: xpc_call status ${XPC_STATUS.XPC_E_DENIED}`,
      'client: calling x-entry 40 (none)',
      `[kernel] xcall failed: process client, thread main: invalid x-entry at pc ${pc}, tval 0x28`,
      `client: xpc_call status ${XPC_STATUS.XPC_E_INVALID_ENTRY}`,
      'client: echo(41) = 42',
    ));
    assert.equal(r.code, 0);
  });

  it('dead-callee: the callee dies mid-call, the caller gets XPC_E_DEAD_CALLEE and its segment back', () => {
    const r = runSystem(example('dead-callee'));
    const out = r.output.split('\n');
    assert.equal(out.length, 8, r.output);
    assert.deepEqual([out[0], out[1], out[3], out[4], out[6]], [
      'client: calling fragile',
      "server: borrowing the caller's segment, then crashing mid-call",
      `client: xpc_call status ${XPC_STATUS.XPC_E_DEAD_CALLEE}`,
      'client: my relay segment is back in seg-reg',
      `client: calling again, status ${XPC_STATUS.XPC_E_INVALID_ENTRY}`,
    ]);
    // The fault is the server's (the domain the client's thread ran in), on the client's thread.
    const m = /^\[kernel\] fault: process server, thread caller: load page fault at pc 0x([0-9a-f]+), tval 0x0$/.exec(out[2]);
    assert.ok(m, out[2]);
    const pc = BigInt(`0x${m[1]}`);
    assert.ok(pc > sym(r.image, 'server', 'fragile') && pc < sym(r.image, 'server', 'fragile') + 64n);
    assert.equal(out[5], `[kernel] xcall failed: process client, thread caller: invalid x-entry at pc ${hex(stub0Xcall(r.image, 'client'))}, tval 0x1`);
    assert.equal(r.code, 0);
    const ins = new KernelInspector(r.machine, r.image);
    assert.deepEqual(ins.view().processes.map((p) => [p.name, p.state, p.exitCode]), [['server', 'faulted', 128 + 13], ['client', 'exited', 0]]);
  });

  const kv = lines(
    "client: put key 7 = 1024 x 'A': ok",
    "client: put key 9 = 1024 x 'B': ok",
    'client: get key 7: ok',
    'client: delete key 7: ok',
    'client: get key 7: not found',
    "client: get key 9: ok, 1024 x 'B' intact",
    'client: done',
  );
  it('kvstore over XPC (relay segments) and over endpoints: the same answers', () => {
    for (const file of ['system.json', 'system-ipc.json']) {
      const r = runSystem(path.join(ROOT, 'examples', 'kvstore', file));
      assert.equal(r.output, kv, file);
      assert.equal(r.code, 0, file);
    }
  });

  it('is deterministic: two runs take identical cycles (rocket2019)', () => {
    const a = runSystem(example('chain'), { timing: 'rocket2019' });
    const b = runSystem(example('chain'), { timing: 'rocket2019' });
    assert.equal(a.code, 0);
    assert.equal(a.cycles, b.cycles);
    assert.equal(a.output, b.output);
  });
});

describe('kernel XPC: fault paths and syscalls', () => {
  it('swapseg error and invalid linkage end the process; link-stack overflow and an unreturned segment do not hang anyone', () => {
    const r = runSystem(fixture('xpc-faults'));
    const img = r.image;
    const base = img.kernel.symbols.find((s) => s.name === 'kernel_linkstacks')!.value - abi.KERNEL_OFFSET;
    const stack = (thread: number) => base + BigInt(thread * abi.LINK_STACK_RECORDS * abi.LR.size);
    const out = r.output.split('\n');
    assert.equal(out[0], `[kernel] fault: process swapseg-bad, thread t: swapseg error at pc ${hex(sym(img, 'swapseg-bad', 'swapseg_bad') + 4n)}, tval 0x63`);
    assert.equal(out[1], `[kernel] fault: process xret-empty, thread t: invalid linkage at pc ${hex(sym(img, 'xret-empty', 'xret_empty'))}, tval ${hex(stack(1))}`);
    assert.match(out[2], new RegExp(`^\\[kernel\\] xcall failed: process deep, thread t: link stack overflow at pc 0x[0-9a-f]+, tval ${hex(stack(2) + BigInt(abi.LINK_STACK_RECORDS * 128))}$`));
    assert.equal(out[3], `deep: link stack full at depth ${abi.LINK_STACK_RECORDS + 1}, status ${XPC_STATUS.XPC_E_LINK_OVERFLOW}`);
    assert.match(out[4], /^\[kernel\] fault: process unret-callee, thread t: relay segment not returned at pc 0x[0-9a-f]+, tval 0x[0-9a-f]+$/);
    assert.equal(out[5], `unret-caller: status ${XPC_STATUS.XPC_E_DEAD_CALLEE}`);
    const ill = /^\[kernel\] fault: process no-rights, thread t: illegal instruction at pc 0x([0-9a-f]+), tval 0x2800b$/.exec(out[6]);
    assert.ok(ill, out[6]);
    assert.ok(BigInt(`0x${ill[1]}`) - sym(img, 'no-rights', 'no_rights') <= 4n, 'the xcall right after li');
    assert.equal(out.length, 8);
    assert.equal(r.code, 128 + 27, 'the first non-zero exit code: swapseg-bad');
    const v = new KernelInspector(r.machine, img).view();
    assert.deepEqual(v.processes.map((p) => [p.name, p.exitCode]), [['swapseg-bad', 155], ['xret-empty', 154], ['deep', 0], ['unret-callee', 157], ['unret-caller', 0], ['no-rights', 130]]);
  });

  it('register, grant, revoke; allocate, use, lend and free relay segments; every error code', () => {
    const r = runSystem(fixture('xpc-sys'));
    const E = abi.ERRORS;
    assert.equal(r.output, lines(
      `owner: register through an endpoint cap: error ${E.E_WRONG_TYPE}`,
      `owner: register through an empty slot: error ${E.E_INVALID_CAP}`,
      `owner: register with 0 contexts: error ${E.E_BAD_ARG}`,
      'owner: registered x-entry 1',
      'owner: its grant cap is in slot 3',
      'owner: grant: error 0',
      `owner: grant through an endpoint cap: error ${E.E_WRONG_TYPE}`,
      `owner: grant to an empty slot: error ${E.E_INVALID_CAP}`,
      'user: xpc_call status 0',
      'user: result 105',
      `user: alloc through an endpoint cap: error ${E.E_WRONG_TYPE}`,
      `user: alloc 100 bytes: error ${E.E_BAD_ARG}`,
      `user: alloc 2 MiB: error ${E.E_BAD_ARG}`,
      'user: alloc 8 KiB: in seg-list slot 0',
      'user: seg-reg length 8192',
      `user: the callee freeing the lent segment got error ${E.E_BAD_ARG}`,
      'user: free: error 0',
      `user: free again: error ${E.E_BAD_ARG}`,
      'owner: revoke: error 0',
      `[kernel] xcall failed: process user, thread main: invalid xcall-cap at pc ${hex(stub0Xcall(r.image, 'user'))}, tval 0x1`,
      `user: after revoke, xpc_call status ${XPC_STATUS.XPC_E_DENIED}`,
    ));
    assert.equal(r.code, 0);
    const ins = new KernelInspector(r.machine, r.image);
    assert.deepEqual(ins.checkInvariants(), []);
    const x = ins.xpcView().xEntries;
    assert.deepEqual(x.map((e) => [e.id, e.name, e.owner, e.handler, e.contexts, e.valid, e.callers]), [[1, undefined, 'owner', 'dyn_entry', 1, true, []]]);
    const caps = ins.view().processes[0].capabilities;
    assert.deepEqual(caps.find((c) => c.slot === 3), { slot: 3, type: 'x-entry', object: 'x-entry 1', badge: 0n, rights: 'rwg' });
    assert.deepEqual(caps.find((c) => c.slot === 4), { slot: 4, type: 'xpc-control', object: 'xpc', badge: 0n, rights: 'rw' });
  });

  it('XPC syscalls need the XPC control capability, and fail with E_BAD_SYSCALL in a system without XPC', () => {
    const control = [{ slot: 1, control: 'xpc' as const }];
    const xpc = buildSystemFrom({ grants: [], processes: [{ name: 'plain', sources: ['plain-xpc-off.S'], caps: control }] }, path.join(FIXTURES, 'x.json'));
    assert.equal(runImage(xpc.image!).output, 'plain: alloc without XPC: error 0\n', 'an XPC system (even grants: []) allocates');
    const noCap = buildSystemFrom({ grants: [], processes: [{ name: 'plain', sources: ['plain-xpc-off.S'] }] }, path.join(FIXTURES, 'x.json'));
    assert.equal(runImage(noCap.image!).output, `plain: alloc without XPC: error ${abi.ERRORS.E_INVALID_CAP}\n`);
    const refused = buildSystemFrom({ processes: [{ name: 'plain', sources: ['plain-xpc-off.S'], caps: control }] }, path.join(FIXTURES, 'x.json'));
    assert.equal(refused.image, undefined);
    assert.deepEqual(refused.diagnostics.map((d) => d.path), ['processes[0].caps[0].control']);
    assert.match(refused.diagnostics[0].message, /needs an XPC system/);
    const off = buildSystemFrom({
      processes: [{ name: 'plain', sources: ['plain-xpc-off.S'] }],
    }, path.join(FIXTURES, 'x.json'));
    const o = runImage(off.image!);
    assert.equal(o.output, `plain: alloc without XPC: error ${abi.ERRORS.E_BAD_SYSCALL}\n`);
  });

  it('a thread whose own process dies while it is inside callees unwinds through them and ends at the dead caller', () => {
    const r = runSystem(fixture('xpc-homekill'));
    assert.equal(r.output, lines(
      "server: signalling the client's killer",
      'client: killer ends the process',
      'server: answering',
      'middle: the server saw a segment of 4096 bytes',
      '[kernel] thread client.main ends: its process has ended and no live caller is left',
      // middle's only call context is free again and its segment came back to it
      'middle: the server saw a segment of 4096 bytes',
      'checker: status 0, result 4096',
    ));
    assert.equal(r.code, 0);
    const ins = new KernelInspector(r.machine, r.image);
    assert.deepEqual(ins.checkInvariants(), []);
    const client = ins.view().processes.find((p) => p.name === 'client')?.threads.find((t) => t.name === 'main');
    assert.equal(client?.state, 'dead');
  });

  it('a caller whose middle hop dies while the call is deeper resumes at the nearest live caller', () => {
    const r = runSystem(fixture('xpc-midkill'));
    assert.equal(r.output, lines(
      "end: signalling middle's killer",
      'middle: killer ends the process',
      'end: returning to a caller that died meanwhile',
      `client: status ${XPC_STATUS.XPC_E_DEAD_CALLEE}`,
    ));
    assert.equal(r.code, 0);
  });
});

describe('kernel XPC: invariants and the inspector', () => {
  /** Boots a system and runs it until the UART has printed `text` (the machine stops in user mode). */
  function runUntil(file: string, text: string) {
    const img = buildOrThrow(file);
    const m = new Machine({ timing: 'off' });
    m.load(img.elf, 'boot.elf');
    let out = '';
    m.onUartOutput((b) => { out += String.fromCharCode(b); });
    for (let i = 0; i < 10_000 && !(out.includes(text) && m.hart.priv === Priv.U); i++) assert.equal(m.run(50).kind, 'limit');
    return { img, m };
  }

  /** Runs one instruction at a time, checking the invariants at every `every`-th user-mode instruction. */
  function checkedRun(file: string, every = 5) {
    const img = buildOrThrow(file);
    const m = new Machine({ timing: 'off' });
    m.load(img.elf, 'boot.elf');
    const ins = new KernelInspector(m, img);
    const bad = new Set<string>();
    const where = new Set<string>();
    let stops = 0, user = 0;
    for (let i = 0; i < 2_000_000; i++) {
      const stop = m.run(1);
      if (stop.kind !== 'limit') { assert.equal(stop.kind, 'exit'); break; }
      if (m.hart.priv !== Priv.U || user++ % every) continue;
      stops++;
      for (const b of ins.checkInvariants()) bad.add(b);
      for (const s of ins.xpcView().relaySegments) for (const l of s.locations) where.add(`${s.name}: ${l.replace(/#\d+$/, '')}`);
    }
    return { bad: [...bad], where, stops, ins, m };
  }

  for (const name of ['echo-xpc', 'chain', 'kvstore', 'dead-callee', 'denied']) {
    it(`the invariants hold at every user-mode stop of ${name}`, () => {
      const r = checkedRun(example(name), name === 'kvstore' ? 61 : 5);
      assert.deepEqual(r.bad, []);
      assert.ok(r.stops > 50, `${r.stops} stops`);
    });
  }

  it('the invariants hold through the dead-middle recovery and the XPC syscalls', () => {
    for (const f of ['xpc-midkill', 'xpc-homekill', 'xpc-sys', 'xpc-faults']) assert.deepEqual(checkedRun(fixture(f)).bad, [], f);
  });

  it('preemption inside callees: the tick switches threads mid-call, XPC state follows each thread', () => {
    const img = buildOrThrow(fixture('xpc-preempt'));
    const m = new Machine({ timing: 'off' });
    m.load(img.elf, 'boot.elf');
    let out = '';
    m.onUartOutput((b) => { out += String.fromCharCode(b); });
    const ins = new KernelInspector(m, img);
    const bad = new Set<string>();
    let preemptedInside = 0, checks = 0;
    for (let i = 0; i < 200_000; i++) {
      const stop = m.run(37);
      if (stop.kind !== 'limit') { assert.equal(stop.kind, 'exit'); assert.equal(stop.code, 0); break; }
      if (m.hart.priv !== Priv.U || i % 5) continue;
      checks++;
      for (const b of ins.checkInvariants()) bad.add(b);
      const v = ins.view();
      const client = v.processes.find((p) => p.name === 'client')!;
      for (const t of client.threads) {
        const x = ins.xpcView().threads.find((q) => q.thread === `client.${t.name}`)!;
        if (t.state === 'ready' && x.domain === 'server' && x.linkStack.length === 1) preemptedInside++;
      }
    }
    assert.equal(out, 'worker: 300 calls answered\nworker: 300 calls answered\n');
    assert.deepEqual([...bad], []);
    assert.ok(checks > 100, `${checks} checks`);
    assert.ok(preemptedInside > 0, 'a client thread was seen preempted inside the server');
  });

  it('sees a relay segment move between seg-list and seg-reg along a chain', () => {
    const r = checkedRun(example('chain'), 1);
    assert.ok(r.where.has('buf: seg-list client[0]'), [...r.where].join('; '));
    assert.ok(r.where.has('buf: seg-reg client.main'), [...r.where].join('; '));
  });

  it('lists x-entries with owner, handler, contexts and callers', () => {
    const { img, m } = runUntil(example('kvstore'), 'put key 7');
    const x = new KernelInspector(m, img).xpcView();
    assert.equal(x.enabled, true);
    assert.deepEqual(x.xEntries.map((e) => [e.id, e.name, e.owner, e.handler, e.contexts, e.valid, e.callers]), [
      [1, 'kv', 'kv', 'kv_entry', 2, true, ['client']],
      [2, 'store', 'storage', 'store_entry', 2, true, ['kv']],
    ]);
    assert.equal(x.relaySegments.length, 1);
    assert.deepEqual([x.relaySegments[0].name, x.relaySegments[0].owner, x.relaySegments[0].size, x.relaySegments[0].perms], ['val', 'client', 4096, 'rw']);
  });

  it('the checks can fail: a forged bitmap bit, a duplicated segment, a broken link stack', () => {
    const { img, m } = runUntil(example('echo-xpc'), 'client: calling');
    const ins = new KernelInspector(m, img);
    assert.deepEqual(ins.checkInvariants(), []);
    const kpa = (name: string) => Number(img.kernel.symbols.find((s) => s.name === name)!.value - abi.KERNEL_OFFSET);
    const put = (pa: number, v: bigint) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, v, true); m.writePhysical(pa, b); };
    const client = kpa('kernel_procs') + abi.PROC.size;
    put(client + abi.PROC.fields.XCAP, (1n << 1n) | (1n << 5n));
    const seglists = kpa('kernel_seglists');
    const slot = new Uint8Array(m.readPhysical(seglists + abi.SEGLIST_SLOTS * abi.SS.size, 32)!);
    m.writePhysical(seglists + abi.SEGLIST_SLOTS * abi.SS.size + abi.SS.size, slot);
    const serverTcb = kpa('kernel_tcbs');
    put(serverTcb + abi.TCB.fields.XLINK, BigInt(kpa('kernel_linkstacks')) + 64n);
    const bad = ins.checkInvariants();
    assert.ok(bad.includes('process client: its bitmap grants x-entry 5, which is not valid'), bad.join('\n'));
    assert.ok(bad.some((b) => /relay segment msg is active in 2 places/.test(b)), bad.join('\n'));
    assert.ok(bad.some((b) => /thread server\.main: xlink 0x[0-9a-f]+ is not a record boundary/.test(b)), bad.join('\n'));
  });
});
