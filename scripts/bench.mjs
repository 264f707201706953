#!/usr/bin/env node
// npm run bench: glibc-floor against readelf and against Node's own start-up, side by side in one
// run, and writes the table into docs/benchmarks.md. Not a test: timings depend on the machine.
//
// (a) `check` on the largest ELF file found here vs `readelf -V -W` on it vs `node -e 0`
// (b) `show --format json` over /usr/bin and /usr/lib vs `find ... -type f -print0 | xargs -0 readelf -V -W`
// (c) peak memory (max RSS from GNU time's %M) of each
// (d) bytes read per file, through the library API (FileByteSource.bytesRead / reads)
//
// Each command runs BENCH_REPS times (default 11 for (a), 3 for (b)), interleaved so load changes
// hit all of them alike; the table gives medians of wall time and of CPU time (user + system).
// Needs GNU time (/usr/bin/time, Debian package `time`) and readelf (binutils).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readSync, closeSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { openFileSource, readElf } from '../dist/index.js';

const root = join(import.meta.dirname, '..');
const tool = join(root, 'bin', 'glibc-floor');
const tree = (process.env.BENCH_TREE ?? '/usr/bin /usr/lib').split(' ');
const repsA = Number(process.env.BENCH_REPS ?? 11);
const repsB = Number(process.env.BENCH_TREE_REPS ?? 3);
const timeFile = join(mkdtempSync(join(tmpdir(), 'glibc-floor-bench-')), 'time.txt');

for (const [binary, why] of [['/usr/bin/time', 'GNU time (apt-get install time)'], ['readelf', 'readelf (apt-get install binutils)']]) {
  if (spawnSync('sh', ['-c', `command -v ${binary}`]).status !== 0) {
    console.error(`bench: ${why} is needed`);
    process.exit(2);
  }
}

/**
 * measure runs a command under GNU time once: wall seconds (timed here, since time's %e has only
 * 10 ms resolution), CPU seconds (user + system) and peak RSS in MB. A string runs through sh (for
 * pipelines); an argv array runs directly, so start-up comparisons carry no shell.
 */
function measure(command) {
  const argv = typeof command === 'string' ? ['sh', '-c', command] : command;
  const started = process.hrtime.bigint();
  spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%U %S %M', ...argv], { stdio: 'ignore' });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
  const [user, system, rssKb] = lines.at(-1).split(' ').map(Number);
  return { wall, cpu: user + system, rss: rssKb / 1024 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** runAll measures each command `reps` times, interleaved, and returns medians per command. */
function runAll(commands, reps) {
  const samples = commands.map(() => []);
  for (let r = 0; r < reps; r++) {
    commands.forEach((c, i) => samples[i].push(measure(c.command)));
    process.stderr.write(`\rbench: ${commands[0].group} ${r + 1}/${reps}`);
  }
  process.stderr.write('\n');
  return commands.map((c, i) => ({
    ...c,
    reps,
    wall: median(samples[i].map((s) => s.wall)),
    cpu: median(samples[i].map((s) => s.cpu)),
    rss: Math.max(...samples[i].map((s) => s.rss)),
  }));
}

function isElf(path) {
  try {
    const fd = openSync(path, 'r');
    const b = Buffer.alloc(4);
    readSync(fd, b, 0, 4, 0);
    closeSync(fd);
    return b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
  } catch {
    return false;
  }
}

/** largestElf finds the largest ELF file in the usual places (or BENCH_FILE). */
function largestElf() {
  if (process.env.BENCH_FILE) return process.env.BENCH_FILE;
  const places = ['/usr', '/opt', '/root', '/usr/local'].filter(existsSync);
  const out = spawnSync('find', [...places, '-xdev', '-type', 'f', '-size', '+20M', '-printf', '%s %p\\n'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
  const candidates = out.trim().split('\n').filter(Boolean).map((line) => {
    const space = line.indexOf(' ');
    return { size: Number(line.slice(0, space)), path: line.slice(space + 1) };
  });
  candidates.push({ size: statSync(process.execPath).size, path: process.execPath });
  candidates.sort((a, b) => b.size - a.size);
  return candidates.find((c) => isElf(c.path))?.path ?? process.execPath;
}

/** treeFiles lists the regular files of the tree, as `find -type f` does for readelf. */
function treeFiles() {
  return execFileSync('find', [...tree, '-type', 'f', '-print0'], { maxBuffer: 256 << 20 }).toString('utf8').split('\0').filter(Boolean);
}

/** readStats reads each file as the CLI does (4-byte probe, then readElf) and counts bytes read. */
async function readStats(files) {
  let elf = 0; let bytes = 0; let reads = 0; let most = 0; let mostPath = ''; const perFile = [];
  for (const path of files) {
    if (!isElf(path)) continue;
    let source;
    try {
      source = await openFileSource(path);
      await readElf(source);
    } catch {
      // malformed or unreadable: count what was read anyway
    } finally {
      if (source !== undefined) {
        elf++; bytes += source.bytesRead; reads += source.reads; perFile.push(source.bytesRead);
        if (source.bytesRead > most) { most = source.bytesRead; mostPath = path; }
        await source.close();
      }
    }
  }
  return { elf, bytes, reads, median: median(perFile), most, mostPath };
}

const q = (path) => `'${path.replaceAll("'", "'\\''")}'`;
const big = largestElf();
const bigSize = statSync(big).size;
console.error(`bench: largest ELF file: ${big} (${(bigSize / 1e6).toFixed(0)} MB)`);

writeFileSync(join(tmpdir(), 'glibc-floor-empty.mjs'), '');
const a = runAll([
  { group: '(a)', name: `glibc-floor check --floor 2.36`, command: [process.execPath, tool, 'check', big, '--floor', '2.36'] },
  { group: '(a)', name: 'readelf -V -W', command: ['readelf', '-V', '-W', big] },
  { group: '(a)', name: 'node -e 0', command: [process.execPath, '-e', '0'] },
  { group: '(a)', name: 'node empty.mjs (ESM start-up)', command: [process.execPath, join(tmpdir(), 'glibc-floor-empty.mjs')] },
], repsA);

const files = treeFiles();
const treeArgs = tree.map(q).join(' ');
const b = runAll([
  { group: '(b)', name: 'glibc-floor show --format json', command: `node ${q(tool)} show --format json ${treeArgs} >/dev/null 2>&1` },
  { group: '(b)', name: 'readelf -V -W (find \\| xargs)', command: `find ${treeArgs} -type f -print0 | xargs -0 readelf -V -W >/dev/null 2>&1` },
], repsB);
const d = await readStats(files);
const dBig = await readStats([big]);

const ratio = (x, y) => (x / y).toFixed(2);
const [check, readelfBig, node0, esm] = a;
const [show, readelfTree] = b;
const verdict = (ok) => (ok ? 'met' : 'not met');
const row = (r) => `| ${r.name} | ${r.wall.toFixed(3)} | ${r.cpu.toFixed(3)} | ${r.rss.toFixed(1)} |`;
const now = new Date().toISOString().slice(0, 16).replace('T', ' ');
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${execFileSync('readelf', ['--version']).toString().split('\n')[0]}`;
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const table = `<!-- bench:start (written by npm run bench; do not edit by hand) -->
Measured ${now} UTC on ${machine}; load average at the end ${load}.
Medians of ${repsA} runs for (a) and ${repsB} for (b), interleaved; peak memory is the largest max RSS seen.

### (a) one large file: \`${big}\` (${(bigSize / 1e6).toFixed(1)} MB)

| command | wall s | CPU s | peak MB |
|---|---:|---:|---:|
${a.map(row).join('\n')}

- check / \`node -e 0\`: **${ratio(check.wall, node0.wall)}x** wall, **${ratio(check.cpu, node0.cpu)}x** CPU (target ≤ 1.25x: ${verdict(check.wall <= 1.25 * node0.wall)} on wall, ${verdict(check.cpu <= 1.25 * node0.cpu)} on CPU)
- check / empty ES module: ${ratio(check.wall, esm.wall)}x wall, ${ratio(check.cpu, esm.cpu)}x CPU
- check / readelf: ${ratio(check.wall, readelfBig.wall)}x wall
- bytes read from it: ${dBig.bytes} in ${dBig.reads} reads

### (b) the tree \`${tree.join(' ')}\`: ${files.length} regular files, ${d.elf} of them ELF

| command | wall s | CPU s | peak MB |
|---|---:|---:|---:|
${b.map(row).join('\n')}

- show / readelf: **${ratio(show.wall, readelfTree.wall)}x** wall, **${ratio(show.cpu, readelfTree.cpu)}x** CPU (target ≤ 0.5x: ${verdict(show.wall <= 0.5 * readelfTree.wall)} on wall, ${verdict(show.cpu <= 0.5 * readelfTree.cpu)} on CPU)
- peak memory: **${show.rss.toFixed(0)} MB** (target < 100 MB: ${verdict(show.rss < 100)}); readelf's is per process

### (d) bytes read per ELF file (library API, \`FileByteSource.bytesRead\`)

| ELF files | total read | reads | mean per file | median per file | most (file) |
|---:|---:|---:|---:|---:|---|
| ${d.elf} | ${(d.bytes / 1e6).toFixed(1)} MB | ${d.reads} | ${(d.bytes / Math.max(d.elf, 1) / 1024).toFixed(1)} KiB | ${(d.median / 1024).toFixed(1)} KiB | ${(d.most / 1024).toFixed(0)} KiB (\`${d.mostPath}\`) |

Non-ELF files cost one 4-byte read each (the magic probe). The tree holds ${(files.reduce((n, f) => n + (statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0) / 1e9).toFixed(2)} GB.
<!-- bench:end -->`;

const docPath = join(root, 'docs', 'benchmarks.md');
mkdirSync(join(root, 'docs'), { recursive: true });
const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n\n<!-- bench:start --><!-- bench:end -->\n';
const start = doc.indexOf('<!-- bench:start');
const end = doc.indexOf('<!-- bench:end -->');
const updated = start >= 0 && end >= 0 ? doc.slice(0, start) + table + doc.slice(end + '<!-- bench:end -->'.length) : `${doc}\n${table}\n`;
writeFileSync(docPath, updated);
console.log(table);
