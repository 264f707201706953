/**
 * Pure classification of a binary's C library linkage from facts the detectors gathered. Kept
 * free of I/O so every rule is testable with plain data.
 */

/**
 * The kinds, by what the program needs from a C library at run time:
 * - `glibc-dynamic`: loads glibc (`libc.so.6`, a glibc loader, or GLIBC_* needs);
 * - `glibc-static`: glibc linked in (glibc's start files or code found in the file);
 * - `musl-dynamic`: loads musl (`ld-musl-*` interpreter, `libc.musl-*` or musl-gcc's `libc.so`);
 * - `musl-static`: musl linked in (found in `.symtab`);
 * - `static`: statically linked and no C library found (e.g. `CGO_ENABLED=0` Go, `-nostdlib`);
 * - `dynamic`: dynamically linked, but no C library is named (a library linked without -lc);
 * - `other`: not a program or shared library (relocatable object, core file).
 */
export type KindName = 'glibc-dynamic' | 'glibc-static' | 'musl-dynamic' | 'musl-static' | 'static' | 'dynamic' | 'other';

/** KindFacts is what the detectors found in one file. */
export interface KindFacts {
  readonly type: string;
  readonly static: boolean;
  readonly interpreter: string | null;
  readonly needed: readonly string[];
  /** Families of the file's version needs (GLIBC, GLIBCXX, ...). */
  readonly families: readonly string[];
  /** The NT_GNU_ABI_TAG note, when present (`Linux 3.2.0`). */
  readonly abiTag?: string | undefined;
  /** Symbol names found in `.symtab` from the marker lists below. */
  readonly symtabMarkers: ReadonlySet<string>;
  /** Strings found by the bounded scan of the loaded data (see STRING_MARKERS). */
  readonly strings: ReadonlySet<string>;
  /** Whether the string scan ran, and whether its byte budget cut it short. */
  readonly scan: 'none' | 'complete' | 'truncated';
  /** A Go program built with CGO_ENABLED=0 has no C library: no scan is needed. */
  readonly goWithoutCgo: boolean;
}

/** KindVerdict is the kind with the evidence that decided it, and a warning where one is due. */
export interface KindVerdict {
  readonly name: KindName;
  readonly evidence: string;
  readonly warning?: string;
}

/** Symbols only glibc's static start-up code defines (csu/, elf/; checked against a musl build). */
export const GLIBC_SYMTAB_MARKERS = ['_IO_stdin_used', '_dl_relocate_static_pie', '__libc_start_call_main'] as const;
/** Symbols only musl defines (src/env/__libc_start_main.c). */
export const MUSL_SYMTAB_MARKERS = ['__init_libc'] as const;
/** glibc's static start-up reads this environment variable (elf/dl-tunables.c, glibc >= 2.26). */
export const GLIBC_STRING = 'GLIBC_TUNABLES';
/** Present when glibc's NSS module loader is linked in (nss/nss_module.c, nss/nsswitch.c). */
export const NSS_STRINGS = ['/etc/nsswitch.conf', 'libnss_'] as const;
export const STRING_MARKERS = [GLIBC_STRING, ...NSS_STRINGS] as const;

const MUSL_LOADER = /(^|\/)ld-musl-[^/]*$/;
const MUSL_LIBC = /^(libc\.musl-.*|libc\.so)$/;
const GLIBC_LIBC = /^libc\.so\.6(\.1)?$/;
const GLIBC_LOADER = /(^|\/)(ld-linux[^/]*\.so\.\d|ld64\.so\.\d|ld\.so\.1)$/;

/** classifyKind decides the kind. See docs/usage.md "What kind of binary it is" for the rules and their limits. */
export function classifyKind(facts: KindFacts): KindVerdict {
  if (facts.type !== 'EXEC' && facts.type !== 'DYN') return { name: 'other', evidence: `ELF type ${facts.type}` };
  return facts.static ? classifyStatic(facts) : classifyDynamic(facts);
}

function classifyDynamic(facts: KindFacts): KindVerdict {
  const interpreter = facts.interpreter ?? '';
  if (MUSL_LOADER.test(interpreter)) return { name: 'musl-dynamic', evidence: `PT_INTERP ${interpreter}` };
  const muslLibc = facts.needed.find((name) => MUSL_LIBC.test(name));
  if (muslLibc !== undefined) return { name: 'musl-dynamic', evidence: `DT_NEEDED ${muslLibc}` };
  const glibc = facts.needed.find((name) => GLIBC_LIBC.test(name));
  if (glibc !== undefined) return { name: 'glibc-dynamic', evidence: `DT_NEEDED ${glibc}` };
  if (GLIBC_LOADER.test(interpreter)) return { name: 'glibc-dynamic', evidence: `PT_INTERP ${interpreter}` };
  if (facts.families.includes('GLIBC')) return { name: 'glibc-dynamic', evidence: 'GLIBC_* version needs' };
  return { name: 'dynamic', evidence: facts.needed.length === 0 ? 'no DT_NEEDED library' : 'no C library among DT_NEEDED' };
}

function classifyStatic(facts: KindFacts): KindVerdict {
  if (facts.goWithoutCgo) return { name: 'static', evidence: 'Go build info says CGO_ENABLED=0' };
  const glibcSymbol = GLIBC_SYMTAB_MARKERS.find((name) => facts.symtabMarkers.has(name));
  let evidence: string | undefined;
  if (facts.abiTag !== undefined) evidence = `NT_GNU_ABI_TAG note (${facts.abiTag}) from glibc's start files`;
  else if (glibcSymbol !== undefined) evidence = `.symtab defines ${glibcSymbol}`;
  else if (facts.strings.has(GLIBC_STRING)) evidence = `the data holds "${GLIBC_STRING}"`;
  if (evidence !== undefined) return { name: 'glibc-static', evidence, warning: nssWarning(facts) };
  const muslSymbol = MUSL_SYMTAB_MARKERS.find((name) => facts.symtabMarkers.has(name));
  if (muslSymbol !== undefined) return { name: 'musl-static', evidence: `.symtab defines ${muslSymbol}` };
  const how = facts.scan === 'truncated' ? 'the scan of the data stopped at its byte budget' : facts.scan === 'complete' ? 'no glibc or musl marker in the notes, symbols or data' : 'no glibc or musl marker in the notes or symbols';
  return { name: 'static', evidence: `no PT_INTERP or DT_NEEDED; ${how}` };
}

function nssWarning(facts: KindFacts): string {
  const found = NSS_STRINGS.filter((text) => facts.strings.has(text));
  const base = 'static glibc: NSS functions (getaddrinfo, getpwnam, getgrnam, ...) still dlopen the libnss_* modules of the glibc installed on the host at run time, which must be the same glibc release as the build';
  if (found.length > 0) return `${base}; this file contains NSS code ("${found[0]}")`;
  if (facts.scan === 'complete') return `${base}; no NSS code was found in this file`;
  return `${base}; whether this file uses NSS was not determined`;
}
