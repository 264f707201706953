import { loadConfig } from '../config/load-config.js';
import { configSettings } from '../config/settings.js';
import { explainFile } from '../report/explain.js';
import { buildReport, exitCodeOf } from '../report/build.js';
import { renderers, summarizeRun, type Format, type RenderOptions } from '../report/index.js';
import { renderMarkdown } from '../report/markdown.js';
import type { Command, Report } from '../report/model.js';
import { reportInputs } from '../pipeline/check-files.js';
import { imageExpander } from '../image/image-inputs.js';
import { parsePlatform } from '../image/platform.js';
import { expandInputs } from '../scan/walk.js';
import { UsageError } from '../errors/usage-error.js';
import { applyWaivers } from '../waivers/apply-waivers.js';
import { resolveCheckSetup } from './check-setup.js';
import { appendJobSummary } from './job-summary.js';
import { resolve } from 'node:path';
import { chalkFor, colorLevel } from './color.js';
import { writeDocument, writeOutputFile, type Io } from './io.js';
import { progressDelay, startProgress } from './progress.js';
import { parseReportFiles, writeReportFiles, type ReportFile } from './report-files.js';
import { toolVersion } from './version.js';

/** The options `check` and `show` share, as commander hands them over. */
export interface ScanOptions {
  readonly floor?: readonly string[];
  readonly format: Format;
  readonly output?: string;
  /** `--config FILE`, or false for `--no-config`; undefined looks for .glibc-floor.json upward. */
  readonly config?: string | false;
  /** `--report FORMAT=FILE`, repeatable: extra reports from the same run. */
  readonly report?: readonly string[];
  /** Images: `--platform os/arch[/variant]` picks one manifest of a multi-platform image. */
  readonly platform?: string;
  /** Images: `--path GLOB`, repeatable, limits the scan to matching paths inside the image. */
  readonly path?: readonly string[];
  /** added (targets issue): `--target`, `--floor-from`, `--allow-lib`, each repeatable. */
  readonly target?: readonly string[];
  readonly floorFrom?: readonly string[];
  readonly allowLib?: readonly string[];
  /** `--source-root DIR`: what SARIF artifact URIs are relative to (default GITHUB_WORKSPACE, else the working directory). */
  readonly sourceRoot?: string;
}

/**
 * runScan runs `check` (with floors) or `show` over the named paths (or the config file's), applies
 * the config file's waivers, writes the report and any `--report` files, and returns the exit code.
 */
export async function runScan(command: Command, paths: readonly string[], options: ScanOptions, io: Io): Promise<number> {
  const reportFiles = parseReportFiles(options.report ?? [], options.output);
  const config = await loadConfig(options.config, io.cwd);
  const settings = configSettings(config, io.cwd);
  const setup = command === 'check'
    ? await resolveCheckSetup(options, { ...settings, source: config?.path })
    : { floors: undefined, mode: { kind: 'show', platforms: true } as const, added: {} };
  const toScan = paths.length > 0 ? paths : settings.paths;
  if (toScan.length === 0) {
    throw new UsageError('no path given: name the files or directories to check, or list them under "paths" in .glibc-floor.json');
  }
  const startedAt = new Date();
  const start = performance.now();
  const images = imageExpander(
    { ...(options.platform === undefined ? {} : { platform: parsePlatform(options.platform) }), paths: options.path ?? [] },
    (path, message) => void io.stderr.write(`glibc-floor: note: ${path}: ${message}\n`),
  );
  const progress = startProgress(io.stderr, progressDelay(io.env));
  const fileMs: number[] = [];
  const onFileDone = (index: number, ms: number) => void (fileMs[index] = ms);
  let files = (await reportInputs(expandInputs(toScan, images), { mode: setup.mode, onProgress: progress.update, onFileDone })).map(explainFile);
  await progress.stop();
  if (command === 'check' && settings.waivers.length > 0) {
    const waived = applyWaivers(files, settings.waivers, settings.pathCandidates);
    files = waived.files;
    for (const waiver of waived.unused) {
      await io.stderr.write(`glibc-floor: note: the waiver for ${waiver.version} in ${waiver.source} matched no violation\n`);
    }
  }
  const timing = { startedAt, durationMs: performance.now() - start, fileMs };
  const report = buildReport(command, toolVersion, setup.floors, files, setup.added);
  const summaryFile = command === 'check' ? io.env['GITHUB_STEP_SUMMARY'] : undefined;
  // The run summary is computed here, once, and every format renders from it.
  const render = {
    run: summarizeRun(report),
    location: { cwd: io.cwd, sourceRoot: resolve(io.cwd, options.sourceRoot ?? io.env['GITHUB_WORKSPACE'] ?? io.cwd) },
    timing,
    fullReport: fullReportOf(options, reportFiles, summaryFile),
  };
  await emitReport(report, options, io, render);
  await writeReportFiles(report, reportFiles, io, render);
  if (summaryFile !== undefined && summaryFile !== '') {
    await appendJobSummary(io, summaryFile, (maxBytes) => renderMarkdown(render.run, { maxBytes, fullReport: render.fullReport }));
  }
  if (report.summary.files === report.summary.skipped) {
    // Exit 0 is what the contract says for "nothing failed", but a release check that found
    // nothing to check (an empty build directory) deserves a word.
    await io.stderr.write(`glibc-floor: warning: no ELF file found in ${toScan.join(', ')}\n`);
  }
  return exitCodeOf(report);
}

/**
 * fullReportOf names where this run's complete report goes, for the annotations and the job
 * summary that list only part of it: a machine-readable report file, else the job summary.
 */
function fullReportOf(options: ScanOptions, reportFiles: readonly ReportFile[], summaryFile: string | undefined): string | undefined {
  const files = [...(options.output === undefined ? [] : [{ format: options.format, file: options.output }]), ...reportFiles];
  const full = files.find((entry) => entry.format !== 'github');
  if (full !== undefined) return full.file;
  return summaryFile === undefined || summaryFile === '' ? undefined : 'in the job summary';
}

/**
 * emitReport renders the report in the chosen format to `--output` or standard output. Errors
 * also go to standard error, one line each, unless the text report is already printing them there.
 */
export async function emitReport(report: Report, options: ScanOptions, io: Io, render: Omit<RenderOptions, 'chalk'>): Promise<void> {
  const toStdout = options.output === undefined;
  const level = colorLevel(io.env, toStdout && io.stdout.isTTY);
  const text = renderers[options.format](report, { ...render, chalk: chalkFor(options.format === 'text' ? level : 0) });
  if (!(toStdout && options.format === 'text')) {
    const errors = report.files.filter((file) => file.status === 'error');
    for (const file of errors) await io.stderr.write(`glibc-floor: ${file.path}: ${file.error}\n`);
  }
  if (toStdout) {
    await writeDocument(io.stdout, text);
    return;
  }
  await writeOutputFile(io, options.output!, text);
}
