// Time travel in the extension, the pure parts: the prompts' parsers, the Variables view's menu
// argument, the bookmarks' rows, the status bar in the past, and the timeline's position marker
// with the future dimmed.

import * as assert from 'node:assert/strict';
import {
  bookmarkRows, historyBadge, historyText, inPast, lastWriteFromVariable, parseInstructionTarget, parseLastWriteTarget,
} from '../../extension/models/travel';
import { statusText } from '../../extension/models/status';
import { isFuture, layoutTimeline, renderTimelineSvg } from '../../extension/models/timeline';
import type { CallEvent, HistoryInfo, StateBody } from '../../extension/protocol';

const history: HistoryInfo = { start: 100, end: 5678, position: 1234, replaying: true, checkpoints: 3, memoryMiB: 1.5, budgetMiB: 512 };
const atEnd: HistoryInfo = { ...history, position: 5678, replaying: false };

describe('extension time travel', () => {
  describe('Go to Instruction… input', () => {
    it('reads counts as people type them', () => {
      assert.deepEqual(parseInstructionTarget('2000', history), { value: 2000 });
      assert.deepEqual(parseInstructionTarget(' 2,500 ', history), { value: 2500 });
      assert.deepEqual(parseInstructionTarget('2_500', history), { value: 2500 });
      assert.deepEqual(parseInstructionTarget('0x100', history), { value: 256 });
    });
    it('reads +N / -N from the position', () => {
      assert.deepEqual(parseInstructionTarget('+100', history), { value: 1334 });
      assert.deepEqual(parseInstructionTarget('-1,000', history), { value: 234 });
      assert.ok('error' in parseInstructionTarget('-10', undefined), 'relative needs the position');
    });
    it('refuses text that is no count and counts outside the history, saying where it reaches', () => {
      assert.match((parseInstructionTarget('soon', history) as { error: string }).error, /not an instruction count/);
      assert.match((parseInstructionTarget('', history) as { error: string }).error, /Type an instruction count/);
      assert.match((parseInstructionTarget('50', history) as { error: string }).error, /before the recorded history.*100/);
      assert.match((parseInstructionTarget('+10000', history) as { error: string }).error, /beyond the recorded history.*5,678/);
      assert.deepEqual(parseInstructionTarget('999999'), { value: 999999 }, 'without a known history the adapter decides');
    });
  });

  describe('Last Write… input', () => {
    it('reads a bare name as a register or CSR', () => {
      assert.deepEqual(parseLastWriteTarget('a0'), { value: { register: 'a0' } });
      assert.deepEqual(parseLastWriteTarget(' satp '), { value: { register: 'satp' } });
      assert.deepEqual(parseLastWriteTarget('$sp'), { value: { register: 'sp' } });
    });
    it('reads memory as address[, length], 8 bytes by default, physical on request', () => {
      assert.deepEqual(parseLastWriteTarget('0x80001000'), { value: { address: '0x80001000', length: 8, physical: false } });
      assert.deepEqual(parseLastWriteTarget('0x80001000, 4'), { value: { address: '0x80001000', length: 4, physical: false } });
      assert.deepEqual(parseLastWriteTarget('4096,1'), { value: { address: '0x1000', length: 1, physical: false } });
      assert.deepEqual(parseLastWriteTarget('phys 0x80200000, 16'), { value: { address: '0x80200000', length: 16, physical: true } });
    });
    it('leaves an address expression to the adapter to evaluate', () => {
      assert.deepEqual(parseLastWriteTarget('greeting, 16'), { value: { expression: 'greeting', length: 16, physical: false } });
      assert.deepEqual(parseLastWriteTarget('sp+8'), { value: { expression: 'sp+8', length: 8, physical: false } });
    });
    it('refuses a bad length or a missing address', () => {
      assert.match((parseLastWriteTarget('0x1000, many') as { error: string }).error, /not a length/);
      assert.match((parseLastWriteTarget('0x1000, 0') as { error: string }).error, /not a length/);
      assert.match((parseLastWriteTarget(', 4') as { error: string }).error, /address is missing/);
      assert.ok('error' in parseLastWriteTarget('   '));
    });
  });

  describe('Last Write from the Variables view', () => {
    it('takes a register or CSR by its evaluate name', () => {
      assert.deepEqual(lastWriteFromVariable({ container: { name: 'Registers' }, variable: { name: 'a0', type: 'x10', evaluateName: 'a0', memoryReference: '0x5' } }), { target: { register: 'a0' } });
      assert.deepEqual(lastWriteFromVariable({ variable: { name: 'satp', evaluateName: 'satp', type: 'Supervisor address translation' } }), { target: { register: 'satp' } });
    });
    it('takes a data symbol as its memory, sized by its type', () => {
      assert.deepEqual(lastWriteFromVariable({ variable: { name: 'counter', type: '32-bit at 0x80002000', evaluateName: '*(u32*)counter', memoryReference: '0x80002000' } }),
        { target: { address: '0x80002000', length: 4, physical: false } });
    });
    it('prefills the prompt with anything else (pc, a field, a malformed argument)', () => {
      assert.deepEqual(lastWriteFromVariable({ variable: { name: 'pc', evaluateName: 'pc' } }), { prefill: 'pc' });
      assert.deepEqual(lastWriteFromVariable({ variable: { name: 'MODE', type: '[63:60] mode' } }), { prefill: 'MODE' });
      assert.deepEqual(lastWriteFromVariable({ variable: { name: 'seg-reg' } }), { prefill: 'seg-reg' });
      assert.deepEqual(lastWriteFromVariable(undefined), { prefill: '' });
      assert.deepEqual(lastWriteFromVariable('nonsense'), { prefill: '' });
    });
  });

  describe('bookmarks', () => {
    it('lists them in history order, marks the one here, skips malformed ones', () => {
      const rows = bookmarkRows([
        { id: 2, name: 'after', instructions: 3000, pc: '0x80000010' },
        { id: 1, name: 'before the xcall', instructions: 1234, pc: '0x8000016c', source: { path: '/w/client.S', line: 22 } },
        { nonsense: true }, null,
      ], 1234);
      assert.deepEqual(rows.map((r) => r.id), [1, 2]);
      assert.equal(rows[0].label, 'before the xcall');
      assert.equal(rows[0].description, 'instruction 1,234 · client.S:22 · (here)');
      assert.equal(rows[0].here, true);
      assert.equal(rows[1].here, false);
      assert.equal(rows[1].detail, 'pc 0x80000010');
      assert.deepEqual(bookmarkRows(undefined), []);
    });
  });

  describe('history in the status bar', () => {
    const state: StateBody = { available: true, running: false, instructions: 1234, cycles: 4000, timing: 'default', process: 'client', history };
    it('shows ⟲ position / end in the past, and highlights the item', () => {
      const s = statusText(state)!;
      assert.match(s.text, /1,234 instr · 4,000 cyc · ⟲ 1,234 \/ 5,678$/);
      assert.equal(s.past, true);
      assert.match(s.tooltip, /In the recorded past: instruction 1,234 of 5,678/);
      assert.match(s.tooltip, /history back to instruction 100, 1.5 of 512 MiB/);
    });
    it('shows nothing of it at the end of the history or without time travel', () => {
      const end = statusText({ ...state, history: atEnd })!;
      assert.ok(!end.text.includes('⟲'));
      assert.equal(end.past, false);
      assert.match(end.tooltip, /At the end of the recorded history/);
      const off = statusText({ ...state, history: undefined })!;
      assert.ok(!off.text.includes('⟲') && !off.past);
      assert.equal(historyBadge(undefined), undefined);
      assert.equal(historyText(undefined), undefined);
      assert.equal(inPast({ start: 0, end: 10 } as HistoryInfo), false);
    });
  });

  describe('timeline position', () => {
    const events: CallEvent[] = [
      { seq: 0, kind: 'xcall', instructions: 100, cycles: 400, from: 'client', to: 'server', entryId: 1, pc: '0x80000040' },
      { seq: 1, kind: 'xret', instructions: 150, cycles: 600, from: 'server', to: 'client', pc: '0x80000100', future: true },
      { seq: 2, kind: 'xcall', instructions: 170, cycles: 700, from: 'client', to: 'server', entryId: 1, pc: '0x80000048', future: true },
    ];
    it('marks events after the position as future (the adapter\'s flag or their instruction count)', () => {
      assert.equal(isFuture(events[1]), true);
      assert.equal(isFuture(events[0], { position: 100, end: 200 }), true, 'an xcall at the position has not run yet');
      assert.equal(isFuture(events[0], { position: 101, end: 200 }), false);
      const layout = layoutTimeline(events, 'instructions', { position: 120, end: 200 });
      assert.deepEqual(layout.rows.map((r) => r.future), [false, true, true]);
      assert.deepEqual(layout.rows.map((r) => r.instructions), [100, 150, 170]);
      assert.match(layout.rows[1].detail, /later in the recorded history/);
    });
    it('draws the marker between the past and the future, with room for it', () => {
      const at = { position: 120, end: 200 };
      const layout = layoutTimeline(events, 'instructions', at);
      const [past, next] = layout.rows;
      assert.ok(layout.now, 'a marker');
      assert.ok(past.y < layout.now!.y && layout.now!.y < next.y, `marker ${layout.now!.y} between rows ${past.y} and ${next.y}`);
      assert.equal(layout.now!.label, 'now 120');
      assert.match(layout.now!.detail, /instruction 120 of 200/);
      assert.ok(layout.height > layoutTimeline(events).height);
      const svg = renderTimelineSvg(layout);
      assert.match(svg, /<g class="ev ev-xret future" tabindex="0"[^>]*data-instructions="150"/);
      assert.match(svg, /<g class="ev ev-xcall" tabindex="0"[^>]*data-instructions="100"/);
      assert.match(svg, /<g class="now"[^>]*><title>Current position: instruction 120 of 200/);
      assert.ok(svg.indexOf('data-seq="0"') < svg.indexOf('class="now"'));
      assert.ok(!/style=/.test(svg));
    });
    it('puts the marker first when everything is future, last at the end of the history, nowhere without travel', () => {
      const first = layoutTimeline(events, 'instructions', { position: 10, end: 200 });
      assert.ok(first.now!.y < first.rows[0].y);
      const last = layoutTimeline(events.map((e) => ({ ...e, future: undefined })), 'instructions', { position: 200, end: 200 });
      assert.ok(last.now!.y > last.rows[2].y);
      assert.match(last.now!.detail, /the end of the recorded history/);
      assert.equal(layoutTimeline(events.map((e) => ({ ...e, future: undefined }))).now, undefined);
      const empty = renderTimelineSvg(layoutTimeline([], 'instructions', { position: 0, end: 0 }));
      assert.match(empty, /class="now"/);
      assert.match(empty, /No xcall, xret or fault yet/);
    });
  });
});
