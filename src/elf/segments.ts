import { PT_DYNAMIC, PT_INTERP, PT_LOAD } from './constants.js';
import { ElfFormatError } from './errors.js';
import type { FileReader } from './file-reader.js';
import type { ElfHeader } from './header.js';

export interface Segment {
  readonly type: number;
  /** p_flags: PF_R, PF_W, PF_X. */
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
  readonly memsz: number;
}

/**
 * readSegments decodes the program header table (gABI "Program Header"). An absent table
 * (e_phnum 0, as in relocatable objects) gives []; a table outside the file throws.
 */
export async function readSegments(reader: FileReader, header: ElfHeader): Promise<Segment[]> {
  if (header.phnum === 0 || header.phoff === 0) return [];
  const { layout } = header;
  if (header.phentsize < layout.phdrSize) {
    throw new ElfFormatError(`{field} {value} is smaller than a ${header.class}-bit program header (${layout.phdrSize})`, { field: 'e_phentsize', value: header.phentsize });
  }
  const view = await reader.view(header.phoff, header.phnum * header.phentsize, `program header table (${header.phnum} entries)`);
  const p = layout.phdr;
  const segments: Segment[] = [];
  for (let i = 0; i < header.phnum; i++) {
    const at = i * header.phentsize;
    segments.push({
      type: view.u32(at + p.type, 'p_type'),
      flags: view.u32(at + p.flags, 'p_flags'),
      offset: view.word(at + p.offset, layout.word, 'p_offset'),
      // Addresses may sit above 2^53 in odd images; they are clamped, since only small ones map to file bytes.
      vaddr: layout.word === 4 ? view.u32(at + p.vaddr, 'p_vaddr') : view.u64Loose(at + p.vaddr, 'p_vaddr'),
      filesz: view.word(at + p.filesz, layout.word, 'p_filesz'),
      memsz: view.word(at + p.memsz, layout.word, 'p_memsz'),
    });
  }
  return segments;
}

/** loadSegments returns the PT_LOAD segments, the only ones that map addresses to file bytes. */
export function loadSegments(segments: readonly Segment[]): Segment[] {
  return segments.filter((s) => s.type === PT_LOAD);
}

/**
 * AddressMap turns a virtual address into a file offset through the PT_LOAD segment that holds
 * it, as the dynamic loader does: offset = address - p_vaddr + p_offset. Addresses in a segment's
 * zero-filled tail (past p_filesz) have no file bytes and map to nothing.
 */
export class AddressMap {
  private readonly loads: readonly Segment[];

  constructor(loads: readonly Segment[]) {
    this.loads = loads;
  }

  /** toOffset returns the file offset of `address`, or undefined when no PT_LOAD maps it. */
  toOffset(address: number): number | undefined {
    for (const s of this.loads) {
      if (address >= s.vaddr && address < s.vaddr + s.filesz) return address - s.vaddr + s.offset;
    }
    return undefined;
  }

  /** bytesAfter is how many file-backed bytes its segment holds from `address` on. */
  bytesAfter(address: number): number {
    for (const s of this.loads) {
      if (address >= s.vaddr && address < s.vaddr + s.filesz) return s.vaddr + s.filesz - address;
    }
    return 0;
  }

  /** require maps `address` or throws ElfFormatError naming the dynamic tag that held it. */
  require(address: number, tag: string): number {
    const offset = this.toOffset(address);
    if (offset === undefined) throw new ElfFormatError('{field} address {value:hex} is not inside any PT_LOAD segment', { field: tag, value: address });
    return offset;
  }
}

/** findSegment returns the first segment of a type, if any. */
export function findSegment(segments: readonly Segment[], type: typeof PT_DYNAMIC | typeof PT_INTERP): Segment | undefined {
  return segments.find((s) => s.type === type);
}
