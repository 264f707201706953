import { ToolError } from './tool-error.js';

/**
 * UsageError is a mistake in how the tool was called (a bad floor, an unknown format, a config file
 * that does not validate): a ToolError of kind `usage`. Library code throws it for bad arguments;
 * the CLI edge (describeFailure) prints its message in one line and exits with code 2.
 */
export class UsageError extends ToolError {
  override readonly name = 'UsageError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', message, {}, options);
  }
}
