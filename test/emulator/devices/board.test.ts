/** createBoard: the memory map of platform.md, the wiring between devices, whole-board snapshots. */

import { strict as assert } from 'node:assert';
import { IER, LSR, MIP, PLIC_CONTEXT_BASE, UART_REG, createBoard } from '../../../emulator/devices';
import { FakeHost } from './fake-host';

describe('board', () => {
  it('puts the devices at the platform.md addresses, sorted by base, without overlaps', () => {
    const { devices } = createBoard(new FakeHost());
    assert.deepEqual(devices.map((d) => [d.name, d.base, d.size]), [
      ['boot-rom', 0x1000, 0x1000],
      ['test-finisher', 0x10_0000, 0x1000],
      ['clint', 0x200_0000, 0x1_0000],
      ['plic', 0xc00_0000, 0x400_0000],
      ['uart', 0x1000_0000, 0x100],
    ]);
    for (let i = 1; i < devices.length; i++) assert.ok(devices[i - 1].base + devices[i - 1].size <= devices[i].base);
  });

  it('routes the UART interrupt through PLIC source 10 to MEIP, with claim and complete', () => {
    const host = new FakeHost();
    const { uart, plic } = createBoard(host);
    plic.write(4 * 10, 4, 1n);
    plic.write(0x2000, 4, 1n << 10n);
    uart.write(UART_REG.IER_DLM, 1, BigInt(IER.RDI));
    assert.ok(!host.has(MIP.MEIP));
    uart.pushInput(Uint8Array.of(0x61, 0x62));
    assert.ok(host.has(MIP.MEIP));
    assert.equal(plic.read(PLIC_CONTEXT_BASE + 4, 4), 10n);
    assert.ok(!host.has(MIP.MEIP), 'claimed');
    uart.read(UART_REG.RBR_THR_DLL, 1);
    plic.write(PLIC_CONTEXT_BASE + 4, 4, 10n);
    assert.ok(host.has(MIP.MEIP), 'one byte left: the level is still high at completion');
    assert.equal(plic.read(PLIC_CONTEXT_BASE + 4, 4), 10n);
    uart.read(UART_REG.RBR_THR_DLL, 1);
    assert.equal(Number(uart.read(UART_REG.LSR, 1)) & LSR.DR, 0);
    plic.write(PLIC_CONTEXT_BASE + 4, 4, 10n);
    assert.ok(!host.has(MIP.MEIP), 'drained: nothing more');
  });

  it('passes cyclesPerTick and the RAM placement on', () => {
    const host = new FakeHost();
    const { clint, bootRom } = createBoard(host, { cyclesPerTick: 10, ramBase: 0x8000_0000, ramSize: 1 << 20 });
    host.advance(100);
    assert.equal(clint.mtime(), 10n);
    assert.equal(bootRom.ramSize, 1 << 20);
    assert.equal(bootRom.entry, 0x8000_0000);
  });

  it('restores a whole board from JSON snapshots of its devices', () => {
    const host = new FakeHost();
    const a = createBoard(host);
    a.plic.write(4 * 10, 4, 2n);
    a.plic.write(0x2000, 4, 1n << 10n);
    a.uart.write(UART_REG.IER_DLM, 1, BigInt(IER.RDI | IER.THRI));
    a.uart.pushInput(Uint8Array.of(1, 2, 3));
    a.clint.write(0x4000, 8, 77n);
    host.advance(12_345);
    const snaps = JSON.parse(JSON.stringify(a.devices.map((d) => d.snapshot()))) as unknown[];

    const host2 = new FakeHost();
    host2.now = host.now;
    const b = createBoard(host2);
    b.devices.forEach((d, i) => d.restore(snaps[i]));
    for (const d of b.devices) d.update?.();
    for (const d of a.devices) d.update?.();
    assert.equal(host2.mip, host.mip);
    assert.deepEqual(b.devices.map((d) => d.snapshot()), a.devices.map((d) => d.snapshot()));
    assert.equal(b.plic.read(PLIC_CONTEXT_BASE + 4, 4), a.plic.read(PLIC_CONTEXT_BASE + 4, 4));
  });
});
