// Diagnostics of the assembler and linker: every message names file, line and column, and
// carries the chain of .include/#include and macro expansions that led there.

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface ExpansionStep extends SourceLocation {
  /** 'include': the file was included here; 'macro': a macro (or .rept/.irp) was expanded here. */
  readonly kind: 'include' | 'macro';
  readonly name?: string;
}

export interface Diagnostic extends SourceLocation {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Outermost first. */
  readonly chain: readonly ExpansionStep[];
  /** Length of the offending text, when known (for editor ranges). */
  readonly length?: number;
}

export function formatDiagnostic(d: Diagnostic): string {
  const lines = [`${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`];
  for (let i = d.chain.length - 1; i >= 0; i--) {
    const s = d.chain[i];
    lines.push(s.kind === 'include'
      ? `  included from ${s.file}:${s.line}:${s.col}`
      : `  in expansion of ${s.name ? `macro '${s.name}'` : 'a repetition'} at ${s.file}:${s.line}:${s.col}`);
  }
  return lines.join('\n');
}

