import { UsageError } from '../errors/usage-error.js';
import type { Io } from './io.js';

/** GitHub takes at most 1 MiB of job summary per step ("Adding a job summary", step isolation and limits). */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

/**
 * appendJobSummary adds the run's Markdown summary to the file GitHub Actions names in
 * `GITHUB_STEP_SUMMARY`, appending as actions/toolkit's `core.summary` does, so earlier steps' or
 * runs' summaries in the same step stay. `render` gets the bytes still free under the 1 MiB
 * limit; when less than 4 KiB is free (earlier summaries of the step), standard error says so and
 * nothing is added. A summary file that cannot be written is a usage error, like any other output.
 */
export async function appendJobSummary(io: Io, path: string, render: (maxBytes: number) => string): Promise<void> {
  try {
    const free = STEP_SUMMARY_LIMIT - (await io.fileSize(path));
    if (free < 4096) {
      await io.stderr.write(`glibc-floor: note: no job summary written: ${path} already holds about GitHub's limit of ${STEP_SUMMARY_LIMIT} bytes per step\n`);
      return;
    }
    await io.appendFile(path, `${render(free - 1)}\n`);
  } catch (error) {
    throw new UsageError(`cannot write the job summary to ${path} (GITHUB_STEP_SUMMARY): ${(error as Error).message}`);
  }
}
