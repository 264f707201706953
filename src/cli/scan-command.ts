import { mergeFloors, parseFloorSpec, type Floors } from '../check/floors.js';
import { buildReport, exitCodeOf } from '../report/build.js';
import { renderers, type Format } from '../report/index.js';
import type { Command, Report } from '../report/model.js';
import { reportInputs } from '../scan/check-files.js';
import { expandInputs } from '../scan/walk.js';
import { UsageError } from '../usage-error.js';
import { chalkFor, colorLevel } from './color.js';
import type { Io } from './io.js';
import { toolVersion } from './version.js';

/** The options `check` and `show` share, as commander hands them over. */
export interface ScanOptions {
  readonly floor?: readonly string[];
  readonly format: Format;
  readonly output?: string;
}

/** resolveFloors gathers the floors of a `check` run; a check with no floor at all is a usage error. */
export function resolveFloors(options: ScanOptions): Floors {
  const floors = mergeFloors((options.floor ?? []).map((spec) => parseFloorSpec(spec)));
  if (floors.size === 0) {
    throw new UsageError('no floor given: name one with --floor 2.35 (GLIBC) or --floor FAMILY=VERSION');
  }
  return floors;
}

/** runScan runs `check` (with floors) or `show` over the named paths, writes the report and returns the exit code. */
export async function runScan(command: Command, paths: readonly string[], options: ScanOptions, io: Io): Promise<number> {
  const floors = command === 'check' ? resolveFloors(options) : undefined;
  const files = await reportInputs(expandInputs(paths), floors);
  const report = buildReport(command, toolVersion, floors, files);
  await emitReport(report, options, io);
  if (report.summary.files === report.summary.skipped) {
    // Exit 0 is what the contract says for "nothing failed", but a release check that found
    // nothing to check (an empty build directory) deserves a word.
    await io.stderr.write(`glibc-floor: warning: no ELF file found in ${paths.join(', ')}\n`);
  }
  return exitCodeOf(report);
}

/**
 * emitReport renders the report in the chosen format to `--output` or standard output. Errors
 * also go to standard error, one line each, unless the text report is already printing them there.
 */
export async function emitReport(report: Report, options: ScanOptions, io: Io): Promise<void> {
  const toStdout = options.output === undefined;
  const level = colorLevel(io.env, toStdout && io.stdout.isTTY);
  const text = renderers[options.format](report, { chalk: chalkFor(options.format === 'text' ? level : 0) });
  if (!(toStdout && options.format === 'text')) {
    const errors = report.files.filter((file) => file.status === 'error');
    for (const file of errors) await io.stderr.write(`glibc-floor: ${file.path}: ${file.error}\n`);
  }
  if (toStdout) {
    await io.stdout.write(text);
    return;
  }
  try {
    await io.writeFile(options.output!, text);
  } catch (error) {
    throw new UsageError(`cannot write the report to ${options.output}: ${(error as Error).message}`);
  }
}
