// What the DAP-level suites share: where the adapter bundle and the sources are, finding a line
// by its text (so tests follow edits of the examples), and a launch that waits for the first stop.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';

export const ROOT = path.resolve(__dirname, '../../..');
/** The stdio adapter the suites start (`npm run build`). */
export const ADAPTER = path.join(ROOT, 'dist', 'debug-adapter.js');
export const EXAMPLES = path.join(ROOT, 'examples');

/** The 1-based line of the first line of `file` matching `re` (after the label `after`, if given). */
export function lineOf(file: string, re: RegExp, after?: string): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const start = after ? lines.findIndex((l) => l.startsWith(`${after}:`)) : 0;
  const i = lines.findIndex((l, k) => k >= start && re.test(l));
  if (i < 0) throw new Error(`no line matching ${re} in ${file}`);
  return i + 1;
}

export type Setup = (dc: DebugClient) => Promise<unknown>;

/** Mocha hooks of a suite whose every test talks to a fresh adapter over stdio (handed to `use`). */
export function adapterPerTest(use: (dc: DebugClient) => void): void {
  let dc: DebugClient | undefined;
  before(function () {
    if (!fs.existsSync(ADAPTER)) throw new Error(`${ADAPTER} is missing: run npm run build first`);
  });
  beforeEach(async () => {
    dc = new DebugClient('node', ADAPTER, 'xpc');
    await dc.start();
    use(dc);
  });
  afterEach(async () => { await dc?.stop().catch(() => undefined); });
}

/** Launches, runs `setup` between `initialized` and configurationDone, waits for the first stop. */
export async function launch(dc: DebugClient, args: Record<string, unknown>, setup?: Setup, timeoutMs = 20_000): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped', timeoutMs);
  await Promise.all([
    dc.waitForEvent('initialized').then(() => setup?.(dc)).then(() => dc.configurationDoneRequest()),
    dc.launch(args),
  ]);
  return (await stopped) as DebugProtocol.StoppedEvent;
}

export async function stack(dc: DebugClient, threadId: number): Promise<DebugProtocol.StackFrame[]> {
  return (await dc.stackTraceRequest({ threadId })).body.stackFrames;
}

/**
 * Runs `start` (a continue, a launch …) to the program's end. With time travel (the default) the
 * exit is first a stop with reason 'exit', from which the history can still be travelled; the
 * continue from there ends the session. Resolves with the exit event.
 */
export async function runToEnd(dc: DebugClient, start: () => Promise<unknown>, timeoutMs = 20_000): Promise<DebugProtocol.ExitedEvent> {
  const atExit = dc.waitForEvent('stopped', timeoutMs);
  await start();
  const stop = (await atExit) as DebugProtocol.StoppedEvent;
  if (stop.body.reason !== 'exit') throw new Error(`expected the stop at the exit, got '${stop.body.reason}': ${stop.body.description ?? ''}`);
  const exited = dc.waitForEvent('exited', timeoutMs);
  await dc.continueRequest({ threadId: stop.body.threadId ?? 1 });
  return (await exited) as DebugProtocol.ExitedEvent;
}
