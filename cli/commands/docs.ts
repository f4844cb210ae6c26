import * as fs from 'node:fs';
import * as path from 'node:path';
import { XPC_GENERATED_BEGIN, XPC_GENERATED_END, isaReferenceMarkdown, xpcTablesMarkdown } from '../../emulator/isa/reference';
import { Command, parseOptions } from '../command';

const USAGE = `usage: xpc docs [--check] [--dir docs]

Regenerates the reference pages generated from the ISA and CSR tables:
docs/isa-reference.md, and the tables section of docs/xpc-isa.md.
  --check   change nothing; exit 1 if a page is out of date`;

/** Each generated page: its path and the text it should have, given its current text. */
export function generatedPages(dir: string): { file: string; expected: (current: string | undefined) => string }[] {
  return [
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

export const docsCommand: Command = {
  name: 'docs',
  summary: 'regenerate (or --check) the reference pages generated from the ISA tables',
  usage: USAGE,
  run(args) {
    const o = parseOptions(args, ['--dir'], ['--check']);
    if (o.error || o.positional.length) { console.error(`xpc docs: ${o.error ?? 'no arguments expected'}\n${USAGE}`); return 2; }
    const dir = o.values.get('--dir')?.at(-1) ?? 'docs';
    let stale = 0;
    for (const page of generatedPages(dir)) {
      const current = fs.existsSync(page.file) ? fs.readFileSync(page.file, 'utf8') : undefined;
      let expected: string;
      try { expected = page.expected(current); } catch (e) { console.error(`xpc docs: ${(e as Error).message}`); return 1; }
      if (current === expected) continue;
      if (o.flags.has('--check')) { console.error(`xpc docs: ${page.file} is out of date (run npm run docs)`); stale++; continue; }
      fs.writeFileSync(page.file, expected);
      console.log(`wrote ${page.file}`);
    }
    return stale ? 1 : 0;
  },
};
