import { open, openSync, write, writeSync } from 'node:fs';
import { blockingOrPooled, bytesAllowanceMs } from './blocking-calls.js';

/**
 * Writes through a descriptor, following the same policy as reads (io/blocking-calls.ts):
 * blocking while storage answers fast, else through libuv's thread pool. Report files and the
 * bytes an image scan spills to its temporary directory are written this way. Through the pool, a
 * report write per 64 Ki characters left the one thread idle for 4% of a tree scan, and each
 * write of a spilled file held up its layer's stream for a hand-off to a pool thread and back.
 * Close a written descriptor with byte-source.ts's closeDescriptor, which follows the same policy.
 */

/** createExclusive makes a new file at `path` (never an existing one) and opens it for writing. */
export function createExclusive(path: string, mode: number): Promise<number> {
  return blockingOrPooled(
    () => openSync(path, 'wx', mode),
    () => new Promise<number>((resolve, reject) => open(path, 'wx', mode, (error, fd) => (error ? reject(error) : resolve(fd)))),
  );
}

/** writeAll writes every byte of `bytes` at the descriptor's current position. */
export async function writeAll(fd: number, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    done += await blockingOrPooled(
      () => writeSync(fd, bytes, done, bytes.length - done),
      () => new Promise<number>((resolve, reject) => write(fd, bytes, done, bytes.length - done, null, (error, written) => (error ? reject(error) : resolve(written)))),
      bytesAllowanceMs,
    );
  }
}
