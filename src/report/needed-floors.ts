import { compareVersions, parseDottedVersion } from '../versions/version-name.js';
import type { CheckedFileReport, NeededFloor } from './model.js';

/** At most this many files are named as setting a floor (JSON and text); `fileCount` has them all. */
const NAMED_FILES = 10;

/**
 * neededFloors answers "which floor does this release need": per family, the lowest floor every
 * given file meets (the highest binding version any of them needs, markers counted as their
 * release) and the files that set it. Non-numeric needs (GLIBC_PRIVATE) meet no floor and are
 * left to the check; a family no file needs is absent.
 */
export function neededFloors(files: readonly CheckedFileReport[]): Record<string, NeededFloor> {
  const highest = new Map<string, { parts: readonly number[]; version: string; files: string[] }>();
  for (const file of files) {
    for (const [family, version] of Object.entries(file.maxVersions)) {
      const parts = parseDottedVersion(version);
      if (parts === null) continue;
      const current = highest.get(family);
      const order = current === undefined ? 1 : compareVersions(parts, current.parts);
      if (order > 0) highest.set(family, { parts, version, files: [file.path] });
      else if (order === 0) current!.files.push(file.path);
    }
  }
  const result: Record<string, NeededFloor> = {};
  for (const family of [...highest.keys()].sort(familyOrder)) {
    const entry = highest.get(family)!;
    result[family] = { version: entry.version, files: entry.files.slice(0, NAMED_FILES), fileCount: entry.files.length };
  }
  return result;
}

/** GLIBC first (the floor people ask about), then the others by name. */
function familyOrder(a: string, b: string): number {
  return (a === 'GLIBC' ? 0 : 1) - (b === 'GLIBC' ? 0 : 1) || a.localeCompare(b);
}
