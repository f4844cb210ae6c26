// The CSR table: number, name, lowest privilege that may access it, writability, documentation
// and bit fields. The emulator's CSR file, the assembler's CSR names, hover docs and the
// debugger's register views all come from here.

export type Privilege = 'U' | 'S' | 'M' | 'D';

export interface CsrField {
  readonly name: string;
  readonly hi: number;
  readonly lo: number;
  readonly description: string;
}

export interface CsrSpec {
  readonly number: number;
  readonly name: string;
  readonly privilege: Privilege;
  readonly readOnly: boolean;
  readonly description: string;
  readonly fields?: readonly CsrField[];
  /** Part of the XPC extension (docs/xpc-isa.md). */
  readonly xpc?: boolean;
  /**
   * A standard CSR this hart does not have (F, V, H, debug, RV32 halves…). Known by name only,
   * so the assembler accepts and the disassembler prints what GNU binutils do; any access
   * raises illegal instruction.
   */
  readonly unimplemented?: boolean;
}

const f = (name: string, hi: number, lo: number, description: string): CsrField => ({ name, hi, lo, description });

const STATUS_S_FIELDS: CsrField[] = [
  f('SIE', 1, 1, 'S-mode interrupt enable'), f('SPIE', 5, 5, 'SIE before the last trap into S'),
  f('UBE', 6, 6, 'U-mode big-endian (0)'), f('SPP', 8, 8, 'privilege before the last trap into S (0 U, 1 S)'),
  f('FS', 14, 13, 'floating-point state (0: off, no F here)'), f('XS', 16, 15, 'extension state (0)'),
  f('SUM', 18, 18, 'S-mode may access U pages'), f('MXR', 19, 19, 'loads from executable pages allowed'),
  f('UXL', 33, 32, 'U-mode XLEN (2 = 64)'), f('SD', 63, 63, 'some dirty state'),
];
const INTERRUPT_FIELDS = (prefix: string): CsrField[] => [
  f('SSI', 1, 1, `supervisor software interrupt ${prefix}`), f('MSI', 3, 3, `machine software interrupt ${prefix}`),
  f('STI', 5, 5, `supervisor timer interrupt ${prefix}`), f('MTI', 7, 7, `machine timer interrupt ${prefix}`),
  f('SEI', 9, 9, `supervisor external interrupt ${prefix}`), f('MEI', 11, 11, `machine external interrupt ${prefix}`),
];
const TVEC_FIELDS = [f('MODE', 1, 0, '0 direct, 1 vectored'), f('BASE', 63, 2, 'trap vector base address (4-byte aligned)')];
const CAUSE_FIELDS = [f('code', 62, 0, 'exception or interrupt code'), f('interrupt', 63, 63, '1 if the trap was an interrupt')];

const table: CsrSpec[] = [
  // Unprivileged counters (read-only shadows; access controlled by mcounteren/scounteren).
  { number: 0xc00, name: 'cycle', privilege: 'U', readOnly: true, description: 'Cycle counter (read-only shadow of mcycle; the timing model\'s cycle count).' },
  { number: 0xc01, name: 'time', privilege: 'U', readOnly: true, description: 'Real-time counter (shadow of the CLINT\'s mtime, derived deterministically from cycles).' },
  { number: 0xc02, name: 'instret', privilege: 'U', readOnly: true, description: 'Instructions-retired counter (shadow of minstret).' },
  ...Array.from({ length: 29 }, (_, i): CsrSpec => ({ number: 0xc03 + i, name: `hpmcounter${i + 3}`, privilege: 'U', readOnly: true, description: `Performance counter ${i + 3} (reads 0 on this board).` })),
  // Supervisor.
  { number: 0x100, name: 'sstatus', privilege: 'S', readOnly: false, description: 'Supervisor status: the S-visible view of mstatus.', fields: STATUS_S_FIELDS },
  { number: 0x104, name: 'sie', privilege: 'S', readOnly: false, description: 'Supervisor interrupt enable (the S view of mie, masked by mideleg).', fields: INTERRUPT_FIELDS('enable').filter((x) => x.name.startsWith('S')) },
  { number: 0x105, name: 'stvec', privilege: 'S', readOnly: false, description: 'Supervisor trap vector.', fields: TVEC_FIELDS },
  { number: 0x106, name: 'scounteren', privilege: 'S', readOnly: false, description: 'Counter enable for U-mode (bit 0 cycle, 1 time, 2 instret).' },
  { number: 0x10a, name: 'senvcfg', privilege: 'S', readOnly: false, description: 'Supervisor environment configuration (reads 0).' },
  { number: 0x140, name: 'sscratch', privilege: 'S', readOnly: false, description: 'Scratch register for S-mode trap handlers (usually the kernel stack or per-hart data).' },
  { number: 0x141, name: 'sepc', privilege: 'S', readOnly: false, description: 'Address of the instruction that trapped into S-mode.' },
  { number: 0x142, name: 'scause', privilege: 'S', readOnly: false, description: 'Cause of the last trap into S-mode (XPC exceptions are 24–29).', fields: CAUSE_FIELDS },
  { number: 0x143, name: 'stval', privilege: 'S', readOnly: false, description: 'Trap value of the last trap into S-mode (faulting address, instruction bits, x-entry id, …).' },
  { number: 0x144, name: 'sip', privilege: 'S', readOnly: false, description: 'Supervisor interrupt pending.', fields: INTERRUPT_FIELDS('pending').filter((x) => x.name.startsWith('S')) },
  { number: 0x180, name: 'satp', privilege: 'S', readOnly: false, description: 'Supervisor address translation and protection: MODE (0 Bare, 8 Sv39), ASID, root page-table PPN.', fields: [f('PPN', 43, 0, 'physical page number of the root page table'), f('ASID', 59, 44, 'address-space identifier'), f('MODE', 63, 60, '0 Bare, 8 Sv39')] },
  // Machine.
  { number: 0xf11, name: 'mvendorid', privilege: 'M', readOnly: true, description: 'Vendor id (0: not implemented).' },
  { number: 0xf12, name: 'marchid', privilege: 'M', readOnly: true, description: 'Architecture id (0).' },
  { number: 0xf13, name: 'mimpid', privilege: 'M', readOnly: true, description: 'Implementation id (0).' },
  { number: 0xf14, name: 'mhartid', privilege: 'M', readOnly: true, description: 'Hart id (0 on this single-hart board).' },
  { number: 0xf15, name: 'mconfigptr', privilege: 'M', readOnly: true, description: 'Configuration structure pointer (0).' },
  { number: 0x300, name: 'mstatus', privilege: 'M', readOnly: false, description: 'Machine status: global interrupt enables, previous privilege, memory-access modifiers and trap virtualisation bits.', fields: [
    ...STATUS_S_FIELDS.filter((x) => x.name !== 'SD'), f('MIE', 3, 3, 'M-mode interrupt enable'), f('MPIE', 7, 7, 'MIE before the last trap into M'),
    f('MPP', 12, 11, 'privilege before the last trap into M (0 U, 1 S, 3 M)'), f('MPRV', 17, 17, 'loads/stores use MPP\'s translation and protection'),
    f('TVM', 20, 20, 'trap satp accesses and sfence.vma in S'), f('TW', 21, 21, 'trap wfi in S'), f('TSR', 22, 22, 'trap sret in S'),
    f('SXL', 35, 34, 'S-mode XLEN (2 = 64)'), f('SD', 63, 63, 'some dirty state') ] },
  { number: 0x301, name: 'misa', privilege: 'M', readOnly: false, description: 'ISA and extensions: MXL = 2 (64-bit), letters I, M, A, C, S, U (writes ignored).' },
  { number: 0x302, name: 'medeleg', privilege: 'M', readOnly: false, description: 'Exception delegation: bit n set sends exception n taken in S or U to S-mode (XPC exceptions 24–29 included).' },
  { number: 0x303, name: 'mideleg', privilege: 'M', readOnly: false, description: 'Interrupt delegation to S-mode.', fields: INTERRUPT_FIELDS('delegated') },
  { number: 0x304, name: 'mie', privilege: 'M', readOnly: false, description: 'Machine interrupt enable.', fields: INTERRUPT_FIELDS('enable') },
  { number: 0x305, name: 'mtvec', privilege: 'M', readOnly: false, description: 'Machine trap vector.', fields: TVEC_FIELDS },
  { number: 0x306, name: 'mcounteren', privilege: 'M', readOnly: false, description: 'Counter enable for S-mode (bit 0 cycle, 1 time, 2 instret).' },
  { number: 0x30a, name: 'menvcfg', privilege: 'M', readOnly: false, description: 'Machine environment configuration (reads 0).' },
  { number: 0x320, name: 'mcountinhibit', privilege: 'M', readOnly: false, description: 'Counter inhibit (reads 0: counters always run).' },
  { number: 0x340, name: 'mscratch', privilege: 'M', readOnly: false, description: 'Scratch register for M-mode trap handlers.' },
  { number: 0x341, name: 'mepc', privilege: 'M', readOnly: false, description: 'Address of the instruction that trapped into M-mode.' },
  { number: 0x342, name: 'mcause', privilege: 'M', readOnly: false, description: 'Cause of the last trap into M-mode.', fields: CAUSE_FIELDS },
  { number: 0x343, name: 'mtval', privilege: 'M', readOnly: false, description: 'Trap value of the last trap into M-mode.' },
  { number: 0x344, name: 'mip', privilege: 'M', readOnly: false, description: 'Machine interrupt pending.', fields: INTERRUPT_FIELDS('pending') },
  ...Array.from({ length: 16 }, (_, i): CsrSpec => ({ number: 0x3a0 + i, name: `pmpcfg${i}`, privilege: 'M', readOnly: false, description: 'PMP configuration (reads 0; PMP grants everything on this board).' })).filter((c) => c.number % 2 === 0),
  ...Array.from({ length: 64 }, (_, i): CsrSpec => ({ number: 0x3b0 + i, name: `pmpaddr${i}`, privilege: 'M', readOnly: false, description: 'PMP address (reads 0; PMP grants everything on this board).' })),
  { number: 0xb00, name: 'mcycle', privilege: 'M', readOnly: false, description: 'Machine cycle counter: cycles charged by the timing model.' },
  { number: 0xb02, name: 'minstret', privilege: 'M', readOnly: false, description: 'Machine instructions-retired counter: the machine\'s clock for the debugger.' },
  ...Array.from({ length: 29 }, (_, i): CsrSpec => ({ number: 0xb03 + i, name: `mhpmcounter${i + 3}`, privilege: 'M', readOnly: false, description: `Machine performance counter ${i + 3} (reads 0).` })),
  ...Array.from({ length: 29 }, (_, i): CsrSpec => ({ number: 0x323 + i, name: `mhpmevent${i + 3}`, privilege: 'M', readOnly: false, description: `Machine performance event selector ${i + 3} (reads 0).` })),
  // XPC kernel registers (S-mode, custom range).
  { number: 0x5c0, name: 'xentry_base', privilege: 'S', readOnly: false, xpc: true, description: 'Physical address of the x-entry table (64-byte entries). Writing it flushes the XPC engine cache.' },
  { number: 0x5c1, name: 'xentry_size', privilege: 'S', readOnly: false, xpc: true, description: 'Number of entries in the x-entry table (entry 0 is reserved and never valid).' },
  { number: 0x5c2, name: 'xcap', privilege: 'S', readOnly: false, xpc: true, description: 'Physical address of the current domain\'s xcall-cap bitmap (entry i callable iff bit i%8 of byte i/8).' },
  { number: 0x5c3, name: 'xlink', privilege: 'S', readOnly: false, xpc: true, description: 'Physical address of the next free linkage-record slot (top of the thread\'s link stack; records are 128 bytes).' },
  { number: 0x5c4, name: 'xlink_base', privilege: 'S', readOnly: false, xpc: true, description: 'Physical address of the link stack\'s bottom (xret underflow check → exception 26).' },
  { number: 0x5c5, name: 'xlink_limit', privilege: 'S', readOnly: false, xpc: true, description: 'Physical address one past the link stack\'s end (xcall overflow check → exception 28).' },
  { number: 0x5c6, name: 'xseglist', privilege: 'S', readOnly: false, xpc: true, description: 'Physical address of the current domain\'s seg-list (32-byte slots).' },
  { number: 0x5c7, name: 'xseglist_len', privilege: 'S', readOnly: false, xpc: true, description: 'Number of slots in the current seg-list (swapseg index bound → exception 27).' },
  { number: 0x5c8, name: 'xdomain', privilege: 'S', readOnly: false, xpc: true, description: 'Current domain id (kernel-assigned small integer, 0 = none). The kernel finds the running domain from it on every trap.' },
  { number: 0x5c9, name: 'xctl', privilege: 'S', readOnly: false, xpc: true, description: 'XPC control.', fields: [f('EN', 0, 0, 'extension enabled (xcall/xret/swapseg are illegal while 0)'), f('FLUSH', 1, 1, 'write 1: flush the XPC engine cache (reads 0)')] },
  { number: 0x5ca, name: 'xseg_va', privilege: 'S', readOnly: false, xpc: true, description: 'Active relay segment (seg-reg): virtual base address.' },
  { number: 0x5cb, name: 'xseg_pa', privilege: 'S', readOnly: false, xpc: true, description: 'Active relay segment (seg-reg): physical base address (never visible to U-mode).' },
  { number: 0x5cc, name: 'xseg_len', privilege: 'S', readOnly: false, xpc: true, description: 'Active relay segment (seg-reg): length in bytes (0 = no segment).' },
  { number: 0x5cd, name: 'xseg_perm', privilege: 'S', readOnly: false, xpc: true, description: 'Active relay segment (seg-reg): permissions.', fields: [f('R', 0, 0, 'loads allowed'), f('W', 1, 1, 'stores and AMOs allowed')] },
  { number: 0x5ce, name: 'xcaller', privilege: 'S', readOnly: false, xpc: true, description: 'Domain id of the caller of the innermost active xcall (0 if none).' },
  // XPC user-visible registers.
  { number: 0xcc0, name: 'useg_va', privilege: 'U', readOnly: true, xpc: true, description: 'Read-only view of xseg_va: the relay segment\'s virtual base.' },
  { number: 0xcc1, name: 'useg_len', privilege: 'U', readOnly: true, xpc: true, description: 'Read-only view of xseg_len: the relay segment\'s length (0 = no segment).' },
  { number: 0xcc2, name: 'useg_perm', privilege: 'U', readOnly: true, xpc: true, description: 'Read-only view of xseg_perm (bit 0 R, bit 1 W).', fields: [f('R', 0, 0, 'loads allowed'), f('W', 1, 1, 'stores and AMOs allowed')] },
  { number: 0xcc3, name: 'uxcaller', privilege: 'U', readOnly: true, xpc: true, description: 'Read-only view of xcaller: the calling domain\'s id (0 if none).' },
  { number: 0x800, name: 'segmask_off', privilege: 'U', readOnly: false, xpc: true, description: 'Offset of the relay-segment window handed to the next callee (reset to 0 at every xcall/xret).' },
  { number: 0x801, name: 'segmask_len', privilege: 'U', readOnly: false, xpc: true, description: 'Length of the window handed to the next callee (all ones = to the end; reset at every xcall/xret).' },
  { number: 0x802, name: 'segmask_perm', privilege: 'U', readOnly: false, xpc: true, description: 'Permission mask applied to the handed window (bit 0 R, bit 1 W; reset to 0b11 at every xcall/xret).' },
];


// Standard CSRs the hart lacks, named as GNU binutils 2.40 (privileged spec 1.12) names them.
const FOREIGN: [number, string][] = [
  [0x001, 'fflags'], [0x002, 'frm'], [0x003, 'fcsr'], [0x008, 'vstart'], [0x009, 'vxsat'], [0x00a, 'vxrm'],
  [0x00f, 'vcsr'], [0x015, 'seed'],
  [0x10c, 'sstateen0'], [0x10d, 'sstateen1'], [0x10e, 'sstateen2'], [0x10f, 'sstateen3'], [0x114, 'sieh'],
  [0x14d, 'stimecmp'], [0x150, 'siselect'], [0x151, 'sireg'], [0x154, 'siph'], [0x15c, 'stopei'], [0x15d, 'stimecmph'],
  [0x200, 'vsstatus'], [0x204, 'vsie'], [0x205, 'vstvec'], [0x214, 'vsieh'], [0x240, 'vsscratch'], [0x241, 'vsepc'],
  [0x242, 'vscause'], [0x243, 'vstval'], [0x244, 'vsip'], [0x24d, 'vstimecmp'], [0x250, 'vsiselect'], [0x251, 'vsireg'],
  [0x254, 'vsiph'], [0x25c, 'vstopei'], [0x25d, 'vstimecmph'], [0x280, 'vsatp'],
  [0x308, 'mvien'], [0x309, 'mvip'], [0x30c, 'mstateen0'], [0x30d, 'mstateen1'], [0x30e, 'mstateen2'], [0x30f, 'mstateen3'],
  [0x310, 'mstatush'], [0x313, 'midelegh'], [0x314, 'mieh'], [0x318, 'mvienh'], [0x319, 'mviph'], [0x31a, 'menvcfgh'],
  [0x31c, 'mstateen0h'], [0x31d, 'mstateen1h'], [0x31e, 'mstateen2h'], [0x31f, 'mstateen3h'],
  [0x34a, 'mtinst'], [0x34b, 'mtval2'], [0x350, 'miselect'], [0x351, 'mireg'], [0x354, 'miph'], [0x35c, 'mtopei'],
  [0x5a8, 'scontext'],
  [0x600, 'hstatus'], [0x602, 'hedeleg'], [0x603, 'hideleg'], [0x604, 'hie'], [0x605, 'htimedelta'], [0x606, 'hcounteren'],
  [0x607, 'hgeie'], [0x608, 'hvien'], [0x609, 'hvictl'], [0x60a, 'henvcfg'], [0x60c, 'hstateen0'], [0x60d, 'hstateen1'],
  [0x60e, 'hstateen2'], [0x60f, 'hstateen3'], [0x613, 'hidelegh'], [0x615, 'htimedeltah'], [0x618, 'hvienh'],
  [0x61a, 'henvcfgh'], [0x61c, 'hstateen0h'], [0x61d, 'hstateen1h'], [0x61e, 'hstateen2h'], [0x61f, 'hstateen3h'],
  [0x643, 'htval'], [0x644, 'hip'], [0x645, 'hvip'], [0x646, 'hviprio1'], [0x647, 'hviprio2'], [0x64a, 'htinst'],
  [0x655, 'hviph'], [0x656, 'hviprio1h'], [0x657, 'hviprio2h'], [0x680, 'hgatp'], [0x6a8, 'hcontext'],
  [0x747, 'mseccfg'], [0x757, 'mseccfgh'],
  [0x7a0, 'tselect'], [0x7a1, 'tdata1'], [0x7a2, 'tdata2'], [0x7a3, 'tdata3'], [0x7a4, 'tinfo'], [0x7a5, 'tcontrol'],
  [0x7a8, 'mcontext'], [0x7aa, 'mscontext'], [0x7b0, 'dcsr'], [0x7b1, 'dpc'], [0x7b2, 'dscratch0'], [0x7b3, 'dscratch1'],
  [0xb80, 'mcycleh'], [0xb82, 'minstreth'],
  [0xc20, 'vl'], [0xc21, 'vtype'], [0xc22, 'vlenb'], [0xc80, 'cycleh'], [0xc81, 'timeh'], [0xc82, 'instreth'],
  [0xda0, 'scountovf'], [0xdb0, 'stopi'], [0xe12, 'hgeip'], [0xeb0, 'vstopi'], [0xfb0, 'mtopi'],
];
const foreignRange = (first: number, count: number, name: (i: number) => string) => {
  for (let i = 0; i < count; i++) FOREIGN.push([first + i, name(i)]);
};
// The RV32 halves and the odd pmpcfg registers exist only on RV32, but GNU names them anyway.
foreignRange(0x3a1, 15, (i) => `pmpcfg${i + 1}`);
foreignRange(0x723, 29, (i) => `mhpmevent${i + 3}h`);
foreignRange(0xb83, 29, (i) => `mhpmcounter${i + 3}h`);
foreignRange(0xc83, 29, (i) => `hpmcounter${i + 3}h`);
for (const [number, name] of FOREIGN) {
  if (table.some((c) => c.number === number)) continue;
  table.push({ number, name, privilege: csrMinPrivilege(number), readOnly: csrReadOnlyByNumber(number), unimplemented: true,
    description: 'Not implemented on this hart: any access raises illegal instruction. Known by name for compatibility with GNU tools.' });
}

export const CSRS: readonly CsrSpec[] = table;

const byNumber = new Map<number, CsrSpec>(table.map((c) => [c.number, c]));
const byName = new Map<string, CsrSpec>(table.map((c) => [c.name, c]));

export function csrByNumber(n: number): CsrSpec | undefined { return byNumber.get(n); }
export function csrByName(name: string): CsrSpec | undefined { return byName.get(name); }

/** Lowest privilege level that may access a CSR number, from its encoding (bits 9:8). */
export function csrMinPrivilege(n: number): Privilege {
  // 10 is the hypervisor level, which this hart lacks: treat it as S.
  return (['U', 'S', 'S', 'M'] as const)[(n >> 8) & 3];
}

/** Read-only by encoding (bits 11:10 = 11). */
export function csrReadOnlyByNumber(n: number): boolean {
  return ((n >> 10) & 3) === 3;
}
