import type { ChalkInstance } from 'chalk';
import type { RunTiming } from './run-timing.js';
import type { ReportLocation } from './sarif.js';
import type { FileReport, Report, Result, Summary } from './model.js';

/**
 * What a renderer may use besides the entries: color, `--verbose` and the width (text only), where
 * paths are relative to (sarif), and where the run's full report is (github, markdown). Timing
 * (junit) and the run summary come with the end of the run.
 */
export interface RenderOptions {
  readonly chalk: ChalkInstance;
  readonly location: ReportLocation;
  readonly fullReport?: string | undefined;
  /** text only: list every file in full (`--verbose`) instead of grouping by cause. */
  readonly verbose?: boolean;
  /** text only: the terminal's width, to shorten long lines; absent in a pipe. */
  readonly width?: number;
}

/** RunHeader is what is known of a run before its first file: the report less its totals and entries. */
export type RunHeader = Omit<Report, 'result' | 'summary' | 'files'>;

/** RunEnd is what is known once every file is reported: the totals, the result, the timing. */
export interface RunEnd {
  readonly summary: Summary;
  readonly result: Result;
  readonly timing?: RunTiming;
  /** `show`: the floor the files need, per family (known only once every file is read). */
  readonly neededFloors?: Report['neededFloors'];
  /** The floors packages declare, judged against their members (known once every member is read). */
  readonly declared?: Report['declared'];
  /** Run-level warnings (a floor no checked file needs) and the run-level error (nothing checked). */
  readonly warnings?: Report['warnings'];
  readonly error?: Report['error'];
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
  /** Set when the renderer writes nothing before the end (it renders the whole run at once). */
  readonly buffered?: boolean;
  head(header: RunHeader, end: RunEnd | undefined): string;
  entry(file: FileReport, header: RunHeader): string;
  tail(header: RunHeader, end: RunEnd): string;
}

/**
 * joinReport puts a run's pieces back into the report document, in the contract's key order
 * (what buildReport gives): the inverse of splitReport.
 */
export function joinReport(header: RunHeader, files: readonly FileReport[], end: RunEnd): Report {
  const { schemaVersion, tool, command, floors, ...added } = header;
  return {
    schemaVersion, tool, command, floors, result: end.result, summary: end.summary, files, ...added,
    ...(end.neededFloors === undefined ? {} : { neededFloors: end.neededFloors }),
    ...(end.declared === undefined ? {} : { declared: end.declared }),
    ...(end.warnings === undefined ? {} : { warnings: end.warnings }),
    ...(end.error === undefined ? {} : { error: end.error }),
  };
}

/**
 * bufferedRenderer makes a stream renderer of a whole-report renderer: it keeps the entries and
 * renders once at the end. Text (grouped by cause), JUnit, SARIF (sorted) and annotations (worst
 * first) need the whole run anyway; JSON streams for real (json.ts), as it is the large one.
 */
export function bufferedRenderer(render: (report: Report, end: RunEnd) => string): StreamRenderer {
  const files: FileReport[] = [];
  return {
    headNeedsTotals: false,
    buffered: true,
    head: () => '',
    entry(file) {
      files.push(file);
      return '';
    },
    tail: (header, end) => render(joinReport(header, files, end), end),
  };
}

/** splitReport gives a whole report's header, entries and end: the pieces a sink receives. */
export function splitReport(report: Report, timing?: RunTiming): { header: RunHeader; files: readonly FileReport[]; end: RunEnd } {
  const { result, summary, files, neededFloors, declared, warnings, error, ...header } = report;
  const end: RunEnd = {
    summary, result, ...(timing === undefined ? {} : { timing }),
    ...(neededFloors === undefined ? {} : { neededFloors }), ...(declared === undefined ? {} : { declared }),
    ...(warnings === undefined ? {} : { warnings }), ...(error === undefined ? {} : { error }),
  };
  return { header, files, end };
}

/** renderWhole renders a whole in-memory report with a stream renderer, as one string (tests, the library API). */
export function renderWhole(renderer: StreamRenderer, report: Report, timing?: RunTiming): string {
  const { header, files, end } = splitReport(report, timing);
  const early = renderer.headNeedsTotals ? '' : renderer.head(header, undefined);
  const body = files.map((file) => renderer.entry(file, header)).join('');
  const head = renderer.headNeedsTotals ? renderer.head(header, end) : early;
  return head + body + renderer.tail(header, end);
}
