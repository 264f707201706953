import { compareVersions, formatVersion, parseDottedVersion } from '../versions/version-name.js';

/**
 * How to build for one machine against an older glibc: the GNU triple of its cross compiler, the
 * `zig cc` target, and builder images whose glibc is known. Data only; `buildAdvice` picks what fits
 * a floor. Nothing here is shown for another machine: an aarch64 binary is never told to use an
 * x86_64 image or target.
 *
 * Sources:
 * - manylinux images per machine: pypa/manylinux README @ad3c453 (2026-06-28): manylinux2014 (2.17)
 *   and manylinux_2_28 / manylinux_2_34 for x86_64, i686, aarch64, ppc64le, s390x; manylinux_2_31 and
 *   manylinux_2_35 for armv7l only (Ubuntu based); manylinux_2_39 for aarch64 and riscv64 only.
 *   No loongarch64 image.
 * - `zig cc -target <triple>.<glibc>`: ziglang/zig lib/libc/glibc/README.md and
 *   lib/std/zig/target.zig `available_libcs` (x86, arm gnueabihf, aarch64 from 2.17, riscv64,
 *   powerpc64le, s390x, loongarch64 from 2.36).
 * - distribution images: the glibc of each release from the target catalogue (src/targets);
 *   Debian 11 and 12 are released for amd64, arm64, armel, armhf, i386, ppc64el and s390x, and
 *   Debian 13 adds riscv64 (debian.org/releases/<release>/ release notes, "supported architectures").
 *   On a Debian image `apt-get install gcc-<triple>` gives a cross compiler with that release's glibc.
 * - the oldest glibc of each machine: glibc sysdeps/unix/sysv/linux/<arch>/libc.abilist.
 */
export interface Toolchain {
  /** The name people use for the machine: x86_64, i686, aarch64, armhf, armel, ppc64le, s390x, riscv64, loongarch64. */
  readonly name: string;
  /** The GNU triple of Debian's cross compiler (`gcc-<triple>`). */
  readonly triple: string;
  /** The `zig cc -target` triple without the glibc version; absent where zig has no glibc for it. */
  readonly zig?: string;
  /** The oldest glibc release the machine has (its first GLIBC_ version node). */
  readonly oldestGlibc: string;
  /** Builder images with their glibc, oldest first. */
  readonly images: readonly BuilderImage[];
}

export interface BuilderImage {
  readonly image: string;
  readonly glibc: string;
  /** True for a Debian image, where `apt-get install gcc-<triple>` gives a cross compiler with this glibc. */
  readonly debianCross?: boolean;
}

const debian = (release: string, glibc: string): BuilderImage => ({ image: `debian:${release}`, glibc, debianCross: true });
const manylinux = (tag: string, glibc: string, arch: string): BuilderImage => ({ image: `quay.io/pypa/${tag}_${arch}`, glibc });
/** The images of the machines manylinux builds every policy for, with Debian 11 and 12 between them. */
const everyPolicy = (arch: string): BuilderImage[] => [
  manylinux('manylinux2014', '2.17', arch),
  manylinux('manylinux_2_28', '2.28', arch),
  debian('11', '2.31'),
  manylinux('manylinux_2_34', '2.34', arch),
  debian('12', '2.36'),
];

export const TOOLCHAINS: readonly Toolchain[] = [
  {
    name: 'x86_64',
    triple: 'x86_64-linux-gnu',
    zig: 'x86_64-linux-gnu',
    oldestGlibc: '2.2.5',
    images: everyPolicy('x86_64'),
  },
  {
    name: 'i686',
    triple: 'i686-linux-gnu',
    zig: 'x86-linux-gnu',
    oldestGlibc: '2.0',
    images: everyPolicy('i686'),
  },
  {
    name: 'aarch64',
    triple: 'aarch64-linux-gnu',
    zig: 'aarch64-linux-gnu',
    oldestGlibc: '2.17',
    images: [...everyPolicy('aarch64'), manylinux('manylinux_2_39', '2.39', 'aarch64')],
  },
  {
    name: 'armhf',
    triple: 'arm-linux-gnueabihf',
    zig: 'arm-linux-gnueabihf',
    oldestGlibc: '2.4',
    images: [debian('11', '2.31'), manylinux('manylinux_2_31', '2.31', 'armv7l'), manylinux('manylinux_2_35', '2.35', 'armv7l'), debian('12', '2.36')],
  },
  {
    name: 'armel',
    triple: 'arm-linux-gnueabi',
    zig: 'arm-linux-gnueabi',
    oldestGlibc: '2.4',
    images: [debian('11', '2.31'), debian('12', '2.36')],
  },
  {
    name: 'ppc64le',
    triple: 'powerpc64le-linux-gnu',
    zig: 'powerpc64le-linux-gnu',
    oldestGlibc: '2.17',
    images: everyPolicy('ppc64le'),
  },
  {
    name: 's390x',
    triple: 's390x-linux-gnu',
    zig: 's390x-linux-gnu',
    oldestGlibc: '2.2',
    images: everyPolicy('s390x'),
  },
  {
    name: 'riscv64',
    triple: 'riscv64-linux-gnu',
    zig: 'riscv64-linux-gnu',
    oldestGlibc: '2.27',
    images: [manylinux('manylinux_2_39', '2.39', 'riscv64'), debian('13', '2.41')],
  },
  {
    name: 'loongarch64',
    triple: 'loongarch64-linux-gnu',
    zig: 'loongarch64-linux-gnu',
    oldestGlibc: '2.36',
    images: [],
  },
];

/** What buildAdvice needs to know about a binary: its machine and, for arm, its loader (hard or soft float). */
export interface MachineOf {
  readonly machine: string;
  readonly interpreter: string | null;
}

/**
 * toolchainFor names the toolchain entry of a binary's machine. 32-bit arm is armhf or armel by its
 * loader (`ld-linux-armhf.so.3` vs `ld-linux.so.3`); the reader calls i686 `i386`.
 */
export function toolchainFor({ machine, interpreter }: MachineOf): Toolchain | undefined {
  const name = machine === 'arm' ? (interpreter !== null && !interpreter.includes('armhf') ? 'armel' : 'armhf') : machine === 'i386' ? 'i686' : machine;
  return TOOLCHAINS.find((toolchain) => toolchain.name === name);
}

/**
 * buildAdvice says, for one machine, how to build against glibc `floor` (a dotted version) or
 * older: the newest builder images at or below it, a Debian cross compiler, and `zig cc`. Without a
 * floor it names the toolchain without versions. Unknown machines get a generic sentence.
 */
export function buildAdvice(of: MachineOf, floor?: string): string {
  const toolchain = toolchainFor(of);
  if (toolchain === undefined) return `${of.machine}: build with a cross compiler whose sysroot has the oldest glibc you support`;
  const parts = parseDottedVersion(floor ?? '');
  if (parts === null) {
    const zig = toolchain.zig === undefined ? '' : `, or \`zig cc -target ${toolchain.zig}.<glibc>\``;
    return `${toolchain.name}: a builder image or sysroot with the oldest glibc you support (cross compiler ${toolchain.triple}-gcc)${zig}`;
  }
  const target = formatVersion(parts);
  if (compareVersions(parts, parseDottedVersion(toolchain.oldestGlibc)!) < 0) {
    return `${toolchain.name}: no glibc older than ${toolchain.oldestGlibc} exists for this machine, so glibc ${target} cannot be met`;
  }
  const fitting = toolchain.images.filter((image) => compareVersions(parseDottedVersion(image.glibc)!, parts) <= 0);
  // The newest image of each kind at or below the floor: the oldest would work too, but it drags in the oldest compiler.
  const newestManylinux = fitting.filter((image) => image.debianCross !== true).at(-1);
  const newestDebian = fitting.filter((image) => image.debianCross === true).at(-1);
  const ways: string[] = [];
  if (newestManylinux !== undefined) ways.push(`build in ${newestManylinux.image} (glibc ${newestManylinux.glibc})`);
  if (newestDebian !== undefined) {
    // Debian's cross compiler packages spell the triple with '-' (gcc-x86-64-linux-gnu); x86_64 builders are native.
    const cross = toolchain.name === 'x86_64' ? '' : `, natively or with the cross compiler gcc-${toolchain.triple.replaceAll('_', '-')}`;
    ways.push(`build on ${newestDebian.image} (glibc ${newestDebian.glibc})${cross}`);
  }
  if (toolchain.zig !== undefined) ways.push(`\`zig cc -target ${toolchain.zig}.${target}\``);
  if (ways.length === 0) ways.push(`a ${toolchain.triple} sysroot with glibc ${target} or older (no builder image known)`);
  return `${toolchain.name}: ${ways.join(', or ')}`;
}
