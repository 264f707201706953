import { describeFailure } from './errors/describe-error.js';
import { nodeIo } from './cli/io.js';
import { run } from './cli/program.js';
import { removeTempFilesOnSignal } from './cli/temp-files.js';

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


removeTempFilesOnSignal();
// No top-level await: the standalone executables bundle this entry as CommonJS, which Node 20's
// single executable applications require and which cannot hold a top-level await.
let finished = false;
run(process.argv, nodeIo()).then((code) => {
  finished = true;
  process.exitCode = code;
}, crash);

/**
 * A run whose work waits on a promise that nothing will settle leaves Node's event loop empty, and
 * Node then exits with code 0 and no output: a gate passing by accident. (A gzip layer with a
 * directory entry that declared a size did that until the image scan stopped draining such
 * entries.) 'beforeExit' comes only when the loop is empty, never after process.exit().
 */
process.once('beforeExit', () => {
  if (!finished) crash(new Error('the run stopped with work pending and no result (a promise was never settled)'));
});
