/**
 * VersionName is a version node name split the way the README's "What is checked" defines it: the family is the part
 * before the trailing run of numbers (`GLIBC_2.2.5` -> GLIBC, [2, 2, 5]); a name with no trailing
 * number (`GLIBC_PRIVATE`, `GLIBC_ABI_DT_RELR`) belongs to the family of its first part and has no
 * number.
 */
export interface VersionName {
  readonly name: string;
  readonly family: string;
  /** The numeric parts, or null for a non-numeric name. */
  readonly parts: readonly number[] | null;
}

/**
 * The trailing run of numbers must begin right after a `_` (or at the start), so the digits of a
 * family such as `GLIBCXX_IEEE128_3.4.29` stay in the family. Parts are joined by `.` or `_`
 * (`OPENSSL_1_1_0`).
 */
const TRAILING_NUMBER = /^(?:(.*?)_)?(\d+(?:[._]\d+)*)$/;

/** parseVersionName splits a version node name into family and numeric parts. */
export function parseVersionName(name: string): VersionName {
  const match = TRAILING_NUMBER.exec(name);
  if (match !== null && match[1] !== undefined && match[1] !== '') {
    return { name, family: match[1], parts: splitNumbers(match[2]!) };
  }
  const underscore = name.indexOf('_');
  return { name, family: underscore > 0 ? name.slice(0, underscore) : name, parts: null };
}

function splitNumbers(text: string): number[] {
  return text.split(/[._]/).map((part) => Number.parseInt(part, 10));
}

/** compareVersions orders numeric versions part by part, missing parts counting as 0 (`2.2.5 < 2.3 < 2.10`). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return 0;
}

/** formatVersion prints numeric parts joined by dots. */
export function formatVersion(parts: readonly number[]): string {
  return parts.join('.');
}

const DOTTED = /^\d+(?:\.\d+)*$/;

/** parseDottedVersion parses `2.35` or `3.4.30` into parts, or returns null when it is not one. */
export function parseDottedVersion(text: string): number[] | null {
  return DOTTED.test(text) ? splitNumbers(text) : null;
}
