/** The resolved model the ELF reader returns: plain data, domain names, no file handles. */

export interface ElfHeaderInfo {
  readonly class: 32 | 64;
  readonly endian: 'little' | 'big';
  /** Architecture as distributions name it: x86_64, i386, aarch64, arm, ppc64le, s390x, ... */
  readonly machine: string;
  /** e_type: EXEC, DYN, REL, CORE, NONE, or `ET_<n>`. */
  readonly type: string;
}

/** VersionNeedSymbol is an undefined dynamic symbol bound to a version need. */
export interface VersionNeedSymbol {
  readonly name: string;
  /** True when the symbol's binding is STB_WEAK (a weak reference). */
  readonly weak: boolean;
}

/**
 * VersionNeed is one Vernaux entry of `.gnu.version_r`: the loader checks that `library` defines
 * `version` when the program starts, whether or not any symbol uses it.
 */
export interface VersionNeed {
  /** vn_file: the dependency as spelled in DT_NEEDED, e.g. `libc.so.6`. */
  readonly library: string;
  /** vna_name, e.g. `GLIBC_2.34`. */
  readonly version: string;
  /** vna_flags has VER_FLG_WEAK: a missing version is only a warning to the loader. */
  readonly weak: boolean;
  /** vna_other with the hidden bit masked: the index `.gnu.version` entries use for it. */
  readonly index: number;
  /** Undefined dynamic symbols whose versym points here, sorted by name, de-duplicated. */
  readonly symbols: readonly VersionNeedSymbol[];
}

/** VersionDefinition is one Verdef entry of `.gnu.version_d`: a version node the object provides. */
export interface VersionDefinition {
  readonly index: number;
  /** The node's name (the first Verdaux). For the VER_FLG_BASE entry this is the soname. */
  readonly name: string;
  /** VER_FLG_BASE: the entry names the file itself, not a version. */
  readonly base: boolean;
  readonly weak: boolean;
  /** The names of the nodes this one inherits from (the following Verdaux entries). */
  readonly parents: readonly string[];
}

/**
 * DefinedSymbol is a symbol a shared object offers the loader: one `.dynsym` entry it defines,
 * with the version node its `.gnu.version` entry names.
 */
export interface DefinedSymbol {
  readonly name: string;
  /** The Verdef name, or null for an unversioned (global) definition, which any versioned reference may bind. */
  readonly version: string | null;
  /** A non-default version (`sym@VER`): still bound by references to VER, never by unversioned ones. */
  readonly hidden: boolean;
}

/** How the version tables were located. */
export type TableSource = 'sections' | 'dynamic' | 'none';

export interface ElfFile extends ElfHeaderInfo {
  /** PT_INTERP, the program interpreter, or null when there is none (libraries, static programs). */
  readonly interpreter: string | null;
  /** True when the file has a PT_DYNAMIC segment. */
  readonly dynamic: boolean;
  /** Statically linked: no dynamic segment, or a static-pie (no interpreter, no needed libraries). */
  readonly static: boolean;
  /** DT_NEEDED entries in order. */
  readonly needed: readonly string[];
  /** DT_SONAME, for shared libraries. */
  readonly soname: string | null;
  /** Every Vernaux entry in file order (Verneed order, then Vernaux order). */
  readonly versionNeeds: readonly VersionNeed[];
  /** Every Verdef entry in file order (empty for most programs). */
  readonly versionDefinitions: readonly VersionDefinition[];
  /** Number of `.dynsym` entries (including the null entry 0), 0 when there is none. */
  readonly dynamicSymbolCount: number;
  /** Where the version tables were found: the section table, or the dynamic segment when it is stripped. */
  readonly tableSource: TableSource;
  /** Things that were odd but not fatal, e.g. a hash table that undercounts `.dynsym`. */
  readonly notes: readonly string[];
  /** The symbols it defines for others, read only when asked (`readElf(source, { definedSymbols: true })`). */
  readonly definedSymbols?: readonly DefinedSymbol[];
}
