import type { AnalysisFinding, FileAnalysis, InputAnalysis } from '../analysis/file-analysis.js';
import { fails } from '../analysis/file-analysis.js';
import { maxVersions, type Finding } from '../check/check.js';
import { floorsRecord, type Floors } from '../check/floors.js';
import { x86LevelName, type LoaderFinding } from '../check/loader-rules.js';
import type { LibraryFinding } from '../check/verdict.js';
import type { HintMatch } from '../hints/match.js';
import type { BinaryKind } from '../kind/detect.js';
import { x86IsaLevel } from '../objects/loader-notes.js';
import { GLIBC_MARKERS } from '../versions/glibc-markers.js';
import type { Requirement } from '../versions/requirement.js';
import { FINDINGS } from './findings.js';
import { neededFloors } from './needed-floors.js';
import type {
  ArchiveReport, CheckedFileReport, Command, FileReport, FindingReport, HintReport, KindReport, LibraryFindingReport, LoaderFindingReport, LoaderReport, Report,
  RequirementReport, Result, Summary,
} from './model.js';

export const TOOL_NAME = 'glibc-floor';

/**
 * inputReport maps one input's analysis to its report entry (the JSON contract). This is the
 * only place the analysis becomes the report; the key order is the contract's documents' order.
 */
export function inputReport(entry: InputAnalysis): FileReport {
  if (entry.status === 'skipped') {
    return { path: entry.path, status: 'skipped', reason: entry.reason, ...(entry.duplicateOf === undefined ? {} : { duplicateOf: entry.duplicateOf }) };
  }
  if (entry.status === 'error') return { path: entry.path, status: 'error', error: entry.error, ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }) };
  return fileReport(entry);
}

/**
 * fileReport maps an analysed file to its entry: `check` and `policy` carry violations and
 * warnings and a pass/fail status; `show` only describes (and, with platforms, says which
 * catalogue targets can run the file).
 */
export function fileReport(analysis: FileAnalysis): CheckedFileReport {
  const { elf, kind } = analysis;
  const kindNotes = kind?.notes ?? [];
  // The reader's notes lead; the kind detector's follow them (or, with none, follow the kind).
  const notes = analysis.notes.length > 0 ? [...analysis.notes, ...kindNotes] : [];
  const lateNotes = analysis.notes.length === 0 ? kindNotes : [];
  const loader = loaderReport(analysis);
  const base = {
    path: analysis.path,
    elf: { class: elf.class, endian: elf.endian, machine: elf.machine, type: elf.type, interpreter: elf.interpreter, static: elf.static },
    needed: elf.needed,
    requirements: analysis.requirements.map(requirementReport),
    maxVersions: maxVersions(analysis.requirements),
    ...(notes.length > 0 ? { notes } : {}),
    ...(loader !== undefined ? { loader } : {}),
    ...(analysis.archiveMembers !== undefined ? { archive: archiveReport(analysis) } : {}),
  };
  const judged = analysis.judged ? verdictFields(analysis.findings) : analysis.platforms !== undefined ? { platforms: analysis.platforms } : {};
  const waived = analysis.findings.flatMap((entry) => (entry.kind === 'violation' && entry.waived !== undefined ? [findingReport(entry.finding, entry.hints, entry.waived)] : []));
  return {
    ...base,
    status: analysis.judged && fails(analysis) ? 'fail' : 'pass',
    ...judged,
    ...(kind !== undefined ? { kind: kindReport(kind) } : {}),
    ...(kind?.go !== undefined ? { go: kind.go } : {}),
    ...(lateNotes.length > 0 ? { notes: lateNotes } : {}),
    ...(analysis.linkTarget !== undefined ? { linkTarget: analysis.linkTarget } : {}),
    ...(waived.length > 0 ? { waivedViolations: waived } : {}),
  };
}

/** verdictFields: a judged file's findings, each kind under its own key of the contract. */
function verdictFields(findings: readonly AnalysisFinding[]): Pick<CheckedFileReport, 'violations' | 'warnings' | 'libraryFindings' | 'loaderFindings' | 'unchecked'> {
  const violations: FindingReport[] = [];
  const warnings: FindingReport[] = [];
  const library: LibraryFindingReport[] = [];
  const loader: LoaderFindingReport[] = [];
  const unchecked: NonNullable<CheckedFileReport['unchecked']>[number][] = [];
  for (const entry of findings) {
    if (entry.kind === 'violation' && entry.waived === undefined) violations.push(findingReport(entry.finding, entry.hints));
    else if (entry.kind === 'warning') warnings.push(findingReport(entry.finding, entry.hints));
    else if (entry.kind === 'library') library.push(libraryFindingReport(entry.finding));
    else if (entry.kind === 'loader') loader.push(loaderFindingReport(entry.finding));
    else if (entry.kind === 'unchecked') unchecked.push({ ...requirementReport(entry.requirement), uncheckedOn: entry.uncheckedOn });
  }
  return {
    violations,
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(library.length > 0 ? { libraryFindings: library } : {}),
    ...(loader.length > 0 ? { loaderFindings: loader } : {}),
    ...(unchecked.length > 0 ? { unchecked } : {}),
  };
}

/** loaderReport says what the file asks of the loader, when it asks anything beyond the defaults. */
function loaderReport(analysis: FileAnalysis): LoaderReport | undefined {
  if (analysis.stack === undefined) return undefined;
  const level = analysis.x86Isa === undefined ? undefined : x86IsaLevel(analysis.x86Isa.needed | analysis.x86Isa.used);
  if (analysis.stack === 'not-executable' && (level === undefined || level <= 1)) return undefined;
  return { stack: analysis.stack, ...(level !== undefined && level > 1 ? { x86Level: x86LevelName(level) } : {}) };
}

function archiveReport(analysis: FileAnalysis): ArchiveReport {
  return {
    members: (analysis.archiveMembers ?? []).map((member) => ({
      name: member.name,
      requirements: member.requirements.map(requirementReport),
      ...(member.skipped !== undefined ? { skipped: member.skipped } : {}),
    })),
  };
}

function kindReport(kind: BinaryKind): KindReport {
  return { name: kind.name, evidence: kind.evidence, ...(kind.warning !== undefined ? { warning: kind.warning } : {}) };
}

function loaderFindingReport(finding: LoaderFinding): LoaderFindingReport {
  return { code: finding.code, message: finding.message, failsOn: finding.failsOn, fix: FINDINGS[finding.code].help };
}

function libraryFindingReport(finding: LibraryFinding): LibraryFindingReport {
  return { library: finding.library, reason: finding.reason, message: finding.message, failsOn: finding.failsOn };
}

function requirementReport(requirement: Requirement): RequirementReport {
  return {
    library: requirement.library,
    version: requirement.version,
    family: requirement.family,
    weak: requirement.weak,
    symbols: requirement.symbols,
  };
}

function hintReport(hint: HintMatch): HintReport {
  return { id: hint.id, symbols: hint.symbols, why: hint.why, fixes: hint.fixes, sources: hint.sources };
}

function findingReport(finding: Finding, hints: readonly HintMatch[], waived?: string): FindingReport {
  const marker = GLIBC_MARKERS[finding.requirement.version];
  return {
    ...requirementReport(finding.requirement),
    floor: finding.floor.version,
    reason: finding.reason,
    ...(marker !== undefined ? { standsFor: marker.release } : {}),
    ...(finding.failsOn !== undefined ? { failsOn: finding.failsOn } : {}),
    ...(hints.length > 0 ? { hints: hints.map(hintReport) } : {}),
    ...(waived !== undefined ? { waived: { reason: waived } } : {}),
  };
}

/** Tally counts entries by status as they stream past (the summary of a run that keeps no entries). */
export class Tally {
  private readonly counts = { files: 0, passed: 0, failed: 0, errors: 0, skipped: 0 };

  add(file: FileReport): void {
    this.counts.files++;
    if (file.status === 'pass') this.counts.passed++;
    else if (file.status === 'fail') this.counts.failed++;
    else if (file.status === 'error') this.counts.errors++;
    else this.counts.skipped++;
  }

  get summary(): Summary {
    return { ...this.counts };
  }
}

/** summarize counts the files by status. */
export function summarize(files: readonly FileReport[]): Summary {
  const count = (status: FileReport['status']) => files.filter((file) => file.status === status).length;
  return { files: files.length, passed: count('pass'), failed: count('fail'), errors: count('error'), skipped: count('skipped') };
}

/** resultOf: the worst outcome wins, error over fail over pass (the README's "Exit codes"). */
export function resultOf(summary: Summary): Result {
  return summary.errors > 0 ? 'error' : summary.failed > 0 ? 'fail' : 'pass';
}

/** runHeader is what a run's reports say before the first file: the tool, the command, the floors. */
export function runHeader(
  command: Command,
  toolVersion: string,
  floors: Floors | undefined,
  added: Pick<Report, 'floorSources' | 'targets' | 'floorNotes' | 'allowLibraries'> = {},
): Omit<Report, 'result' | 'summary' | 'files'> {
  return { schemaVersion: 1, tool: { name: TOOL_NAME, version: toolVersion }, command, floors: floors === undefined ? {} : floorsRecord(floors), ...added };
}

/** buildReport assembles the report document from the file entries, in the order given. */
export function buildReport(
  command: Command,
  toolVersion: string,
  floors: Floors | undefined,
  files: readonly FileReport[],
  added: Pick<Report, 'floorSources' | 'targets' | 'floorNotes' | 'allowLibraries' | 'warnings' | 'error'> = {},
): Report {
  const summary = summarize(files);
  return {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: toolVersion },
    command,
    floors: floors === undefined ? {} : floorsRecord(floors),
    // A run-level error (nothing checked, a usage error) makes the result an error whatever the files say.
    result: added.error !== undefined ? 'error' : resultOf(summary),
    summary,
    files,
    ...added,
    ...(command === 'show' ? { neededFloors: neededFloors(files.filter((file): file is CheckedFileReport => file.status === 'pass' || file.status === 'fail')) } : {}),
  };
}

/** exitCodeFor maps a result to the process exit code: pass 0, fail 1, error 2 (the exit codes of the README; diff too). */
export function exitCodeFor(result: Result): 0 | 1 | 2 {
  return result === 'error' ? 2 : result === 'fail' ? 1 : 0;
}

/** exitCodeOf is the exit code of a report. */
export function exitCodeOf(report: Report): 0 | 1 | 2 {
  return exitCodeFor(report.result);
}
