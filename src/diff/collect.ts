import { stat } from 'node:fs/promises';
import type { InputAnalysis } from '../analysis/file-analysis.js';
import { analyseInputs } from '../pipeline/check-files.js';
import { expandInputs, joinDisplay } from '../scan/walk.js';
import { UsageError } from '../errors/usage-error.js';

/** Side is one side of a diff: its analyses keyed by path relative to what the user named. */
export interface Side {
  /** Whether the user named a directory (files are then matched by relative path). */
  readonly directory: boolean;
  readonly files: ReadonlyMap<string, InputAnalysis>;
}

/**
 * collectSide reads every ELF file under `path` (a file, or a directory walked as `check` walks
 * it) with the version reader and the kind detectors. Files that are not ELF inside a directory
 * are left out; a named path that is missing or unreadable is an `error` entry under key ''.
 */
export async function collectSide(path: string): Promise<Side> {
  const directory = await stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
  const reports = await analyseInputs(expandInputs([path], undefined, { dedupe: false }), { mode: { kind: 'show', platforms: false } });
  const prefix = joinDisplay(path, '');
  const files = new Map<string, InputAnalysis>();
  for (const report of reports) {
    if (report.status === 'skipped') continue;
    files.set(directory && report.path.startsWith(prefix) ? report.path.slice(prefix.length) : '', report);
  }
  return { directory, files };
}

/** checkComparable refuses a file on one side and a directory on the other: there is nothing to match. */
export function checkComparable(oldPath: string, old: Side, newPath: string, next: Side): void {
  if (old.directory !== next.directory) {
    const what = (side: Side) => (side.directory ? 'a directory' : 'a file');
    throw new UsageError(`cannot compare ${what(old)} (${oldPath}) with ${what(next)} (${newPath}): give two files or two directories`);
  }
}
