import * as fs from 'node:fs';
import { buildSystem, formatSystemDiagnostic } from '../../kernel/system/build';
import { Command, parseOptions } from '../command';

const USAGE = `usage: xpc build [-o image.elf] system.json

Builds the boot image of a system description (docs/kernel.md): assembles the kernel and every
process, lays out their memory and page tables, writes the boot info and one ELF to load at the
board's physical addresses (run it with \`xpc run image.elf\`, or build and run with
\`xpc run system.json\`). An invalid description is refused with every problem listed by JSON path.
  -o FILE   output file (default: the description's name with .elf)`;

export const buildCommand: Command = {
  name: 'build',
  summary: 'build the boot image (kernel + processes) of a system description',
  usage: USAGE,
  run(args) {
    const o = parseOptions(args, ['-o']);
    if (o.error || o.positional.length !== 1) { console.error(`xpc build: ${o.error ?? 'one system description (.json) expected'}\n${USAGE}`); return 2; }
    const file = o.positional[0];
    const out = o.values.get('-o')?.at(-1) ?? file.replace(/\.json$/i, '') + '.elf';
    const r = buildSystem(file);
    if (!r.image) {
      for (const d of r.diagnostics) console.error(`${file}: ${formatSystemDiagnostic(d)}`);
      console.error(`xpc build: ${r.diagnostics.length} problem${r.diagnostics.length === 1 ? '' : 's'}; nothing built`);
      return 1;
    }
    try { fs.writeFileSync(out, r.image.elf); } catch (e) { console.error(`xpc build: cannot write ${out}: ${(e as Error).message}`); return 1; }
    console.log(`wrote ${out} (${r.image.processes.length} process${r.image.processes.length === 1 ? '' : 'es'}, ${r.image.elf.length} bytes)`);
    return 0;
  },
};
