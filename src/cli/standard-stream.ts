import { fstatSync, statSync, writeSync } from 'node:fs';
import { Utf8Scratch } from './utf8-scratch.js';

/** A stream the CLI writes to; `write` resolves once the text is flushed, so piped output is never cut. */
export interface OutputStream {
  readonly isTTY: boolean;
  /** A terminal's width in columns; absent when the stream is not a terminal. */
  readonly columns?: number | undefined;
  write(text: string): Promise<void>;
}

/**
 * standardStream is standard output or standard error (`fd` 1 or 2) written with `fs.writeSync`,
 * Node's own stream (`process.stdout` / `process.stderr`) built only when it is needed.
 *
 * Why: Node builds `process.stdout` at its first use and loads node:stream for it (a file or
 * /dev/null), node:net as well (a pipe), or node:tty and node:net (a terminal). On a one-file
 * check that was about 4 ms of ~60 (docs/benchmarks.md). Node writes these synchronously on Linux
 * anyway (files, pipes and terminals alike), so a write here is flushed when it returns, as
 * Node's would be.
 *
 * Node's stream takes over, for good, where the descriptor alone is not enough:
 * - a terminal: its width (`columns`) comes from Node's tty stream, and once that stream exists it
 *   owns the terminal's mode, so every write goes through it;
 * - EAGAIN: a descriptor shared with a parent that made it non-blocking refuses a write while its
 *   reader is behind; Node's stream waits for it, a synchronous write cannot;
 * - a descriptor that cannot be examined (closed, say): Node's stream decides what that means.
 */
export function standardStream(fd: 1 | 2, nodeStream: () => NodeJS.WriteStream): OutputStream {
  let stream: NodeJS.WriteStream | undefined;
  let terminal: boolean | undefined;
  let scratch: Utf8Scratch | undefined;
  const takeOver = (): NodeJS.WriteStream => (stream ??= nodeStream());
  const isTTY = (): boolean => (terminal ??= mayBeTerminal(fd) ? takeOver().isTTY === true : false);
  return {
    get isTTY() {
      return isTTY();
    },
    get columns() {
      return isTTY() && takeOver().columns > 0 ? takeOver().columns : undefined;
    },
    write(text) {
      if (stream !== undefined) return writeToStream(stream, text);
      scratch ??= new Utf8Scratch();
      for (let from = 0; from < text.length; ) {
        const { bytes, next } = scratch.encode(text, from);
        let done = 0;
        try {
          while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return Promise.reject(error);
          // Node's stream takes the rest: this piece's unwritten bytes (a copy, as the scratch
          // buffer is reused) and the text not yet encoded, in that order.
          const node = takeOver();
          const unwritten = writeToStream(node, Buffer.from(bytes.subarray(done)));
          const rest = next < text.length ? writeToStream(node, text.slice(next)) : Promise.resolve();
          return Promise.all([unwritten, rest]).then(() => undefined);
        }
        from = next;
      }
      return Promise.resolve();
    },
  };
}

/**
 * mayBeTerminal is false when `fd` is certainly not a terminal without asking node:tty: it is not a
 * character device, or it is /dev/null (the one character device every CI and benchmark sends
 * output to). It is true, leaving the answer to Node's stream, for any other character device and
 * for a descriptor fstat cannot examine.
 */
function mayBeTerminal(fd: number): boolean {
  let stats;
  try {
    stats = fstatSync(fd);
  } catch {
    return true;
  }
  if (!stats.isCharacterDevice()) return false;
  try {
    return stats.rdev !== statSync('/dev/null').rdev;
  } catch {
    return true;
  }
}

function writeToStream(stream: NodeJS.WriteStream, text: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
