// Public entry points of the assembler/linker: sources in, diagnostics and an image (or ELF) out.
// Used by the CLI, the language server (diagnostics as you type) and the debug adapter (launch).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeElfExecutable } from '../elf/elf-writer';
import { Assembler, AssemblerHost } from './assembler';
import { Diagnostic } from './diagnostics';
import { LAYOUTS, Layout, LinkedImage, link } from './link';
import { AsmObject } from './object';
import { preprocess } from './preprocessor';
import { LineSource, fileLines } from './source';

export interface SourceInput {
  readonly path: string;
  /** File contents; read from disk through the host when omitted. */
  readonly text?: string;
}

export interface BuildOptions {
  readonly includeDirs?: readonly string[];
  readonly defines?: ReadonlyMap<string, string>;
  readonly rvc?: boolean;
  readonly layout?: Layout;
  readonly host?: AssemblerHost;
}

export interface BuildResult {
  readonly diagnostics: Diagnostic[];
  readonly objects: AsmObject[];
  readonly image?: LinkedImage;
}

export function fsHost(): AssemblerHost {
  return {
    readFile: (p) => { try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; } },
    resolveInclude: (name, fromFile, dirs) => {
      const candidates = path.isAbsolute(name) ? [name] : [path.join(path.dirname(fromFile), name), ...dirs.map((d) => path.join(d, name)), name];
      return candidates.find((c) => { try { return fs.statSync(c).isFile(); } catch { return false; } });
    },
  };
}

/** `.S` (capital) files go through the C preprocessor first, as with GCC. */
export function needsPreprocessor(file: string): boolean {
  return /\.S$/.test(file);
}

export function assembleOne(input: SourceInput, opts: BuildOptions = {}): { object: AsmObject; diagnostics: Diagnostic[] } {
  const host = opts.host ?? fsHost();
  const text = input.text ?? host.readFile(input.path);
  const diagnostics: Diagnostic[] = [];
  const asm = new Assembler(input.path, { includeDirs: opts.includeDirs, rvc: opts.rvc, host });
  if (text === undefined) {
    diagnostics.push({ severity: 'error', file: input.path, line: 0, col: 0, chain: [], message: 'cannot read file' });
    return { object: asm.assembleLines([]), diagnostics };
  }
  let lines: LineSource;
  if (needsPreprocessor(input.path)) {
    const pp = preprocess(text, input.path, {
      defines: new Map(opts.defines ?? []),
      includeDirs: [...(opts.includeDirs ?? [])],
      host: {
        readFile: (p) => host.readFile(p),
        resolveInclude: (name, from, angled, dirs) => (angled ? fsHostAngled(name, dirs, host) : host.resolveInclude(name, from, dirs)),
      },
    });
    for (const d of pp.diagnostics) {
      diagnostics.push({ severity: d.severity, file: d.file, line: d.line, col: d.column, message: d.message, chain: d.includeChain.map((c) => ({ kind: 'include' as const, file: c.file, line: c.line, col: 1 })) });
    }
    lines = pp.lines.map((l) => ({ text: l.text, file: l.origin.file, line: l.origin.line, chain: l.includeChain.map((c) => ({ kind: 'include' as const, file: c.file, line: c.line, col: 1 })) }));
  } else {
    lines = fileLines(text, input.path, []);
  }
  const object = asm.assembleLines(lines);
  // Not push(...xs): a spread of ~100k diagnostics overflows the stack.
  for (const d of asm.diagnostics) diagnostics.push(d);
  return { object, diagnostics };
}

function fsHostAngled(name: string, dirs: readonly string[], host: AssemblerHost): string | undefined {
  for (const d of dirs) {
    const p = path.join(d, name);
    if (host.readFile(p) !== undefined) return p;
  }
  return undefined;
}

/** Assembles every source and links them; no image when any error was reported. */
export function build(inputs: readonly SourceInput[], opts: BuildOptions = {}): BuildResult {
  const diagnostics: Diagnostic[] = [];
  const objects: AsmObject[] = [];
  for (const input of inputs) {
    const r = assembleOne(input, opts);
    objects.push(r.object);
    for (const d of r.diagnostics) diagnostics.push(d);
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, objects };
  const linked = link(objects, opts.layout ?? LAYOUTS.bare);
  for (const d of linked.diagnostics) diagnostics.push(d);
  return { diagnostics, objects, image: linked.image };
}

/** The ELF file for a linked image, with symbols and DWARF line information. */
export function imageToElf(image: LinkedImage, compDir = process.cwd()): Uint8Array {
  return writeElfExecutable({
    entry: image.entry,
    compDir,
    sections: image.sections.map((s) => ({
      name: s.name, kind: s.nobits ? 'nobits' : 'progbits', alloc: true, write: s.flags.write, exec: s.flags.exec,
      addr: s.addr, align: s.align, data: s.data, size: s.size,
    })),
    symbols: image.symbols.map((s) => ({ name: s.name, value: s.value, size: s.size, type: s.type, bind: s.bind, section: s.section })),
    lineSequences: image.lineSequences.map((q) => ({ rows: q.rows.map((r) => ({ address: r.address, file: r.file, line: r.line, column: r.column })), endAddress: q.endAddress })),
  });
}

export { LAYOUTS, parseLayout } from './link';
export type { Layout, LinkedImage } from './link';
export { formatDiagnostic } from './diagnostics';
export type { Diagnostic } from './diagnostics';
