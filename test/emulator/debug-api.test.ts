import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build, imageToElf } from '../../language/asm';
import { Machine } from '../../emulator/machine/machine';

function machineFor(source: string): { m: Machine; sym: (n: string) => number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-dbg-'));
  const file = path.join(dir, 'p.S');
  fs.writeFileSync(file, source);
  const r = build([{ path: file }]);
  fs.rmSync(dir, { recursive: true, force: true });
  if (!r.image) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  const m = new Machine({ ramSize: 1 << 22 });
  m.load(imageToElf(r.image), 'p.elf');
  const syms = r.image.symbols;
  return { m, sym: (n) => Number(syms.find((s) => s.name === n)!.value) };
}

const PROGRAM = `
  .globl _start
_start:
  la t0, counter
  li t1, 3
loop:
  ld t2, 0(t0)
  addi t2, t2, 1
  sd t2, 0(t0)
  addi t1, t1, -1
  bnez t1, loop
  ecall
done:
  j done
  .data
  .balign 8
counter: .dword 40
`;

describe('emulator API for the debugger', () => {
  it('stops at a breakpoint before the instruction, and resumes past it', () => {
    const { m, sym } = machineFor(PROGRAM);
    m.hart.setBreakpoints([sym('loop')]);
    const first = m.run(1000);
    assert.deepEqual(first, { kind: 'breakpoint', pc: sym('loop') });
    const steps = m.hart.steps;
    assert.deepEqual(m.run(1000), { kind: 'breakpoint', pc: sym('loop') });
    assert.ok(m.hart.steps > steps, 'resumed and came around the loop');
  });

  it('stops at a physical breakpoint, and at a virtual one only in the ASID it names', () => {
    const phys = machineFor(PROGRAM);
    phys.m.hart.setBreakpoints([{ pa: phys.sym('loop') }]);
    assert.deepEqual(phys.m.run(1000), { kind: 'breakpoint', pc: phys.sym('loop') });
    const other = machineFor(PROGRAM);
    other.m.hart.setBreakpoints([{ pc: other.sym('loop'), asid: 5 }]);
    // Bare mode runs with ASID 0: the breakpoint is for another address space.
    assert.deepEqual(other.m.run(1000), { kind: 'limit' });
    const same = machineFor(PROGRAM);
    same.m.hart.setBreakpoints([{ pc: same.sym('loop'), asid: 0 }]);
    assert.deepEqual(same.m.run(1000), { kind: 'breakpoint', pc: same.sym('loop') });
  });

  it('stops after a write to a watched physical range, naming the access', () => {
    const { m, sym } = machineFor(PROGRAM);
    m.hart.setWatchpoints([{ start: sym('counter'), end: sym('counter') + 8, read: false, write: true }]);
    const stop = m.run(1000);
    assert.equal(stop.kind, 'watchpoint');
    assert.equal(stop.kind === 'watchpoint' && stop.access, 'write');
    assert.deepEqual([...m.readPhysical(sym('counter'), 8)!], [41, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('stops on a chosen trap cause after taking it', () => {
    const { m } = machineFor(PROGRAM);
    m.hart.setTrapStops([11]);
    const stop = m.run(1000);
    assert.deepEqual(stop, { kind: 'trap', cause: 11, interrupt: false });
    assert.equal(m.hart.readCsr(0x342), 11n);
  });

  it('reads memory and device registers without side effects', () => {
    const { m, sym } = machineFor(PROGRAM);
    m.board.uart.pushInput(new Uint8Array([65]));
    // The UART's receive register through the debugger: the byte stays queued.
    assert.equal(m.readPhysical(0x10000000, 1)![0], 65);
    assert.equal(m.readPhysical(0x10000000, 1)![0], 65);
    assert.equal(m.board.uart.inputPending, 1);
    assert.equal(m.readPhysical(0x4000_0000, 4), undefined);
    assert.deepEqual(m.readVirtual(sym('counter'), 2), [40, 0]);
  });

  it('survives any guest: random instruction words never throw in the host, with or without blocks', () => {
    let seed = 7;
    const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed; };
    for (let round = 0; round < 20; round++) {
      const { m } = machineFor('.globl _start\n_start: nop\n');
      const words = new Uint8Array(4096);
      for (let i = 0; i < words.length; i++) words[i] = rnd() & 0xff;
      m.writePhysical(0x80000000, words);
      for (let r = 1; r < 32; r++) m.hart.setReg(r, (BigInt(rnd()) << 32n) | BigInt(rnd()));
      m.hart.pc = 0x80000000;
      m.hart.jitThreshold = round % 2 ? 1 : 0;
      m.hart.writeCsr(0x305, 0x80000000n); // traps land back in the random code
      assert.doesNotThrow(() => m.run(20_000));
    }
  });

  it('writes RAM for the debugger and the hart sees the new instructions', () => {
    const { m, sym } = machineFor(PROGRAM);
    m.hart.setBreakpoints([sym('loop')]);
    m.run(100);
    m.hart.setBreakpoints([]);
    // Replace `ld t2, 0(t0)` with `li t2, 99` (addi t2, zero, 99) and let the loop store it.
    assert.ok(m.writePhysical(sym('loop'), new Uint8Array([0x93, 0x03, 0x30, 0x06])));
    m.hart.setTrapStops([11]);
    m.run(1000);
    assert.deepEqual([...m.readPhysical(sym('counter'), 1)!], [100]);
  });
});
