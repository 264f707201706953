import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

// The built CLI (scripts/bundle-cli.mjs): dist/cli.js launches dist/cli-bundle.cjs with the V8 code
// cache dist/cli-bundle.cache (src/cli-launcher.ts). The cache may only ever save time.
const dist = join(repoRoot, 'dist');
const { BUILD_ID_LENGTH, BUILD_MARK, buildIdOf } = (await import(join(dist, 'cli-launcher.js'))) as typeof import('../../src/cli-launcher.js');
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

const node = (args: string[]) => spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const checkArgs = ['check', fixturePath('hello-x86_64'), '--floor', '2.2.5'];

/** copyOfDist puts the launcher and the given bundle and cache bytes into a new folder, as an installed package has them. */
function copyOfDist(bundle: string | undefined, cache: Buffer | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'glibc-floor-code-cache-'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  copyFileSync(join(dist, 'cli.js'), join(dir, 'cli.js'));
  if (bundle !== undefined) writeFileSync(join(dir, 'cli-bundle.cjs'), bundle);
  if (cache !== undefined) writeFileSync(join(dir, 'cli-bundle.cache'), cache);
  return dir;
}

describe('the CLI code cache', () => {
  const bundle = readFileSync(join(dist, 'cli-bundle.cjs'), 'utf8');
  const cache = readFileSync(join(dist, 'cli-bundle.cache'));

  test('belongs to the bundle built with it, and this Node accepts it', () => {
    expect(buildIdOf(bundle)).toMatch(new RegExp(`^[0-9a-f]{${BUILD_ID_LENGTH}}$`));
    expect(cache.subarray(0, BUILD_ID_LENGTH).toString('latin1')).toBe(buildIdOf(bundle));
    const probe = `import('${join(dist, 'cli-launcher.js')}').then((m) => console.log(m.compileBundle('${dist}').cachedDataRejected))`;
    expect(node(['-e', probe]).stdout).toBe('false\n');
  });

  test('without a cache, with a rejected one or with one of another build, the CLI runs the same', () => {
    const expected = node(['bin/glibc-floor', ...checkArgs].map((arg) => (arg === 'bin/glibc-floor' ? join(repoRoot, arg) : arg)));
    expect(expected.status).toBe(1);
    const garbage = Buffer.concat([cache.subarray(0, BUILD_ID_LENGTH), Buffer.alloc(4096, 0x5a)]);
    for (const dir of [copyOfDist(bundle, undefined), copyOfDist(bundle, garbage), copyOfDist(bundle, cache)]) {
      const run = node([join(dir, 'cli.js'), ...checkArgs]);
      expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: expected.status, stdout: expected.stdout, stderr: expected.stderr });
    }
  });

  test("a cache is not used for another build's bundle, even one of the same length (V8 checks only the length)", () => {
    // Another build: the version changed, the length did not. The old cache holds the old version.
    const other = `${'9'.repeat(version.length)}`;
    const otherId = 'f'.repeat(BUILD_ID_LENGTH);
    const otherBundle = bundle.replace(JSON.stringify(version), JSON.stringify(other)).replace(`${BUILD_MARK}${buildIdOf(bundle)}`, `${BUILD_MARK}${otherId}`);
    expect(otherBundle.length).toBe(bundle.length);
    expect(otherBundle).not.toBe(bundle);
    const run = node([join(copyOfDist(otherBundle, cache), 'cli.js'), '--version']);
    expect(run.stdout).toBe(`${other}\n`);
  });

  test('a missing bundle is an internal error: one line, exit 2', () => {
    const run = node([join(copyOfDist(undefined, undefined), 'cli.js'), '--version']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^glibc-floor: internal error: cannot load cli-bundle\.cjs: ENOENT[^\n]*\n$/);
  });
});
