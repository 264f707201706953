/**
 * The libraries a system offers its programs, as the dynamic loader sees them: per machine, per
 * soname, the version nodes each library defines in `.gnu.version_d`. This is the shape every
 * "exact floor" comes in: a directory or sysroot (`--floor-from`), the catalogue's generated sets
 * from real Debian packages, or an image filesystem built by another input module.
 */
import type { DefinedSymbol, ElfFile } from '../elf/types.js';
import { compareVersions, parseVersionName } from '../versions/version-name.js';

/** LibraryVersions is what one shared library offers the loader. */
export interface LibraryVersions {
  readonly soname: string;
  /**
   * The version names its `.gnu.version_d` defines (the VER_FLG_BASE entry, which names the file,
   * is left out), or null when the library has no DT_VERDEF: glibc's loader then satisfies every
   * need on it silently (glibc elf/dl-version.c, `match_symbol`).
   */
  readonly versions: ReadonlySet<string> | null;
  /** Where it was read from, for messages; absent for generated data. */
  readonly path?: string;
  /** The symbols it defines, per version node, when its `.dynsym` was read (real systems, not the catalogue). */
  readonly symbols?: LibrarySymbols;
  /** Its DT_NEEDED entries: the libraries the loader brings in with it. */
  readonly needed?: readonly string[];
}

/**
 * LibrarySymbols is a library's dynamic symbol table as the loader matches it: one hash set of
 * names per version node (hidden, non-default definitions included: a reference to `sym@VER`
 * binds them), plus the unversioned definitions, which any versioned reference may bind
 * (glibc `elf/dl-lookup.c` check_match).
 */
export interface LibrarySymbols {
  readonly byVersion: ReadonlyMap<string, ReadonlySet<string>>;
  readonly unversioned: ReadonlySet<string>;
}

/** MachineLibraries maps soname to library for one machine (`x86_64`, `aarch64`, ...). */
export type MachineLibraries = ReadonlyMap<string, LibraryVersions>;

/**
 * SystemLibraries is a set of libraries by machine. `complete` says whether it holds all of the
 * system's libraries (a real tree or image: a needed library absent from it is missing there) or
 * only some (the catalogue's sets hold glibc and the C++ runtime only: absence proves nothing).
 */
export interface SystemLibraries {
  /** A name for reports: a target name, or the path given to `--floor-from`. */
  readonly label: string;
  readonly complete: boolean;
  readonly byMachine: ReadonlyMap<string, MachineLibraries>;
}

/** A library file that has been read, as fed to librariesFromElfFiles. */
export interface ReadLibrary {
  /** The file's path (inside the tree or image), used when it has no DT_SONAME. */
  readonly path: string;
  readonly elf: ElfFile;
}

/**
 * librariesFromElfFiles groups read libraries by machine and soname, the key the loader matches a
 * need's `vn_file` against. The first file seen for a (machine, soname) wins, so callers pass files
 * in search order. Files that are not shared objects are ignored.
 */
export function librariesFromElfFiles(label: string, files: Iterable<ReadLibrary>, complete = true): SystemLibraries {
  const byMachine = new Map<string, Map<string, LibraryVersions>>();
  for (const { path, elf } of files) {
    if (elf.type !== 'DYN') continue;
    const soname = elf.soname ?? baseName(path);
    const machine = byMachine.get(elf.machine) ?? new Map<string, LibraryVersions>();
    byMachine.set(elf.machine, machine);
    if (machine.has(soname)) continue;
    const symbols = elf.definedSymbols === undefined ? undefined : librarySymbols(elf.definedSymbols);
    machine.set(soname, { soname, versions: definedVersions(elf), path, needed: elf.needed, ...(symbols !== undefined ? { symbols } : {}) });
  }
  return { label, complete, byMachine };
}

/** librarySymbols builds the per-version hash sets from the symbols a library defines. */
export function librarySymbols(defined: readonly DefinedSymbol[]): LibrarySymbols {
  const byVersion = new Map<string, Set<string>>();
  const unversioned = new Set<string>();
  for (const symbol of defined) {
    if (symbol.version === null) {
      unversioned.add(symbol.name);
      continue;
    }
    const names = byVersion.get(symbol.version) ?? new Set<string>();
    byVersion.set(symbol.version, names);
    names.add(symbol.name);
  }
  return { byVersion, unversioned };
}

/** definedVersions lists the version nodes a library defines, or null when it defines none. */
export function definedVersions(elf: ElfFile): ReadonlySet<string> | null {
  if (elf.versionDefinitions.length === 0) return null;
  return new Set(elf.versionDefinitions.filter((definition) => !definition.base).map((definition) => definition.name));
}

function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? path : path.slice(slash + 1);
}

/**
 * glibcReleaseOf tells a system's glibc release for a machine from its libc's version nodes: the
 * newest GLIBC_x.y node libc.so.6 (libc.so.6.1 on alpha) defines. A release that added no libc
 * symbol has no node of its own (x86_64 2.37, 2.40), so this is the release at least; 2.41 and the
 * loader-era rule that starts there have their node. Undefined when the system has no libc there.
 */
export function glibcReleaseOf(libraries: SystemLibraries, machine: string): number[] | undefined {
  const libc = libraries.byMachine.get(machine)?.get('libc.so.6') ?? libraries.byMachine.get(machine)?.get('libc.so.6.1');
  let newest: number[] | undefined;
  for (const version of libc?.versions ?? []) {
    const parts = parseVersionName(version);
    if (parts.family !== 'GLIBC' || parts.parts === null) continue;
    if (newest === undefined || compareVersions(parts.parts, newest) > 0) newest = [...parts.parts];
  }
  return newest;
}
