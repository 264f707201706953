import { describe, expect, test } from 'vitest';
import { parsePlatformTag, readClaims, type DeclaredClaim } from '../../src/declared/claims.js';
import { claimLabel, judgeClaim, lowestManylinux } from '../../src/check/claim-verdict.js';
import { manylinuxPolicy } from '../../src/declared/manylinux-policy.js';
import { readFixtureArtifact } from '../archive/helpers.js';
import { memberFacts } from './helpers.js';

const WRONG_WHEEL = 'demo-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl';

async function claimsOf(name: string): Promise<{ claims: DeclaredClaim[]; members: Awaited<ReturnType<typeof memberFacts>> }> {
  const artifact = await readFixtureArtifact(name);
  const claims = readClaims(artifact.format, { fileName: name, ...artifact.metadata });
  return { claims, members: await memberFacts(artifact) };
}

describe('platform tags (PEP 600, PEP 656, legacy aliases)', () => {
  test.each([
    ['manylinux_2_17_x86_64', 'glibc', '2.17', 'x86_64'],
    ['manylinux2014_aarch64', 'glibc', '2.17', 'aarch64'],
    ['manylinux2010_i686', 'glibc', '2.12', 'i686'],
    ['manylinux1_x86_64', 'glibc', '2.5', 'x86_64'],
    ['musllinux_1_2_armv7l', 'musl', '1.2', 'armv7l'],
  ])('%s', (tag, libc, version, arch) => {
    expect(parsePlatformTag(tag)).toEqual({ tag, libc, version, arch });
  });

  test.each(['linux_x86_64', 'win_amd64', 'any', 'macosx_11_0_arm64'])('%s is no claim', (tag) => {
    expect(parsePlatformTag(tag)).toBeUndefined();
  });
});

describe("auditwheel's policy data where it differs from plain numbers", () => {
  test('aarch64 manylinux_2_17 allows GLIBC_2.18; x86_64 does not', () => {
    expect(manylinuxPolicy('2.17', 'aarch64')?.allowed.get('GLIBC')?.has('GLIBC_2.18')).toBe(true);
    expect(manylinuxPolicy('2.17', 'x86_64')?.allowed.get('GLIBC')?.has('GLIBC_2.18')).toBe(false);
  });

  test('manylinux_2_28 caps GLIBCXX at 3.4.24 (mlc-ai/xgrammar#821 needed 3.4.29)', () => {
    const allowed = manylinuxPolicy('2.28', 'x86_64')!.allowed.get('GLIBCXX')!;
    expect(allowed.has('GLIBCXX_3.4.24')).toBe(true);
    expect(allowed.has('GLIBCXX_3.4.25')).toBe(false);
  });

  test('x86_64 manylinux1 allows no LIBATOMIC version; an unknown policy or arch is absent', () => {
    expect(manylinuxPolicy('2.5', 'x86_64')?.allowed.get('LIBATOMIC')?.size).toBe(0);
    expect(manylinuxPolicy('2.42', 'x86_64')).toBeUndefined();
    expect(manylinuxPolicy('2.5', 'aarch64')).toBeUndefined();
  });
});

describe('claims read from real fixtures and judged against their members', () => {
  test('a wheel tagged manylinux_2_17 whose extension needs GLIBC_2.36 breaks its claim; the suggestion is manylinux_2_36', async () => {
    const { claims, members } = await claimsOf(WRONG_WHEEL);
    expect(claims.map(claimLabel)).toEqual(['manylinux_2_17_x86_64 (file name, demo-1.0.dist-info/WHEEL)']);
    const verdict = judgeClaim(claims[0]!, members);
    expect(verdict.status).toBe('broken');
    expect(verdict.problems).toEqual([
      `${WRONG_WHEEL}!/demo/_native.cpython-311-x86_64-linux-gnu.so needs GLIBC_2.36 (libc.so.6), which manylinux_2_17_x86_64 does not allow (auditwheel's manylinux_2_17_x86_64 policy allows GLIBC up to 2.17)`,
    ]);
    expect(verdict.needs).toEqual({ GLIBC: '2.36' });
    expect(verdict.suggestion).toBe('manylinux_2_36_x86_64');
  });

  test('an honest wheel tagged higher than needed holds, and could be tagged manylinux_2_5', async () => {
    const { claims, members } = await claimsOf('plain-1.0-py3-none-manylinux_2_28_x86_64.whl');
    const verdict = judgeClaim(claims[0]!, members);
    expect(verdict).toMatchObject({ status: 'higher', problems: [], suggestion: 'manylinux_2_5_x86_64' });
  });

  test('a musllinux wheel holding a glibc library breaks its claim', async () => {
    const { claims, members } = await claimsOf('muslish-1.0-py3-none-musllinux_1_2_x86_64.whl');
    const verdict = judgeClaim(claims[0]!, members);
    expect(verdict.status).toBe('broken');
    expect(verdict.problems[0]).toMatch(/libplain\.so is built for glibc, but musllinux_1_2_x86_64 \(file name, muslish-1\.0\.dist-info\/WHEEL\) declares musl$/);
    expect(verdict.suggestion).toBe('manylinux_2_5_x86_64');
  });

  test('a .deb declaring libc6 (>= 2.17) whose program needs 2.34 breaks it; the suggestion is the Depends line', async () => {
    const { claims, members } = await claimsOf('gf-demo_1.0_amd64.deb');
    expect(claims.map(claimLabel)).toEqual(['libc6 (>= 2.17) (Depends)']);
    const verdict = judgeClaim(claims[0]!, members);
    expect(verdict.status).toBe('broken');
    expect(verdict.problems).toContain('gf-demo_1.0_amd64.deb!/usr/bin/hello-x86_64 needs GLIBC_2.34 (libc.so.6), above libc6 (>= 2.17) (GLIBC 2.17)');
    expect(verdict.suggestion).toBe(`libc6 (>= ${verdict.needs['GLIBC']})`);
  });

  test("Debian's own hostname package: Pre-Depends: libc6 (>= 2.34) holds", async () => {
    const { claims, members } = await claimsOf('hostname_3.23+nmu1_amd64.deb');
    expect(claims.map(claimLabel)).toEqual(['libc6 (>= 2.34) (Pre-Depends)']);
    const verdict = judgeClaim(claims[0]!, members);
    expect(verdict).toMatchObject({ status: 'holds', problems: [], needs: { GLIBC: '2.34' }, suggestion: 'libc6 (>= 2.34)' });
  });

  test("an RPM's generated Requires match its files", async () => {
    const { claims, members } = await claimsOf('gf-demo-zstd.x86_64.rpm');
    expect(claims).toHaveLength(1);
    expect(claims[0]!.floors.get('GLIBC')).toBe('2.36');
    expect(claims[0]!.machine).toBe('x86_64');
    const verdict = judgeClaim(claims[0]!, members);
    expect(verdict.status).toBe('holds');
    expect(verdict.suggestion).toBe(`libc.so.6(GLIBC_${verdict.needs['GLIBC']})(64bit)`);
  });

  test('an npm package: package.json libc and prebuild folders, a glibc addon in the musl folder breaks that folder', async () => {
    const { claims, members } = await claimsOf('gf-addon-1.0.0.tgz');
    expect(claims.map(claimLabel)).toEqual([
      '"libc": ["glibc"], "cpu": ["x64"] (package/package.json)',
      'prebuilds/linux-x64-glibc (prebuild folder)',
      'prebuilds/linux-x64-musl (prebuild folder)',
    ]);
    const verdicts = claims.map((claim) => judgeClaim(claim, members));
    expect(verdicts.map((verdict) => verdict.status)).toEqual(['holds', 'holds', 'broken']);
    expect(verdicts[2]!.members).toEqual(['gf-addon-1.0.0.tgz!/package/prebuilds/linux-x64-musl/gf-addon.node']);
    expect(verdicts[2]!.suggestion).toBe('"libc": ["glibc"] (and glibc 2.2.5 or newer)');
  });

  test('an x86_64 member under an aarch64 claim breaks it', async () => {
    const { members } = await claimsOf('plain-1.0-py3-none-manylinux_2_28_x86_64.whl');
    const claim = readClaims('zip', { fileName: 'plain-1.0-py3-none-manylinux2014_aarch64.whl', texts: new Map(), names: [] })[0]!;
    expect(judgeClaim(claim, members).problems[0]).toMatch(/is built for x86_64, but manylinux2014_aarch64 \(file name\) declares aarch64$/);
    expect(lowestManylinux('x86_64', members)).toBe('manylinux_2_5_x86_64');
  });
});
