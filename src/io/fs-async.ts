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

/** The callback functions as promises, made at the first call that goes to the pool (a one-file check makes none). */
function promisifiedCalls() {
  return { stat: promisify(statCallback), realpath: promisify(realpathCallback.native), readdir: promisify(readdirCallback), readFile: promisify(readFileCallback) };
}
let pooledCalls: ReturnType<typeof promisifiedCalls> | undefined;
const pooled = () => (pooledCalls ??= promisifiedCalls());

/** A listing's time grows with its entries (~1 µs each on a warm cache): each may take 10 µs more. */
const LISTING_MS_PER_ENTRY = 0.01;

/** stat is fs/promises' stat. */
export const stat = (path: string) => blockingOrPooled(() => statSync(path), () => pooled().stat(path));
/** realpath is fs/promises' realpath: the system's realpath(3), as fs.realpath.native. */
export const realpath = (path: string) => blockingOrPooled(() => realpathSync.native(path), () => pooled().realpath(path));
/** readdir is fs/promises' readdir with `withFileTypes`. */
export const readdir = (path: string, options: { withFileTypes: true }) =>
  blockingOrPooled(() => readdirSync(path, options), () => pooled().readdir(path, options), (entries) => LISTING_MS_PER_ENTRY * entries.length);
/** readFile is fs/promises' readFile of text. */
export const readFile = (path: string, encoding: 'utf8') =>
  blockingOrPooled(() => readFileSync(path, encoding), () => pooled().readFile(path, encoding), (text) => bytesAllowanceMs(text.length));
