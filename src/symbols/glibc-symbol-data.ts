/** The shape of src/symbols/glibc-symbols.generated.ts (scripts/gen-glibc-symbols.mjs explains the encoding). */

/** The generated data: a common table plus per-machine differences (see the generator). */
export interface GlibcSymbolData {
  readonly release: string;
  readonly tag: string;
  readonly commit: string;
  /** The release whose ABI lists give the library of versions older than glibc 2.34's merge into libc. */
  readonly baseTag: string;
  readonly baseCommit: string;
  /** Library keys in the order of the abilists read (`libc`, `libm`, ..., `ld` for the loader). */
  readonly libraries: readonly string[];
  /** Lines `LIBRARY VERSION:SYMBOL SYMBOL ...`: what most machines bind, before the baseline. */
  readonly common: string;
  readonly arches: Readonly<Record<string, MachineData | { readonly sameAs: string; readonly loader: string }>>;
}

export interface MachineData {
  /** The glibc directory the ABI lists came from (`x86_64/64`). */
  readonly abi: string;
  /** The machine's oldest glibc version: a common version below it is raised to it. */
  readonly baseline: string;
  /** The dynamic loader's soname, for symbols the loader defines (`__tls_get_addr`). */
  readonly loader: string;
  /** Sonames that differ from glibc's defaults (`libc.so.6.1` on alpha). */
  readonly sonames: Readonly<Record<string, string>>;
  /** Lines `LIBRARY VERSION:SYMBOL ...` the common table does not predict for this machine. */
  readonly changed: string;
  /** Common symbols this machine does not have, separated by spaces. */
  readonly missing: string;
}
