import type { Requirement } from '../versions/requirement.js';
import { parseDottedVersion } from '../versions/version-name.js';
import { compareDotted, highestNumeric, manylinuxPolicy, type ManylinuxPolicy } from './manylinux-policy.js';

/** The kinds of package that declare a floor. */
export type ClaimKind = 'wheel' | 'npm' | 'deb' | 'rpm';

/** A C library family. */
export type Libc = 'glibc' | 'musl';

/**
 * DeclaredClaim is what a package says it needs: a wheel's platform tag, an npm package's `libc`
 * field or prebuild folder, a .deb's `Depends:` on libc6 and libstdc++6, an RPM's `Requires:` on
 * versioned libc.so.6 and libstdc++.so.6 symbols.
 */
export interface DeclaredClaim {
  readonly kind: ClaimKind;
  /** The claim as written: `manylinux_2_17_x86_64`, `libc6 (>= 2.17)`, `libc.so.6(GLIBC_2.34)(64bit)`, `"libc": ["glibc"]`. */
  readonly text: string;
  /** Where it is written: `file name`, `WHEEL`, `package.json`, `control`, `Requires`, a prebuild folder. */
  readonly origin: string;
  readonly libc: Libc | undefined;
  /** The ELF machine name (`x86_64`, `aarch64`, `i386`, `arm`, ...) the claim is for, when it names one. */
  readonly machine: string | undefined;
  /** family -> the highest version the claim allows (`GLIBC` -> `2.17`); empty when it names no version. */
  readonly floors: ReadonlyMap<string, string>;
  /** For a manylinux tag that auditwheel's data covers: the exact versions allowed. */
  readonly policy: ManylinuxPolicy | undefined;
  /** The member-name prefix the claim covers (an npm prebuild folder); undefined: the whole package. */
  readonly scope: string | undefined;
}

/** The facts about one ELF member that a claim is judged on. */
export interface MemberFacts {
  /** The path as reported (`pkg.whl!/demo/_x.so`). */
  readonly path: string;
  /** The name as stored in the archive, for a claim's scope. */
  readonly name: string;
  readonly machine: string;
  readonly elfClass: 32 | 64;
  readonly interpreter: string | null;
  readonly needed: readonly string[];
  readonly requirements: readonly Requirement[];
}

/** What an artifact holds that may declare a floor (filled by the archive reader). */
export interface ClaimSources {
  /** The artifact's own file name (a wheel's tags are in it). */
  readonly fileName: string;
  /** Small text members by stored name: `*.dist-info/WHEEL`, `package.json`, a .deb's `control`. */
  readonly texts: ReadonlyMap<string, string>;
  readonly rpmRequires?: readonly string[] | undefined;
  /** An RPM's ARCH tag. */
  readonly rpmArch?: string | undefined;
  /** Every member name (npm prebuild folders). */
  readonly names: readonly string[];
}

/** Wheel architecture names (PEP 600 / auditwheel) to ELF machine names. */
const WHEEL_MACHINES: Readonly<Record<string, string>> = {
  x86_64: 'x86_64', i686: 'i386', aarch64: 'aarch64', armv7l: 'arm', ppc64: 'ppc64', ppc64le: 'ppc64le',
  s390x: 's390x', riscv64: 'riscv64', loongarch64: 'loongarch64',
};
/** Debian architecture names (dpkg-architecture) to ELF machine names. */
const DEBIAN_MACHINES: Readonly<Record<string, string>> = {
  amd64: 'x86_64', i386: 'i386', arm64: 'aarch64', armhf: 'arm', armel: 'arm', ppc64el: 'ppc64le', ppc64: 'ppc64',
  s390x: 's390x', riscv64: 'riscv64', loong64: 'loongarch64', mips64el: 'mips64el', mipsel: 'mipsel',
};
/** Node.js `process.arch` values (npm `cpu`, prebuild folders) to ELF machine names. */
const NODE_MACHINES: Readonly<Record<string, string>> = {
  x64: 'x86_64', ia32: 'i386', arm64: 'aarch64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loongarch64',
};
/** RPM architecture names to ELF machine names. */
const RPM_MACHINES: Readonly<Record<string, string>> = {
  x86_64: 'x86_64', i686: 'i386', i586: 'i386', aarch64: 'aarch64', armv7hl: 'arm', ppc64le: 'ppc64le', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64',
};

/**
 * GCC release -> the newest GLIBCXX and CXXABI its libstdc++ defines (libstdc++-v3/doc/xml/manual/
 * abi.xml, "Symbol versioning"; GCC 13-14 from gcc.gnu.org/pipermail/libstdc++/2024-April/058587.html).
 * A .deb's `libstdc++6 (>= 12)` promises a libstdc++ of GCC 12 or newer, that is GLIBCXX_3.4.30.
 */
export const GCC_LIBSTDCXX: readonly (readonly [gcc: string, glibcxx: string, cxxabi: string])[] = [
  ['3.4', '3.4', '1.3'], ['4.0', '3.4.4', '1.3.1'], ['4.1.1', '3.4.8', '1.3.1'], ['4.2', '3.4.9', '1.3.1'], ['4.3', '3.4.10', '1.3.2'],
  ['4.4', '3.4.11', '1.3.3'], ['4.4.1', '3.4.12', '1.3.3'], ['4.4.2', '3.4.13', '1.3.3'], ['4.5', '3.4.14', '1.3.4'], ['4.6', '3.4.15', '1.3.5'],
  ['4.6.1', '3.4.16', '1.3.5'], ['4.7', '3.4.17', '1.3.6'], ['4.8', '3.4.18', '1.3.7'], ['4.8.3', '3.4.19', '1.3.7'], ['4.9', '3.4.20', '1.3.8'],
  ['5.1', '3.4.21', '1.3.9'], ['6.1', '3.4.22', '1.3.10'], ['7.1', '3.4.23', '1.3.11'], ['7.2', '3.4.24', '1.3.11'], ['8.1', '3.4.25', '1.3.11'],
  ['9.1', '3.4.26', '1.3.12'], ['9.2', '3.4.27', '1.3.12'], ['9.3', '3.4.28', '1.3.12'], ['11.1', '3.4.29', '1.3.13'], ['12.1', '3.4.30', '1.3.13'],
  ['13.1', '3.4.31', '1.3.14'], ['13.2', '3.4.32', '1.3.14'], ['14.1', '3.4.33', '1.3.15'],
];

/**
 * readClaims finds every floor an artifact declares. Absent (an artifact that declares nothing,
 * a plain tarball) is an empty list. Claims that cannot be read (a package.json that is not JSON)
 * are left out: the artifact then declares less, which fails closed when no `--floor` is given.
 */
export function readClaims(kind: 'zip' | 'tar' | 'deb' | 'rpm', sources: ClaimSources): DeclaredClaim[] {
  if (kind === 'deb') return debClaims(sources.texts.get('control') ?? '');
  if (kind === 'rpm') return rpmClaims(sources.rpmRequires ?? [], RPM_MACHINES[sources.rpmArch ?? '']);
  const claims: DeclaredClaim[] = [];
  if (kind === 'zip') claims.push(...wheelClaims(sources));
  claims.push(...npmClaims(sources));
  return claims;
}

/** A wheel platform tag: PEP 600 `manylinux_X_Y_ARCH`, its legacy aliases, PEP 656 `musllinux_X_Y_ARCH`. */
export interface PlatformTag {
  readonly tag: string;
  readonly libc: Libc;
  /** glibc X.Y for manylinux; musl X.Y for musllinux. */
  readonly version: string;
  readonly arch: string;
}

const LEGACY_MANYLINUX: Readonly<Record<string, string>> = { manylinux1: '2.5', manylinux2010: '2.12', manylinux2014: '2.17' };

/** parsePlatformTag reads one platform tag; absent (another platform: `linux_x86_64`, `win_amd64`, `any`) is undefined. */
export function parsePlatformTag(tag: string): PlatformTag | undefined {
  const modern = /^(manylinux|musllinux)_(\d+)_(\d+)_([a-z0-9_]+)$/.exec(tag);
  if (modern !== null) return { tag, libc: modern[1] === 'manylinux' ? 'glibc' : 'musl', version: `${modern[2]}.${modern[3]}`, arch: modern[4]! };
  const legacy = /^(manylinux1|manylinux2010|manylinux2014)_([a-z0-9_]+)$/.exec(tag);
  if (legacy !== null) return { tag, libc: 'glibc', version: LEGACY_MANYLINUX[legacy[1]!]!, arch: legacy[2]! };
  return undefined;
}

/**
 * wheelClaims reads the platform tags of the wheel's file name (PEP 427: `name-ver(-build)?-py-abi-plat.whl`,
 * each part a `.`-joined set, PEP 425) and of its `*.dist-info/WHEEL` `Tag:` lines. A wheel with
 * several tags for one architecture installs wherever any of them fits, so the lowest is its claim.
 */
function wheelClaims(sources: ClaimSources): DeclaredClaim[] {
  const found: { tag: PlatformTag; origin: string }[] = [];
  const name = /([^/]+)\.whl$/.exec(sources.fileName)?.[1];
  const parts = name?.split('-');
  if (parts !== undefined && parts.length >= 5) {
    for (const tag of parts[parts.length - 1]!.split('.')) {
      const parsed = parsePlatformTag(tag);
      if (parsed !== undefined) found.push({ tag: parsed, origin: 'file name' });
    }
  }
  for (const [member, text] of sources.texts) {
    if (!/^[^/]+\.dist-info\/WHEEL$/.test(member)) continue;
    for (const line of text.split(/\r?\n/)) {
      const match = /^Tag:\s*(\S+)\s*$/.exec(line);
      const platform = match?.[1]?.split('-')[2];
      if (platform === undefined) continue;
      for (const tag of platform.split('.')) {
        const parsed = parsePlatformTag(tag);
        if (parsed !== undefined) found.push({ tag: parsed, origin: member });
      }
    }
  }
  const lowest = new Map<string, { tag: PlatformTag; origins: Set<string> }>();
  for (const { tag, origin } of found) {
    const key = `${tag.libc}/${tag.arch}`;
    const current = lowest.get(key);
    if (current === undefined || compareDotted(tag.version, current.tag.version) < 0) lowest.set(key, { tag, origins: new Set([origin]) });
    else if (compareDotted(tag.version, current.tag.version) === 0) current.origins.add(origin);
  }
  return [...lowest.values()].map(({ tag, origins }) => wheelClaim(tag, [...origins].join(', ')));
}

function wheelClaim(tag: PlatformTag, origin: string): DeclaredClaim {
  const machine = WHEEL_MACHINES[tag.arch];
  if (tag.libc === 'musl') {
    return { kind: 'wheel', text: tag.tag, origin, libc: 'musl', machine, floors: new Map(), policy: undefined, scope: undefined };
  }
  const policy = manylinuxPolicy(tag.version, tag.arch);
  const floors = new Map<string, string>();
  if (policy === undefined) floors.set('GLIBC', tag.version);
  else {
    for (const [family, names] of policy.allowed) {
      const highest = highestNumeric(family, names);
      if (highest !== undefined) floors.set(family, highest);
    }
  }
  return { kind: 'wheel', text: tag.tag, origin, libc: 'glibc', machine, floors, policy, scope: undefined };
}

/**
 * npmClaims reads the root package.json (`package/package.json` in an npm tarball) `libc` and `cpu`
 * fields (npm 10.4+, package.json docs), and prebuild folders named for a platform:
 * `prebuilds/linux-x64-glibc/`, `prebuilds/linux-arm64-musl/`, prebuild-install's `linuxmusl-x64`.
 */
function npmClaims(sources: ClaimSources): DeclaredClaim[] {
  const claims: DeclaredClaim[] = [];
  for (const member of ['package/package.json', 'package.json']) {
    const text = sources.texts.get(member);
    if (text === undefined) continue;
    let manifest: unknown;
    try {
      manifest = JSON.parse(text);
    } catch {
      continue;
    }
    const fields = manifest as { libc?: unknown; cpu?: unknown; os?: unknown };
    const libc = Array.isArray(fields.libc) ? fields.libc.filter((value): value is Libc => value === 'glibc' || value === 'musl') : [];
    const cpu = Array.isArray(fields.cpu) ? fields.cpu.filter((value) => typeof value === 'string' && !value.startsWith('!')) : [];
    if (libc.length !== 1) continue;
    const machine = cpu.length === 1 ? NODE_MACHINES[cpu[0] as string] : undefined;
    claims.push({
      kind: 'npm',
      text: `"libc": ["${libc[0]}"]${cpu.length === 1 ? `, "cpu": ["${cpu[0] as string}"]` : ''}`,
      origin: member,
      libc: libc[0],
      machine,
      floors: new Map(),
      policy: undefined,
      scope: undefined,
    });
    break;
  }
  const folders = new Map<string, DeclaredClaim>();
  for (const name of sources.names) {
    const match = /^((?:.*\/)?prebuilds\/(linux|linuxmusl)-([a-z0-9]+)(?:-(glibc|gnu|musl))?)\//.exec(name.replace(/^\.\//, ''));
    if (match === null || folders.has(match[1]!)) continue;
    const libc: Libc | undefined = match[2] === 'linuxmusl' || match[4] === 'musl' ? 'musl' : match[4] === undefined ? undefined : 'glibc';
    if (libc === undefined) continue;
    const folder = match[1]!;
    folders.set(folder, {
      kind: 'npm',
      text: folder.slice(folder.indexOf('prebuilds/')),
      origin: 'prebuild folder',
      libc,
      machine: NODE_MACHINES[match[3]!],
      floors: new Map(),
      policy: undefined,
      scope: `${folder}/`,
    });
  }
  return [...claims, ...folders.values()];
}

/** upstreamVersion strips a Debian version's epoch and revision and keeps its leading dotted number: `1:2.34-0ubuntu3` -> `2.34`. */
function upstreamVersion(version: string): string | undefined {
  const upstream = version.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
  return /^\d+(\.\d+)*/.exec(upstream)?.[0];
}

/**
 * debClaims reads `Depends:` and `Pre-Depends:` of a .deb's control file (deb-control(5), Debian
 * Policy 7.1: comma-separated, `|` alternatives, `(>= version)`): `libc6 (>= X)` promises GLIBC X;
 * `libstdc++6 (>= G)` promises the libstdc++ of GCC G (its GLIBCXX and CXXABI, GCC_LIBSTDCXX).
 */
function debClaims(control: string): DeclaredClaim[] {
  const fields = parseControl(control);
  const machine = DEBIAN_MACHINES[fields.get('Architecture') ?? ''];
  const claims: DeclaredClaim[] = [];
  for (const field of ['Pre-Depends', 'Depends']) {
    for (const relation of (fields.get(field) ?? '').split(',')) {
      // An alternative (`libc6 (>= 2.34) | libc6.1`) promises only what every branch does: skip those.
      if (relation.includes('|')) continue;
      const match = /^\s*(libc6|libstdc\+\+6)(?::[a-z0-9]+)?\s*\(\s*>=\s*([^)\s]+)\s*\)\s*$/.exec(relation);
      if (match === null) continue;
      const version = upstreamVersion(match[2]!);
      if (version === undefined) continue;
      const floors = new Map<string, string>();
      if (match[1] === 'libc6') floors.set('GLIBC', version);
      else {
        const runtime = [...GCC_LIBSTDCXX].reverse().find(([gcc]) => compareDotted(gcc, version) <= 0);
        if (runtime === undefined) continue;
        floors.set('GLIBCXX', runtime[1]);
        floors.set('CXXABI', runtime[2]);
      }
      claims.push({ kind: 'deb', text: relation.trim(), origin: field, libc: 'glibc', machine, floors, policy: undefined, scope: undefined });
    }
  }
  return claims;
}

/** parseControl reads RFC 822-style fields with continuation lines (deb-control(5)). */
export function parseControl(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  let current: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && current !== undefined) fields.set(current, `${fields.get(current)!} ${line.trim()}`);
    else {
      const match = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      current = match?.[1];
      if (match !== null) fields.set(match[1]!, match[2]!.trim());
    }
  }
  return fields;
}

/** RPM dependency names rpm's ELF dependency generator writes (tools/elfdeps.c): `soname(VERSION)(64bit)`. */
const RPM_FAMILIES: readonly (readonly [RegExp, string])[] = [
  [/^libc\.so\.6\(GLIBC_([0-9.]+)\)(\(64bit\))?$/, 'GLIBC'],
  [/^libstdc\+\+\.so\.6\(GLIBCXX_([0-9.]+)\)(\(64bit\))?$/, 'GLIBCXX'],
  [/^libstdc\+\+\.so\.6\(CXXABI_([0-9.]+)\)(\(64bit\))?$/, 'CXXABI'],
  [/^libgcc_s\.so\.1\(GCC_([0-9.]+)\)(\(64bit\))?$/, 'GCC'],
];

/**
 * rpmClaims reads `Requires:` names such as `libc.so.6(GLIBC_2.34)(64bit)`. rpm writes one per
 * version a file needs, so the highest per family is what the package promises to need at most.
 */
function rpmClaims(requires: readonly string[], machine: string | undefined): DeclaredClaim[] {
  const highest = new Map<string, { version: string; text: string }>();
  for (const name of requires) {
    for (const [pattern, family] of RPM_FAMILIES) {
      const version = pattern.exec(name)?.[1];
      if (version === undefined || parseDottedVersion(version) === null) continue;
      const current = highest.get(family);
      if (current === undefined || compareDotted(version, current.version) > 0) highest.set(family, { version, text: name });
    }
  }
  if (highest.size === 0) return [];
  const floors = new Map([...highest].map(([family, { version }]) => [family, version]));
  const text = [...highest.values()].map((entry) => entry.text).join(', ');
  return [{ kind: 'rpm', text, origin: 'Requires', libc: 'glibc', machine, floors, policy: undefined, scope: undefined }];
}
