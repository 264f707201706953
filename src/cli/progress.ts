import type { OutputStream } from './io.js';

/** How long a scan runs before it shows progress, and how often the line is redrawn after that. */
export const PROGRESS_AFTER_MS = 1000;
const REDRAW_EVERY_MS = 100;
/** Erase the current terminal line and return to its start (ANSI "erase in line"). */
const CLEAR_LINE = '\r\x1b[K';

/** Progress is the `files done / found` line a long scan keeps redrawn on a terminal. */
export interface Progress {
  /** update is reportInputs' onProgress: called after each file. */
  readonly update: (done: number, found: number) => void;
  /** stop erases the line, if one was drawn, before the report is written. */
  stop(): Promise<void>;
}

/**
 * progressDelay is PROGRESS_AFTER_MS, or GLIBC_FLOOR_PROGRESS_AFTER_MS when set (undocumented: it
 * lets the terminal tests see the line on a small tree without waiting for a slow scan).
 */
export function progressDelay(env: Readonly<Record<string, string | undefined>>): number {
  const value = Number(env['GLIBC_FLOOR_PROGRESS_AFTER_MS']);
  return env['GLIBC_FLOOR_PROGRESS_AFTER_MS'] !== undefined && Number.isFinite(value) && value >= 0 ? value : PROGRESS_AFTER_MS;
}

const silent: Progress = { update: () => undefined, stop: async () => undefined };

/**
 * startProgress returns a progress line on `stream` when it is a terminal, and a silent one
 * otherwise, so a log or a pipe never sees control characters. The line appears only once the scan
 * has run for `afterMs` (quick runs stay quiet), is redrawn at most every 100 ms, and is erased by
 * stop(). It writes to standard error only; the report on standard output is untouched.
 */
export function startProgress(stream: OutputStream, afterMs = PROGRESS_AFTER_MS, now: () => number = Date.now): Progress {
  if (!stream.isTTY) return silent;
  const started = now();
  let drawnAt: number | undefined;
  let pending: Promise<void> = Promise.resolve();
  const draw = (text: string) => {
    // Writes are chained so the final erase lands after the last redraw.
    pending = pending.then(() => stream.write(text)).catch(() => undefined);
  };
  return {
    update(done, found) {
      const time = now();
      if (time - started < afterMs) return;
      if (drawnAt !== undefined && time - drawnAt < REDRAW_EVERY_MS) return;
      drawnAt = time;
      draw(`${CLEAR_LINE}glibc-floor: ${done} / ${found} files`);
    },
    async stop() {
      if (drawnAt !== undefined) draw(CLEAR_LINE);
      await pending;
    },
  };
}
