import { withHints } from '../hints/match.js';
import type { CheckedFileReport, RequirementReport } from '../report/model.js';
import { GLIBC_MARKERS } from '../versions/glibc-markers.js';
import { compareVersions, parseDottedVersion, parseVersionName } from '../versions/version-name.js';
import type { FamilyDiff, FileDiff, RequirementChange, SymbolChange } from './model.js';

const key = (requirement: Pick<RequirementReport, 'library' | 'version'>) => `${requirement.library}\0${requirement.version}`;

/**
 * compareFiles compares the version needs of two builds of one file: per family the highest
 * binding version before and after, the needs and the symbols that appeared or went away, and
 * whether NEW requires more than OLD. A pair is `raised` when some family's highest version went
 * up (or a family appeared), or when a non-weak need without a number (GLIBC_PRIVATE, a name the
 * tool cannot order) appeared; `changed` when anything else differs.
 */
export function compareFiles(path: string, before: CheckedFileReport, after: CheckedFileReport): FileDiff {
  const families = compareFamilies(before.maxVersions, after.maxVersions).map((family) =>
    family.change === 'raised' || family.change === 'added' ? { ...family, via: viaOf(family.family, family.after, after.requirements) } : family,
  );
  const beforeKeys = new Set(before.requirements.map(key));
  const afterKeys = new Set(after.requirements.map(key));
  const requirementsAdded = after.requirements.filter((r) => !beforeKeys.has(key(r))).map((requirement) => addedChange(requirement, before, after));
  const requirementsRemoved = before.requirements.filter((r) => !afterKeys.has(key(r))).map(change);
  const symbolsAdded = symbolDifference(after.requirements, before.requirements);
  const symbolsRemoved = symbolDifference(before.requirements, after.requirements);

  const raisedBy = families
    .filter((f) => f.change === 'raised' || f.change === 'added')
    .map((f) => `${f.family} ${f.before ?? '(none)'} -> ${f.after}${f.via !== undefined && f.via.length > 0 ? `, via ${f.via.join(', ')}` : ''}`);
  for (const requirement of requirementsAdded) {
    if (!requirement.weak && !orderable(requirement.version)) raisedBy.push(`new need ${requirement.version} (not a version number)`);
  }
  const kindBefore = before.kind?.name ?? null;
  const kindAfter = after.kind?.name ?? null;
  const differs = requirementsAdded.length + requirementsRemoved.length + symbolsAdded.length + symbolsRemoved.length > 0 || kindBefore !== kindAfter;
  return {
    path,
    status: raisedBy.length > 0 ? 'raised' : differs || families.some((f) => f.change !== 'same') ? 'changed' : 'unchanged',
    old: before.path,
    new: after.path,
    families,
    requirementsAdded,
    requirementsRemoved,
    symbolsAdded,
    symbolsRemoved,
    ...(raisedBy.length > 0 ? { raisedBy } : {}),
    ...(kindBefore !== kindAfter ? { kind: { before: kindBefore, after: kindAfter } } : {}),
  };
}

/** compareFamilies lines up the per-family maxima of both sides, sorted by family. */
export function compareFamilies(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): FamilyDiff[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names.map((family) => {
    const b = before[family] ?? null;
    const a = after[family] ?? null;
    let change: FamilyDiff['change'];
    if (b === null) change = 'added';
    else if (a === null) change = 'removed';
    else {
      const order = compareVersions(parseDottedVersion(a) ?? [], parseDottedVersion(b) ?? []);
      change = order > 0 ? 'raised' : order < 0 ? 'lowered' : 'same';
    }
    return { family, before: b, after: a, change };
  });
}

function change(requirement: RequirementReport): RequirementChange {
  return { library: requirement.library, version: requirement.version, family: requirement.family, weak: requirement.weak, symbols: requirement.symbols };
}

/** addedChange explains a new need, with fixes for the new build's machine that keep the old build's level. */
function addedChange(requirement: RequirementReport, before: CheckedFileReport, after: CheckedFileReport): RequirementChange {
  const explained = withHints({ ...requirement, floor: before.maxVersions[requirement.family] }, after.elf);
  return { ...change(requirement), ...(explained.hints !== undefined ? { hints: explained.hints } : {}) };
}

/** symbolDifference lists the (library, version, symbol) bindings of `from` that `other` lacks. */
function symbolDifference(from: readonly RequirementReport[], other: readonly RequirementReport[]): SymbolChange[] {
  const present = new Set(other.flatMap((r) => r.symbols.map((symbol) => `${key(r)}\0${symbol}`)));
  const result: SymbolChange[] = [];
  for (const requirement of from) {
    for (const symbol of requirement.symbols) {
      if (!present.has(`${key(requirement)}\0${symbol}`)) result.push({ library: requirement.library, version: requirement.version, symbol });
    }
  }
  return result;
}

/** orderable: a numbered version or a glibc marker that stands for a release. */
function orderable(version: string): boolean {
  return parseVersionName(version).parts !== null || GLIBC_MARKERS[version] !== undefined;
}

/** viaOf names what brings a family to `version`: the symbols of the needs at that version (markers count as their release). */
function viaOf(family: string, version: string | null, requirements: readonly RequirementReport[]): string[] {
  const target = version === null ? null : parseDottedVersion(version);
  if (target === null) return [];
  const via: string[] = [];
  for (const requirement of requirements) {
    if (requirement.family !== family) continue;
    const marker = GLIBC_MARKERS[requirement.version];
    const parts = parseVersionName(requirement.version).parts ?? (marker === undefined ? null : parseDottedVersion(marker.release));
    if (parts === null || compareVersions(parts, target) !== 0) continue;
    if (requirement.symbols.length === 0) via.push(requirement.version);
    else via.push(...requirement.symbols.map((symbol) => `${symbol}@${requirement.version}`));
  }
  return via;
}
