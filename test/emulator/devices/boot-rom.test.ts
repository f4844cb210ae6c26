/**
 * The boot ROM: its code decodes to the intended instructions, and running them (with a tiny
 * interpreter for exactly those instructions) leaves a0 = hartid, a1 = boot info and pc = the
 * entry. The boot-info blob has the documented layout.
 */

import { strict as assert } from 'node:assert';
import {
  BOARD_NAME, BOOT_INFO_ADDRESS, BOOT_INFO_FIELD as F, BOOT_INFO_MAGIC, BOOT_INFO_OFFSET, BOOT_INFO_VERSION,
  BOOT_ROM_BASE, BOOT_ROM_ENTRY_OFFSET, BOOT_ROM_SIZE, BootRom,
} from '../../../emulator/devices/boot-rom';
import { CLINT_BASE } from '../../../emulator/devices/clint';
import { PLIC_BASE } from '../../../emulator/devices/plic';
import { FINISHER_BASE } from '../../../emulator/devices/test-finisher';
import { UART_BASE } from '../../../emulator/devices/uart16550';
import { decode } from '../../../emulator/isa/codec';

const sext = (v: bigint, bits: number) => BigInt.asIntN(bits, v);

/** Runs the ROM from its base until pc leaves it; returns the registers and the final pc. */
function boot(rom: BootRom, mhartid: bigint): { x: bigint[]; pc: bigint } {
  const x = new Array<bigint>(32).fill(0n);
  let pc = BigInt(BOOT_ROM_BASE);
  const set = (r: number, v: bigint) => { if (r) x[r] = BigInt.asUintN(64, v); };
  for (let steps = 0; pc >= BOOT_ROM_BASE && pc < BOOT_ROM_BASE + BOOT_ROM_SIZE; steps++) {
    assert.ok(steps < 16, 'the ROM reaches its jump');
    const d = decode(rom.romWord(Number(pc) - BOOT_ROM_BASE));
    assert.ok(d && d.length === 4, `a 32-bit instruction at ${pc.toString(16)}`);
    const v = d.values;
    let next = pc + 4n;
    switch (d.spec.spec.mnemonic) {
      case 'auipc': set(v[0], pc + sext(BigInt(v[1]) << 12n, 32)); break;
      case 'addi': set(v[0], x[v[1]] + BigInt(v[2])); break;
      case 'csrrs': assert.equal(v[1], 0xf14, 'only mhartid is read'); set(v[0], mhartid); break;
      case 'ld': set(v[0], rom.read(Number(x[v[2]] + BigInt(v[1])) - BOOT_ROM_BASE, 8)); break;
      case 'jalr': { const t = (x[v[2]] + BigInt(v[1])) & ~1n; set(v[0], next); next = t; break; }
      default: assert.fail(`unexpected ${d.spec.spec.mnemonic} in the ROM`);
    }
    pc = next;
  }
  return { x, pc };
}

describe('boot ROM', () => {
  it('holds the intended instructions, ending with the entry .dword at 0x18', () => {
    const rom = new BootRom();
    const listing = [0, 4, 8, 12, 16, 20].map((off) => {
      const d = decode(rom.romWord(off));
      assert.ok(d, `decodes at +${off}`);
      return `${d.spec.spec.mnemonic} ${d.values.join(',')}`;
    });
    assert.deepEqual(listing, [
      'auipc 5,0', `addi 11,5,${BOOT_INFO_OFFSET}`, 'csrrs 10,3860,0', `ld 5,${BOOT_ROM_ENTRY_OFFSET},5`, 'jalr 0,0,5', 'addi 0,0,0',
    ]);
    assert.equal(rom.read(BOOT_ROM_ENTRY_OFFSET, 8), 0x8000_0000n);
  });

  it('starts the program at the RAM base with a0 = mhartid and a1 = the boot info', () => {
    const { x, pc } = boot(new BootRom(), 0n);
    assert.equal(pc, 0x8000_0000n);
    assert.equal(x[10], 0n);
    assert.equal(x[11], BigInt(BOOT_INFO_ADDRESS));
    assert.equal(BOOT_INFO_ADDRESS, 0x1020);
    assert.equal(boot(new BootRom(), 3n).x[10], 3n, 'a0 is whatever mhartid says');
  });

  it('jumps to a configured entry, also one set after construction', () => {
    const rom = new BootRom({ ramBase: 0x8000_0000, entry: 0x8020_0000 });
    assert.equal(boot(rom, 0n).pc, 0x8020_0000n);
    rom.setEntry(0x1_0000_0000);
    assert.equal(rom.entry, 0x1_0000_0000);
    assert.equal(boot(rom, 0n).pc, 0x1_0000_0000n);
    assert.throws(() => rom.setEntry(-1), /bad entry/);
  });

  it('describes the board in the documented boot-info layout', () => {
    const rom = new BootRom({ ramBase: 0x8000_0000, ramSize: 64 << 20, cyclesPerTick: 50 });
    const at = (field: keyof typeof F, size: 4 | 8) => rom.read(BOOT_INFO_OFFSET + F[field], size);
    assert.deepEqual([...rom.bytes.subarray(BOOT_INFO_OFFSET, BOOT_INFO_OFFSET + 4)], [0x58, 0x50, 0x43, 0x42], "'XPCB'");
    assert.equal(at('magic', 4), BigInt(BOOT_INFO_MAGIC));
    assert.equal(at('version', 4), BigInt(BOOT_INFO_VERSION));
    assert.equal(at('ramBase', 8), 0x8000_0000n);
    assert.equal(at('ramSize', 8), 64n << 20n);
    assert.equal(at('timebaseHz', 8), 20_000_000n, '1 GHz / 50 cycles per tick');
    assert.equal(at('uartBase', 8), BigInt(UART_BASE));
    assert.equal(at('clintBase', 8), BigInt(CLINT_BASE));
    assert.equal(at('plicBase', 8), BigInt(PLIC_BASE));
    assert.equal(at('finisherBase', 8), BigInt(FINISHER_BASE));
    assert.equal(at('uartIrq', 4), 10n);
    assert.equal(at('hartCount', 4), 1n);
    const name = rom.bytes.subarray(BOOT_INFO_OFFSET + F.name, BOOT_INFO_OFFSET + F.name + BOARD_NAME.length + 1);
    assert.equal(Buffer.from(name).toString('latin1'), `${BOARD_NAME}\0`);
    assert.equal(new BootRom().read(BOOT_INFO_OFFSET + F.timebaseHz, 8), 10_000_000n, 'default: 10 MHz');
  });

  it('is read-only and reads the same through read, peek and bytes, at any width and alignment', () => {
    const rom = new BootRom();
    const before = Uint8Array.from(rom.bytes);
    rom.write(0, 4, 0n);
    rom.write(BOOT_ROM_ENTRY_OFFSET, 8, 0n);
    assert.deepEqual(rom.bytes, before);
    const view = new DataView(rom.bytes.buffer);
    assert.equal(rom.read(1, 4), BigInt(view.getUint32(1, true)));
    assert.equal(rom.peek(0x22, 2), BigInt(view.getUint16(0x22, true)));
    assert.equal(rom.read(BOOT_ROM_SIZE - 2, 4), 0n, 'past the end reads zero');
    assert.equal(rom.read(0x800, 8), 0n);
  });

  it('snapshots the entry, the only thing that can change', () => {
    const rom = new BootRom();
    rom.setEntry(0x8040_0000);
    const copy = new BootRom();
    copy.restore(JSON.parse(JSON.stringify(rom.snapshot())) as unknown);
    assert.deepEqual(copy.bytes, rom.bytes);
    assert.throws(() => copy.restore({ entry: 'x' }), /boot-rom: bad snapshot: field 'entry'/);
  });
});
