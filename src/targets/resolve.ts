import { UsageError } from '../errors/usage-error.js';
import { CATALOGUE, type TargetRecord } from './catalogue.js';

/**
 * normalizeName folds the spellings people use for one name: case, and `_` versus `-`
 * (`manylinux_2_28` = `manylinux-2-28`, `Ubuntu-22.04` = `ubuntu-22.04`).
 */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replaceAll('_', '-');
}

/** nameIndex maps every normalized name and alias to its record; built once. */
function buildIndex(records: readonly TargetRecord[]): Map<string, TargetRecord> {
  const index = new Map<string, TargetRecord>();
  for (const record of records) {
    for (const name of [record.name, ...record.aliases]) index.set(normalizeName(name), record);
  }
  return index;
}

let index: Map<string, TargetRecord> | undefined;

/** catalogueIndex is the catalogue's index, built at the first lookup: a check without `--target` never makes it. */
function catalogueIndex(): ReadonlyMap<string, TargetRecord> {
  return (index ??= buildIndex(CATALOGUE));
}

/** findTarget looks a name or alias up, or returns undefined. */
export function findTarget(name: string, names: ReadonlyMap<string, TargetRecord> = catalogueIndex()): TargetRecord | undefined {
  return names.get(normalizeName(name));
}

/**
 * splitTargetNames reads repeated and comma-separated `--target` values into names, in order,
 * without empty items or repeats.
 */
export function splitTargetNames(values: readonly string[]): string[] {
  const names: string[] = [];
  for (const value of values) {
    for (const part of value.split(',')) {
      const name = part.trim();
      if (name !== '' && !names.includes(name)) names.push(name);
    }
  }
  return names;
}

/**
 * resolveTargets turns names into records, in order and without duplicates. An unknown name is a
 * usage error naming the closest known names.
 */
export function resolveTargets(names: readonly string[]): TargetRecord[] {
  const records: TargetRecord[] = [];
  for (const name of names) {
    const record = findTarget(name);
    if (record === undefined) {
      const close = closestNames(name);
      const hint = close.length > 0 ? `; did you mean ${close.join(', ')}?` : '';
      throw new UsageError(`unknown target "${name}"${hint} (glibc-floor targets lists them all)`);
    }
    if (!records.includes(record)) records.push(record);
  }
  return records;
}

/**
 * closestNames suggests up to `limit` known names for a mistyped one: those within an edit distance
 * of a third of the name's length (at least 2), nearest first, plus names that start with it.
 */
export function closestNames(name: string, limit = 3): string[] {
  const wanted = normalizeName(name);
  const scored: { name: string; distance: number }[] = [];
  for (const [candidate, record] of catalogueIndex()) {
    const distance = candidate.startsWith(wanted) && wanted.length >= 3 ? 0.5 : editDistance(wanted, candidate);
    if (distance <= Math.max(2, Math.floor(wanted.length / 3))) scored.push({ name: record.name === candidate ? record.name : candidate, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names: string[] = [];
  for (const { name: candidate } of scored) {
    if (!names.includes(candidate)) names.push(candidate);
    if (names.length === limit) break;
  }
  return names;
}

/**
 * editDistance is the Levenshtein distance (insert, delete, substitute, each 1). Hand-written: two
 * rows of a small table for names of a few dozen characters do not justify a dependency.
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitute));
    }
    previous = current;
  }
  return previous[b.length]!;
}
