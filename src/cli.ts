import { nodeIo } from './cli/io.js';
import { run } from './cli/program.js';

process.exitCode = await run(process.argv, nodeIo());
