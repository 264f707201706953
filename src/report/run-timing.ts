/** When the run started and how long reading and checking took (JUnit's `time` and `timestamp`). */
export interface RunTiming {
  readonly startedAt: Date;
  readonly durationMs: number;
  /**
   * Per entry of the report (same index), the wall time from opening the file to its verdict.
   * Files are read 16 at a time, so these overlap and do not add up to `durationMs`.
   */
  readonly fileMs?: readonly number[];
}
