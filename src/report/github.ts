import { findingSentence, findingTitle, floorsText, waiverReason, WEAK_NOTE } from './findings.js';
import type { FileReport, Report } from './model.js';
import { renderWhole, type StreamRenderer } from './stream.js';

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
 * githubRenderer prints GitHub Actions workflow commands, which GitHub turns into annotations on
 * the run and on the pull request's files: `::error` for each version above a floor and each
 * unreadable file, `::warning` for weak needs (never failing), `::notice` for waived findings.
 * A plain summary line closes the output.
 */
export function githubRenderer(): StreamRenderer {
  return {
    headNeedsTotals: false,
    head: () => '',
    entry: (file) => fileAnnotations(file).map((line) => `${line}\n`).join(''),
    tail(header, end) {
      const s = end.summary;
      const floors = floorsText(header);
      return `glibc-floor: ${end.result}: ${s.files} files, ${s.passed} passed, ${s.failed} failed, ${s.errors} errors, ${s.skipped} skipped${floors === '' ? '' : ` (floor ${floors})`}\n`;
    },
  };
}

/** renderGithub prints a whole report as workflow commands (see githubRenderer). */
export function renderGithub(report: Report): string {
  return renderWhole(githubRenderer(), report);
}

function fileAnnotations(file: FileReport): string[] {
  const lines: string[] = [];
  if (file.status === 'skipped') return lines;
  if (file.status === 'error') return [annotation('error', file.path, 'glibc-floor: unreadable file', file.error)];
  for (const finding of file.violations ?? []) {
    lines.push(annotation('error', file.path, `glibc-floor: ${findingTitle(finding)}`, findingSentence(finding, MAX_SYMBOLS)));
  }
  for (const finding of file.libraryFindings ?? []) {
    lines.push(annotation('error', file.path, `glibc-floor: needed library ${finding.library}`, finding.message));
  }
  for (const finding of file.warnings ?? []) {
    lines.push(annotation('warning', file.path, `glibc-floor: weak ${findingTitle(finding)}`, `${WEAK_NOTE}: ${findingSentence(finding, MAX_SYMBOLS)}`));
  }
  for (const finding of file.waivedViolations ?? []) {
    lines.push(annotation('notice', file.path, `glibc-floor: waived ${findingTitle(finding)}`, `waived (${waiverReason(finding)}): ${findingSentence(finding, MAX_SYMBOLS)}`));
  }
  return lines;
}
