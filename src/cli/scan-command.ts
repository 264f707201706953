import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load-config.js';
import { configSettings } from '../config/settings.js';
import { explainFile } from '../report/explain.js';
import { exitCodeFor, resultOf, runHeader, Tally } from '../report/build.js';
import { renderers, type Format } from '../report/index.js';
import type { Command } from '../report/model.js';
import { reportEach } from '../pipeline/check-files.js';
import { startReaderPool, type ReaderPool } from '../pipeline/reader-pool.js';
import { imageExpander } from '../image/image-inputs.js';
import { parsePlatform } from '../image/platform.js';
import { expandInputs, type Input } from '../scan/walk.js';
import { UsageError } from '../errors/usage-error.js';
import { waiverApplier } from '../waivers/apply-waivers.js';
import { resolveCheckSetup } from './check-setup.js';
import { chalkFor, colorLevel } from './color.js';
import type { Io } from './io.js';
import { progressDelay, startProgress } from './progress.js';
import { parseReportFiles, type ReportFile } from './report-files.js';
import { openReportSink, type OpenedSink } from './report-sink.js';
import { isTempFile } from './temp-files.js';
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
}

/**
 * runScan runs `check` (with floors) or `show` over the named paths (or the config file's): it
 * opens every report destination first (an unwritable one is a usage error before any input is
 * read), then streams each entry, after hints and waivers and in input order, to every report as
 * its file completes, and returns the exit code. The entries are not kept.
 */
export async function runScan(command: Command, paths: readonly string[], options: ScanOptions, io: Io): Promise<number> {
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
}

/** openOutputs opens `--format` to `--output` or standard output, then every `--report` file, before any input is read. */
async function openOutputs(options: ScanOptions, reportFiles: readonly ReportFile[], io: Io): Promise<Output[]> {
  const outputs: Output[] = [];
  try {
    const toStdout = options.output === undefined;
    const level = colorLevel(io.env, toStdout && io.stdout.isTTY);
    const main = renderers[options.format]({ chalk: chalkFor(options.format === 'text' ? level : 0) });
    outputs.push({
      sink: await openReportSink(main, toStdout ? { stream: io.stdout, what: 'report' } : { file: options.output!, what: 'report' }),
      textOnStdout: toStdout && options.format === 'text',
      streamsToStdout: toStdout && !main.headNeedsTotals,
    });
    for (const { format, file } of reportFiles) {
      const renderer = renderers[format]({ chalk: chalkFor(0) });
      outputs.push({ sink: await openReportSink(renderer, { file, what: `${format} report` }), textOnStdout: false, streamsToStdout: false });
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
  const header = runHeader(command, toolVersion, setup.floors, setup.added);
  for (const output of outputs) await output.sink.begin(header);
  // A report streaming to standard output is its own progress; a progress line would break into it.
  const progress = outputs.some((output) => output.streamsToStdout) && io.stdout.isTTY ? undefined : startProgress(io.stderr, progressDelay(io.env));
  const waivers = command === 'check' && settings.waivers.length > 0 ? waiverApplier(settings.waivers, settings.pathCandidates) : undefined;
  const errorsToStderr = !outputs.some((output) => output.textOnStdout);
  const tally = new Tally();
  const pool = readerPool(io.env);
  try {
    for await (const found of reportEach(withoutOwnTempFiles(expandInputs(toScan, images)), { mode: setup.mode, onProgress: progress?.update, pool })) {
      const entry = waivers === undefined ? explainFile(found) : waivers.apply(explainFile(found));
      tally.add(entry);
      if (entry.status === 'error' && errorsToStderr) {
        await progress?.stop();
        await io.stderr.write(`glibc-floor: ${entry.path}: ${entry.error}\n`);
      }
    for (const output of outputs) await output.sink.file(entry);
    }
  } finally {
    await pool?.close();
  }
  await progress?.stop();
  for (const waiver of waivers?.unused() ?? []) {
    await io.stderr.write(`glibc-floor: note: the waiver for ${waiver.version} in ${waiver.source} matched no violation\n`);
  }
  const summary = tally.summary;
  const end = { summary, result: resultOf(summary), timing: { startedAt, durationMs: performance.now() - start } };
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
    await first!.sink.end({ ...end, result: 'error' });
    throw failed;
  }
  await first!.sink.end(end);
  if (summary.files === summary.skipped) {
    // Exit 0 is what the contract says for "nothing failed", but a release check that found
    // nothing to check (an empty build directory) deserves a word.
    await io.stderr.write(`glibc-floor: warning: no ELF file found in ${toScan.join(', ')}\n`);
  }
  return exitCodeFor(end.result);
}

/** withoutOwnTempFiles drops this run's own report files, being written inside the tree it scans. */
async function* withoutOwnTempFiles(inputs: AsyncIterable<Input>): AsyncGenerator<Input> {
  for await (const input of inputs) {
    if (input.kind === 'file' && input.fsPath !== undefined && isTempFile(input.fsPath)) continue;
    yield input;
  }
}

/**
 * readerPool starts reader threads when the bundled worker is there (dist/read-worker.js beside
 * dist/cli.js): by default one per core less the one this thread keeps busy (walking, judging,
 * writing), so none on a 2-core machine, where measured threads only added memory (~30 MB each)
 * and CPU (cloning each file's model across) for no wall time (docs/benchmarks.md).
 * GLIBC_FLOOR_THREADS sets the number (0: read on this thread).
 */
function readerPool(env: Readonly<Record<string, string | undefined>>): ReaderPool | undefined {
  const asked = env['GLIBC_FLOOR_THREADS'] === undefined ? Number.NaN : Number(env['GLIBC_FLOOR_THREADS']);
  const cores = availableParallelism();
  const threads = Number.isInteger(asked) && asked >= 0 ? Math.min(asked, 64) : cores >= 3 ? cores - 1 : 0;
  if (threads === 0) return undefined;
  // A bundle without its worker file beside it (or without import.meta.url, as a CommonJS
  // single-executable build) reads on this thread.
  let workerUrl: URL;
  try {
    workerUrl = new URL('./read-worker.js', import.meta.url);
  } catch {
    return undefined;
  }
  return existsSync(fileURLToPath(workerUrl)) ? startReaderPool(workerUrl, threads) : undefined;
}
