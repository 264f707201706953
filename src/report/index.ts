import type { ChalkInstance } from 'chalk';
import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import type { RunTiming } from './run-timing.js';

export type { RunTiming } from './run-timing.js';
import type { Report } from './model.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';


/** What a renderer may use besides the report. Only `text` uses color; only `junit` uses timing. */
export interface RenderOptions {
  readonly chalk: ChalkInstance;
  readonly timing?: RunTiming;
  /** text only: list every file in full (`--verbose`) instead of grouping by cause. */
  readonly verbose?: boolean;
  /** text only: the terminal's width, to shorten long lines; absent in a pipe. */
  readonly width?: number;
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
  text: (report, { chalk, verbose, width }) => renderText(report, chalk, { ...(verbose === undefined ? {} : { verbose }), ...(width === undefined ? {} : { width }) }),
  json: (report) => renderJson(report),
  junit: (report, { timing }) => renderJunit(report, timing),
  sarif: (report) => renderSarif(report),
  github: (report) => renderGithub(report),
} satisfies Record<string, Renderer>;

export type Format = keyof typeof renderers;

export const FORMATS = Object.keys(renderers) as Format[];
