import type { ChalkInstance } from 'chalk';
import { renderJson } from './json.js';
import type { Report } from './model.js';
import { renderText } from './text.js';

/** What a renderer may use besides the report. Only `text` uses color. */
export interface RenderOptions {
  readonly chalk: ChalkInstance;
}

export type Renderer = (report: Report, options: RenderOptions) => string;

/**
 * renderers maps each `--format` name to its renderer. Every format renders the same Report; the
 * keys are the choices the CLI offers, so adding a format here is all the CLI needs.
 */
export const renderers = {
  text: (report, { chalk }) => renderText(report, chalk),
  json: (report) => renderJson(report),
} satisfies Record<string, Renderer>;

export type Format = keyof typeof renderers;

export const FORMATS = Object.keys(renderers) as Format[];
