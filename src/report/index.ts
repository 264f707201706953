import { renderGithub } from './github.js';
import { jsonRenderer } from './json.js';
import { junitRenderer } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { Report } from './model.js';
import { bufferedRenderer, renderWhole, type RenderOptions, type StreamRenderer } from './stream.js';
import type { RunTiming } from './run-timing.js';
import { sarifRenderer } from './sarif.js';
import { renderText } from './text.js';

export type { RunTiming } from './run-timing.js';
export { RunTally, summarizeRun, type RunSummary } from './run-summary.js';
export { bufferedRenderer, byKey, joinReport, renderWhole, splitReport, type RenderOptions, type ReportLocation, type ReportSink, type RunEnd, type RunHeader, type SortedPiece, type StreamRenderer } from './stream.js';

/** A renderer factory starts one run's renderer (renderers may keep state across a run's entries). */
export type RendererFactory = (options: RenderOptions) => StreamRenderer;

/**
 * renderers maps each `--format` name to its renderer. Every format renders the same entries; the
 * keys are the choices the CLI offers, so adding a format here is all the CLI needs.
 */
export const renderers = {
  text: ({ chalk, verbose, width }) =>
    bufferedRenderer((report, end) => renderText(report, chalk, { run: end.run, ...(verbose === undefined ? {} : { verbose }), ...(width === undefined ? {} : { width }) })),
  json: () => jsonRenderer(),
  junit: () => junitRenderer(),
  sarif: ({ location }) => sarifRenderer(location),
  github: ({ fullReport }) => bufferedRenderer((report, end) => renderGithub(report, end.run, { fullReport })),
  markdown: ({ fullReport }) => bufferedRenderer((_report, end) => renderMarkdown(end.run, { fullReport })),
} satisfies Record<string, RendererFactory>;

export type Format = keyof typeof renderers;

export const FORMATS = Object.keys(renderers) as Format[];

/** renderReport renders a whole report in a format (the library API; the CLI streams instead). */
export function renderReport(format: Format, report: Report, options: RenderOptions, timing?: RunTiming): string {
  return renderWhole(renderers[format](options), report, timing);
}
