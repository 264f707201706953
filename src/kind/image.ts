import { ByteView } from '../elf/byte-view.js';
import { FileReader } from '../elf/file-reader.js';
import { parseHeader, type ElfHeader } from '../elf/header.js';
import { readSections, type Section } from '../elf/sections.js';
import { AddressMap, loadSegments, readSegments, type Segment } from '../elf/segments.js';
import type { ByteSource } from '../io/byte-source.js';

/** PT_NOTE: a segment of notes (gABI "Note Section"). */
export const PT_NOTE = 4;
/** SHT_SYMTAB: the full (link-time) symbol table, present until `strip`. */
export const SHT_SYMTAB = 2;
/** p_flags bits: PF_X executable, PF_W writable. */
export const PF_X = 0x1;
export const PF_W = 0x2;

/** SegmentWithFlags is a program header with its p_flags, which the version reader does not need. */
export interface SegmentWithFlags extends Segment {
  readonly flags: number;
}

/** NamedSection is a section header with its name from the section-name string table. */
export interface NamedSection extends Section {
  readonly name: string;
}

/**
 * ElfImage is the layout the binary-kind detectors look at: program headers with flags, sections
 * with names (empty when the section headers are stripped), and the PT_LOAD address map.
 */
export interface ElfImage {
  readonly reader: FileReader;
  readonly header: ElfHeader;
  readonly segments: readonly SegmentWithFlags[];
  readonly sections: readonly NamedSection[];
  readonly addresses: AddressMap;
}

/** Section names longer than this are not real; reading stops there. */
const MAX_SECTION_NAME = 256;
/** The section-name table is read whole; real ones are a few hundred bytes. */
const MAX_SHSTRTAB = 1024 * 1024;

/**
 * readElfImage reads the header, program headers (with p_flags) and named sections of a file,
 * reusing the version reader's bounded parsers. Throws ElfFormatError / NotElfError like them.
 */
export async function readElfImage(source: ByteSource): Promise<ElfImage> {
  const reader = new FileReader(source);
  const header = parseHeader(await reader.readHead());
  reader.littleEndian = header.littleEndian;
  const segments = await readSegments(reader, header);
  const flags = await readSegmentFlags(reader, header, segments.length);
  const withFlags = segments.map((segment, i) => ({ ...segment, flags: flags[i] ?? 0 }));
  const sections = await nameSections(reader, header, await readSections(reader, header));
  return { reader, header, segments: withFlags, sections, addresses: new AddressMap(loadSegments(segments)) };
}

/** readSegmentFlags reads p_flags of each program header (ELF32 at byte 24, ELF64 at byte 4). */
async function readSegmentFlags(reader: FileReader, header: ElfHeader, count: number): Promise<number[]> {
  if (count === 0) return [];
  const view = await reader.view(header.phoff, count * header.phentsize, 'program header table');
  const at = header.class === 32 ? 24 : 4;
  return Array.from({ length: count }, (_, i) => view.u32(i * header.phentsize + at, 'p_flags'));
}

/**
 * nameSections attaches names from the e_shstrndx table. A broken or missing name table leaves
 * names empty rather than failing: names only help find `.go.buildinfo` and `.symtab` faster.
 */
async function nameSections(reader: FileReader, header: ElfHeader, sections: readonly Section[]): Promise<NamedSection[]> {
  const table = sections[header.shstrndx];
  const unnamed = () => sections.map((section) => ({ ...section, name: '' }));
  if (table === undefined || header.shstrndx === 0 || table.size > MAX_SHSTRTAB || !reader.inFile(table.offset, table.size)) return unnamed();
  const bytes = (await reader.view(table.offset, table.size, 'section name table')).bytes;
  const nameField = new ByteView(await sectionNameOffsets(reader, header, sections.length), header.littleEndian);
  const decoder = new TextDecoder();
  return sections.map((section, i) => {
    const start = nameField.u32(i * 4, 'sh_name');
    if (start >= bytes.length) return { ...section, name: '' };
    const limit = Math.min(bytes.length, start + MAX_SECTION_NAME);
    const nul = bytes.subarray(start, limit).indexOf(0);
    return { ...section, name: decoder.decode(bytes.subarray(start, nul < 0 ? limit : start + nul)) };
  });
}

/** sectionNameOffsets gathers sh_name (the first u32 of every section header) into one array. */
async function sectionNameOffsets(reader: FileReader, header: ElfHeader, count: number): Promise<Uint8Array> {
  const view = await reader.view(header.shoff, count * header.shentsize, 'section header table');
  const out = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) out.set(view.bytes.subarray(i * header.shentsize, i * header.shentsize + 4), i * 4);
  return out;
}
