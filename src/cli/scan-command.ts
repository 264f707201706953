import { loadConfig } from '../config/load-config.js';
import { configSettings } from '../config/settings.js';
import { explainFile } from '../report/explain.js';
import { buildReport, exitCodeOf } from '../report/build.js';
import { renderers, type Format, type RunTiming } from '../report/index.js';
import type { Command, FileReport, Report } from '../report/model.js';
import { unmatchedFloors } from '../check/floors.js';
import type { JudgeMode } from '../check/verdict.js';
import { describeSkips } from '../scan/skip-reason.js';
import { reportInputs } from '../pipeline/check-files.js';
import { imageExpander } from '../image/image-inputs.js';
import { parsePlatform } from '../image/platform.js';
import { expandInputs } from '../scan/walk.js';
import { UsageError } from '../errors/usage-error.js';
import { applyWaivers } from '../waivers/apply-waivers.js';
import { resolveCheckSetup } from './check-setup.js';
import { chalkFor, colorLevel } from './color.js';
import { writeDocument, writeOutputFile, type Io } from './io.js';
import { progressDelay, startProgress } from './progress.js';
import { parseReportFiles, writeReportFiles } from './report-files.js';
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
  /** `--allow-empty`: a check that checked no ELF file passes (by default it is an error). */
  readonly allowEmpty?: boolean;
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
  let files = (await reportInputs(expandInputs(toScan, images), { mode: setup.mode, onProgress: progress.update })).map(explainFile);
  await progress.stop();
  if (command === 'check' && settings.waivers.length > 0) {
    const waived = applyWaivers(files, settings.waivers, settings.pathCandidates);
    files = waived.files;
    for (const waiver of waived.unused) {
      await io.stderr.write(`glibc-floor: note: the waiver for ${waiver.version} in ${waiver.source} matched no violation\n`);
    }
  }
  const timing = { startedAt, durationMs: performance.now() - start };
  const checked = files.filter((file) => file.status === 'pass' || file.status === 'fail');
  // With an unreadable input the result is an error already, and its line says why.
  const empty = checked.length === 0 && !files.some((file) => file.status === 'error') ? nothingChecked(toScan, files) : undefined;
  const allowEmpty = options.allowEmpty === true || settings.allowEmpty;
  // A gate never passes on nothing (CONTRACT.md): a check that checked no ELF file is an error
  // unless --allow-empty says an empty build is expected. `show` only describes, so it warns.
  const error = command === 'check' && empty !== undefined && !allowEmpty ? `${empty}; pass --allow-empty if that is expected` : undefined;
  const warnings = command === 'check' && setup.mode.kind !== 'show' && checked.length > 0 ? unmatchedFloorWarnings(setup.mode, checked) : [];
  const report = buildReport(command, toolVersion, setup.floors, files, {
    ...setup.added,
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(error === undefined ? {} : { error }),
  });
  await emitReport(report, options, io, timing);
  await writeReportFiles(report, reportFiles, io, timing);
  // The text report on standard output already ends with these lines; any other report gets them on standard error.
  const inTextReport = options.output === undefined && options.format === 'text';
  if (error !== undefined && !inTextReport) await io.stderr.write(`glibc-floor: ${error}\n`);
  if (error === undefined && empty !== undefined) await io.stderr.write(`glibc-floor: warning: ${empty}\n`);
  if (!inTextReport) for (const warning of warnings) await io.stderr.write(`glibc-floor: warning: ${warning}\n`);
  return exitCodeOf(report);
}

/** nothingChecked says, in one line, that the named paths held no ELF file and what was skipped. */
function nothingChecked(paths: readonly string[], files: readonly FileReport[]): string {
  const skipped = files.flatMap((file) => (file.status === 'skipped' ? [file.reason] : []));
  return `checked no ELF file in ${paths.join(', ')} (${skipped.length > 0 ? `${skipped.length} skipped: ${describeSkips(skipped)}` : 'nothing found'})`;
}

/**
 * unmatchedFloorWarnings names each explicit floor (`--floor`, the config file's) whose family no
 * checked file needs: such a floor checked nothing, which a user who typed it should hear about.
 * Floors that targets set are left out: a C program has no GLIBCXX need, and that is no news.
 */
function unmatchedFloorWarnings(mode: Exclude<JudgeMode, { kind: 'show' }>, checked: readonly FileReport[]): string[] {
  const explicit = mode.kind === 'check' ? mode.floors : mode.policy.floors;
  const families = new Set(checked.flatMap((file) => (file.status === 'pass' || file.status === 'fail' ? file.requirements.map((requirement) => requirement.family) : [])));
  return unmatchedFloors(explicit, families).map(
    (floor) => `the ${floor.family} ${floor.version} floor (${floor.source}) matched no requirement in the ${checked.length} file${checked.length === 1 ? '' : 's'} checked`,
  );
}

/**
 * emitReport renders the report in the chosen format to `--output` or standard output. Errors
 * also go to standard error, one line each, unless the text report is already printing them there.
 */
export async function emitReport(report: Report, options: ScanOptions, io: Io, timing?: RunTiming): Promise<void> {
  const toStdout = options.output === undefined;
  const level = colorLevel(io.env, toStdout && io.stdout.isTTY);
  const text = renderers[options.format](report, { chalk: chalkFor(options.format === 'text' ? level : 0), ...(timing === undefined ? {} : { timing }) });
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
