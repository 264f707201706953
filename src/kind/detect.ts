import { PF_X, PT_LOAD, SHT_SYMTAB } from '../elf/constants.js';
import type { ElfLayout } from '../elf/elf-layout.js';
import { ElfFormatError } from '../elf/errors.js';
import type { ElfFile } from '../elf/types.js';
import { parseVersionName } from '../versions/version-name.js';
import { classifyKind, GLIBC_SYMTAB_MARKERS, MUSL_SYMTAB_MARKERS, STRING_MARKERS, type KindFacts, type KindName } from './classify.js';
import type { GoBuildInfo } from './go-buildinfo.js';
import { findGoBuildInfo } from './go-locate.js';
import { findAbiTag } from './notes.js';
import { scanForStrings, type ScanRange } from './string-scan.js';

/** BinaryKind is the `kind` of a file in the report, with the Go build info when there is one. */
export interface BinaryKind {
  readonly name: KindName;
  /** How the kind was told, e.g. `DT_NEEDED libc.so.6` or `NT_GNU_ABI_TAG note (Linux 3.2.0) ...`. */
  readonly evidence: string;
  /** For static glibc: the NSS caveat. */
  readonly warning?: string;
  /** The Go build info (`go version -m`), for Go programs. */
  readonly go?: GoBuildInfo;
  /** Problems met while detecting (malformed Go build info, an unreadable note): never fatal. */
  readonly notes: readonly string[];
}

/** The most data bytes the static-binary string scan reads (static glibc programs are ~1 MB). */
export const STRING_SCAN_BUDGET = 16 * 1024 * 1024;
/** A `.symtab` string table larger than this is not scanned for markers. */
const MAX_SYMTAB_STRINGS = 16 * 1024 * 1024;

/**
 * detectKind tells what kind of binary `elf` (already read, with its `layout`) is, reading a few more
 * bounded ranges: notes, the Go build info, and for static programs only the `.symtab` names and
 * at most STRING_SCAN_BUDGET bytes of loaded data. It never throws for bad input: a detector that
 * meets a malformed structure adds a note and the others still decide.
 */
export async function detectKind(image: ElfLayout, elf: ElfFile): Promise<BinaryKind> {
  const notes: string[] = [];
  const facts = {
    type: elf.type,
    static: elf.static,
    interpreter: elf.interpreter,
    needed: elf.needed,
    families: [...new Set(elf.versionNeeds.map((need) => parseVersionName(need.version).family))],
  };
  const go = await attempt(notes, 'Go build info', () => findGoBuildInfo(image));
  let goInfo: GoBuildInfo | undefined;
  if (go?.found === true) goInfo = go.info;
  else if (go?.found === 'malformed') notes.push(go.note);
  const goWithoutCgo = goInfo?.cgo === false;

  let abiTag: string | undefined;
  let symtabMarkers: ReadonlySet<string> = new Set();
  let strings: ReadonlySet<string> = new Set();
  let scan: KindFacts['scan'] = 'none';
  if (elf.static && !goWithoutCgo) {
    const tag = await attempt(notes, 'notes', () => findAbiTag(image));
    if (tag !== undefined) abiTag = `${tag.os} ${tag.kernel}`;
    symtabMarkers = (await attempt(notes, '.symtab', () => symtabNames(image))) ?? new Set();
    const result = await attempt(notes, 'data scan', () => scanForStrings(image.reader, dataRanges(image), STRING_MARKERS, STRING_SCAN_BUDGET));
    if (result !== undefined) {
      strings = result.found;
      scan = result.truncated ? 'truncated' : 'complete';
    }
  }
  const verdict = classifyKind({ ...facts, abiTag, symtabMarkers, strings, scan, goWithoutCgo });
  return { ...verdict, ...(goInfo !== undefined ? { go: goInfo } : {}), notes };
}

/**
 * symtabNames looks for the marker symbol names in the string table of `.symtab`: each marker is
 * searched as `\0name\0`, a whole entry of the table. Stripped files have no `.symtab`.
 */
async function symtabNames(image: ElfLayout): Promise<Set<string>> {
  const symtab = image.sections.find((section) => section.type === SHT_SYMTAB);
  const strtab = symtab === undefined || symtab.link === 0 ? undefined : image.sections[symtab.link];
  if (strtab === undefined || strtab.size > MAX_SYMTAB_STRINGS) return new Set();
  const markers = [...GLIBC_SYMTAB_MARKERS, ...MUSL_SYMTAB_MARKERS];
  const result = await scanForStrings(image.reader, [{ offset: strtab.offset, length: strtab.size }], markers.map((name) => `\0${name}\0`), MAX_SYMTAB_STRINGS);
  return new Set(markers.filter((name) => result.found.has(`\0${name}\0`)));
}

/**
 * dataRanges lists the file bytes of the PT_LOAD segments, non-executable ones first: `.rodata`
 * has its own read-only segment with `-z separate-code` (the x86 default), and shares the text
 * segment elsewhere, so executable segments are scanned too while the budget lasts.
 */
function dataRanges(image: ElfLayout): ScanRange[] {
  const loads = image.segments.filter((segment) => segment.type === PT_LOAD && segment.filesz > 0);
  const ordered = [...loads.filter((s) => (s.flags & PF_X) === 0), ...loads.filter((s) => (s.flags & PF_X) !== 0)];
  return ordered.map((segment) => ({ offset: segment.offset, length: segment.filesz }));
}

/**
 * attempt runs one detector; a malformed structure it meets (ElfFormatError) becomes a note and
 * the others still decide. Anything else is a bug of ours and propagates: a report must not turn
 * a TypeError into a note about the file.
 */
async function attempt<T>(notes: string[], what: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ElfFormatError)) throw error;
    notes.push(`binary kind (${what}): ${error.message}`);
    return undefined;
  }
}
