// xlib-world.h's memory map, for every program built on that bare-metal world (test/xpc-lib and
// the benchmarks' fallback world, bench/ipc/bare): the per-domain private window and the
// world's kernel data, placed apart from the code at fixed addresses the header maps.

import type { Layout } from '../../language/asm';

export const XLIB_WORLD_LAYOUT: Layout = {
  name: 'xpc-lib world', base: 0x8000_0000n, sectionAlign: 8, entry: '_start',
  sections: [
    { name: '.text', inputs: ['.text.init', '.text', '.text.*'] },
    { name: '.rodata', inputs: ['.rodata', '.rodata.*'] },
    { name: '.data', inputs: ['.data', '.data.*'] },
    { name: '.bss', inputs: ['.sbss', '.bss'] },
    { name: '.xpcpriv', inputs: ['.bss.xpcpriv'], address: 0x8040_0000n },
    { name: '.kworld', inputs: ['.bss.kworld'], address: 0x8060_0000n },
  ],
};
