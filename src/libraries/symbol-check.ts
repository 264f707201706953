/**
 * The symbol-level check of a real system (`--floor-from`): a version node can exist without every
 * symbol a binary binds to it (vendor and patched glibc builds; symbols moved between libraries),
 * and then the loader starts mapping the program and fails at relocation:
 * `undefined symbol: __libc_start_main, version GLIBC_2.34` (glibc `elf/dl-lookup.c`).
 *
 * As in the loader, a versioned reference is satisfied by any library in the program's scope (its
 * DT_NEEDED libraries and theirs, breadth first) that defines the name at that version, hidden
 * (non-default) definitions included, or defines it unversioned; it is not tied to the library the
 * need names, which is how `pthread_create@GLIBC_2.2.5` from libpthread.so.0 still binds in libc.so.6
 * on glibc 2.34+. A weak reference that finds nothing is left at 0 by the loader, so it is not missing.
 */
import type { VersionNeed } from '../elf/types.js';
import type { LibraryVersions, MachineLibraries } from './library-set.js';

/** MissingSymbols is one (library, version) need with the bound symbols no library in scope defines. */
export interface MissingSymbols {
  /** The library the need names (vn_file). */
  readonly library: string;
  readonly version: string;
  readonly symbols: readonly string[];
}

/** The most libraries a scope walk visits; real programs load a few dozen. */
const MAX_SCOPE = 4096;

/**
 * missingSymbols checks every (symbol, version) a file binds against the system's libraries. Needs
 * on libraries the system does not have, or whose version node it lacks, are left to the other
 * checks (missing library, version not defined); so are systems whose symbols were not read.
 */
export function missingSymbols(needed: readonly string[], needs: readonly VersionNeed[], libraries: MachineLibraries | undefined): MissingSymbols[] {
  if (libraries === undefined) return [];
  const scope = scopeOf(needed, needs, libraries);
  if (scope.some((library) => library.symbols === undefined)) return [];
  const missing: MissingSymbols[] = [];
  for (const need of needs) {
    const named = libraries.get(need.library);
    if (named === undefined || named.versions === null || !named.versions.has(need.version)) continue;
    const absent = need.symbols
      .filter((symbol) => !symbol.weak)
      .filter((symbol) => !scope.some((library) => library.symbols!.byVersion.get(need.version)?.has(symbol.name) === true || library.symbols!.unversioned.has(symbol.name)))
      .map((symbol) => symbol.name);
    if (absent.length > 0) missing.push({ library: need.library, version: need.version, symbols: absent });
  }
  return missing;
}

/** scopeOf lists the libraries the loader would load for a file: its needed libraries and theirs, breadth first. */
function scopeOf(needed: readonly string[], needs: readonly VersionNeed[], libraries: MachineLibraries): LibraryVersions[] {
  const queue = [...needed, ...needs.map((need) => need.library)];
  const seen = new Set<string>();
  const scope: LibraryVersions[] = [];
  for (let i = 0; i < queue.length && scope.length < MAX_SCOPE; i++) {
    const name = queue[i]!;
    if (seen.has(name)) continue;
    seen.add(name);
    const library = libraries.get(name);
    if (library === undefined) continue;
    scope.push(library);
    queue.push(...(library.needed ?? []));
  }
  return scope;
}

/** loaderMessage words one missing symbol as glibc's loader does. */
export function loaderMessage(symbol: string, version: string): string {
  return `undefined symbol: ${symbol}, version ${version}`;
}
