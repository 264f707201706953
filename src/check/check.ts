import type { Requirement } from '../versions/requirement.js';
import { compareVersions, formatVersion } from '../versions/version-name.js';
import type { Floor, Floors } from './floors.js';

/**
 * Why a requirement breaks a floor:
 * - `above-floor`: its version (or the release a marker stands for) is newer than the floor;
 * - `private`: GLIBC_PRIVATE, which ties the binary to one glibc build;
 * - `unprovable`: a non-numeric name in a family with a floor; the tool never passes what it does not understand;
 * - `not-defined`: an exact check (a target's real version sets, or `--floor-from`) found that the
 *   library named by the need does not define the version, whatever its number (verdict.ts);
 * - `symbol-not-defined`: a `--floor-from` system defines the version node, but no library the
 *   file loads defines these symbols at that version: the loader fails at relocation
 *   (`undefined symbol: X, version V`); the finding's symbols are the missing ones.
 */
export type FindingReason = 'above-floor' | 'private' | 'unprovable' | 'not-defined' | 'symbol-not-defined';

/** Finding is a requirement that breaks its family's floor. */
export interface Finding {
  readonly requirement: Requirement;
  readonly floor: Floor;
  readonly reason: FindingReason;
  /** The targets (or `--floor`, or a `--floor-from` path) whose floor the requirement breaks, when several may. */
  readonly failsOn?: readonly string[];
}

/** findingFor says whether one requirement breaks its family's floor, and why. */
export function findingFor(requirement: Requirement, floors: Floors): Finding | undefined {
  const floor = floors.get(requirement.family);
  if (floor === undefined) return undefined;
  switch (requirement.kind) {
    case 'private':
      return { requirement, floor, reason: 'private' };
    case 'other':
      return { requirement, floor, reason: 'unprovable' };
    case 'numeric':
    case 'marker':
      return compareVersions(requirement.parts!, floor.parts) > 0 ? { requirement, floor, reason: 'above-floor' } : undefined;
  }
}

/**
 * highestVersions returns, per family (sorted by name), the highest version a binding requirement
 * needs; markers count as the release they stand for, and non-numeric names (GLIBC_PRIVATE) are left out.
 */
export function highestVersions(requirements: readonly Requirement[]): Map<string, readonly number[]> {
  const highest = new Map<string, readonly number[]>();
  for (const requirement of requirements) {
    if (!requirement.binding || requirement.parts === null) continue;
    const current = highest.get(requirement.family);
    if (current === undefined || compareVersions(requirement.parts, current) > 0) highest.set(requirement.family, requirement.parts);
  }
  return new Map([...highest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** maxVersions is highestVersions as the report writes it: family -> dotted version. */
export function maxVersions(requirements: readonly Requirement[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [family, parts] of highestVersions(requirements)) record[family] = formatVersion(parts);
  return record;
}
