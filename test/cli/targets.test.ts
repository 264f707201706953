import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { EXACT_SETS } from '../../src/targets/exact-sets.generated.js';
import { CATALOGUE } from '../../src/targets/catalogue.js';
import { expectNoStackTrace, expectValidReport, runCli } from '../helpers/cli.js';
import { buildLibrary, buildStubSet, type StubSet } from '../helpers/stubs.js';

let stubs: StubSet;
/**
 * A sysroot whose libraries define exactly Debian 11's x86_64 version sets (from the generated
 * data), and at their nodes the symbols the stub programs bind (the symbol-level check of
 * --floor-from would otherwise find them missing, as the loader would).
 */
let debian11Root: string;
const STUB_SYMBOLS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  'libc.so.6': { 'GLIBC_2.2.5': ['getpid'] },
  'libstdc++.so.6': { 'CXXABI_1.3': ['abiold'], 'GLIBCXX_3.4': ['cxxold'] },
  'libgcc_s.so.1': { 'GCC_3.0': ['gccold'] },
};

beforeAll(() => {
  stubs = buildStubSet();
  debian11Root = join(stubs.root, 'debian-11-root');
  const libDir = join(debian11Root, 'lib', 'x86_64-linux-gnu');
  mkdirSync(libDir, { recursive: true });
  for (const [soname, names] of Object.entries(EXACT_SETS['debian-11']!.machines['x86_64']!.libraries)) {
    const nodes = (names ?? '').split(' ').filter((name) => name !== '').map((name, i) => ({ name, symbols: [...(i === 0 ? [`first_${i}`] : []), ...(STUB_SYMBOLS[soname]?.[name] ?? [])] }));
    buildLibrary(libDir, { soname, nodes });
  }
});

const json = async (...args: string[]) => {
  const run = await runCli([...args, '--format', 'json'], { inProcess: true });
  expectNoStackTrace(run.stderr);
  return { ...run, report: expectValidReport(run.stdout) };
};

describe('--floor-from: a real system\'s libraries as the floor, checked exactly', () => {
  test('libc.so.6 GLIBC_2.31 fails against Debian 11\'s version sets although 2.31 <= 2.31', async () => {
    const run = await json('check', stubs.clockjoin, '--floor-from', debian11Root);
    expect(run.code).toBe(1);
    expect(run.report['targets']).toEqual([{ name: debian11Root, kind: 'floor-from', floors: {}, exactMachines: ['x86_64'] }]);
    expect(run.report['files'][0]['violations']).toEqual([
      expect.objectContaining({ library: 'libc.so.6', version: 'GLIBC_2.31', reason: 'not-defined', symbols: ['pthread_clockjoin_np'], failsOn: [debian11Root] }),
    ]);
    // The numeric floor alone misses it.
    expect((await runCli(['check', stubs.clockjoin, '--floor', '2.31'], { inProcess: true })).code).toBe(0);
  });

  const realDebian11 = process.env['GLIBC_FLOOR_REAL_TREES'] === undefined ? undefined : join(process.env['GLIBC_FLOOR_REAL_TREES'], 'debian-11', 'amd64');
  test.skipIf(realDebian11 === undefined || !existsSync(realDebian11))('the real Debian 11 libc6 package (scripts/gen-exact-sets.mjs --keep) gives the same verdict', async () => {
    const tree = await json('check', stubs.clockjoin, '--floor-from', realDebian11!);
    expect(tree.code).toBe(1);
    expect(tree.report['files'][0]['violations'][0]).toMatchObject({ version: 'GLIBC_2.31', reason: 'not-defined' });
    const libc = await json('check', stubs.clockjoin, '--floor-from', join(realDebian11!, 'lib/x86_64-linux-gnu/libc.so.6'));
    expect(libc.code).toBe(1);
  });

  const hostLibc = '/usr/lib/x86_64-linux-gnu/libc.so.6';
  test.skipIf(!existsSync(hostLibc) || process.arch !== 'x64')('the host\'s real libc.so.6 (glibc >= 2.34 defines GLIBC_2.31 in libc) passes it', async () => {
    const run = await json('check', stubs.clockjoin, '--floor-from', hostLibc);
    expect(run.code).toBe(0);
    expect(run.report['files'][0]['status']).toBe('pass');
  });

  const hasUmoci = spawnSync('umoci', ['--version']).status === 0 && spawnSync('skopeo', ['--version']).status === 0;
  test.skipIf(!hasUmoci)('a container image (OCI layout and docker-archive, built with umoci and skopeo) works as the floor like its extracted tree', async () => {
    const work = mkdtempSync(join(tmpdir(), 'glibc-floor-floor-image-'));
    const oci = join(work, 'oci');
    const sh = (command: string, args: string[]) => execFileSync(command, args, { stdio: 'pipe' });
    sh('umoci', ['init', '--layout', oci]);
    sh('umoci', ['new', '--image', `${oci}:root`]);
    sh('umoci', ['unpack', '--rootless', '--image', `${oci}:root`, join(work, 'bundle')]);
    sh('cp', ['-a', join(debian11Root, 'lib'), join(work, 'bundle', 'rootfs', 'lib')]);
    sh('umoci', ['repack', '--image', `${oci}:root`, join(work, 'bundle')]);
    const dockerTar = join(work, 'root-docker.tar');
    sh('skopeo', ['copy', '--quiet', `oci:${oci}:root`, `docker-archive:${dockerTar}:root:latest`]);
    const tree = (await json('check', stubs.clockjoin, '--floor-from', debian11Root)).report['files'][0]['violations'];
    for (const image of [oci, dockerTar]) {
      const run = await json('check', stubs.clockjoin, '--floor-from', image);
      expect(run.code).toBe(1);
      expect(run.report['targets'][0]).toMatchObject({ name: image, kind: 'floor-from', exactMachines: ['x86_64'] });
      expect(run.report['files'][0]['violations']).toEqual(tree.map((violation: { failsOn: string[] }) => ({ ...violation, failsOn: [image] })));
    }
  });

  test('needed libraries the system lacks are reported missing and fail the file', async () => {
    const run = await json('check', stubs.cxx, '--floor-from', debian11Root);
    expect(run.code).toBe(1);
    const missing = run.report['files'][0]['libraryFindings'].filter((finding: { reason: string }) => finding.reason === 'missing');
    expect(missing.map((finding: { library: string }) => finding.library)).toEqual(['libfoo.so.1']);
    const text = await runCli(['check', stubs.cxx, '--floor-from', debian11Root], { inProcess: true });
    expect(text.stdout).toMatch(/libfoo\.so\.1 - needs libfoo\.so\.1, which .*debian-11-root does not have for x86_64/);
  });

  test('a path that is not there, or holds no libraries, is a one-line usage error', async () => {
    const missing = await runCli(['check', stubs.clockjoin, '--floor-from', '/nonexistent/root'], { inProcess: true });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('glibc-floor: --floor-from /nonexistent/root: no such file or directory\n');
    const empty = await runCli(['check', stubs.clockjoin, '--floor-from', join(stubs.root, 'bin')], { inProcess: true });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no shared libraries found/);
  });
});

describe('--target', () => {
  test('ubuntu-22.04,cos-117 checks GLIBC, GLIBCXX, CXXABI and GCC, and says which target set each floor', async () => {
    const run = await json('check', stubs.cxx, '--target', 'ubuntu-22.04,cos-117');
    expect(run.code).toBe(1);
    expect(run.report['floors']).toEqual({ CXXABI: '1.3.13', GCC: '12.0.0', GLIBC: '2.35', GLIBCXX: '3.4.30' });
    expect(run.report['floorSources']).toEqual({ CXXABI: 'ubuntu-22.04', GCC: 'ubuntu-22.04', GLIBC: 'ubuntu-22.04', GLIBCXX: 'ubuntu-22.04' });
    expect(run.report['floorNotes'].join('\n')).toMatch(/GLIBCXX, CXXABI, GCC of cos-117 are unknown: those floors come from the other targets/);
    expect(run.report['files'][0]['violations']).toEqual([
      expect.objectContaining({ library: 'libstdc++.so.6', version: 'GLIBCXX_3.4.32', floor: '3.4.30', reason: 'above-floor', failsOn: ['ubuntu-22.04'] }),
    ]);
    const rhel = await json('check', stubs.cxx, '--target', 'rhel-8');
    expect(rhel.report['files'][0]['violations'].map((v: { version: string }) => v.version).sort()).toEqual(['GCC_12.0.0', 'GLIBCXX_3.4.32']);
  });

  test('a real binary of this machine (fixtures/hello-x86_64, GLIBC_2.36) fails ubuntu-22.04 and passes debian-12\'s exact sets', async () => {
    const fail = await runCli(['check', 'fixtures/hello-x86_64', '--target', 'ubuntu-22.04'], { inProcess: true });
    expect(fail.code).toBe(1);
    expect(fail.stdout).toMatch(/GLIBC_2\.36 > 2\.35 from libc\.so\.6 - on ubuntu-22\.04\n\s+arc4random/);
    expect(fail.stdout).toMatch(/floor .*GLIBC 2\.35 \(ubuntu-22\.04\)/);
    const pass = await json('check', 'fixtures/hello-x86_64', '--target', 'bookworm');
    expect(pass.code).toBe(0);
    expect(pass.report['targets'][0]).toMatchObject({ name: 'debian-12', kind: 'catalogue', exactMachines: expect.arrayContaining(['x86_64', 'aarch64']) });
  });

  test('the exact sets decide: clockjoin fails debian-11 by membership, passes debian-12', async () => {
    const fail = await json('check', stubs.clockjoin, '--target', 'debian-11');
    expect(fail.code).toBe(1);
    expect(fail.report['files'][0]['violations'][0]).toMatchObject({ version: 'GLIBC_2.31', reason: 'not-defined', failsOn: ['debian-11'] });
    expect((await json('check', stubs.clockjoin, '--target', 'debian-12')).code).toBe(0);
  });

  test('an explicit --floor wins for its family over the target\'s', async () => {
    const run = await json('check', stubs.cxx, '--target', 'ubuntu-22.04', '--floor', 'GLIBCXX=3.4.32');
    expect(run.code).toBe(0);
    expect(run.report['floors']['GLIBCXX']).toBe('3.4.32');
    expect(run.report['floorSources']['GLIBCXX']).toBe('--floor');
  });

  test('an unknown name is a usage error suggesting the closest names; an unknown glibc is one too', async () => {
    const run = await runCli(['check', stubs.clockjoin, '--target', 'ubunt-22.04'], { inProcess: true });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('glibc-floor: unknown target "ubunt-22.04"; did you mean ubuntu-22.04, ubuntu-20.04, ubuntu-24.04? (glibc-floor targets lists them all)\n');
    const cos = await runCli(['check', stubs.clockjoin, '--target', 'cos-121'], { inProcess: true });
    expect(cos.code).toBe(2);
    expect(cos.stderr).toMatch(/the glibc of cos-121 is not known/);
  });
});

describe('--allow-lib and musl', () => {
  test('glibc-only fails a file needing other libraries, naming each', async () => {
    const run = await json('check', stubs.cxx, '--allow-lib', 'glibc-only');
    expect(run.code).toBe(1);
    expect(run.report['allowLibraries']).toEqual(['glibc-only']);
    expect(run.report['files'][0]['libraryFindings'].map((finding: { library: string; reason: string }) => `${finding.reason} ${finding.library}`))
      .toEqual(['not-allowed libstdc++.so.6', 'not-allowed libgcc_s.so.1', 'not-allowed libfoo.so.1']);
    const allowed = await runCli(['check', stubs.cxx, '--allow-lib', 'glibc-only', '--allow-lib', 'libstdc++.so.*', '--allow-lib', 'libgcc_s.so.1', '--allow-lib', 'libfoo.so.?'], { inProcess: true });
    expect(allowed.code).toBe(0);
  });

  test('a musl binary fails a glibc target with a clear message', async () => {
    const run = await runCli(['check', stubs.musl, '--target', 'debian-12'], { inProcess: true });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/built for musl libc \(loader \/lib\/ld-musl-x86_64\.so\.1\): it does not start on a glibc system/);
    const show = await json('show', stubs.musl);
    expect(show.report['files'][0]['platforms']).toMatchObject({ runsOn: [], musl: true });
  });
});

describe('show: which targets can run a file', () => {
  test('lists the targets a file runs on and, per line, the newest that cannot with the version and symbols', async () => {
    const run = await json('show', 'fixtures/hello-x86_64');
    expect(run.code).toBe(0);
    const platforms = run.report['files'][0]['platforms'];
    expect(platforms.runsOn).toEqual(expect.arrayContaining(['debian-12', 'debian-13', 'ubuntu-24.04', 'rhel-10', 'fedora-39', 'cos-117']));
    expect(platforms.cannotRun).toEqual(expect.arrayContaining(['debian-11', 'ubuntu-22.04', 'rhel-9', 'al2023', 'cos-109']));
    const ubuntu = platforms.newestBlocked.find((entry: { line: string }) => entry.line === 'ubuntu');
    expect(ubuntu).toEqual({ line: 'ubuntu', target: 'ubuntu-22.04', blockers: [{ library: 'libc.so.6', version: 'GLIBC_2.36', family: 'GLIBC', symbols: ['arc4random'], reason: 'above-floor', floor: '2.35' }] });
    const debian = platforms.newestBlocked.find((entry: { line: string }) => entry.line === 'debian');
    expect(debian.target).toBe('debian-11');
    expect(debian.blockers.map((blocker: { version: string; reason: string }) => `${blocker.version} ${blocker.reason}`)).toContain('GLIBC_2.36 not-defined');
    expect(platforms.unknownOn).toEqual(expect.arrayContaining([{ target: 'cos-121', families: ['GLIBC'] }]));
    const text = await runCli(['show', 'fixtures/hello-x86_64'], { inProcess: true });
    expect(text.stdout).toMatch(/ {2}runs on: .*debian-12/);
    expect(text.stdout).toMatch(/ {2}not on ubuntu-22\.04 \(newest such ubuntu\): GLIBC_2\.36 > 2\.35 \(arc4random\)/);
  });

  test('the GLIBC_2.31-in-libc case is blocked on Debian 11 by its exact sets', async () => {
    const platforms = (await json('show', stubs.clockjoin)).report['files'][0]['platforms'];
    expect(platforms.runsOn).toContain('debian-12');
    expect(platforms.cannotRun).toContain('debian-11');
    expect(platforms.newestBlocked.find((entry: { line: string }) => entry.line === 'debian').blockers[0]).toMatchObject({ version: 'GLIBC_2.31', reason: 'not-defined', floor: '2.31' });
  });
});

describe('targets command', () => {
  test('text lists every record with its values and exact sets', async () => {
    const run = await runCli(['targets'], { inProcess: true });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^target\s+glibc\s+GLIBCXX\s+CXXABI\s+GCC\s+x86-64 CPU\s+exact sets\s+aliases$/);
    for (const record of CATALOGUE) expect(run.stdout).toMatch(new RegExp(`^${record.name.replace(/\./g, '\\.')}\\s`, 'm'));
    expect(run.stdout).toMatch(/^debian-11\s+2\.31\s+3\.4\.28\s+1\.3\.12\s+7\.0\.0\s+-\s+\S*x86_64\S*\s+bullseye$/m);
    // The CPU baselines Red Hat states (sources rhel9-isa, rhel10-isa).
    expect(run.stdout).toMatch(/^rhel-9\s+2\.34\s+\S+\s+\S+\s+\S+\s+x86-64-v2\s/m);
    expect(run.stdout).toMatch(/^rhel-10\s+2\.39\s+\S+\s+\S+\s+\S+\s+x86-64-v3\s/m);
    expect(run.stdout).toMatch(/^cos-121\s+\?\s+\?/m);
  });

  test('json carries every value with its source, and the sources', async () => {
    const run = await runCli(['targets', '--format', 'json'], { inProcess: true });
    expect(run.code).toBe(0);
    const listing = JSON.parse(run.stdout) as { targets: { name: string; glibc: { value: string | null; source: string }; exact: Record<string, Record<string, string>> }[]; sources: Record<string, string> };
    expect(listing.targets).toHaveLength(CATALOGUE.length);
    for (const target of listing.targets) expect(listing.sources[target.glibc.source]).toBeDefined();
    expect(listing.targets.find((target) => target.name === 'debian-11')!.exact['x86_64']!['libc6']).toMatch(/^2\.31-/);
    expect((await runCli(['targets', '--format', 'junit'], { inProcess: true })).code).toBe(2);
  });
});

describe('config file', () => {
  test('"targets" and "allowLibraries" in .glibc-floor.json apply; the command line replaces them', async () => {
    const project = mkdtempSync(join(tmpdir(), 'glibc-floor-config-'));
    writeFileSync(join(project, '.glibc-floor.json'), JSON.stringify({ targets: ['debian-11'], allowLibraries: ['glibc-only'] }));
    const fromFile = await runCli(['check', stubs.cxx, '--format', 'json'], { inProcess: true, cwd: project });
    expectNoStackTrace(fromFile.stderr);
    const report = expectValidReport(fromFile.stdout);
    expect(fromFile.code).toBe(1);
    expect(report['targets'].map((target: { name: string }) => target.name)).toEqual(['debian-11']);
    expect(report['allowLibraries']).toEqual(['glibc-only']);
    const cli = await runCli(['check', stubs.clockjoin, '--target', 'debian-12', '--allow-lib', '*', '--format', 'json'], { inProcess: true, cwd: project });
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)['targets'].map((target: { name: string }) => target.name)).toEqual(['debian-12']);
  });
});

describe('CI formats carry the new findings', () => {
  test('library findings and not-defined versions appear in github, junit and sarif output', async () => {
    const github = await runCli(['check', stubs.cxx, '--allow-lib', 'glibc-only', '--format', 'github'], { inProcess: true });
    expect(github.code).toBe(1);
    expect(github.stdout).toMatch(/^::error file=.*title=glibc-floor%3A needed library libstdc\+\+\.so\.6 \(not-allowed\)[^:]*::needs libstdc\+\+\.so\.6, which the library policy/m);
    const junit = await runCli(['check', stubs.cxx, '--allow-lib', 'glibc-only', '--format', 'junit'], { inProcess: true });
    expect(junit.stdout).toMatch(/<failure message="libstdc\+\+\.so\.6 \(not-allowed\); libgcc_s\.so\.1 \(not-allowed\); libfoo\.so\.1 \(not-allowed\)" type="library-not-allowed"/);
    const sarif = JSON.parse((await runCli(['check', stubs.clockjoin, stubs.cxx, '--target', 'debian-11', '--allow-lib', 'glibc-only', '--format', 'sarif'], { inProcess: true })).stdout);
    const ruleIds = sarif.runs[0].results.map((result: { ruleId: string }) => result.ruleId);
    expect(ruleIds).toContain('GF1006');
    expect(ruleIds).toContain('GF1007');
    const notDefined = sarif.runs[0].results.find((result: { ruleId: string }) => result.ruleId === 'GF1006');
    expect(notDefined.message.text).toMatch(/GLIBC_2\.31 from libc\.so\.6 is not defined by libc\.so\.6 on debian-11/);
  });
});
