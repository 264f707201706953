import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

// The package as `npm pack` makes it and a user installs it: from the tarball into an empty
// prefix, with the dependencies from npm's cache (filled by this checkout's npm ci), then run
// from another directory. `npm test` has just built dist/, so the pack skips the prepare build.
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };

function npm(args: string[], cwd: string) {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  expect(result.status, `npm ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

describe('the npm package', () => {
  let tarball = '';
  let prefix = '';
  let elsewhere = '';
  const installed = () => join(prefix, 'node_modules', 'glibc-floor');
  const runInstalled = (args: string[]) =>
    spawnSync(join(prefix, 'node_modules', '.bin', 'glibc-floor'), args, { cwd: elsewhere, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' } });

  beforeAll(() => {
    const out = mkdtempSync(join(tmpdir(), 'glibc-floor-pack-'));
    const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', out], repoRoot)) as { filename: string }[];
    tarball = join(out, packed[0]!.filename);
    prefix = mkdtempSync(join(tmpdir(), 'glibc-floor-prefix-'));
    elsewhere = mkdtempSync(join(tmpdir(), 'glibc-floor-elsewhere-'));
    npm(['install', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], elsewhere);
  });

  test('is built by prepare, so npm ci on a clone and npm pack/publish include dist/', () => {
    const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['prepare']).toBe('npm run build');
    expect(scripts['build']).toMatch(/^tsc .*&& node scripts\/bundle-cli\.mjs$/);
  });

  test('holds the built CLI, the library, both JSON schemas and the README; no tests, fixtures or scripts', () => {
    const listing = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    for (const file of ['package/bin/glibc-floor', 'package/dist/cli.js', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/schema/report.schema.json', 'package/schema/diff.schema.json', 'package/README.md', 'package/package.json']) {
      expect(listing).toContain(file);
    }
    expect(listing.filter((file) => /^package\/(test|fixtures|scripts|src|release|node_modules)\//.test(file))).toEqual([]);
    expect(JSON.parse(readFileSync(join(installed(), 'package.json'), 'utf8')).repository.url).toBe('git+https://github.com/glibc-floor/glibc-floor.git');
  });

  test('installed into an empty prefix, checks a real binary from another directory', () => {
    expect(runInstalled(['--version']).stdout).toBe(`${version}\n`);
    const fail = runInstalled(['check', '/bin/ls', '--floor', '2.2.5']);
    expect(fail.status).toBe(1);
    expect(fail.stdout).toMatch(/^FAIL {2}\/bin\/ls \(x86_64/m);
    expect(fail.stderr).toBe('');
    const pass = runInstalled(['check', '/bin/ls', '--floor', '2.99']);
    expect(pass.status).toBe(0);
  });

  test('its JSON report validates against the schema it ships', () => {
    const run = runInstalled(['check', fixturePath('hello-x86_64'), '--floor', '2.35', '--format', 'json']);
    expect(run.status).toBe(1);
    const schema = JSON.parse(readFileSync(join(installed(), 'schema', 'report.schema.json'), 'utf8')) as object;
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    expect(validate(JSON.parse(run.stdout)) ? [] : validate.errors).toEqual([]);
  });

  test('reads archives, static libraries and globs with what its bundle loads at first use, as the checkout does', () => {
    // tar-stream (a tar), yauzl (a wheel), the glibc symbol database beside the bundle (a static
    // library's objects) and picomatch (--allow-lib): none of them is inside the installed bundle.
    const args = ['check', '--floor', '2.17', '--allow-lib', 'lib*.so.*', '--format', 'json',
      ...['archives/payload.tar', 'archives/plain-1.0-py3-none-manylinux_2_28_x86_64.whl', 'ar/gnu.a'].map((name) => fixturePath(name))];
    const fromPackage = runInstalled(args);
    const fromCheckout = spawnSync(process.execPath, [join(repoRoot, 'bin', 'glibc-floor'), ...args], { cwd: elsewhere, encoding: 'utf8' });
    expect(fromPackage.stderr).toBe('');
    expect(fromPackage.status).toBe(fromCheckout.status);
    const report = (stdout: string) => {
      const { files, summary } = JSON.parse(stdout) as { files: { path: string; status: string }[]; summary: object };
      return { files, summary };
    };
    const { files, summary } = report(fromPackage.stdout);
    expect({ files, summary }).toEqual(report(fromCheckout.stdout));
    // Each of the three inputs gave files that were read, not errors.
    expect(files.filter((file) => file.status === 'error')).toEqual([]);
    for (const name of ['payload.tar!', '.whl!', 'gnu.a']) expect(files.some((file) => file.path.includes(name) && file.status !== 'skipped'), name).toBe(true);
  });

  test('reads the target catalogue, its exact sets and the manylinux policies from the files beside its bundle, as the checkout does', () => {
    // --target (the catalogue and its exact library sets) and a wheel judged by the manylinux tag it
    // declares (auditwheel's policies): tables the build puts in files of their own beside the bundle.
    for (const args of [
      ['check', '--target', 'debian-11', '--format', 'json', fixturePath('hello-x86_64')],
      ['check', '--format', 'json', fixturePath('archives/plain-1.0-py3-none-manylinux_2_28_x86_64.whl')],
    ]) {
      const fromPackage = runInstalled(args);
      const fromCheckout = spawnSync(process.execPath, [join(repoRoot, 'bin', 'glibc-floor'), ...args], { cwd: elsewhere, encoding: 'utf8' });
      expect(fromPackage.stderr).toBe('');
      expect(fromPackage.status).toBe(fromCheckout.status);
      expect(JSON.parse(fromPackage.stdout)).toEqual(JSON.parse(fromCheckout.stdout));
    }
    const listing = runInstalled(['targets']);
    expect(listing.status).toBe(0);
    expect(listing.stdout).toContain('debian-11');
  });

  test('loads its config validator (a lazily imported dependency) from the installed dependencies', () => {
    writeFileSync(join(elsewhere, '.glibc-floor.json'), JSON.stringify({ floors: { GLIBC: '2.35' }, waivers: [{ version: 'GLIBC_2.36' }] }));
    const run = runInstalled(['check', fixturePath('hello-x86_64')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^glibc-floor: config file .*\.glibc-floor\.json: .*reason.* is required\n$/);
  });
});
