import type { FileAnalysis } from '../analysis/file-analysis.js';
import { highestVersions } from '../check/check.js';
import { withHints } from '../hints/match.js';
import type { HintReport } from '../report/model.js';
import type { Requirement } from '../versions/requirement.js';
import { compareVersions, formatVersion } from '../versions/version-name.js';
import type { FamilyDiff, FileDiff, RequirementChange, SymbolChange } from './model.js';

const key = (requirement: Pick<Requirement, 'library' | 'version'>) => `${requirement.library}\0${requirement.version}`;

/**
 * compareFiles compares the version needs of two builds of one file: per family the highest
 * binding version before and after, the needs and the symbols that appeared or went away, and
 * whether NEW requires more than OLD. A pair is `raised` when some family's highest version went
 * up (or a family appeared), or when a non-weak need without a number (GLIBC_PRIVATE, a name the
 * tool cannot order) appeared; `changed` when anything else differs.
 */
export function compareFiles(path: string, before: FileAnalysis, after: FileAnalysis): FileDiff {
  const highestAfter = highestVersions(after.requirements);
  const families = compareFamilies(highestVersions(before.requirements), highestAfter).map((family) =>
    family.change === 'raised' || family.change === 'added' ? { ...family, via: viaOf(family.family, highestAfter.get(family.family), after.requirements) } : family,
  );
  const beforeKeys = new Set(before.requirements.map(key));
  const afterKeys = new Set(after.requirements.map(key));
  const added = after.requirements.filter((r) => !beforeKeys.has(key(r)));
  const requirementsAdded = added.map((requirement) => addedChange(requirement, before, after));
  const requirementsRemoved = before.requirements.filter((r) => !afterKeys.has(key(r))).map(change);
  const symbolsAdded = symbolDifference(after.requirements, before.requirements);
  const symbolsRemoved = symbolDifference(before.requirements, after.requirements);

  const raisedBy = families
    .filter((f) => f.change === 'raised' || f.change === 'added')
    .map((f) => `${f.family} ${f.before ?? '(none)'} -> ${f.after}${f.via !== undefined && f.via.length > 0 ? `, via ${f.via.join(', ')}` : ''}`);
  for (const requirement of added) {
    // Markers have parts (the release they stand for): only names no number stands for are unordered.
    if (!requirement.weak && requirement.parts === null) raisedBy.push(`new need ${requirement.version} (not a version number)`);
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

/** compareFamilies lines up the per-family highest versions of both sides (parsed), sorted by family. */
export function compareFamilies(before: ReadonlyMap<string, readonly number[]>, after: ReadonlyMap<string, readonly number[]>): FamilyDiff[] {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  return names.map((family) => {
    const b = before.get(family);
    const a = after.get(family);
    let change: FamilyDiff['change'];
    if (b === undefined) change = 'added';
    else if (a === undefined) change = 'removed';
    else {
      const order = compareVersions(a, b);
      change = order > 0 ? 'raised' : order < 0 ? 'lowered' : 'same';
    }
    return { family, before: b === undefined ? null : formatVersion(b), after: a === undefined ? null : formatVersion(a), change };
  });
}

function change(requirement: Requirement): RequirementChange {
  return { library: requirement.library, version: requirement.version, family: requirement.family, weak: requirement.weak, symbols: requirement.symbols };
}

/** addedChange explains a new need, with fixes for the new build's machine that keep the old build's level. */
function addedChange(requirement: Requirement, before: FileAnalysis, after: FileAnalysis): RequirementChange {
  const level = highestVersions(before.requirements).get(requirement.family);
  const explained = withHints({ ...change(requirement), floor: level === undefined ? undefined : formatVersion(level) }, after.elf);
  const hints: readonly HintReport[] | undefined = explained.hints;
  return { ...change(requirement), ...(hints !== undefined ? { hints } : {}) };
}

/** symbolDifference lists the (library, version, symbol) bindings of `from` that `other` lacks. */
function symbolDifference(from: readonly Requirement[], other: readonly Requirement[]): SymbolChange[] {
  const present = new Set(other.flatMap((r) => r.symbols.map((symbol) => `${key(r)}\0${symbol}`)));
  const result: SymbolChange[] = [];
  for (const requirement of from) {
    for (const symbol of requirement.symbols) {
      if (!present.has(`${key(requirement)}\0${symbol}`)) result.push({ library: requirement.library, version: requirement.version, symbol });
    }
  }
  return result;
}

/** viaOf names what brings a family to `version`: the symbols of the needs at that version (markers count as their release). */
function viaOf(family: string, version: readonly number[] | undefined, requirements: readonly Requirement[]): string[] {
  if (version === undefined) return [];
  const via: string[] = [];
  for (const requirement of requirements) {
    if (requirement.family !== family || requirement.parts === null || compareVersions(requirement.parts, version) !== 0) continue;
    if (requirement.symbols.length === 0) via.push(requirement.version);
    else via.push(...requirement.symbols.map((symbol) => `${symbol}@${requirement.version}`));
  }
  return via;
}
