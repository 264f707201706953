import type { ByteSource } from '../io/byte-source.js';
import { FileReader, readHead, TABLE_WINDOW_BYTES } from './file-reader.js';
import { parseHeader, type ElfHeader } from './header.js';
import type { Section } from './sections.js';
import { AddressMap, loadSegments, type Segment } from './segments.js';

/** Section names longer than this are not real; reading a name stops there. */
const MAX_SECTION_NAME = 256;
/** The section-name table is read whole; real ones are a few hundred bytes. */
const MAX_SHSTRTAB = 1024 * 1024;

/**
 * ElfLayout is a file's parsed structure: the header, the program headers (with p_flags), the
 * section headers, the PT_LOAD address map, and the reader positioned on the file with its byte
 * order fixed. readElf builds it once; every per-file check (binary kind, and later executable
 * stack, ISA notes, symbol tables) reads from it instead of parsing the headers again.
 *
 * It holds the open source, so it lives only while its file is being read; the plain-data result
 * of a check (the analysis) is what leaves the worker.
 */
export class ElfLayout {
  readonly reader: FileReader;
  readonly header: ElfHeader;
  readonly segments: readonly Segment[];
  /** Empty when the section headers are stripped (e_shoff 0). */
  readonly sections: readonly Section[];
  readonly addresses: AddressMap;
  private names: Promise<readonly string[]> | undefined;

  constructor(reader: FileReader, header: ElfHeader, segments: readonly Segment[], sections: readonly Section[], addresses = new AddressMap(loadSegments(segments))) {
    this.reader = reader;
    this.header = header;
    this.segments = segments;
    this.sections = sections;
    this.addresses = addresses;
  }

  /**
   * sectionNames returns each section's name from the e_shstrndx table, read on the first call
   * only. A broken or missing name table gives empty names rather than an error: names only help
   * find sections such as `.go.buildinfo`; tables the version reader needs are found by type.
   */
  sectionNames(): Promise<readonly string[]> {
    this.names ??= this.readSectionNames();
    return this.names;
  }

  /** sectionNamed returns the first section with this name, or undefined. */
  async sectionNamed(name: string): Promise<Section | undefined> {
    const names = await this.sectionNames();
    return this.sections.find((_, i) => names[i] === name);
  }

  private async readSectionNames(): Promise<readonly string[]> {
    const { header, sections, reader } = this;
    const table = sections[header.shstrndx];
    const unnamed = () => sections.map(() => '');
    if (table === undefined || header.shstrndx === 0 || table.size > MAX_SHSTRTAB || !reader.inFile(table.offset, table.size)) return unnamed();
    // Read in windows, not as one buffer (TABLE_WINDOW_BYTES says why): a name starting in one
    // window may end in the next, so each window overlaps the next by MAX_SECTION_NAME bytes.
    const names = sections.map(() => '');
    const decoder = new TextDecoder();
    const step = TABLE_WINDOW_BYTES - MAX_SECTION_NAME;
    for (let from = 0; from < table.size; from += step) {
      const bytes = (await reader.view(table.offset + from, Math.min(TABLE_WINDOW_BYTES, table.size - from), 'section name table')).bytes;
      const last = from + step >= table.size;
      sections.forEach((section, i) => {
        const start = section.nameOffset - from;
        if (start < 0 || start >= (last ? bytes.length : step)) return;
        const limit = Math.min(bytes.length, start + MAX_SECTION_NAME);
        const nul = bytes.subarray(start, limit).indexOf(0);
        names[i] = decoder.decode(bytes.subarray(start, nul < 0 ? limit : start + nul));
      });
    }
    return names;
  }
}

/**
 * openElf reads the head of a file and parses its header. The head gives the byte order, so the
 * reader is made with it and never changes. Throws NotElfError for non-ELF input and
 * ElfFormatError for a truncated or malformed header.
 */
export async function openElf(source: ByteSource): Promise<{ reader: FileReader; header: ElfHeader }> {
  const head = await readHead(source);
  const header = parseHeader(head);
  return { reader: new FileReader(source, header.littleEndian, head), header };
}
