/** When the run started and how long reading and checking took (JUnit's `time` and `timestamp`). */
export interface RunTiming {
  readonly startedAt: Date;
  readonly durationMs: number;
}
