import { renderGithub } from './github.js';
import { jsonRenderer } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { Report } from './model.js';
import { summarizeRun, type RunSummary } from './run-summary.js';
import { bufferedRenderer, renderWhole, type RenderOptions, type RunEnd, type StreamRenderer } from './stream.js';
import type { RunTiming } from './run-timing.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export type { RunTiming } from './run-timing.js';
export { summarizeRun, type RunSummary } from './run-summary.js';
export type { ReportLocation } from './sarif.js';
export { bufferedRenderer, joinReport, renderWhole, splitReport, type RenderOptions, type ReportSink, type RunEnd, type RunHeader, type StreamRenderer } from './stream.js';

/** A renderer factory starts one run's renderer (renderers may keep state across a run's entries). */
export type RendererFactory = (options: RenderOptions) => StreamRenderer;

/**
 * The run summary is computed once per run: every output of a run is ended with the same RunEnd,
 * so the first renderer to need it computes it and the others reuse it.
 */
const summaries = new WeakMap<RunEnd, RunSummary>();
export function runSummaryFor(report: Report, end: RunEnd): RunSummary {
  let run = summaries.get(end);
  if (run === undefined) {
    run = summarizeRun(report);
    summaries.set(end, run);
  }
  return run;
}

/**
 * renderers maps each `--format` name to its renderer. Every format renders the same entries; the
 * keys are the choices the CLI offers, so adding a format here is all the CLI needs.
 */
export const renderers = {
  text: ({ chalk, verbose, width }) =>
    bufferedRenderer((report, end) => renderText(report, chalk, { run: runSummaryFor(report, end), ...(verbose === undefined ? {} : { verbose }), ...(width === undefined ? {} : { width }) })),
  json: () => jsonRenderer(),
  junit: () => bufferedRenderer((report, end) => renderJunit(report, runSummaryFor(report, end), end.timing)),
  sarif: ({ location }) => bufferedRenderer((report, end) => renderSarif(report, runSummaryFor(report, end), location)),
  github: ({ fullReport }) => bufferedRenderer((report, end) => renderGithub(report, runSummaryFor(report, end), { fullReport })),
  markdown: ({ fullReport }) => bufferedRenderer((report, end) => renderMarkdown(runSummaryFor(report, end), { fullReport })),
} satisfies Record<string, RendererFactory>;

export type Format = keyof typeof renderers;

export const FORMATS = Object.keys(renderers) as Format[];

/** renderReport renders a whole report in a format (the library API; the CLI streams instead). */
export function renderReport(format: Format, report: Report, options: RenderOptions, timing?: RunTiming): string {
  return renderWhole(renderers[format](options), report, timing);
}
