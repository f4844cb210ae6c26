// The XPC Timeline's layout and rendering (no VS Code needed).

import * as assert from 'node:assert/strict';
import { GEOMETRY, escapeXml, layoutTimeline, makeNonce, mergeEvents, renderTimelineSvg, timelineHtml } from '../../extension/models/timeline';
import type { CallEvent } from '../../extension/protocol';

const events: CallEvent[] = [
  { seq: 0, kind: 'xcall', instructions: 100, cycles: 400, from: 'client', to: 'server', entryId: 1, pc: '0x80000040', source: { path: '/w/client.S', line: 20 } },
  { seq: 1, kind: 'xcall', instructions: 150, cycles: 600, from: 'server', to: 'logger', entryId: 2, pc: '0x80000100' },
  { seq: 2, kind: 'fault', instructions: 160, cycles: 650, from: 'logger', pc: '0x80000200', cause: 'load page fault' },
  { seq: 3, kind: 'xret', instructions: 170, cycles: 700, from: 'logger', to: 'server', pc: '0x80000210' },
  { seq: 4, kind: 'swapseg', instructions: 180, cycles: 720, from: 'server', pc: '0x80000120' },
];

describe('XPC timeline', () => {
  it('puts processes on lanes in order of first appearance and events on rows in order', () => {
    const layout = layoutTimeline([...events].reverse());
    assert.deepEqual(layout.lanes.map((l) => l.name), ['client', 'server', 'logger']);
    assert.deepEqual(layout.rows.map((r) => r.seq), [0, 1, 2, 3, 4]);
    const x = Object.fromEntries(layout.lanes.map((l) => [l.name, l.x]));
    assert.equal(x.server - x.client, GEOMETRY.laneWidth);
    assert.deepEqual([layout.rows[0].fromX, layout.rows[0].toX], [x.client, x.server]);
    assert.deepEqual([layout.rows[3].fromX, layout.rows[3].toX], [x.logger, x.server]);
    // a fault and a swapseg stay in their process
    assert.equal(layout.rows[2].fromX, layout.rows[2].toX);
    assert.ok(layout.rows.every((r, i) => i === 0 || r.y > layout.rows[i - 1].y));
    assert.ok(layout.height > layout.rows[4].y && layout.width > x.logger);
  });

  it('labels rows and uses the chosen axis', () => {
    const byInstr = layoutTimeline(events, 'instructions');
    const byCycles = layoutTimeline(events, 'cycles');
    assert.deepEqual(byInstr.rows.map((r) => r.label), ['xcall #1', 'xcall #2', 'fault: load page fault', 'xret', 'swapseg']);
    assert.equal(byInstr.rows[0].axisLabel, '100');
    assert.equal(byCycles.rows[0].axisLabel, '400');
    assert.match(byInstr.rows[0].detail, /client → server/);
    assert.match(byInstr.rows[0].detail, /client\.S:20/);
    assert.match(byInstr.rows[2].detail, /in logger/);
  });

  it('merges refreshed events without duplicates and ignores malformed ones', () => {
    const merged = mergeEvents(events.slice(0, 3), [events[2], events[4], events[3], { nonsense: true }, null]);
    assert.deepEqual(merged.map((e) => e.seq), [0, 1, 2, 3, 4]);
    assert.deepEqual(mergeEvents(events.slice(0, 2), 'not an array').map((e) => e.seq), [0, 1]);
  });

  it('renders focusable, labelled events, escapes names, and an empty state', () => {
    const svg = renderTimelineSvg(layoutTimeline([{ ...events[0], from: '<evil>&"' }]));
    assert.match(svg, /<g class="ev ev-xcall" tabindex="0" role="listitem" data-seq="0"/);
    assert.ok(!svg.includes('<evil>'));
    assert.match(svg, /&lt;evil&gt;&amp;&quot;/);
    assert.match(svg, /<title>xcall #1/);
    assert.ok(!/style=/.test(svg), 'no inline style (the CSP forbids it)');
    assert.match(renderTimelineSvg(layoutTimeline([])), /No xcall, xret or fault yet/);
    assert.equal(escapeXml(`a<b>&"c'`), 'a&lt;b&gt;&amp;&quot;c&#39;');
  });

  it('builds a page whose CSP allows only local resources and the nonce script', () => {
    const nonce = makeNonce();
    assert.match(nonce, /^[A-Za-z0-9]{32}$/);
    const html = timelineHtml({ cspSource: 'vscode-resource:', nonce, scriptUri: 'vscode-resource:/m/timeline.js', styleUri: 'vscode-resource:/m/timeline.css' });
    const csp = /Content-Security-Policy" content="([^"]*)"/.exec(html)![1];
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'`));
    assert.ok(!csp.includes('unsafe'));
    assert.ok(!/https?:\/\//.test(html), 'nothing remote');
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, new RegExp(`<script nonce="${nonce}" src="vscode-resource:/m/timeline.js">`));
  });
});
