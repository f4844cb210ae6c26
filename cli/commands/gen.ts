import * as fs from 'node:fs';
import * as path from 'node:path';
import { XPC_GENERATED_BEGIN, XPC_GENERATED_END, isaReferenceMarkdown, xpcTablesMarkdown } from '../../emulator/isa/reference';
import { opEnumSource } from '../../emulator/isa/op-enum';
import { Command, parseOptions } from '../command';
import { abiIncSource } from '../../kernel/abi/abi';
import { xpcLibIncSource } from '../../kernel/abi/xpc-lib';

const USAGE = `usage: xpc gen [--check] [--root DIR]

Regenerates the files derived from the ISA and CSR tables: docs/isa-reference.md, the tables
section of docs/xpc-isa.md, the emulator's opcode enum (emulator/hart/op.generated.ts) and the
kernel ABI include (kernel/include/abi.inc) and the XPC library's (kernel/lib/xpc/xpc-lib.inc).
  --check   change nothing; exit 1 if a file is out of date`;

/** Each generated file: its path and the text it should have, given its current text. */
export function generatedPages(root: string): { file: string; expected: (current: string | undefined) => string }[] {
  const dir = path.join(root, 'docs');
  return [
    { file: path.join(root, 'emulator', 'hart', 'op.generated.ts'), expected: () => opEnumSource() },
    { file: path.join(root, 'kernel', 'include', 'abi.inc'), expected: () => abiIncSource() },
    { file: path.join(root, 'kernel', 'lib', 'xpc', 'xpc-lib.inc'), expected: () => xpcLibIncSource() },
    { file: path.join(dir, 'isa-reference.md'), expected: () => isaReferenceMarkdown() },
    {
      file: path.join(dir, 'xpc-isa.md'),
      expected: (current) => {
        if (current === undefined) throw new Error('docs/xpc-isa.md is missing (it has hand-written parts)');
        const b = current.indexOf(XPC_GENERATED_BEGIN), e = current.indexOf(XPC_GENERATED_END);
        if (b < 0 || e < b) throw new Error(`docs/xpc-isa.md lacks the markers ${XPC_GENERATED_BEGIN} … ${XPC_GENERATED_END}`);
        return current.slice(0, b) + xpcTablesMarkdown() + current.slice(e + XPC_GENERATED_END.length);
      },
    },
  ];
}

export const genCommand: Command = {
  name: 'gen',
  summary: 'regenerate (or --check) the files derived from the ISA and kernel ABI tables (docs, opcode enum, .inc)',
  usage: USAGE,
  run(args) {
    const o = parseOptions(args, ['--root'], ['--check']);
    if (o.error || o.positional.length) { console.error(`xpc gen: ${o.error ?? 'no arguments expected'}\n${USAGE}`); return 2; }
    const root = o.values.get('--root')?.at(-1) ?? '.';
    let stale = 0;
    for (const page of generatedPages(root)) {
      const current = fs.existsSync(page.file) ? fs.readFileSync(page.file, 'utf8') : undefined;
      let expected: string;
      try { expected = page.expected(current); } catch (e) { console.error(`xpc gen: ${(e as Error).message}`); return 1; }
      if (current === expected) continue;
      if (o.flags.has('--check')) { console.error(`xpc gen: ${page.file} is out of date (run npm run gen)`); stale++; continue; }
      fs.writeFileSync(page.file, expected);
      console.log(`wrote ${page.file}`);
    }
    return stale ? 1 : 0;
  },
};
