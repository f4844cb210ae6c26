// The debug adapter as a process: DAP over standard input and output. Stray exceptions are
// logged to stderr, never allowed to end the session silently.

import { XpcDebugSession } from './session';

export function serveDapStdio(): void {
  process.on('uncaughtException', (e) => { process.stderr.write(`xpc debug adapter: ${e instanceof Error ? e.stack : String(e)}\n`); });
  process.on('unhandledRejection', (e) => { process.stderr.write(`xpc debug adapter: ${e instanceof Error ? e.stack : String(e)}\n`); });
  const session = new XpcDebugSession();
  session.setRunAsServer(false);
  session.start(process.stdin, process.stdout);
}
