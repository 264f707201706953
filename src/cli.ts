import { describeFailure } from './errors/describe-error.js';
import { nodeIo } from './cli/io.js';
import { run } from './cli/program.js';

/**
 * Last line of defence: an exception or rejection that escaped everything (a callback of ours, a
 * stream) is a bug. It ends in one line and exit code 2, never Node's stack trace and exit 1,
 * which a CI reads as "a binary needs a version above the floor".
 */
const crash = (error: unknown): void => {
  process.stderr.write(`${describeFailure(error, process.env['GLIBC_FLOOR_DEBUG'] === '1').message}\n`);
  process.exit(2);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

process.exitCode = await run(process.argv, nodeIo());
