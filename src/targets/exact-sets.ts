/**
 * Exact version sets: for some catalogue targets, per machine, the version nodes each glibc and C++
 * runtime library really defines, generated from real packages by scripts/gen-exact-sets.mjs into
 * exact-sets.generated.ts. A target check is then a membership check by (library, version), as the
 * loader does; the numeric floor remains the fallback for what the data does not cover.
 */
import type { LibraryVersions, MachineLibraries, SystemLibraries } from '../libraries/library-set.js';
import type { ExactSetData } from './exact-set-data.js';
import { EXACT_SETS } from './exact-sets.generated.js';

/** exactSetFor returns a target's generated libraries as SystemLibraries, or undefined when it has none. */
export function exactSetFor(target: string, data: ExactSetData = EXACT_SETS): SystemLibraries | undefined {
  const record = data[target];
  if (record === undefined) return undefined;
  const byMachine = new Map<string, MachineLibraries>();
  for (const [machine, machineData] of Object.entries(record.machines)) {
    const libraries = new Map<string, LibraryVersions>();
    for (const [soname, names] of Object.entries(machineData.libraries)) {
      libraries.set(soname, { soname, versions: names === null ? null : new Set(names.split(' ')) });
    }
    byMachine.set(machine, libraries);
  }
  // Only glibc and the C++ runtime are recorded, so a library absent here is not proven missing.
  return { label: target, complete: false, byMachine };
}

/** exactMachines lists the machines a target has exact sets for (empty when it has none). */
export function exactMachines(target: string, data: ExactSetData = EXACT_SETS): string[] {
  return Object.keys(data[target]?.machines ?? {}).sort();
}

/** exactPackages returns, per machine, the package versions a target's sets were read from. */
export function exactPackages(target: string, data: ExactSetData = EXACT_SETS): Record<string, Readonly<Record<string, string>>> {
  const result: Record<string, Readonly<Record<string, string>>> = {};
  for (const [machine, machineData] of Object.entries(data[target]?.machines ?? {})) result[machine] = machineData.packages;
  return result;
}
