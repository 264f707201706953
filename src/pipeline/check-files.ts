import type { JudgeMode } from '../check/verdict.js';
import { declaredPolicy } from '../check/claim-verdict.js';
import { hasElfMagic } from '../elf/header.js';
import { readElf } from '../elf/read-elf.js';
import type { ElfLayout } from '../elf/elf-layout.js';
import type { ElfFile } from '../elf/types.js';
import { hasArMagicPrefix, isArArchive } from '../archive/ar.js';
import { ArchiveFormatError } from '../archive/archive-error.js';
import { toRequirement } from '../versions/requirement.js';
import { readPrefixSync, type ByteSource } from '../io/byte-source.js';
import { readX86Isa, stackRequest } from '../objects/loader-notes.js';
import { objectContents, readArchiveMembers } from '../objects/read-objects.js';
import { archiveNeeds, objectNeeds } from '../symbols/object-needs.js';
import { glibcSymbolsRelease } from '../symbols/glibc-symbols.js';
import { analyseFile } from '../analysis/analyse-file.js';
import type { FileAnalysis, InputAnalysis } from '../analysis/file-analysis.js';
import { inputReport } from '../report/build.js';
import { detectKind, type BinaryKind } from '../kind/detect.js';
import type { FileReport } from '../report/model.js';
import { describeError, describeFsError } from '../errors/describe-error.js';
import type { Input } from '../scan/walk.js';
import { mapInOrder } from '../io/map-in-order.js';
import { monotonicMs } from '../io/clock.js';

/** How many files are open and being read at once: enough to overlap I/O, few enough to stay far below fd limits. */
export const FILES_IN_FLIGHT = 16;

/**
 * analyseInput reads one input and returns its analysis. It never throws: every problem with the
 * file becomes an `error` entry (or a `skipped` one for a non-ELF file found in a directory). A
 * file reached through a symbolic link names its real file (`linkTarget`) unless it was skipped.
 */
export async function analyseInput(input: Input, mode: JudgeMode, declaredOnly = false): Promise<InputAnalysis> {
  if (input.kind === 'error') return { path: input.path, status: 'error', error: input.error };
  if (input.kind === 'skipped') {
    return { path: input.path, status: 'skipped', reason: input.reason, ...(input.duplicateOf === undefined ? {} : { duplicateOf: input.duplicateOf }) };
  }
  if (declaredOnly) {
    // No floor given: a package member is checked by what its package declares; nothing else can be.
    const policy = input.declared === undefined ? 'no floor given: name one with --floor or --target (only packages declare their own)' : declaredPolicy(input.declared, input.path);
    if (typeof policy === 'string') return { path: input.path, status: 'error', error: policy };
    mode = { kind: 'policy', policy };
  }
  const entry = await readInput(input, mode);
  return input.linkTarget === undefined || entry.status === 'skipped' ? entry : { ...entry, linkTarget: input.linkTarget };
}

async function readInput(input: Input & { kind: 'file' }, mode: JudgeMode): Promise<InputAnalysis> {
  if (!input.named && input.fsPath !== undefined) {
    // Most files of a tree are not ELF: settle those with one open, a 4-byte read and a close.
    let magic: Uint8Array;
    try {
      magic = readPrefixSync(input.fsPath, 4);
    } catch (error) {
      return { path: input.path, status: 'error', error: describeFsError(error) };
    }
    if (!hasElfMagic(magic) && !hasArMagicPrefix(magic)) return { path: input.path, status: 'skipped', reason: 'not-elf' };
  }
  let source;
  try {
    source = await input.open();
  } catch (error) {
    return { path: input.path, status: 'error', error: describeFsError(error) };
  }
  try {
    const head = await source.readAt(0, 8);
    if (isArArchive(head)) {
      const report = await archiveAnalysis(input.path, source, mode);
      // Found in a tree, an archive without objects (glibc's empty libdl.a stubs) holds no ELF: skipped, as other files
      // without ELF are; named on the command line, checking nothing is an error (a gate never passes on nothing).
      if (report === undefined && !input.named) return { path: input.path, status: 'skipped', reason: 'not-elf' };
      if (report === undefined) throw new ArchiveFormatError('ar archive with no ELF object among its members: nothing to check');
      return report;
    }
    // Entries of an image have no file to probe: check their magic through the source.
    if (!input.named && input.fsPath === undefined && !hasElfMagic(head)) {
      return { path: input.path, status: 'skipped', reason: 'not-elf' };
    }
    const { elf, layout } = await readElf(source);
    const kind = await detectKind(layout, elf);
    if (elf.type === 'REL') return await objectAnalysis(input.path, elf, layout, kind, mode);
    return analyseFile({ path: input.path, elf, kind, stack: await stackRequest(layout), x86Isa: await readX86Isa(layout) }, mode);
  } catch (error) {
    return { path: input.path, status: 'error', error: describeError(error) };
  } finally {
    await source.close().catch(() => undefined);
  }
}

/** objectNote says where an object's requirements come from; `what` names the object or the archive's objects. */
function objectNote(what: string, owner: 'its' | 'their'): string {
  return `${what}: ${owner} requirements are the versions a link against glibc ${glibcSymbolsRelease()} binds ${owner} undefined symbols to (the glibc symbol database), imposed on every program or library that links ${owner === 'its' ? 'it' : 'them'}`;
}

/**
 * objectAnalysis: an object has no version needs of its own; the needs a link of it creates stand
 * in for them, so floors, targets, hints and every format treat it like a program.
 */
async function objectAnalysis(path: string, elf: ElfFile, layout: ElfLayout, kind: BinaryKind, mode: JudgeMode): Promise<FileAnalysis> {
  const contents = await objectContents(layout);
  const { needs, machineKnown } = objectNeeds(elf.machine, contents.undefined);
  const notes = [machineKnown ? objectNote('relocatable object', 'its') : `relocatable object for ${elf.machine}, which the glibc symbol database does not cover: no requirement can be told`];
  return analyseFile({ path, elf: { ...elf, versionNeeds: needs }, kind, stack: contents.stack, x86Isa: contents.x86Isa, notes }, mode);
}

/** An archive is no binary of any kind the detector knows: `other`, as relocatable objects are. */
const ARCHIVE_KIND: BinaryKind = { name: 'other', evidence: 'ar archive of relocatable objects', notes: [] };

/**
 * archiveAnalysis reads a static library or Rust rlib: every member as an object, the archive's
 * needs the union of theirs (a symbol one member defines for another is resolved inside it), and
 * each member's own needs for `show`. Undefined for an archive with no ELF object member.
 */
async function archiveAnalysis(path: string, source: ByteSource, mode: JudgeMode): Promise<FileAnalysis | undefined> {
  const members = await readArchiveMembers(source);
  const objects = members.flatMap((member) => (member.object === undefined ? [] : [{ name: member.name, object: member.object }]));
  const first = objects[0]?.object.elf;
  if (first === undefined) return undefined;
  const machine = first.machine;
  const others = objects.filter(({ object }) => object.elf.machine !== machine).map(({ name }) => name);
  const linked = archiveNeeds(machine, objects.filter(({ object }) => object.elf.machine === machine).map(({ name, object }) => ({ name, machine, undefined: object.undefined, defined: object.defined })));
  const needsByMember = new Map(linked.members.map((member) => [member.name, member.needs]));
  const stacks = objects.map(({ object }) => object.stack);
  const isa = objects.reduce((bits, { object }) => ({ needed: bits.needed | (object.x86Isa?.needed ?? 0), used: bits.used | (object.x86Isa?.used ?? 0) }), { needed: 0, used: 0 });
  const elf: ElfFile = {
    ...first, interpreter: null, dynamic: false, static: false, needed: [], soname: null, versionNeeds: linked.needs,
    versionDefinitions: [], dynamicSymbolCount: 0, tableSource: 'none', notes: [],
  };
  const notes = [
    linked.machineKnown ? objectNote(`ar archive of ${objects.length} object${objects.length === 1 ? '' : 's'}`, objects.length === 1 ? 'its' : 'their') : `ar archive of ${machine} objects, which the glibc symbol database does not cover: no requirement can be told`,
    ...(others.length > 0 ? [`members for another machine than ${machine} were not checked: ${others.join(', ')}`] : []),
    ...members.filter((member) => member.skipped !== undefined).map((member) => `member ${member.name}: ${member.skipped}`),
  ];
  return analyseFile({
    path,
    elf,
    kind: ARCHIVE_KIND,
    stack: stacks.includes('executable') ? 'executable' : stacks.includes('default-executable') ? 'default-executable' : 'not-executable',
    x86Isa: isa.needed === 0 && isa.used === 0 ? undefined : isa,
    notes,
    archiveMembers: members.map((member) => ({
      name: member.name,
      requirements: (needsByMember.get(member.name) ?? []).map(toRequirement),
      ...(member.skipped !== undefined ? { skipped: member.skipped } : {}),
    })),
  }, mode);
}

/** How a scan runs: the judge's mode, who is told after each file (a progress line), and whether packages' declared floors are the floors. */
export interface ReportOptions {
  readonly mode: JudgeMode;
  readonly onProgress?: ((done: number, found: number) => void) | undefined;
  /** No floor was given: package members are checked by the floors their package declares, other files cannot be. */
  readonly declaredOnly?: boolean;
  /** Told each entry's wall time from open to verdict (JUnit's per-test-case `time`). */
  readonly onFileDone?: ((index: number, ms: number) => void) | undefined;
}

/**
 * analyseEach checks inputs with at most FILES_IN_FLIGHT files open at once and yields the
 * analyses in input order as they complete, so a caller can write each one and keep none.
 */
export async function* analyseEach(inputs: AsyncIterable<Input>, { mode, onProgress, declaredOnly = false, onFileDone }: ReportOptions): AsyncGenerator<InputAnalysis> {
  let found = 0;
  let done = 0;
  yield* mapInOrder(inputs, FILES_IN_FLIGHT, async (input, index) => {
    found = Math.max(found, index + 1);
    const started = monotonicMs();
    const entry = await analyseInput(input, mode, declaredOnly);
    onFileDone?.(index, monotonicMs() - started);
    done++;
    onProgress?.(done, found);
    return entry;
  });
}

/** analyseInputs is analyseEach gathered into an array (diff, which wants both sides whole). */
export async function analyseInputs(inputs: AsyncIterable<Input>, options: ReportOptions): Promise<InputAnalysis[]> {
  const entries: InputAnalysis[] = [];
  for await (const entry of analyseEach(inputs, options)) entries.push(entry);
  return entries;
}

/** reportInputs is every input's report entry, with no waivers (`show --min-floor` and tests, which want them all). */
export async function reportInputs(inputs: AsyncIterable<Input>, options: ReportOptions): Promise<FileReport[]> {
  return (await analyseInputs(inputs, options)).map(inputReport);
}
