import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build, imageToElf } from '../../../language/asm';
import { Machine } from '../../../emulator/machine/machine';
import { PROFILES, TimingProfileName } from '../../../emulator/timing/params';

/**
 * Calibration: microprograms whose cycle counts follow by hand from the profile's parameters.
 * Every expected count below is derived in a comment from the parameters (P = PROFILES.default
 * unless a test says otherwise) and asserted exactly. Code is built with `.option norvc` and
 * measured regions start on a 64-byte line, so I-cache misses are countable: the first fetch from
 * each line costs missPenalty. A region runs from a breakpoint at label `a` to one at `b`: the
 * cycles of every instruction in between, fetch stalls included, and nothing of `b` itself.
 */

const P = PROFILES.default;
const MISS = P.missPenalty; // 60
const FLUSH = P.flushPenalty; // 5

function setup(source: string, timing: TimingProfileName = 'default', xpcCacheSize?: number): { m: Machine; sym: (n: string) => number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpc-timing-'));
  const file = path.join(dir, 'p.S');
  fs.writeFileSync(file, `.option norvc\n.text\n.globl _start\n${source}`);
  const r = build([{ path: file }]);
  fs.rmSync(dir, { recursive: true, force: true });
  if (!r.image) throw new Error(r.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n'));
  const m = new Machine({ ramSize: 4 << 20, timing, xpcCacheSize });
  m.load(imageToElf(r.image), 'p.elf');
  const sym = (n: string) => {
    const s = r.image!.symbols.find((x) => x.name === n);
    if (!s) throw new Error(`no symbol ${n}`);
    return Number(s.value);
  };
  m.hart.pc = sym('_start');
  return { m, sym };
}

/** Runs to the breakpoint at `from` (unless stopped there), then to the one at `to`; the cycles in between. */
function cycles(m: Machine, sym: (n: string) => number, from: string, to: string): number {
  if (m.hart.pc !== sym(from)) {
    m.hart.setBreakpoints([sym(from)]);
    assert.deepEqual(m.run(100_000), { kind: 'breakpoint', pc: sym(from) });
  }
  const c0 = m.hart.cycles;
  m.hart.setBreakpoints([sym(to)]);
  assert.deepEqual(m.run(100_000), { kind: 'breakpoint', pc: sym(to) });
  return m.hart.cycles - c0;
}

function alignedLines(sym: (n: string) => number, ...labels: string[]): void {
  for (const l of labels) assert.equal(sym(l) % 64, 0, `${l} must start a cache line`);
}

const PT_ROOT = 0x80300000, PT_L1 = 0x80301000, PT_L0 = 0x80302000, DATA_PA = 0x80310000;

function pte(pa: number, flags: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, (BigInt(pa >>> 12) << 10n) | BigInt(flags), true);
  return b;
}

/** Sv39 tables: VA 0x8000_0000 (code) as a 1 GiB identity page; VA 0x4000_0000 through all three levels to DATA_PA. */
function sv39(m: Machine, asid: number): bigint {
  const V = 1, R = 2, W = 4, X = 8, A = 64, D = 128;
  m.writePhysical(PT_ROOT + 2 * 8, pte(0x80000000, V | R | W | X | A | D)); // root[2]: gigapage leaf
  m.writePhysical(PT_ROOT + 1 * 8, pte(PT_L1, V)); // root[1] → L1 (same root line as root[2])
  m.writePhysical(PT_L1 + 0 * 8, pte(PT_L0, V));
  m.writePhysical(PT_L0 + 0 * 8, pte(DATA_PA, V | R | W | A | D));
  return (8n << 60n) | (BigInt(asid) << 44n) | BigInt(PT_ROOT >>> 12);
}

describe('timing model calibration', () => {
  it('N dependent adds cost N cycles (plus one refill per I-cache line)', () => {
    const { m, sym } = setup(`
_start:
  li a0, 0
  li a1, 1
  j a
  .balign 64
a:
  .rept 32
  add a0, a0, a1
  .endr
b:
  ebreak
`);
    alignedLines(sym, 'a');
    // 32 adds, each using the previous result (ALU latency 1: no stall) = 32;
    // 128 bytes of code = 2 cold lines = 2 × missPenalty.
    assert.equal(cycles(m, sym, 'a', 'b'), 32 + 2 * MISS);
    assert.equal(m.hart.getReg(10), 32n);
  });

  it('load-use interlocks: word loads 2-cycle latency, sub-word loads 3, a pointer chase', () => {
    const { m, sym } = setup(`
_start:
  li a0, 0x80200000
  sd a0, 0(a0)       # a self-pointer; the store also brings the data line into the D-cache
  j a
  .balign 64
a:
  ld t0, 0(a0)       # 1
  add t1, t0, t0     # 1 + 1 stall (loadWordLatency 2)
  lw t0, 8(a0)       # 1
  add t1, t0, t0     # 1 + 1
  lbu t0, 16(a0)     # 1
  add t1, t0, t0     # 1 + 2 (loadSubwordLatency 3)
  lh t0, 24(a0)      # 1
  nop                # 1
  add t1, t0, t0     # 1 + 1 (one cycle of the 2-cycle bubble already passed)
  ld a0, 0(a0)       # 1 (a0 written long ago)
  ld a0, 0(a0)       # 1 + 1
  ld a0, 0(a0)       # 1 + 1
  ld a0, 0(a0)       # 1 + 1
b:
  ebreak
`);
    alignedLines(sym, 'a');
    const lw = P.loadWordLatency - 1, lb = P.loadSubwordLatency - 1;
    const expected = (2 + lw) * 2 + (2 + lb) + (3 + lw) + 1 + 3 * (1 + lw) + MISS; // 52 bytes: one cold I-line
    assert.equal(expected, 81);
    assert.equal(cycles(m, sym, 'a', 'b'), expected);
  });

  it('a loop branch mispredicts on the first taken and the last not-taken iteration (1-bit BHT, BTB allocation)', () => {
    const { m, sym } = setup(`
_start:
  li s0, 2
  j a
  .balign 64
a:
outer:
  li t0, 10
inner:
  addi t0, t0, -1
  bnez t0, inner
  addi s0, s0, -1
  bnez s0, outer
b:
  ebreak
`);
    alignedLines(sym, 'a');
    m.hart.setBreakpoints([sym('a')]);
    m.run(100); // the `j a` before the region mispredicts too: count from `a`
    const before = m.hart.timing!.counters.mispredicts;
    // Instructions: 2 outer iterations × (li + 10 × (addi + bnez) + addi + bnez) = 46.
    // Inner branch, 1st pass: first taken misses the BTB (predicted fall-through), last (not
    // taken) is predicted taken by the BHT: 2. 2nd pass: the BHT bit says not taken (last
    // outcome), so the first taken mispredicts again, and the exit: 2. Outer branch: taken
    // once (BTB miss), then not taken while the BHT says taken: 2. Total 6 × mispredictPenalty.
    // Code: 24 bytes, one cold line.
    assert.equal(cycles(m, sym, 'a', 'b'), 46 + 6 * P.mispredictPenalty + MISS);
    assert.equal(m.hart.timing!.counters.mispredicts - before, 6);
  });

  it('a stride of one line misses on every load; five lines of one set thrash a 4-way LRU set', () => {
    const { m, sym } = setup(`
_start:
  li a0, 0x80200000
  li s1, 0x80280000
  li t2, 4096
  add s2, s1, t2
  add s3, s2, t2
  add s4, s3, t2
  add s5, s4, t2
  j a
  .balign 64
a:
  .rept 8
  ld t1, 0(a0)
  addi a0, a0, 64
  .endr
b:
  j c
  .balign 64
c:
  .rept 2
  ld t1, 0(s1)
  ld t1, 0(s2)
  ld t1, 0(s3)
  ld t1, 0(s4)
  ld t1, 0(s5)
  .endr
d:
  ebreak
`);
    alignedLines(sym, 'a', 'c');
    // 8 × (ld: 1 + missPenalty, addi: 1); 64 bytes of code: one cold line.
    assert.equal(cycles(m, sym, 'a', 'b'), 8 * (1 + MISS + 1) + MISS);
    // Addresses 4 KiB apart fall in one set (64 sets × 64 B); five lines round-robin in 4 ways
    // under LRU: each access evicts the line needed four accesses later, so all 10 miss.
    // 40 bytes of code: one cold line.
    assert.equal(cycles(m, sym, 'c', 'd'), 10 * (1 + MISS) + MISS);
  });

  for (const profile of ['default', 'rocket2019'] as const) {
    it(`a walk of all three Sv39 levels, and satp switches with ${profile === 'default' ? '16 ASID bits (TLBs kept)' : 'no ASIDs (TLBs flushed)'}`, () => {
      const { m, sym } = setup(`
_start:
  li a0, 0x40000000
  j a
  .balign 64
a:
  ld t1, 0(a0)
  ld t2, 8(a0)
b:
  csrw satp, s1
  csrw satp, s2
c:
  ld t1, 0(a0)
d:
  ebreak
`, profile);
      alignedLines(sym, 'a');
      const h = m.hart;
      const satp0 = sv39(m, 0);
      h.writeCsr(0x180, satp0);
      h.setReg(9, satp0 | (1n << 44n)); // s1: the same tables under ASID 1
      h.setReg(18, satp0); // s2: back to ASID 0
      h.priv = 1; // S-mode
      const walk = (levels: number, misses: number) => P.ptwBaseCycles + levels * P.ptwLevelCycles + misses * MISS;
      // Before `a`: the first fetch walked one level (the gigapage, root line now cached).
      // At `a`: cold I-line (MISS); ld: D-TLB miss → walk of 3 levels: root[1] hits the root
      // line, the L1 and L0 PTEs miss (2 + 3×3 + 2×60 = 131), then the data line misses (60);
      // second ld: D-TLB hit, same data line: 1.
      assert.equal(walk(3, 2), 131);
      assert.equal(cycles(m, sym, 'a', 'b'), MISS + (1 + walk(3, 2) + MISS) + 1);
      // Each csrw satp is a CSR write: 1 + flushPenalty.
      const csrw = 1 + FLUSH;
      if (profile === 'default') {
        // The second csrw is fetched under ASID 1: I-TLB miss, 1-level walk hitting the D-cache (5).
        // Back under ASID 0 the old entries are still there: the ld's fetch and access hit (1).
        assert.equal(cycles(m, sym, 'b', 'd'), csrw + walk(1, 0) + csrw + 1);
      } else {
        // No ASIDs: each satp write flushes both TLBs. The second csrw's fetch walks (5); so
        // does the ld's fetch (5); the ld walks 3 levels, all D-cache hits (11), then hits (1).
        assert.equal(cycles(m, sym, 'b', 'd'), csrw + walk(1, 0) + csrw + walk(1, 0) + 1 + walk(3, 0));
      }
    });
  }

  it('a trap and its sret: a flush each, and the handler\'s CSR write', () => {
    const { m, sym } = setup(`
_start:
  la t1, back
  j a
  .balign 64
a:
  ecall
back:
  nop
b:
  ebreak
  .balign 64
handler:
  csrw sepc, t1
  sret
`);
    alignedLines(sym, 'a', 'handler');
    const h = m.hart;
    h.writeCsr(0x302, 1n << 8n); // medeleg: ecall from U to S
    h.writeCsr(0x105, BigInt(sym('handler'))); // stvec
    h.priv = 0; // U-mode, bare translation
    // ecall: cold line (MISS), trap taken: 1 + flushPenalty.
    // handler: cold line (MISS); csrw sepc: a CSR write flushes, 1 + flushPenalty.
    // sret: 1 + flushPenalty. nop back on the warm line: 1.
    assert.equal(cycles(m, sym, 'a', 'b'), MISS + (1 + FLUSH) + MISS + (1 + FLUSH) + (1 + FLUSH) + 1);
    assert.equal(h.priv, 0);
  });

  describe('xcall/xret', () => {
    const TABLE = 0x80100000, BITMAP = 0x80101000, LINK = 0x80102000;
    const SOURCE = `
_start:
  li a0, 2
  j a
  .balign 64
a:
  xcall a0
back:
  xcall a0
back2:
  ebreak
  .balign 64
callee:
  xret
`;
    function xpcSetup(xpcCacheSize?: number): { m: Machine; sym: (n: string) => number } {
      const r = setup(SOURCE, 'default', xpcCacheSize);
      const { m, sym } = r;
      const h = m.hart;
      const csr: Record<string, number> = { xentry_base: 0x5c0, xentry_size: 0x5c1, xcap: 0x5c2, xlink: 0x5c3, xlink_base: 0x5c4, xlink_limit: 0x5c5, xdomain: 0x5c8, xctl: 0x5c9 };
      const set = (n: string, v: number) => h.writeCsr(csr[n], BigInt(v));
      set('xentry_base', TABLE); set('xentry_size', 4); set('xcap', BITMAP);
      set('xlink', LINK); set('xlink_base', LINK); set('xlink_limit', LINK + 4 * 128); set('xdomain', 1); set('xctl', 1);
      const e = new Uint8Array(64);
      const dv = new DataView(e.buffer);
      [0n, BigInt(BITMAP), BigInt(sym('callee')), 0n, 0n, 7n, 1n, 0n].forEach((v, i) => dv.setBigUint64(8 * i, v, true));
      m.writePhysical(TABLE + 2 * 64, e);
      m.writePhysical(BITMAP, new Uint8Array([0b0100]));
      alignedLines(sym, 'a', 'callee');
      return r;
    }
    const LINE = P.xpcLineCycles;
    const XCALL_FIXED = 1 + FLUSH + P.xpcSwitchCycles;
    // xret: fixed part, the 128-byte record read (2 lines), its VALID flag written (1 line).
    const XRET_WARM = 1 + FLUSH + P.xpcSwitchCycles + 2 * LINE + LINE;

    it('with a cold engine cache and cold D-cache, then warm', () => {
      const { m, sym } = xpcSetup();
      // Cold: the xcall's line (MISS); x-entry read (1 line), bitmap byte (1 line), record write
      // (2 lines), each LINE + MISS.
      const cold = MISS + XCALL_FIXED + 4 * (LINE + MISS);
      assert.equal(cold, 1 + 5 + 6 + 4 * 62 + 60);
      assert.equal(cycles(m, sym, 'a', 'callee'), cold);
      // xret: the callee's cold line, then the record lines are in the D-cache.
      assert.equal(cycles(m, sym, 'callee', 'back'), MISS + XRET_WARM);
      // Warm: engine-cache hit, bitmap and record lines hit, the xcall's line too.
      const warm = XCALL_FIXED + P.xpcEngineHitCycles + LINE + 2 * LINE;
      assert.equal(warm, 19);
      assert.equal(cycles(m, sym, 'back', 'callee'), warm);
      assert.equal(cycles(m, sym, 'callee', 'back2'), XRET_WARM);
      assert.equal(XRET_WARM, 18);
    });

    it('without an engine cache the x-entry is read through the (warm) D-cache every time', () => {
      const { m, sym } = xpcSetup(0);
      cycles(m, sym, 'a', 'back');
      assert.equal(cycles(m, sym, 'back', 'callee'), XCALL_FIXED + LINE + LINE + 2 * LINE);
    });

    // Under Sv39 (S-mode), calling a domain whose satp differs only in its ASID: with 16 ASID
    // bits both address spaces keep their TLB entries across xcall and xret; without ASIDs
    // (rocket2019) every xcall and every xret flushes both TLBs and the next fetch and data
    // access walk again. The engine's structures sit in D-cache sets of their own (2, 4, 8–9;
    // the page tables and the data line fill set 0's four ways), so only the TLBs differ.
    for (const profile of ['default', 'rocket2019'] as const) {
      it(`a satp switch by xcall/xret under Sv39: ${profile === 'default' ? 'ASID-tagged TLBs keep both address spaces' : 'no ASIDs, both TLBs flushed on xcall and on xret'}`, () => {
        const { m, sym } = setup(`
_start:
  li a0, 2
  li a1, 0x40000000
  j a
  .balign 64
a:
  ld t1, 0(a1)
  xcall a0
  ld t1, 0(a1)
mid:
  xcall a0
  ld t1, 0(a1)
b:
  ebreak
  .balign 64
callee:
  ld t2, 0(a1)
  xret
`, profile);
        alignedLines(sym, 'a', 'callee');
        const h = m.hart;
        const TABLE2 = 0x80100000, BITMAP2 = 0x80101100, LINK2 = 0x80102200;
        const csr: Record<string, number> = { xentry_base: 0x5c0, xentry_size: 0x5c1, xcap: 0x5c2, xlink: 0x5c3, xlink_base: 0x5c4, xlink_limit: 0x5c5, xdomain: 0x5c8, xctl: 0x5c9 };
        const set = (n: string, v: number) => h.writeCsr(csr[n], BigInt(v));
        set('xentry_base', TABLE2); set('xentry_size', 4); set('xcap', BITMAP2);
        set('xlink', LINK2); set('xlink_base', LINK2); set('xlink_limit', LINK2 + 4 * 128); set('xdomain', 1); set('xctl', 1);
        const satp0 = sv39(m, 0);
        const e = new Uint8Array(64);
        const dv = new DataView(e.buffer);
        // The callee: the same page tables under ASID 1.
        [satp0 | (1n << 44n), BigInt(BITMAP2), BigInt(sym('callee')), 0n, 0n, 7n, 1n, 0n].forEach((v, i) => dv.setBigUint64(8 * i, v, true));
        m.writePhysical(TABLE2 + 2 * 64, e);
        m.writePhysical(BITMAP2, new Uint8Array([0b0100]));
        h.writeCsr(0x180, satp0);
        h.priv = 1; // S-mode
        const walk = (levels: number, misses: number) => P.ptwBaseCycles + levels * P.ptwLevelCycles + misses * MISS;
        const XCALL_WARM = XCALL_FIXED + P.xpcEngineHitCycles + LINE + 2 * LINE;
        // No region stops right after an xcall or xret: a stop starts a new run slice, which
        // picks up a satp change by itself and would hide a missing flush.
        // The first round is the same in both profiles (the callee's ASID is new either way).
        // a: cold I-line; the ld walks 3 levels (root line cached by the first fetch's walk, L1
        // and L0 lines cold) and misses its data line; xcall cold: entry, bitmap, 2 record lines.
        // callee: cold I-line; a new address space: the fetch walks 1 level (the gigapage) and
        // the ld 3 levels, all PTE lines cached now, the data line too; xret with its lines warm.
        const round1 = MISS + (1 + walk(3, 2) + MISS) + XCALL_FIXED + 4 * (LINE + MISS)
          + MISS + walk(1, 0) + 1 + walk(3, 0) + XRET_WARM;
        if (profile === 'default') {
          // Back under ASID 0 its entries are still there: the fetch and the ld hit. Under ASID
          // 1 again (warm xcall) the callee's entries are there too, and back again.
          assert.equal(cycles(m, sym, 'a', 'mid'), round1 + 1);
          assert.equal(cycles(m, sym, 'mid', 'b'), XCALL_WARM + 1 + XRET_WARM + 1);
        } else {
          // Every xcall and xret flushed both TLBs: after each, the first fetch walks 1 level
          // and the ld 3 levels (all D-cache hits).
          const refill = walk(1, 0) + 1 + walk(3, 0);
          assert.equal(refill, 17);
          assert.equal(cycles(m, sym, 'a', 'mid'), round1 + refill);
          assert.equal(cycles(m, sym, 'mid', 'b'), XCALL_WARM + refill + XRET_WARM + refill);
        }
        assert.equal(h.priv, 1);
      });
    }
  });

  it('mul and div: fixed multiply latency, data-dependent divide latency, one busy unit', () => {
    const { m, sym } = setup(`
_start:
  li a0, 12345
  li a1, 3
  li a2, -1
  li a3, 1
  j a
  .balign 64
a:
  mul t0, a0, a1     # 1; result at +mulLatency
  mul t0, t0, a1     # waits for t0 (and the unit): mulLatency - 1 stall, then 1
  add t1, t0, t0     # waits mulLatency - 1, then 1
b:
  divu t2, a2, a3    # 2^64 - 1 / 1: 64 quotient bits → divBaseLatency + 64
  add t1, t2, t2     # waits the divide's latency - 1
c:
  div t2, a0, a1     # 12345 (14 bits) / 3 (2 bits): 14 - 2 + 1 = 13 bits
  add t1, t2, t2
d:
  ebreak
`);
    alignedLines(sym, 'a');
    const L = P.mulLatency;
    assert.equal(cycles(m, sym, 'a', 'b'), MISS + 1 + L + L);
    assert.equal(cycles(m, sym, 'b', 'c'), 1 + (P.divBaseLatency + 64));
    assert.equal(P.divBaseLatency + 64, 65);
    assert.equal(cycles(m, sym, 'c', 'd'), 1 + (P.divBaseLatency + 13));
  });
});
