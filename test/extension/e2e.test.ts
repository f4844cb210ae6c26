// End to end in a real VS Code: code-server 4.100.3 (VS Code 1.100.3 for the browser) driven by
// playwright-core with Debian's chromium. The .vsix is built, installed into a fresh code-server,
// the bare-xpc example opened as the workspace; then hover and completion in an assembly file,
// a breakpoint on the client's xcall, F11 into the server, and the XPC views checked; then the
// kernel's echo-xpc (the walkthrough's example): F11 on `call xpc_call` into the server's handler.
// Screenshots go to out/e2e-artifacts/. Skipped (loudly) when code-server or chromium is absent:
// .ci/run installs both (scripts/e2e/install-code-server.sh).

import * as assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CodeServer, REPO, Scratch, Tools, findTools, installExtension, makeScratch, packageVsix, removeScratch } from './e2e/harness';
import { Workbench } from './e2e/workbench';
import { Browser, chromiumLauncher } from './e2e/playwright';

const ARTIFACTS = join(REPO, 'out', 'e2e-artifacts');

function lineOf(file: string, text: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`"${text}" is not in ${file}`);
  return i + 1;
}

/** Every file under `dir` whose name matches. */
function findFiles(dir: string, name: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && name.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

async function statusInstructions(wb: Workbench): Promise<number> {
  const text = await wb.page.locator('.statusbar-item', { hasText: / instr / }).first().innerText();
  return Number(/([\d,]+) instr/.exec(text)![1].replace(/,/g, ''));
}

/**
 * The kernel's echo-ipc example beside bare-xpc in the workspace, with a launch configuration; its
 * system.json without "$schema" (so the extension's jsonValidation applies), and a copy with one
 * property the schema does not allow.
 */
function addKernelSystem(s: Scratch): void {
  const dir = join(s.workspace, 'echo-ipc');
  cpSync(join(REPO, 'examples', 'echo-ipc'), dir, { recursive: true });
  const system = JSON.parse(readFileSync(join(dir, 'system.json'), 'utf8')) as Record<string, unknown>;
  delete system.$schema;
  writeFileSync(join(dir, 'system.json'), JSON.stringify(system, null, 2));
  writeFileSync(join(dir, 'broken.system.json'), JSON.stringify({ bogus: 1, ...system }, null, 2));
  const launchFile = join(s.workspace, '.vscode', 'launch.json');
  const launch = JSON.parse(readFileSync(launchFile, 'utf8')) as { configurations: object[] };
  launch.configurations.push({ type: 'xpc', request: 'launch', name: 'Debug echo-ipc system', system: '${workspaceFolder}/echo-ipc/system.json' });
  writeFileSync(launchFile, JSON.stringify(launch, null, 2));
}

/**
 * The kernel's XPC echo example (examples/echo-xpc) beside the others, with a launch configuration
 * for its system.json: the walkthrough's example, debugged under the kernel.
 */
function addXpcSystem(s: Scratch): void {
  cpSync(join(REPO, 'examples', 'echo-xpc'), join(s.workspace, 'echo-xpc'), { recursive: true });
  const launchFile = join(s.workspace, '.vscode', 'launch.json');
  const launch = JSON.parse(readFileSync(launchFile, 'utf8')) as { configurations: object[] };
  launch.configurations.push({ type: 'xpc', request: 'launch', name: 'Debug echo-xpc system', system: '${workspaceFolder}/echo-xpc/system.json' });
  writeFileSync(launchFile, JSON.stringify(launch, null, 2));
}

/** Waits for the debugger to stop in the active editor; a launch error dialog fails at once. */
async function waitForStop(wb: Workbench): Promise<void> {
  // The top stack frame's decoration marks the line the debugger stopped on.
  const stopped = wb.editor().locator('.debug-top-stack-frame-line').first();
  const dialog = wb.page.locator('.monaco-dialog-box').first();
  await stopped.or(dialog).waitFor({ timeout: 60_000 });
  if (await dialog.isVisible()) throw new Error(`the launch failed: ${await dialog.innerText()}`);
}

describe('extension end to end (code-server + chromium)', function () {
  this.timeout(240_000);
  // Each step builds on the one before: after a failure the rest would only time out.
  this.bail(true);
  let tools: Tools;
  let scratch: Scratch | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let wb: Workbench;

  before(async function () {
    const found = findTools();
    if ('missing' in found) {
      const line = `SKIPPED: the end-to-end extension test needs ${found.missing.join(' and ')}`;
      console.warn(`\n${'!'.repeat(line.length)}\n${line}\n${'!'.repeat(line.length)}\n`);
      this.skip();
    }
    tools = found as Tools;
    rmSync(ARTIFACTS, { recursive: true, force: true });
    scratch = makeScratch('bare-xpc');
    addKernelSystem(scratch);
    addXpcSystem(scratch);
    const vsix = await packageVsix(join(scratch.root, 'riscv-xpc.vsix'));
    console.log(`      .vsix: ${(vsix.bytes / 1024).toFixed(0)} KiB`);
    const installed = await installExtension(tools, scratch, vsix.file);
    assert.match(installed, /successfully installed/i);
    server = await CodeServer.start(tools, scratch);
    browser = await chromiumLauncher().launch({ executablePath: tools.chromium, args: CHROMIUM_ARGS, headless: true });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    wb = new Workbench(page, ARTIFACTS);
    await page.goto(`${server.url}?folder=${encodeURIComponent(scratch.workspace)}`);
    await wb.waitForWorkbench();
  });

  after(async function () {
    if (wb && this.currentTest?.state === 'failed') await wb.screenshot('failure').catch(() => undefined);
    await browser?.close();
    server?.stop();
    if (scratch) removeScratch(scratch);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => undefined);
  });

  it('opens an assembly file with the extension active', async () => {
    await wb.openFile('client.S');
    // The language mode in the status bar is the extension's language.
    await wb.page.locator('.statusbar-item', { hasText: 'XPC Assembly' }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('client-open');
  });

  it('reports its activation time', async () => {
    // The extension's own measure, from its log (an output channel written to the logs folder).
    let line: string | undefined;
    for (let i = 0; i < 50 && !line; i++) {
      line = findFiles(join(scratch!.userData, 'logs'), /XPC\.log$/)
        .map((f) => readFileSync(f, 'utf8').split('\n').find((l) => l.includes('XPC extension activated')))
        .find(Boolean);
      if (!line) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(line, 'the activation line is in the extension log');
    console.log(`      ${line!.replace(/^.*\] /, '')}`);
    // VS Code's own measure (load and activate), from Developer: Show Running Extensions.
    await wb.command('Developer: Show Running Extensions');
    const row = wb.page.locator('.monaco-list-row', { hasText: 'RISC-V XPC Debugger' }).first();
    await row.waitFor({ timeout: 20_000 });
    const activation = wb.page.locator('.monaco-list-row', { hasText: 'RISC-V XPC Debugger' }).locator('.activation-time').first();
    await activation.waitFor({ timeout: 10_000 }).catch(() => undefined);
    const text = (await activation.count()) ? await activation.innerText() : await row.innerText();
    console.log(`      VS Code: ${text.replace(/\s+/g, ' ').trim()}`);
    await wb.screenshot('running-extensions');
    await wb.command('View: Close Editor');
  });

  it('shows hover documentation for an XPC instruction', async () => {
    const line = lineOf(join(scratch!.workspace, 'client.S'), 'xcall   t0');
    await wb.gotoLine(line);
    // The cursor on the mnemonic (Home goes to the first non-blank), then Show Hover.
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('Home');
    await wb.page.keyboard.press('Control+K');
    await wb.page.keyboard.press('Control+I');
    const hover = wb.page.locator('.monaco-hover:not(.hidden)').first();
    await hover.waitFor({ timeout: 30_000 });
    assert.match(await hover.innerText(), /x-entry/i);
    await wb.screenshot('hover-xcall');
    await wb.page.keyboard.press('Escape');
  });

  it('completes CSR names, XPC ones included', async () => {
    const line = lineOf(join(scratch!.workspace, 'client.S'), 'ecall');
    await wb.gotoLine(line);
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.type('csrr a0, xdom');
    await wb.page.keyboard.press('Control+Space');
    const suggest = wb.page.locator('.suggest-widget .monaco-list-row', { hasText: 'xdomain' }).first();
    await suggest.waitFor({ timeout: 30_000 });
    await wb.screenshot('completion-csr');
    await wb.page.keyboard.press('Escape');
    await wb.command('File: Revert File');
  });

  it('stops at a breakpoint on the client\'s xcall', async () => {
    const line = lineOf(join(scratch!.workspace, 'client.S'), 'xcall   t0');
    await wb.gotoLine(line);
    await wb.page.keyboard.press('F9');
    await wb.editor().locator('.codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });
    await wb.page.keyboard.press('F5');
    await waitForStop(wb);
    await wb.activeTab('client.S').waitFor({ timeout: 5_000 });
    await wb.page.locator('.statusbar-item', { hasText: /instr/ }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('stopped-at-xcall');
  });

  it('steps into the xcall: the editor shows the server\'s source', async () => {
    await wb.page.keyboard.press('F11');
    await wb.activeTab('server.S').waitFor({ timeout: 30_000 });
    await wb.editor().locator('.debug-top-stack-frame-line').first().waitFor({ timeout: 30_000 });
    // The status bar follows the stop: the thread now runs in the server's domain.
    await wb.page.locator('.statusbar-item', { hasText: /server.* instr/ }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('stepped-into-server');
  });

  it('steps back with VS Code\'s Step Back: the client\'s xcall again (time travel)', async () => {
    // The adapter's supportsStepBack puts Step Back and Reverse Continue on the debug toolbar;
    // the button runs workbench.action.debug.stepBack.
    const stepBack = wb.page.locator('.debug-toolbar .codicon-debug-step-back').first();
    await stepBack.waitFor({ timeout: 15_000 });
    assert.ok(await wb.page.locator('.debug-toolbar .codicon-debug-reverse-continue').count() > 0, 'Reverse Continue is on the toolbar');
    await stepBack.click();
    await wb.activeTab('client.S').waitFor({ timeout: 30_000 });
    await waitForStop(wb);
    const call = lineOf(join(scratch!.workspace, 'client.S'), 'xcall   t0');
    await wb.page.locator('.statusbar-item', { hasText: `Ln ${call},` }).first().waitFor({ timeout: 10_000 });
    // The status bar says the position is in the recorded past.
    const past = wb.page.locator('.statusbar-item', { hasText: /client.* instr .*⟲ [\d,]+ \/ [\d,]+/ }).first();
    await past.waitFor({ timeout: 15_000 });
    console.log(`      after Step Back: ${(await past.innerText()).replace(/\s+/g, ' ')}`);
    await wb.screenshot('stepped-back-to-client-xcall');
  });

  it('steps forward into the server again, replaying the recorded history', async () => {
    await wb.page.keyboard.press('F11');
    await wb.activeTab('server.S').waitFor({ timeout: 30_000 });
    await wb.page.locator('.statusbar-item', { hasText: /server.* instr/ }).first().waitFor({ timeout: 15_000 });
  });

  it('steps one instruction with XPC: Step Instruction', async () => {
    const before = await statusInstructions(wb);
    await wb.command('XPC: Step Instruction');
    await wb.page.locator('.statusbar-item', { hasText: `${(before + 1).toLocaleString('en-US')} instr` }).first().waitFor({ timeout: 15_000 });
    assert.equal(await statusInstructions(wb), before + 1);
  });

  // Time travel's own commands (the adapter's custom requests). The position is left where the
  // steps after these expect it: in the server, one instruction after its first.
  let serverPosition = 0;
  const instrText = (n: number) => `${n.toLocaleString('en-US')} instr`;

  it('bookmarks the position and reverse-steps out of the server to the client\'s xcall', async () => {
    serverPosition = await statusInstructions(wb);
    await wb.commandWithInput('XPC: Bookmark Position', 'XPC: Bookmark Position', 'in the server');
    await wb.command('XPC: Reverse Step Out');
    await wb.activeTab('client.S').waitFor({ timeout: 30_000 });
    const call = lineOf(join(scratch!.workspace, 'client.S'), 'xcall   t0');
    await wb.page.locator('.statusbar-item', { hasText: `Ln ${call},` }).first().waitFor({ timeout: 10_000 });
    await wb.page.locator('.statusbar-item', { hasText: /client.* instr .*⟲/ }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('reverse-step-out');
  });

  it('runs back to the last write of t0 from the Variables view\'s context menu', async () => {
    const pane = await wb.viewPane('Variables');
    const t0 = pane.locator('.monaco-list-row', { hasText: /^\s*t0\s*=/ }).first();
    await t0.waitFor({ timeout: 15_000 });
    await t0.click({ button: 'right' });
    const item = wb.page.locator('.context-view .action-label', { hasText: /^Last Write…$/ }).first();
    await item.waitFor({ timeout: 10_000 });
    await wb.screenshot('variables-context-last-write');
    await item.click();
    // `li t0, ECHO_ENTRY` wrote it: the stop is at that instruction, about to execute.
    const write = lineOf(join(scratch!.workspace, 'client.S'), 'li      t0, ECHO_ENTRY');
    await wb.page.locator('.statusbar-item', { hasText: `Ln ${write},` }).first().waitFor({ timeout: 15_000 });
    await wb.activeTab('client.S').waitFor({ timeout: 5_000 });
    // The Variables view shows the state there: t0 still holds the string's final NUL byte.
    await pane.locator('.monaco-list-row', { hasText: /^\s*t0\s*=\s*0x0\s*$/ }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('last-write-t0');
  });

  it('goes to an instruction count, and back to the bookmark', async () => {
    await wb.commandWithInput('XPC: Go to Instruction…', 'XPC: Go to Instruction', '100');
    await wb.page.locator('.statusbar-item', { hasText: `· ${instrText(100)} ·` }).first().waitFor({ timeout: 15_000 });
    await wb.command('XPC: Go to Bookmark…', 'in the server');
    await wb.activeTab('server.S').waitFor({ timeout: 30_000 });
    await wb.page.locator('.statusbar-item', { hasText: instrText(serverPosition) }).first().waitFor({ timeout: 15_000 });
    assert.equal(await statusInstructions(wb), serverPosition);
  });

  it('shows the client\'s linkage record in the Link Stack view', async () => {
    const pane = await wb.viewPane('Link Stack');
    const row = pane.locator('.monaco-list-row', { hasText: 'client' }).first();
    await row.waitFor({ timeout: 30_000 });
    const text = await row.innerText();
    assert.match(text, /ret 0x[0-9a-f]+/);
    assert.match(text, /client\.S:\d+/);
    await wb.screenshot('link-stack');
    // A click on the record opens the caller's call site (the adapter's source of the record).
    await row.click();
    await wb.activeTab('client.S').waitFor({ timeout: 15_000 });
    const call = lineOf(join(scratch!.workspace, 'client.S'), 'xcall   t0');
    await wb.page.locator('.statusbar-item', { hasText: `Ln ${call},` }).first().waitFor({ timeout: 10_000 });
  });

  it('lists the entry in the X-Entries view', async () => {
    const pane = await wb.viewPane('X-Entries');
    const row = pane.locator('.monaco-list-row', { hasText: '#1' }).first();
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /server_echo/);
    await wb.screenshot('x-entries');
  });

  it('draws the xcall on the XPC Timeline', async () => {
    await wb.command('XPC: Show XPC Timeline');
    const frame = wb.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const xcall = frame.locator('g.ev-xcall').first();
    await xcall.waitFor({ timeout: 30_000 });
    // Keyboard: focus shows the details; Enter opens the call's source (the client's xcall).
    await xcall.focus();
    assert.match(await frame.locator('#details').innerText(), /xcall #1/);
    await wb.screenshot('timeline');
    // Enter travels to the xcall (about to execute) and opens its source.
    await wb.page.keyboard.press('Enter');
    await wb.activeTab('client.S').waitFor({ timeout: 15_000 });
    await wb.page.locator('.statusbar-item', { hasText: /⟲/ }).first().waitFor({ timeout: 15_000 });
    // The marker shows the position; the xcall, not executed there, is dimmed as future.
    await frame.locator('g.now').first().waitFor({ timeout: 15_000 });
    await frame.locator('g.ev-xcall.future').first().waitFor({ timeout: 15_000 });
    await wb.screenshot('timeline-travelled-to-xcall');
  });

  it('assembles the current file with XPC: Assemble Current File', async () => {
    await wb.command('Debug: Stop');
    await wb.openFile('boot.S');
    await wb.command('XPC: Assemble Current File');
    const elf = join(scratch!.workspace, 'boot.elf');
    for (let i = 0; i < 100 && !existsSync(elf); i++) await new Promise((r) => setTimeout(r, 200));
    assert.ok(existsSync(elf), 'boot.elf was written');
    assert.equal(readFileSync(elf).subarray(0, 4).toString('latin1'), '\x7fELF');
  });

  it('validates a system description against the kernel\'s schema', async () => {
    await wb.openFile('broken.system.json');
    await wb.command('View: Focus Problems (Errors, Warnings, Infos)');
    await wb.page.locator('.markers-panel .monaco-list-row', { hasText: /Property bogus is not allowed/ }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('system-schema');
  });

  it('debugs a kernel system: Processes & Capabilities', async () => {
    const client = join(scratch!.workspace, 'echo-ipc', 'client.S');
    await wb.openFile('echo-ipc/client.S');
    await wb.gotoLine(lineOf(client, 'bnez    a7, fail'));
    await wb.page.keyboard.press('F9');
    await wb.command('Debug: Select and Start Debugging', 'Debug echo-ipc system');
    await waitForStop(wb);
    const pane = await wb.viewPane('Processes & Capabilities');
    for (const name of ['server', 'client']) {
      await pane.locator('.monaco-list-row', { hasText: new RegExp(`${name}\\s*pid \\d+ · asid \\d+`) }).first().waitFor({ timeout: 30_000 });
    }
    // The client's capability to the echo endpoint, with the badge system.json gives it.
    await pane.locator('.monaco-list-row', { hasText: /^capabilities/ }).last().click();
    await pane.locator('.monaco-list-row', { hasText: /badge 42/ }).first().waitFor({ timeout: 10_000 });
    await wb.screenshot('kernel-processes');
    await wb.command('Debug: Stop');
  });

  it('debugs the open system description with XPC: Debug Current File or System', async () => {
    await wb.page.locator('.statusbar-item', { hasText: / instr / }).first().waitFor({ state: 'hidden', timeout: 15_000 });
    await wb.openFile('echo-ipc/system.json');
    await wb.command('XPC: Debug Current File or System');
    // The breakpoint in echo-ipc/client.S from the step before is hit again.
    await wb.activeTab('client.S').waitFor({ timeout: 60_000 });
    await waitForStop(wb);
    await wb.page.locator('.statusbar-item', { hasText: /client .* instr/ }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('debug-current-system');
    await wb.command('Debug: Stop');
  });

  // The walkthrough's example under the kernel: step in on the client's `call xpc_call` passes the
  // XPC library by and lands on the server's handler, on the client's thread.
  it('debugs the kernel\'s echo-xpc: stops on the client\'s call xpc_call', async () => {
    await wb.page.locator('.statusbar-item', { hasText: / instr / }).first().waitFor({ state: 'hidden', timeout: 15_000 });
    const client = join(scratch!.workspace, 'echo-xpc', 'client.S');
    await wb.openFile('echo-xpc/client.S');
    await wb.gotoLine(lineOf(client, 'call    xpc_call'));
    await wb.page.keyboard.press('F9');
    await wb.editor().locator('.codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });
    await wb.command('Debug: Select and Start Debugging', 'Debug echo-xpc system');
    await waitForStop(wb);
    await wb.activeTab('client.S').waitFor({ timeout: 5_000 });
    await wb.page.locator('.statusbar-item', { hasText: `Ln ${lineOf(client, 'call    xpc_call')},` }).first().waitFor({ timeout: 10_000 });
    await wb.page.locator('.statusbar-item', { hasText: /client .* instr/ }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('echo-xpc-stopped-at-call');
  });

  it('steps into xpc_call: the editor shows the server\'s handler in server.S', async () => {
    await wb.page.keyboard.press('F11');
    await wb.activeTab('server.S').waitFor({ timeout: 30_000 });
    await waitForStop(wb);
    // The handler's first line (`echo:` is a label; its first instruction is the line after).
    const server = join(scratch!.workspace, 'echo-xpc', 'server.S');
    const first = lineOf(server, 'addi    sp, sp, -32');
    await wb.page.locator('.statusbar-item', { hasText: `Ln ${first},` }).first().waitFor({ timeout: 10_000 });
    await wb.page.locator('.statusbar-item', { hasText: /server.* instr/ }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('echo-xpc-stepped-into-server');
  });

  it('shows the client\'s record in Link Stack and the entry echo of server in X-Entries', async () => {
    const links = await wb.viewPane('Link Stack');
    // A record's label is `depth: caller process`, its description `ret …`: the process `client`
    // (not bare-xpc's `client_pt`, whose rows the tree may keep hidden in the page).
    const record = links.locator('.monaco-list-row:visible', { hasText: /\d+: client\s*ret 0x/ }).first();
    await record.waitFor({ timeout: 30_000 });
    const text = await record.innerText();
    console.log(`      Link Stack: ${text.replace(/\s+/g, ' ')}`);
    // Its return address resolves to the client's call site.
    assert.match(text, new RegExp(`client\\.S:${lineOf(join(scratch!.workspace, 'echo-xpc', 'client.S'), 'call    xpc_call')}\\b`));
    await wb.screenshot('echo-xpc-link-stack');
    const entries = await wb.viewPane('X-Entries');
    const entry = entries.locator('.monaco-list-row:visible', { hasText: /#\d+ echo/ }).first();
    await entry.waitFor({ timeout: 30_000 });
    const row = await entry.innerText();
    console.log(`      X-Entries: ${row.replace(/\s+/g, ' ')}`);
    assert.match(row, /server/);
    await wb.screenshot('echo-xpc-x-entries');
  });

  it('steps back from the handler to the client\'s call xpc_call line', async () => {
    await wb.page.locator('.debug-toolbar .codicon-debug-step-back').first().click();
    await wb.activeTab('client.S').waitFor({ timeout: 30_000 });
    await waitForStop(wb);
    const call = lineOf(join(scratch!.workspace, 'echo-xpc', 'client.S'), 'call    xpc_call');
    await wb.page.locator('.statusbar-item', { hasText: `Ln ${call},` }).first().waitFor({ timeout: 10_000 });
    await wb.page.locator('.statusbar-item', { hasText: /client .* instr .*⟲/ }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('echo-xpc-stepped-back');
    await wb.command('Debug: Stop');
  });

  // The walkthrough itself: its links open the extension's own copy of echo-xpc and debug it.
  it('follows the walkthrough: opens echo-xpc\'s client, debugs its system, steps into the server', async () => {
    await wb.page.locator('.statusbar-item', { hasText: / instr / }).first().waitFor({ state: 'hidden', timeout: 15_000 });
    await wb.command('Welcome: Open Walkthrough...', 'Debugging XPC calls');
    const step = (title: string) => wb.page.locator('.getting-started-step', { hasText: title }).first();
    const link = (text: string) => wb.page.locator('.getting-started-step.expanded .monaco-button, .getting-started-step.expanded a', { hasText: text }).first();
    await link('Open the client').waitFor({ timeout: 30_000 });
    await wb.screenshot('walkthrough-open');
    await link('Open the client').click();
    await wb.activeTab('client.S').waitFor({ timeout: 15_000 });
    const shipped = join(REPO, 'examples', 'echo-xpc', 'client.S');
    const call = lineOf(shipped, 'call    xpc_call');
    await wb.gotoLine(call);
    await wb.page.keyboard.press('F9');
    await wb.editor().locator('.codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });
    // The walkthrough's tab was a preview, which client.S replaced: open it again.
    await wb.command('Welcome: Open Walkthrough...', 'Debugging XPC calls');
    await step('Break on the call').click();
    await link('Debug the echo system').waitFor({ timeout: 15_000 });
    await wb.screenshot('walkthrough-debug-step');
    await link('Debug the echo system').click();
    await wb.page.locator('.statusbar-item', { hasText: /client .* instr/ }).first().waitFor({ timeout: 60_000 });
    await wb.page.locator('.statusbar-item', { hasText: `Ln ${call},` }).first().waitFor({ timeout: 10_000 });
    await wb.screenshot('walkthrough-stopped');
    await wb.page.keyboard.press('F11');
    await wb.activeTab('server.S').waitFor({ timeout: 30_000 });
    await wb.page.locator('.statusbar-item', { hasText: /server.* instr/ }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('walkthrough-in-server');
    await wb.command('Debug: Stop');
  });
});
