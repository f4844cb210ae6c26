import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { abiIncSource, ERRORS, REPLY, SYSCALLS } from '../../kernel/abi/abi';
import { checkKernelInvariants, inspectKernel } from '../../kernel/inspect/inspect';
import { buildKernel, buildSystem, buildSystemFrom } from '../../kernel/system/build';
import { readElf } from '../../emulator/elf/elf-reader';
import { Machine } from '../../emulator/machine/machine';
import { ROOT, example, runDescription, runImage, runSystem, buildOrThrow } from './harness';

const FIXTURES = path.join(ROOT, 'test', 'kernel', 'fixtures');
const lines = (...l: string[]) => l.map((x) => x + '\n').join('');

describe('kernel: ABI and build', () => {
  it('kernel/include/abi.inc is generated from kernel/abi (npm run gen)', () => {
    assert.equal(fs.readFileSync(path.join(ROOT, 'kernel', 'include', 'abi.inc'), 'utf8'), abiIncSource());
  });

  it('the .inc defines every syscall and error code once', () => {
    const inc = abiIncSource();
    for (const name of [...Object.keys(SYSCALLS), ...Object.keys(ERRORS)]) {
      assert.equal(inc.split('\n').filter((l) => l.startsWith(`.equ ${name} `)).length, 1, name);
    }
  });

  it('assembles the kernel from source at its upper-half addresses', () => {
    const k = buildKernel();
    assert.deepEqual(k.diagnostics.filter((d) => d.severity === 'error'), []);
    const start = k.image!.symbols.find((s) => s.name === '_start')!;
    assert.equal(start.value, 0xffff_ffc0_8000_0000n);
    assert.ok(k.image!.symbols.some((s) => s.name === 'fastpath_call'));
    assert.ok(k.image!.lineSequences.length > 0, 'line tables for the debugger');
  });

  it('writes one boot ELF at physical addresses with per-process images at user addresses', () => {
    const img = buildOrThrow(example('echo-ipc'));
    const elf = readElf(img.elf, 'boot.elf');
    assert.equal(elf.entry, 0x8000_0000n);
    for (const seg of elf.segments.filter((s) => s.type === 1)) assert.ok(seg.paddr >= 0x8000_0000n, `segment at 0x${seg.paddr.toString(16)}`);
    assert.deepEqual(img.processes.map((p) => [p.name, p.asid]), [['server', 1], ['client', 2]]);
    const client = img.processes[1];
    assert.equal(client.entry, client.image.symbols.find((s) => s.name === '_start')!.value);
    assert.ok(client.entry >= 0x10000n && client.entry < 0x20000n);
    assert.ok(client.image.lineSequences[0].rows.some((r) => r.file.endsWith('client.S')));
    assert.equal(client.capNames.get('SERVER'), 1);
    assert.ok(client.placement.some((p) => p.what.startsWith('ipc buffer')));
  });
});

describe('kernel: examples (exact output, exit 0)', () => {
  it('hello', () => {
    const r = runSystem(example('hello'));
    assert.equal(r.output, "hello from process 'hello'\n");
    assert.equal(r.code, 0);
  });

  it('echo-ipc: register message (fastpath) and a long message through the IPC buffer', () => {
    const r = runSystem(example('echo-ipc'));
    assert.equal(r.output, lines(
      'client: calling the echo server',
      'client: 1+2+3+4+5+6 = 21, my badge is 42',
      "client: long reply: A LONG MESSAGE TRAVELS THROUGH THE IPC BUFFER, COPIED BY THE KERNEL FROM THE SENDER'S BUFFER TO THE RECEIVER'S, AS SEL4'S SLOWPATH DOES.",
    ));
    assert.equal(r.code, 0);
  });

  const pingpong = lines(
    'boss: waiting for a signal (priority 20, runs first)',
    'ping: spinning until pong runs (only the timer tick can preempt me)',
    'pong: running while ping still spins',
    'pong: signalling boss',
    'boss: woken with badge 1, before pong could print another line',
    'ping: pong ran, so the tick preempted me',
    'ping 1', 'pong 1', 'ping 2', 'pong 2', 'ping 3', 'pong 3',
    'ping: done',
  );
  for (const timing of ['off', 'rocket2019'] as const) {
    it(`pingpong: priorities and preemption (timing ${timing})`, () => {
      const r = runSystem(example('pingpong'), { timing });
      assert.equal(r.output, pingpong);
      assert.equal(r.code, 0);
    });
  }

  it('crash: one process faults, the other finishes', () => {
    const r = runSystem(example('crash'));
    assert.equal(r.output, lines(
      'faulty: about to read address 0',
      '[kernel] fault: process faulty, thread main: load page fault at pc 0x1003c, tval 0x0',
      'worker: step 1 of 3', 'worker: step 2 of 3', 'worker: step 3 of 3',
      'worker: finished despite the crash',
    ));
    assert.equal(r.code, 0);
    const v = inspectKernel(r.machine, r.image);
    assert.deepEqual(v.processes.map((p) => [p.name, p.state, p.exitCode]), [['faulty', 'faulted', 128 + 13], ['worker', 'exited', 0]]);
  });

  it('the kernel invariants hold after every example', () => {
    for (const name of ['hello', 'echo-ipc', 'pingpong', 'crash']) {
      const r = runSystem(example(name));
      assert.deepEqual(checkKernelInvariants(r.machine, r.image), [], name);
    }
  });

  it('takes the fastpath for a register-only Call and the slowpath for a long message', () => {
    const image = buildOrThrow(example('echo-ipc'));
    const m = new Machine({ timing: 'off' });
    m.load(image.elf, 'boot.elf');
    const at = (name: string) => Number(BigInt.asIntN(64, image.kernel.symbols.find((s) => s.name === name)!.value));
    const hits = new Map<number, number>();
    m.hart.setBreakpoints([{ pc: at('fastpath_switch') }, { pc: at('do_send') }]);
    let stop = m.run(5_000_000);
    while (stop.kind === 'breakpoint') { hits.set(stop.pc, (hits.get(stop.pc) ?? 0) + 1); stop = m.run(5_000_000); }
    assert.equal(stop.kind, 'exit');
    // Call 1 (registers) meets the waiting server: fastpath. Call 2 (a long message): slowpath.
    // The server's ReplyRecv replies to a lower priority, so it is slowpath too (as seL4's).
    assert.equal(hits.get(at('fastpath_switch')), 1);
    assert.equal(hits.get(at('do_send')), 1);
  });

  it('is deterministic: two runs take identical cycles (rocket2019)', () => {
    const a = runSystem(example('echo-ipc'), { timing: 'rocket2019' });
    const b = runSystem(example('echo-ipc'), { timing: 'rocket2019' });
    assert.equal(a.code, 0);
    assert.equal(a.cycles, b.cycles);
    assert.equal(a.instructions, b.instructions);
    assert.equal(a.output, b.output);
  });
});

describe('kernel: faults and error codes', () => {
  it('reports every user fault path in one line and ends only that process', () => {
    const r = runSystem(path.join(FIXTURES, 'faults.json'));
    const got = r.output.trim().split('\n');
    const want: [string, string][] = [
      ['ld', 'load page fault'], ['st', 'store/AMO page fault'], ['fetch', 'instruction page fault'],
      ['ill', 'illegal instruction'], ['amo', 'store/AMO address misaligned'], ['lr', 'load address misaligned'],
      ['brk', 'breakpoint'],
    ];
    assert.equal(got.length, want.length, r.output);
    want.forEach(([proc, cause], i) => assert.match(got[i], new RegExp(`^\\[kernel\\] fault: process ${proc}, thread t: ${cause.replace('/', '\\/')} at pc 0x[0-9a-f]+, tval 0x[0-9a-f]+$`)));
    assert.match(got[0], /tval 0x123000$/);
    assert.match(got[2], /at pc 0x7000000, tval 0x7000000$/);
    assert.equal(r.code, 128 + 13, 'every process ended: the first non-zero exit code');
    const v = inspectKernel(r.machine, r.image);
    assert.ok(v.processes.every((p) => p.state === 'faulted' && p.threads.every((t) => t.state === 'dead')));
    assert.deepEqual(checkKernelInvariants(r.machine, r.image), []);
  });

  it('returns an error code for every invalid, wrong-type or rightless capability, never faults', () => {
    const r = runSystem(path.join(FIXTURES, 'caps.json'));
    const E = ERRORS;
    assert.equal(r.output, lines(...[
      E.E_INVALID_CAP, E.E_INVALID_CAP, E.E_INVALID_CAP, E.E_WRONG_TYPE, E.E_NO_RIGHTS, E.E_NO_RIGHTS, E.E_WRONG_TYPE,
      E.E_WRONG_TYPE, E.E_NO_CALLER, E.E_INVALID_CAP, E.E_WRONG_TYPE, E.E_INVALID_CAP, E.E_WRONG_TYPE, E.E_INVALID_CAP, E.E_BAD_ARG, E.E_BAD_ARG, E.E_BAD_SYSCALL, E.E_OK, E.E_OK, E.E_OK, 6, E.E_OK,
    ].map(String)));
    assert.equal(r.code, 0);
    const v = inspectKernel(r.machine, r.image);
    assert.equal(v.processes[0].threads[0].name, 'renamed-thread');
    assert.deepEqual(v.processes[0].capabilities.map((c) => `${c.slot} ${c.type} ${c.object} ${c.rights}`), [
      '1 notification n w', '2 endpoint ep r', '3 endpoint ep w', '4 process caps rw', '5 notification n rw', '6 thread caps.main rw', '7 reply r rw',
    ]);
  });

  it('IPC slowpaths: FIFO send queue, a queued Call, long messages both ways, NBSend dropped', () => {
    const r = runSystem(path.join(FIXTURES, 'ipc.json'));
    assert.equal(r.output, lines(
      's1: delivered', 'server: got 1 badge 7 len 0',
      's2: delivered', 'server: got 2 badge 7 len 6: hello',
      'server: got 3 badge 7 len 0', 'caller: reply 103: world', '0', 'server: replied',
    ));
    assert.equal(r.code, 0);
    const v = inspectKernel(r.machine, r.image);
    assert.deepEqual(v.processes[1].threads.map((t) => t.state), ['waiting on notification', 'waiting on notification', 'waiting on notification']);
    assert.deepEqual(checkKernelInvariants(r.machine, r.image), []);
  });

  it('reply objects: two Calls answered out of order, bound/unbound errors, a Call with no reply object', () => {
    const r = runSystem(path.join(FIXTURES, 'replies.json'));
    const E = ERRORS;
    assert.equal(r.output, lines(
      'server: got 1', `server: error ${E.E_NO_REPLY}`, 'server: got 2',
      'c2: reply 200', 'c1: reply 100', `server: error ${E.E_NO_CALLER}`,
      `c3: call error ${E.E_NO_REPLY}`, 'server: got 3', 'server: got 4',
    ));
    assert.equal(r.code, 0);
    const v = inspectKernel(r.machine, r.image);
    // The server exited with c4 still bound to r3: the caller stays blocked, nobody holds r3.
    assert.deepEqual(v.replies.map((x) => `${x.name} ${x.caller ?? '-'} ${x.holder ?? '-'}`), ['r1 - -', 'r2 - -', 'r3 clients.c4 -']);
    assert.deepEqual(v.processes[1].threads.map((t) => t.state), ['waiting on notification', 'waiting on notification', 'waiting on notification', 'blocked on reply']);
    assert.deepEqual(checkKernelInvariants(r.machine, r.image), []);
    // The check can fail: unbind r3 behind the caller's back, then bind r1 to a running thread.
    const sym = (n: string) => Number(r.image.kernel.symbols.find((s) => s.name === n)!.value - r.image.kernelOffset);
    const r3 = sym('kernel_replies') + 2 * REPLY.size + REPLY.fields.CALLER;
    const c4 = r.machine.readPhysical(r3, 8)!;
    r.machine.writePhysical(r3, new Uint8Array(8));
    assert.ok(checkKernelInvariants(r.machine, r.image).some((m) => /clients\.c4 is blocked on reply object r3, which is not bound to it/.test(m)));
    r.machine.writePhysical(r3, c4);
    const tcb0 = new Uint8Array(8);
    new DataView(tcb0.buffer).setBigUint64(0, BigInt(sym('kernel_tcbs')) + r.image.kernelOffset, true);
    r.machine.writePhysical(sym('kernel_replies') + REPLY.fields.CALLER, tcb0);
    assert.ok(checkKernelInvariants(r.machine, r.image).some((m) => /^reply object r1: bound to server\.main, which is dead$/.test(m)));
  });

  it('a server holding a reply object in the description lists it in the inspector while serving', () => {
    const r = runSystem(example('echo-ipc'));
    const v = inspectKernel(r.machine, r.image);
    assert.deepEqual(v.replies.map((x) => `${x.name} ${x.caller ?? '-'} ${x.holder ?? '-'}`), ['echo-reply - server slot 2']);
    assert.ok(v.processes[0].capabilities.some((c) => c.type === 'reply' && c.object === 'echo-reply'));
  });

  it('the validator refuses a reply object held by two capabilities or unknown', () => {
    const d = buildSystemFrom({
      endpoints: [{ name: 'e' }], replies: [{ name: 'r' }],
      processes: [
        { name: 'a', sources: ['a.S'], caps: [{ slot: 1, reply: 'r' }, { slot: 2, reply: 'nope' }] },
        { name: 'b', sources: ['a.S'], caps: [{ slot: 1, reply: 'r' }] },
      ],
    }, path.join(os.tmpdir(), 'system.json'));
    assert.deepEqual(d.diagnostics.map((x) => x.path), ['processes[0].caps[1].reply', 'processes[1].caps[0].reply']);
    assert.match(d.diagnostics[1].message, /reply object 'r' is already held by processes\[0\]\.caps\[0\]/);
  });

  it('maps shared memory (read-only where asked) and the heap', () => {
    const r = runSystem(path.join(FIXTURES, 'shared.json'));
    assert.equal(r.output, lines('through shared memory', '77',
      '[kernel] fault: process reader, thread main: store/AMO page fault at pc 0x10090, tval 0x50000000'));
    assert.equal(r.code, 128 + 15);
    const reader = r.image.processes[0];
    assert.ok(reader.placement.some((p) => p.what === 'memory page' && p.va === 0x5000_0000n && p.perms === 'r--'));
    assert.equal(reader.placement.find((p) => p.what === 'memory page')!.pa, r.image.processes[1].placement.find((p) => p.what === 'memory page')!.pa);
  });

  it('runs a process given as an ELF (xpc asm --layout user), with its symbols and lines', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-kernel-'));
    try {
      const elf = path.join(dir, 'hello.elf');
      const a = spawnSync(process.execPath, [path.join(ROOT, 'out', 'cli', 'xpc.js'), 'asm', '--layout', 'user', '-I', path.join(ROOT, 'kernel', 'include'), '-o', elf, path.join(ROOT, 'examples', 'hello', 'hello.S')], { encoding: 'utf8' });
      assert.equal(a.status, 0, a.stderr);
      const r = runDescription({ processes: [{ name: 'fromelf', elf: 'hello.elf' }] }, dir);
      assert.equal(r.output, "hello from process 'hello'\n");
      assert.equal(r.code, 0);
      const p = r.image.processes[0];
      assert.ok(p.image.symbols.some((s) => s.name === 'message'));
      assert.ok(p.image.lineSequences.some((q) => q.rows.some((row) => row.file.endsWith('hello.S'))));
      fs.writeFileSync(path.join(dir, 'bare.elf'), fs.readFileSync(elf).subarray(0, 100));
      const bad = buildSystemFrom({ processes: [{ name: 'x', elf: 'bare.elf' }, { name: 'y', elf: 'hello.elf', sources: ['a.S'] }] }, path.join(dir, 'system.json'));
      assert.deepEqual(bad.diagnostics.map((d) => d.path), ['processes[1].sources']);
      const bad2 = buildSystemFrom({ processes: [{ name: 'x', elf: 'bare.elf' }] }, path.join(dir, 'system.json'));
      assert.deepEqual(bad2.diagnostics.map((d) => d.path), ['processes[0].elf']);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('a fault ends every thread of the process, taking them out of endpoint and ready queues', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-kernel-'));
    try {
      fs.writeFileSync(path.join(dir, 'multi.S'), [
        '.include "user.inc"', '.globl waiter, spinner, crasher, other',
        'waiter: li a6, 1', ' li t2, REPLY_NONE', ' SYSCALL SYS_RECV', ' PRINT bad',
        'spinner: SYSCALL SYS_YIELD', ' j spinner',
        'crasher: unimp',
        'other: li a6, 1', ' li t0, 0', ' SYSCALL SYS_NBSEND', ' mv a0, a7', ' call put_dec', ' li a0, 0', ' SYSCALL SYS_EXIT',
        '.section .rodata', 'bad: .asciz "waiter woke?!\\n"', '',
      ].join('\n'));
      const r = runDescription({
        endpoints: [{ name: 'e' }], exitOn: 'other',
        processes: [
          { name: 'multi', sources: ['multi.S'], priority: 10, caps: [{ slot: 1, endpoint: 'e' }],
            threads: [{ name: 'waiter', entry: 'waiter', priority: 12 }, { name: 'spinner', entry: 'spinner', priority: 11 }, { name: 'crasher', entry: 'crasher', priority: 11 }] },
          { name: 'other', sources: ['multi.S'], priority: 1, caps: [{ slot: 1, endpoint: 'e' }], threads: [{ name: 'main', entry: 'other' }] },
        ],
      }, dir);
      assert.match(r.output, /^\[kernel\] fault: process multi, thread crasher: illegal instruction at pc 0x[0-9a-f]+, tval 0x0\n0$/);
      assert.equal(r.code, 0);
      const v = inspectKernel(r.machine, r.image);
      assert.deepEqual(v.processes[0].threads.map((t) => t.state), ['dead', 'dead', 'dead']);
      assert.deepEqual(checkKernelInvariants(r.machine, r.image), []);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('ends the run with the deadlock code when no thread can run again', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-kernel-'));
    try {
      fs.writeFileSync(path.join(dir, 'wait.S'), '.include "abi.inc"\n.globl _start\n_start:\n li a6, 1\n li t2, REPLY_NONE\n li a7, SYS_RECV\n ecall\n');
      const r = runDescription({ endpoints: [{ name: 'e' }], processes: [{ name: 'a', sources: ['wait.S'], caps: [{ slot: 1, endpoint: 'e' }] }, { name: 'b', sources: ['wait.S'], caps: [{ slot: 1, endpoint: 'e' }] }] }, dir);
      assert.equal(r.output, '[kernel] no thread can run again: deadlock\n');
      assert.equal(r.code, 3);
      const v = inspectKernel(r.machine, r.image);
      assert.deepEqual(v.processes.map((p) => p.threads[0].state), ['blocked on receive', 'blocked on receive']);
      assert.equal(v.current?.name, 'idle');
      assert.deepEqual(checkKernelInvariants(r.machine, r.image), []);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('a trap inside the kernel is reported as a panic (exit 99), not taken for a user fault', () => {
    const image = buildOrThrow(example('echo-ipc'));
    const m = new Machine({ timing: 'off' });
    m.load(image.elf, 'boot.elf');
    // Corrupt the boot info: the client's endpoint cap now points into unmapped kernel space.
    const bi = 0x8020_0000;
    const caps = Number(new DataView(m.readPhysical(bi + 80, 8)!.buffer).getBigUint64(0, true));
    const rec = bi + caps + 48 * 2 + 24; // record 2: the client's endpoint cap
    const bad = new Uint8Array(8);
    new DataView(bad.buffer).setBigInt64(0, -0x200_0000n, true);
    m.writePhysical(rec, bad);
    const out: number[] = [];
    m.onUartOutput((b) => out.push(b));
    const stop = m.run(5_000_000);
    assert.deepEqual(stop, { kind: 'exit', code: 99, via: 'finisher' });
    assert.match(Buffer.from(out).toString(), /^client: calling the echo server\n\[kernel\] panic: trap in the kernel, scause 0xd at pc 0xffffffc08[0-9a-f]+, tval 0xffffffc04[0-9a-f]+\n$/);
  });

  it('the invariant check catches a corrupted capability and a broken queue', () => {
    const r = runSystem(example('echo-ipc'));
    const sym = (n: string) => Number(r.image.kernel.symbols.find((s) => s.name === n)!.value - r.image.kernelOffset);
    const slot = sym('kernel_procs') + 256 + 32 * 1; // server's slot 1
    r.machine.writePhysical(slot + 8, new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0])); // object pointer garbage
    const bitmap = sym('ready_bitmap');
    r.machine.writePhysical(bitmap, new Uint8Array([0, 0, 0, 1, 0, 0, 0, 0]));
    const bad = checkKernelInvariants(r.machine, r.image);
    assert.ok(bad.some((b) => /server slot 1: endpoint capability points at/.test(b)), bad.join('\n'));
    assert.ok(bad.some((b) => /ready bitmap bit 24/.test(b)), bad.join('\n'));
  });
});

describe('kernel: system description validation', () => {
  it('lists every problem by JSON path and builds nothing', () => {
    const r = buildSystemFrom({
      tick: 1,
      exitOn: 'nobody',
      endpoints: [{ name: 'e' }, { name: 'e' }],
      processes: [
        { name: 'a', sources: ['x.S'], priority: 40, stackSize: 12, caps: [{ slot: 1, endpoint: 'missing' }, { slot: 1, notification: 'n' }, { slot: 99, process: 'a' }], maps: [{ memory: 'm' }] },
        { name: 'a', sources: [], threads: [{ name: 't' }, { name: 't', entry: '' }], colour: 'red' },
      ],
    }, path.join(FIXTURES, 'system.json'));
    assert.equal(r.image, undefined);
    const paths = r.diagnostics.map((d) => d.path);
    for (const p of [
      'tick', 'exitOn', 'endpoints[1].name', 'processes[0].priority', 'processes[0].stackSize', 'processes[0].caps[0].endpoint',
      'processes[0].caps[1].slot', 'processes[0].caps[1].notification', 'processes[0].caps[2].slot', 'processes[0].maps[0].memory',
      'processes[1].name', 'processes[1].sources', 'processes[1].threads[1].name', 'processes[1].threads[1].entry', 'processes[1].colour',
    ]) assert.ok(paths.includes(p), `missing ${p} in\n${r.diagnostics.map((d) => `${d.path}: ${d.message}`).join('\n')}`);
    assert.match(r.diagnostics.find((d) => d.path === 'endpoints[1].name')!.message, /duplicate name 'e'/);
    assert.match(r.diagnostics.find((d) => d.path === 'processes[0].caps[0].endpoint')!.message, /unknown endpoint 'missing'/);
  });

  it('reports assembler errors with file:line and missing entry symbols, by process', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-kernel-'));
    try {
      fs.writeFileSync(path.join(dir, 'bad.S'), '.globl _start\n_start:\n  addi a0, a0\n');
      fs.writeFileSync(path.join(dir, 'good.S'), '.globl _start\n_start:\n  j _start\n');
      const r = buildSystemFrom({ processes: [
        { name: 'bad', sources: ['bad.S'] },
        { name: 'noentry', sources: ['good.S'], threads: [{ name: 'main', entry: 'nowhere' }] },
        { name: 'nofile', sources: ['absent.S'] },
      ] }, path.join(dir, 'system.json'));
      assert.equal(r.image, undefined);
      const bad = r.diagnostics.find((d) => d.path === 'processes[0].sources');
      assert.ok(bad, JSON.stringify(r.diagnostics));
      assert.match(bad.message, /bad\.S:3:\d+: error:/);
      assert.ok(r.diagnostics.some((d) => d.path === 'processes[1].threads[0].entry' && /'nowhere'/.test(d.message)));
      assert.ok(r.diagnostics.some((d) => d.path === 'processes[2].sources[0]' && /not found/.test(d.message)));
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('refuses a system that does not fit in RAM', () => {
    const procs = Array.from({ length: 9 }, (_, i) => ({ name: `p${i}`, sources: [path.join(ROOT, 'examples', 'hello', 'hello.S')], heapSize: 16 << 20 }));
    const r = buildSystemFrom({ processes: procs }, path.join(FIXTURES, 'system.json'));
    assert.equal(r.image, undefined);
    assert.match(r.diagnostics.map((d) => d.message).join('\n'), /needs \d+ MiB of RAM; the board has 128 MiB/);
  });

  it('refuses a file that is not JSON with one message', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-kernel-'));
    try {
      fs.writeFileSync(path.join(dir, 's.json'), '{ "processes": [ }');
      const r = buildSystem(path.join(dir, 's.json'));
      assert.equal(r.diagnostics.length, 1);
      assert.match(r.diagnostics[0].message, /not valid JSON/);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('ships the JSON schema the extension registers, covering every description property', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'kernel', 'system', 'system.schema.json'), 'utf8'));
    assert.deepEqual(Object.keys(schema.properties).sort(), ['$schema', 'endpoints', 'exitOn', 'grants', 'memory', 'notifications', 'processes', 'relaySegments', 'replies', 'tick', 'xEntries']);
    assert.deepEqual(Object.keys(schema.properties.processes.items.properties).sort(),
      ['caps', 'elf', 'heapSize', 'includeDirs', 'maps', 'name', 'priority', 'sources', 'stackSize', 'threads']);
  });
});

describe('kernel: CLI', () => {
  const CLI = path.join(ROOT, 'out', 'cli', 'xpc.js');
  const xpc = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

  it('xpc build writes a boot image that xpc run runs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-kernel-'));
    try {
      const out = path.join(dir, 'hello.elf');
      const b = xpc('build', example('hello'), '-o', out);
      assert.equal(b.status, 0, b.stderr);
      const r = xpc('run', out);
      assert.equal(r.stdout, "hello from process 'hello'\n");
      assert.equal(r.status, 0);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('xpc run system.json builds and runs; an invalid description runs nothing', () => {
    const r = xpc('run', '--timing', 'off', example('crash'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /worker: finished despite the crash/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-kernel-'));
    try {
      fs.writeFileSync(path.join(dir, 's.json'), JSON.stringify({ processes: [{ name: 'p', sources: ['nope.S'], priority: 99 }] }));
      const bad = xpc('run', path.join(dir, 's.json'));
      assert.equal(bad.status, 2);
      assert.equal(bad.stdout, '');
      assert.match(bad.stderr, /processes\[0\]\.priority: priority 99 is out of range/);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});

export { runImage };
