/**
 * The NS16550A UART: register file, receive path and line status, interrupt identification,
 * loopback, side-effect-free peeks, and snapshots.
 */

import { strict as assert } from 'node:assert';
import {
  FCR, IER, IIR, LCR, LSR, MCR, MSR_IDLE, UART_REG as R, Uart16550,
} from '../../../emulator/devices/uart16550';

const bytes = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

/** A UART with its output and interrupt line recorded. */
function rig() {
  const uart = new Uart16550();
  const out: number[] = [];
  const irq: boolean[] = [];
  uart.onOutput = (b) => out.push(b);
  uart.onIrq = (l) => irq.push(l);
  const rd = (off: number) => Number(uart.read(off, 1));
  const wr = (off: number, v: number) => uart.write(off, 1, BigInt(v));
  const level = () => irq.length > 0 && irq[irq.length - 1];
  return { uart, out, irq, rd, wr, level };
}

describe('NS16550A UART', () => {
  describe('registers', () => {
    it('come out of reset like QEMU’s: IIR none, LSR THRE|TEMT, MCR OUT2, MSR DCD|DSR|CTS, divisor 12', () => {
      const { rd, wr } = rig();
      assert.equal(rd(R.IER_DLM), 0);
      assert.equal(rd(R.IIR_FCR), IIR.NO_INT);
      assert.equal(rd(R.LCR), 0);
      assert.equal(rd(R.MCR), MCR.OUT2);
      assert.equal(rd(R.LSR), LSR.THRE | LSR.TEMT);
      assert.equal(rd(R.MSR), MSR_IDLE);
      assert.equal(rd(R.SCR), 0);
      wr(R.LCR, LCR.DLAB);
      assert.equal(rd(R.RBR_THR_DLL), 0x0c);
      assert.equal(rd(R.IER_DLM), 0);
    });

    it('sends each THR write to the output at once; THR stays empty', () => {
      const { wr, rd, out } = rig();
      for (const b of bytes('Hi\n')) {
        wr(R.RBR_THR_DLL, b);
        assert.equal(rd(R.LSR) & (LSR.THRE | LSR.TEMT), LSR.THRE | LSR.TEMT);
      }
      assert.deepEqual(out, [...bytes('Hi\n')]);
    });

    it('maps offsets 0 and 1 to the divisor latch while LCR.DLAB is set', () => {
      const { wr, rd, out } = rig();
      wr(R.IER_DLM, 0x05);
      wr(R.LCR, LCR.DLAB | 0x03);
      wr(R.RBR_THR_DLL, 0x01);
      wr(R.IER_DLM, 0x02);
      assert.deepEqual(out, [], 'a DLL write is not a transmission');
      assert.equal(rd(R.RBR_THR_DLL), 0x01);
      assert.equal(rd(R.IER_DLM), 0x02);
      wr(R.LCR, 0x03);
      assert.equal(rd(R.IER_DLM), 0x05, 'IER is untouched by DLM writes');
      assert.equal(rd(R.LCR), 0x03);
      wr(R.LCR, LCR.DLAB);
      assert.equal(rd(R.RBR_THR_DLL), 0x01, 'the divisor is kept');
    });

    it('keeps SCR, masks IER to 4 bits and MCR to 5, ignores writes to LSR and MSR', () => {
      const { wr, rd } = rig();
      wr(R.SCR, 0xa5);
      wr(R.IER_DLM, 0xf0);
      wr(R.MCR, 0xff);
      wr(R.LSR, 0);
      wr(R.MSR, 0);
      assert.equal(rd(R.SCR), 0xa5);
      assert.equal(rd(R.IER_DLM), 0);
      assert.equal(rd(R.MCR), 0x1f);
      assert.equal(rd(R.LSR), LSR.THRE | LSR.TEMT);
      wr(R.MCR, MCR.OUT2);
      assert.equal(rd(R.MSR), MSR_IDLE);
    });

    it('treats a wider access as an access to the register at its offset, low byte only (QEMU)', () => {
      const { uart, out } = rig();
      uart.write(R.RBR_THR_DLL, 4, 0x1234_5641n);
      uart.write(R.SCR, 8, 0xffff_ffff_ffff_ff7en);
      assert.deepEqual(out, [0x41]);
      assert.equal(uart.read(R.SCR, 4), 0x7en);
      uart.pushInput(bytes('z'));
      assert.equal(uart.read(R.RBR_THR_DLL, 8), 0x7an);
      assert.equal(uart.read(R.LSR, 2), BigInt(LSR.THRE | LSR.TEMT));
    });

    it('reads zero and ignores writes past the eight registers', () => {
      const { uart, out } = rig();
      uart.write(8, 1, 0x41n);
      uart.write(0xff, 1, 0x41n);
      assert.equal(uart.read(8, 1), 0n);
      assert.equal(uart.read(0x10, 4), 0n);
      assert.deepEqual(out, []);
    });
  });

  describe('receive path', () => {
    it('sets LSR.DR while input is queued and hands bytes out in order through RBR', () => {
      const { uart, rd } = rig();
      assert.equal(rd(R.LSR) & LSR.DR, 0);
      uart.pushInput(bytes('ab'));
      uart.pushInput(bytes('c'));
      const got: number[] = [];
      while (rd(R.LSR) & LSR.DR) got.push(rd(R.RBR_THR_DLL));
      assert.deepEqual(got, [...bytes('abc')]);
      assert.equal(uart.inputConsumed, 3);
      assert.equal(uart.inputReceived, 3);
      assert.equal(uart.inputPending, 0);
    });

    it('counts only the bytes the guest has read as consumed', () => {
      const { uart, rd } = rig();
      uart.pushInput(bytes('hello'));
      rd(R.RBR_THR_DLL);
      rd(R.RBR_THR_DLL);
      assert.equal(uart.inputConsumed, 2);
      assert.equal(uart.inputPending, 3);
      assert.equal(uart.inputReceived, 5);
    });

    it('returns the last byte again from an empty RBR without FIFOs, and 0 with them (QEMU)', () => {
      const { uart, rd, wr } = rig();
      uart.pushInput(bytes('q'));
      assert.equal(rd(R.RBR_THR_DLL), 0x71);
      assert.equal(rd(R.RBR_THR_DLL), 0x71);
      assert.equal(uart.inputConsumed, 1);
      wr(R.IIR_FCR, FCR.FE);
      assert.equal(rd(R.RBR_THR_DLL), 0);
    });

    it('keeps host input across a receive-FIFO reset (it waits in the terminal, not the device)', () => {
      const { uart, rd, wr } = rig();
      uart.pushInput(bytes('typed ahead'));
      wr(R.IIR_FCR, FCR.FE | FCR.RFR | FCR.XFR);
      let s = '';
      while (rd(R.LSR) & LSR.DR) s += String.fromCharCode(rd(R.RBR_THR_DLL));
      assert.equal(s, 'typed ahead');
    });

    it('reports FIFO mode in IIR bits 7:6', () => {
      const { rd, wr } = rig();
      wr(R.IIR_FCR, FCR.FE);
      assert.equal(rd(R.IIR_FCR), IIR.FIFO_ENABLED | IIR.NO_INT);
      wr(R.IIR_FCR, 0);
      assert.equal(rd(R.IIR_FCR), IIR.NO_INT);
    });
  });

  describe('interrupts', () => {
    it('raises receive-data-available while input waits and IER.RDI is set, lowers it when drained', () => {
      const { uart, rd, wr, level } = rig();
      uart.pushInput(bytes('x'));
      assert.equal(rd(R.IIR_FCR), IIR.NO_INT, 'masked by IER');
      assert.equal(level(), false);
      wr(R.IER_DLM, IER.RDI);
      assert.equal(rd(R.IIR_FCR), IIR.RDI);
      assert.equal(level(), true);
      rd(R.RBR_THR_DLL);
      assert.equal(rd(R.IIR_FCR), IIR.NO_INT);
      assert.equal(level(), false);
      uart.pushInput(bytes('y'));
      assert.equal(level(), true, 'input arriving raises the line');
    });

    it('raises THR-empty when IER.THRI is enabled; reading IIR that names it acknowledges it', () => {
      const { rd, wr, level } = rig();
      wr(R.IER_DLM, IER.THRI);
      assert.equal(level(), true);
      assert.equal(rd(R.IIR_FCR), IIR.THRI);
      assert.equal(level(), false);
      assert.equal(rd(R.IIR_FCR), IIR.NO_INT);
    });

    it('re-raises THR-empty after a THR write (the instant transmitter empties THR again)', () => {
      const { rd, wr, level, out } = rig();
      wr(R.IER_DLM, IER.THRI);
      rd(R.IIR_FCR);
      assert.equal(level(), false);
      wr(R.RBR_THR_DLL, 0x21);
      assert.equal(level(), true);
      assert.equal(rd(R.IIR_FCR), IIR.THRI);
      assert.deepEqual(out, [0x21]);
    });

    it('lowers THR-empty when IER.THRI is cleared, and re-samples THRE when it is set again', () => {
      const { rd, wr, level } = rig();
      wr(R.IER_DLM, IER.THRI);
      wr(R.IER_DLM, 0);
      assert.equal(level(), false);
      assert.equal(rd(R.IIR_FCR), IIR.NO_INT);
      wr(R.IER_DLM, IER.THRI);
      rd(R.IIR_FCR);
      wr(R.IER_DLM, IER.THRI);
      assert.equal(level(), false, 'rewriting the same IER value is not a rising edge');
      wr(R.IER_DLM, 0);
      wr(R.IER_DLM, IER.THRI);
      assert.equal(level(), true);
    });

    it('identifies received data ahead of THR-empty, and does not acknowledge THRE by it', () => {
      const { uart, rd, wr } = rig();
      wr(R.IER_DLM, IER.RDI | IER.THRI);
      uart.pushInput(bytes('k'));
      assert.equal(rd(R.IIR_FCR), IIR.RDI);
      assert.equal(rd(R.IIR_FCR), IIR.RDI);
      rd(R.RBR_THR_DLL);
      assert.equal(rd(R.IIR_FCR), IIR.THRI, 'THRE was still pending underneath');
      assert.equal(rd(R.IIR_FCR), IIR.NO_INT);
    });

    it('with FIFOs, reports data below the trigger level as a character timeout, at or above as RDA', () => {
      const { uart, rd, wr } = rig();
      wr(R.IIR_FCR, FCR.FE | (1 << 6)); // trigger level 4
      wr(R.IER_DLM, IER.RDI);
      uart.pushInput(bytes('ab'));
      assert.equal(rd(R.IIR_FCR) & 0x0f, IIR.CTI);
      uart.pushInput(bytes('cd'));
      assert.equal(rd(R.IIR_FCR) & 0x0f, IIR.RDI);
      rd(R.RBR_THR_DLL);
      assert.equal(rd(R.IIR_FCR) & 0x0f, IIR.CTI);
    });

    it('counts queued input against the highest trigger level, 14', () => {
      const { uart, rd, wr } = rig();
      wr(R.IIR_FCR, FCR.FE | (3 << 6)); // trigger level 14
      wr(R.IER_DLM, IER.RDI);
      uart.pushInput(new Uint8Array(13).fill(0x30));
      assert.equal(rd(R.IIR_FCR) & 0x0f, IIR.CTI);
      uart.pushInput(new Uint8Array(100).fill(0x31));
      assert.equal(rd(R.IIR_FCR) & 0x0f, IIR.RDI);
    });

    it('drives the interrupt callback only on level changes', () => {
      const { uart, rd, wr, irq } = rig();
      wr(R.IER_DLM, IER.RDI);
      uart.pushInput(bytes('abc'));
      rd(R.RBR_THR_DLL);
      rd(R.RBR_THR_DLL);
      rd(R.LSR);
      rd(R.RBR_THR_DLL);
      assert.deepEqual(irq, [true, false]);
    });
  });

  describe('loopback (MCR.LOOP)', () => {
    it('returns transmitted bytes to the receiver instead of the output, and hides host input', () => {
      const { uart, rd, wr, out } = rig();
      uart.pushInput(bytes('H'));
      wr(R.MCR, MCR.LOOP);
      assert.equal(rd(R.LSR) & LSR.DR, 0, 'host input is disconnected');
      wr(R.RBR_THR_DLL, 0x55);
      assert.deepEqual(out, []);
      assert.equal(rd(R.LSR) & LSR.DR, LSR.DR);
      assert.equal(rd(R.RBR_THR_DLL), 0x55);
      assert.equal(uart.inputConsumed, 0, 'looped bytes are not input');
      wr(R.MCR, 0);
      assert.equal(rd(R.RBR_THR_DLL), 0x48);
    });

    it('wires the modem outputs to the modem inputs in MSR', () => {
      const { rd, wr } = rig();
      wr(R.MCR, MCR.LOOP | MCR.OUT2 | MCR.RTS);
      assert.equal(rd(R.MSR), 0x80 | 0x10); // DCD, CTS
      wr(R.MCR, MCR.LOOP | MCR.OUT1 | MCR.DTR);
      assert.equal(rd(R.MSR), 0x40 | 0x20); // RI, DSR
    });

    it('flags an overrun in LSR.OE, raises a line-status interrupt above all others, clears both on an LSR read', () => {
      const { rd, wr, level } = rig();
      wr(R.IER_DLM, IER.RLSI | IER.RDI | IER.THRI);
      wr(R.MCR, MCR.LOOP);
      wr(R.RBR_THR_DLL, 1);
      wr(R.RBR_THR_DLL, 2);
      assert.equal(rd(R.IIR_FCR), IIR.RLSI);
      assert.equal(level(), true);
      assert.equal(rd(R.LSR), LSR.DR | LSR.OE | LSR.THRE | LSR.TEMT);
      assert.equal(rd(R.LSR), LSR.DR | LSR.THRE | LSR.TEMT);
      assert.equal(rd(R.IIR_FCR), IIR.RDI);
      assert.equal(rd(R.RBR_THR_DLL), 2, 'without FIFOs the newer byte replaces the older');
    });

    it('holds 16 looped bytes with FIFOs; the 17th overruns; a receive-FIFO reset discards them', () => {
      const { rd, wr } = rig();
      wr(R.IIR_FCR, FCR.FE);
      wr(R.MCR, MCR.LOOP);
      for (let i = 0; i < 17; i++) wr(R.RBR_THR_DLL, i);
      assert.equal(rd(R.LSR) & LSR.OE, LSR.OE);
      wr(R.IIR_FCR, FCR.FE | FCR.RFR);
      assert.equal(rd(R.LSR) & LSR.DR, 0);
      for (let i = 0; i < 3; i++) wr(R.RBR_THR_DLL, 0x40 + i);
      assert.deepEqual([rd(0), rd(0), rd(0), rd(R.LSR) & LSR.DR], [0x40, 0x41, 0x42, 0]);
    });
  });

  describe('peek', () => {
    it('shows what a read would return without popping input, acknowledging THRE or clearing OE', () => {
      const { uart, rd, wr } = rig();
      wr(R.IER_DLM, IER.THRI | IER.RLSI);
      const peek = (off: number) => Number(uart.peek(off, 1));
      assert.equal(peek(R.IIR_FCR), IIR.THRI);
      assert.equal(peek(R.IIR_FCR), IIR.THRI);
      assert.equal(rd(R.IIR_FCR), IIR.THRI, 'the peek did not acknowledge it');

      uart.pushInput(bytes('pq'));
      assert.equal(peek(R.RBR_THR_DLL), 0x70);
      assert.equal(peek(R.RBR_THR_DLL), 0x70);
      assert.equal(uart.inputConsumed, 0);
      assert.equal(rd(R.RBR_THR_DLL), 0x70);

      wr(R.MCR, MCR.LOOP);
      wr(R.RBR_THR_DLL, 1);
      wr(R.RBR_THR_DLL, 2);
      assert.equal(peek(R.LSR) & LSR.OE, LSR.OE);
      assert.equal(peek(R.LSR) & LSR.OE, LSR.OE);
      assert.equal(peek(R.IIR_FCR), IIR.RLSI);
      assert.equal(rd(R.LSR) & LSR.OE, LSR.OE);
      assert.equal(rd(R.LSR) & LSR.OE, 0);
    });

    it('does not change the interrupt line', () => {
      const { uart, wr, irq } = rig();
      wr(R.IER_DLM, IER.THRI | IER.RDI);
      uart.pushInput(bytes('x'));
      const before = irq.length;
      for (let off = 0; off < 8; off++) uart.peek(off, 1);
      assert.equal(irq.length, before);
    });
  });

  describe('snapshot and restore', () => {
    /** Drives a UART through a fixed script and returns everything observable. */
    function script(uart: Uart16550): number[] {
      const seen: number[] = [];
      uart.onOutput = (b) => seen.push(0x1000 | b);
      uart.onIrq = (l) => seen.push(l ? 0x2001 : 0x2000);
      for (let i = 0; i < 8; i++) seen.push(Number(uart.peek(i, 1)));
      for (let i = 0; i < 6; i++) { seen.push(Number(uart.read(R.IIR_FCR, 1)), Number(uart.read(R.LSR, 1)), Number(uart.read(R.RBR_THR_DLL, 1))); }
      uart.write(R.MCR, 1, 0n);
      uart.write(R.RBR_THR_DLL, 1, 0x5an);
      for (let i = 0; i < 4; i++) seen.push(Number(uart.read(R.RBR_THR_DLL, 1)));
      seen.push(uart.inputConsumed, uart.inputReceived);
      return seen;
    }

    function busyUart(): Uart16550 {
      const u = new Uart16550();
      u.write(R.LCR, 1, BigInt(LCR.DLAB));
      u.write(R.RBR_THR_DLL, 1, 3n);
      u.write(R.LCR, 1, 3n);
      u.write(R.SCR, 1, 0x99n);
      u.write(R.IIR_FCR, 1, BigInt(FCR.FE | (1 << 6)));
      u.write(R.IER_DLM, 1, BigInt(IER.RDI | IER.THRI | IER.RLSI));
      u.pushInput(bytes('0123456789'));
      u.read(R.RBR_THR_DLL, 1);
      u.write(R.MCR, 1, BigInt(MCR.LOOP | MCR.OUT2));
      u.write(R.RBR_THR_DLL, 1, 0x41n);
      return u;
    }

    it('captures registers, looped bytes and unread input as JSON, and restores them exactly', () => {
      const a = busyUart();
      const snap = JSON.parse(JSON.stringify(a.snapshot())) as unknown;
      const b = new Uart16550();
      b.restore(snap);
      assert.deepEqual(b.snapshot(), a.snapshot());
      assert.deepEqual(script(b), script(a));
    });

    it('has a script that tells states apart (a fresh UART runs it differently)', () => {
      const a = busyUart();
      const b = new Uart16550();
      assert.notDeepEqual(script(b), script(a));
    });

    it('re-drives the interrupt line on restore', () => {
      const a = busyUart();
      const b = new Uart16550();
      const irq: boolean[] = [];
      b.onIrq = (l) => irq.push(l);
      b.restore(a.snapshot());
      assert.deepEqual(irq, [true]);
    });

    it('refuses something that is not a UART snapshot, leaving the device as it was', () => {
      const u = busyUart();
      const before = u.snapshot();
      assert.throws(() => u.restore({ ...before, ier: 0x100 }), /uart: bad snapshot: field 'ier'/);
      assert.throws(() => u.restore({ ...before, input: 'xyz' }), /field 'input'/);
      assert.throws(() => u.restore(null), /not an object/);
      assert.deepEqual(u.snapshot(), before);
    });
  });
});
