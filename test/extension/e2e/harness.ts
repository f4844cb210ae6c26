// The end-to-end harness: finds code-server (installed outside the repo by
// scripts/e2e/install-code-server.sh) and Debian's chromium, packages the extension, installs the
// .vsix into a fresh code-server, starts it on a free port and opens chromium on a workspace.
// Nothing here downloads anything.

import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO = join(__dirname, '..', '..', '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';

export interface Tools { codeServer: string; chromium: string }

/** code-server's entry script and a chromium binary, or what is missing and how to get it. */
export function findTools(env: NodeJS.ProcessEnv = process.env): Tools | { missing: string[] } {
  const cache = env.XPC_E2E_CACHE ?? join(homedir(), '.cache', 'xpc-e2e');
  const root = join(cache, `code-server-${CODE_SERVER_VERSION}`);
  const codeServer = env.XPC_CODE_SERVER ?? join(root, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const chromium = env.XPC_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p)) ?? '';
  const missing: string[] = [];
  if (!existsSync(codeServer) || (!env.XPC_CODE_SERVER && !existsSync(join(root, '.installed')))) {
    missing.push(`code-server ${CODE_SERVER_VERSION} (bash scripts/e2e/install-code-server.sh)`);
  }
  if (!chromium || !existsSync(chromium)) missing.push('chromium (apt-get install chromium)');
  return missing.length ? { missing } : { codeServer, chromium };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Packages the extension (dist/ must be built) into `out`; returns the file and its size. */
export async function packageVsix(out: string): Promise<{ file: string; bytes: number }> {
  const vsce = join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  await run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '-o', out], { cwd: REPO, maxBuffer: 16 << 20 });
  const { statSync } = await import('node:fs');
  return { file: out, bytes: statSync(out).size };
}

/** A scratch area for one run: code-server's user data, extensions, config, the workspace. */
export interface Scratch { root: string; userData: string; extensions: string; config: string; workspace: string }

export function makeScratch(example: string): Scratch {
  const root = mkdtempSync(join(tmpdir(), 'xpc-e2e-'));
  const s: Scratch = {
    root,
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    config: join(root, 'config'),
    workspace: join(root, 'workspace'),
  };
  for (const d of [s.userData, s.extensions, s.config]) mkdirSync(d, { recursive: true });
  // A copy, so that breakpoints, build output and edits never touch the repository.
  cpSync(join(REPO, 'examples', example), s.workspace, { recursive: true, filter: (src) => !src.endsWith('.elf') });
  mkdirSync(join(s.userData, 'User'), { recursive: true });
  writeFileSync(join(s.userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.ignoreRecommendations': true,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'editor.hover.delay': 150,
    'editor.minimap.enabled': false,
    'workbench.colorTheme': 'Default Dark Modern',
    'debug.openDebug': 'openOnDebugBreak',
    'files.autoSave': 'off',
  }, null, 2));
  return s;
}

function env(s: Scratch): NodeJS.ProcessEnv {
  // XDG_CONFIG_HOME: code-server writes its config.yaml there, not in the user's home.
  return { ...process.env, XDG_CONFIG_HOME: s.config, XDG_DATA_HOME: join(s.root, 'data') };
}

export async function installExtension(tools: Tools, s: Scratch, vsix: string): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, [tools.codeServer, '--user-data-dir', s.userData, '--extensions-dir', s.extensions, '--install-extension', vsix], { env: env(s), maxBuffer: 16 << 20 });
  return stdout + stderr;
}

export class CodeServer {
  private log = '';
  private constructor(private readonly child: ChildProcess, readonly url: string) {
    child.stdout?.on('data', (d: Buffer) => { this.log += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { this.log += d.toString(); });
  }

  static async start(tools: Tools, s: Scratch): Promise<CodeServer> {
    const port = await freePort();
    const child = spawn(process.execPath, [tools.codeServer,
      '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-workspace-trust', '--disable-telemetry',
      '--disable-update-check', '--user-data-dir', s.userData, '--extensions-dir', s.extensions, s.workspace,
    ], { env: env(s), stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new CodeServer(child, `http://127.0.0.1:${port}/`);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${server.log}`);
      try {
        const res = await fetch(server.url, { redirect: 'manual' });
        if (res.status < 500) return server;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) { server.stop(); throw new Error(`code-server did not answer within 30 s:\n${server.log}`); }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  get output(): string { return this.log; }

  stop(): void {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}

/** The flags chromium needs here: no sandbox (root), no GPU, nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export function removeScratch(s: Scratch): void {
  if (!process.env.XPC_E2E_KEEP) rmSync(s.root, { recursive: true, force: true });
}
