import { loadConfig } from '../config/load-config.js';
import { configSettings } from '../config/settings.js';
import { explainFile } from '../report/explain.js';
import { buildReport, exitCodeOf } from '../report/build.js';
import { renderers, type Format, type RunTiming } from '../report/index.js';
import type { Command, DeclaredReport, Report } from '../report/model.js';
import { reportInputs } from '../pipeline/check-files.js';
import { imageExpander } from '../image/image-inputs.js';
import { parsePlatform } from '../image/platform.js';
import { expandInputs, type PathExpander } from '../scan/walk.js';
import { UsageError } from '../errors/usage-error.js';
import { archiveExpander, type ArtifactSummary } from '../archive/archive-inputs.js';
import { detectArtifact } from '../archive/read-archive.js';
import { openFileSource } from '../io/byte-source.js';
import { declaredReports } from '../report/declared.js';
import { applyWaivers } from '../waivers/apply-waivers.js';
import { resolveCheckSetup, type CheckSetup } from './check-setup.js';
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
  /** added (issue 17): `--cpu-level x86-64-v2`. */
  readonly cpuLevel?: string;
  /** `check --verbose`: every file in full in the text report. */
  readonly verbose?: boolean;
  /** `show --min-floor [FAMILY]`: print only the floor the files need (true means GLIBC). */
  readonly minFloor?: string | true;
}

/**
 * runScan runs `check` (with floors) or `show` over the named paths (or the config file's), applies
 * the config file's waivers, writes the report and any `--report` files, and returns the exit code.
 */
export async function runScan(command: Command, named: readonly string[], options: ScanOptions, io: Io): Promise<number> {
  let paths = named;
  const reportFiles = parseReportFiles(options.report ?? [], options.output);
  const config = await loadConfig(options.config, io.cwd);
  const settings = configSettings(config, io.cwd);
  // `--min-floor` takes an optional family, so commander hands it the path that follows it
  // (`show --min-floor bin/metis`): a value that is no family name is that path.
  const minFloor = options.minFloor;
  const minFloorPath = typeof minFloor === 'string' && !/^[A-Z][A-Z0-9_]*$/.test(minFloor) ? minFloor : undefined;
  if (minFloorPath !== undefined) paths = [minFloorPath, ...paths];
  const minFloorFamily = minFloor === undefined ? undefined : typeof minFloor === 'string' && minFloorPath === undefined ? minFloor : 'GLIBC';
  const toScan = paths.length > 0 ? paths : settings.paths;
  const setup = command === 'check'
    ? await resolveCheckSetup(options, { ...settings, source: config?.path }).catch(async (error: unknown) => {
        // No floor given: packages declare their own (a wheel's tag, a .deb's Depends), so a check
        // of packages runs on those; with no package among the paths it stays a usage error.
        if (error instanceof UsageError && error.message.startsWith('no floor given') && (await anyArtifact(toScan))) return declaredOnlySetup();
        throw error;
      })
    : { floors: undefined, mode: { kind: 'show', platforms: true } as const, added: {} };
  if (toScan.length === 0) {
    throw new UsageError('no path given: name the files or directories to check, or list them under "paths" in .glibc-floor.json');
  }
  const startedAt = new Date();
  const start = performance.now();
  const images = imageExpander(
    { ...(options.platform === undefined ? {} : { platform: parsePlatform(options.platform) }), paths: options.path ?? [] },
    (path, message) => void io.stderr.write(`glibc-floor: note: ${path}: ${message}\n`),
  );
  const artifacts: ArtifactSummary[] = [];
  const archives = archiveExpander((artifact) => artifacts.push(artifact));
  const expand: PathExpander = async (path) => (await images(path)) ?? (await archives(path));
  const progress = startProgress(io.stderr, progressDelay(io.env));
  let files = (await reportInputs(expandInputs(toScan, expand), { mode: setup.mode, onProgress: progress.update, declaredOnly: 'declaredOnly' in setup && setup.declaredOnly === true })).map(explainFile);
  await progress.stop();
  if (command === 'check' && settings.waivers.length > 0) {
    const waived = applyWaivers(files, settings.waivers, settings.pathCandidates);
    files = waived.files;
    for (const waiver of waived.unused) {
      await io.stderr.write(`glibc-floor: note: the waiver for ${waiver.version} in ${waiver.source} matched no violation\n`);
    }
  }
  const timing = { startedAt, durationMs: performance.now() - start };
  const report = withDeclared(buildReport(command, toolVersion, setup.floors, files, setup.added), declaredReports(artifacts));
  if (minFloorFamily !== undefined) return printMinFloor(report, minFloorFamily, io);
  await emitReport(report, options, io, timing);
  await writeReportFiles(report, reportFiles, io, timing);
  if (report.summary.files === report.summary.skipped) {
    // Exit 0 is what the contract says for "nothing failed", but a release check that found
    // nothing to check (an empty build directory) deserves a word.
    await io.stderr.write(`glibc-floor: warning: no ELF file found in ${toScan.join(', ')}\n`);
  }
  return exitCodeOf(report);
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
 * emitReport renders the report in the chosen format to `--output` or standard output. Errors
 * also go to standard error, one line each, unless the text report is already printing them there.
 */
export async function emitReport(report: Report, options: ScanOptions, io: Io, timing?: RunTiming): Promise<void> {
  const toStdout = options.output === undefined;
  const level = colorLevel(io.env, toStdout && io.stdout.isTTY);
  const width = toStdout ? io.stdout.columns : undefined;
  const text = renderers[options.format](report, {
    chalk: chalkFor(options.format === 'text' ? level : 0),
    ...(timing === undefined ? {} : { timing }),
    ...(options.verbose === true ? { verbose: true } : {}),
    ...(width === undefined ? {} : { width }),
  });
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
