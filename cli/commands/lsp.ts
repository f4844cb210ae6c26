import { serveStdio } from '../../language/server/server';
import { Command } from '../command';

const USAGE = `usage: xpc lsp --stdio
Runs the XPC assembly language server, speaking LSP on standard input and output, until the
client sends 'exit'. Options come from the client's initializationOptions:
  includeDirs  directories searched by .include and #include
  defines      {NAME: value} for the C preprocessor of .S files
  rvc          compressed instructions enabled (default true)
  debounceMs   delay between an edit and its diagnostics (default 200)`;

export const lspCommand: Command = {
  name: 'lsp',
  summary: 'run the XPC assembly language server (LSP on stdio)',
  usage: USAGE,
  run(args) {
    if (args.length !== 1 || args[0] !== '--stdio') {
      console.error(`xpc lsp: only --stdio is supported\n${USAGE}`);
      return 2;
    }
    serveStdio();
    // The connection keeps the process alive; it exits when the client sends 'exit'.
    return new Promise<number>(() => {});
  },
};
