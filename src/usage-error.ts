/**
 * UsageError is a mistake in how the tool was called (a bad floor, an unknown format): the CLI
 * prints its message in one line and exits with code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
