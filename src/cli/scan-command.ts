import { loadConfig } from '../config/load-config.js';
import { configSettings } from '../config/settings.js';
import { buildReport, exitCodeFor, inputReport, resultOf, runHeader, Tally } from '../report/build.js';
import { renderers, type Format } from '../report/index.js';
import type { Command, DeclaredReport, Report } from '../report/model.js';
import { unmatchedFloors } from '../check/floors.js';
import type { JudgeMode } from '../check/verdict.js';
import { describeSkips, type SkipReason } from '../scan/skip-reason.js';
import { NeededFloorsTally } from '../report/needed-floors.js';
import { analyseEach, reportInputs } from '../pipeline/check-files.js';
import { archiveExpander, type ArtifactSummary } from '../archive/archive-inputs.js';
import { detectArtifact } from '../archive/read-archive.js';
import { openFileSource } from '../io/byte-source.js';
import { declaredReports } from '../report/declared.js';
import { RunTally } from '../report/index.js';
import { renderMarkdown } from '../report/markdown.js';
import { imageExpander } from '../image/image-inputs.js';
import { parsePlatform } from '../image/platform.js';
import { expandInputs, type Input, type PathExpander } from '../scan/walk.js';
import { UsageError } from '../errors/usage-error.js';
import { waiverApplier } from '../waivers/apply-waivers.js';
import { resolveCheckSetup, type CheckSetup, type CheckSetupOptions } from './check-setup.js';
import { appendJobSummary } from './job-summary.js';
import { resolve } from 'node:path';
import { chalkFor, colorLevel } from './color.js';
import type { Io } from './io.js';
import { progressDelay, startProgress } from './progress.js';
import { parseReportFiles, type ReportFile } from './report-files.js';
import { openReportSink, type OpenedSink } from './report-sink.js';
import { isTempFile } from './temp-files.js';
import { toolVersion } from './version.js';
import { monotonicMs } from '../io/clock.js';

/** The options `check` and `show` share, as commander hands them over (with what to check against). */
export interface ScanOptions extends CheckSetupOptions {
  readonly format: Format;
  readonly output?: string;
  /** `--config FILE`, or false for `--no-config`; undefined looks for .glibc-floor.json upward. */
  readonly config?: string | false;
  /** `--report FORMAT=FILE`, repeatable: extra reports from the same run. */
  readonly report?: readonly string[];
  /** Images: `--path GLOB`, repeatable, limits the scan to matching paths inside the image. */
  readonly path?: readonly string[];
  /** `check --verbose`: every file in full in the text report. */
  readonly verbose?: boolean;
  /** `show --min-floor [FAMILY]`: print only the floor the files need (true means GLIBC). */
  readonly minFloor?: string | true;
  /** `--allow-empty`: a check that checked no ELF file passes (by default it is an error). */
  readonly allowEmpty?: boolean;
  /** `--source-root DIR`: what SARIF artifact URIs are relative to (default GITHUB_WORKSPACE, else the working directory). */
  readonly sourceRoot?: string;
}

/**
 * runScan runs `check` (with floors) or `show` over the named paths (or the config file's): it
 * opens every report destination first (an unwritable one is a usage error before any input is
 * read), then streams each entry, after hints and waivers and in input order, to every report as
 * its file completes, and returns the exit code. The entries are not kept.
 */
export async function runScan(command: Command, named: readonly string[], options: ScanOptions, io: Io): Promise<number> {
  let paths = named;
  let minFloorFamily: string | undefined;
  if (options.minFloor !== undefined) {
    // `--min-floor` takes an optional family, so commander hands it the path that follows it
    // (`show --min-floor bin/metis`): a value that is no family name is that path.
    const minFloor = options.minFloor;
    const minFloorPath = typeof minFloor === 'string' && !/^[A-Z][A-Z0-9_]*$/.test(minFloor) ? minFloor : undefined;
    if (minFloorPath !== undefined) paths = [minFloorPath, ...paths];
    minFloorFamily = typeof minFloor === 'string' && minFloorPath === undefined ? minFloor : 'GLIBC';
    return printMinFloor(await wholeReport(command, paths, options, io), minFloorFamily, io);
  }
  const reportFiles = parseReportFiles(options.report ?? [], options.output);
  const outputs = await openOutputs(options, reportFiles, io);
  try {
    return await scanInto(outputs, command, paths, options, io);
  } catch (error) {
    await Promise.all(outputs.map((output) => output.sink.abort()));
    throw error;
  }
}

/** One report of the run: its sink, and whether it goes to standard output as text (errors are then in it). */
interface Output {
  readonly sink: OpenedSink;
  readonly textOnStdout: boolean;
  readonly streamsToStdout: boolean;
  /** The format keeps the whole run to render it at the end (text, annotations): it lists the failing files. */
  readonly listsProblems: boolean;
}

/** openOutputs opens `--format` to `--output` or standard output, then every `--report` file, before any input is read. */
async function openOutputs(options: ScanOptions, reportFiles: readonly ReportFile[], io: Io): Promise<Output[]> {
  const outputs: Output[] = [];
  try {
    const toStdout = options.output === undefined;
    const level = colorLevel(io.env, toStdout && io.stdout.isTTY);
    const width = toStdout ? io.stdout.columns : undefined;
    // What every format is told: where SARIF paths are relative to, and where the full report is.
    const shared = {
      location: { cwd: io.cwd, sourceRoot: resolve(io.cwd, options.sourceRoot ?? io.env['GITHUB_WORKSPACE'] ?? io.cwd) },
      fullReport: fullReportOf(options, reportFiles, jobSummaryFile(io)),
    };
    const main = renderers[options.format]({
      ...shared,
      chalk: chalkFor(options.format === 'text' ? level : 0),
      ...(options.verbose === true ? { verbose: true } : {}),
      ...(width === undefined ? {} : { width }),
    });
    outputs.push({
      sink: await openReportSink(main, toStdout ? { stream: io.stdout, what: 'report' } : { file: options.output!, what: 'report' }),
      textOnStdout: toStdout && options.format === 'text',
      streamsToStdout: toStdout && !main.headNeedsTotals && main.buffered !== true,
      listsProblems: main.buffered === true,
    });
    for (const { format, file } of reportFiles) {
      const renderer = renderers[format]({ ...shared, chalk: chalkFor(0) });
      outputs.push({ sink: await openReportSink(renderer, { file, what: `${format} report` }), textOnStdout: false, streamsToStdout: false, listsProblems: renderer.buffered === true });
    }
  } catch (error) {
    await Promise.all(outputs.map((output) => output.sink.abort()));
    throw error;
  }
  return outputs;
}

async function scanInto(outputs: readonly Output[], command: Command, paths: readonly string[], options: ScanOptions, io: Io): Promise<number> {
  const config = await loadConfig(options.config, io.cwd);
  const settings = configSettings(config, io.cwd);
  const toScan = paths.length > 0 ? paths : settings.paths;
  const setup = await scanSetup(command, toScan, options, settings, config?.path);
  if (toScan.length === 0) {
    throw new UsageError('no path given: name the files or directories to check, or list them under "paths" in .glibc-floor.json');
  }
  const startedAt = new Date();
  const start = monotonicMs();
  const artifacts: ArtifactSummary[] = [];
  const expand = inputExpander(options, io, artifacts);
  const needed = command === 'show' ? new NeededFloorsTally() : undefined;
  const summaryFile = command === 'check' ? jobSummaryFile(io) : undefined;
  // The run summary, tallied entry by entry; the failing files are kept for it only when a format
  // lists them (text, annotations, GitHub's job summary), so JSON, JUnit and SARIF keep no entry.
  const run = new RunTally({ keepProblems: summaryFile !== undefined || outputs.some((output) => output.listsProblems) });
  // Each entry's wall time (JUnit's per-test-case time), from when it is done until it is reported:
  // entries are reported in input order, so at most the pool's look-ahead waits here.
  const fileMs = new Map<number, number>();
  let reported = 0;
  const header = runHeader(command, toolVersion, setup.floors, setup.added);
  for (const output of outputs) await output.sink.begin(header);
  // A report streaming to standard output is its own progress; a progress line would break into it.
  const progress = outputs.some((output) => output.streamsToStdout) && io.stdout.isTTY ? undefined : startProgress(io.stderr, progressDelay(io.env));
  const waivers = command === 'check' && settings.waivers.length > 0 ? waiverApplier(settings.waivers, settings.pathCandidates) : undefined;
  const errorsToStderr = !outputs.some((output) => output.textOnStdout);
  const tally = new Tally();
  // What the end of the run needs to know besides the counts: why files were skipped, and which
  // families the checked files need (a floor none of them needs checked nothing).
  const familiesNeeded = new Set<string>();
  for await (const found of analyseEach(withoutOwnTempFiles(expandInputs(toScan, expand)), { mode: setup.mode, onProgress: progress?.update, declaredOnly: isDeclaredOnly(setup), onFileDone: (index, ms) => void fileMs.set(index, ms) })) {
    const entry = inputReport(waivers === undefined ? found : waivers.apply(found));
    tally.add(entry);
    run.add(entry);
    const ms = fileMs.get(reported);
    fileMs.delete(reported++);
    if (reported === 2) io.longRun?.();
    if (entry.status === 'pass' || entry.status === 'fail') for (const requirement of entry.requirements) familiesNeeded.add(requirement.family);
    // `show` states the floor the set needs: tallied file by file, no entry kept.
    if (entry.status === 'pass' || entry.status === 'fail') needed?.add(entry);
    if (entry.status === 'error' && errorsToStderr) {
      await progress?.stop();
      await io.stderr.write(`glibc-floor: ${entry.path}: ${entry.error}\n`);
    }
    for (const output of outputs) await output.sink.file(entry, ms);
  }
  await progress?.stop();
  for (const waiver of waivers?.unused() ?? []) {
    await io.stderr.write(`glibc-floor: note: the waiver for ${waiver.version} in ${waiver.source} matched no violation\n`);
  }
  const summary = tally.summary;
  const checked = summary.passed + summary.failed;
  // With an unreadable input the result is an error already, and its line says why.
  const empty = checked === 0 && summary.errors === 0 ? nothingChecked(toScan, run.skippedBy) : undefined;
  const allowEmpty = options.allowEmpty === true || settings.allowEmpty;
  // A gate never passes on nothing: a check that checked no ELF file is an error unless
  // --allow-empty says an empty build is expected. `show` only describes, so it warns.
  const error = command === 'check' && empty !== undefined && !allowEmpty ? `${empty}; pass --allow-empty if that is expected` : undefined;
  const warnings = command === 'check' && setup.mode.kind !== 'show' && checked > 0 ? unmatchedFloorWarnings(setup.mode, familiesNeeded, checked) : [];
  const declared = declaredReports(artifacts);
  // In a check, a package whose declared floor its members break fails the run like a file would.
  const broken = command === 'check' && declared.some((entry) => entry.status === 'broken');
  const result = error !== undefined ? 'error' : broken && resultOf(summary) === 'pass' ? 'fail' : resultOf(summary);
  const end = {
    summary, result, run: run.summary({ command, result, floors: header.floors, summary }), timing: { startedAt, durationMs: monotonicMs() - start },
    ...(needed === undefined ? {} : { neededFloors: needed.floors() }),
    ...(declared.length > 0 ? { declared } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(error === undefined ? {} : { error }),
  } as const;
  // Files first, standard output last: a report file that cannot be completed is an error the
  // standard-output report can still say (its result then agrees with the exit code).
  const [first, ...extra] = outputs;
  let failed: unknown;
  for (const output of extra) {
    try {
      await output.sink.end(end);
    } catch (error) {
      failed ??= error;
    }
  }
  if (failed !== undefined) {
    await first!.sink.end({ ...end, result: 'error', run: { ...end.run, result: 'error' } });
    throw failed;
  }
  await first!.sink.end(end);
  if (summaryFile !== undefined) {
    const fullReport = fullReportOf(options, parseReportFiles(options.report ?? [], options.output), summaryFile);
    await appendJobSummary(io, summaryFile, (maxBytes) => renderMarkdown(end.run, { maxBytes, fullReport }));
  }
  // The text report on standard output already ends with these lines; any other report gets them on standard error.
  const inTextReport = outputs.some((output) => output.textOnStdout);
  if (error !== undefined && !inTextReport) await io.stderr.write(`glibc-floor: ${error}\n`);
  if (error === undefined && empty !== undefined) await io.stderr.write(`glibc-floor: warning: ${empty}\n`);
  if (!inTextReport) for (const warning of warnings) await io.stderr.write(`glibc-floor: warning: ${warning}\n`);
  return exitCodeFor(end.result);
}

/** scanSetup: the floors and the judge's mode of a run; a check of packages with no floor given runs on what they declare. */
async function scanSetup(command: Command, toScan: readonly string[], options: ScanOptions, settings: ReturnType<typeof configSettings>, source: string | undefined) {
  if (command !== 'check') return { floors: undefined, mode: { kind: 'show', platforms: true } as const, added: {} };
  return resolveCheckSetup(options, { ...settings, source }).catch(async (error: unknown) => {
    // No floor given: packages declare their own (a wheel's tag, a .deb's Depends), so a check
    // of packages runs on those; with no package among the paths it stays a usage error.
    if (error instanceof UsageError && error.message.startsWith('no floor given') && (await anyArtifact(toScan))) return declaredOnlySetup();
    throw error;
  });
}

/** inputExpander reads named images and archives as trees of inputs; archives' claims are collected into `artifacts`. */
function inputExpander(options: ScanOptions, io: Io, artifacts: ArtifactSummary[]): PathExpander {
  const images = imageExpander(
    { ...(options.platform === undefined ? {} : { platform: parsePlatform(options.platform) }), paths: options.path ?? [] },
    (path, message) => void io.stderr.write(`glibc-floor: note: ${path}: ${message}\n`),
  );
  const archives = archiveExpander((artifact) => artifacts.push(artifact));
  return async (path) => (await images(path)) ?? (await archives(path));
}

function isDeclaredOnly(setup: object): boolean {
  return 'declaredOnly' in setup && setup.declaredOnly === true;
}

/** nothingChecked says, in one line, that the named paths held no ELF file and what was skipped. */
function nothingChecked(paths: readonly string[], skippedBy: ReadonlyMap<SkipReason, number>): string {
  const skipped = [...skippedBy.values()].reduce((sum, count) => sum + count, 0);
  return `checked no ELF file in ${paths.join(', ')} (${skipped > 0 ? `${skipped} skipped: ${describeSkips(skippedBy)}` : 'nothing found'})`;
}

/**
 * unmatchedFloorWarnings names each explicit floor (`--floor`, the config file's) whose family no
 * checked file needs: such a floor checked nothing, which a user who typed it should hear about.
 * Floors that targets set are left out: a C program has no GLIBCXX need, and that is no news.
 */
function unmatchedFloorWarnings(mode: Exclude<JudgeMode, { kind: 'show' }>, families: ReadonlySet<string>, checked: number): string[] {
  const explicit = mode.kind === 'check' ? mode.floors : mode.policy.floors;
  return unmatchedFloors(explicit, families).map(
    (floor) => `the ${floor.family} ${floor.version} floor (${floor.source}) matched no requirement in the ${checked} file${checked === 1 ? '' : 's'} checked`,
  );
}

/**
 * wholeReport runs a scan and keeps every entry, for `show --min-floor`, which answers only once
 * every file is read and prints no report.
 */
async function wholeReport(command: Command, paths: readonly string[], options: ScanOptions, io: Io): Promise<Report> {
  const config = await loadConfig(options.config, io.cwd);
  const settings = configSettings(config, io.cwd);
  const toScan = paths.length > 0 ? paths : settings.paths;
  if (toScan.length === 0) throw new UsageError('no path given: name the files to read');
  const setup = await scanSetup(command, toScan, options, settings, config?.path);
  const artifacts: ArtifactSummary[] = [];
  const files = await reportInputs(expandInputs(toScan, inputExpander(options, io, artifacts)), { mode: setup.mode, declaredOnly: isDeclaredOnly(setup) });
  return withDeclared(buildReport(command, toolVersion, setup.floors, files, setup.added), declaredReports(artifacts));
}

/** withoutOwnTempFiles drops this run's own report files, being written inside the tree it scans. */
async function* withoutOwnTempFiles(inputs: AsyncIterable<Input>): AsyncGenerator<Input> {
  for await (const input of inputs) {
    if (input.kind === 'file' && input.fsPath !== undefined && isTempFile(input.fsPath)) continue;
    yield input;
  }
}

/** withDeclared adds the packages' declared floors to the report; in a check, a wrong claim fails it like a file would. */
function withDeclared(report: Report, declared: readonly DeclaredReport[]): Report {
  if (declared.length === 0) return report;
  const broken = report.command === 'check' && declared.some((entry) => entry.status === 'broken');
  return { ...report, declared, result: broken && report.result === 'pass' ? 'fail' : report.result };
}

/** declaredOnlySetup: a check with no floor, of packages that declare their own (each member gets its package's claims as its policy). */
function declaredOnlySetup(): CheckSetup & { readonly declaredOnly: true } {
  return { floors: new Map(), mode: { kind: 'check', floors: new Map() }, added: {}, declaredOnly: true };
}

/** anyArtifact says whether a named path is an archive this tool reads (read by content). */
async function anyArtifact(paths: readonly string[]): Promise<boolean> {
  for (const path of paths) {
    const source = await openFileSource(path).catch(() => undefined);
    if (source === undefined) continue;
    try {
      if ((await detectArtifact(source).catch(() => undefined)) !== undefined) return true;
    } finally {
      await source.close().catch(() => undefined);
    }
  }
  return false;
}

/**
 * printMinFloor answers `show --min-floor`: the floor of one family that every file meets, as a
 * bare number for scripts. It fails closed (exit 2, one line) when an input could not be read,
 * when no file needs the family, or when a file needs a name no floor can meet (GLIBC_PRIVATE).
 */
async function printMinFloor(report: Report, family: string, io: Io): Promise<number> {
  const failed = report.files.find((file) => file.status === 'error');
  if (failed !== undefined && failed.status === 'error') throw new UsageError(`cannot tell the floor: ${failed.path}: ${failed.error}`);
  for (const file of report.files) {
    if (file.status !== 'pass' && file.status !== 'fail') continue;
    const unmeetable = file.requirements.find((need) => need.family === family && !need.weak && !/[0-9]$/.test(need.version) && !(family === 'GLIBC' && need.version.startsWith('GLIBC_ABI_')));
    if (unmeetable !== undefined) throw new UsageError(`no ${family} floor can be met: ${file.path} needs ${unmeetable.version}`);
  }
  const needed = report.neededFloors?.[family];
  if (needed === undefined) throw new UsageError(`no checked file needs ${family}: there is no floor to print`);
  await io.stdout.write(`${needed.version}\n`);
  return 0;
}

/** jobSummaryFile is GitHub Actions' job summary file (`GITHUB_STEP_SUMMARY`), when set. */
function jobSummaryFile(io: Io): string | undefined {
  const file = io.env['GITHUB_STEP_SUMMARY'];
  return file === undefined || file === '' ? undefined : file;
}

/**
 * fullReportOf names where this run's complete report goes, for the annotations and the job
 * summary that list only part of it: a machine-readable report file, else the job summary.
 */
function fullReportOf(options: ScanOptions, reportFiles: readonly ReportFile[], summaryFile: string | undefined): string | undefined {
  const files = [...(options.output === undefined ? [] : [{ format: options.format, file: options.output }]), ...reportFiles];
  const full = files.find((entry) => entry.format !== 'github');
  if (full !== undefined) return full.file;
  return summaryFile === undefined ? undefined : 'in the job summary';
}
