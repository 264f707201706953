import type { Finding } from '../check/check.js';
import { judge, type JudgeMode } from '../check/verdict.js';
import type { ElfFile } from '../elf/types.js';
import { withHints, type HintMatch } from '../hints/match.js';
import type { BinaryKind } from '../kind/detect.js';
import type { StackRequest, X86Isa } from '../objects/loader-notes.js';
import { platformsFor } from '../targets/platforms.js';
import { toRequirement } from '../versions/requirement.js';
import type { AnalysisFinding, ArchiveMember, FileAnalysis } from './file-analysis.js';

/** What was read of one file, besides its version tables. */
export interface ReadFile {
  readonly path: string;
  /** For objects and archives, `versionNeeds` are the needs a link creates (src/symbols/object-needs.ts). */
  readonly elf: ElfFile;
  readonly kind?: BinaryKind | undefined;
  readonly stack?: StackRequest | undefined;
  readonly x86Isa?: X86Isa | undefined;
  readonly archiveMembers?: readonly ArchiveMember[] | undefined;
  /** How the file was read, beyond the reader's own notes. */
  readonly notes?: readonly string[];
}

/**
 * analyseFile judges one read file in `mode` (the one judge, check/verdict.ts) and explains each
 * version finding with the hint catalogue, its fixes written for the file's machine. `show`
 * judges nothing and, with `platforms`, says which catalogue targets can run the file.
 */
export function analyseFile(file: ReadFile, mode: JudgeMode): FileAnalysis {
  const { elf } = file;
  const requirements = elf.versionNeeds.map(toRequirement);
  const tableNote = elf.tableSource === 'dynamic' ? ['no section headers: tables found through the dynamic segment'] : [];
  const facts = { machine: elf.machine, interpreter: elf.interpreter, needed: elf.needed, requirements, type: elf.type, needs: elf.versionNeeds, stack: file.stack, x86Isa: file.x86Isa };
  const verdict = judge(facts, mode);
  const explained = (finding: Finding): readonly HintMatch[] => hintsOf(finding, elf);
  const findings: AnalysisFinding[] = [
    ...verdict.violations.map((finding) => ({ kind: 'violation' as const, finding, hints: explained(finding) })),
    ...verdict.warnings.map((finding) => ({ kind: 'warning' as const, finding, hints: explained(finding) })),
    ...verdict.libraryFindings.map((finding) => ({ kind: 'library' as const, finding })),
    ...verdict.loaderFindings.map((finding) => ({ kind: 'loader' as const, finding })),
    ...verdict.unchecked.map(({ requirement, uncheckedOn }) => ({ kind: 'unchecked' as const, requirement, uncheckedOn })),
  ];
  return {
    status: 'analysed',
    path: file.path,
    elf,
    requirements,
    judged: mode.kind !== 'show',
    findings,
    notes: [...tableNote, ...elf.notes, ...(file.notes ?? [])],
    ...(file.kind !== undefined ? { kind: file.kind } : {}),
    stack: file.stack,
    x86Isa: file.x86Isa,
    ...(file.archiveMembers !== undefined ? { archiveMembers: file.archiveMembers } : {}),
    ...(mode.kind === 'show' && mode.platforms ? { platforms: platformsFor(facts) } : {}),
  };
}

/** hintsOf: the catalogue entries that explain a finding; the build advice names the GLIBC floor it breaks. */
function hintsOf(finding: Finding, machine: ElfFile): readonly HintMatch[] {
  const { requirement } = finding;
  const subject = { library: requirement.library, version: requirement.version, symbols: requirement.symbols, family: requirement.family, floor: finding.floor.version };
  return withHints(subject, machine).hints ?? [];
}
