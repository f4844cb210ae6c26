// The self-checking test programs for the xpc-virt board (riscv-tests style, one .S file each,
// harness in test-macros.h) and how to build them. Shared by the QEMU suite, which validates
// the programs against QEMU's `virt` machine, and the emulator's suite, which runs the same
// programs on our hart: every program must end through the SiFive test finisher with exit
// code 0; a failing case ends it with the case's number, and the UART gets a line naming it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { LAYOUTS, build, formatDiagnostic, imageToElf } from '../../../language/asm';

export interface TestProgram {
  /** The file's base name without `.S`. */
  readonly name: string;
  /** Absolute path of the `.S` source. */
  readonly path: string;
  /** What it covers. */
  readonly summary: string;
}

/**
 * The sources live next to this file in the repository; compiled, this module sits in
 * out/test/emulator/programs, four levels below the repository root.
 */
function findProgramsDir(): string {
  const candidates = [__dirname, path.resolve(__dirname, '../../../../test/emulator/programs')];
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'test-macros.h')));
  if (!found) throw new Error(`test programs not found (looked in ${candidates.join(', ')})`);
  return found;
}

export const PROGRAMS_DIR = findProgramsDir();

const LIST: ReadonlyArray<readonly [name: string, summary: string]> = [
  ['rv64i-alu', 'RV64I 64-bit arithmetic/logic, register and immediate forms, lui, auipc'],
  ['rv64i-shift', 'RV64I 64-bit shifts by register and immediate, amounts 0/1/31/32/63 and beyond'],
  ['rv64i-word', 'RV64I W forms: 32-bit results sign-extended, upper source bits ignored'],
  ['rv64i-mem', 'RV64I loads/stores, extension, byte lanes, misaligned accesses, fence, fence.i'],
  ['rv64i-control', 'RV64I branches taken/not taken, jal/jalr link values and targets, long branches'],
  ['rv64m-mul', 'RV64M mul, mulh, mulhsu, mulhu, mulw'],
  ['rv64m-div', 'RV64M division and remainder, W forms, division by zero, signed overflow'],
  ['rv64a', 'RV64A AMOs (.w/.d), LR/SC guarantees, misaligned AMO/LR exceptions'],
  ['rv64c', 'RV64C: every compressed form, explicit and by compression; reserved encodings; HINTs'],
  ['zicsr', 'Zicsr semantics, counters, misa/mhartid, read-only and privileged CSR access'],
  ['traps', 'ecall/ebreak/illegal/access faults, medeleg, mret/sret, TSR/TW/TVM, vectored mtvec'],
  ['sv39', 'Sv39: 4 KiB/2 MiB/1 GiB pages, page faults, U/SUM/MXR, A/D updates, MPRV, sfence.vma'],
  ['interrupts', 'CLINT mtime/mtimecmp/msip, interrupt enables and delegation, priority, WFI, vectors'],
];

export const PROGRAMS: readonly TestProgram[] = LIST.map(([name, summary]) => ({
  name, summary, path: path.join(PROGRAMS_DIR, `${name}.S`),
}));

/** Files in PROGRAMS_DIR that are not programs of their own. */
export const SUPPORT_FILES: readonly string[] = ['test-macros.h', 'harness-check.S'];

/**
 * Exit codes besides 0 (pass) and 1..250 (the failing case's number). QEMU truncates its exit
 * status to 8 bits, which is why case numbers stop at 250.
 */
export const EXIT_UNEXPECTED_TRAP = 255;
export const EXIT_BAD_TEST_NUMBER = 254;
export const EXIT_HARNESS_FAULT = 253;

export function describeExit(code: number): string {
  if (code === 0) return 'pass';
  if (code === EXIT_UNEXPECTED_TRAP) return 'unexpected trap';
  if (code === EXIT_BAD_TEST_NUMBER) return 'a case failed with an out-of-range test number';
  if (code === EXIT_HARNESS_FAULT) return 'trap inside the failure report';
  return `case ${code} failed`;
}

/**
 * Defines for building the programs to run on QEMU 7.2 (Debian 12's), which departs from the
 * privileged spec in three places; with XPC_QEMU the programs accept QEMU's behaviour there:
 * misaligned/faulting AMOs raise the load causes (4, 5) instead of the store/AMO ones (6, 7);
 * mepc/sepc keep a written bit 0; mret to S/U leaves mstatus.MPRV set. Builds for our emulator
 * use no defines and require the spec's behaviour.
 */
export const QEMU_DEFINES: ReadonlyMap<string, string> = new Map([['XPC_QEMU', '1']]);

/** The ELF file of a program; throws with the assembler's diagnostics when it does not build. */
export function buildProgram(source: string, defines: ReadonlyMap<string, string> = new Map()): Uint8Array {
  const result = build([{ path: source }], { includeDirs: [PROGRAMS_DIR], defines, rvc: true, layout: LAYOUTS.bare });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.image || errors.length) {
    throw new Error(`${path.basename(source)} does not build:\n${errors.map(formatDiagnostic).join('\n')}`);
  }
  return imageToElf(result.image, PROGRAMS_DIR);
}

/** Builds of harness-check.S, each of which must end with the given exit code and UART line. */
export interface HarnessScenario {
  readonly name: string;
  readonly defines: ReadonlyMap<string, string>;
  readonly exitCode: number;
  readonly output: RegExp;
}

const scenario = (n: number, name: string, exitCode: number, output: RegExp): HarnessScenario =>
  ({ name, defines: new Map([['SCENARIO', String(n)]]), exitCode, output });

export const HARNESS_SOURCE = path.join(PROGRAMS_DIR, 'harness-check.S');

export const HARNESS_SCENARIOS: readonly HarnessScenario[] = [
  scenario(1, 'a failing case in M-mode', 7, /^FAIL: test 7$/m),
  scenario(2, 'a failing case in U-mode', 9, /^FAIL: test 9$/m),
  scenario(3, 'a failing case in S-mode under Sv39, reported by the S-mode handler', 19, /^FAIL: test 19$/m),
  scenario(4, 'an unexpected trap in M-mode', EXIT_UNEXPECTED_TRAP,
    /^FAIL: unexpected trap in M-mode handler, test 77, cause 0x0000000000000003, epc 0x[0-9a-f]{16}, tval 0x[0-9a-f]{16}$/m),
  scenario(5, 'an unexpected trap delegated to S-mode under Sv39', EXIT_UNEXPECTED_TRAP,
    /^FAIL: unexpected trap in S-mode handler, test 78, cause 0x000000000000000d, epc 0x[0-9a-f]{16}, tval 0x0000000000001000$/m),
  scenario(6, 'every case passes', 0, /^$/),
];
