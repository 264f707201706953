import {
  readdir as readdirCallback, readdirSync, readFile as readFileCallback, readFileSync, realpath as realpathCallback,
  realpathSync, stat as statCallback, statSync,
} from 'node:fs';
import { promisify } from 'node:util';
import { blockingOrPooled, bytesAllowanceMs } from './blocking-calls.js';

/*
 * The file-system calls of a scan outside the ELF reader (finding the config file, naming the
 * inputs, walking directories), as promises. While storage answers fast they are blocking calls
 * (io/blocking-calls.ts: a one-file check then never starts libuv's thread pool), else node:fs's
 * callback functions. node:fs/promises does the same system calls, but loading it loads readline,
 * streams and file watchers: about 11 M instructions, 6% of a one-file check's start-up
 * (docs/benchmarks.md). The other modules, run only for some inputs, keep using
 * node:fs/promises, which the bundle loads at its first use.
 */

const statPooled = promisify(statCallback);
const realpathPooled = promisify(realpathCallback.native);
const readdirPooled = promisify(readdirCallback);
const readFilePooled = promisify(readFileCallback);

/** A listing's time grows with its entries (~1 µs each on a warm cache): each may take 10 µs more. */
const LISTING_MS_PER_ENTRY = 0.01;

/** stat is fs/promises' stat. */
export const stat = (path: string) => blockingOrPooled(() => statSync(path), () => statPooled(path));
/** realpath is fs/promises' realpath: the system's realpath(3), as fs.realpath.native. */
export const realpath = (path: string) => blockingOrPooled(() => realpathSync.native(path), () => realpathPooled(path));
/** readdir is fs/promises' readdir with `withFileTypes`. */
export const readdir = (path: string, options: { withFileTypes: true }) =>
  blockingOrPooled(() => readdirSync(path, options), () => readdirPooled(path, options), (entries) => LISTING_MS_PER_ENTRY * entries.length);
/** readFile is fs/promises' readFile of text. */
export const readFile = (path: string, encoding: 'utf8') =>
  blockingOrPooled(() => readFileSync(path, encoding), () => readFilePooled(path, encoding), (text) => bytesAllowanceMs(text.length));
