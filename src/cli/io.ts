import { UsageError } from '../errors/usage-error.js';
import { appendFile, stat, writeFile } from 'node:fs/promises';

/** A stream the CLI writes to; `write` resolves once the text is flushed, so piped output is never cut. */
export interface OutputStream {
  readonly isTTY: boolean;
  write(text: string): Promise<void>;
}

/** Io is everything the CLI touches outside itself, so tests can run it in-process. */
export interface Io {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** writeFile writes a document given whole or in pieces. */
  writeFile(path: string, text: string | Iterable<string>): Promise<void>;
  /** appendFile adds text to the end of a file, creating it if needed (GitHub's job summary file). */
  appendFile(path: string, text: string): Promise<void>;
  /** fileSize is a file's size in bytes, 0 when it does not exist yet. */
  fileSize(path: string): Promise<number>;
}

function nodeStream(stream: NodeJS.WriteStream): OutputStream {
  return {
    isTTY: stream.isTTY === true,
    write: (text) =>
      new Promise((resolve, reject) => {
        stream.write(text, (error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * writeDocument writes a document given whole or in pieces to a stream, gathering pieces into
 * writes of about 1 MiB so a large report costs neither one huge string nor thousands of writes.
 */
export async function writeDocument(stream: OutputStream, text: string | Iterable<string>): Promise<void> {
  if (typeof text === 'string') return stream.write(text);
  for (const batch of inBatches(text)) await stream.write(batch);
}

/** inBatches joins pieces into strings of about 1 MiB. */
function* inBatches(pieces: Iterable<string>): Generator<string> {
  let batch = '';
  for (const piece of pieces) {
    batch += piece;
    if (batch.length >= 1 << 20) {
      yield batch;
      batch = '';
    }
  }
  if (batch !== '') yield batch;
}

/** nodeIo is the real process's Io. */
export function nodeIo(): Io {
  return {
    stdout: nodeStream(process.stdout),
    stderr: nodeStream(process.stderr),
    env: process.env,
    cwd: process.cwd(),
    writeFile: (path, text) => writeFile(path, typeof text === 'string' ? text : inBatches(text), 'utf8'),
    appendFile: (path, text) => appendFile(path, text, 'utf8'),
    fileSize: (path) =>
      stat(path).then(
        (stats) => stats.size,
        (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? 0 : Promise.reject(error)),
      ),
  };
}

/**
 * writeOutputFile writes a report to `--output` or a `--report` file; a file that cannot be
 * written is a usage error naming it (`what`: "report", "junit report", ...).
 */
export async function writeOutputFile(io: Io, path: string, text: string | Iterable<string>, what = 'report'): Promise<void> {
  try {
    await io.writeFile(path, text);
  } catch (error) {
    throw new UsageError(`cannot write the ${what} to ${path}: ${(error as Error).message}`);
  }
}
