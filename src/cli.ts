import { nodeIo } from './cli/io.js';
import { run } from './cli/program.js';
import { removeTempFilesOnSignal } from './cli/temp-files.js';

removeTempFilesOnSignal();
// No top-level await: the standalone executables bundle this entry as CommonJS, which Node 20's
// single executable applications require and which cannot hold a top-level await. An error that
// escapes run() is a bug; the gate still fails closed on it (exit 2, one line), never exit 1.
run(process.argv, nodeIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`glibc-floor: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
