/**
 * The analysis of one input: what was read (the ELF facts, the requirements with their parsed
 * versions, the binary kind, the loader's notes, an archive's members) and how it fares (the
 * findings, one coded union). It is the domain model under every report: waivers and diff work
 * on it, and `report/build.ts` alone maps it to the JSON contract (src/report/model.ts).
 */
import type { Finding } from '../check/check.js';
import type { LoaderFinding } from '../check/loader-rules.js';
import type { LibraryFinding } from '../check/verdict.js';
import type { ElfFile } from '../elf/types.js';
import type { HintMatch } from '../hints/match.js';
import type { BinaryKind } from '../kind/detect.js';
import type { StackRequest, X86Isa } from '../objects/loader-notes.js';
import type { SkipReason } from '../scan/skip-reason.js';
import type { Platforms } from '../targets/platforms.js';
import type { Requirement } from '../versions/requirement.js';

/**
 * AnalysisFinding is one thing the judge found, by kind: a binding need above a floor
 * (`violation`, with the catalogue's hints and, once a config waiver accepts it, `waived`), a weak
 * need only weak symbols use (`warning`), a needed library the policy or a system refuses
 * (`library`), a loader-era rule (`loader`; it fails only with a non-empty `failsOn`), or a need a
 * partial `--floor-from` system could not judge (`unchecked`).
 */
export type AnalysisFinding =
  | { readonly kind: 'violation'; readonly finding: Finding; readonly hints: readonly HintMatch[]; readonly waived?: string }
  | { readonly kind: 'warning'; readonly finding: Finding; readonly hints: readonly HintMatch[] }
  | { readonly kind: 'library'; readonly finding: LibraryFinding }
  | { readonly kind: 'loader'; readonly finding: LoaderFinding }
  | { readonly kind: 'unchecked'; readonly requirement: Requirement; readonly uncheckedOn: readonly string[] };

/** An archive member (`.a`, `.rlib`) with the needs a link of it alone creates. */
export interface ArchiveMember {
  readonly name: string;
  readonly requirements: readonly Requirement[];
  /** Why the member was not read as an object. */
  readonly skipped?: string;
}

/** FileAnalysis is a read ELF file (program, library, object or archive), judged in one mode. */
export interface FileAnalysis {
  readonly status: 'analysed';
  readonly path: string;
  /** For a file reached through a symbolic link, the real file's path. */
  readonly linkTarget?: string;
  /** What was read; for objects and archives `versionNeeds` are the needs a link creates. */
  readonly elf: ElfFile;
  readonly requirements: readonly Requirement[];
  /** False for `show`, which describes only: no findings, and the file never fails. */
  readonly judged: boolean;
  readonly findings: readonly AnalysisFinding[];
  /** How the file was read (stripped section headers, objects' needs, archive members left out). */
  readonly notes: readonly string[];
  readonly kind?: BinaryKind;
  readonly stack?: StackRequest | undefined;
  readonly x86Isa?: X86Isa | undefined;
  readonly archiveMembers?: readonly ArchiveMember[];
  /** `show`: which catalogue targets can run the file. */
  readonly platforms?: Platforms;
}

/** An input that could not be read (missing, unreadable, not ELF when named, malformed). */
export interface UnreadableInput {
  readonly status: 'error';
  readonly path: string;
  readonly linkTarget?: string;
  /** One line naming the problem. */
  readonly error: string;
}

/** A file found in a tree and not checked. */
export interface SkippedInput {
  readonly status: 'skipped';
  readonly path: string;
  readonly reason: SkipReason;
  /** With reason `duplicate`: the path under which the same real file was checked. */
  readonly duplicateOf?: string;
}

export type InputAnalysis = FileAnalysis | UnreadableInput | SkippedInput;

/** fails says whether an analysed file fails its check: an unwaived violation, a library finding, or a failing loader rule. */
export function fails(analysis: FileAnalysis): boolean {
  return analysis.findings.some(
    (entry) =>
      (entry.kind === 'violation' && entry.waived === undefined) || entry.kind === 'library' || (entry.kind === 'loader' && entry.finding.failsOn.length > 0),
  );
}
