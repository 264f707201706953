/**
 * The needed-library policy (`--allow-lib`): a file that needs (DT_NEEDED) a library outside the
 * allowed patterns fails, naming the library. `glibc-only` names glibc's own libraries and the
 * dynamic loaders of every architecture (glibc shlib-versions and elf/dl-version.c).
 */
import picomatch from 'picomatch';
import { UsageError } from '../errors/usage-error.js';

/** The libraries glibc installs that programs link against, and every architecture's dynamic loader. */
export const GLIBC_ONLY = [
  'libc.so.6', 'libm.so.6', 'libpthread.so.0', 'libdl.so.2', 'librt.so.1', 'libresolv.so.2', 'libutil.so.1', 'libanl.so.1',
  // Alpha (and the removed IA-64 port) spell libc and libm with a .1 suffix.
  'libc.so.6.1', 'libm.so.6.1',
  // Dynamic loaders (glibc shlib-versions).
  'ld-linux-x86-64.so.2', 'ld-linux.so.2', 'ld-linux-x32.so.2', 'ld-linux-aarch64.so.1', 'ld-linux-aarch64_be.so.1',
  'ld-linux-armhf.so.3', 'ld-linux.so.3', 'ld64.so.2', 'ld64.so.1', 'ld-linux-riscv64-lp64d.so.1', 'ld-linux-riscv64-lp64.so.1',
  'ld-linux-loongarch-lp64d.so.1', 'ld.so.1', 'ld-linux-mipsn8.so.1', 'ld-linux-arc.so.2', 'ld-linux-or1k.so.1',
] as const;

/** Named sets `--allow-lib` accepts besides patterns. */
export const NAMED_LIBRARY_SETS: Readonly<Record<string, readonly string[]>> = { 'glibc-only': GLIBC_ONLY };

/** LibraryPolicy is the compiled allow list; `patterns` keeps what the user wrote, for reports. */
export interface LibraryPolicy {
  readonly patterns: readonly string[];
  allows(library: string): boolean;
}

/**
 * compileLibraryPolicy reads `--allow-lib` values: a named set (`glibc-only`) or a glob over the
 * soname (`libssl.so.*`, `lib[cm].so.6`), matched with picomatch as the waivers' path globs are.
 */
export function compileLibraryPolicy(values: readonly string[]): LibraryPolicy | undefined {
  if (values.length === 0) return undefined;
  const patterns: string[] = [];
  for (const value of values) {
    if (value.trim() === '') throw new UsageError('--allow-lib needs a library name or pattern');
    patterns.push(...(NAMED_LIBRARY_SETS[value] ?? [value]));
  }
  const matches = picomatch(patterns, { dot: true });
  return { patterns: [...values], allows: (library) => matches(library) };
}

/** isMuslLoader: musl's loader is `ld-musl-<arch>.so.1`, and Alpine names libc `libc.musl-<arch>.so.1` (musl's ldso/ and Alpine's musl package). */
export function isMuslBinary(interpreter: string | null, needed: readonly string[]): boolean {
  const base = interpreter === null ? '' : interpreter.slice(interpreter.lastIndexOf('/') + 1);
  return base.startsWith('ld-musl-') || needed.some((library) => library.startsWith('ld-musl-') || library.startsWith('libc.musl-'));
}
