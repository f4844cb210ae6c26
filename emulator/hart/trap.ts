// Synchronous exceptions: thrown by memory access and instruction execution, caught by the
// step loop, which takes the trap. Throwing keeps the hot path free of status checks; traps are
// rare enough that the cost of an exception does not matter.

export const enum Cause {
  InstructionMisaligned = 0,
  InstructionAccessFault = 1,
  IllegalInstruction = 2,
  Breakpoint = 3,
  LoadMisaligned = 4,
  LoadAccessFault = 5,
  StoreMisaligned = 6,
  StoreAccessFault = 7,
  EcallFromU = 8,
  EcallFromS = 9,
  EcallFromM = 11,
  InstructionPageFault = 12,
  LoadPageFault = 13,
  StorePageFault = 15,
}

export const CAUSE_NAMES: Readonly<Record<number, string>> = {
  0: 'instruction address misaligned', 1: 'instruction access fault', 2: 'illegal instruction',
  3: 'breakpoint', 4: 'load address misaligned', 5: 'load access fault', 6: 'store/AMO address misaligned',
  7: 'store/AMO access fault', 8: 'environment call from U-mode', 9: 'environment call from S-mode',
  11: 'environment call from M-mode', 12: 'instruction page fault', 13: 'load page fault', 15: 'store/AMO page fault',
  24: 'invalid x-entry', 25: 'invalid xcall-cap', 26: 'invalid linkage', 27: 'swapseg error',
  28: 'link stack overflow', 29: 'relay segment not returned',
};

export const INTERRUPT_NAMES: Readonly<Record<number, string>> = {
  1: 'supervisor software interrupt', 3: 'machine software interrupt', 5: 'supervisor timer interrupt',
  7: 'machine timer interrupt', 9: 'supervisor external interrupt', 11: 'machine external interrupt',
};

export class Trap {
  constructor(readonly cause: number, readonly tval: bigint) {}
}
