import { mergeFloors, parseFloorSpec, type Floor, type Floors } from '../check/floors.js';
import { compileLibraryPolicy } from '../check/library-policy.js';
import type { CheckPolicy, CheckTarget, JudgeMode } from '../check/verdict.js';
import { parsePlatform } from '../image/platform.js';
import { parseX86Level } from '../check/loader-rules.js';
import { glibcReleaseOf } from '../libraries/library-set.js';
import { readSystemLibraries } from '../libraries/read-tree.js';
import type { Report, TargetReport } from '../report/model.js';
import { exactMachines } from '../targets/exact-sets.js';
import { checkTargetOf, combineFleet, floorsOf } from '../targets/fleet.js';
import type { TargetRecord } from '../targets/catalogue.js';
import { resolveTargets, splitTargetNames } from '../targets/resolve.js';
import { UsageError } from '../errors/usage-error.js';

/** The options of `check` that say what to check against. */
export interface CheckSetupOptions {
  readonly floor?: readonly string[];
  readonly target?: readonly string[];
  readonly floorFrom?: readonly string[];
  readonly allowLib?: readonly string[];
  /** `--platform os/arch[/variant]`: the manifest to read of a multi-platform image (scanned, or a `--floor-from` one). */
  readonly platform?: string;
  /** `--cpu-level`: the x86-64 level (x86-64-v2, ...) files must not need more than. */
  readonly cpuLevel?: string;
}

/** What the config file contributes (`.glibc-floor.json`: floors, targets, allowLibraries). */
export interface CheckSetupConfig {
  readonly floors?: readonly Floor[];
  readonly targets?: readonly string[];
  readonly allowLibraries?: readonly string[];
  /** The config file's path, for error messages. */
  readonly source?: string | undefined;
}

/** configTargets resolves the config file's targets; an unknown name is an error naming the file and key. */
function configTargets(config: CheckSetupConfig): TargetRecord[] {
  try {
    return resolveTargets(splitTargetNames(config.targets ?? []));
  } catch (error) {
    if (!(error instanceof UsageError) || config.source === undefined) throw error;
    throw new UsageError(`config file ${config.source}: "targets": ${error.message}`);
  }
}

/** CheckSetup is what a `check` run applies, and the added report fields that describe it. */
export interface CheckSetup {
  /** The floors the report's header lists (for `policy`, the targets' merged with the explicit ones). */
  readonly floors: Floors | undefined;
  readonly mode: JudgeMode;
  readonly added: Pick<Report, 'floorSources' | 'targets' | 'floorNotes' | 'allowLibraries'>;
}

/**
 * resolveCheckSetup gathers floors, named targets, `--floor-from` systems and the library policy,
 * from the command line and the config file. The command line wins over the file: its `--target`
 * and `--allow-lib` lists replace the file's, and when it names targets the file's floors give way
 * for the families those targets set. Explicit floors win per family over the targets' (README, --target).
 * With only floors the plain numeric check of the core runs unchanged. A check with nothing to
 * check against is a usage error.
 */
export async function resolveCheckSetup(options: CheckSetupOptions, config: CheckSetupConfig = {}): Promise<CheckSetup> {
  const cliTargets = splitTargetNames(options.target ?? []);
  const records = cliTargets.length > 0 ? resolveTargets(cliTargets) : configTargets(config);
  const setByCliTargets = cliTargets.length > 0 ? combineFleet(records).floors : new Map<string, Floor>();
  const configFloors = (config.floors ?? []).filter((floor) => !setByCliTargets.has(floor.family));
  const explicit = mergeFloors(configFloors, (options.floor ?? []).map((spec) => parseFloorSpec(spec)));
  for (const record of records) {
    if (record.glibc.value === null) {
      throw new UsageError(`the glibc of ${record.name} is not known (no source found${record.note === undefined ? '' : `; ${record.note}`}); use --floor for it`);
    }
  }
  const systems: CheckTarget[] = [];
  const notes: string[] = [];
  for (const path of options.floorFrom ?? []) {
    const { libraries, skipped } = await readSystemLibraries(path, options.platform === undefined ? {} : { platform: parsePlatform(options.platform) });
    systems.push({ name: path, floorsFor: () => new Map(), libraries, glibcRelease: (machine) => glibcReleaseOf(libraries, machine), ...(libraries.complete ? {} : { partial: true }) });
    if (skipped.length > 0) notes.push(`--floor-from ${path}: ${skipped.length} unreadable librar${skipped.length === 1 ? 'y' : 'ies'} skipped (${skipped.slice(0, 3).join('; ')}${skipped.length > 3 ? '; ...' : ''})`);
  }
  const allowLibraries = compileLibraryPolicy((options.allowLib ?? []).length > 0 ? options.allowLib! : (config.allowLibraries ?? []));
  const cpuLevel = options.cpuLevel === undefined ? undefined : parseX86Level(options.cpuLevel);
  if (options.cpuLevel !== undefined && cpuLevel === undefined) {
    throw new UsageError(`invalid --cpu-level "${options.cpuLevel}": use x86-64 (the baseline), x86-64-v2, x86-64-v3 or x86-64-v4`);
  }

  if (explicit.size === 0 && records.length === 0 && systems.length === 0 && allowLibraries === undefined && cpuLevel === undefined) {
    throw new UsageError('no floor given: name one with --floor 2.35 (GLIBC) or --floor FAMILY=VERSION, a platform with --target ubuntu-22.04, a system with --floor-from PATH, a library policy with --allow-lib, or a CPU with --cpu-level');
  }
  if (records.length === 0 && systems.length === 0 && allowLibraries === undefined) {
    return { floors: explicit, mode: { kind: 'check', floors: explicit, cpuLevel }, added: {} };
  }

  const fleet = combineFleet(records);
  const floors = mergeFloors([...fleet.floors.values()] as Floor[], [...explicit.values()]);
  const floorSources: Record<string, string> = {};
  for (const family of [...floors.keys()].sort()) floorSources[family] = explicit.has(family) ? explicit.get(family)!.source : fleet.sources[family]!;
  const targets: TargetReport[] = [
    ...records.map((record): TargetReport => ({
      name: record.name,
      kind: 'catalogue',
      floors: Object.fromEntries([...floorsOf(record)].map(([family, floor]) => [family, floor.version])),
      exactMachines: exactMachines(record.name),
    })),
    ...systems.map((system): TargetReport => ({
      name: system.name,
      kind: 'floor-from',
      floors: {},
      exactMachines: [...(system.libraries?.byMachine.keys() ?? [])].sort(),
    })),
  ];
  const policy: CheckPolicy = { floors: explicit, targets: [...records.map(checkTargetOf), ...systems], allowLibraries, cpuLevel };
  const floorNotes = [...fleet.notes, ...notes];
  return {
    floors,
    mode: { kind: 'policy', policy },
    added: {
      floorSources,
      targets,
      ...(floorNotes.length > 0 ? { floorNotes } : {}),
      ...(allowLibraries !== undefined ? { allowLibraries: allowLibraries.patterns } : {}),
    },
  };
}
