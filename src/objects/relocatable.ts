/**
 * The symbol table of a relocatable object (`.o`, an archive member): the symbols it leaves
 * undefined, which a link will bind to some library's version, and the ones it defines, which
 * satisfy its archive siblings' references. Objects have no dynamic section and no version needs;
 * the full symbol table (SHT_SYMTAB) is all there is.
 */
import { SHN_UNDEF, SHT_SYMTAB, STB_GLOBAL, STB_WEAK } from '../elf/constants.js';
import type { ElfLayout } from '../elf/elf-layout.js';
import { ElfFormatError } from '../elf/errors.js';
import { linkedSection } from '../elf/sections.js';
import { StringTable } from '../elf/string-table.js';

/** An undefined global symbol of an object: what the link must find elsewhere. */
export interface UndefinedSymbol {
  readonly name: string;
  /** STB_WEAK: a weak reference (still bound, and still given a version, when a library defines it). */
  readonly weak: boolean;
}

export interface ObjectSymbols {
  /** Undefined global and weak symbols, sorted by name, each once (a strong reference wins). */
  readonly undefined: readonly UndefinedSymbol[];
  /** Names of the global and weak symbols it defines, sorted. */
  readonly defined: readonly string[];
}

/**
 * readObjectSymbols reads the SHT_SYMTAB of a relocatable object (gABI "Symbol Table"). Returns
 * empty lists when the object has no symbol table (an object of data only, or one stripped with
 * `strip --strip-all`, which cannot be linked anyway). Throws ElfFormatError for a table that
 * does not fit the file or names outside its string table.
 */
export async function readObjectSymbols(elfLayout: ElfLayout): Promise<ObjectSymbols> {
  const { reader, header, sections } = elfLayout;
  const symtab = sections.find((section) => section.type === SHT_SYMTAB);
  if (symtab === undefined || symtab.size === 0) return { undefined: [], defined: [] };
  const { layout } = header;
  const entsize = symtab.entsize === 0 ? layout.symSize : symtab.entsize;
  if (entsize < layout.symSize) throw new ElfFormatError(`.symtab {field} {value} is smaller than a ${header.class}-bit symbol (${layout.symSize})`, { field: 'sh_entsize', value: entsize });
  const count = Math.floor(symtab.size / entsize);
  const stringSection = linkedSection(sections, symtab, '.symtab');
  const strings = new StringTable(reader, stringSection.offset, stringSection.size, 'string table of .symtab');
  // Locals come first: sh_info is the index of the first non-local symbol (gABI); start there when it is sane.
  const firstGlobal = symtab.info > 0 && symtab.info <= count ? symtab.info : 1;
  const undefinedByName = new Map<string, boolean>();
  const defined = new Set<string>();
  for await (const { view } of reader.tableWindows(symtab.offset, count, entsize, `.symtab (${count} entries)`, firstGlobal)) {
    for (let i = 0; i * entsize < view.length; i++) {
      const at = i * entsize;
      const binding = view.u8(at + layout.sym.info, 'st_info') >> 4;
      if (binding !== STB_GLOBAL && binding !== STB_WEAK) continue;
      const nameOffset = view.u32(at + layout.sym.name, 'st_name');
      if (nameOffset === 0) continue;
      const name = await strings.get(nameOffset, 'st_name');
      if (view.u16(at + layout.sym.shndx, 'st_shndx') === SHN_UNDEF) {
        undefinedByName.set(name, (undefinedByName.get(name) ?? true) && binding === STB_WEAK);
      } else {
        defined.add(name);
      }
    }
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    undefined: [...undefinedByName.keys()].sort(byName).map((name) => ({ name, weak: undefinedByName.get(name)! })),
    defined: [...defined].sort(byName),
  };
}
