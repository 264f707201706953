import { checkRequirements, maxVersions, type Finding } from '../check/check.js';
import { floorsRecord, type Floors } from '../check/floors.js';
import { judge, type CheckPolicy } from '../check/verdict.js';
import { platformsFor } from '../targets/platforms.js';
import type { ElfFile } from '../elf/types.js';
import { GLIBC_MARKERS } from '../versions/glibc-markers.js';
import { toRequirement, type Requirement } from '../versions/requirement.js';
import type { CheckedFileReport, Command, FileReport, FindingReport, Report, RequirementReport, Result, Summary } from './model.js';

/**
 * FileReportExtras: what a check applies beyond plain floors (targets, `--floor-from`, the library
 * policy), and whether `show` answers which catalogue targets can run the file.
 */
export interface FileReportExtras {
  readonly policy?: CheckPolicy | undefined;
  readonly platforms?: boolean;
}

export const TOOL_NAME = 'glibc-floor';

/**
 * fileReport turns one read ELF file into its report entry. With `floors` (the `check` command)
 * it carries violations and warnings and a pass/fail status; without (`show`) it only describes.
 */
export function fileReport(path: string, elf: ElfFile, floors: Floors | undefined, extras: FileReportExtras = {}): CheckedFileReport {
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
  if (floors === undefined) return { ...base, status: 'pass', ...(extras.platforms === true ? { platforms: platformsFor(facts) } : {}) };
  if (extras.policy !== undefined) {
    const verdict = judge(facts, extras.policy);
    const fails = verdict.violations.length > 0 || verdict.libraryFindings.length > 0;
    return {
      ...base,
      status: fails ? 'fail' : 'pass',
      violations: verdict.violations.map(findingReport),
      ...(verdict.warnings.length > 0 ? { warnings: verdict.warnings.map(findingReport) } : {}),
      ...(verdict.libraryFindings.length > 0 ? { libraryFindings: verdict.libraryFindings } : {}),
    };
  }
  const { violations, warnings } = checkRequirements(requirements, floors);
  return {
    ...base,
    status: violations.length > 0 ? 'fail' : 'pass',
    violations: violations.map(findingReport),
    ...(warnings.length > 0 ? { warnings: warnings.map(findingReport) } : {}),
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

/** resultOf: the worst outcome wins, error over fail over pass (the README's "Exit codes"). */
export function resultOf(summary: Summary): Result {
  return summary.errors > 0 ? 'error' : summary.failed > 0 ? 'fail' : 'pass';
}

/** buildReport assembles the report document from the file entries, in the order given. */
export function buildReport(
  command: Command,
  toolVersion: string,
  floors: Floors | undefined,
  files: readonly FileReport[],
  added: Pick<Report, 'floorSources' | 'targets' | 'floorNotes' | 'allowLibraries'> = {},
): Report {
  const summary = summarize(files);
  return {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: toolVersion },
    command,
    floors: floors === undefined ? {} : floorsRecord(floors),
    result: resultOf(summary),
    summary,
    files,
    ...added,
  };
}

/** exitCodeOf maps the report's result to the process exit code: pass 0, fail 1, error 2. */
export function exitCodeOf(report: Report): 0 | 1 | 2 {
  return report.result === 'error' ? 2 : report.result === 'fail' ? 1 : 0;
}
