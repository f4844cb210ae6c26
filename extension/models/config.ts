// Launch configurations of debug type `xpc` as plain data: what the configuration provider
// offers (initial, dynamic) and how a bare F5 is completed from the active editor.

export interface XpcLaunchConfig {
  type: 'xpc';
  request: 'launch';
  name: string;
  program?: string;
  system?: string;
  stopOnEntry?: boolean;
  timing?: 'off' | 'default' | 'rocket2019';
  ramSize?: number;
  trace?: boolean;
  includeDirs?: string[];
  stopInKernel?: boolean;
  /** Record for time travel (the adapter's default: true). */
  timeTravel?: boolean;
  /** The time-travel history's memory budget in MiB (the adapter's default: 512). */
  historyBudgetMiB?: number;
  noDebug?: boolean;
  [key: string]: unknown;
}

export type TargetKind = 'program' | 'system';

const PROGRAM = /\.(S|s|asm|elf)$/;
const SYSTEM = /(^|[\\/])([^\\/]+\.)?system\.json$/;

/** What a file can be launched as, if anything. */
export function targetKind(path: string): TargetKind | undefined {
  if (SYSTEM.test(path)) return 'system';
  if (PROGRAM.test(path)) return 'program';
  return undefined;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** A launch configuration for one file (`${file}` or a workspace-relative path). */
export function configFor(path: string, kind: TargetKind, label?: string): XpcLaunchConfig {
  const name = label ?? `Debug ${kind === 'system' ? 'system' : ''} ${baseName(path)}`.replace(/\s+/g, ' ');
  return kind === 'system'
    ? { type: 'xpc', request: 'launch', name, system: path, stopOnEntry: false, timing: 'default' }
    : { type: 'xpc', request: 'launch', name, program: path, stopOnEntry: false, timing: 'default' };
}

/** What launch.json starts with: the active file, and each system description found. */
export function initialConfigs(systemFiles: readonly string[]): XpcLaunchConfig[] {
  return [
    { type: 'xpc', request: 'launch', name: 'Debug the current assembly file', program: '${file}', stopOnEntry: false, timing: 'default' },
    ...systemFiles.map((f) => configFor(f, 'system')),
  ];
}

/** "Debug this file/system" entries of the Run and Debug dropdown. */
export function dynamicConfigs(activeFile: string | undefined, systemFiles: readonly string[]): XpcLaunchConfig[] {
  const out: XpcLaunchConfig[] = [];
  const kind = activeFile ? targetKind(activeFile) : undefined;
  if (activeFile && kind) out.push(configFor(activeFile, kind, `Debug this ${kind === 'system' ? 'system' : 'file'}: ${baseName(activeFile)}`));
  for (const f of systemFiles) if (f !== activeFile) out.push(configFor(f, 'system', `Debug this system: ${baseName(f)}`));
  return out;
}

export type Resolved = { config: XpcLaunchConfig } | { error: string };

/**
 * Completes a configuration before launch: a bare F5 (no launch.json, so an empty
 * configuration) becomes "debug the active file"; every configuration gets the defaults.
 */
export function resolveConfig(config: Readonly<Record<string, unknown>>, activeFile: string | undefined): Resolved {
  let c: Record<string, unknown> = { ...config };
  if (!c.type && !c.request && !c.name) {
    const kind = activeFile ? targetKind(activeFile) : undefined;
    if (!activeFile || !kind) {
      return { error: 'Open an assembly file (.S, .s, .asm), an ELF file or a system description (*.system.json) to debug it, or add an "xpc" configuration to launch.json.' };
    }
    c = { ...configFor(activeFile, kind), ...c };
  }
  if (!c.program && !c.system) {
    return { error: `Launch configuration "${String(c.name ?? 'xpc')}" needs "program" (an assembly or ELF file) or "system" (a system description).` };
  }
  if (c.timing !== undefined && !['off', 'default', 'rocket2019'].includes(String(c.timing))) {
    return { error: `Launch configuration "${String(c.name)}": "timing" must be "off", "default" or "rocket2019", not "${String(c.timing)}".` };
  }
  return {
    config: {
      ...c,
      type: 'xpc',
      request: 'launch',
      name: String(c.name ?? 'XPC'),
      stopOnEntry: typeof c.stopOnEntry === 'boolean' ? c.stopOnEntry : false,
      timing: c.timing ?? 'default',
    } as XpcLaunchConfig,
  };
}
