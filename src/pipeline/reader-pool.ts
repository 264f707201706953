import { Worker } from 'node:worker_threads';
import { describeError } from '../errors/describe-error.js';
import { readElfFile, type ReadOutcome } from './read-elf-file.js';

/**
 * ReaderPool reads ELF files on worker threads, one reader per core: the parsing that used to run
 * on one core runs on all of them. The caller still hands out files in input order and merges the
 * outcomes in that order, so the report is byte-identical to a one-thread run.
 */
export interface ReaderPool {
  read(fsPath: string): Promise<ReadOutcome>;
  close(): Promise<void>;
}

/**
 * A run reads this many ELF files on its own thread before it starts the workers: starting them
 * costs more than reading a few files, and a one-file check should not pay it.
 */
export const READ_HERE_FIRST = 8;

/**
 * startReaderPool starts `threads` workers from `workerUrl` (the bundled read-worker.js), lazily,
 * once READ_HERE_FIRST files have been read on this thread. A worker that fails (it should not: readElfFile never throws) fails its
 * pending files with an internal error; the run goes on.
 */
export function startReaderPool(workerUrl: URL, threads: number): ReaderPool {
  interface Reader {
    readonly worker: Worker;
    readonly pending: Map<number, (outcome: ReadOutcome) => void>;
  }
  const readers: Reader[] = [];
  let nextId = 0;
  let readHere = 0;
  const failAll = (reader: Reader, error: unknown) => {
    for (const resolve of reader.pending.values()) resolve({ kind: 'error', error: describeError(error, 'reading on a worker thread') });
    reader.pending.clear();
  };
  const start = () => {
    for (let i = 0; i < threads; i++) {
      const reader: Reader = { worker: new Worker(workerUrl), pending: new Map() };
      reader.worker.on('message', ({ id, outcome }: { id: number; outcome: ReadOutcome }) => {
        const resolve = reader.pending.get(id);
        reader.pending.delete(id);
        resolve?.(outcome);
      });
      reader.worker.on('error', (error) => failAll(reader, error));
      reader.worker.on('exit', (code) => failAll(reader, new Error(`the worker thread ended (exit code ${code})`)));
      readers.push(reader);
    }
  };
  return {
    read(fsPath) {
      if (readHere < READ_HERE_FIRST) {
        readHere++;
        return readElfFile(fsPath);
      }
      if (readers.length === 0) start();
      // The reader with the fewest files in flight takes the next one.
      let reader = readers[0]!;
      for (const candidate of readers) if (candidate.pending.size < reader.pending.size) reader = candidate;
      const id = nextId++;
      return new Promise((resolve) => {
        reader.pending.set(id, resolve);
        reader.worker.postMessage({ id, fsPath });
      });
    },
    async close() {
      await Promise.all(readers.splice(0).map((reader) => reader.worker.terminate()));
    },
  };
}
