/**
 * The PLIC: priorities, pending bits, per-context enables and thresholds, claim/complete with
 * level-triggered gateways, and the MEIP/SEIP outputs of the two contexts.
 */

import { strict as assert } from 'node:assert';
import { MIP } from '../../../emulator/devices/device';
import {
  PLIC_CONTEXT_BASE, PLIC_CONTEXT_STRIDE, PLIC_ENABLE_BASE, PLIC_ENABLE_STRIDE, PLIC_MAX_SOURCE,
  PLIC_PENDING_BASE, Plic,
} from '../../../emulator/devices/plic';
import { FakeHost } from './fake-host';

const M = 0, S = 1;
const priorityReg = (src: number) => 4 * src;
const enableReg = (ctx: number, word = 0) => PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * ctx + 4 * word;
const thresholdReg = (ctx: number) => PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * ctx;
const claimReg = (ctx: number) => thresholdReg(ctx) + 4;

function rig() {
  const host = new FakeHost();
  const plic = new Plic(host);
  const rd = (off: number) => Number(plic.read(off, 4));
  const wr = (off: number, v: number) => plic.write(off, 4, BigInt(v >>> 0));
  const claim = (ctx: number) => rd(claimReg(ctx));
  const complete = (ctx: number, src: number) => wr(claimReg(ctx), src);
  /** Gives `src` priority `prio` and enables it for `ctx`. */
  const route = (src: number, prio: number, ctx: number) => {
    wr(priorityReg(src), prio);
    wr(enableReg(ctx, src >> 5), rd(enableReg(ctx, src >> 5)) | (1 << (src & 31)));
  };
  const pending = (src: number) => ((rd(PLIC_PENDING_BASE + 4 * (src >> 5)) >>> (src & 31)) & 1) === 1;
  return { host, plic, rd, wr, claim, complete, route, pending };
}

describe('PLIC', () => {
  describe('registers', () => {
    it('keeps 3-bit priorities for sources 1..53; source 0 and beyond 53 read zero', () => {
      const { rd, wr } = rig();
      wr(priorityReg(1), 7);
      wr(priorityReg(53), 0xffff_fffd);
      wr(priorityReg(0), 5);
      wr(priorityReg(54), 5);
      assert.equal(rd(priorityReg(1)), 7);
      assert.equal(rd(priorityReg(53)), 5, 'WARL: the low three bits');
      assert.equal(rd(priorityReg(0)), 0);
      assert.equal(rd(priorityReg(54)), 0);
    });

    it('keeps enable bits per context, only for sources that exist', () => {
      const { rd, wr } = rig();
      wr(enableReg(M, 0), 0xffff_ffff);
      wr(enableReg(M, 1), 0xffff_ffff);
      wr(enableReg(S, 0), 0x400);
      assert.equal(rd(enableReg(M, 0)) >>> 0, 0xffff_fffe, 'no source 0');
      assert.equal(rd(enableReg(M, 1)), (1 << (PLIC_MAX_SOURCE - 31)) - 1, 'sources 32..53');
      assert.equal(rd(enableReg(S, 0)), 0x400);
      wr(enableReg(2, 0), 0xff);
      assert.equal(rd(enableReg(2, 0)), 0, 'only two contexts');
    });

    it('keeps 3-bit thresholds per context', () => {
      const { rd, wr } = rig();
      wr(thresholdReg(M), 3);
      wr(thresholdReg(S), 0xf);
      assert.deepEqual([rd(thresholdReg(M)), rd(thresholdReg(S))], [3, 7]);
    });

    it('has read-only pending bits that reflect the gateways', () => {
      const { plic, wr, pending } = rig();
      wr(PLIC_PENDING_BASE, 0xffff_ffff);
      assert.ok(!pending(5));
      plic.setSourceLevel(5, true);
      assert.ok(pending(5));
    });

    it('splits an 8-byte access into two words, low first', () => {
      const { plic, rd } = rig();
      plic.write(priorityReg(2), 8, (6n << 32n) | 5n);
      assert.deepEqual([rd(priorityReg(2)), rd(priorityReg(3))], [5, 6]);
      assert.equal(plic.read(priorityReg(2), 8), (6n << 32n) | 5n);
    });

    it('reads zero from holes and refuses sources that do not exist', () => {
      const { plic, rd } = rig();
      assert.equal(rd(0x10_0000), 0);
      assert.equal(rd(thresholdReg(0) + 8), 0);
      assert.equal(rd(thresholdReg(5)), 0);
      assert.throws(() => plic.setSourceLevel(0, true), /no interrupt source 0/);
      assert.throws(() => plic.setSourceLevel(54, true), /no interrupt source 54/);
    });
  });

  describe('interrupt delivery', () => {
    it('asserts MEIP for context 0 and SEIP for context 1 when a pending enabled source beats the threshold', () => {
      const { host, plic, route, wr } = rig();
      route(10, 1, M);
      plic.setSourceLevel(10, true);
      assert.ok(host.has(MIP.MEIP));
      assert.ok(!host.has(MIP.SEIP), 'not enabled for S');
      wr(thresholdReg(M), 1);
      assert.ok(!host.has(MIP.MEIP), 'priority must be strictly greater than the threshold');
      route(10, 1, S);
      assert.ok(host.has(MIP.SEIP));
      wr(priorityReg(10), 0);
      assert.ok(!host.has(MIP.SEIP), 'priority 0 never interrupts');
    });

    it('does not interrupt for a pending source that is not enabled, but remembers it', () => {
      const { host, plic, route, wr, pending } = rig();
      wr(priorityReg(3), 1);
      plic.setSourceLevel(3, true);
      assert.ok(pending(3));
      assert.equal(host.mip, 0);
      route(3, 1, M);
      assert.ok(host.has(MIP.MEIP));
    });

    it('claims the highest priority first, the lowest id among equals, and 0 when nothing is left', () => {
      const { plic, route, claim } = rig();
      route(4, 2, M);
      route(9, 5, M);
      route(7, 2, M);
      route(40, 5, M);
      for (const s of [4, 9, 7, 40]) plic.setSourceLevel(s, true);
      assert.deepEqual([claim(M), claim(M), claim(M), claim(M), claim(M)], [9, 40, 4, 7, 0]);
    });

    it('claims only above the threshold', () => {
      const { plic, route, claim, wr, pending } = rig();
      route(6, 2, M);
      wr(thresholdReg(M), 2);
      plic.setSourceLevel(6, true);
      assert.equal(claim(M), 0);
      assert.ok(pending(6), 'a refused claim changes nothing');
      wr(thresholdReg(M), 1);
      assert.equal(claim(M), 6);
    });

    it('clears the pending bit and the output on claim', () => {
      const { host, plic, route, claim, pending } = rig();
      route(10, 1, M);
      plic.setSourceLevel(10, true);
      assert.equal(claim(M), 10);
      assert.ok(!pending(10));
      assert.ok(!host.has(MIP.MEIP));
    });
  });

  describe('level-triggered gateway', () => {
    it('forwards no new request while a claimed source is in flight, and re-pends at completion if the level is still high', () => {
      const { host, plic, route, claim, complete, pending } = rig();
      route(10, 1, M);
      plic.setSourceLevel(10, true);
      assert.equal(claim(M), 10);
      plic.setSourceLevel(10, true);
      plic.setSourceLevel(10, false);
      plic.setSourceLevel(10, true);
      assert.ok(!pending(10), 'in flight: the gateway holds further requests');
      assert.equal(claim(M), 0);
      complete(M, 10);
      assert.ok(pending(10), 'still high at completion: a new request');
      assert.ok(host.has(MIP.MEIP));
      assert.equal(claim(M), 10);
    });

    it('stays quiet after completion when the level has dropped, until it rises again', () => {
      const { host, plic, route, claim, complete, pending } = rig();
      route(10, 1, M);
      plic.setSourceLevel(10, true);
      claim(M);
      plic.setSourceLevel(10, false);
      complete(M, 10);
      assert.ok(!pending(10));
      assert.ok(!host.has(MIP.MEIP));
      plic.setSourceLevel(10, true);
      assert.ok(pending(10));
      assert.ok(host.has(MIP.MEIP));
    });

    it('keeps a request that the source withdraws before it is claimed (PLIC spec)', () => {
      const { plic, route, claim, pending } = rig();
      route(10, 1, M);
      plic.setSourceLevel(10, true);
      plic.setSourceLevel(10, false);
      assert.ok(pending(10));
      assert.equal(claim(M), 10);
    });

    it('ignores completions of sources that are not in flight or not enabled for the context', () => {
      const { plic, route, claim, complete, pending, wr } = rig();
      route(10, 1, M);
      plic.setSourceLevel(10, true);
      complete(M, 10);
      assert.ok(pending(10), 'not claimed yet: completion is a no-op');
      assert.equal(claim(M), 10);
      complete(S, 10);
      complete(M, 0);
      complete(M, 99);
      assert.ok(!pending(10), 'completion through a context without the enable is ignored');
      wr(enableReg(M), 0);
      complete(M, 10);
      assert.ok(!pending(10), 'disabled now: still ignored');
      wr(enableReg(M), 1 << 10);
      complete(M, 10);
      assert.ok(pending(10), 'the proper completion re-arms it');
    });

    it('lets the other context claim a source only once: the gateway is per source', () => {
      const { plic, route, claim } = rig();
      route(10, 1, M);
      route(10, 1, S);
      plic.setSourceLevel(10, true);
      assert.equal(claim(S), 10);
      assert.equal(claim(M), 0);
    });
  });

  describe('peek', () => {
    it('shows the claimable source without claiming it', () => {
      const { host, plic, route, pending, claim } = rig();
      route(12, 3, M);
      plic.setSourceLevel(12, true);
      assert.equal(plic.peek(claimReg(M), 4), 12n);
      assert.equal(plic.peek(claimReg(M), 4), 12n);
      assert.ok(pending(12));
      assert.ok(host.has(MIP.MEIP));
      assert.equal(claim(M), 12);
    });
  });

  describe('snapshot and restore', () => {
    it('round-trips every register and gateway through JSON and behaves identically afterwards', () => {
      const a = rig();
      a.route(10, 3, M);
      a.route(20, 5, S);
      a.route(33, 2, M);
      a.wr(thresholdReg(S), 1);
      a.plic.setSourceLevel(10, true);
      a.plic.setSourceLevel(33, true);
      a.plic.setSourceLevel(20, true);
      a.claim(M); // 10 in flight, level high
      const snap = JSON.parse(JSON.stringify(a.plic.snapshot())) as unknown;

      const b = rig();
      b.plic.restore(snap);
      assert.deepEqual(b.plic.snapshot(), a.plic.snapshot());
      assert.equal(b.host.mip, a.host.mip, 'restore re-drives MEIP/SEIP');
      const script = (r: ReturnType<typeof rig>) => {
        const seen = [r.claim(M), r.claim(S), r.claim(M)];
        r.complete(M, 10);
        seen.push(r.claim(M), r.host.mip);
        return seen;
      };
      assert.deepEqual(script(b), script(a));
      assert.deepEqual(script(rig()), [0, 0, 0, 0, 0], 'the script tells states apart');
    });

    it('refuses a malformed snapshot', () => {
      const { plic } = rig();
      const good = plic.snapshot();
      assert.throws(() => plic.restore({ ...good, priority: [1, 2] }), /plic: bad snapshot: field 'priority'/);
      assert.throws(() => plic.restore({ ...good, enable: [[0, 0]] }), /field 'enable'/);
      assert.throws(() => plic.restore('nope'), /not an object/);
    });
  });
});
