// The headless CLI: `npx xpc <command>`. Each command lives in commands/ and registers a
// one-line summary here, so `xpc --help` lists exactly what exists.

import { asmCommand } from './commands/asm';
import { benchCommand } from './commands/bench';
import { buildCommand } from './commands/build';
import { dapCommand } from './commands/dap';
import { disasmCommand } from './commands/disasm';
import { genCommand } from './commands/gen';
import { lspCommand } from './commands/lsp';
import { runCommand } from './commands/run';
import { Command } from './command';

const COMMANDS: readonly Command[] = [asmCommand, disasmCommand, runCommand, buildCommand, genCommand, lspCommand, dapCommand, benchCommand];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: xpc <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `xpc <command> --help` for the options of a command.',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    console.log('xpc 0.1.0');
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    console.error(`xpc: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(cmd.usage);
    return 0;
  }
  return cmd.run(rest);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => { console.error(`xpc: internal error: ${e instanceof Error ? e.stack : String(e)}`); process.exitCode = 70; },
  );
}
