#!/usr/bin/env node
// npm run bench: glibc-floor against readelf and against Node's own start-up, side by side in one
// run, with the four targets of issue 15 each printed with its goal and met / not met, and writes
// the tables into docs/benchmarks.md. Not a test: timings depend on the machine and its load, so
// only ratios within one run are compared.
//
// (a) one file: `check` on the largest ELF file found here vs `node -e 0` (target ≤ 1.25x wall)
// (b) a tree of ELF files (every ELF file of /usr/bin and /usr/lib, hard-linked into one temporary
//     tree): `show --format json` vs `readelf -V -W` over the same files (target ≤ 0.5x wall)
// (c) peak RSS of `check` over that tree and over all of /usr/bin + /usr/lib (ELF or not), with
//     JSON, JUnit and SARIF outputs (target ≤ 100 MB)
// (d) the image target, from docs/benchmarks-images.md (npm run bench:image writes it)
//
// BENCH_BEFORE=/path/to/an/older/built/checkout adds its bin/glibc-floor to every row ("before").
// Each command runs BENCH_REPS times (default 9 for (a), 3 for (b)), interleaved so load changes
// hit all of them alike; the tables give medians of wall and CPU time (user + system) and the
// largest peak RSS (GNU time's %M). Needs GNU time (Debian `time`) and readelf (binutils).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, openSync, readSync, closeSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { openFileSource, readElf } from '../dist/index.js';

const root = join(import.meta.dirname, '..');
const tool = join(root, 'bin', 'glibc-floor');
const before = process.env.BENCH_BEFORE === undefined ? undefined : join(process.env.BENCH_BEFORE, 'bin', 'glibc-floor');
const sources = (process.env.BENCH_TREE ?? '/usr/bin /usr/lib').split(' ');
const repsA = Number(process.env.BENCH_REPS ?? 9);
const repsB = Number(process.env.BENCH_TREE_REPS ?? 3);
const scratch = mkdtempSync(join(tmpdir(), 'glibc-floor-bench-'));
const timeFile = join(scratch, 'time.txt');

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
function measure(command, env = process.env) {
  const argv = typeof command === 'string' ? ['sh', '-c', command] : command;
  const started = process.hrtime.bigint();
  spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%U %S %M', ...argv], { stdio: 'ignore', env });
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
function runAll(group, commands, reps) {
  const samples = commands.map(() => []);
  for (let r = 0; r < reps; r++) {
    commands.forEach((c, i) => samples[i].push(measure(c.command, c.env)));
    process.stderr.write(`\rbench: ${group} ${r + 1}/${reps}`);
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

/** regularFiles lists the regular files under the given roots, as `find -type f` does. */
function regularFiles(roots) {
  return execFileSync('find', [...roots, '-type', 'f', '-print0'], { maxBuffer: 256 << 20 }).toString('utf8').split('\0').filter(Boolean);
}

/**
 * elfTree hard-links every ELF file under the roots into one temporary tree (same file system as
 * /tmp, as on a stock Debian machine; copies where a link is refused), so both tools read exactly
 * the same ELF files and nothing else.
 */
function elfTree(roots) {
  const dir = join(scratch, 'elf-tree');
  mkdirSync(dir);
  let count = 0;
  let bytes = 0;
  for (const path of regularFiles(roots)) {
    if (!isElf(path)) continue;
    const target = join(dir, `${String(count).padStart(5, '0')}-${path.split('/').at(-1)}`);
    try {
      linkSync(path, target);
    } catch {
      writeFileSync(target, readFileSync(path));
    }
    count++;
    bytes += statSync(target).size;
  }
  return { dir, count, bytes };
}

/** readStats reads each file as the CLI does (readElf) and counts bytes read. */
async function readStats(files) {
  let bytes = 0; let reads = 0;
  for (const path of files) {
    let source;
    try {
      source = await openFileSource(path);
      await readElf(source);
    } catch {
      // malformed or unreadable: count what was read anyway
    } finally {
      if (source !== undefined) {
        bytes += source.bytesRead; reads += source.reads;
        await source.close();
      }
    }
  }
  return { bytes, reads };
}

const q = (path) => `'${path.replaceAll("'", "'\\''")}'`;
const versions = [{ label: 'after', bin: tool }, ...(before === undefined ? [] : [{ label: 'before', bin: before }])];
const big = largestElf();
const bigSize = statSync(big).size;
console.error(`bench: largest ELF file: ${big} (${(bigSize / 1e6).toFixed(0)} MB)`);

// NODE_EXTRA_CA_CERTS makes every Node process read and parse a certificate bundle before any
// JavaScript runs (on the machine these figures were first taken on, 420 M of `node -e 0`'s 502 M
// instructions); it flatters every ratio to `node -e 0`. Where it is set, (a) also runs both
// commands without it, and the target is judged on that pair, the stricter one.
const extraCerts = process.env.NODE_EXTRA_CA_CERTS !== undefined;
const withoutCerts = (() => { const env = { ...process.env }; delete env.NODE_EXTRA_CA_CERTS; return env; })();
const a = runAll('(a) one file', [
  ...versions.map((v) => ({ name: `${v.label}: glibc-floor check --floor 2.36`, command: [process.execPath, v.bin, 'check', big, '--floor', '2.36'] })),
  ...versions.map((v) => ({ name: `${v.label}: glibc-floor --version`, command: [process.execPath, v.bin, '--version'] })),
  { name: 'readelf -V -W', command: ['readelf', '-V', '-W', big] },
  { name: 'node -e 0', command: [process.execPath, '-e', '0'] },
  ...(extraCerts ? [
    ...versions.map((v) => ({ name: `${v.label}: glibc-floor check --floor 2.36, without NODE_EXTRA_CA_CERTS`, command: [process.execPath, v.bin, 'check', big, '--floor', '2.36'], env: withoutCerts })),
    { name: 'node -e 0, without NODE_EXTRA_CA_CERTS', command: [process.execPath, '-e', '0'], env: withoutCerts },
  ] : []),
], repsA);

const tree = elfTree(sources);
console.error(`bench: ${tree.count} ELF files (${(tree.bytes / 1e6).toFixed(0)} MB) of ${sources.join(' ')} linked into ${tree.dir}`);
const b = runAll('(b) tree', [
  ...versions.map((v) => ({ name: `${v.label}: glibc-floor show --format json`, command: `node ${q(v.bin)} show --format json ${q(tree.dir)} >/dev/null 2>&1` })),
  { name: 'readelf -V -W (find \\| xargs)', command: `find ${q(tree.dir)} -type f -print0 | xargs -0 readelf -V -W >/dev/null 2>&1` },
], repsB);

const outputs = (label) => {
  const dir = join(scratch, `out-${label}`);
  mkdirSync(dir, { recursive: true });
  return `--format json --output ${q(join(dir, 'r.json'))} --report junit=${q(join(dir, 'r.xml'))} --report sarif=${q(join(dir, 'r.sarif'))}`;
};
const c = runAll('(c) memory', [
  ...versions.map((v) => ({ name: `${v.label}: check, ELF tree (${tree.count} files)`, command: `node ${q(v.bin)} check --floor 2.36 ${q(tree.dir)} ${outputs(v.label)} >/dev/null 2>&1` })),
  ...versions.map((v) => ({ name: `${v.label}: check, ${sources.join(' ')} (every file)`, command: `node ${q(v.bin)} check --floor 2.36 ${sources.map(q).join(' ')} ${outputs(v.label)} >/dev/null 2>&1` })),
], 1);
const dBig = await readStats([big]);

const ratio = (x, y) => (x / y).toFixed(2);
const find = (rows, prefix) => rows.find((r) => r.name.startsWith(prefix));
const node0 = find(a, 'node -e 0');
const node0Bare = find(a, 'node -e 0, without');
const readelfTree = find(b, 'readelf');
const verdict = (ok) => (ok ? '**met**' : '**not met**');
const row = (r) => `| ${r.name} | ${r.wall.toFixed(3)} | ${r.cpu.toFixed(3)} | ${r.rss.toFixed(1)} |`;
const now = new Date().toISOString().slice(0, 16).replace('T', ' ');
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${execFileSync('readelf', ['--version']).toString().split('\n')[0]}`;
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const perVersion = (rows, prefix, line) => versions.map((v) => line(v.label, find(rows, `${v.label}: ${prefix}`))).join('\n');
const imageDoc = join(root, 'docs', 'benchmarks-images.md');
// The target's line and the list of archives under it.
const imageLine = (() => {
  if (!existsSync(imageDoc)) return undefined;
  const lines = readFileSync(imageDoc, 'utf8').split('\n');
  const at = lines.findIndex((line) => line.startsWith('Target (issue 15)'));
  if (at < 0) return undefined;
  let end = at + 1;
  if (lines[end] === '') end++;
  while (lines[end]?.startsWith('- ')) end++;
  return lines.slice(at, end).join('\n').trimEnd();
})();

const table = `<!-- bench:start (written by npm run bench; do not edit by hand) -->
Measured ${now} UTC on ${machine}; load average at the end ${load} (other jobs shared the 2 cores:
compare ratios within this run, not absolute times across runs).
Medians of ${repsA} runs for (a), ${repsB} for (b), one run per row for (c), interleaved; peak memory is the largest max RSS seen.
${before === undefined ? '' : `"before" is \`${before}\`, "after" this checkout, in the same run.\n`}
### (a) one file: \`${big}\` (${(bigSize / 1e6).toFixed(1)} MB)

| command | wall s | CPU s | peak MB |
|---|---:|---:|---:|
${a.map(row).join('\n')}

${extraCerts
  ? `${perVersion(a, 'glibc-floor check --floor 2.36, without', (label, r) => `- ${label}: check / \`node -e 0\`, both without NODE_EXTRA_CA_CERTS: **${ratio(r.wall, node0Bare.wall)}x** wall, ${ratio(r.cpu, node0Bare.cpu)}x CPU. Target ≤ 1.25x wall: ${verdict(r.wall <= 1.25 * node0Bare.wall)}`)}
${perVersion(a, 'glibc-floor check --floor 2.36', (label, r) => `- ${label}: check / \`node -e 0\` as this environment runs them (NODE_EXTRA_CA_CERTS set, which every Node process pays): ${ratio(r.wall, node0.wall)}x wall, ${ratio(r.cpu, node0.cpu)}x CPU`)}`
  : perVersion(a, 'glibc-floor check', (label, r) => `- ${label}: check / \`node -e 0\`: **${ratio(r.wall, node0.wall)}x** wall, ${ratio(r.cpu, node0.cpu)}x CPU. Target ≤ 1.25x wall: ${verdict(r.wall <= 1.25 * node0.wall)}`)}
- bytes read from it: ${dBig.bytes} in ${dBig.reads} reads

### (b) a tree of ELF files: the ${tree.count} ELF files of \`${sources.join(' ')}\` (${(tree.bytes / 1e6).toFixed(0)} MB), hard-linked into one tree

| command | wall s | CPU s | peak MB |
|---|---:|---:|---:|
${b.map(row).join('\n')}

${perVersion(b, 'glibc-floor show', (label, r) => `- ${label}: show / readelf: **${ratio(r.wall, readelfTree.wall)}x** wall, ${ratio(r.cpu, readelfTree.cpu)}x CPU. Target ≤ 0.5x wall: ${verdict(r.wall <= 0.5 * readelfTree.wall)}`)}

### (c) peak memory: \`check --floor 2.36 ... --format json --output F --report junit=F --report sarif=F\`

| command | wall s | CPU s | peak MB |
|---|---:|---:|---:|
${c.map(row).join('\n')}

${versions.map((v) => { const most = Math.max(...c.filter((r) => r.name.startsWith(`${v.label}:`)).map((r) => r.rss)); return `- ${v.label}: largest peak **${most.toFixed(0)} MB**. Target ≤ 100 MB: ${verdict(most <= 100)}`; }).join('\n')}

### (d) a 1 GB image archive

${imageLine ?? 'Not measured in this run: `npm run bench:image` measures it (docs/benchmarks-images.md).'}
<!-- bench:end -->`;

rmSync(scratch, { recursive: true, force: true });
const docPath = join(root, 'docs', 'benchmarks.md');
mkdirSync(join(root, 'docs'), { recursive: true });
const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n\n<!-- bench:start --><!-- bench:end -->\n';
const start = doc.indexOf('<!-- bench:start');
const end = doc.indexOf('<!-- bench:end -->');
const updated = start >= 0 && end >= 0 ? doc.slice(0, start) + table + doc.slice(end + '<!-- bench:end -->'.length) : `${doc}\n${table}\n`;
writeFileSync(docPath, updated);
console.log(table);
