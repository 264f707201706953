#!/usr/bin/env node
// npm run fuzz: a long fuzzing run for developers (not part of CI).
//
// With @jazzer.js/core importable it runs a coverage-guided libFuzzer session over
// scripts/fuzz-target.mjs, seeded with every fixture, and saves crashes under fixtures/fuzz/.
// Jazzer is not a devDependency: its only Linux x64 prebuild (4.0.0) needs GLIBC_2.38 and
// GLIBCXX_3.4.32, so it cannot load on Debian 12 (glibc 2.36), and 2.x builds from GitHub on
// install. On a newer host: `npm install --no-save @jazzer.js/core@4`.
// Without it, the fast-check property of test/fuzz runs for FUZZ_RUNS (default 2,000,000) inputs
// from a random seed, which it prints so a failure can be replayed with FUZZ_SEED.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, copyFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const seconds = Number(process.env.FUZZ_SECONDS ?? 600);

function jazzerLoads() {
  try {
    const require = createRequire(join(root, 'package.json'));
    require('@jazzer.js/fuzzer'); // the native addon: loading it is the real test
    return true;
  } catch (error) {
    console.error(`fuzz: @jazzer.js/core not usable here (${String(error.message).split('\n')[0]})`);
    return false;
  }
}

function corpus() {
  const dir = mkdtempSync(join(tmpdir(), 'glibc-floor-corpus-'));
  const walk = (from) => {
    for (const name of readdirSync(from)) {
      const path = join(from, name);
      const info = statSync(path, { throwIfNoEntry: false });
      if (info?.isDirectory() && !['src', 'tools', 'expected', 'tree'].includes(name)) walk(path);
      else if (info?.isFile() && !/\.(md|sh|json|py|c|cpp|map|txt)$/.test(name)) copyFileSync(path, join(dir, path.slice(root.length + 1).replaceAll('/', '_')));
    }
  };
  walk(join(root, 'fixtures'));
  return dir;
}

let status;
if (jazzerLoads()) {
  mkdirSync(join(root, 'fixtures', 'fuzz'), { recursive: true });
  const args = ['jazzer', 'scripts/fuzz-target.mjs', '--sync', 'false', '--', corpus(),
    `-max_total_time=${seconds}`, '-timeout=10', '-rss_limit_mb=512', '-max_len=262144',
    `-artifact_prefix=${join(root, 'fixtures', 'fuzz', 'crash-')}`];
  status = spawnSync('npx', args, { cwd: root, stdio: 'inherit' }).status;
} else {
  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const runs = process.env.FUZZ_RUNS ?? '2000000';
  console.error(`fuzz: falling back to fast-check: FUZZ_SEED=${seed} FUZZ_RUNS=${runs}`);
  status = spawnSync('npx', ['vitest', 'run', 'test/fuzz/read-elf.fuzz.test.ts', '-t', 'random', '--testTimeout', String(seconds * 1000 * 10)], {
    cwd: root, stdio: 'inherit', env: { ...process.env, FUZZ_SEED: String(seed), FUZZ_RUNS: runs },
  }).status;
}
process.exit(status ?? 1);
