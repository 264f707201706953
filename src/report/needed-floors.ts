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
export function neededFloors(files: readonly Pick<CheckedFileReport, 'path' | 'maxVersions'>[]): Record<string, NeededFloor> {
  const tally = new NeededFloorsTally();
  for (const file of files) tally.add(file);
  return tally.floors();
}

/**
 * NeededFloorsTally works out neededFloors file by file, holding per family only the highest
 * version so far, the first NAMED_FILES files that need it and their count: `show` over a tree of
 * any size keeps no entry per file for it.
 */
export class NeededFloorsTally {
  private readonly highest = new Map<string, { parts: readonly number[]; version: string; files: string[]; count: number }>();

  add(file: Pick<CheckedFileReport, 'path' | 'maxVersions'>): void {
    for (const [family, version] of Object.entries(file.maxVersions)) {
      const parts = parseDottedVersion(version);
      if (parts === null) continue;
      const current = this.highest.get(family);
      const order = current === undefined ? 1 : compareVersions(parts, current.parts);
      if (order > 0) {
        this.highest.set(family, { parts, version, files: [file.path], count: 1 });
      } else if (order === 0) {
        if (current!.count++ < NAMED_FILES) current!.files.push(file.path);
      }
    }
  }

  floors(): Record<string, NeededFloor> {
    const result: Record<string, NeededFloor> = {};
    for (const family of [...this.highest.keys()].sort(familyOrder)) {
      const entry = this.highest.get(family)!;
      result[family] = { version: entry.version, files: [...entry.files], fileCount: entry.count };
    }
    return result;
  }
}

/** GLIBC first (the floor people ask about), then the others by name. */
function familyOrder(a: string, b: string): number {
  return (a === 'GLIBC' ? 0 : 1) - (b === 'GLIBC' ? 0 : 1) || a.localeCompare(b);
}
