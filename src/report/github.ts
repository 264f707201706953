import { FINDINGS, findingSentence, findingTitle, WEAK_NOTE, type FileFinding } from './findings.js';
import type { Report } from './model.js';
import { countsText, type ProblemFile, type RunSummary } from './run-summary.js';

/**
 * GitHub shows at most 10 annotations of each kind (error, warning) per step and 50 per job
 * (actions/toolkit `docs/problem-matchers.md`, "Limitations"); the rest are dropped silently. So
 * the renderer chooses which ten: one per file, worst first.
 */
export const MAX_ANNOTATIONS_PER_KIND = 10;

/** An annotation lists at most this many symbols per version; the JSON and SARIF reports have them all. */
const LEADING_SYMBOLS = 8;

/**
 * escapeGithubData escapes a workflow command's message as GitHub's own toolkit does
 * (actions/toolkit, packages/core/src/command.ts `escapeData`): `%`, CR and LF.
 */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * escapeGithubProperty escapes a workflow command's property value (`file=`, `title=`) as the
 * toolkit's `escapeProperty`: the data escapes plus `:` and `,`, which end a property.
 */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

type Command = 'error' | 'warning' | 'notice';

function annotation(command: Command, file: string | undefined, title: string, message: string): string {
  const where = file === undefined ? '' : `file=${escapeGithubProperty(file.replace(/^(?:\.\/)+/, ''))},`;
  return `::${command} ${where}title=${escapeGithubProperty(title)}::${escapeGithubData(message)}`;
}

/** What the annotations may point to besides themselves: the run's full report, if one is written. */
export interface GithubOptions {
  /** Where this run's full report is (a `--report` or `--output` file, or the job summary). */
  readonly fullReport?: string | undefined;
}

/**
 * renderGithub prints GitHub Actions workflow commands, which GitHub turns into annotations on the
 * run and on the pull request's files. It stays within GitHub's limits by design: at most ten
 * `::error`s, one per failing or unreadable file, worst first (the run summary's order), each
 * naming all of the file's versions above the floor with their leading symbols; then one
 * `::notice` saying how many failing files are not annotated and where the full report is. Weak
 * needs (never failing) get at most ten `::warning`s, one per file. A plain summary line closes
 * the output, with the counts every format shows.
 */
export function renderGithub(report: Report, run: RunSummary, options: GithubOptions = {}): string {
  const lines: string[] = [];
  // A package's declared floor first: a wrong one fails the check and is one of the ten errors;
  // one that could promise less (or none at all) is a notice.
  const declared = report.declared ?? [];
  const wrong = declared.filter((entry) => entry.status === 'broken').slice(0, MAX_ANNOTATIONS_PER_KIND);
  for (const entry of wrong) lines.push(annotation('error', entry.artifact, 'glibc-floor: wrong declared floor', `${entry.message}: ${entry.problems.join('; ')}`));
  // Notices (GitHub shows ten a step too): claims that could promise less, and loader-era rules
  // broken on no target checked here (a program's executable stack).
  const notices = declared.flatMap((entry) => (entry.status === 'higher' || entry.status === 'none' ? [annotation('notice', entry.artifact, 'glibc-floor: declared floor', entry.message)] : []));
  for (const file of report.files) {
    if (file.status !== 'pass' && file.status !== 'fail') continue;
    for (const finding of file.loaderFindings ?? []) {
      if (finding.failsOn.length === 0) notices.push(annotation('notice', file.path, `glibc-floor: ${FINDINGS[finding.code].name}`, `${finding.message}. Fix: ${finding.fix}`));
    }
  }
  lines.push(...notices.slice(0, MAX_ANNOTATIONS_PER_KIND));
  const annotated = run.problems.slice(0, MAX_ANNOTATIONS_PER_KIND - wrong.length);
  for (const problem of annotated) lines.push(annotation('error', problem.path, problemTitle(problem), problemMessage(problem)));
  const more = run.problems.length - annotated.length;
  if (more > 0) {
    const where = options.fullReport === undefined ? 'write the full report with --report json=FILE (or sarif, junit)' : `the full report is ${options.fullReport}`;
    lines.push(annotation('notice', undefined, `glibc-floor: ${more} more failing file${more === 1 ? '' : 's'}`,
      `${more} more failing or unreadable file${more === 1 ? ' is' : 's are'} not annotated (GitHub shows ${MAX_ANNOTATIONS_PER_KIND} error annotations per step); ${where}.`));
  }
  const weak = report.files.flatMap((file) => {
    if (file.status !== 'pass' && file.status !== 'fail') return [];
    const warnings = file.warnings ?? [];
    return warnings.length === 0 ? [] : [{ path: file.path, warnings }];
  });
  for (const { path, warnings } of weak.slice(0, MAX_ANNOTATIONS_PER_KIND)) {
    lines.push(annotation('warning', path, `glibc-floor: weak ${warnings.map(findingTitle).join(', ')}`,
      `${WEAK_NOTE}:\n${warnings.map((finding) => findingSentence(finding, LEADING_SYMBOLS)).join('\n')}`));
  }
  const waived = run.waived > 0 ? `, ${run.waived} waived` : '';
  lines.push(`glibc-floor: ${run.result}: ${countsText(run)}${waived}${run.floors === '' ? '' : ` (floor ${run.floors})`}`);
  return `${lines.join('\n')}\n`;
}

/** problemTitle heads a file's annotation: `glibc-floor: GLIBC_2.36 > 2.31, GLIBC_2.34 > 2.31`. */
function problemTitle(problem: ProblemFile): string {
  return `glibc-floor: ${problem.findings.map(entryTitle).join(', ')}`;
}

/** entryTitle is one finding's short heading, as the annotation title and the job summary's table show it. */
export function entryTitle(entry: FileFinding): string {
  switch (entry.code) {
    case 'unreadable-file':
      return 'unreadable file';
    case 'needed-library':
      return `needed library ${entry.library.library} (${entry.library.reason})`;
    default:
      if ('loader' in entry) return `${FINDINGS[entry.code].name}${entry.loader.failsOn.length > 0 ? ` on ${entry.loader.failsOn.join(', ')}` : ''}`;
      return findingTitle(entry.finding);
  }
}

/** problemMessage says, one line per finding, what is wrong and which symbols lead. */
function problemMessage(problem: ProblemFile): string {
  return problem.findings.map((entry) => {
    switch (entry.code) {
      case 'unreadable-file':
        return entry.error;
      case 'needed-library':
        return entry.library.message;
      default:
        if ('loader' in entry) return `${entry.loader.message}. Fix: ${entry.loader.fix}`;
        return findingSentence(entry.finding, LEADING_SYMBOLS);
    }
  }).join('\n');
}
