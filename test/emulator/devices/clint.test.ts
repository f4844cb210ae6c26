/**
 * The CLINT: msip drives MIP.MSIP; mtime follows the cycle count at cyclesPerTick; MTIP is the
 * level mtime >= mtimecmp; both 64-bit registers work as 32-bit halves; nextEventCycle says when
 * the timer will fire; snapshots keep the registers and the mtime offset.
 */

import { strict as assert } from 'node:assert';
import { CLINT_MSIP, CLINT_MTIME, CLINT_MTIMECMP, Clint } from '../../../emulator/devices/clint';
import { MIP } from '../../../emulator/devices/device';
import { FakeHost } from './fake-host';

const ALL_ONES = (1n << 64n) - 1n;

function rig(cyclesPerTick?: number) {
  const host = new FakeHost();
  const clint = new Clint(host, { cyclesPerTick });
  return { host, clint };
}

describe('CLINT', () => {
  describe('msip', () => {
    it('sets and clears MIP.MSIP through bit 0 only', () => {
      const { host, clint } = rig();
      clint.write(CLINT_MSIP, 4, 1n);
      assert.ok(host.has(MIP.MSIP));
      assert.equal(clint.read(CLINT_MSIP, 4), 1n);
      clint.write(CLINT_MSIP, 4, 0xffff_fffen);
      assert.ok(!host.has(MIP.MSIP));
      assert.equal(clint.read(CLINT_MSIP, 4), 0n);
    });

    it('has no other harts: their msip words read zero and ignore writes', () => {
      const { host, clint } = rig();
      clint.write(CLINT_MSIP + 4, 4, 1n);
      assert.equal(clint.read(CLINT_MSIP + 4, 4), 0n);
      assert.equal(host.mip, 0);
    });
  });

  describe('mtime', () => {
    it('counts one tick per 100 cycles by default, derived from the host’s cycle count', () => {
      const { host, clint } = rig();
      assert.equal(clint.read(CLINT_MTIME, 8), 0n);
      host.advance(99);
      assert.equal(clint.read(CLINT_MTIME, 8), 0n);
      host.advance(1);
      assert.equal(clint.read(CLINT_MTIME, 8), 1n);
      host.advance(123_456);
      assert.equal(clint.mtime(), 1235n);
    });

    it('honours another cyclesPerTick and refuses a nonsensical one', () => {
      const { host, clint } = rig(7);
      host.advance(70);
      assert.equal(clint.mtime(), 10n);
      assert.throws(() => new Clint(host, { cyclesPerTick: 0 }), /cyclesPerTick/);
      assert.throws(() => new Clint(host, { cyclesPerTick: 1.5 }), /cyclesPerTick/);
    });

    it('takes guest writes and keeps counting from the written value', () => {
      const { host, clint } = rig();
      host.advance(1000);
      clint.write(CLINT_MTIME, 8, 5000n);
      assert.equal(clint.mtime(), 5000n);
      host.advance(250);
      assert.equal(clint.mtime(), 5002n);
      clint.write(CLINT_MTIME, 8, 0n);
      assert.equal(clint.mtime(), 0n, 'writing a value below the cycle-derived count works too');
    });

    it('reads and writes as two 32-bit halves', () => {
      const { host, clint } = rig(1);
      clint.write(CLINT_MTIME, 8, 0x1_2345_6789n);
      assert.equal(clint.read(CLINT_MTIME, 4), 0x2345_6789n);
      assert.equal(clint.read(CLINT_MTIME + 4, 4), 1n);
      clint.write(CLINT_MTIME + 4, 4, 0xaabb_ccddn);
      assert.equal(clint.read(CLINT_MTIME, 8), 0xaabb_ccdd_2345_6789n);
      clint.write(CLINT_MTIME, 4, 0n);
      host.advance(3);
      assert.equal(clint.read(CLINT_MTIME, 8), 0xaabb_ccdd_0000_0003n);
    });

    it('wraps modulo 2^64', () => {
      const { host, clint } = rig(1);
      clint.write(CLINT_MTIME, 8, ALL_ONES);
      host.advance(2);
      assert.equal(clint.mtime(), 1n);
    });
  });

  describe('mtimecmp and MTIP', () => {
    it('resets to all ones, so no timer interrupt is pending', () => {
      const { host, clint } = rig();
      assert.equal(clint.read(CLINT_MTIMECMP, 8), ALL_ONES);
      host.advance(1_000_000);
      clint.update();
      assert.ok(!host.has(MIP.MTIP));
    });

    it('raises MTIP once mtime reaches mtimecmp (re-evaluated by update()) and clears it when mtimecmp moves on', () => {
      const { host, clint } = rig();
      clint.write(CLINT_MTIMECMP, 8, 10n);
      assert.ok(!host.has(MIP.MTIP));
      host.advance(999);
      clint.update();
      assert.ok(!host.has(MIP.MTIP), 'mtime 9 < 10');
      host.advance(1);
      clint.update();
      assert.ok(host.has(MIP.MTIP), 'mtime 10 >= 10');
      clint.write(CLINT_MTIMECMP, 8, 20n);
      assert.ok(!host.has(MIP.MTIP), 'writing mtimecmp clears it at once');
    });

    it('re-evaluates MTIP on reads too, and compares unsigned', () => {
      const { host, clint } = rig(1);
      clint.write(CLINT_MTIMECMP, 8, 1n << 63n);
      assert.ok(!host.has(MIP.MTIP), 'no signed comparison: 0 < 2^63');
      clint.write(CLINT_MTIMECMP, 8, 5n);
      host.advance(5);
      clint.read(CLINT_MSIP, 4);
      assert.ok(host.has(MIP.MTIP));
    });

    it('raises MTIP when mtime is written past mtimecmp', () => {
      const { host, clint } = rig();
      clint.write(CLINT_MTIMECMP, 8, 100n);
      clint.write(CLINT_MTIME, 8, 100n);
      assert.ok(host.has(MIP.MTIP));
    });

    it('accepts mtimecmp as 32-bit halves (the RV32 idiom: high to all ones, low, then high)', () => {
      const { host, clint } = rig(1);
      clint.write(CLINT_MTIMECMP + 4, 4, 0xffff_ffffn);
      clint.write(CLINT_MTIMECMP, 4, 0x10n);
      clint.write(CLINT_MTIMECMP + 4, 4, 0n);
      assert.equal(clint.read(CLINT_MTIMECMP, 8), 0x10n);
      assert.equal(clint.read(CLINT_MTIMECMP + 4, 4), 0n);
      assert.equal(clint.read(CLINT_MTIMECMP, 4), 0x10n);
      host.advance(0x10);
      clint.update();
      assert.ok(host.has(MIP.MTIP));
    });

    it('reads bytes of a register with narrow accesses', () => {
      const { clint } = rig();
      clint.write(CLINT_MTIMECMP, 8, 0x0807_0605_0403_0201n);
      assert.equal(clint.read(CLINT_MTIMECMP + 2, 2), 0x0403n);
      assert.equal(clint.read(CLINT_MTIMECMP + 7, 1), 0x08n);
      clint.write(CLINT_MTIMECMP + 1, 1, 0xffn);
      assert.equal(clint.read(CLINT_MTIMECMP, 8), 0x0807_0605_0403_ff01n);
    });
  });

  describe('nextEventCycle', () => {
    it('is the first cycle at which mtime reaches mtimecmp', () => {
      const { host, clint } = rig();
      clint.write(CLINT_MTIMECMP, 8, 10n);
      assert.equal(clint.nextEventCycle(), 1000n);
      host.advance(950);
      assert.equal(clint.nextEventCycle(), 1000n);
      host.now = clint.nextEventCycle()!;
      clint.update();
      assert.ok(host.has(MIP.MTIP));
      host.now -= 1n;
      clint.update();
      assert.ok(!host.has(MIP.MTIP), 'one cycle earlier is too early');
    });

    it('accounts for a written mtime', () => {
      const { host, clint } = rig();
      host.advance(12_345);
      clint.write(CLINT_MTIME, 8, 1_000n);
      clint.write(CLINT_MTIMECMP, 8, 1_003n);
      const at = clint.nextEventCycle()!;
      assert.equal(at, 12_300n + 300n);
      host.now = at;
      assert.equal(clint.mtime(), 1_003n);
    });

    it('is undefined when the timer has already fired, or can never fire within 2^64 cycles', () => {
      const { host, clint } = rig();
      assert.equal(clint.nextEventCycle(), undefined, 'mtimecmp at reset value');
      clint.write(CLINT_MTIMECMP, 8, 3n);
      host.advance(300);
      assert.equal(clint.nextEventCycle(), undefined);
      const fast = rig(1);
      fast.clint.write(CLINT_MTIMECMP, 8, ALL_ONES);
      assert.equal(fast.clint.nextEventCycle(), ALL_ONES, 'at one cycle per tick all ones is reachable');
    });
  });

  describe('snapshot and restore', () => {
    it('round-trips msip, mtimecmp and the mtime offset through JSON', () => {
      const { host, clint } = rig();
      host.advance(5_000);
      clint.write(CLINT_MSIP, 4, 1n);
      clint.write(CLINT_MTIME, 8, 0xffff_0000_0000n);
      clint.write(CLINT_MTIMECMP, 8, 0xffff_0000_0100n);
      const snap = JSON.parse(JSON.stringify(clint.snapshot())) as unknown;

      const host2 = new FakeHost();
      host2.now = host.now;
      const copy = new Clint(host2);
      copy.restore(snap);
      assert.ok(host2.has(MIP.MSIP), 'restore re-drives msip');
      for (const c of [0n, 10_000n, 25_600n]) {
        host.now = host2.now = 5_000n + c;
        for (const off of [CLINT_MSIP, CLINT_MTIMECMP, CLINT_MTIME]) assert.equal(copy.read(off, 8), clint.read(off, 8));
        assert.equal(copy.nextEventCycle(), clint.nextEventCycle());
        assert.equal(host2.mip, host.mip);
      }
      assert.ok(host.has(MIP.MTIP), 'the script reaches the timer');
    });

    it('refuses a malformed snapshot', () => {
      const { clint } = rig();
      assert.throws(() => clint.restore({ msip: 0, mtimecmp: '-1', offset: '0' }), /clint: bad snapshot: field 'mtimecmp'/);
      assert.throws(() => clint.restore({ msip: 2, mtimecmp: '0', offset: '0' }), /field 'msip'/);
      assert.throws(() => clint.restore({ msip: 0, mtimecmp: (1n << 64n).toString(), offset: '0' }), /field 'mtimecmp'/);
    });
  });
});
