import { compareVersions, parseDottedVersion, parseVersionName } from '../versions/version-name.js';
import type { RequirementReport } from './model.js';

/**
 * newestFirst sorts non-numeric names first, then versions from newest to oldest; a marker sorts
 * as the release it stands for.
 */
export function newestFirst(a: RequirementReport & { standsFor?: string }, b: RequirementReport & { standsFor?: string }): number {
  const pa = a.standsFor === undefined ? parseVersionName(a.version).parts : parseDottedVersion(a.standsFor);
  const pb = b.standsFor === undefined ? parseVersionName(b.version).parts : parseDottedVersion(b.standsFor);
  if (pa === null || pb === null) return (pa === null ? 0 : 1) - (pb === null ? 0 : 1);
  return compareVersions(pb, pa);
}
