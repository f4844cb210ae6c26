/** The SiFive test finisher: the value written to offset 0 decides how the run ends. */

import { strict as assert } from 'node:assert';
import { FINISHER, TestFinisher } from '../../../emulator/devices/test-finisher';
import { FakeHost } from './fake-host';

function rig() {
  const host = new FakeHost();
  return { host, fin: new TestFinisher(host) };
}

describe('SiFive test finisher', () => {
  it('exits 0 on PASS (0x5555)', () => {
    const { host, fin } = rig();
    fin.write(0, 4, 0x5555n);
    assert.deepEqual(host.exits, [0]);
  });

  it('exits with the code in the upper half on FAIL ((code << 16) | 0x3333)', () => {
    const { host, fin } = rig();
    fin.write(0, 4, (3n << 16n) | 0x3333n);
    fin.write(0, 4, 0xffff_3333n);
    fin.write(0, 4, 0x3333n);
    assert.deepEqual(host.exits, [3, 0xffff, 0], 'FAIL with code 0 exits 0, as QEMU does');
  });

  it('ends the run with 0 on RESET (0x7777): the contract has no reset request', () => {
    const { host, fin } = rig();
    fin.write(0, 4, BigInt(FINISHER.RESET));
    assert.deepEqual(host.exits, [0]);
  });

  it('ignores other values, other offsets, and bits above the access width', () => {
    const { host, fin } = rig();
    fin.write(0, 4, 0x1234n);
    fin.write(0, 4, 0x5556n);
    fin.write(4, 4, 0x5555n);
    fin.write(0, 1, 0x5555n);
    fin.write(0, 8, 0x1_0000_0000n);
    assert.deepEqual(host.exits, []);
    fin.write(0, 2, 0x5555n);
    fin.write(0, 8, 0xdead_0000_0000_5555n);
    assert.deepEqual(host.exits, [0, 0], 'a 16-bit or 64-bit write carries the status too');
  });

  it('reads zero and has nothing to snapshot', () => {
    const { fin } = rig();
    fin.write(0, 4, 0x1234n);
    assert.equal(fin.read(0, 4), 0n);
    assert.equal(fin.peek(0, 8), 0n);
    assert.deepEqual(JSON.parse(JSON.stringify(fin.snapshot())), {});
    fin.restore({});
    assert.throws(() => fin.restore(7), /not an object/);
  });
});
