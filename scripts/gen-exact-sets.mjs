#!/usr/bin/env node
// gen-exact-sets: regenerate src/targets/exact-sets.generated.ts, the exact version sets of the
// catalogue's Debian targets, from the real packages in Debian's archive.
//
// For each suite and architecture it downloads libc6, libstdc++6 and libgcc-s1 with apt (a private
// apt state under a temporary directory, so the machine's own sources and dpkg status are not
// touched), extracts them with dpkg-deb -x, and reads every library's .gnu.version_d with
// glibc-floor's own reader (dist/libraries/read-tree.js, the same code --floor-from runs).
//
// Usage (root or fakeroot not needed; network to deb.debian.org needed):
//   npm run build && node scripts/gen-exact-sets.mjs [--keep DIR] [--only debian-13,...]
// --keep DIR leaves the extracted trees in DIR/<target>/<arch>/ (the tests use one when present).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const { readSystemLibraries } = await import(join(repo, 'dist/libraries/read-tree.js'));

/** Debian releases and their suite names. buster is tried too; it has left the main mirrors. */
const SUITES = [
  { target: 'debian-10', suite: 'buster' },
  { target: 'debian-11', suite: 'bullseye' },
  { target: 'debian-12', suite: 'bookworm' },
  { target: 'debian-13', suite: 'trixie' },
];
const ARCHES = ['amd64', 'arm64', 'i386', 'armhf', 'ppc64el', 's390x', 'riscv64'];
const PACKAGES = ['libc6', 'libstdc++6', 'libgcc-s1'];
const MIRROR = 'http://deb.debian.org/debian';
const SECURITY = 'http://deb.debian.org/debian-security';
/** The libraries kept: glibc's (glibc-facts.md 1.7), its loaders (1.6), and the C++ runtime. */
const KEEP = /^(?:libc|libm|libpthread|libdl|librt|libresolv|libutil|libanl|libnsl|libmvec|libBrokenLocale|libc_malloc_debug|libstdc\+\+|libgcc_s)\.so\.|^ld-linux|^ld64\.so|^ld\.so/;

const keepIndex = process.argv.indexOf('--keep');
const keepDir = keepIndex > 0 ? process.argv[keepIndex + 1] : undefined;
const work = mkdtempSync(join(tmpdir(), 'gen-exact-sets-'));
const unreachable = [];
const out = {};

const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1]?.split(',') : undefined;
const generatedPath = join(repo, 'src/targets/exact-sets.generated.ts');
if (only !== undefined) {
  // Regenerate some targets only: keep the others from the current file.
  const current = readFileSync(generatedPath, 'utf8');
  Object.assign(out, JSON.parse(current.slice(current.indexOf('ExactSetData = ') + 'ExactSetData = '.length, current.lastIndexOf(';'))));
  const note = /^\/\/ Not reachable when generated: (.*)\.$/m.exec(current)?.[1];
  if (note !== undefined && note !== 'none') unreachable.push(...note.split(', '));
  for (const target of only) {
    delete out[target];
    for (let i = unreachable.length - 1; i >= 0; i--) if (unreachable[i].startsWith(`${target} `)) unreachable.splice(i, 1);
  }
}

/**
 * aptFor prepares a private apt state for one suite and architecture and updates it. apt rolls back
 * every index of a Release file when one of them fails (a mirror in mid-sync, "File has unexpected
 * size"), so each architecture gets its own state, and the update is retried.
 */
function aptFor(suite, debArch) {
  const state = join(work, suite, debArch);
  for (const dir of ['lists/partial', 'cache/archives/partial', 'etc', 'debs']) mkdirSync(join(state, dir), { recursive: true });
  const options = `arch=${debArch} signed-by=/usr/share/keyrings/debian-archive-keyring.gpg`;
  writeFileSync(join(state, 'etc/sources.list'), [
    `deb [${options}] ${MIRROR} ${suite} main`,
    `deb [${options}] ${MIRROR} ${suite}-updates main`,
    `deb [${options}] ${SECURITY} ${suite}-security main`,
    '',
  ].join('\n'));
  writeFileSync(join(state, 'etc/status'), '');
  const apt = [
    '-q',
    '-o', `Dir::Etc::SourceList=${join(state, 'etc/sources.list')}`,
    '-o', 'Dir::Etc::SourceParts=/nonexistent',
    '-o', `Dir::State::Lists=${join(state, 'lists')}`,
    '-o', `Dir::State::status=${join(state, 'etc/status')}`,
    '-o', `Dir::Cache=${join(state, 'cache')}`,
    '-o', 'Acquire::Languages=none',
    '-o', 'APT::Sandbox::User=root',
    '-o', `APT::Architectures::=${debArch}`,
  ];
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      execFileSync('apt-get', [...apt, 'update'], { stdio: ['ignore', 'ignore', 'pipe'] });
      break;
    } catch (error) {
      // The -security index may be missing for an architecture; the main suite is what matters.
      process.stderr.write(`${suite} ${debArch}: apt-get update attempt ${attempt} reported errors\n${String(error.stderr ?? '').split('\n').filter((l) => l.startsWith('E:')).join('\n')}\n`);
    }
  }
  return { apt, debs: join(state, 'debs') };
}

for (const { target, suite } of SUITES) {
  if (only !== undefined && !only.includes(target)) continue;
  for (const debArch of ARCHES) {
    const { apt, debs } = aptFor(suite, debArch);
    const tree = join(keepDir ?? work, 'trees', target, debArch);
    rmSync(tree, { recursive: true, force: true });
    mkdirSync(tree, { recursive: true });
    const versions = {};
    for (const pkg of PACKAGES) {
      try {
        execFileSync('apt-get', [...apt, 'download', `${pkg}:${debArch}`], { cwd: debs, stdio: ['ignore', 'ignore', 'pipe'] });
      } catch {
        continue;
      }
      const deb = readdirSync(debs).find((name) => name.startsWith(`${pkg}_`) && name.endsWith(`_${debArch}.deb`));
      if (deb === undefined) continue;
      execFileSync('dpkg-deb', ['-x', join(debs, deb), tree]);
      versions[pkg] = execFileSync('dpkg-deb', ['-f', join(debs, deb), 'Version'], { encoding: 'utf8' }).trim();
    }
    if (versions.libc6 === undefined) {
      unreachable.push(`${target} (${suite}) ${debArch}`);
      continue;
    }
    const { libraries } = await readSystemLibraries(tree);
    for (const [machine, byName] of libraries.byMachine) {
      const kept = {};
      for (const soname of [...byName.keys()].sort()) {
        if (!KEEP.test(soname)) continue;
        const library = byName.get(soname);
        kept[soname] = library.versions === null ? null : [...library.versions].join(' ');
      }
      out[target] ??= { suite, machines: {} };
      out[target].machines[machine] = { debianArch: debArch, packages: versions, libraries: kept };
    }
    process.stderr.write(`${target} ${debArch}: libc6 ${versions.libc6}\n`);
  }
}

const header = `// GENERATED by scripts/gen-exact-sets.mjs on ${new Date().toISOString().slice(0, 10)}: do not edit.
//
// Exact version sets of the catalogue's Debian targets: for each target and machine, the version
// nodes each library defines in .gnu.version_d, read with glibc-floor's own reader from the real
// packages (libc6, libstdc++6, libgcc-s1) downloaded with apt from ${MIRROR} (plus
// -updates and ${SECURITY}). The package versions read are recorded per machine. A library mapped to null has no
// version definitions (the loader accepts any need on it).
// Not reachable when generated: ${unreachable.length === 0 ? 'none' : unreachable.join(', ')}.
import type { ExactSetData } from './exact-set-data.js';
`;
const body = `export const EXACT_SETS: ExactSetData = ${JSON.stringify(out, null, 1)};\n`;
writeFileSync(generatedPath, header + '\n' + body);
rmSync(work, { recursive: true, force: true });
process.stderr.write(`wrote src/targets/exact-sets.generated.ts; unreachable: ${unreachable.join(', ') || 'none'}\n`);
