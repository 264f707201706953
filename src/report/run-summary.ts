import type { SkipReason } from '../scan/skip-reason.js';
import { compareVersions, parseDottedVersion, parseVersionName } from '../versions/version-name.js';
import { fileFindings, floorsText, type FileFinding } from './findings.js';
import type { Command, FileReport, FindingReport, Report, Result } from './model.js';

/**
 * RunSummary is what every format says about a run as a whole, computed ONCE per run
 * (`summarizeRun`) and handed to every renderer, so the text line, the annotations, the job
 * summary, the JUnit counts and the SARIF properties cannot disagree.
 */
export interface RunSummary {
  readonly command: Command;
  readonly result: Result;
  /** `GLIBC 2.31, GLIBCXX 3.4.30`, or empty for `show`. */
  readonly floors: string;
  /** Every entry of the report (files found), and how they fared; `checked` = passed + failed. */
  readonly files: number;
  readonly checked: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly skipped: number;
  /** Skipped entries by reason, reasons in first-seen order. */
  readonly skippedBy: ReadonlyMap<SkipReason, number>;
  /** Failing and unreadable files, worst first (see `worseFirst`). */
  readonly problems: readonly ProblemFile[];
  /** Weak needs above a floor and waived violations: shown, never failing. */
  readonly warnings: number;
  readonly waived: number;
}

/** ProblemFile is a file that fails the run: its blocking findings, in the one finding order. */
export interface ProblemFile {
  readonly path: string;
  readonly status: 'fail' | 'error';
  readonly findings: readonly FileFinding[];
}

/** summarizeRun computes the run summary of a whole report: the counts, skip reasons and the problems ranked. */
export function summarizeRun(report: Report): RunSummary {
  const tally = new RunTally({ keepProblems: true });
  for (const file of report.files) tally.add(file);
  return tally.summary(report);
}

/**
 * RunTally builds the run summary one entry at a time, as a scan reports them, so no entry is
 * kept for it: what grows with the run is a count per skip reason and, only when a format lists
 * them (`keepProblems`: text, annotations, the job summary), the failing and unreadable files.
 * Without `keepProblems` the summary's `problems` is empty.
 */
export class RunTally {
  private readonly skipCounts = new Map<SkipReason, number>();
  private readonly problems: ProblemFile[] | undefined;
  private warnings = 0;
  private waived = 0;

  constructor({ keepProblems }: { readonly keepProblems: boolean }) {
    this.problems = keepProblems ? [] : undefined;
  }

  /** The files skipped so far, counted by reason. */
  get skippedBy(): ReadonlyMap<SkipReason, number> {
    return this.skipCounts;
  }

  add(file: FileReport): void {
    if (file.status === 'skipped') {
      this.skipCounts.set(file.reason, (this.skipCounts.get(file.reason) ?? 0) + 1);
      return;
    }
    const findings = [...fileFindings(file)];
    for (const entry of findings) {
      if (entry.code === 'weak-need') this.warnings++;
      else if (!entry.blocking) this.waived++;
    }
    if (this.problems !== undefined && (file.status === 'fail' || file.status === 'error')) {
      this.problems.push({ path: file.path, status: file.status, findings: findings.filter((entry) => entry.blocking) });
    }
  }

  /** summary is the run summary once every entry is added; the counts are the report's `summary`. */
  summary(report: Pick<Report, 'command' | 'result' | 'floors' | 'summary'>): RunSummary {
    const s = report.summary;
    return {
      command: report.command,
      result: report.result,
      floors: floorsText(report),
      files: s.files,
      checked: s.passed + s.failed,
      passed: s.passed,
      failed: s.failed,
      errors: s.errors,
      skipped: s.skipped,
      skippedBy: new Map(this.skipCounts),
      problems: this.problems === undefined ? [] : [...this.problems].sort(worseFirst),
      warnings: this.warnings,
      waived: this.waived,
    };
  }
}

/**
 * worseFirst ranks problem files: unreadable files first (nothing is known about them), then
 * files with a finding no floor change can fix (private ABI, a name that is not a version, a
 * version the target lacks, a needed library), then by the newest version needed above a floor,
 * then by how many findings, then by path, so the first annotations GitHub shows are the ones
 * that matter most and the order is stable.
 */
export function worseFirst(a: ProblemFile, b: ProblemFile): number {
  const rank = (file: ProblemFile) => (file.status === 'error' ? 0 : file.findings.some((entry) => entry.code !== 'above-floor') ? 1 : 2);
  return (
    rank(a) - rank(b) ||
    compareVersions(newestNeed(b), newestNeed(a)) ||
    b.findings.length - a.findings.length ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  );
}

/** newestNeed is the newest version (a marker as the release it stands for) among a file's version findings. */
function newestNeed(file: ProblemFile): readonly number[] {
  let newest: readonly number[] = [];
  for (const entry of file.findings) {
    if (!('finding' in entry)) continue;
    const parts = versionParts(entry.finding);
    if (parts !== null && compareVersions(parts, newest) > 0) newest = parts;
  }
  return newest;
}

function versionParts(finding: FindingReport): readonly number[] | null {
  return finding.standsFor === undefined ? parseVersionName(finding.version).parts : parseDottedVersion(finding.standsFor);
}

/** CountName names one count of the summary line. */
export type CountName = 'passed' | 'failed' | 'read' | 'errors' | 'skipped';

/**
 * countParts is the summary line's counts, the same in every format: `6 files` (every entry,
 * skipped ones included), then `passed`/`failed` for `check` (`read` for `show`), errors, skipped.
 */
export function countParts(run: RunSummary): { readonly files: string; readonly counts: readonly { readonly name: CountName; readonly count: number; readonly text: string }[] } {
  const count = (name: CountName, value: number) => ({ name, count: value, text: `${value} ${name}` });
  const outcome = run.command === 'check' ? [count('passed', run.passed), count('failed', run.failed)] : [count('read', run.checked)];
  return {
    files: `${run.files} file${run.files === 1 ? '' : 's'}`,
    counts: [...outcome, count('errors', run.errors), count('skipped', run.skipped)],
  };
}

/** countsText is the summary line's counts as plain text: `6 files: 0 passed, 4 failed, 0 errors, 2 skipped`. */
export function countsText(run: RunSummary): string {
  const { files, counts } = countParts(run);
  return `${files}: ${counts.map((part) => part.text).join(', ')}`;
}

/** skippedText says what was skipped and why: `434 not-elf, 2 symlink-loop`, or empty. */
export function skippedText(run: RunSummary): string {
  return [...run.skippedBy].map(([reason, count]) => `${count} ${reason}`).join(', ');
}
