import * as fs from 'node:fs';
import * as path from 'node:path';
import { LAYOUTS, Layout, build, formatDiagnostic, imageToElf, parseLayout } from '../../language/asm';
import { Command, parseOptions } from '../command';

const USAGE = `usage: xpc asm [-o out.elf] [-I dir]... [-D NAME[=VAL]]... [--march rv64imac] [--layout bare|user|FILE] file.S...

Assembles and links GNU-syntax RISC-V assembly (RV64IMAC, Zicsr, Zifencei, XPC) into an ELF
executable with symbols and DWARF line information. .S files go through the C preprocessor.
  -o FILE        output file (default: the first source's name with .elf)
  -I DIR         search DIR for .include and #include files
  -D NAME[=VAL]  define a preprocessor macro
  --march ARCH   rv64imac (default; compressed forms on) or rv64ima (no compressed forms)
  --layout L     bare (text at 0x80000000, the board), user (a kernel process), or a layout file
On any error nothing is written and the exit code is 1.`;

export const asmCommand: Command = {
  name: 'asm',
  summary: 'assemble and link .S/.s files into an ELF executable',
  usage: USAGE,
  run(args) {
    const o = parseOptions(args, ['-o', '-I', '-D', '--march', '--layout']);
    if (o.error) { console.error(`xpc asm: ${o.error}\n${USAGE}`); return 2; }
    if (!o.positional.length) { console.error(`xpc asm: no input files\n${USAGE}`); return 2; }
    const march = o.values.get('--march')?.at(-1) ?? 'rv64imac';
    const base = march.split('_')[0];
    if (!/^rv64(i|g)[a-z]*$/.test(base)) { console.error(`xpc asm: unsupported --march '${march}' (rv64 only)`); return 2; }
    const rvc = base.includes('c') || base.startsWith('rv64g');
    let layout: Layout;
    const lay = o.values.get('--layout')?.at(-1) ?? 'bare';
    if (lay === 'bare' || lay === 'user') layout = LAYOUTS[lay];
    else {
      let text: string;
      try { text = fs.readFileSync(lay, 'utf8'); } catch { console.error(`xpc asm: cannot read layout file ${lay}`); return 1; }
      const r = parseLayout(text, lay);
      for (const d of r.diagnostics) console.error(formatDiagnostic(d));
      if (!r.layout) return 1;
      layout = r.layout;
    }
    const defines = new Map<string, string>();
    for (const d of o.values.get('-D') ?? []) {
      const eq = d.indexOf('=');
      defines.set(eq < 0 ? d : d.slice(0, eq), eq < 0 ? '1' : d.slice(eq + 1));
    }
    const result = build(o.positional.map((p) => ({ path: p })), { includeDirs: o.values.get('-I') ?? [], defines, rvc, layout });
    for (const d of result.diagnostics) console.error(formatDiagnostic(d));
    if (!result.image) return 1;
    const out = o.values.get('-o')?.at(-1) ?? o.positional[0].replace(/\.[^./\\]*$/, '') + '.elf';
    const elf = imageToElf(result.image, process.cwd());
    // Written to a temporary name first, so a failure never leaves a truncated file behind.
    const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, elf);
    fs.renameSync(tmp, out);
    return 0;
  },
};
