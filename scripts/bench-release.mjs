#!/usr/bin/env node
// npm run bench:release: start-up of the standalone executables (npm run release) next to
// `node -e 0` and bin/glibc-floor, plus their sizes. Prints a Markdown table for
// docs/distribution.md. Uses hyperfine when it is installed (median, and user+system CPU time,
// which a busy machine disturbs less than wall time); else the median wall time of interleaved runs.
// Usage: node scripts/bench-release.mjs [RUNS]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 30);
const x64 = join(root, 'release/glibc-floor-linux-x64');
const arm64 = join(root, 'release/glibc-floor-linux-arm64');
if (!existsSync(x64)) {
  console.error('bench-release: release/glibc-floor-linux-x64 is missing; run npm run release first');
  process.exit(2);
}
const target = '/bin/ls';
const commands = [
  ['node -e 0', `${process.execPath} -e 0`],
  ['bin/glibc-floor --version', `${process.execPath} ${join(root, 'bin/glibc-floor')} --version`],
  ['glibc-floor-linux-x64 --version', `${x64} --version`],
  [`bin/glibc-floor check ${target}`, `${process.execPath} ${join(root, 'bin/glibc-floor')} check ${target} --floor 2.35 --no-config`],
  [`glibc-floor-linux-x64 check ${target}`, `${x64} check ${target} --floor 2.35 --no-config`],
];
const qemu = spawnSync('sh', ['-c', 'command -v qemu-aarch64'], { encoding: 'utf8' }).stdout.trim();
if (qemu && existsSync(arm64)) {
  commands.push(['glibc-floor-linux-arm64 --version (qemu-aarch64)', `${qemu} -L /usr/aarch64-linux-gnu ${arm64} --version`]);
}

/** withHyperfine returns [median ms, user+system ms] per command. */
function withHyperfine() {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-release-')), 'hyperfine.json');
  const result = spawnSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(runs), '--export-json', out, ...commands.map(([, command]) => command)], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('hyperfine failed');
  return JSON.parse(readFileSync(out, 'utf8')).results.map((r) => [r.median * 1000, (r.user + r.system) * 1000]);
}

/** withMedians runs the commands interleaved, so that a busy moment hits all of them alike. */
function withMedians() {
  const times = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach(([, command], index) => {
      const [program, ...args] = command.split(' ');
      const started = process.hrtime.bigint();
      spawnSync(program, args, { stdio: 'ignore' });
      times[index].push(Number(process.hrtime.bigint() - started) / 1e6);
    });
  }
  return times.map((list) => [list.sort((a, b) => a - b)[Math.floor(list.length / 2)], undefined]);
}

const hasHyperfine = spawnSync('sh', ['-c', 'command -v hyperfine'], { stdio: 'ignore' }).status === 0;
const results = hasHyperfine ? withHyperfine() : withMedians();
const mib = (file) => `${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB`;
console.log(`Sizes: glibc-floor-linux-x64 ${mib(x64)}${existsSync(arm64) ? `, glibc-floor-linux-arm64 ${mib(arm64)}` : ''}`);
console.log(`\n${runs} runs each (${hasHyperfine ? 'hyperfine' : 'median of interleaved runs'}), node ${process.version}:\n`);
console.log(`| command | median wall | ${hasHyperfine ? 'user+system CPU |' : ''}`);
console.log(`|---|---|${hasHyperfine ? '---|' : ''}`);
commands.forEach(([label], index) => {
  const [median, cpu] = results[index];
  console.log(`| \`${label}\` | ${median.toFixed(0)} ms |${cpu === undefined ? '' : ` ${cpu.toFixed(0)} ms |`}`);
});
