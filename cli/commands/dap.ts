import { serveDapStdio } from '../../debug-adapter/stdio';
import { Command } from '../command';

const USAGE = `usage: xpc dap
Runs the XPC debug adapter, speaking the Debug Adapter Protocol on standard input and output,
until the client disconnects. Launch attributes (type 'xpc', request 'launch'): program (.S/.s/
.asm or ELF), stopOnEntry, timing (off|default|rocket2019), ramSize (MiB), trace, includeDirs,
stopInKernel. See docs/debugger.md.`;

export const dapCommand: Command = {
  name: 'dap',
  summary: 'run the debug adapter (DAP on stdio)',
  usage: USAGE,
  run(args) {
    if (args.length) {
      console.error(`xpc dap: takes no arguments\n${USAGE}`);
      return 2;
    }
    serveDapStdio();
    // The session keeps the process alive until the client disconnects.
    return new Promise<number>(() => {});
  },
};
