// The extension's view models: plain functions from the debug adapter's custom-request bodies
// (the contract's JSON) to tree nodes, the status text and the launch configurations.

import * as assert from 'node:assert/strict';
import { linkStackNodes, processNodes, relaySegmentNodes, xEntryNodes } from '../../extension/models/views';
import { ViewNode, formatSize } from '../../extension/models/view-node';
import { statusText } from '../../extension/models/status';
import { configFor, dynamicConfigs, initialConfigs, resolveConfig, targetKind } from '../../extension/models/config';
import type { LinkStacksBody, ProcessesBody, RelaySegmentsBody, XEntriesBody } from '../../extension/protocol';

function find(nodes: ViewNode[], label: string): ViewNode {
  for (const n of nodes) {
    if (n.label === label) return n;
    const inner = n.children && findOrUndefined(n.children, label);
    if (inner) return inner;
  }
  throw new Error(`no node "${label}" in ${JSON.stringify(nodes.map((n) => n.label))}`);
}
function findOrUndefined(nodes: ViewNode[], label: string): ViewNode | undefined {
  try { return find(nodes, label); } catch { return undefined; }
}
function allIds(nodes: ViewNode[]): string[] {
  return nodes.flatMap((n) => [n.id, ...allIds(n.children ?? [])]);
}

const source = { path: '/w/server.S', line: 9 };

describe('extension view models', () => {
  describe('X-Entries', () => {
    const body: XEntriesBody = {
      available: true,
      entries: [
        { id: 1, valid: true, owner: 'server', handler: '0x80000120', symbol: 'server_echo', source, pageTable: 'server_pt', contexts: 4, contextsInUse: 1, callers: ['client'] },
        { id: 2, valid: false, handler: '0x0', pageTable: '0x0' },
      ],
    };
    const nodes = xEntryNodes(body);

    it('shows each entry with id, handler symbol, owner and contexts in use', () => {
      assert.equal(nodes.length, 2);
      assert.equal(nodes[0].label, '#1 server_echo');
      assert.equal(nodes[0].description, 'server · 1/4 contexts');
      assert.deepEqual(nodes[0].source, source);
      assert.equal(find(nodes[0].children!, 'may be called by').description, 'client');
      assert.equal(find(nodes[0].children!, 'handler').description, 'server_echo @ 0x80000120');
    });
    it('names a kernel system\'s entry by its description name and shows the function its stub calls', () => {
      const [kernel] = xEntryNodes({ available: true, entries: [
        { id: 1, valid: true, owner: 'server', name: 'echo', handler: '0x10040', symbol: 'echo_entry', handlerFunction: 'echo', source, pageTable: '0x80310000', contexts: 2, contextsInUse: 0, callers: ['client'] },
      ] });
      assert.equal(kernel.label, '#1 echo');
      assert.equal(find(kernel.children!, 'handler').description, 'echo (via echo_entry @ 0x10040)');
    });
    it('marks an invalid entry and falls back to the handler address', () => {
      assert.equal(nodes[1].label, '#2 0x0');
      assert.match(nodes[1].description!, /invalid/);
      assert.equal(nodes[1].icon, 'circle-slash');
      assert.equal(find(nodes[1].children!, 'may be called by').description, 'nobody');
    });
    it('gives unique ids', () => {
      const ids = allIds(nodes);
      assert.equal(new Set(ids).size, ids.length);
    });
    it('shows the reason when unavailable, and a message when empty or missing', () => {
      assert.equal(xEntryNodes({ available: false, reason: 'the XPC engine is disabled', entries: [] } as XEntriesBody)[0].label, 'the XPC engine is disabled');
      assert.equal(xEntryNodes({ available: true, entries: [] })[0].label, 'No x-entries registered');
      assert.equal(xEntryNodes(undefined)[0].label, 'No answer from the debug adapter');
      // A malformed body (entries not an array) is an empty list, not a crash.
      assert.equal(xEntryNodes({ available: true, entries: 'oops' } as unknown as XEntriesBody)[0].label, 'No x-entries registered');
    });
  });

  describe('Link Stack', () => {
    const record = (depth: number, caller: string) => ({
      depth, valid: true, callerProcess: caller, entryId: 1, returnAddress: '0x80000044',
      source: { path: '/w/client.S', line: 21 }, segment: { base: '0x40000000', size: '0x100', perm: 'RW' },
    });
    it('lists one thread\'s records directly, innermost first, with return address and segment', () => {
      const nodes = linkStackNodes({ available: true, threads: [{ threadId: 1, name: 'hart0', records: [record(0, 'client'), record(1, 'server')] }] });
      assert.deepEqual(nodes.map((n) => n.label), ['1: server', '0: client']);
      assert.equal(nodes[1].description, 'ret 0x80000044 · client.S:21 · entry #1');
      assert.deepEqual(nodes[1].source, { path: '/w/client.S', line: 21 });
      assert.equal(find(nodes[1].children!, 'handed segment').description, '0x40000000..0x40000100 (256 B RW)');
    });
    it('groups records per thread when there are several threads', () => {
      const body: LinkStacksBody = { available: true, threads: [
        { threadId: 1, name: 'client.main', records: [record(0, 'client')] },
        { threadId: 2, name: 'logger.main', records: [] },
      ] };
      const nodes = linkStackNodes(body);
      assert.deepEqual(nodes.map((n) => [n.label, n.description, n.expanded]), [['client.main', '1 record', true], ['logger.main', 'empty', false]]);
      assert.match(nodes[1].children![0].label, /Link stack empty/);
      const ids = allIds(nodes);
      assert.equal(new Set(ids).size, ids.length);
    });
    it('says "none" for a record that handed no segment', () => {
      const r = { ...record(0, 'client'), segment: { base: '0x0', size: '0x0' } };
      const nodes = linkStackNodes({ available: true, threads: [{ threadId: 1, name: 't', records: [r] }] });
      assert.equal(find(nodes[0].children!, 'handed segment').description, 'none');
    });
  });

  describe('Relay Segments', () => {
    const body: RelaySegmentsBody = {
      available: true,
      segReg: { valid: true, va: '0x40000000', pa: '0x80003000', size: '0x100', perm: 'RW' },
      segMask: { offset: '0x0', size: '0xffffffffffffffff' },
      segList: [
        { slot: 0, valid: true, va: '0x40010000', pa: '0x80004000', size: '0x2000', perm: 'R', owner: 'client' },
        { slot: 1, valid: false, va: '0x0', pa: '0x0', size: '0x0', perm: '' },
      ],
    };
    it('decodes seg-reg, seg-mask and every slot', () => {
      const nodes = relaySegmentNodes(body);
      assert.equal(find(nodes, 'seg-reg').description, '0x40000000..0x40000100 → pa 0x80003000 (256 B RW)');
      assert.equal(find(nodes, 'seg-mask').description, 'reset (the whole segment is handed on)');
      assert.equal(find(nodes, 'seg-list').description, '1/2 slots in use');
      assert.equal(find(nodes, 'slot 0').description, '0x40010000..0x40012000 → pa 0x80004000 (8 KiB R) · client');
      assert.equal(find(nodes, 'slot 1').description, 'empty');
    });
    it('shows a narrowed seg-mask', () => {
      const nodes = relaySegmentNodes({ ...body, segMask: { offset: '0x40', size: '0x20' } });
      assert.equal(find(nodes, 'seg-mask').description, 'offset 0x40, size 32 B');
    });
  });

  describe('Processes & Capabilities', () => {
    it('shows processes, their threads and capabilities', () => {
      const body: ProcessesBody = { available: true, processes: [{
        id: 3, name: 'echo', asid: 3, state: 'running',
        threads: [{ id: 7, name: 'echo.main', state: 'blocked', priority: 10 }],
        capabilities: [{ slot: 2, type: 'xcall', object: 'logger #4', badge: 9, rights: 'call' }],
      }] };
      const nodes = processNodes(body);
      assert.equal(nodes[0].description, 'pid 3 · asid 3 · running');
      assert.equal(nodes[0].iconColor, 'charts.green');
      assert.equal(find(nodes, 'echo.main').description, 'tid 7 · blocked · prio 10');
      assert.equal(find(nodes, 'echo.main').iconColor, 'charts.yellow');
      assert.equal(find(nodes, '[2] xcall').description, 'logger #4 · badge 9 · call');
    });
    it('is unavailable in bare-metal sessions with the adapter\'s reason', () => {
      assert.equal(processNodes({ available: false, reason: 'bare-metal program: no processes', processes: [] } as ProcessesBody)[0].label, 'bare-metal program: no processes');
    });
  });

  it('formats sizes', () => {
    assert.deepEqual(['0x0', '0x100', '0x2000', '0x100000', '0x40000000', '0x123', '0xffffffffffffffff', 'bad'].map(formatSize),
      ['0 B', '256 B', '8 KiB', '1 MiB', '1 GiB', '291 B', 'all', 'bad']);
  });

  describe('status bar', () => {
    it('shows process, instructions and cycles', () => {
      const s = statusText({ available: true, running: false, instructions: 1234, cycles: 56789, timing: 'default', process: 'client', pc: '0x80000040' });
      assert.equal(s?.text, '$(debug-pause) client · 1,234 instr · 56,789 cyc');
      assert.match(s!.tooltip, /pc 0x80000040/);
      assert.match(s!.tooltip, /timing: default/);
    });
    it('hides without state', () => {
      assert.equal(statusText(undefined), undefined);
      assert.equal(statusText({ available: false } as never), undefined);
    });
  });

  describe('launch configurations', () => {
    it('knows what a file launches as', () => {
      assert.deepEqual(['a.S', 'a.s', 'a.asm', 'a.elf', 'echo.system.json', 'dir/system.json', 'package.json', 'a.c'].map(targetKind),
        ['program', 'program', 'program', 'program', 'system', 'system', undefined, undefined]);
    });
    it('completes a bare F5 from the active file', () => {
      const r = resolveConfig({}, '/w/client.S');
      assert.ok('config' in r);
      assert.deepEqual(r.config, { type: 'xpc', request: 'launch', name: 'Debug client.S', program: '/w/client.S', stopOnEntry: false, timing: 'default' });
      const sys = resolveConfig({}, '/w/echo.system.json');
      assert.ok('config' in sys && sys.config.system === '/w/echo.system.json');
    });
    it('refuses a bare F5 on a file it cannot run, and a configuration without a target', () => {
      assert.ok('error' in resolveConfig({}, '/w/notes.md'));
      assert.ok('error' in resolveConfig({}, undefined));
      const r = resolveConfig({ type: 'xpc', request: 'launch', name: 'x' }, '/w/a.S');
      assert.ok('error' in r && /needs "program"/.test(r.error));
      const t = resolveConfig({ type: 'xpc', request: 'launch', name: 'x', program: 'a.S', timing: 'fast' }, undefined);
      assert.ok('error' in t && /timing/.test(t.error));
    });
    it('fills defaults but keeps what the user wrote', () => {
      const r = resolveConfig({ type: 'xpc', request: 'launch', name: 'mine', program: 'p.S', stopOnEntry: true, ramSize: 64 }, undefined);
      assert.ok('config' in r);
      assert.equal(r.config.stopOnEntry, true);
      assert.equal(r.config.ramSize, 64);
      assert.equal(r.config.timing, 'default');
    });
    it('offers initial and dynamic configurations', () => {
      assert.equal(initialConfigs([])[0].program, '${file}');
      assert.equal(initialConfigs(['${workspaceFolder}/echo.system.json'])[1].system, '${workspaceFolder}/echo.system.json');
      const dyn = dynamicConfigs('/w/client.S', ['/w/echo.system.json']);
      assert.deepEqual(dyn.map((c) => c.name), ['Debug this file: client.S', 'Debug this system: echo.system.json']);
      assert.deepEqual(dynamicConfigs('/w/echo.system.json', ['/w/echo.system.json']).map((c) => c.name), ['Debug this system: echo.system.json']);
      assert.deepEqual(dynamicConfigs(undefined, []), []);
      assert.equal(configFor('/w/x.elf', 'program').program, '/w/x.elf');
    });
  });
});
