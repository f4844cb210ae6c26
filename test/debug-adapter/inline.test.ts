// The session in-process, as the extension runs it (DebugAdapterInlineImplementation): messages
// in through handleMessage, out through onDidSendMessage; no process, no stdio.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { DebugProtocol } from '@vscode/debugprotocol';
import { XpcDebugSession } from '../../debug-adapter/session';

const FIX = path.resolve(__dirname, '../../../test/debug-adapter/fixtures');

describe('debug adapter inline (the extension\'s way)', () => {
  it('is constructible with no arguments and debugs through handleMessage', async () => {
    const session = new XpcDebugSession();
    const sent: DebugProtocol.ProtocolMessage[] = [];
    const waiters: { test: (m: DebugProtocol.ProtocolMessage) => boolean; resolve: (m: DebugProtocol.ProtocolMessage) => void }[] = [];
    session.onDidSendMessage((m) => {
      const msg = m as DebugProtocol.ProtocolMessage;
      sent.push(msg);
      for (const w of waiters.splice(0)) { if (w.test(msg)) w.resolve(msg); else waiters.push(w); }
    });
    const next = (test: (m: DebugProtocol.ProtocolMessage) => boolean) => new Promise<DebugProtocol.ProtocolMessage>((resolve) => {
      const found = sent.find(test);
      if (found) resolve(found); else waiters.push({ test, resolve });
    });
    let seq = 1;
    const request = (command: string, args?: unknown) => {
      const s = seq++;
      session.handleMessage({ seq: s, type: 'request', command, arguments: args } as DebugProtocol.Request);
      return next((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === s) as Promise<DebugProtocol.Response>;
    };
    try {
      const init = await request('initialize', { adapterID: 'xpc', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
      assert.equal(init.success, true);
      const launched = request('launch', { program: path.join(FIX, 'xpc-demo.S'), stopOnEntry: true });
      await next((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'initialized');
      await request('configurationDone');
      assert.equal((await launched).success, true);
      const stopped = await next((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'stopped') as DebugProtocol.StoppedEvent;
      assert.equal(stopped.body.reason, 'entry');
      const xe = await request('xpc.xEntries');
      assert.equal(xe.success, true);
      assert.deepEqual((xe.body as { entries: unknown[] }).entries, [], 'no x-entry table before the boot code builds it');
      await request('disconnect', {});
    } finally {
      session.dispose();
    }
  });
});
