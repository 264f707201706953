import type { Floor, Floors } from './floors.js';
import { isMuslBinary } from './library-policy.js';
import type { CheckPolicy, CheckTarget } from './verdict.js';
import type { LibraryVersions, SystemLibraries } from '../libraries/library-set.js';
import type { Requirement } from '../versions/requirement.js';
import { compareVersions, parseDottedVersion } from '../versions/version-name.js';
import { GCC_LIBSTDCXX, type DeclaredClaim, type Libc, type MemberFacts } from '../declared/claims.js';

export type { MemberFacts } from '../declared/claims.js';
import { compareDotted, highestNumeric, manylinuxGlibcs, manylinuxPolicy, POLICY_FAMILY_LIBRARIES, type ManylinuxPolicy } from '../declared/manylinux-policy.js';

/** ClaimVerdict is how a claim fares against the members it covers. */
export interface ClaimVerdict {
  readonly claim: DeclaredClaim;
  /** `broken`: a member needs more than the claim promises (or another libc, or another machine); `higher`: it could claim less. */
  readonly status: 'holds' | 'broken' | 'higher';
  /** The reported paths of the ELF members the claim covers. */
  readonly members: readonly string[];
  /** One sentence per problem, naming the member, what it needs and what the claim promises. */
  readonly problems: readonly string[];
  /** Per family, the highest version the covered members need (binding needs, markers as their release). */
  readonly needs: Readonly<Record<string, string>>;
  /** The honest claim for these members, written the way the package writes it; undefined when none can be named. */
  readonly suggestion: string | undefined;
}

/** libcOf says which C library a member is built for: musl by its loader, glibc by its loader or GLIBC needs; undefined for neither (static, no libc). */
export function libcOf(member: MemberFacts): Libc | undefined {
  if (isMuslBinary(member.interpreter, member.needed)) return 'musl';
  if (member.requirements.some((requirement) => requirement.family === 'GLIBC') || (member.interpreter ?? '').includes('ld-linux')) return 'glibc';
  return undefined;
}

/** covers says whether a claim applies to a member (a scoped claim: only the members under its folder). */
export function covers(claim: DeclaredClaim, member: MemberFacts): boolean {
  return claim.scope === undefined || member.name.replace(/^\.\//, '').startsWith(claim.scope.replace(/^\.\//, ''));
}

/**
 * claimTarget turns a claim into a target for the one judge (check/verdict.ts): its numeric
 * floors, and for a manylinux tag auditwheel's exact version sets as the libraries of the claim's
 * machine, so that membership decides where the policy differs from plain numbers.
 */
export function claimTarget(claim: DeclaredClaim): CheckTarget {
  const name = claimLabel(claim);
  const floors: Floors = new Map(
    [...claim.floors].map(([family, version]): [string, Floor] => [family, { family, version, parts: parseDottedVersion(version) ?? [], source: name }]),
  );
  return { name, floorsFor: () => floors, ...(claim.policy !== undefined && claim.machine !== undefined ? { libraries: policyLibraries(name, claim.policy, claim.machine) } : {}) };
}

/** claimLabel names a claim in messages: `manylinux_2_17_x86_64 (file name)`. */
export function claimLabel(claim: DeclaredClaim): string {
  return `${claim.text} (${claim.origin})`;
}

function policyLibraries(label: string, policy: ManylinuxPolicy, machine: string): SystemLibraries {
  const libraries = new Map<string, Set<string>>();
  for (const [family, names] of policy.allowed) {
    for (const soname of POLICY_FAMILY_LIBRARIES[family] ?? []) {
      const set = libraries.get(soname) ?? new Set<string>();
      for (const name of names) set.add(name);
      libraries.set(soname, set);
    }
  }
  const byName = new Map<string, LibraryVersions>([...libraries].map(([soname, versions]) => [soname, { soname, versions }]));
  // The policy's lists are of symbol versions, not a whole system: a library absent from them proves nothing.
  return { label, complete: false, byMachine: new Map([[machine, byName]]) };
}

/** The families a claim speaks for. */
const CLAIM_FAMILIES = ['GLIBC', 'GLIBCXX', 'CXXABI', 'GCC'];

/**
 * judgeClaim judges one claim against the ELF members it covers: a member for another libc or
 * another machine breaks it; a member needing a version the claim does not allow breaks it (exact
 * policy sets for manylinux, numbers otherwise); a claim above what every member needs holds but
 * could be lower. A claim that covers no ELF member holds trivially.
 */
export function judgeClaim(claim: DeclaredClaim, all: readonly MemberFacts[]): ClaimVerdict {
  const members = all.filter((member) => covers(claim, member));
  const problems: string[] = [];
  const label = claimLabel(claim);
  for (const member of members) {
    const libc = libcOf(member);
    if (claim.libc !== undefined && libc !== undefined && libc !== claim.libc) {
      problems.push(`${member.path} is built for ${libc}, but ${label} declares ${claim.libc}`);
    }
    if (claim.machine !== undefined && member.machine !== claim.machine) {
      problems.push(`${member.path} is built for ${member.machine}, but ${label} declares ${claim.machine}`);
    }
    for (const requirement of member.requirements) {
      if (!requirement.binding) continue;
      const broken = requirementBreaks(claim, requirement);
      if (broken !== undefined) problems.push(`${member.path} needs ${requirement.version} (${requirement.library}), ${broken}`);
    }
  }
  const needs = highestNeeds(members);
  const suggestion = suggestClaim(claim, members);
  const status = problems.length > 0 ? 'broken' : suggestion !== undefined && isLower(claim, suggestion, needs) ? 'higher' : 'holds';
  return { claim, status, members: members.map((member) => member.path), problems, needs, suggestion };
}

/** requirementBreaks says how a need breaks a claim, or undefined when the claim allows it. */
function requirementBreaks(claim: DeclaredClaim, requirement: Requirement): string | undefined {
  const policy = claim.policy;
  if (policy !== undefined && (POLICY_FAMILY_LIBRARIES[requirement.family] ?? []).includes(requirement.library)) {
    const allowed = policy.allowed.get(requirement.family);
    if (allowed === undefined || allowed.has(requirement.version)) return undefined;
    return `which ${claim.text} does not allow (auditwheel's ${policy.tag} policy allows ${describeAllowed(requirement.family, allowed)})`;
  }
  const floor = claim.floors.get(requirement.family);
  if (floor === undefined) return undefined;
  if (requirement.kind === 'private') return `which no ${claim.text} system is promised to have`;
  if (requirement.parts === null) return `which cannot be proven to be within ${claim.text} (${requirement.family} ${floor})`;
  return compareVersions(requirement.parts, parseDottedVersion(floor) ?? []) > 0 ? `above ${claim.text} (${requirement.family} ${floor})` : undefined;
}

function describeAllowed(family: string, allowed: ReadonlySet<string>): string {
  const highest = highestNumeric(family, allowed);
  return highest === undefined ? `no ${family} version` : `${family} up to ${highest}`;
}

/** highestNeeds is, per claim family, the highest version a member's binding numeric or marker needs. */
export function highestNeeds(members: readonly MemberFacts[]): Record<string, string> {
  const highest: Record<string, readonly number[]> = {};
  for (const member of members) {
    for (const requirement of member.requirements) {
      if (!requirement.binding || requirement.parts === null || !CLAIM_FAMILIES.includes(requirement.family)) continue;
      const current = highest[requirement.family];
      if (current === undefined || compareVersions(requirement.parts, current) > 0) highest[requirement.family] = requirement.parts;
    }
  }
  return Object.fromEntries(Object.entries(highest).map(([family, parts]) => [family, parts.join('.')]));
}

/**
 * suggestClaim writes the honest claim for the members, in the claim's own language: the lowest
 * manylinux tag whose policy allows every need, `libc6 (>= X)` (and `libstdc++6 (>= G)`), the
 * highest `libc.so.6(GLIBC_X)` name, or the npm `libc` value the members are built for.
 */
export function suggestClaim(claim: DeclaredClaim, members: readonly MemberFacts[]): string | undefined {
  if (members.length === 0) return undefined;
  const libcs = new Set(members.map(libcOf).filter((libc): libc is Libc => libc !== undefined));
  const libc = libcs.size === 1 ? [...libcs][0]! : undefined;
  const needs = highestNeeds(members);
  switch (claim.kind) {
    case 'wheel': {
      const arch = claim.text.replace(/^(manylinux|musllinux)(_\d+_\d+|1|2010|2014)_/, '');
      if (libc === 'musl') return claim.libc === 'musl' ? claim.text : `musllinux_1_2_${arch}`;
      return lowestManylinux(arch, members);
    }
    case 'deb': {
      const lines: string[] = [];
      if (needs['GLIBC'] !== undefined) lines.push(`libc6 (>= ${needs['GLIBC']})`);
      const gcc = gccFor(needs['GLIBCXX'], needs['CXXABI']);
      if (gcc !== undefined) lines.push(`libstdc++6 (>= ${gcc})`);
      return lines.length === 0 ? undefined : lines.join(', ');
    }
    case 'rpm': {
      const bits = members.every((member) => member.elfClass === 64) ? '(64bit)' : '';
      const names: string[] = [];
      if (needs['GLIBC'] !== undefined) names.push(`libc.so.6(GLIBC_${needs['GLIBC']})${bits}`);
      if (needs['GLIBCXX'] !== undefined) names.push(`libstdc++.so.6(GLIBCXX_${needs['GLIBCXX']})${bits}`);
      return names.length === 0 ? undefined : names.join(', ');
    }
    case 'npm':
      return libc === undefined ? undefined : `"libc": ["${libc}"]${needs['GLIBC'] !== undefined ? ` (and glibc ${needs['GLIBC']} or newer)` : ''}`;
  }
}

/** lowestManylinux is the first policy (oldest glibc) that allows every need of the members on `arch`; undefined if none does. */
export function lowestManylinux(arch: string, members: readonly MemberFacts[]): string | undefined {
  for (const glibc of manylinuxGlibcs()) {
    const policy = manylinuxPolicy(glibc, arch);
    if (policy === undefined) continue;
    const claim: DeclaredClaim = { kind: 'wheel', text: policy.tag, origin: '', libc: 'glibc', machine: undefined, floors: new Map(), policy, scope: undefined };
    const ok = members.every((member) => member.requirements.every((requirement) => !requirement.binding || requirementBreaks(claim, requirement) === undefined));
    if (ok) return policy.tag;
  }
  return undefined;
}

/** gccFor is the oldest GCC whose libstdc++ has both versions (Debian's libstdc++6 is versioned by GCC release). */
function gccFor(glibcxx: string | undefined, cxxabi: string | undefined): string | undefined {
  if (glibcxx === undefined && cxxabi === undefined) return undefined;
  const row = GCC_LIBSTDCXX.find(([, x, a]) => (glibcxx === undefined || compareDotted(x, glibcxx) >= 0) && (cxxabi === undefined || compareDotted(a, cxxabi) >= 0));
  return row?.[0];
}

/** isLower says whether the suggestion promises less than the claim (the claim could be lowered). */
function isLower(claim: DeclaredClaim, suggestion: string, needs: Readonly<Record<string, string>>): boolean {
  if (claim.kind === 'wheel') {
    const suggested = /^manylinux_(\d+)_(\d+)_/.exec(suggestion);
    return claim.libc === 'glibc' && suggested !== null && claim.policy !== undefined && compareDotted(`${suggested[1]}.${suggested[2]}`, claim.policy.glibc) < 0;
  }
  if (claim.kind === 'npm') return false;
  return [...claim.floors].some(([family, version]) => needs[family] === undefined || compareDotted(needs[family]!, version) < 0);
}
/** What a member of a package carries: the package's reported path and its claims. */
export interface MemberDeclaration {
  readonly artifact: string;
  readonly claims: readonly DeclaredClaim[];
}

/**
 * declaredPolicy is the policy a package member is checked by when no floor is given: the
 * package's own claims that cover it, each a target (CONTRACT: the declared floor is the floor).
 * A member no claim covers (a plain tarball, a .deb without a libc6 dependency) cannot be checked:
 * the returned string says why, and the member is an error (a gate never passes on nothing).
 */
export function declaredPolicy(declaration: MemberDeclaration, memberPath: string): CheckPolicy | string {
  const name = memberPath.slice(declaration.artifact.length + 2);
  const covering = declaration.claims.filter((claim) => claim.scope === undefined || name.replace(/^\.\//, '').startsWith(claim.scope));
  const versioned = covering.filter((claim) => claim.floors.size > 0 || claim.policy !== undefined);
  if (covering.length === 0) return `no floor to check against: ${declaration.artifact} declares none (give --floor or --target)`;
  if (versioned.length === 0) {
    return `no version floor to check against: ${covering.map(claimLabel).join(', ')} names the C library but no version (give --floor or --target)`;
  }
  return { floors: new Map(), targets: versioned.map(claimTarget) };
}
