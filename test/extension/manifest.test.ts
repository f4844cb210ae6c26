// The extension's manifest (package.json) against the code: every command the manifest names
// is registered and the other way round, every view has a model and a welcome text, every file
// the manifest points to is shipped, and .vscodeignore keeps the package small.

import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { VIEW_MODELS } from '../../extension/models/views';
import { DEFAULT_HISTORY_BUDGET_MIB } from '../../debug-adapter/time-travel';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const c = pkg.contributes;

function registeredCommands(): Set<string> {
  const ids = new Set<string>();
  for (const f of readdirSync(join(root, 'extension'))) {
    if (!f.endsWith('.ts')) continue;
    const text = readFileSync(join(root, 'extension', f), 'utf8');
    for (const m of text.matchAll(/\br\('(xpc\.[A-Za-z]+)'/g)) ids.add(m[1]);
    for (const m of text.matchAll(/export const \w+_COMMAND = '(xpc\.[A-Za-z]+)'/g)) ids.add(m[1]);
  }
  return ids;
}

describe('extension manifest', () => {
  const declared = new Set<string>(c.commands.map((x: { command: string }) => x.command));

  it('declares exactly the commands the extension registers', () => {
    assert.deepEqual([...declared].sort(), [...registeredCommands()].sort());
  });
  it('binds keys, menus and walkthrough links only to declared commands', () => {
    const used = [
      ...c.keybindings.map((k: { command: string }) => k.command),
      ...Object.values(c.menus).flat().map((m) => (m as { command: string }).command),
      ...JSON.stringify(c.walkthroughs).match(/command:xpc\.[A-Za-z]+/g)!.map((s) => s.slice('command:'.length)),
    ];
    for (const id of used) assert.ok(declared.has(id), `${id} is not declared`);
    for (const id of ['xpc.debugCurrentFile', 'xpc.runCurrentFile', 'xpc.stepInstruction', 'xpc.stepOverInstruction', 'xpc.assembleCurrentFile', 'xpc.showTimeline']) {
      assert.ok(c.keybindings.some((k: { command: string }) => k.command === id), `${id} has no keybinding`);
    }
  });
  it('offers the time-travel commands only while an xpc session is stopped', () => {
    const travel = ['xpc.reverseStepOver', 'xpc.reverseStepOut', 'xpc.lastWrite', 'xpc.gotoInstruction', 'xpc.addBookmark', 'xpc.gotoBookmark'];
    for (const id of travel) {
      const cmd = c.commands.find((x: { command: string }) => x.command === id);
      assert.ok(cmd, `${id} is declared`);
      assert.match(cmd.enablement, /inDebugMode/);
      assert.match(cmd.enablement, /debugType == 'xpc'/);
      assert.match(cmd.enablement, /debugState == 'stopped'/);
      const palette = c.menus.commandPalette.find((m: { command: string }) => m.command === id);
      assert.ok(palette && /inDebugMode/.test(palette.when) && /debugType == 'xpc'/.test(palette.when), `${id} is in the palette only in an xpc session`);
    }
    for (const id of ['xpc.reverseStepOver', 'xpc.reverseStepOut']) {
      assert.ok(c.menus['debug/toolBar'].some((m: { command: string; when: string }) => m.command === id && /debugType == 'xpc'/.test(m.when)), `${id} is on the debug toolbar`);
      assert.ok(c.keybindings.some((k: { command: string; when: string }) => k.command === id && /debugType == 'xpc'/.test(k.when)), `${id} has a key`);
    }
    const variables = c.menus['debug/variables/context'];
    assert.ok(variables.some((m: { command: string; when: string }) => m.command === 'xpc.lastWrite' && /debugType == 'xpc'/.test(m.when)));
    // Nothing may hide VS Code's own Step Back / Reverse Continue (they follow supportsStepBack).
    assert.ok(!JSON.stringify(c.menus).includes('workbench.action.debug.stepBack'));
    assert.ok(!JSON.stringify(c.menus).includes('workbench.action.debug.reverseContinue'));
  });
  it('has a model and a welcome text for every view in the Run and Debug container', () => {
    const views = c.views.debug.map((v: { id: string }) => v.id).sort();
    assert.deepEqual(views, Object.keys(VIEW_MODELS).sort());
    for (const id of views) assert.ok(c.viewsWelcome.some((w: { view: string }) => w.view === id), `${id} has no empty state`);
  });
  it('keeps the language and grammar contributions and points at files that exist', () => {
    assert.equal(c.languages[0].id, 'xpc-asm');
    assert.ok(existsSync(join(root, c.grammars[0].path)));
    for (const step of c.walkthroughs[0].steps) assert.ok(existsSync(join(root, step.media.markdown)), step.media.markdown);
    for (const f of ['media/timeline.js', 'media/timeline.css', 'examples/bare-xpc/boot.S']) assert.ok(existsSync(join(root, f)), f);
    assert.equal(pkg.main, './dist/extension.js');
  });
  it('registers the system-description schema for system.json, *.system.json and system-*.json', () => {
    assert.deepEqual(c.jsonValidation, [{ fileMatch: ['*.system.json', 'system.json', 'system-*.json'], url: './kernel/system/system.schema.json' }]);
  });
  it('declares the debugger with the contract\'s launch attributes and snippets', () => {
    const d = c.debuggers[0];
    assert.equal(d.type, 'xpc');
    assert.deepEqual(Object.keys(d.configurationAttributes.launch.properties).sort(),
      ['historyBudgetMiB', 'includeDirs', 'program', 'ramSize', 'stepIntoXpcLibrary', 'stopInKernel', 'stopOnEntry', 'system', 'timeTravel', 'timing', 'trace'].sort());
    const props = d.configurationAttributes.launch.properties;
    // The adapter's defaults (debug-adapter/time-travel.ts), so IntelliSense tells the truth.
    assert.equal(props.timeTravel.default, true);
    assert.equal(props.historyBudgetMiB.default, DEFAULT_HISTORY_BUDGET_MIB);
    assert.ok(d.configurationSnippets.length >= 2);
  });
  it('packages without sources, tests, node_modules or build output other than the bundles', () => {
    const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const pattern of ['node_modules/**', 'out/**', 'test/**', 'extension/**', 'emulator/**', 'language/**', '**/*.map']) {
      assert.ok(ignore.includes(pattern), `.vscodeignore lacks ${pattern}`);
    }
    assert.equal(pkg.devDependencies['@vscode/vsce'].replace(/^[~^]/, '').slice(0, 3), '3.9');
    assert.equal(pkg.devDependencies['@types/vscode'], '1.90.0');
  });
});
