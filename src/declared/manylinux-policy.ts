import { compareVersions, parseDottedVersion } from '../versions/version-name.js';
import { MANYLINUX_ADDED_VERSIONS, MANYLINUX_POLICY_NAMES } from './manylinux-policy.generated.js';

/**
 * The manylinux policies of pypa/auditwheel (src/auditwheel/policy/manylinux-policy.json; the
 * data is generated into manylinux-policy.generated.ts by scripts/gen-manylinux-policy.mjs). A
 * policy allows, per architecture, an explicit list of symbol versions per family, which differs
 * from "every version up to X.Y" where glibc's own history does: aarch64 manylinux_2_17 allows
 * GLIBC_2.18 (CentOS 7's aarch64 glibc carries it), GLIBCXX stops at 3.4.19 under manylinux2014,
 * and LIBATOMIC is not allowed at all on x86_64 before manylinux_2_24.
 */

// Sorted at the first use, not when the module loads: only package members need it, and every
// table built at load is paid by each start of the CLI (docs/benchmarks.md, stop 27).
let glibcs: readonly string[] | undefined;

/** manylinuxGlibcs: the glibc versions that have a policy, oldest first (`2.5`, `2.12`, `2.17`, `2.24`, ...). */
export function manylinuxGlibcs(): readonly string[] {
  return (glibcs ??= Object.keys(MANYLINUX_POLICY_NAMES).sort(compareDotted));
}

/** The libraries each policy family's versions are defined in (auditwheel's lib_whitelist, by family). */
export const POLICY_FAMILY_LIBRARIES: Readonly<Record<string, readonly string[]>> = {
  GLIBC: ['libc.so.6', 'libm.so.6', 'libpthread.so.0', 'libdl.so.2', 'librt.so.1', 'libresolv.so.2', 'libutil.so.1', 'libanl.so.1', 'libnsl.so.1'],
  GLIBCXX: ['libstdc++.so.6'],
  CXXABI: ['libstdc++.so.6'],
  GCC: ['libgcc_s.so.1'],
  LIBATOMIC: ['libatomic.so.1'],
  ZLIB: ['libz.so.1'],
};

/** ManylinuxPolicy is what one policy allows on one architecture. */
export interface ManylinuxPolicy {
  /** `manylinux_2_17_x86_64`. */
  readonly tag: string;
  readonly glibc: string;
  /** auditwheel's architecture name (`x86_64`, `i686`, `aarch64`, `armv7l`, ...). */
  readonly arch: string;
  /** family -> the full version names it allows (`GLIBC_2.17`, `CXXABI_TM_1`). */
  readonly allowed: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * manylinuxPolicy returns what the policy for `glibc` allows on `arch`. Absent (no policy for that
 * glibc, or the policy does not list the architecture) is undefined: a tag such as
 * manylinux_2_42_x86_64, newer than the data, is then judged by its number alone.
 */
export function manylinuxPolicy(glibc: string, arch: string): ManylinuxPolicy | undefined {
  if (!(glibc in MANYLINUX_POLICY_NAMES)) return undefined;
  const families = MANYLINUX_ADDED_VERSIONS[arch];
  if (families === undefined) return undefined;
  const allowed = new Map<string, Set<string>>();
  for (const [family, steps] of Object.entries(families)) {
    if (!steps.some(([policy]) => policy === glibc)) continue;
    const names = new Set<string>();
    for (const [policy, versions] of steps) {
      if (compareDotted(policy, glibc) > 0) break;
      for (const version of versions.split(' ')) if (version !== '') names.add(`${family}_${version}`);
    }
    allowed.set(family, names);
  }
  if (allowed.size === 0) return undefined;
  return { tag: `manylinux_${glibc.replace('.', '_')}_${arch}`, glibc, arch, allowed };
}

/** highestNumeric is the highest numeric version among a family's allowed names (`GLIBC_2.18` -> `2.18`), or undefined. */
export function highestNumeric(family: string, names: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  for (const name of names) {
    const version = name.slice(family.length + 1);
    if (parseDottedVersion(version) === null) continue;
    if (best === undefined || compareDotted(version, best) > 0) best = version;
  }
  return best;
}

/** compareDotted compares dotted version strings part by part (`2.5` < `2.12`); text that is not a version sorts as 0. */
export function compareDotted(a: string, b: string): number {
  return compareVersions(parseDottedVersion(a) ?? [0], parseDottedVersion(b) ?? [0]);
}
