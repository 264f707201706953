import { appendFile, stat } from 'node:fs/promises';
import { tuneHeap } from './heap-tuning.js';
import { standardStream, type OutputStream } from './standard-stream.js';

export type { OutputStream } from './standard-stream.js';

/** Io is everything the CLI touches outside itself, so tests can run it in-process. */
export interface Io {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** appendFile adds text to the end of a file, creating it if needed (GitHub's job summary file). */
  appendFile(path: string, text: string): Promise<void>;
  /** fileSize is a file's size in bytes, 0 when it does not exist yet. */
  fileSize(path: string): Promise<number>;
  /**
   * longRun is called once a scan goes on past its first file: the real process tunes V8's heap
   * for it then (cli/heap-tuning.ts), so a one-file check does not load `node:v8`. In-process
   * runs (the tests) leave their host's heap alone.
   */
  longRun?(): void;
}

/** nodeIo is the real process's Io. */
export function nodeIo(): Io {
  return {
    stdout: standardStream(1, () => process.stdout),
    stderr: standardStream(2, () => process.stderr),
    env: process.env,
    cwd: process.cwd(),
    appendFile: (path, text) => appendFile(path, text, 'utf8'),
    fileSize: (path) =>
      stat(path).then(
        (stats) => stats.size,
        (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? 0 : Promise.reject(error)),
      ),
    longRun: tuneHeap,
  };
}
