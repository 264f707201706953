import { namesVersion, STB_GLOBAL, STB_WEAK, STT_SECTION, VERSYM_HIDDEN, versionIndex } from './constants.js';
import { ElfFormatError } from './errors.js';
import type { FileReader } from './file-reader.js';
import type { ElfHeader } from './header.js';
import type { StringTable } from './string-table.js';

/** An imported dynamic symbol with the version index its `.gnu.version` entry gives it. */
export interface ImportedSymbol {
  readonly name: string;
  readonly weak: boolean;
  /** The `.gnu.version` entry without the hidden bit (versionIndex). */
  readonly versionIndex: number;
}

/** Where `.dynsym` and `.gnu.version` are, and how many entries they hold. */
export interface SymbolTables {
  readonly symtabOffset: number;
  readonly syment: number;
  readonly count: number;
  /** File offset of `.gnu.version`, absent when the file has no symbol versions. */
  readonly versymOffset: number | undefined;
}

/**
 * readVersionIndexes returns the `.gnu.version` array: one u16 per `.dynsym` entry, index 0 kept so
 * that versym[i] lines up with dynsym[i] (LSB "Symbol Version Table").
 */
export async function readVersionIndexes(reader: FileReader, offset: number, count: number): Promise<Uint16Array> {
  const indexes = new Uint16Array(count);
  for await (const { first, view } of reader.tableWindows(offset, count, 2, `.gnu.version (${count} entries)`)) {
    for (let i = 0; i * 2 < view.length; i++) indexes[first + i] = view.u16(i * 2, 'versym');
  }
  return indexes;
}

/**
 * readImportedSymbols returns the `.dynsym` entries whose version index is one of `wanted` (the
 * indexes of the file's version needs). Other symbols are skipped without decoding their names.
 * The hidden bit (0x8000) is masked, as glibc's loader does.
 */
export async function readImportedSymbols(
  reader: FileReader,
  header: ElfHeader,
  tables: SymbolTables,
  versym: Uint16Array,
  wanted: ReadonlySet<number>,
  strings: StringTable,
): Promise<ImportedSymbol[]> {
  const { layout } = header;
  if (tables.syment < layout.symSize) {
    throw new ElfFormatError(`symbol entry size {value} is smaller than a ${header.class}-bit symbol (${layout.symSize})`, { field: 'syment', value: tables.syment });
  }
  const symbols: ImportedSymbol[] = [];
  const count = Math.min(tables.count, versym.length);
  for await (const { first, view } of reader.tableWindows(tables.symtabOffset, tables.count, tables.syment, `.dynsym (${tables.count} entries)`)) {
    const end = Math.min(count, first + view.length / tables.syment);
    for (let i = Math.max(1, first); i < end; i++) {
      const index = versionIndex(versym[i]!);
      if (!wanted.has(index)) continue;
      // An index that names a version need marks an import: an undefined symbol, or one a copy
      // relocation defines in the program (non-PIE `stderr`), which the loader still looks up in
      // the library at that version. Indexes of the file's own definitions never match a need.
      const at = (i - first) * tables.syment;
      const info = view.u8(at + layout.sym.info, 'st_info');
      const nameAt = view.u32(at + layout.sym.name, 'st_name');
      symbols.push({
        name: strings.getLoaded(nameAt) ?? (await strings.get(nameAt, 'st_name')),
        weak: info >> 4 === STB_WEAK,
        versionIndex: index,
      });
    }
  }
  return symbols;
}

/**
 * countFromHashTables counts `.dynsym` entries the way the loader can: DT_MIPS_SYMTABNO, DT_HASH's
 * nchain, or a walk of DT_GNU_HASH (glibc elf/dl-lookup.c). DT_HASH entries are 8 bytes on 64-bit s390
 * and Alpha; GNU hash bloom words are as wide as the ELF class. Returns undefined with no table.
 */
export async function countFromHashTables(
  reader: FileReader,
  header: ElfHeader,
  tables: { mipsSymtabno?: number | undefined; hashOffset?: number | undefined; gnuHashOffset?: number | undefined },
): Promise<number | undefined> {
  if (tables.mipsSymtabno !== undefined) return tables.mipsSymtabno;
  if (tables.hashOffset !== undefined) {
    const wide = header.class === 64 && (header.machine === 's390x' || header.machine === 'alpha');
    const view = await reader.view(tables.hashOffset, wide ? 16 : 8, 'DT_HASH header');
    return wide ? view.u64(8, 'nchain') : view.u32(4, 'nchain');
  }
  if (tables.gnuHashOffset !== undefined) return countFromGnuHash(reader, header, tables.gnuHashOffset);
  return undefined;
}

/** Bounds on a GNU hash table's parts, so a hostile header cannot make us allocate much. */
export const MAX_GNU_BUCKETS = 1 << 24;

async function countFromGnuHash(reader: FileReader, header: ElfHeader, offset: number): Promise<number> {
  const head = await reader.view(offset, 16, 'DT_GNU_HASH header');
  const nbuckets = head.u32(0, 'nbuckets');
  const symoffset = head.u32(4, 'symoffset');
  const bloomSize = head.u32(8, 'bloom_size');
  if (nbuckets > MAX_GNU_BUCKETS || bloomSize > MAX_GNU_BUCKETS) {
    throw new ElfFormatError(`DT_GNU_HASH claims {value} buckets and ${bloomSize} bloom words`, { field: 'nbuckets', value: nbuckets, offset });
  }
  const bucketsAt = offset + 16 + bloomSize * header.layout.word;
  const buckets = await reader.view(bucketsAt, nbuckets * 4, 'DT_GNU_HASH buckets');
  let max = 0;
  for (let i = 0; i < nbuckets; i++) max = Math.max(max, buckets.u32(i * 4, 'bucket'));
  if (max === 0) return symoffset;
  if (max < symoffset) throw new ElfFormatError(`DT_GNU_HASH bucket {value} is below symoffset ${symoffset}`, { field: 'bucket', value: max, offset: bucketsAt });
  // Walk the chain of the highest bucket to its end marker (low bit set). The chain array has one
  // entry per hashed symbol, so the walk is bounded by the file; read it in 4 KiB steps.
  const chainAt = bucketsAt + nbuckets * 4;
  let index = max;
  const step = 1024;
  for (;;) {
    const from = chainAt + (index - symoffset) * 4;
    const available = Math.floor((reader.size - from) / 4);
    if (available <= 0) throw new ElfFormatError('DT_GNU_HASH chain runs past the end of the file', { offset: from });
    const chunk = await reader.view(from, Math.min(step, available) * 4, 'DT_GNU_HASH chain');
    for (let k = 0; k < chunk.length / 4; k++, index++) {
      if ((chunk.u32(k * 4, 'chain') & 1) !== 0) return index + 1;
    }
  }
}

/**
 * plausibleSymbolCount extends a count the hash table may have understated. GNU ld can emit a
 * DT_GNU_HASH with empty buckets and symoffset 1 for programs that export nothing (seen in arm64
 * coreutils): the hash says one symbol while `.dynsym` holds dozens. Entries past `count` and below
 * `upper` (where the next table begins) are accepted while they look like real symbols: a name
 * inside `.dynstr` and a version index the file defines or needs.
 */
export async function plausibleSymbolCount(
  reader: FileReader,
  header: ElfHeader,
  symtabOffset: number,
  syment: number,
  count: number,
  upper: number,
  strsz: number,
  versym: Uint16Array | undefined,
  knownIndexes: ReadonlySet<number>,
): Promise<number> {
  if (upper <= count) return count;
  let n = Math.max(count, 1);
  for await (const { first, view } of reader.tableWindows(symtabOffset, upper, syment, '.dynsym', n)) {
    const end = first + view.length / syment;
    for (; n < end; n++) {
      const at = (n - first) * syment;
      const name = view.u32(at + header.layout.sym.name, 'st_name');
      if (name >= strsz) return n;
      // Section symbols (STT_SECTION, kept as locals in some arm64/ppc64 .dynsym) have no name;
      // any other nameless entry is padding or another table.
      if (name === 0 && (view.u8(at + header.layout.sym.info, 'st_info') & 0xf) !== STT_SECTION) return n;
      if (versym !== undefined) {
        const index = versionIndex(versym[n] ?? 0);
        if (namesVersion(index) && !knownIndexes.has(index)) return n;
      }
    }
  }
  return n;
}


/** A symbol a shared object defines in `.dynsym`, with the raw version index its `.gnu.version` entry gives. */
export interface DefinedDynamicSymbol {
  readonly name: string;
  /** The version index (versionIndex), or 1 (global) when the file has no `.gnu.version`. */
  readonly versionIndex: number;
  /** versym bit 15: a non-default version (`sym@VER`, not `sym@@VER`). */
  readonly hidden: boolean;
}

/** STB_GNU_UNIQUE: a global symbol the loader keeps one copy of (C++ inline statics). */
const STB_GNU_UNIQUE = 10;

/**
 * readDefinedSymbols returns the `.dynsym` entries a library defines for others to bind: a section
 * index other than SHN_UNDEF and a global, weak or unique binding, as glibc's `do_lookup_x` accepts
 * (`elf/dl-lookup.c`). Local entries and imports are skipped without decoding their names.
 */
export async function readDefinedSymbols(
  reader: FileReader,
  header: ElfHeader,
  tables: SymbolTables,
  versym: Uint16Array | undefined,
  strings: StringTable,
): Promise<DefinedDynamicSymbol[]> {
  const { layout } = header;
  const symbols: DefinedDynamicSymbol[] = [];
  for await (const { first, view } of reader.tableWindows(tables.symtabOffset, tables.count, tables.syment, `.dynsym (${tables.count} entries)`)) {
    const end = first + view.length / tables.syment;
    for (let i = Math.max(1, first); i < end; i++) {
      const at = (i - first) * tables.syment;
      if (view.u16(at + layout.sym.shndx, 'st_shndx') === 0) continue;
      const binding = view.u8(at + layout.sym.info, 'st_info') >> 4;
      if (binding !== STB_GLOBAL && binding !== STB_WEAK && binding !== STB_GNU_UNIQUE) continue;
      const raw = versym === undefined ? 1 : versym[i] ?? 1;
      const nameAt = view.u32(at + layout.sym.name, 'st_name');
      symbols.push({ name: strings.getLoaded(nameAt) ?? (await strings.get(nameAt, 'st_name')), versionIndex: versionIndex(raw), hidden: (raw & VERSYM_HIDDEN) !== 0 });
    }
  }
  return symbols;
}
