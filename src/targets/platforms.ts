/**
 * The reverse question `show` answers: which catalogue targets can run a file, and, for each
 * release line, the newest release that cannot, with the versions and symbols that stop it.
 */
import type { Finding } from '../check/check.js';
import { loaderFindings, type LoaderFindingCode } from '../check/loader-rules.js';
import { isMuslBinary } from '../check/library-policy.js';
import { targetFinding, type CheckTarget, type FileFacts } from '../check/verdict.js';
import { compareVersions } from '../versions/version-name.js';
import { CATALOGUE, CATALOGUE_FIELDS, FIELD_FAMILY, valueFor, type TargetRecord } from './catalogue.js';
import { checkTargetOf } from './fleet.js';

/** A requirement that stops a target, as reported. */
export interface Blocker {
  readonly library: string;
  readonly version: string;
  readonly family: string;
  readonly symbols: readonly string[];
  readonly reason: Finding['reason'];
  /** The target's floor for the family (`exact` when only its version sets decided). */
  readonly floor: string;
}

/** The newest release of one line that cannot run the file. */
export interface BlockedLine {
  readonly line: string;
  readonly target: string;
  readonly blockers: readonly Blocker[];
  /** Loader-era rules it breaks there (an executable-stack shared object on glibc >= 2.41, an ISA level above the CPU baseline). */
  readonly loader?: readonly { readonly code: LoaderFindingCode; readonly message: string }[];
}

/** A target where the file passes what is known, but some family it needs is not known there. */
export interface UnknownOn {
  readonly target: string;
  readonly families: readonly string[];
}

export interface Platforms {
  /** Targets where every binding need is checked and met (catalogue order). */
  readonly runsOn: readonly string[];
  /** Targets that cannot run it (catalogue order). */
  readonly cannotRun: readonly string[];
  /** Per line, the newest target that cannot run it and why. */
  readonly newestBlocked: readonly BlockedLine[];
  /** Targets whose verdict is open because a needed family (or glibc itself) is unknown there. */
  readonly unknownOn: readonly UnknownOn[];
  /** Set for a musl binary: no glibc target runs it. */
  readonly musl?: boolean;
}

interface Member {
  readonly record: TargetRecord;
  readonly target: CheckTarget;
}

let members: readonly Member[] | undefined;

/**
 * catalogueMembers is the catalogue with each target's check target, made at the first use: only
 * `show` uses it, and making it cost every start-up about a millisecond.
 */
function catalogueMembers(): readonly Member[] {
  return (members ??= CATALOGUE.map((record) => ({ record, target: checkTargetOf(record) })));
}

/** The empty list, shared by the targets with nothing to say (never changed: readonly). */
const NONE: readonly never[] = [];

/** platformsFor answers the reverse question for one file over the whole catalogue. */
export function platformsFor(file: FileFacts): Platforms {
  if (isMuslBinary(file.interpreter, file.needed)) {
    return { runsOn: [], cannotRun: catalogueMembers().map((member) => member.record.name), newestBlocked: [], unknownOn: [], musl: true };
  }
  const runsOn: string[] = [];
  const cannotRun: string[] = [];
  const unknownOn: UnknownOn[] = [];
  const newestByLine = new Map<string, BlockedLine>();
  // Per file, not per target: the loop below runs for every catalogue target of every file.
  const typed = file.type === undefined ? undefined : { ...file, type: file.type };
  const needed = new Set(file.requirements.filter((requirement) => requirement.binding).map((requirement) => requirement.family));
  for (const { record, target } of catalogueMembers()) {
    const findings: Finding[] = [];
    for (const requirement of file.requirements) {
      if (!requirement.binding) continue;
      const finding = targetFinding(requirement, file.machine, target);
      if (finding !== undefined) findings.push(finding);
    }
    // Most targets run most files: no arrays made for them (this loop was a tenth of a tree scan's allocations).
    const blockers = findings.length === 0 ? NONE : findings.sort(newestFirst).map(blockerOf);
    const loaderRules = typed === undefined ? NONE : loaderFindings(typed, [{ name: record.name, glibc: target.glibcRelease?.(file.machine), x86Level: target.x86Level }]);
    const loader = loaderRules.length === 0 ? NONE : loaderRules.filter((finding) => finding.failsOn.length > 0).map(({ code, message }) => ({ code, message }));
    if (blockers.length > 0 || loader.length > 0) {
      cannotRun.push(record.name);
      // Records are listed oldest first, so the last one seen per line is the newest.
      newestByLine.set(record.line, { line: record.line, target: record.name, blockers, ...(loader.length > 0 ? { loader } : {}) });
      continue;
    }
    const missing = unknownFamilies(record, file.machine, needed);
    if (missing.length > 0) unknownOn.push({ target: record.name, families: missing });
    else runsOn.push(record.name);
  }
  return { runsOn, cannotRun, newestBlocked: [...newestByLine.values()], unknownOn };
}

/** unknownFamilies: the catalogue families a file on `machine` needs (`needed`) that the record has no value for. */
function unknownFamilies(record: TargetRecord, machine: string, needed: ReadonlySet<string>): string[] {
  const families: string[] = [];
  for (const field of CATALOGUE_FIELDS) {
    const family = FIELD_FAMILY[field];
    if (valueFor(record, field, machine).value !== null) continue;
    // An unknown glibc leaves even a file without needs open: it may not be a glibc system at all.
    if (family === 'GLIBC' || needed.has(family)) families.push(family);
  }
  return families;
}

/** newestFirst orders blockers by the version they stand for, newest first, non-numeric names first. */
function newestFirst(a: Finding, b: Finding): number {
  const pa = a.requirement.parts;
  const pb = b.requirement.parts;
  if (pa === null || pb === null) return (pa === null ? 0 : 1) - (pb === null ? 0 : 1);
  return compareVersions(pb, pa);
}

function blockerOf(finding: Finding): Blocker {
  return {
    library: finding.requirement.library,
    version: finding.requirement.version,
    family: finding.requirement.family,
    symbols: finding.requirement.symbols,
    reason: finding.reason,
    floor: finding.floor.version,
  };
}
