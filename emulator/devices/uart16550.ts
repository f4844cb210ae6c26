// NS16550A UART as QEMU's `virt` board has it (hw/char/serial.c is the behavioural reference),
// with one deliberate difference: the transmitter is instant and the receiver is fed by a
// flow-controlled host queue, so no byte is ever lost to timing and nothing depends on the host
// clock.
//
// Receive path. Bytes from the debugger/terminal wait in `input` (the "wire"); the receiver shows
// the first min(queued, capacity) of them, capacity being 16 with FIFOs enabled and 1 without.
// Because the sender waits for the receiver, a byte is taken from the input stream only when the
// guest reads RBR; `inputConsumed` counts those reads, which is what a replay needs. Bytes sent
// in loopback mode (MCR.LOOP) are held separately in `looped`: they come from the guest, not the
// input stream, and they can overrun (LSR.OE) as on real hardware.
//
// Character-timeout interrupts: with FIFOs on, data below the trigger level is reported as a
// timeout (IIR 0xC) at once, as if the four character times had already passed; there is no
// timer, so the outcome is the same whatever the timing model.

import { Device } from './device';
import { SnapshotError, StateReader, hexBytes } from './state';

export const UART_BASE = 0x1000_0000;
export const UART_SIZE = 0x100;
/** The UART's interrupt source at the PLIC (QEMU virt's UART0_IRQ). */
export const UART_IRQ = 10;

/** Register offsets (byte registers, stride 1). */
export const UART_REG = {
  RBR_THR_DLL: 0, IER_DLM: 1, IIR_FCR: 2, LCR: 3, MCR: 4, LSR: 5, MSR: 6, SCR: 7,
} as const;

export const IER = { RDI: 0x01, THRI: 0x02, RLSI: 0x04, MSI: 0x08 } as const;
export const IIR = { NO_INT: 0x01, MSI: 0x00, THRI: 0x02, RDI: 0x04, RLSI: 0x06, CTI: 0x0c, FIFO_ENABLED: 0xc0 } as const;
export const FCR = { FE: 0x01, RFR: 0x02, XFR: 0x04, DMS: 0x08, TRIGGER: 0xc0 } as const;
export const LCR = { DLAB: 0x80 } as const;
export const MCR = { DTR: 0x01, RTS: 0x02, OUT1: 0x04, OUT2: 0x08, LOOP: 0x10 } as const;
export const LSR = { DR: 0x01, OE: 0x02, THRE: 0x20, TEMT: 0x40 } as const;
/** MSR with the modem lines of a connected terminal: DCD, DSR and CTS asserted, no deltas. */
export const MSR_IDLE = 0xb0;

const FIFO_SIZE = 16;
const TRIGGER_LEVELS = [1, 4, 8, 14] as const;

export interface UartSnapshot {
  ier: number; lcr: number; mcr: number; scr: number; dll: number; dlm: number; fcr: number;
  /** Last byte read from RBR: what a non-FIFO RBR read returns when nothing is waiting. */
  rbr: number;
  overrun: boolean;
  thrPending: boolean;
  /** Hex strings of the loopback bytes and the unread input. */
  looped: string;
  input: string;
  inputConsumed: number;
  inputReceived: number;
}

export class Uart16550 implements Device {
  readonly name = 'uart';
  readonly base = UART_BASE;
  readonly size = UART_SIZE;

  /** Each byte the guest transmits (outside loopback mode). */
  onOutput?: (byte: number) => void;
  /** The interrupt output, called when its level changes (the board routes it to PLIC source 10). */
  onIrq?: (level: boolean) => void;

  private ier = 0;
  private lcr = 0;
  private mcr: number = MCR.OUT2;
  private scr = 0;
  private dll = 0x0c;
  private dlm = 0;
  private fcr = 0;
  private rbr = 0;
  private overrun = false;
  /** The THR-empty interrupt condition (QEMU's thr_ipending): cleared by reading it from IIR. */
  private thrPending = false;
  private looped: number[] = [];
  /** Input not yet read by the guest is input[inputHead..]; the head index avoids O(n) shifts. */
  private input: number[] = [];
  private inputHead = 0;
  private irqLevel = false;
  private consumed = 0;
  private received = 0;

  /** Input bytes the guest has read from RBR since reset (monotonic; for replay). */
  get inputConsumed(): number { return this.consumed; }
  /** Input bytes pushed since reset (consumed + still queued). */
  get inputReceived(): number { return this.received; }

  /** Queues bytes typed or sent by the host; they stay queued until the guest reads them. */
  pushInput(bytes: Uint8Array): void {
    for (const b of bytes) this.input.push(b & 0xff);
    this.received += bytes.length;
    this.updateIrq();
  }

  /** Bytes queued for the guest and not yet read. */
  get inputPending(): number { return this.input.length - this.inputHead; }

  read(offset: number, _size: 1 | 2 | 4 | 8): bigint {
    return BigInt(this.access(offset, true));
  }

  peek(offset: number, _size: 1 | 2 | 4 | 8): bigint {
    return BigInt(this.access(offset, false));
  }

  write(offset: number, _size: 1 | 2 | 4 | 8, value: bigint): void {
    // As QEMU's serial_mm_write: any access width reaches the register at `offset`, low byte only.
    const v = Number(value & 0xffn);
    switch (offset) {
      case UART_REG.RBR_THR_DLL:
        if (this.lcr & LCR.DLAB) this.dll = v;
        else this.transmit(v);
        break;
      case UART_REG.IER_DLM:
        if (this.lcr & LCR.DLAB) { this.dlm = v; break; }
        {
          const changed = (this.ier ^ v) & 0x0f;
          this.ier = v & 0x0f;
          // Enabling THRI re-samples THRE (QEMU, Bochs; drivers rely on it to kick transmission).
          if (changed & IER.THRI) this.thrPending = (this.ier & IER.THRI) !== 0;
        }
        break;
      case UART_REG.IIR_FCR: this.writeFcr(v); break;
      case UART_REG.LCR: this.lcr = v; break;
      case UART_REG.MCR: this.mcr = v & 0x1f; break;
      case UART_REG.SCR: this.scr = v; break;
      default: break; // LSR, MSR and the rest of the window are read-only or empty
    }
    this.updateIrq();
  }

  snapshot(): UartSnapshot {
    return {
      ier: this.ier, lcr: this.lcr, mcr: this.mcr, scr: this.scr, dll: this.dll, dlm: this.dlm, fcr: this.fcr,
      rbr: this.rbr, overrun: this.overrun, thrPending: this.thrPending,
      looped: hexBytes(this.looped), input: hexBytes(this.input.slice(this.inputHead)),
      inputConsumed: this.consumed, inputReceived: this.received,
    };
  }

  restore(state: unknown): void {
    const r = new StateReader(this.name, state);
    const byte = (k: string) => r.int(k, 0, 0xff);
    const looped = [...r.bytes('looped')];
    if (looped.length > FIFO_SIZE) throw new SnapshotError(this.name, 'more looped-back bytes than the FIFO holds');
    // Read everything before assigning anything, so a bad snapshot leaves the device untouched.
    const s = {
      ier: r.int('ier', 0, 0x0f), lcr: byte('lcr'), mcr: r.int('mcr', 0, 0x1f), scr: byte('scr'), dll: byte('dll'),
      dlm: byte('dlm'), fcr: byte('fcr'), rbr: byte('rbr'), overrun: r.bool('overrun'), thrPending: r.bool('thrPending'),
      input: [...r.bytes('input')],
      consumed: r.int('inputConsumed', 0, Number.MAX_SAFE_INTEGER), received: r.int('inputReceived', 0, Number.MAX_SAFE_INTEGER),
    };
    this.ier = s.ier; this.lcr = s.lcr; this.mcr = s.mcr; this.scr = s.scr; this.dll = s.dll; this.dlm = s.dlm;
    this.fcr = s.fcr; this.rbr = s.rbr; this.overrun = s.overrun; this.thrPending = s.thrPending;
    this.looped = looped; this.input = s.input; this.inputHead = 0;
    this.consumed = s.consumed; this.received = s.received;
    // The level is derived state: recompute it and tell the interrupt controller.
    this.irqLevel = this.computeIirId() !== IIR.NO_INT;
    this.onIrq?.(this.irqLevel);
  }

  // ---- internals ----------------------------------------------------------------------------

  private get loopback(): boolean { return (this.mcr & MCR.LOOP) !== 0; }
  private get fifoEnabled(): boolean { return (this.fcr & FCR.FE) !== 0; }

  /** Bytes the receiver holds as the guest sees them (looped-back ones first). */
  private rxCount(): number {
    // In loopback mode the serial input is disconnected from the receiver.
    const available = this.looped.length + (this.loopback ? 0 : this.inputPending);
    return Math.min(available, this.fifoEnabled ? FIFO_SIZE : 1);
  }

  private rxHead(): number | undefined {
    if (this.looped.length) return this.looped[0];
    if (!this.loopback && this.inputPending) return this.input[this.inputHead];
    return undefined;
  }

  private popRx(): number | undefined {
    if (this.looped.length) return this.looped.shift();
    if (this.loopback || !this.inputPending) return undefined;
    const b = this.input[this.inputHead++];
    this.consumed++;
    // Drop the consumed prefix now and then, so a long session does not keep all its input.
    if (this.inputHead >= 4096 && this.inputHead * 2 >= this.input.length) {
      this.input = this.input.slice(this.inputHead);
      this.inputHead = 0;
    }
    return b;
  }

  private lsr(): number {
    return LSR.THRE | LSR.TEMT | (this.rxCount() ? LSR.DR : 0) | (this.overrun ? LSR.OE : 0);
  }

  private msr(): number {
    if (!this.loopback) return MSR_IDLE;
    // Loopback wires the modem outputs to the inputs: RTS→CTS, DTR→DSR, OUT1→RI, OUT2→DCD.
    return ((this.mcr & 0x0c) << 4) | ((this.mcr & MCR.RTS) << 3) | ((this.mcr & MCR.DTR) << 5);
  }

  /** The interrupt identification (IIR bits 3:0), highest priority first, as the 16550 ranks them. */
  private computeIirId(): number {
    if ((this.ier & IER.RLSI) && this.overrun) return IIR.RLSI;
    const n = this.rxCount();
    if ((this.ier & IER.RDI) && n) {
      if (!this.fifoEnabled || n >= TRIGGER_LEVELS[this.fcr >> 6]) return IIR.RDI;
      return IIR.CTI;
    }
    if ((this.ier & IER.THRI) && this.thrPending) return IIR.THRI;
    // MSR never shows a delta (the modem lines never change), so IER.MSI never fires.
    return IIR.NO_INT;
  }

  private access(offset: number, effects: boolean): number {
    switch (offset) {
      case UART_REG.RBR_THR_DLL: {
        if (this.lcr & LCR.DLAB) return this.dll;
        if (!effects) return this.rxHead() ?? (this.fifoEnabled ? 0 : this.rbr);
        const b = this.popRx();
        if (b !== undefined) this.rbr = b;
        // QEMU: an empty FIFO reads 0; without FIFOs the holding register keeps its last byte.
        const v = b ?? (this.fifoEnabled ? 0 : this.rbr);
        this.updateIrq();
        return v;
      }
      case UART_REG.IER_DLM: return this.lcr & LCR.DLAB ? this.dlm : this.ier;
      case UART_REG.IIR_FCR: {
        const id = this.computeIirId();
        if (effects && id === IIR.THRI) {
          // Reading IIR while it names THRE acknowledges that interrupt (16550 datasheet).
          this.thrPending = false;
          this.updateIrq();
        }
        return id | (this.fifoEnabled ? IIR.FIFO_ENABLED : 0);
      }
      case UART_REG.LCR: return this.lcr;
      case UART_REG.MCR: return this.mcr;
      case UART_REG.LSR: {
        const v = this.lsr();
        if (effects && this.overrun) {
          this.overrun = false;
          this.updateIrq();
        }
        return v;
      }
      case UART_REG.MSR: return this.msr();
      case UART_REG.SCR: return this.scr;
      default: return 0;
    }
  }

  private transmit(byte: number): void {
    if (this.loopback) {
      if (this.fifoEnabled) {
        if (this.looped.length >= FIFO_SIZE) this.overrun = true;
        else this.looped.push(byte);
      } else {
        // Without FIFOs a new byte replaces an unread one and flags the overrun.
        if (this.rxCount()) this.overrun = true;
        this.looped = [byte];
      }
    } else {
      this.onOutput?.(byte);
    }
    // Writing THR clears the THRE interrupt, and the instant transmitter empties THR again at
    // once, which raises it anew: the net effect (as in QEMU with a ready backend) is "pending".
    this.thrPending = true;
  }

  private writeFcr(v: number): void {
    let cmd = v;
    // Changing the FIFO enable resets both FIFOs (16550 datasheet, QEMU).
    if ((v ^ this.fcr) & FCR.FE) cmd |= FCR.RFR | FCR.XFR;
    if (cmd & FCR.RFR) {
      // Only the looped-back bytes are in the device; host input is still "in the terminal"
      // (see the header), so a FIFO reset at start-up cannot eat typed-ahead input.
      this.looped = [];
      this.overrun = false;
    }
    if (cmd & FCR.XFR) this.thrPending = true;
    this.fcr = v & (FCR.FE | FCR.DMS | FCR.TRIGGER);
  }

  private updateIrq(): void {
    const level = this.computeIirId() !== IIR.NO_INT;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    this.onIrq?.(level);
  }
}
