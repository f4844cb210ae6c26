import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build, imageToElf } from '../../language/asm';
import { Machine } from '../../emulator/machine/machine';
import { XpcEvent } from '../../emulator/hart/xpc';

/**
 * Engine-level checks written from TypeScript: tables are built with the debugger's memory
 * writes and CSRs set directly, so each rule is exercised in isolation. (The self-checking
 * programs in test/emulator/xpc exercise the same rules from guest code.)
 */

const TABLE = 0x80100000, BITMAP = 0x80101000, LINK = 0x80102000, SEGLIST = 0x80103000, SEG_PA = 0x80104000;

function u64s(...v: bigint[]): Uint8Array {
  const b = new Uint8Array(8 * v.length);
  const dv = new DataView(b.buffer);
  v.forEach((x, i) => dv.setBigUint64(8 * i, BigInt.asUintN(64, x), true));
  return b;
}

function setup(source: string): { m: Machine; sym: (n: string) => number; events: XpcEvent[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-eng-'));
  const file = path.join(dir, 'p.S');
  fs.writeFileSync(file, source);
  const r = build([{ path: file }]);
  fs.rmSync(dir, { recursive: true, force: true });
  if (!r.image) throw new Error(r.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n'));
  const m = new Machine({ ramSize: 4 << 20 });
  m.load(imageToElf(r.image), 'p.elf');
  const sym = (n: string) => Number(r.image!.symbols.find((s) => s.name === n)?.value ?? 0n);
  const h = m.hart;
  // Boot straight into the program in M-mode, with the XPC registers of a small system.
  h.pc = sym('_start');
  const set = (name: string, v: bigint) => h.writeCsr(({ xentry_base: 0x5c0, xentry_size: 0x5c1, xcap: 0x5c2, xlink: 0x5c3, xlink_base: 0x5c4, xlink_limit: 0x5c5, xseglist: 0x5c6, xseglist_len: 0x5c7, xdomain: 0x5c8, xctl: 0x5c9, xseg_va: 0x5ca, xseg_pa: 0x5cb, xseg_len: 0x5cc, xseg_perm: 0x5cd } as Record<string, number>)[name], v);
  set('xentry_base', BigInt(TABLE)); set('xentry_size', 4n); set('xcap', BigInt(BITMAP));
  set('xlink', BigInt(LINK)); set('xlink_base', BigInt(LINK)); set('xlink_limit', BigInt(LINK + 2 * 128));
  set('xseglist', BigInt(SEGLIST)); set('xseglist_len', 2n); set('xdomain', 1n);
  set('xseg_va', 0x40000000n); set('xseg_pa', BigInt(SEG_PA)); set('xseg_len', 0x1000n); set('xseg_perm', 3n);
  set('xctl', 1n);
  // Entry 2: valid, callee domain 7, entry pc = `callee`, its own cap bitmap and seg-list.
  m.writePhysical(TABLE + 2 * 64, u64s(0n, BigInt(BITMAP), BigInt(sym('callee')), BigInt(SEGLIST + 64), 1n, 7n, 1n, 0n));
  m.writePhysical(BITMAP, new Uint8Array([0b0100]));
  const events: XpcEvent[] = [];
  h.xpc.onEvent = (e) => events.push(e);
  return { m, sym, events };
}

const CALLER = `
  .globl _start
_start:
  li a0, 2
  xcall a0
back:
  ebreak
  .balign 4
callee:
  csrr a1, xcaller
  csrr a2, xdomain
  li a3, 0x100
  csrw segmask_off, a3
  xret
`;

describe('XPC engine', () => {
  it('xcall pushes a linkage record, switches domain and hands the whole segment; xret restores', () => {
    const { m, sym, events } = setup(CALLER);
    m.hart.setBreakpoints([sym('callee')]);
    assert.deepEqual(m.run(100), { kind: 'breakpoint', pc: sym('callee') });
    const x = m.hart.xpc;
    assert.equal(x.xdomain, 7n);
    assert.equal(x.xcaller, 1n);
    assert.equal(x.xlink, BigInt(LINK + 128));
    const v = x.view();
    assert.equal(v.linkStack.length, 1);
    const rec = v.linkStack[0].record;
    assert.equal(rec.retPc, BigInt(sym('back')));
    assert.equal(rec.domain, 1n);
    assert.equal(rec.flags, 1n);
    assert.deepEqual(rec.handed, { va: 0x40000000n, len: 0x1000n, perm: 3n });
    assert.deepEqual(v.segment, { va: 0x40000000n, pa: BigInt(SEG_PA), len: 0x1000n, perm: 3n });
    m.hart.setBreakpoints([sym('back')]);
    assert.deepEqual(m.run(100), { kind: 'breakpoint', pc: sym('back') });
    assert.equal(m.hart.getReg(11), 1n); // xcaller seen by the callee
    assert.equal(m.hart.getReg(12), 7n); // xdomain seen by the callee
    assert.equal(x.xdomain, 1n);
    assert.equal(x.xlink, BigInt(LINK));
    assert.equal(x.segmaskOff, 0n, 'seg-mask reset by xret');
    assert.equal(x.view().linkStack.length, 0);
    assert.deepEqual(events.map((e) => e.kind), ['xcall', 'xret']);
  });

  it('raises 25 for a missing cap bit and changes nothing', () => {
    const { m } = setup(CALLER);
    m.writePhysical(BITMAP, new Uint8Array([0]));
    m.hart.setTrapStops([25]);
    const before = m.hart.xpc.capture();
    assert.deepEqual(m.run(100), { kind: 'trap', cause: 25, interrupt: false });
    assert.equal(m.hart.readCsr(0x343), 2n); // mtval = id
    assert.deepEqual(m.hart.xpc.capture(), before);
  });

  it('raises 24 for an id beyond xentry_size and for a non-valid entry (0 never is)', () => {
    for (const id of [4, 0, 3]) {
      const { m } = setup(CALLER.replace('li a0, 2', `li a0, ${id}`));
      m.hart.setTrapStops([24]);
      assert.deepEqual(m.run(100), { kind: 'trap', cause: 24, interrupt: false }, `id ${id}`);
      assert.equal(m.hart.readCsr(0x343), BigInt(id));
    }
  });

  it('a negative id prefetches and changes nothing architectural', () => {
    const { m, events } = setup(CALLER.replace('li a0, 2', 'li a0, -2'));
    const before = m.hart.xpc.capture().regs;
    m.hart.setTrapStops([3]);
    m.run(100);
    assert.deepEqual(m.hart.xpc.capture().regs, before);
    assert.deepEqual(events.map((e) => e.kind), ['prefetch']);
  });

  it('is illegal while xctl.EN = 0', () => {
    const { m } = setup(CALLER);
    m.hart.writeCsr(0x5c9, 0n);
    m.hart.setTrapStops([2]);
    assert.deepEqual(m.run(100), { kind: 'trap', cause: 2, interrupt: false });
  });

  it('raises 28 when the link stack is full and 26 on xret with an empty one', () => {
    const full = setup(CALLER);
    full.m.hart.writeCsr(0x5c5, BigInt(LINK + 64)); // limit below one record
    full.m.hart.setTrapStops([28]);
    assert.deepEqual(full.m.run(100), { kind: 'trap', cause: 28, interrupt: false });
    assert.equal(full.m.hart.readCsr(0x343), BigInt(LINK));
    const empty = setup('  .globl _start\n_start:\n  xret\n');
    empty.m.hart.setTrapStops([26]);
    assert.deepEqual(empty.m.run(100), { kind: 'trap', cause: 26, interrupt: false });
  });

  it('swapseg exchanges seg-reg with a slot, and raises 27 past the seg-list', () => {
    const { m } = setup('  .globl _start\n_start:\n  li a0, 1\n  swapseg a0\n  li a0, 2\n  swapseg a0\n');
    m.writePhysical(SEGLIST + 32, u64s(0x50000000n, 0x80105000n, 0x2000n, 1n));
    m.hart.setTrapStops([27]);
    assert.deepEqual(m.run(100), { kind: 'trap', cause: 27, interrupt: false });
    assert.deepEqual(m.hart.xpc.view().segment, { va: 0x50000000n, pa: 0x80105000n, len: 0x2000n, perm: 1n });
    assert.deepEqual(m.hart.xpc.view().seglist[1], { va: 0x40000000n, pa: BigInt(SEG_PA), len: 0x1000n, perm: 3n });
  });

  /** Drops to U-mode (Bare translation) and runs `body` there. */
  const inUserMode = (body: string) => `
  .globl _start
_start:
  la t0, user
  csrw mepc, t0
  li t0, 0x1800
  csrc mstatus, t0
  mret
user:
${body}
`;

  it('translates U-mode accesses in the relay segment ahead of the page table, with its permissions', () => {
    const { m } = setup(inUserMode('  li t1, 0x40000010\n  li t2, 0x1234\n  sd t2, 0(t1)\n  ld t3, 0(t1)\n  ecall'));
    m.hart.setTrapStops([8]);
    assert.deepEqual(m.run(100), { kind: 'trap', cause: 8, interrupt: false });
    assert.equal(m.hart.getReg(28), 0x1234n);
    assert.deepEqual([...m.readPhysical(SEG_PA + 0x10, 2)!], [0x34, 0x12]);
    // Read-only segment: the store faults with a store access fault.
    const ro = setup(inUserMode('  li t1, 0x40000010\n  sd t1, 0(t1)'));
    ro.m.hart.writeCsr(0x5cd, 1n);
    ro.m.hart.setTrapStops([7]);
    assert.deepEqual(ro.m.run(100), { kind: 'trap', cause: 7, interrupt: false });
    assert.equal(ro.m.hart.readCsr(0x343), 0x40000010n);
  });
});
