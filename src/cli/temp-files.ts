import { unlinkSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The temporary files of this process that are not yet renamed into place or removed: report
 * files being written, and entries held back until a report's totals are known. On SIGINT or
 * SIGTERM they are removed before the process ends, so an interrupted run leaves no half report.
 */
const pending = new Set<string>();

export function trackTempFile(path: string): void {
  pending.add(resolve(path));
}

/** isTempFile tells whether a path is one of this run's temporary files (a report being written in the tree it scans). */
export function isTempFile(path: string): boolean {
  return pending.has(resolve(path));
}

export function untrackTempFile(path: string): void {
  pending.delete(resolve(path));
}

/** removeTempFilesSync removes every pending temporary file (a signal handler cannot wait). */
export function removeTempFilesSync(): void {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

/** The exit code of a process ended by a signal, as shells report it: 128 + the signal number. */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * removeTempFilesOnSignal makes SIGINT (Ctrl-C) and SIGTERM (a CI job cancelled) remove the
 * temporary files and end the process with 130 or 143. Standard output is left as it is: streamed
 * formats (text, github) are written in whole entries, the others only at the very end, so what a
 * reader got ends at an entry boundary or is nothing.
 */
export function removeTempFilesOnSignal(exit: (code: number) => never = process.exit): void {
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    process.once(signal, () => {
      removeTempFilesSync();
      exit(code);
    });
  }
}
