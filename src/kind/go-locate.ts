import { PF_W, PF_X, PT_LOAD } from '../elf/constants.js';
import type { ElfLayout } from '../elf/elf-layout.js';
import {
  BUILDINFO_HEADER_SIZE, BUILDINFO_SEARCH_BYTES, BuildInfoError, findMagic, parseBuildInfo, type GoBuildInfo,
} from './go-buildinfo.js';

/** The most bytes read after the header for the inline strings (module lists of big programs fit). */
const MAX_INFO_BYTES = 2 * 1024 * 1024;

/** GoLookup is the outcome: no Go build info, the info, or a note saying why it could not be read. */
export type GoLookup = { readonly found: false } | { readonly found: true; readonly info: GoBuildInfo } | { readonly found: 'malformed'; readonly note: string };

/**
 * findGoBuildInfo reads a Go program's build info as Go's debug/buildinfo does, with bounded
 * positioned reads: from the `.go.buildinfo` section when the file has section headers; without
 * them, by searching the first 64 KiB of the first writable, non-executable PT_LOAD for the magic
 * at 16-byte aligned addresses. A file with section headers but no `.go.buildinfo` is not searched
 * (the Go linker always emits the section), so non-Go files cost nothing.
 */
export async function findGoBuildInfo(image: ElfLayout): Promise<GoLookup> {
  const region = await buildInfoRegion(image);
  if (region === undefined) return { found: false };
  const { reader } = image;
  const head = (await reader.view(region.offset, Math.min(region.length, BUILDINFO_SEARCH_BYTES), 'Go build info region')).bytes;
  const at = findMagic(head, region.address);
  if (at < 0) {
    return region.fromSection ? { found: 'malformed', note: 'Go build info: .go.buildinfo has no "\\xff Go buildinf:" header' } : { found: false };
  }
  const length = Math.min(region.length - at, BUILDINFO_HEADER_SIZE + MAX_INFO_BYTES);
  // A small `.go.buildinfo` lies wholly inside the search read: no second read of the same bytes.
  const bytes = at + length <= head.length ? head.subarray(at, at + length) : (await reader.view(region.offset + at, length, 'Go build info')).bytes;
  try {
    const info = await parseBuildInfo(bytes, async (address, size) => {
      const offset = image.addresses.toOffset(address);
      if (offset === undefined || image.addresses.bytesAfter(address) < size || !reader.inFile(offset, size)) return undefined;
      return (await reader.view(offset, size, 'Go build info string')).bytes;
    });
    return { found: true, info };
  } catch (error) {
    if (error instanceof BuildInfoError) return { found: 'malformed', note: `Go build info is malformed: ${error.message}` };
    throw error;
  }
}

interface Region {
  readonly offset: number;
  readonly address: number;
  readonly length: number;
  readonly fromSection: boolean;
}

async function buildInfoRegion(image: ElfLayout): Promise<Region | undefined> {
  if (image.sections.length > 0) {
    const section = await image.sectionNamed('.go.buildinfo');
    if (section === undefined || section.size === 0 || !image.reader.inFile(section.offset, Math.min(section.size, 1))) return undefined;
    const length = Math.min(section.size, image.reader.size - section.offset);
    return { offset: section.offset, address: section.addr, length, fromSection: true };
  }
  // No section headers: search the start of the writable data, where the Go linker puts it.
  const data = image.segments.find((s) => s.type === PT_LOAD && (s.flags & (PF_X | PF_W)) === PF_W && s.filesz > 0);
  if (data === undefined || !image.reader.inFile(data.offset, 1)) return undefined;
  return { offset: data.offset, address: data.vaddr, length: Math.min(data.filesz, image.reader.size - data.offset), fromSection: false };
}
