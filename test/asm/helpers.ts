import { build, BuildOptions, Diagnostic, formatDiagnostic } from '../../language/asm';
import { LinkedImage } from '../../language/asm/link';

export interface Assembled {
  readonly image?: LinkedImage;
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  /** Bytes of an output section as hex, `undefined` if it is absent. */
  hex(section?: string): string | undefined;
  /** Instruction halfwords/words of .text as hex strings in order (2- or 4-byte). */
  words(): string[];
  symbol(name: string): bigint | undefined;
}

/** Assembles one in-memory source file (plus optional extra files for includes). */
export function asm(text: string, opts: BuildOptions & { file?: string; files?: Record<string, string> } = {}): Assembled {
  const files = { ...(opts.files ?? {}), [opts.file ?? 'test.s']: text };
  const host = {
    readFile: (p: string) => files[p],
    resolveInclude: (name: string, _from: string, dirs: readonly string[]) => [name, ...dirs.map((d) => `${d}/${name}`)].find((c) => files[c] !== undefined),
  };
  const r = build([{ path: opts.file ?? 'test.s', text }], { ...opts, host });
  const img = r.image;
  return {
    image: img,
    errors: r.diagnostics.filter((d) => d.severity === 'error'),
    warnings: r.diagnostics.filter((d) => d.severity === 'warning'),
    hex(section = '.text') {
      const s = img?.sections.find((x) => x.name === section);
      return s ? Buffer.from(s.data).toString('hex') : undefined;
    },
    words() {
      const s = img?.sections.find((x) => x.name === '.text');
      if (!s) return [];
      const out: string[] = [];
      for (let i = 0; i < s.data.length;) {
        const lo = s.data[i] | (s.data[i + 1] << 8);
        if ((lo & 3) === 3) {
          const w = (lo | (s.data[i + 2] << 16) | (s.data[i + 3] << 24)) >>> 0;
          out.push(w.toString(16).padStart(8, '0')); i += 4;
        } else { out.push(lo.toString(16).padStart(4, '0')); i += 2; }
      }
      return out;
    },
    symbol(name) { return img?.symbols.find((s) => s.name === name)?.value; },
  };
}

export function errorText(a: Assembled): string {
  return a.errors.map(formatDiagnostic).join('\n');
}
