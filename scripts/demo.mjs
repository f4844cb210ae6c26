// `npm run demo`: the main job, headless. It builds every example with the project's own
// assembler, shows the result as objdump would (symbols, source lines, instructions) and runs it
// on the emulated board. Examples with a system.json are built with the kernel and run on it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(process.cwd(), 'bin', 'xpc.js');
const out = mkdtempSync(join(tmpdir(), 'xpc-demo-'));
let failed = false;
for (const dir of readdirSync('examples')) {
  const srcDir = join('examples', dir);
  if (!statSync(srcDir).isDirectory()) continue;
  // A kernel example: a system description, built and run on the kernel (docs/kernel.md).
  const system = join(srcDir, 'system.json');
  if (existsSync(system)) {
    console.log(`\n=== ${dir}: xpc run --stats --timing rocket2019 ${system}`);
    const run = spawnSync(process.execPath, [cli, 'run', '--stats', '--timing', 'rocket2019', system], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (run.status !== 0) failed = true;
    continue;
  }
  // A source that another one #includes (bare-xpc's boot.S includes client.S and server.S) is
  // assembled as part of it, not again on its own.
  const all = readdirSync(srcDir).filter((f) => /\.(S|s)$/.test(f));
  const included = new Set(all.flatMap((f) => [...readFileSync(join(srcDir, f), 'utf8').matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)].map((m) => m[1])));
  const sources = all.filter((f) => !included.has(f)).map((f) => join(srcDir, f));
  if (!sources.length) continue;
  const elf = join(out, `${dir}.elf`);
  console.log(`\n=== ${dir}: xpc asm -o ${elf} ${sources.join(' ')}`);
  const asm = spawnSync(process.execPath, [cli, 'asm', '-o', elf, ...sources], { stdio: 'inherit' });
  if (asm.status !== 0) { failed = true; continue; }
  console.log(`=== ${dir}: xpc disasm ${elf}`);
  const dis = spawnSync(process.execPath, [cli, 'disasm', elf], { stdio: 'inherit' });
  if (dis.status !== 0) failed = true;
  console.log(`=== ${dir}: xpc run --stats ${elf}`);
  const run = spawnSync(process.execPath, [cli, 'run', '--stats', elf], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) failed = true;
}
// The comparison table: the XPC paper's evaluation on our kernel and emulator (docs/evaluation.md).
console.log('\n=== xpc bench ipc: the paper\'s evaluation, both timing profiles');
const bench = spawnSync(process.execPath, [cli, 'bench', 'ipc'], { stdio: ['ignore', 'inherit', 'inherit'] });
if (bench.status !== 0) failed = true;
process.exitCode = failed ? 1 : 0;
