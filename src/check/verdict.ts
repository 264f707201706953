/**
 * The verdict: how a file's requirements fare, in one of three explicit modes (JudgeMode):
 * `show` judges nothing; `check` applies plain numeric floors; `policy` applies named targets,
 * real systems and the library policy, checked as the loader does where the exact version sets
 * are known.
 *
 * In `policy` mode
 * For each requirement (library, version):
 * - an explicit `--floor` for its family wins: only that numeric floor is applied (README, --target);
 * - otherwise, per target: when the target's libraries for the file's machine include the library
 *   the need names, membership decides (a library without version definitions satisfies any need,
 *   glibc's `match_symbol`); otherwise the target's numeric floor for the family applies, if known.
 * A requirement broken on several targets is one finding listing them all in `failsOn`.
 */
import type { Requirement } from '../versions/requirement.js';
import { compareVersions } from '../versions/version-name.js';
import type { VersionNeed } from '../elf/types.js';
import type { MachineLibraries, SystemLibraries } from '../libraries/library-set.js';
import { missingSymbols } from '../libraries/symbol-check.js';
import type { StackRequest, X86Isa } from '../objects/loader-notes.js';
import { findingFor, type Finding } from './check.js';
import { loaderFindings, type LoaderFinding, type LoaderTarget } from './loader-rules.js';
import type { Floor, Floors } from './floors.js';
import { isMuslBinary, type LibraryPolicy } from './library-policy.js';

/** CheckTarget is one member of the fleet: a catalogue target or a `--floor-from` system. */
export interface CheckTarget {
  readonly name: string;
  /** Numeric floors for a machine (a catalogue target's values; none for a real system). */
  readonly floorsFor: (machine: string) => Floors;
  /** Exact version sets, when known. */
  readonly libraries?: SystemLibraries;
  /** Its glibc release on a machine, when known (for the loader-era rules). */
  readonly glibcRelease?: (machine: string) => readonly number[] | undefined;
  /** The x86-64 level every CPU of the target has (2 for x86-64-v2), when the vendor states one. */
  readonly x86Level?: number;
  /**
   * Set for a `--floor-from` single library: a partial system that knows only that library. A need
   * on another library, with no numeric floor for its family, is then listed as unchecked (neither
   * passed silently nor reported missing).
   */
  readonly partial?: boolean;
}

/** CheckPolicy is everything a `check` applies beyond the plain floors. */
export interface CheckPolicy {
  /** Explicit floors (`--floor`); they win per family over the targets'. */
  readonly floors: Floors;
  readonly targets: readonly CheckTarget[];
  readonly allowLibraries?: LibraryPolicy | undefined;
  /** `--cpu-level`: the x86-64 level the file must not exceed. */
  readonly cpuLevel?: number | undefined;
}

/** Why a needed library breaks the check. */
export type LibraryFindingReason = 'not-allowed' | 'missing' | 'musl';

/** LibraryFinding is a problem with a needed library rather than with a version. */
export interface LibraryFinding {
  readonly library: string;
  readonly reason: LibraryFindingReason;
  readonly message: string;
  readonly failsOn: readonly string[];
}

/** The facts about a file the verdict needs. */
export interface FileFacts {
  readonly machine: string;
  readonly interpreter: string | null;
  readonly needed: readonly string[];
  readonly requirements: readonly Requirement[];
  /** e_type (`EXEC`, `DYN`, `REL`), for the loader-era rules. */
  readonly type?: string;
  /** The needs with each symbol's weak flag, for the symbol-level check of `--floor-from` systems. */
  readonly needs?: readonly VersionNeed[];
  readonly stack?: StackRequest | undefined;
  readonly x86Isa?: X86Isa | undefined;
}

export interface Verdict {
  readonly violations: readonly Finding[];
  readonly warnings: readonly Finding[];
  readonly libraryFindings: readonly LibraryFinding[];
  /** Executable stack and ISA level; those with a non-empty `failsOn` fail the file, the others are notes. */
  readonly loaderFindings: readonly LoaderFinding[];
  /** Binding needs that no floor and no partial target could judge, with the targets that could not. */
  readonly unchecked: readonly UncheckedNeed[];
}

/** UncheckedNeed is a need a partial target (`--floor-from libc.so.6`) could not judge. */
export interface UncheckedNeed {
  readonly requirement: Requirement;
  readonly uncheckedOn: readonly string[];
}

/**
 * JudgeMode says what a run judges, explicitly: `show` describes only; `check` applies plain
 * numeric floors (`--floor`, the config file's floors); `policy` applies targets, `--floor-from`
 * systems and `--allow-lib` (with the explicit floors winning per family).
 */
export type JudgeMode =
  | { readonly kind: 'show'; readonly platforms: boolean }
  | { readonly kind: 'check'; readonly floors: Floors; readonly cpuLevel?: number | undefined }
  | { readonly kind: 'policy'; readonly policy: CheckPolicy };

/**
 * judge applies a mode to one file: a binding requirement that breaks a floor is a violation; a
 * weak one that only weak symbols (or none) use is a warning, because the loader only warns.
 */
export function judge(file: FileFacts, mode: JudgeMode): Verdict {
  const violations: Finding[] = [];
  const warnings: Finding[] = [];
  const unchecked: UncheckedNeed[] = [];
  if (mode.kind === 'show') return { violations, warnings, libraryFindings: [], loaderFindings: [], unchecked };
  for (const requirement of file.requirements) {
    const finding = mode.kind === 'check' ? findingFor(requirement, mode.floors) : requirementFinding(requirement, file.machine, mode.policy);
    if (finding !== undefined) (requirement.binding ? violations : warnings).push(finding);
    else if (mode.kind === 'policy' && requirement.binding) {
      const on = uncheckedOn(requirement, file.machine, mode.policy);
      if (on.length > 0) unchecked.push({ requirement, uncheckedOn: on });
    }
  }
  if (mode.kind === 'policy') violations.push(...symbolFindings(file, mode.policy));
  return {
    violations,
    warnings,
    libraryFindings: mode.kind === 'policy' ? libraryFindings(file, mode.policy) : [],
    loaderFindings: file.type === undefined ? [] : loaderFindings({ ...file, type: file.type }, loaderTargets(file.machine, mode)),
    unchecked,
  };
}

/**
 * loaderTargets lists what the loader-era rules check against: the GLIBC floor (`--floor`, or the
 * targets' and systems' own glibc releases), the targets' CPU baselines, and `--cpu-level`.
 */
function loaderTargets(machine: string, mode: Exclude<JudgeMode, { kind: 'show' }>): LoaderTarget[] {
  const floors = mode.kind === 'check' ? mode.floors : mode.policy.floors;
  const cpuLevel = mode.kind === 'check' ? mode.cpuLevel : mode.policy.cpuLevel;
  const glibcFloor = floors.get('GLIBC');
  const targets: LoaderTarget[] = glibcFloor === undefined ? [] : [{ name: glibcFloor.source, glibc: glibcFloor.parts }];
  if (mode.kind === 'policy') {
    for (const target of mode.policy.targets) targets.push({ name: target.name, glibc: target.glibcRelease?.(machine), x86Level: target.x86Level });
  }
  if (cpuLevel !== undefined) targets.push({ name: '--cpu-level', x86Level: cpuLevel });
  return targets;
}

/**
 * symbolFindings: on `--floor-from` systems whose symbols were read, the (symbol, version) pairs no
 * library the file loads defines, one finding per need naming the systems it fails on.
 */
function symbolFindings(file: FileFacts, policy: CheckPolicy): Finding[] {
  if (file.needs === undefined) return [];
  const byNeed = new Map<string, { finding: Finding; failsOn: string[] }>();
  for (const target of policy.targets) {
    for (const missing of missingSymbols(file.needed, file.needs, target.libraries?.byMachine.get(file.machine))) {
      const requirement = file.requirements.find((candidate) => candidate.library === missing.library && candidate.version === missing.version);
      if (requirement === undefined || policy.floors.has(requirement.family)) continue;
      const key = `${missing.library}\0${missing.version}\0${missing.symbols.join(' ')}`;
      const entry = byNeed.get(key) ?? {
        finding: { requirement: { ...requirement, symbols: missing.symbols }, floor: exactFloor(requirement.family, target.name), reason: 'symbol-not-defined' as const },
        failsOn: [],
      };
      entry.failsOn.push(target.name);
      byNeed.set(key, entry);
    }
  }
  return [...byNeed.values()].map(({ finding, failsOn }) => ({ ...finding, failsOn }));

}

/**
 * uncheckedOn names the partial targets that could not judge a need: the library it names is not
 * theirs (or not for this machine) and no numeric floor of its family applies.
 */
function uncheckedOn(requirement: Requirement, machine: string, policy: CheckPolicy): string[] {
  if (policy.floors.has(requirement.family)) return [];
  return policy.targets
    .filter((target) => target.partial === true && target.libraries?.byMachine.get(machine)?.has(requirement.library) !== true && !target.floorsFor(machine).has(requirement.family))
    .map((target) => target.name);
}

function requirementFinding(requirement: Requirement, machine: string, policy: CheckPolicy): Finding | undefined {
  const failures: Finding[] = [];
  if (policy.floors.has(requirement.family)) {
    const finding = findingFor(requirement, policy.floors);
    if (finding !== undefined) failures.push(finding);
    // A partial system (`--floor-from libc.so.6`) still checks its own library exactly: the
    // explicit floor stands in only for the libraries it does not have.
    for (const target of policy.targets) {
      if (target.partial !== true || target.libraries?.byMachine.get(machine)?.has(requirement.library) !== true) continue;
      const exact = targetFinding(requirement, machine, target);
      if (exact !== undefined) failures.push(exact);
    }
  } else {
    for (const target of policy.targets) {
      const finding = targetFinding(requirement, machine, target);
      if (finding !== undefined) failures.push(finding);
    }
  }
  if (failures.length === 0) return undefined;
  // Report the lowest floor that is broken (a numeric one before an exact-only one), naming every target.
  const first = [...failures].sort((a, b) => floorOrder(a.floor) - floorOrder(b.floor) || compareVersions(a.floor.parts, b.floor.parts))[0]!;
  return { ...first, failsOn: failures.map((finding) => finding.floor.source) };
}

/** targetFinding checks one requirement against one target, exactly where it can. */
export function targetFinding(requirement: Requirement, machine: string, target: CheckTarget): Finding | undefined {
  const floors = target.floorsFor(machine);
  const libraries = target.libraries?.byMachine.get(machine);
  const library = libraries?.get(requirement.library);
  if (library !== undefined) {
    const floor = floors.get(requirement.family) ?? exactFloor(requirement.family, target.name);
    if (requirement.kind === 'private') return { requirement, floor, reason: 'private' };
    if (library.versions === null || library.versions.has(requirement.version)) return undefined;
    return { requirement, floor, reason: 'not-defined' };
  }
  // A complete system without the library: reported once as a missing library (libraryFindings).
  if (target.libraries?.complete === true) return undefined;
  return findingFor(requirement, floors);
}

/** exactFloor stands for "the exact version set of a target" where the target has no numeric floor. */
function exactFloor(family: string, source: string): Floor {
  return { family, version: 'exact', parts: [], source };
}

function floorOrder(floor: Floor): number {
  return floor.parts.length === 0 ? 1 : 0;
}

/** libraryFindings: libraries outside the policy, missing from a real system, or a musl binary on glibc targets. */
function libraryFindings(file: FileFacts, policy: CheckPolicy): LibraryFinding[] {
  const findings: LibraryFinding[] = [];
  const glibcTargets = [...policy.targets.map((target) => target.name), ...(policy.floors.has('GLIBC') ? [policy.floors.get('GLIBC')!.source] : [])];
  if (isMuslBinary(file.interpreter, file.needed) && glibcTargets.length > 0) {
    const loader = file.interpreter ?? file.needed.find((library) => library.includes('musl')) ?? 'musl';
    findings.push({
      library: loader,
      reason: 'musl',
      message: `built for musl libc (loader ${loader}): it does not start on a glibc system, whatever its version`,
      failsOn: glibcTargets,
    });
  }
  if (policy.allowLibraries !== undefined) {
    for (const library of file.needed) {
      if (policy.allowLibraries.allows(library)) continue;
      findings.push({
        library,
        reason: 'not-allowed',
        message: `needs ${library}, which the library policy (${policy.allowLibraries.patterns.join(', ')}) does not allow`,
        failsOn: ['--allow-lib'],
      });
    }
  }
  const wanted = [...new Set([...file.needed, ...file.requirements.map((requirement) => requirement.library)])];
  for (const library of wanted) {
    const missingOn = policy.targets.filter((target) => target.libraries?.complete === true && !hasLibrary(target.libraries.byMachine.get(file.machine), library));
    if (missingOn.length === 0) continue;
    findings.push({
      library,
      reason: 'missing',
      message: `needs ${library}, which ${missingOn.map((target) => target.name).join(', ')} ${missingOn.length === 1 ? 'does' : 'do'} not have for ${file.machine}`,
      failsOn: missingOn.map((target) => target.name),
    });
  }
  return findings;
}

function hasLibrary(libraries: MachineLibraries | undefined, library: string): boolean {
  return libraries?.has(library) === true;
}
