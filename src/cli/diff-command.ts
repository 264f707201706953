import { buildDiff } from '../diff/build.js';
import { exitCodeFor } from '../report/build.js';
import { checkComparable, collectSide } from '../diff/collect.js';
import { diffRenderers, type DiffFormat } from '../diff/render.js';
import { chalkFor, colorLevel } from './color.js';
import type { Io } from './io.js';
import { openFileOutput, streamOutput, type TextOutput } from './output-file.js';
import { toolVersion } from './version.js';

/** The options of `diff`, as commander hands them over (`--no-fail-on-raise` sets failOnRaise false). */
export interface DiffOptions {
  readonly format: DiffFormat;
  readonly output?: string;
  readonly failOnRaise: boolean;
}

/**
 * runDiff compares the version needs of OLD and NEW (two files, or two directories matched by
 * relative path), writes the diff report and returns the exit code: 1 when NEW requires more than
 * OLD in some family (unless --no-fail-on-raise), 2 when a file could not be read.
 */
export async function runDiff(oldPath: string, newPath: string, options: DiffOptions, io: Io): Promise<number> {
  // Opened before any input is read: an unwritable --output is a usage error up front.
  const output = options.output === undefined ? streamOutput(io.stdout) : await openFileOutput(options.output);
  try {
    return await diffInto(output, oldPath, newPath, options, io);
  } catch (error) {
    await output.abort();
    throw error;
  }
}

async function diffInto(output: TextOutput, oldPath: string, newPath: string, options: DiffOptions, io: Io): Promise<number> {
  const [old, next] = await Promise.all([collectSide(oldPath), collectSide(newPath)]);
  checkComparable(oldPath, old, newPath, next);
  const report = buildDiff(toolVersion, oldPath, newPath, old, next, options.failOnRaise);
  const toStdout = options.output === undefined;
  const level = options.format === 'text' ? colorLevel(io.env, toStdout && io.stdout.isTTY) : 0;
  const text = diffRenderers[options.format](report, chalkFor(level));
  if (!(toStdout && options.format === 'text')) {
    for (const file of report.files) if (file.status === 'error') await io.stderr.write(`glibc-floor: ${file.error ?? file.path}\n`);
  }
  await output.write(text);
  await output.commit();
  return exitCodeFor(report.result);
}
