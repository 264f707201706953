import { maxVersions, type Finding } from '../check/check.js';
import { floorsRecord, type Floors } from '../check/floors.js';
import { x86LevelName, type LoaderFinding } from '../check/loader-rules.js';
import { judge, type JudgeMode } from '../check/verdict.js';
import { x86IsaLevel, type StackRequest, type X86Isa } from '../objects/loader-notes.js';
import { platformsFor } from '../targets/platforms.js';
import type { ElfFile } from '../elf/types.js';
import { GLIBC_MARKERS } from '../versions/glibc-markers.js';
import { toRequirement, type Requirement } from '../versions/requirement.js';
import { FINDINGS } from './findings.js';
import { neededFloors } from './needed-floors.js';
import type { ArchiveReport, CheckedFileReport, Command, FileReport, FindingReport, LoaderFindingReport, LoaderReport, Report, RequirementReport, Result, Summary } from './model.js';

export const TOOL_NAME = 'glibc-floor';

/** What a file offers beyond its version tables: the loader's notes, an archive's members, notes on how it was read. */
export interface FileExtras {
  readonly stack?: StackRequest | undefined;
  readonly x86Isa?: X86Isa | undefined;
  readonly archive?: ArchiveReport | undefined;
  readonly notes?: readonly string[];
}

/**
 * fileReport turns one read ELF file into its report entry, judged in `mode`: `check` and
 * `policy` carry violations and warnings and a pass/fail status; `show` only describes (and,
 * with `platforms`, says which catalogue targets can run the file). For objects and archives,
 * `elf.versionNeeds` are the needs a link creates (src/symbols/object-needs.ts).
 */
export function fileReport(path: string, elf: ElfFile, mode: JudgeMode, extras: FileExtras = {}): CheckedFileReport {
  const requirements = elf.versionNeeds.map(toRequirement);
  const notes = [...notesOf(elf), ...(extras.notes ?? [])];
  const loader = loaderReport(extras);
  const base = {
    path,
    elf: {
      class: elf.class,
      endian: elf.endian,
      machine: elf.machine,
      type: elf.type,
      interpreter: elf.interpreter,
      static: elf.static,
    },
    needed: elf.needed,
    requirements: requirements.map(requirementReport),
    maxVersions: maxVersions(requirements),
    ...(notes.length > 0 ? { notes } : {}),
    ...(loader !== undefined ? { loader } : {}),
    ...(extras.archive !== undefined ? { archive: extras.archive } : {}),
  };
  const facts = { machine: elf.machine, interpreter: elf.interpreter, needed: elf.needed, requirements, type: elf.type, needs: elf.versionNeeds, stack: extras.stack, x86Isa: extras.x86Isa };
  if (mode.kind === 'show') return { ...base, status: 'pass', ...(mode.platforms ? { platforms: platformsFor(facts) } : {}) };
  const verdict = judge(facts, mode);
  const fails = verdict.violations.length > 0 || verdict.libraryFindings.length > 0 || verdict.loaderFindings.some((finding) => finding.failsOn.length > 0);
  return {
    ...base,
    status: fails ? 'fail' : 'pass',
    violations: verdict.violations.map(findingReport),
    ...(verdict.warnings.length > 0 ? { warnings: verdict.warnings.map(findingReport) } : {}),
    ...(verdict.libraryFindings.length > 0 ? { libraryFindings: verdict.libraryFindings } : {}),
    ...(verdict.loaderFindings.length > 0 ? { loaderFindings: verdict.loaderFindings.map(loaderFindingReport) } : {}),
    ...(verdict.unchecked.length > 0
      ? { unchecked: verdict.unchecked.map(({ requirement, uncheckedOn }) => ({ ...requirementReport(requirement), uncheckedOn })) }
      : {}),
  };
}

/** loaderReport says what the file asks of the loader, when it asks anything beyond the defaults. */
function loaderReport(extras: FileExtras): LoaderReport | undefined {
  if (extras.stack === undefined) return undefined;
  const level = extras.x86Isa === undefined ? undefined : x86IsaLevel(extras.x86Isa.needed | extras.x86Isa.used);
  if (extras.stack === 'not-executable' && (level === undefined || level <= 1)) return undefined;
  return { stack: extras.stack, ...(level !== undefined && level > 1 ? { x86Level: x86LevelName(level) } : {}) };
}

function loaderFindingReport(finding: LoaderFinding): LoaderFindingReport {
  return { ...finding, fix: FINDINGS[finding.code].help };
}

function notesOf(elf: ElfFile): string[] {
  const notes = elf.tableSource === 'dynamic' ? ['no section headers: tables found through the dynamic segment'] : [];
  return [...notes, ...elf.notes];
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

function findingReport(finding: Finding): FindingReport {
  const marker = GLIBC_MARKERS[finding.requirement.version];
  return {
    ...requirementReport(finding.requirement),
    floor: finding.floor.version,
    reason: finding.reason,
    ...(marker !== undefined ? { standsFor: marker.release } : {}),
    ...(finding.failsOn !== undefined ? { failsOn: finding.failsOn } : {}),
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
