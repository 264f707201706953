import { nodeIo } from './cli/io.js';
import { run } from './cli/program.js';
import { removeTempFilesOnSignal } from './cli/temp-files.js';

removeTempFilesOnSignal();
process.exitCode = await run(process.argv, nodeIo());
