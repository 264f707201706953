import type { ChalkInstance } from 'chalk';
import type { RunTiming } from './run-timing.js';
import type { FileReport, Report, Result, Summary } from './model.js';

/** What a renderer may use besides the report. Only `text` uses color; only `junit` uses timing. */
export interface RenderOptions {
  readonly chalk: ChalkInstance;
}

/** RunHeader is what is known of a run before its first file: the report less its totals and entries. */
export type RunHeader = Omit<Report, 'result' | 'summary' | 'files'>;

/** RunEnd is what is known once every file is reported: the totals, the result, the timing. */
export interface RunEnd {
  readonly summary: Summary;
  readonly result: Result;
  readonly timing?: RunTiming;
}

/**
 * ReportSink receives one run's report piece by piece: `begin` with the header, `file` with each
 * entry in input order (after hints and waivers), `end` with the totals. Entries are plain data
 * (structured-clone safe), so they may come from worker threads. The CLI drives one sink per
 * output; a sink never sees the whole report at once, so memory stays flat for any tree.
 */
export interface ReportSink {
  begin(header: RunHeader): Promise<void>;
  file(entry: FileReport): Promise<void>;
  end(end: RunEnd): Promise<void>;
}

/**
 * StreamRenderer is one run of one format, as text: `entry` gives an entry's text as it comes
 * (or '' when the format keeps what it needs for the end, as SARIF's sorted results), `head` the
 * text before the entries and `tail` the text after them. When `headNeedsTotals` (JSON's
 * `summary`, JUnit's counts on `<testsuite>`), `head` is asked for at the end, with the totals,
 * and the writer holds the entries' text back (a temporary file) to put it after the head;
 * otherwise `head` is asked for and written before the first entry, without them.
 */
export interface StreamRenderer {
  readonly headNeedsTotals: boolean;
  head(header: RunHeader, end: RunEnd | undefined): string;
  entry(file: FileReport, header: RunHeader): string;
  tail(header: RunHeader, end: RunEnd): string;
}

/** splitReport gives a whole report's header, entries and end: the pieces a sink receives. */
export function splitReport(report: Report, timing?: RunTiming): { header: RunHeader; files: readonly FileReport[]; end: RunEnd } {
  const { result, summary, files, ...header } = report;
  return { header, files, end: { summary, result, ...(timing === undefined ? {} : { timing }) } };
}

/** renderWhole renders a whole in-memory report with a stream renderer, as one string (tests, the library API). */
export function renderWhole(renderer: StreamRenderer, report: Report, timing?: RunTiming): string {
  const { header, files, end } = splitReport(report, timing);
  const early = renderer.headNeedsTotals ? '' : renderer.head(header, undefined);
  const body = files.map((file) => renderer.entry(file, header)).join('');
  const head = renderer.headNeedsTotals ? renderer.head(header, end) : early;
  return head + body + renderer.tail(header, end);
}
