import { readdir as readdirCallback, readFile as readFileCallback, realpath as realpathCallback, stat as statCallback } from 'node:fs';
import { promisify } from 'node:util';

/*
 * The file-system calls a one-file check makes (finding the config file, naming the input), as
 * promises over node:fs's callback functions. node:fs/promises does the same system calls, but
 * loading it loads readline, streams and file watchers: about 11 M instructions, 6% of a one-file
 * check's start-up (docs/benchmarks.md). The other modules, run only for some inputs, keep using
 * node:fs/promises, which the bundle loads at its first use.
 */

/** stat is fs/promises' stat. */
export const stat = promisify(statCallback);
/** realpath is fs/promises' realpath: the system's realpath(3), as fs.realpath.native. */
export const realpath = promisify(realpathCallback.native);
/** readdir is fs/promises' readdir. */
export const readdir = promisify(readdirCallback);
/** readFile is fs/promises' readFile. */
export const readFile = promisify(readFileCallback);
