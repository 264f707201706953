import { maxVersions, type Finding } from '../check/check.js';
import { floorsRecord, type Floors } from '../check/floors.js';
import { judge, type JudgeMode } from '../check/verdict.js';
import { platformsFor } from '../targets/platforms.js';
import type { ElfFile } from '../elf/types.js';
import { GLIBC_MARKERS } from '../versions/glibc-markers.js';
import { toRequirement, type Requirement } from '../versions/requirement.js';
import type { CheckedFileReport, Command, FileReport, FindingReport, Report, RequirementReport, Result, Summary } from './model.js';

export const TOOL_NAME = 'glibc-floor';

/**
 * fileReport turns one read ELF file into its report entry, judged in `mode`: `check` and
 * `policy` carry violations and warnings and a pass/fail status; `show` only describes (and,
 * with `platforms`, says which catalogue targets can run the file).
 */
export function fileReport(path: string, elf: ElfFile, mode: JudgeMode): CheckedFileReport {
  const requirements = elf.versionNeeds.map(toRequirement);
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
    ...(elf.notes.length > 0 || elf.tableSource === 'dynamic' ? { notes: notesOf(elf) } : {}),
  };
  const facts = { machine: elf.machine, interpreter: elf.interpreter, needed: elf.needed, requirements };
  if (mode.kind === 'show') return { ...base, status: 'pass', ...(mode.platforms ? { platforms: platformsFor(facts) } : {}) };
  const verdict = judge(facts, mode);
  const fails = verdict.violations.length > 0 || verdict.libraryFindings.length > 0;
  return {
    ...base,
    status: fails ? 'fail' : 'pass',
    violations: verdict.violations.map(findingReport),
    ...(verdict.warnings.length > 0 ? { warnings: verdict.warnings.map(findingReport) } : {}),
    ...(verdict.libraryFindings.length > 0 ? { libraryFindings: verdict.libraryFindings } : {}),
    ...(verdict.unchecked.length > 0
      ? { unchecked: verdict.unchecked.map(({ requirement, uncheckedOn }) => ({ ...requirementReport(requirement), uncheckedOn })) }
      : {}),
  };
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

/** summarize counts the files by status. */
export function summarize(files: readonly FileReport[]): Summary {
  const count = (status: FileReport['status']) => files.filter((file) => file.status === status).length;
  return { files: files.length, passed: count('pass'), failed: count('fail'), errors: count('error'), skipped: count('skipped') };
}

/** resultOf: the worst outcome wins, error over fail over pass (CONTRACT.md "Exit codes"). */
export function resultOf(summary: Summary): Result {
  return summary.errors > 0 ? 'error' : summary.failed > 0 ? 'fail' : 'pass';
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
  };
}

/** exitCodeFor maps a result to the process exit code: pass 0, fail 1, error 2 (CONTRACT.md; diff too). */
export function exitCodeFor(result: Result): 0 | 1 | 2 {
  return result === 'error' ? 2 : result === 'fail' ? 1 : 0;
}

/** exitCodeOf is the exit code of a report. */
export function exitCodeOf(report: Report): 0 | 1 | 2 {
  return exitCodeFor(report.result);
}
