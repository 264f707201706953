import { entryTitle } from './github.js';
import { FINDINGS, type FileFinding, type FindingCode } from './findings.js';
import { countsText, skippedText, type ProblemFile, type RunSummary } from './run-summary.js';

/** The job summary's table lists at most this many leading symbols per file. */
const LEADING_SYMBOLS = 6;

/** Options of the Markdown report. */
export interface MarkdownOptions {
  /**
   * The most bytes (UTF-8) the document may take: GitHub accepts at most 1 MiB per step in
   * `GITHUB_STEP_SUMMARY` ("Adding a job summary"). Table rows past it are counted, not shown.
   */
  readonly maxBytes?: number;
  /** Where the full report is, named under a table that had to be cut. */
  readonly fullReport?: string | undefined;
}

/**
 * renderMarkdown prints the run as a Markdown summary people read: a GitHub job summary
 * (`GITHUB_STEP_SUMMARY`), a pull-request comment, a Prow artifact. The result and floors; a
 * table of the failing files, worst first (path, versions above the floor, leading symbols);
 * each cause with its fix once; the counts and skip reasons, worded as in every format.
 */
export function renderMarkdown(run: RunSummary, options: MarkdownOptions = {}): string {
  const head = [
    `## glibc-floor: ${resultWords(run)}`,
    '',
    `${countsText(run)}${run.waived > 0 ? `, ${run.waived} waived` : ''}${run.warnings > 0 ? `, ${run.warnings} weak-need warnings` : ''}.`,
    ...(run.floors === '' ? [] : ['', `Floor: ${escapeMarkdown(run.floors)}.`]),
    ...(run.skipped > 0 ? ['', `Skipped: ${escapeMarkdown(skippedText(run))}.`] : []),
  ];
  const causes = causeLines(run);
  const tail = causes.length === 0 ? [] : ['', '### Causes and fixes', '', ...causes];
  if (run.problems.length === 0) return `${[...head, ...tail].join('\n')}\n`;

  const tableHead = ['', '| File | Above the floor | Leading symbols |', '|---|---|---|'];
  const budget = (options.maxBytes ?? Infinity) - bytes([...head, ...tableHead, ...tail, cutLine(run.problems.length, options.fullReport)].join('\n')) - 2;
  const rows: string[] = [];
  let used = 0;
  for (const problem of run.problems) {
    const row = tableRow(problem);
    if (used + bytes(row) + 1 > budget) break;
    rows.push(row);
    used += bytes(row) + 1;
  }
  const cut = run.problems.length - rows.length;
  return `${[...head, ...tableHead, ...rows, ...(cut > 0 ? [cutLine(cut, options.fullReport)] : []), ...tail].join('\n')}\n`;
}

function resultWords(run: RunSummary): string {
  if (run.result === 'pass') return run.command === 'check' ? 'pass' : 'read';
  if (run.result === 'fail') return `fail, ${run.failed} file${run.failed === 1 ? '' : 's'} above the floor`;
  return `error, ${run.errors} file${run.errors === 1 ? '' : 's'} could not be read`;
}

function cutLine(count: number, fullReport: string | undefined): string {
  return `\n${count} more file${count === 1 ? '' : 's'} not listed (GitHub takes 1 MiB of job summary per step)${fullReport === undefined ? '' : `; the full report is ${escapeMarkdown(fullReport)}`}.`;
}

function tableRow(problem: ProblemFile): string {
  const above = problem.findings.map((entry) => escapeMarkdown(entryTitle(entry))).join('<br>');
  const symbols = [...new Set(problem.findings.flatMap(symbolsOf))];
  const leading = symbols.slice(0, LEADING_SYMBOLS).map(code).join(', ') + (symbols.length > LEADING_SYMBOLS ? ` and ${symbols.length - LEADING_SYMBOLS} more` : '');
  const error = problem.findings.flatMap((entry) => (entry.code === 'unreadable-file' ? [escapeMarkdown(entry.error)] : []));
  return `| ${code(problem.path)} | ${above} | ${error.length > 0 ? error.join('<br>') : leading} |`;
}

function symbolsOf(entry: FileFinding): readonly string[] {
  return 'finding' in entry ? entry.finding.symbols : [];
}

/**
 * causeLines lists each cause once: every catalogue hint that explains a failing need (why it is
 * needed, the usual fixes), then the finding kinds with no hint, from the finding table.
 */
function causeLines(run: RunSummary): string[] {
  const hints = new Map<string, { why: string; fixes: readonly string[]; files: Set<string> }>();
  const kinds = new Map<FindingCode, Set<string>>();
  for (const problem of run.problems) {
    for (const entry of problem.findings) {
      const found = 'finding' in entry ? entry.finding.hints ?? [] : [];
      for (const hint of found) {
        const known = hints.get(hint.id) ?? { why: hint.why, fixes: hint.fixes, files: new Set<string>() };
        known.files.add(problem.path);
        hints.set(hint.id, known);
      }
      if (found.length === 0) kinds.set(entry.code, (kinds.get(entry.code) ?? new Set<string>()).add(problem.path));
    }
  }
  // A fix shared by several causes (the common "build against the oldest glibc") is printed once.
  const shown = new Set<string>();
  const fixLines = (fixes: readonly string[]) => {
    const fresh = fixes.filter((fix) => !shown.has(fix));
    for (const fix of fresh) shown.add(fix);
    return fresh.length === 0 ? ['  - Fix: as above.'] : fresh.map((fix) => `  - Fix: ${prose(fix)}`);
  };
  const lines: string[] = [];
  for (const { why, fixes, files } of hints.values()) lines.push(`- ${prose(why)} (${count(files.size)})`, ...fixLines(fixes));
  for (const [kind, files] of kinds) {
    const row = FINDINGS[kind];
    lines.push(`- **${prose(row.short)}** ${prose(row.full)} (${count(files.size)})`, ...fixLines([row.help]));
  }
  return lines;
}

/** code puts text in a code span, with a fence longer than any backtick run inside (CommonMark 6.1). */
function code(text: string): string {
  const clean = text.replace(/[\r\n|]/g, (c) => (c === '|' ? '\\|' : ' '));
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

function count(files: number): string {
  return `${files} file${files === 1 ? '' : 's'}`;
}

/** prose writes the tool's own wording (the finding table, the hint catalogue), whose backticks are code spans. */
function prose(text: string): string {
  return escapeMarkdown(text, false);
}

/** escapeMarkdown makes text literal in Markdown and in a table cell (CommonMark 2.4 backslash escapes; GFM tables). */
export function escapeMarkdown(text: string, backticks = true): string {
  // `_` inside a word (GLIBC_2.34) never starts emphasis in GFM, so only word-edge ones are escaped.
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(backticks ? /[\\`*[\]|~&<>]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g : /[\\*[\]|~&<>]|(?<![A-Za-z0-9`])_|_(?![A-Za-z0-9`])/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
