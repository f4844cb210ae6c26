// The part of playwright-core's API the end-to-end test uses, typed here: playwright-core's own
// declarations need the DOM library, which this Node project does not compile with.

export type WaitState = 'attached' | 'detached' | 'visible' | 'hidden';
export interface LocatorOptions { hasText?: string | RegExp; hasNotText?: string | RegExp; has?: Locator }

export interface Locator {
  first(): Locator;
  last(): Locator;
  locator(selector: string, options?: LocatorOptions): Locator;
  or(other: Locator): Locator;
  waitFor(options?: { state?: WaitState; timeout?: number }): Promise<void>;
  click(options?: { button?: 'left' | 'right' }): Promise<void>;
  focus(): Promise<void>;
  fill(text: string, options?: { timeout?: number }): Promise<void>;
  press(key: string): Promise<void>;
  innerText(): Promise<string>;
  allInnerTexts(): Promise<string[]>;
  getAttribute(name: string): Promise<string | null>;
  count(): Promise<number>;
  isVisible(): Promise<boolean>;
}

export interface FrameLocator {
  frameLocator(selector: string): FrameLocator;
  locator(selector: string, options?: LocatorOptions): Locator;
}

export interface Page {
  locator(selector: string, options?: LocatorOptions): Locator;
  frameLocator(selector: string): FrameLocator;
  keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
  mouse: { move(x: number, y: number): Promise<void> };
  goto(url: string): Promise<unknown>;
  screenshot(options: { path: string }): Promise<unknown>;
}

export interface Browser {
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

export interface Chromium {
  launch(options: { executablePath: string; args: string[]; headless: boolean }): Promise<Browser>;
}

/** playwright-core's chromium launcher (loaded only when the test runs). */
export function chromiumLauncher(): Chromium {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('playwright-core') as { chromium: Chromium }).chromium;
}
