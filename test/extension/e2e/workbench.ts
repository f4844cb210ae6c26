// Driving VS Code's workbench in the browser with playwright-core: the few gestures the
// end-to-end test needs (quick open, commands, go to line, views), each waiting for its effect.

import type { Locator, Page } from './playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export class Workbench {
  readonly shots: string[] = [];
  constructor(readonly page: Page, private readonly artifacts: string) {
    mkdirSync(artifacts, { recursive: true });
  }

  async screenshot(name: string): Promise<string> {
    const file = join(this.artifacts, `${String(this.shots.length + 1).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    this.shots.push(file);
    return file;
  }

  async waitForWorkbench(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view, .welcome-view, .monaco-workbench .part.sidebar').first().waitFor({ timeout: 60_000 });
  }

  /** Runs a command by its palette title; `thenPick` answers the quick pick it opens. */
  async command(title: string, thenPick?: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('>' + title);
    // The row whose label is exactly the title (Enter would run whichever ranks first).
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: exact }) }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    if (thenPick) {
      const choice = this.page.locator('.quick-input-list .monaco-list-row', { hasText: thenPick }).first();
      await choice.waitFor({ timeout: 15_000 });
      await choice.click();
    }
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Runs a command that asks for text in an input box titled `inputTitle`, and answers `text`. */
  async commandWithInput(title: string, inputTitle: string, text: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('>' + title);
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    await this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: exact }) }).first().click();
    await this.page.locator('.quick-input-widget .quick-input-title', { hasText: inputTitle }).first().waitFor({ timeout: 15_000 });
    await input.fill(text);
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Opens a workspace file through Quick Open and waits for its editor tab. */
  async openFile(name: string): Promise<void> {
    // F1 then a text without '>' is Quick Open; F1 reaches the workbench even when a webview
    // has the focus, where Ctrl+P may not.
    const input = this.page.locator('.quick-input-widget input');
    // A row shows the file's name, then its folder: match on the name, take the best match.
    const base = name.split('/').pop()!;
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: base }).first();
    // Right after another quick input closes, the new one sometimes stays empty: try again.
    // The input may also close again right after opening (focus moving from a webview).
    for (let attempt = 1; ; attempt++) {
      try {
        await this.page.keyboard.press('F1');
        await input.waitFor({ timeout: 5_000 });
        await input.fill(name, { timeout: 5_000 });
        await row.waitFor({ timeout: attempt === 1 ? 4_000 : 10_000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
        await this.page.keyboard.press('Escape');
      }
    }
    await input.press('Enter');
    await this.activeTab(base).waitFor({ timeout: 15_000 });
    await this.editor().locator('.view-line').first().waitFor();
  }

  activeTab(name: string): Locator {
    return this.page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: name }).first();
  }

  /** The text editor of the active editor group. */
  editor(): Locator {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  async gotoLine(line: number): Promise<void> {
    await this.editor().locator('.view-lines').click();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`:${line}`);
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The rendered editor line holding `text` (the editor must show it). */
  viewLine(text: string): Locator {
    return this.editor().locator('.view-line', { hasText: text }).first();
  }

  /** A view's pane in the side bar by its title, expanded, the other panes collapsed (room). */
  async viewPane(title: string): Promise<Locator> {
    const titled = new RegExp(`^\\s*${title}`, 'i');
    const pane = this.page.locator('.sidebar .pane', { has: this.page.locator('.pane-header', { hasText: titled }) }).first();
    await pane.waitFor({ timeout: 15_000 });
    const others = this.page.locator('.sidebar .pane-header[aria-expanded="true"]', { hasNotText: titled });
    for (let n = await others.count(); n > 0; n--) await others.first().click();
    const header = pane.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    return pane;
  }
}
