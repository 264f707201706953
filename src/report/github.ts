import { FINDINGS, findingSentence, findingTitle, floorsText, waiverReason, WEAK_NOTE } from './findings.js';
import type { Report } from './model.js';

/** An annotation lists at most this many symbols; the JSON and SARIF reports have them all. */
const MAX_SYMBOLS = 40;

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

function annotation(command: Command, file: string, title: string, message: string): string {
  const path = file.replace(/^(?:\.\/)+/, '');
  return `::${command} file=${escapeGithubProperty(path)},title=${escapeGithubProperty(title)}::${escapeGithubData(message)}`;
}

/**
 * renderGithub prints GitHub Actions workflow commands, which GitHub turns into annotations on
 * the run and on the pull request's files: `::error` for each version above a floor and each
 * unreadable file, `::warning` for weak needs (never failing), `::notice` for waived findings;
 * for packages, `::error` for a wrong declared floor and `::notice` for one that could be lower.
 * A plain summary line closes the output.
 */
export function renderGithub(report: Report): string {
  const lines: string[] = [];
  for (const file of report.files) {
    if (file.status === 'skipped') continue;
    if (file.status === 'error') {
      lines.push(annotation('error', file.path, 'glibc-floor: unreadable file', file.error));
      continue;
    }
    for (const finding of file.violations ?? []) {
      lines.push(annotation('error', file.path, `glibc-floor: ${findingTitle(finding)}`, findingSentence(finding, MAX_SYMBOLS)));
    }
    for (const finding of file.libraryFindings ?? []) {
      lines.push(annotation('error', file.path, `glibc-floor: needed library ${finding.library}`, finding.message));
    }
    for (const finding of file.loaderFindings ?? []) {
      const fails = finding.failsOn.length > 0;
      const title = `glibc-floor: ${FINDINGS[finding.code].name}${fails ? ` on ${finding.failsOn.join(', ')}` : ''}`;
      lines.push(annotation(fails ? 'error' : 'notice', file.path, title, `${finding.message}. Fix: ${finding.fix}`));
    }
    for (const finding of file.warnings ?? []) {
      lines.push(annotation('warning', file.path, `glibc-floor: weak ${findingTitle(finding)}`, `${WEAK_NOTE}: ${findingSentence(finding, MAX_SYMBOLS)}`));
    }
    for (const finding of file.waivedViolations ?? []) {
      lines.push(annotation('notice', file.path, `glibc-floor: waived ${findingTitle(finding)}`, `waived (${waiverReason(finding)}): ${findingSentence(finding, MAX_SYMBOLS)}`));
    }
  }
  // A package's declared floor: a wrong one fails the check, one that could be lower is a notice.
  for (const entry of report.declared ?? []) {
    if (entry.status === 'broken') lines.push(annotation('error', entry.artifact, 'glibc-floor: wrong declared floor', `${entry.message}: ${entry.problems.join('; ')}`));
    else if (entry.status === 'higher' || entry.status === 'none') lines.push(annotation('notice', entry.artifact, 'glibc-floor: declared floor', entry.message));
  }
  const s = report.summary;
  const floors = floorsText(report);
  lines.push(
    `glibc-floor: ${report.result}: ${s.files} files, ${s.passed} passed, ${s.failed} failed, ${s.errors} errors, ${s.skipped} skipped${floors === '' ? '' : ` (floor ${floors})`}`,
  );
  return `${lines.join('\n')}\n`;
}
