import type { ByteSource } from '../io/byte-source.js';
import { DF_1_PIE, namesVersion, PT_DYNAMIC, PT_INTERP, SHT_DYNSYM, SHT_GNU_verdef, SHT_GNU_verneed, SHT_GNU_versym } from './constants.js';
import { readDynamic, nextTableAfter, type DynamicInfo } from './dynamic.js';
import { ElfFormatError } from './errors.js';
import { ElfLayout, openElf } from './elf-layout.js';
import type { FileReader } from './file-reader.js';
import type { ElfHeader } from './header.js';
import { readSections, sectionByType, linkedSection, type Section } from './sections.js';
import { AddressMap, findSegment, loadSegments, readSegments, type Segment } from './segments.js';
import { StringTable } from './string-table.js';
import {
  countFromHashTables, plausibleSymbolCount, readDefinedSymbols, readImportedSymbols, readVersionIndexes,
  type ImportedSymbol, type SymbolTables,
} from './symbols.js';
import type { DefinedSymbol, ElfFile, TableSource, VersionDefinition, VersionNeed, VersionNeedSymbol } from './types.js';
import { isBaseFlag, isWeakFlag, readVersionDefinitions, readVersionNeeds, type TableLocation } from './versions.js';

/** Where the version tables of one file are, found through sections or through the dynamic segment. */
interface LocatedTables {
  readonly source: TableSource;
  readonly verneed?: { table: TableLocation; strings: StringTable } | undefined;
  readonly verdef?: { table: TableLocation; strings: StringTable } | undefined;
  readonly symbols?:
    | {
        tables: SymbolTables;
        strings: StringTable;
        /** Without section headers: completes `tables.count` once the file's version indexes are known. */
        finishCount?: (known: ReadonlySet<number>) => Promise<number>;
      }
    | undefined;
  readonly notes: string[];
}

/** What readElf reads beyond the version needs. */
export interface ReadElfOptions {
  /** Also read the symbols the file defines in `.dynsym` (for libraries a `--floor-from` system offers). */
  readonly definedSymbols?: boolean;
}

/**
 * ElfRead is what readElf returns: the version data (`elf`, plain data that may be kept, cloned
 * and sent between threads) and the parsed layout (`layout`, tied to the open source) that the
 * other per-file checks read without parsing the headers again.
 */
export interface ElfRead {
  readonly elf: ElfFile;
  readonly layout: ElfLayout;
}

/**
 * readElf reads what glibc-floor needs from one ELF file: header facts, interpreter, needed
 * libraries, and the version needs with the symbols that use them, with the parsed layout.
 *
 * It reads by positioned reads only: the first 64 KiB, the section header table, and the version
 * and symbol tables. Without section headers it finds the same tables through PT_DYNAMIC, mapping
 * addresses through PT_LOAD as the dynamic loader does. A static program yields no needs.
 * Throws NotElfError for non-ELF input and ElfFormatError for truncated or malformed files.
 */
export async function readElf(source: ByteSource, options: ReadElfOptions = {}): Promise<ElfRead> {
  const { reader, header } = await openElf(source);
  const segments = await readSegments(reader, header);
  const addresses = new AddressMap(loadSegments(segments));
  // The order of these reads decides which problem a broken file reports first; it is kept.
  const interpreter = await readInterpreter(reader, findSegment(segments, PT_INTERP));
  const dynamicSegment = findSegment(segments, PT_DYNAMIC);
  const dynamic = dynamicSegment === undefined ? undefined : await readDynamic(reader, header, dynamicSegment);
  const sections = await readSections(reader, header);
  const layout = new ElfLayout(reader, header, segments, sections, addresses);
  const dynamicStrings = dynamic === undefined ? undefined : dynamicStringTable(reader, dynamic, addresses);

  const needed: string[] = [];
  for (const offset of dynamic?.needed ?? []) needed.push(await requireStrings(dynamicStrings, 'DT_NEEDED').get(offset, 'DT_NEEDED'));
  const soname = dynamic?.soname === undefined ? null : await requireStrings(dynamicStrings, 'DT_SONAME').get(dynamic.soname, 'DT_SONAME');

  const located = useSections(sections, dynamic)
    ? locateBySections(reader, header, sections)
    : dynamic !== undefined
      ? await locateByDynamic(reader, header, dynamic, addresses, dynamicStrings, segments)
      : { source: 'none' as const, notes: [] };

  const rawNeeds = located.verneed === undefined ? [] : await readVersionNeeds(reader, located.verneed.table, located.verneed.strings);
  const rawDefinitions = located.verdef === undefined ? [] : await readVersionDefinitions(reader, located.verdef.table, located.verdef.strings);

  let imported: ImportedSymbol[] = [];
  let definedSymbols: DefinedSymbol[] | undefined;
  let dynamicSymbolCount = 0;
  if (located.symbols !== undefined) {
    const { strings, finishCount } = located.symbols;
    let { tables } = located.symbols;
    if (finishCount !== undefined) {
      // Index 0 and 1 are always valid; the file's needs and definitions add theirs.
      const known = new Set([...rawNeeds.map((need) => need.index), ...rawDefinitions.map((definition) => definition.index)]);
      tables = { ...tables, count: await finishCount(known) };
    }
    dynamicSymbolCount = tables.count;
    if (tables.versymOffset !== undefined && rawNeeds.length > 0) {
      const versym = await readVersionIndexes(reader, tables.versymOffset, tables.count);
      const wanted = new Set(rawNeeds.map((need) => need.index));
      imported = await readImportedSymbols(reader, header, tables, versym, wanted, strings);
    }
    if (options.definedSymbols === true) {
      const versym = tables.versymOffset === undefined ? undefined : await readVersionIndexes(reader, tables.versymOffset, tables.count);
      const names = new Map(rawDefinitions.map((definition) => [definition.index, definition.names[0] ?? '']));
      definedSymbols = (await readDefinedSymbols(reader, header, tables, versym, strings)).map((symbol) => ({
        name: symbol.name,
        version: !namesVersion(symbol.versionIndex) ? null : names.get(symbol.versionIndex) ?? `(version index ${symbol.versionIndex})`,
        hidden: symbol.hidden,
      }));
    }
  }

  const byIndex = groupByVersionIndex(imported);
  const versionNeeds: VersionNeed[] = rawNeeds.map((need) => ({
    library: need.library,
    version: need.version,
    weak: isWeakFlag(need.flags),
    index: need.index,
    symbols: symbolsFor(byIndex.get(need.index) ?? []),
  }));
  const versionDefinitions: VersionDefinition[] = rawDefinitions.map((definition) => ({
    index: definition.index,
    name: definition.names[0] ?? '',
    base: isBaseFlag(definition.flags),
    weak: isWeakFlag(definition.flags),
    parents: definition.names.slice(1),
  }));

  const runnable = header.type === 'EXEC' || header.type === 'DYN';
  const staticPie = header.type === 'EXEC' || ((dynamic?.flags1 ?? 0) & DF_1_PIE) !== 0;
  const elf: ElfFile = {
    class: header.class,
    endian: header.endian,
    machine: header.machine,
    type: header.type,
    interpreter,
    dynamic: dynamic !== undefined,
    static: runnable && (dynamic === undefined || (interpreter === null && needed.length === 0 && staticPie)),
    needed,
    soname,
    versionNeeds,
    versionDefinitions,
    dynamicSymbolCount,
    tableSource: located.source,
    notes: located.notes,
    ...(options.definedSymbols === true ? { definedSymbols: definedSymbols ?? [] } : {}),
  };
  return { elf, layout };
}

/**
 * groupByVersionIndex buckets the imported symbols by version index once, so attaching them to the
 * needs costs one pass rather than one pass per need (a hostile file can have thousands of both).
 */
function groupByVersionIndex(imported: readonly ImportedSymbol[]): Map<number, ImportedSymbol[]> {
  const groups = new Map<number, ImportedSymbol[]>();
  for (const symbol of imported) {
    const group = groups.get(symbol.versionIndex);
    if (group === undefined) groups.set(symbol.versionIndex, [symbol]);
    else group.push(symbol);
  }
  return groups;
}

/** symbolsFor collects the names bound to one need, sorted and de-duplicated (a strong use wins). */
function symbolsFor(bound: readonly ImportedSymbol[]): VersionNeedSymbol[] {
  const byName = new Map<string, boolean>();
  for (const symbol of bound) {
    byName.set(symbol.name, (byName.get(symbol.name) ?? true) && symbol.weak);
  }
  return [...byName.keys()].sort(compareNames).map((name) => ({ name, weak: byName.get(name) ?? false }));
}

/** compareNames orders by UTF-16 code units, the same on every machine (no locale). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const MAX_INTERPRETER = 4096;

async function readInterpreter(reader: FileReader, segment: Segment | undefined): Promise<string | null> {
  if (segment === undefined) return null;
  const view = await reader.view(segment.offset, Math.min(segment.filesz, MAX_INTERPRETER), 'PT_INTERP');
  const nul = view.bytes.indexOf(0);
  return new TextDecoder().decode(nul >= 0 ? view.bytes.subarray(0, nul) : view.bytes);
}

function dynamicStringTable(reader: FileReader, dynamic: DynamicInfo, addresses: AddressMap): StringTable | undefined {
  if (dynamic.strtab === undefined) return undefined;
  const offset = addresses.require(dynamic.strtab, 'DT_STRTAB');
  const size = dynamic.strsz ?? addresses.bytesAfter(dynamic.strtab);
  return new StringTable(reader, offset, size, '.dynstr (DT_STRTAB)');
}

function requireStrings(strings: StringTable | undefined, tag: string): StringTable {
  if (strings === undefined) throw new ElfFormatError('{field} present but the dynamic segment has no DT_STRTAB', { field: tag });
  return strings;
}

/**
 * useSections decides how to find the tables: through the section table when it describes them,
 * through the dynamic segment when the section headers are stripped (or lack the version tables
 * the dynamic segment names, as after some post-link tools).
 */
function useSections(sections: readonly Section[], dynamic: DynamicInfo | undefined): boolean {
  if (sections.length === 0) return false;
  if (dynamic?.verneed !== undefined && sectionByType(sections, SHT_GNU_verneed) === undefined) return false;
  return true;
}

function locateBySections(reader: FileReader, header: ElfHeader, sections: readonly Section[]): LocatedTables {
  const notes: string[] = [];
  const versionTable = (type: number, what: string) => {
    const section = sectionByType(sections, type);
    if (section === undefined || section.size === 0) return undefined;
    const strings = linkedSection(sections, section, what);
    return {
      table: { offset: section.offset, limit: section.size, count: section.info === 0 ? undefined : section.info },
      strings: new StringTable(reader, strings.offset, strings.size, `string table of ${what}`),
    };
  };
  const verneed = versionTable(SHT_GNU_verneed, '.gnu.version_r');
  const verdef = versionTable(SHT_GNU_verdef, '.gnu.version_d');
  if (verneed !== undefined && !reader.inFile(verneed.table.offset, verneed.table.limit)) {
    throw new ElfFormatError(`{field} (offset {value:hex}, ${verneed.table.limit} bytes) runs past the end of the file`, { field: '.gnu.version_r', value: verneed.table.offset });
  }
  if (verdef !== undefined && !reader.inFile(verdef.table.offset, verdef.table.limit)) {
    throw new ElfFormatError(`{field} (offset {value:hex}, ${verdef.table.limit} bytes) runs past the end of the file`, { field: '.gnu.version_d', value: verdef.table.offset });
  }

  const dynsym = sectionByType(sections, SHT_DYNSYM);
  let symbols: LocatedTables['symbols'];
  if (dynsym !== undefined && dynsym.size > 0) {
    const syment = dynsym.entsize === 0 ? header.layout.symSize : dynsym.entsize;
    if (syment < header.layout.symSize) throw new ElfFormatError('.dynsym {field} {value} is too small', { field: 'sh_entsize', value: syment });
    let count = Math.floor(dynsym.size / syment);
    const versym = sectionByType(sections, SHT_GNU_versym);
    if (versym !== undefined) {
      const versymCount = Math.floor(versym.size / 2);
      if (versymCount !== count) notes.push(`.gnu.version has ${versymCount} entries but .dynsym has ${count}; using the smaller`);
      count = Math.min(count, versymCount);
    }
    const strings = linkedSection(sections, dynsym, '.dynsym');
    symbols = {
      tables: { symtabOffset: dynsym.offset, syment, count, versymOffset: versym?.offset },
      strings: new StringTable(reader, strings.offset, strings.size, 'string table of .dynsym'),
    };
  }
  return { source: 'sections', verneed, verdef, symbols, notes };
}

async function locateByDynamic(
  reader: FileReader,
  header: ElfHeader,
  dynamic: DynamicInfo,
  addresses: AddressMap,
  strings: StringTable | undefined,
  segments: readonly Segment[],
): Promise<LocatedTables> {
  const notes: string[] = [];
  const versionTable = (address: number | undefined, count: number | undefined, tag: string) => {
    if (address === undefined || address === 0) return undefined;
    return {
      table: { offset: addresses.require(address, tag), limit: addresses.bytesAfter(address), count: count || undefined },
      strings: requireStrings(strings, tag),
    };
  };
  const verneed = versionTable(dynamic.verneed, dynamic.verneednum, 'DT_VERNEED');
  const verdef = versionTable(dynamic.verdef, dynamic.verdefnum, 'DT_VERDEF');
  if (dynamic.symtab === undefined || strings === undefined) return { source: 'dynamic', verneed, verdef, notes };

  const symtabOffset = addresses.require(dynamic.symtab, 'DT_SYMTAB');
  const syment = dynamic.syment ?? header.layout.symSize;
  if (syment < header.layout.symSize) throw new ElfFormatError(`{field} {value} is smaller than a ${header.class}-bit symbol`, { field: 'DT_SYMENT', value: syment });
  // Segment starts bound a table too: PT_DYNAMIC usually follows the tables in the same segment.
  const extra = segments.map((s) => s.vaddr);
  const upperOf = (address: number, entrySize: number): number => {
    const next = nextTableAfter(dynamic, extra, address);
    const inSegment = addresses.bytesAfter(address);
    const bytes = next === undefined ? inSegment : Math.min(next - address, inSegment);
    return Math.floor(bytes / entrySize);
  };
  let upper = upperOf(dynamic.symtab, syment);
  let versymOffset: number | undefined;
  if (dynamic.versym !== undefined) {
    versymOffset = addresses.require(dynamic.versym, 'DT_VERSYM');
    upper = Math.min(upper, upperOf(dynamic.versym, 2));
  }
  const hashCount = await countFromHashTables(reader, header, {
    mipsSymtabno: dynamic.mipsSymtabno,
    hashOffset: dynamic.hash === undefined ? undefined : addresses.require(dynamic.hash, 'DT_HASH'),
    gnuHashOffset: dynamic.gnuHash === undefined ? undefined : addresses.require(dynamic.gnuHash, 'DT_GNU_HASH'),
  });

  const tables = { symtabOffset, syment, count: hashCount ?? 0, versymOffset };
  if (dynamic.mipsSymtabno !== undefined && hashCount !== undefined) {
    return { source: 'dynamic', verneed, verdef, symbols: { tables, strings }, notes }; // exact by the MIPS ABI
  }
  // The hash table may undercount; extending the count needs the version indexes the file defines
  // and needs, which readElf reads next anyway, so it finishes the count with them.
  const finishCount = async (known: ReadonlySet<number>): Promise<number> => {
    const versym = versymOffset === undefined ? undefined : await readVersionIndexes(reader, versymOffset, upper);
    const start = Math.min(hashCount ?? 1, upper);
    const count = await plausibleSymbolCount(reader, header, symtabOffset, syment, start, upper, strings.size, versym, known);
    if (hashCount === undefined) notes.push(`no hash table: counted ${count} .dynsym entries up to the next table`);
    else if (count > hashCount) notes.push(`the hash table counts ${hashCount} .dynsym entries; ${count} found before the next table`);
    else if (hashCount > upper) notes.push(`the hash table counts ${hashCount} .dynsym entries but the next table begins after ${upper}`);
    return count;
  };
  return { source: 'dynamic', verneed, verdef, symbols: { tables, strings, finishCount }, notes };
}
