import type { ChalkInstance } from 'chalk';
import { summarizeRun, type RunSummary } from './run-summary.js';
import type { RunTiming } from './run-timing.js';
import type { FileReport, Report, Result, Summary } from './model.js';

/** ReportLocation says where the report's paths are resolved from, and what SARIF URIs are relative to. */
export interface ReportLocation {
  /** The directory relative paths of the report were named from (the working directory). */
  readonly cwd: string;
  /** The source root (`--source-root`, else `GITHUB_WORKSPACE`, else the working directory). */
  readonly sourceRoot: string;
}

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
  /**
   * The run summary every renderer takes its counts from, computed once per run (the CLI tallies
   * it entry by entry; `splitReport` from a whole report). Its `problems` are listed only when a
   * format that shows them is among the run's outputs (see `RunTally`).
   */
  readonly run: RunSummary;
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
  /** `fileMs`: the entry's wall time from open to verdict, when known. */
  file(entry: FileReport, fileMs?: number): Promise<void>;
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
  /**
   * Set for a format whose pieces are ordered across the whole run (SARIF's results, by location):
   * `pieces` gives an entry's pieces, each with its sort key, instead of `entry`; the writer sorts
   * them by key (code-unit order, input order among equal keys) with bounded memory, and writes
   * them joined by `separator` between the head and the tail (such a head needs the totals).
   */
  readonly sorted?: {
    readonly separator: string;
    pieces(file: FileReport, header: RunHeader): readonly SortedPiece[];
  };
  /** Set when the renderer writes nothing before the end (it renders the whole run at once). */
  readonly buffered?: boolean;
  head(header: RunHeader, end: RunEnd | undefined): string;
  /** `fileMs`: the entry's wall time from open to verdict, when known (JUnit's per-test-case `time`). */
  entry(file: FileReport, header: RunHeader, fileMs: number | undefined): string;
  tail(header: RunHeader, end: RunEnd): string;
}

/** SortedPiece is one piece of a sorted format's text and the key it is ordered by. */
export interface SortedPiece {
  readonly key: string;
  readonly text: string;
}

/** byKey orders sorted pieces by key, in code-unit order (stable sorts keep input order among equal keys). */
export function byKey(a: SortedPiece, b: SortedPiece): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
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
 * renders once at the end. Text (grouped by cause) and annotations (worst first) need the whole
 * run; JSON, JUnit and SARIF stream for real, as they are the large ones and the ones CI keeps.
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
    summary, result, run: summarizeRun(report), ...(timing === undefined ? {} : { timing }),
    ...(neededFloors === undefined ? {} : { neededFloors }), ...(declared === undefined ? {} : { declared }),
    ...(warnings === undefined ? {} : { warnings }), ...(error === undefined ? {} : { error }),
  };
  return { header, files, end };
}

/** renderWhole renders a whole in-memory report with a stream renderer, as one string (tests, the library API). */
export function renderWhole(renderer: StreamRenderer, report: Report, timing?: RunTiming): string {
  const { header, files, end } = splitReport(report, timing);
  const early = renderer.headNeedsTotals ? '' : renderer.head(header, undefined);
  const sorted = renderer.sorted;
  const body = sorted === undefined
    ? files.map((file, index) => renderer.entry(file, header, timing?.fileMs?.[index])).join('')
    : files.flatMap((file) => sorted.pieces(file, header)).sort(byKey).map((piece) => piece.text).join(sorted.separator);
  const head = renderer.headNeedsTotals ? renderer.head(header, end) : early;
  return head + body + renderer.tail(header, end);
}
