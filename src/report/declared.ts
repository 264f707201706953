import type { ArtifactSummary } from '../archive/archive-inputs.js';
import { claimLabel, judgeClaim, suggestClaim } from '../check/claim-verdict.js';
import type { DeclaredClaim } from '../declared/claims.js';
import type { DeclaredReport } from './model.js';

/**
 * declaredReports judges each artifact's claims against the members as they were checked, and
 * says what each package should declare instead: one entry per claim, or one per artifact that
 * declares nothing but is a package (a wheel, a .deb, an RPM, an npm tarball). Plain archives
 * that are no package and hold no ELF file get no entry.
 */
export function declaredReports(artifacts: readonly ArtifactSummary[]): DeclaredReport[] {
  const reports: DeclaredReport[] = [];
  for (const artifact of artifacts) {
    const members = artifact.members;
    if (artifact.claims.length === 0) {
      const kind = packageKind(artifact);
      if (kind === undefined || members.length === 0) continue;
      const suggestion = suggestClaim(pseudoClaim(kind, artifact.path), members);
      reports.push({
        artifact: artifact.path,
        claim: null,
        status: 'none',
        members: members.map((member) => member.path),
        needs: {},
        problems: [],
        ...(suggestion !== undefined ? { suggestion } : {}),
        message: `declares no floor${suggestion === undefined ? '' : `; what its members need: ${suggestion}`}`,
      });
      continue;
    }
    for (const claim of artifact.claims) {
      const verdict = judgeClaim(claim, members);
      const needs = Object.entries(verdict.needs).map(([family, version]) => `${family} ${version}`).join(', ');
      const needText = needs === '' ? 'no versioned glibc or libstdc++ symbol' : needs;
      const message =
        verdict.status === 'broken'
          ? `${claimLabel(claim)} is wrong: the members need ${needText}${verdict.suggestion === undefined ? '' : `; declare ${verdict.suggestion}`}`
          : verdict.status === 'higher'
            ? `${claimLabel(claim)} holds; the members need only ${needText}: it could be ${verdict.suggestion}`
            : `${claimLabel(claim)} holds (the members need ${needText})`;
      reports.push({
        artifact: artifact.path,
        claim: claim.text,
        origin: claim.origin,
        status: verdict.status,
        members: verdict.members,
        needs: verdict.needs,
        problems: [...verdict.problems].sort(),
        ...(verdict.suggestion !== undefined ? { suggestion: verdict.suggestion } : {}),
        message,
      });
    }
  }
  return reports;
}

function packageKind(artifact: ArtifactSummary): DeclaredClaim['kind'] | undefined {
  if (artifact.format === 'deb' || artifact.format === 'rpm') return artifact.format;
  if (artifact.format === 'zip' && artifact.path.endsWith('.whl')) return 'wheel';
  if (artifact.format === 'tar' && artifact.members.some((member) => /^package\//.test(member.name))) return 'npm';
  return undefined;
}

function pseudoClaim(kind: DeclaredClaim['kind'], path: string): DeclaredClaim {
  const arch = /-([a-z0-9_]+)\.whl$/.exec(path)?.[1]?.replace(/^.*?(x86_64|i686|aarch64|armv7l|ppc64le|ppc64|s390x|riscv64|loongarch64)$/, '$1') ?? 'x86_64';
  return { kind, text: kind === 'wheel' ? `linux_${arch}` : '', origin: '', libc: undefined, machine: undefined, floors: new Map(), policy: undefined, scope: undefined };
}
