#!/usr/bin/env node
// gen-glibc-symbols: regenerate src/symbols/glibc-symbols.generated.ts, the glibc symbol database
// that maps each symbol an object file or static archive leaves undefined to the version a link
// against glibc would bind it to, per architecture.
//
// Source: glibc's own ABI lists, `sysdeps/unix/sysv/linux/**/<library>.abilist`, read at a release
// tag of glibc's git repository (https://sourceware.org/git/glibc.git; the GitHub mirror
// bminor/glibc holds the same tags). Each abilist line is `VERSION SYMBOL TYPE [SIZE]`: every version
// a symbol has ever had on that architecture, compat versions included.
//
// Which version: a link binds a symbol to the default version of the glibc it links against, so an
// object's undefined `fmod` becomes fmod@GLIBC_2.38 on a 2.38+ builder and fmod@GLIBC_2.2.5 on an
// older one. What the object itself imposes on every link is the symbol's oldest version: no glibc
// before it has the symbol at all (`__isoc23_strtol` 2.38, `arc4random` 2.36), and any glibc from it
// on can link it. (Taking the newest version instead made Debian 12's own libtinfo.a "need" 2.42
// for cfgetospeed, which 2.42 re-versioned.) The oldest version is also the one a symbol's first
// glibc bound by default: test/symbols/glibc-symbols.test.ts checks it against every GLIBC symbol this
// machine's libc.so.6 and friends define (read with glibc-floor's own reader).
//
// Which library: glibc 2.34 moved libpthread, libdl, libutil, libanl and parts of librt into libc,
// and the newer ABI lists keep the old versions under libc only. The library of a symbol's oldest
// version is therefore read from BASE_TAG (default glibc-2.33, the last release before the move),
// where `pthread_clockjoin_np@GLIBC_2.31` is still libpthread.so.0's (Debian 11's libc.so.6 has no
// GLIBC_2.31 node), and from TAG for symbols BASE_TAG does not have.
//
// Architectures: the directory holding a libc.abilist is one ABI; libraries found in it or in a
// parent directory (nearest first) belong to it, as in glibc's own sysdeps search. Its baseline is
// the oldest version in its libc.abilist. Sonames come from the shlib-versions files from the top
// down to it (`libc=6` -> libc.so.6; `ld=NAME`, the last one of a file being the default branch of
// its %ifdef).
//
// Encoding (the file must stay small): a common table, symbol -> (library, version), holding what
// predicts most architectures, an architecture's version being max(common version, its baseline)
// (the baseline is its oldest version: GLIBC_2.2.5 on x86_64, 2.17 on aarch64); then, per
// architecture, its baseline, sonames, and only the entries the common table does not predict
// (changed or added) and the common symbols it lacks.
//
// Usage: node scripts/gen-glibc-symbols.mjs GLIBC_GIT_DIR TAG [BASE_TAG]
//   e.g. node scripts/gen-glibc-symbols.mjs /path/to/glibc/.git glibc-2.42 glibc-2.33
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [gitDir, tag, baseTag = 'glibc-2.33'] = process.argv.slice(2);
if (gitDir === undefined || tag === undefined) {
  console.error('usage: node scripts/gen-glibc-symbols.mjs GLIBC_GIT_DIR TAG [BASE_TAG]');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
const commit = git('rev-parse', `${tag}^{commit}`).trim();
const release = /^glibc-(\d+\.\d+)$/.exec(tag)?.[1];
if (release === undefined) throw new Error(`${tag} is not a release tag (glibc-X.Y)`);

/** The libraries a program or object is linked against (the sonames of glibc's shlib-versions), not libthread_db or NSS modules. */
const LIBRARIES = ['libc', 'libm', 'libpthread', 'libdl', 'librt', 'libresolv', 'libutil', 'libanl', 'libmvec', 'ld'];
/** glibc's default sonames, as in the top-level shlib-versions. */
const DEFAULT_SONAMES = { libc: 'libc.so.6', libm: 'libm.so.6', libpthread: 'libpthread.so.0', libdl: 'libdl.so.2', librt: 'librt.so.1', libresolv: 'libresolv.so.2', libutil: 'libutil.so.1', libanl: 'libanl.so.1', libmvec: 'libmvec.so.1' };

/**
 * The ABI directories, named as glibc-floor's ELF reader names machines (src/elf/constants.ts
 * machineName). Where one machine name covers several ABIs, the common one is taken: MIPS o32 with
 * an FPU for 32-bit MIPS (n32 objects are read as mips too), hard-float 32-bit PowerPC, m680x0,
 * little-endian sh and microblaze, little-endian ARM (armhf and armel share the list).
 */
const ABIS = {
  'x86_64/64': ['x86_64'], 'x86_64/x32': ['x32'], i386: ['i386'], aarch64: ['aarch64', 'aarch64_be'], alpha: ['alpha'], arc: ['arc'],
  'arm/le': ['arm'], csky: ['csky'], hppa: ['hppa'], 'loongarch/lp64': ['loongarch64'], 'm68k/m680x0': ['m68k'], 'microblaze/le': ['microblaze'],
  'mips/mips32/fpu': ['mips', 'mipsel'], 'mips/mips64/n64': ['mips64', 'mips64el'], or1k: ['or1k'], 'powerpc/powerpc32/fpu': ['ppc'],
  'powerpc/powerpc64/be': ['ppc64'], 'powerpc/powerpc64/le': ['ppc64le'], 'riscv/rv32': ['riscv32'], 'riscv/rv64': ['riscv64'],
  's390/s390-32': ['s390'], 's390/s390-64': ['s390x'], 'sh/le': ['sh'], 'sparc/sparc32': ['sparc'], 'sparc/sparc64': ['sparc64'],
};
const ROOT = 'sysdeps/unix/sysv/linux';

/**
 * Loader names where shlib-versions chooses between several with %ifdef (hard or soft float, byte
 * order, ELFv1 or ELFv2): the default each distribution ships, as written in
 * sysdeps/unix/sysv/linux/{aarch64,arm,loongarch,mips,powerpc/powerpc64,riscv}/shlib-versions.
 * Other machines take the one shlib-versions gives.
 */
const LOADERS = {
  aarch64: 'ld-linux-aarch64.so.1', aarch64_be: 'ld-linux-aarch64_be.so.1', arm: 'ld-linux-armhf.so.3',
  loongarch64: 'ld-linux-loongarch-lp64d.so.1', ppc64: 'ld64.so.1', ppc64le: 'ld64.so.2',
  riscv32: 'ld-linux-riscv32-ilp32d.so.1', riscv64: 'ld-linux-riscv64-lp64d.so.1', mips: 'ld.so.1', mipsel: 'ld.so.1', mips64: 'ld.so.1', mips64el: 'ld.so.1',
};

const listing = (at) => new Set(git('ls-tree', '-r', '--name-only', at, ROOT, 'sysdeps', 'shlib-versions').split('\n'));
const filesAt = { [tag]: listing(tag), [baseTag]: listing(baseTag) };
const ancestors = (dir) => {
  const parts = dir.split('/');
  return parts.map((_, i) => `${ROOT}/${parts.slice(0, parts.length - i).join('/')}`).concat(ROOT);
};

const parseVersion = (name) => {
  const match = /^GLIBC_(\d+(?:\.\d+)*)$/.exec(name);
  return match === null ? undefined : match[1];
};
const compare = (a, b) => {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

/** readAbi returns symbol -> { library, version } (the oldest version; libc wins a tie) for one ABI at one tag. */
function readAbi(dir, at) {
  const files = filesAt[at];
  const show = (path) => git('show', `${at}:${path}`);
  const symbols = new Map();
  const sonames = { ...DEFAULT_SONAMES };
  let baseline;
  // The top level, the CPU's own sysdeps directory (sysdeps/m68k), then the Linux ones down to the ABI.
  for (const directory of ['.', `sysdeps/${dir.split('/')[0]}`, ...ancestors(dir).reverse()]) {
    const path = directory === '.' ? 'shlib-versions' : `${directory}/shlib-versions`;
    if (!files.has(path)) continue;
    for (const line of show(path).split('\n')) {
      const fields = line.replace(/#.*/, '').trim().split(/\s+/);
      const assignment = /^([A-Za-z_]+)=(\S+)$/.exec(fields[0] ?? '');
      if (assignment === null) continue;
      const [, library, value] = assignment;
      if (library === 'ld') sonames.ld = value;
      else if (library in DEFAULT_SONAMES) sonames[library] = `${library}.so.${value}`;
    }
  }
  if (sonames.ld === undefined) throw new Error(`${dir}: no ld= in shlib-versions`);
  for (const library of LIBRARIES) {
    const path = ancestors(dir).map((d) => `${d}/${library}.abilist`).find((p) => files.has(p));
    if (path === undefined) continue;
    for (const line of show(path).split('\n')) {
      const [versionName, symbol] = line.trim().split(/\s+/);
      const version = parseVersion(versionName ?? '');
      if (version === undefined || symbol === undefined || symbol === versionName) continue;
      const known = symbols.get(symbol);
      const older = known === undefined || compare(version, known.version) < 0 || (compare(version, known.version) === 0 && library === 'libc' && known.library !== 'libc');
      if (older) symbols.set(symbol, { library, version });
      // The baseline is the oldest version of the architecture's libc (GLIBC_2.2.5 on x86_64).
      if (library === 'libc' && (baseline === undefined || compare(version, baseline) < 0)) baseline = version;
    }
  }
  if (baseline === undefined) throw new Error(`${dir}: no libc.abilist`);
  return { baseline, sonames, symbols };
}

/**
 * readMerged reads an ABI at TAG and, where it exists, at BASE_TAG: each symbol keeps its oldest
 * version, and where both releases have that version the library BASE_TAG gives (its place before
 * the 2.34 merge).
 */
function readMerged(dir) {
  const current = readAbi(dir, tag);
  if (!filesAt[baseTag].has(`${ROOT}/${dir}/libc.abilist`)) return current;
  const base = readAbi(dir, baseTag);
  const symbols = new Map(current.symbols);
  for (const [symbol, old] of base.symbols) {
    const now = symbols.get(symbol);
    if (now === undefined || compare(old.version, now.version) <= 0) symbols.set(symbol, old);
  }
  return { ...current, baseline: compare(base.baseline, current.baseline) < 0 ? base.baseline : current.baseline, symbols };
}

const abis = Object.entries(ABIS).map(([dir, machines]) => ({ dir, machines, ...readMerged(dir) }));

// The common table keeps, per symbol, the (library, version) that predicts most architectures,
// where an architecture's version is predicted as max(common version, its baseline).
const max = (a, b) => (compare(a, b) >= 0 ? a : b);
const predicts = (abi, candidate, entry) => candidate.library === entry.library && max(candidate.version, abi.baseline) === entry.version;
const common = new Map();
for (const symbol of new Set(abis.flatMap((abi) => [...abi.symbols.keys()]))) {
  const candidates = new Map();
  for (const abi of abis) {
    const entry = abi.symbols.get(symbol);
    if (entry !== undefined) candidates.set(`${entry.library} ${entry.version}`, entry);
  }
  let best;
  let bestCount = 0;
  for (const [key, candidate] of [...candidates].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const count = abis.filter((abi) => abi.symbols.has(symbol) && predicts(abi, candidate, abi.symbols.get(symbol))).length;
    if (count > bestCount) [best, bestCount] = [key, count];
  }
  if (bestCount * 2 >= abis.length) common.set(symbol, best);
}

/** group writes "library version:symbols..." lines, sorted, for a list of [symbol, "library version"]. */
function group(entries) {
  const byKey = new Map();
  for (const [symbol, key] of entries) byKey.set(key, [...(byKey.get(key) ?? []), symbol]);
  return [...byKey].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([key, symbols]) => `${key}:${symbols.sort().join(' ')}`).join('\n');
}

const arches = {};
for (const abi of abis) {
  const changed = [];
  for (const [symbol, entry] of abi.symbols) {
    const key = common.get(symbol);
    const [library, version] = key?.split(' ') ?? [];
    if (key === undefined || !predicts(abi, { library, version }, entry)) changed.push([symbol, `${entry.library} ${entry.version}`]);
  }
  const missing = [...common.keys()].filter((symbol) => !abi.symbols.has(symbol)).sort();
  const { ld, ...sonames } = abi.sonames;
  const [first, ...others] = abi.machines;
  arches[first] = { abi: abi.dir, baseline: abi.baseline, loader: LOADERS[first] ?? ld, sonames: differingSonames(sonames), changed: group(changed), missing: missing.join(' ') };
  // Machines of one ABI (both byte orders) share its table; only the loader's name differs.
  for (const machine of others) arches[machine] = { sameAs: first, loader: LOADERS[machine] ?? ld };
}

function differingSonames(sonames) {
  return Object.fromEntries(Object.entries(sonames).filter(([library, soname]) => DEFAULT_SONAMES[library] !== soname));
}

const baseCommit = git('rev-parse', `${baseTag}^{commit}`).trim();
const data = { release, tag, commit, baseTag, baseCommit, libraries: LIBRARIES, common: group([...common]), arches };
const digest = createHash('sha256').update(JSON.stringify(data)).digest('hex');
const out = fileURLToPath(new URL('../src/symbols/glibc-symbols.generated.ts', import.meta.url));
writeFileSync(
  out,
  `// GENERATED by scripts/gen-glibc-symbols.mjs from glibc ${release} (${tag}, commit ${commit}): do not edit.\n` +
    `// Source: sysdeps/unix/sysv/linux/**/{${LIBRARIES.join(',')}}.abilist and shlib-versions of glibc's git repository.\n` +
    `// The digest is sha256 of JSON.stringify of the data; test/symbols/glibc-symbols.test.ts checks it.\n` +
    `import type { GlibcSymbolData } from './glibc-symbol-data.js';\n\n` +
    `export const GLIBC_SYMBOLS_DIGEST = '${digest}';\n\n` +
    `export const GLIBC_SYMBOLS: GlibcSymbolData = ${JSON.stringify(data, null, 1)};\n`,
);
console.log(`wrote ${out}: glibc ${release}, ${common.size} common symbols, ${abis.length} ABIs`);
