// Bundles every entry point with esbuild. Entry points that belong to later parts of the
// project (debug adapter, language server, extension) are added here as they land.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = [
  { in: 'cli/xpc.ts', out: 'dist/cli.js' },
  { in: 'bench/index.ts', out: 'dist/bench.js' },
  { in: 'debug-adapter/main.ts', out: 'dist/debug-adapter.js' },
  { in: 'language/server/main.ts', out: 'dist/language-server.js' },
  { in: 'extension/main.ts', out: 'dist/extension.js', external: ['vscode'] },
];

await Promise.all(entries.filter((e) => existsSync(e.in)).map((e) => build({
  entryPoints: [e.in],
  outfile: e.out,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: e.external ?? [],
  logLevel: 'warning',
})));
