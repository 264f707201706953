import { UsageError } from '../errors/usage-error.js';
import { knownFamilySpelledDifferently } from '../versions/families.js';
import { parseDottedVersion } from '../versions/version-name.js';

/** Floor is the highest version of one family a binary may require. */
export interface Floor {
  readonly family: string;
  /** As the user wrote it, e.g. `2.35`. */
  readonly version: string;
  readonly parts: readonly number[];
  /** Where the floor came from, for reports: `--floor`, a target name, a config file. */
  readonly source: string;
}

/** Floors maps each family to its floor. */
export type Floors = ReadonlyMap<string, Floor>;

const FAMILY = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * parseFloorSpec reads one `--floor` value: `2.35` means `GLIBC=2.35`; `FAMILY=VERSION` sets the
 * floor of any family (`GLIBCXX=3.4.30`, `OPENSSL=3.0.0`). Throws UsageError for anything else,
 * and for a known family spelled in another case (`glibc=2.17`).
 */
export function parseFloorSpec(spec: string, source = '--floor'): Floor {
  const text = spec.trim();
  const equals = text.indexOf('=');
  const family = equals < 0 ? 'GLIBC' : text.slice(0, equals).trim();
  const version = equals < 0 ? text : text.slice(equals + 1).trim();
  if (!FAMILY.test(family)) {
    throw new UsageError(`invalid floor "${spec}": the family "${family}" must be a name such as GLIBC or GLIBCXX`);
  }
  // Families match exactly, as the loader compares version names; a known family in the wrong
  // case would match nothing and pass everything, so it is refused with the right spelling.
  const meant = knownFamilySpelledDifferently(family);
  if (meant !== undefined) throw new UsageError(`unknown floor family '${family}'; did you mean ${meant}?`);
  const parts = parseDottedVersion(version);
  if (parts === null) {
    throw new UsageError(`invalid floor "${spec}": "${version}" is not a dotted version such as 2.35`);
  }
  return { family, version, parts, source };
}

/**
 * mergeFloors combines floor lists; a later list wins per family (the command line is passed last
 * so it wins over a target or a config file). Within one list a repeated family is a usage error.
 */
export function mergeFloors(...lists: readonly (readonly Floor[])[]): Map<string, Floor> {
  const merged = new Map<string, Floor>();
  for (const list of lists) {
    const seen = new Set<string>();
    for (const floor of list) {
      if (seen.has(floor.family)) {
        throw new UsageError(`the ${floor.family} floor is given twice in ${floor.source}`);
      }
      seen.add(floor.family);
      merged.set(floor.family, floor);
    }
  }
  return merged;
}

/** floorsRecord renders floors as the report's `floors` object, sorted by family. */
export function floorsRecord(floors: Floors): Record<string, string> {
  const record: Record<string, string> = {};
  for (const family of [...floors.keys()].sort()) record[family] = floors.get(family)!.version;
  return record;
}

/**
 * unmatchedFloors lists the floors whose family no requirement of any checked file has: a floor
 * that checked nothing (a typo such as `GLIBCX`, or a C program checked against GLIBCXX).
 */
export function unmatchedFloors(floors: Floors, families: ReadonlySet<string>): Floor[] {
  return [...floors.values()].filter((floor) => !families.has(floor.family)).sort((a, b) => (a.family < b.family ? -1 : a.family > b.family ? 1 : 0));
}
