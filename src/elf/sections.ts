import { SHN_XINDEX } from './constants.js';
import { ElfFormatError } from './errors.js';
import type { FileReader } from './file-reader.js';
import type { ElfHeader } from './header.js';

export interface Section {
  readonly index: number;
  /** sh_name: the offset of the section's name in the e_shstrndx table (ElfLayout.sectionNames reads them). */
  readonly nameOffset: number;
  readonly type: number;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly entsize: number;
}

/** No real file has more sections than this; a larger count is treated as malformed. */
export const MAX_SECTIONS = 1 << 20;

/**
 * readSections decodes the section header table (gABI "Sections"). Returns [] when the file has
 * none (e_shoff 0, as after `sstrip` or our own stripped fixtures); a table outside the file
 * throws. Section names are not read here: tables are found by type and link, never by name
 * (ElfLayout.sectionNames reads them on demand for the checks that look for a named section).
 */
export async function readSections(reader: FileReader, header: ElfHeader): Promise<Section[]> {
  if (header.shoff === 0) return [];
  const { layout } = header;
  if (header.shentsize < layout.shdrSize) {
    if (header.shnum === 0 && header.shentsize === 0) return [];
    throw new ElfFormatError(`{field} {value} is smaller than a ${header.class}-bit section header (${layout.shdrSize})`, { field: 'e_shentsize', value: header.shentsize });
  }
  let count = header.shnum;
  if (count === 0) {
    // Extended numbering: with 0xff00 or more sections the count lives in section 0's sh_size.
    const first = await reader.view(header.shoff, header.shentsize, 'section header 0');
    count = layout.word === 4 ? first.u32(layout.shdr.size, 'sh_size') : first.u64(layout.shdr.size, 'sh_size');
    if (count === 0) return [];
    if (count > MAX_SECTIONS) throw new ElfFormatError('section count {value} (from section 0) is implausibly large', { field: 'sh_size', value: count, offset: header.shoff });
  }
  const s = layout.shdr;
  const sections: Section[] = [];
  for await (const { first, view } of reader.tableWindows(header.shoff, count, header.shentsize, `section header table (${count} entries)`)) {
    for (let i = first; (i - first) * header.shentsize < view.length; i++) {
      const at = (i - first) * header.shentsize;
      sections.push({
        index: i,
        nameOffset: view.u32(at + s.name, 'sh_name'),
        type: view.u32(at + s.type, 'sh_type'),
        addr: layout.word === 4 ? view.u32(at + s.addr, 'sh_addr') : view.u64Loose(at + s.addr, 'sh_addr'),
        offset: view.word(at + s.offset, layout.word, 'sh_offset'),
        size: view.word(at + s.size, layout.word, 'sh_size'),
        link: view.u32(at + s.link, 'sh_link'),
        info: view.u32(at + s.info, 'sh_info'),
        entsize: view.word(at + s.entsize, layout.word, 'sh_entsize'),
      });
    }
  }
  return sections;
}

/** sectionByType returns the first section of a type, or undefined when the file has none. */
export function sectionByType(sections: readonly Section[], type: number): Section | undefined {
  return sections.find((section) => section.type === type);
}

/** linkedSection returns the section a section's sh_link names, or throws when the link is invalid. */
export function linkedSection(sections: readonly Section[], from: Section, what: string): Section {
  const target = from.link === SHN_XINDEX ? undefined : sections[from.link];
  if (target === undefined || from.link === 0) {
    throw new ElfFormatError(`${what} section ${from.index} has an invalid {field} {value}`, { field: 'sh_link', value: from.link });
  }
  return target;
}

