import type { ChalkInstance } from 'chalk';
import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { RunTiming } from './run-timing.js';

export type { RunTiming } from './run-timing.js';
import type { Report } from './model.js';
import type { RunSummary } from './run-summary.js';
import { renderSarif, type ReportLocation } from './sarif.js';
import { renderText } from './text.js';

export { summarizeRun, type RunSummary } from './run-summary.js';
export type { ReportLocation } from './sarif.js';

/**
 * What a renderer may use besides the report: the run summary computed once per run (every
 * format's counts come from it), color (text only), timing (junit), where paths are relative to
 * (sarif), and where the run's full report is (github, markdown).
 */
export interface RenderOptions {
  readonly run: RunSummary;
  readonly chalk: ChalkInstance;
  readonly location: ReportLocation;
  readonly timing?: RunTiming;
  readonly fullReport?: string | undefined;
}

/**
 * A renderer returns the document as one string, or as pieces in order (JSON, so a large scan is
 * written without holding the whole document in memory).
 */
export type Renderer = (report: Report, options: RenderOptions) => string | Iterable<string>;

/**
 * renderers maps each `--format` name to its renderer. Every format renders the same Report; the
 * keys are the choices the CLI offers, so adding a format here is all the CLI needs.
 */
export const renderers = {
  text: (report, { chalk, run }) => renderText(report, chalk, run),
  json: (report) => renderJson(report),
  junit: (report, { run, timing }) => renderJunit(report, run, timing),
  sarif: (report, { run, location }) => renderSarif(report, run, location),
  github: (report, { run, fullReport }) => renderGithub(report, run, { fullReport }),
  markdown: (_report, { run, fullReport }) => renderMarkdown(run, { fullReport }),
} satisfies Record<string, Renderer>;

export type Format = keyof typeof renderers;

export const FORMATS = Object.keys(renderers) as Format[];
