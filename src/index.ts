/**
 * glibc-floor's library API: read an ELF file's version needs and check them against floors.
 *
 * ```ts
 * import { readElfFile, checkFile, parseFloorSpec } from 'glibc-floor';
 * const floors = new Map([['GLIBC', parseFloorSpec('2.35')]]);
 * const result = checkFile('bin/metis', await readElfFile('bin/metis'), floors);
 * if (result.status === 'fail') console.log(result.violations);
 * ```
 */
import { readElf } from './elf/read-elf.js';
import type { Floors } from './check/floors.js';
import type { ElfFile } from './elf/types.js';
import { analyseFile } from './analysis/analyse-file.js';
import { fileReport } from './report/build.js';
import type { CheckedFileReport } from './report/model.js';
import { openFileSource } from './io/byte-source.js';

export { bufferSource, openFileSource, type ByteSource, type FileByteSource } from './io/byte-source.js';
export { readElf } from './elf/read-elf.js';
export { ElfFormatError, NotElfError } from './elf/errors.js';
export type { ElfFile, VersionNeed, VersionNeedSymbol, VersionDefinition, TableSource } from './elf/types.js';
export { parseVersionName, compareVersions, parseDottedVersion, type VersionName } from './versions/version-name.js';
export { GLIBC_MARKERS, GLIBC_PRIVATE } from './versions/glibc-markers.js';
export { toRequirement, type Requirement } from './versions/requirement.js';
export { parseFloorSpec, mergeFloors, type Floor, type Floors } from './check/floors.js';
export { maxVersions, type Finding, type FindingReason } from './check/check.js';
export { fileReport, inputReport, buildReport, exitCodeOf } from './report/build.js';
export { analyseFile, type ReadFile } from './analysis/analyse-file.js';
export { fails, type AnalysisFinding, type ArchiveMember, type FileAnalysis, type InputAnalysis, type SkippedInput, type UnreadableInput } from './analysis/file-analysis.js';
export type * from './report/model.js';
export { renderers, renderReport, renderWhole, FORMATS, summarizeRun, type Format, type RenderOptions, type RunSummary, type ReportLocation, type ReportSink, type RunEnd, type RunHeader, type StreamRenderer } from './report/index.js';
export { UsageError } from './errors/usage-error.js';
export { openImageFilesystem, type ImageEntry, type ImageFilesystem, type ImageReadOptions } from './image/image-filesystem.js';
export { ImageError } from './image/image-error.js';
export { readImageLibraries, IMAGE_LIBRARY_DIRECTORIES, type ImageLibrary } from './image/image-libraries.js';
export { parsePlatform, formatPlatform, type Platform } from './image/platform.js';

/** checkFile judges one read file against plain numeric floors (the `check` command's entry for it). */
export function checkFile(path: string, elf: ElfFile, floors: Floors): CheckedFileReport {
  return fileReport(analyseFile({ path, elf }, { kind: 'check', floors }));
}

/** readElfFile reads the version needs of the ELF file at `path` with positioned reads. */
export async function readElfFile(path: string): Promise<ElfFile> {
  const source = await openFileSource(path);
  try {
    return (await readElf(source)).elf;
  } finally {
    await source.close();
  }
}

// Targets, exact floors and needed libraries (the targets issue).
export { judge, targetFinding, type JudgeMode, type CheckPolicy, type CheckTarget, type FileFacts, type LibraryFinding, type Verdict } from './check/verdict.js';
export { compileLibraryPolicy, GLIBC_ONLY, isMuslBinary, type LibraryPolicy } from './check/library-policy.js';
export { librariesFromElfFiles, definedVersions, type LibraryVersions, type MachineLibraries, type ReadLibrary, type SystemLibraries } from './libraries/library-set.js';
export { readSystemLibraries } from './libraries/read-tree.js';
export { CATALOGUE, type TargetRecord, type CatalogueValue } from './targets/catalogue.js';
export { findTarget, resolveTargets } from './targets/resolve.js';
export { checkTargetOf, combineFleet } from './targets/fleet.js';
export { platformsFor, type Platforms } from './targets/platforms.js';
