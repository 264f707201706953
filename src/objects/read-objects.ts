/**
 * Relocatable objects and static archives (`.o`, `.a`, Rust `.rlib`) as inputs: the symbols each
 * object leaves undefined, the stack it asks for and the ISA level it notes. What a link of them
 * will need from glibc is worked out from these by src/symbols/object-needs.ts.
 */
import { readArMembers } from '../archive/ar.js';
import { ArchiveFormatError, printable } from '../archive/archive-error.js';
import type { ElfLayout } from '../elf/elf-layout.js';
import { ElfFormatError, NotElfError } from '../elf/errors.js';
import { hasElfMagic } from '../elf/header.js';
import { readElf } from '../elf/read-elf.js';
import type { ElfHeaderInfo } from '../elf/types.js';
import type { ByteSource } from '../io/byte-source.js';
import { readX86Isa, stackRequest, type StackRequest, type X86Isa } from './loader-notes.js';
import { readObjectSymbols, type UndefinedSymbol } from './relocatable.js';
import { linkRelevance } from '../symbols/object-needs.js';

/** ObjectContents is what one relocatable object offers and asks of a link. */
export interface ObjectContents {
  readonly elf: ElfHeaderInfo;
  readonly undefined: readonly UndefinedSymbol[];
  readonly defined: readonly string[];
  readonly stack: StackRequest;
  readonly x86Isa?: X86Isa | undefined;
}

/** ArchiveMember is one member of an archive: an object, or a note on why it is not one. */
export interface ArchiveMember {
  readonly name: string;
  readonly object?: ObjectContents;
  /** Set for members that are not ELF objects (Rust's `lib.rmeta`, LLVM bitcode, text). */
  readonly skipped?: string;
}

/** No real archive has more members than this (libLLVM's largest have a few thousand). */
export const MAX_ARCHIVE_MEMBERS = 200_000;

const BITCODE_MAGIC = [0x42, 0x43, 0xc0, 0xde];

/**
 * readObjectContents reads one relocatable object. Throws NotElfError / ElfFormatError as readElf
 * does; an ELF file of another type (a program, a library) is refused with ElfFormatError.
 */
export async function readObjectContents(source: ByteSource): Promise<ObjectContents> {
  const { layout } = await readElf(source);
  return objectContents(layout);
}

/** objectContents reads an object's contents from its layout (readElf's second half). */
export async function objectContents(layout: ElfLayout): Promise<ObjectContents> {
  const { header } = layout;
  if (header.type !== 'REL') throw new ElfFormatError(`an ELF ${header.type} file where a relocatable object was expected`);
  const symbols = await readObjectSymbols(layout);
  return {
    elf: { class: header.class, endian: header.endian, machine: header.machine, type: header.type },
    undefined: symbols.undefined,
    defined: symbols.defined,
    stack: await stackRequest(layout),
    x86Isa: await readX86Isa(layout),
  };
}

/**
 * readArchiveMembers reads every member of an ar archive as an object. Members that are not ELF
 * are listed as skipped with the reason; a member that is ELF but malformed throws
 * ArchiveFormatError naming it (`libfoo.a(bar.o)` style), because a gate must not pass an
 * archive it could not read.
 */
export async function readArchiveMembers(source: ByteSource): Promise<ArchiveMember[]> {
  const members: ArchiveMember[] = [];
  for await (const member of readArMembers(source)) {
    if (members.length >= MAX_ARCHIVE_MEMBERS) throw new ArchiveFormatError(`more than ${MAX_ARCHIVE_MEMBERS} members`);
    const slice = sliceSource(source, member.offset, member.size);
    const head = await slice.readAt(0, 4);
    if (!hasElfMagic(head)) {
      const bitcode = BITCODE_MAGIC.every((byte, i) => head[i] === byte);
      members.push({ name: member.name, skipped: bitcode ? 'LLVM bitcode (an LTO object): its symbols are not read' : 'not an ELF object' });
      continue;
    }
    try {
      members.push({ name: member.name, object: linkRelevant(await readObjectContents(slice)) });
    } catch (error) {
      if (error instanceof ElfFormatError || error instanceof NotElfError) throw new ArchiveFormatError(`member ${printable(member.name)}: ${error.message}`);
      throw error;
    }
  }
  return members;
}

/**
 * linkRelevant keeps of a member's symbols only those that can change the archive's needs: the
 * undefined ones glibc defines (any other creates no need) and the defined ones that can resolve
 * such a reference (a name glibc defines, or a `name@VERSION` one). An archive is read whole
 * before its needs are known, and the rest of its names (a libLLVM archive has hundreds of
 * thousands of C++ names) would otherwise all be held at once: the largest retainer of a scan of
 * /usr/lib. Which names matter is object-needs' rule (`linkRelevance`), so the needs are the same.
 */
function linkRelevant(contents: ObjectContents): ObjectContents {
  const relevant = linkRelevance(contents.elf.machine);
  if (relevant === undefined) return { ...contents, undefined: [], defined: [] };
  return {
    ...contents,
    undefined: contents.undefined.filter((symbol) => relevant.undefinedSymbol(symbol.name)),
    defined: contents.defined.filter(relevant.definedSymbol),
  };
}

/** sliceSource serves one member's bytes of the archive in place: nothing is copied or extracted. */
function sliceSource(source: ByteSource, offset: number, size: number): ByteSource {
  return {
    size,
    readAt(at, length) {
      const start = Math.min(Math.max(0, at), size);
      return source.readAt(offset + start, Math.min(Math.max(0, length), size - start));
    },
  };
}
