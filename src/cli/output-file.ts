import { createReadStream, openSync } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describeFsError } from '../errors/describe-error.js';
import { closeDescriptor } from '../io/byte-source.js';
import { writeAll } from '../io/write-file.js';
import { UsageError } from '../errors/usage-error.js';
import { trackTempFile, untrackTempFile } from './temp-files.js';
import { Utf8Scratch } from './utf8-scratch.js';

/** Writes are gathered into pieces of about this size: neither one huge string nor a write per entry. */
const WRITE_CHUNK = 1 << 16;

/** TextOutput is where one report's text goes, written in order, then committed or abandoned. */
export interface TextOutput {
  write(text: string): Promise<void>;
  /** commit writes what is left and, for a file, renames it into place. */
  commit(): Promise<void>;
  /** abort drops what was written to a file (the target is left as it was). Never throws. */
  abort(): Promise<void>;
}

/** cannotWrite is the usage error for an output that cannot be written, without Node's raw text. */
function cannotWrite(what: string, path: string, error: unknown): UsageError {
  return new UsageError(`cannot write the ${what} to ${path}: ${fsPhrase(error)}`);
}

/** fsPhrase is describeFsError's phrase, or the bare error code where it has none (never Node's raw text). */
function fsPhrase(error: unknown): string {
  const phrase = describeFsError(error);
  if (!(error instanceof Error) || phrase !== error.message) return phrase;
  return (error as NodeJS.ErrnoException).code ?? 'unknown error';
}

/**
 * uniqueSuffix makes temporary names unique enough: the process id plus a random part; the file is
 * created with 'wx', so a clash fails instead of overwriting. (node:crypto's randomBytes would load
 * the crypto module at start-up, ~10 ms of a one-file check, for names.)
 */
function uniqueSuffix(): string {
  return `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

/** tempPathBeside names a temporary file next to `path` (same directory, so rename is atomic). */
function tempPathBeside(path: string, role: string): string {
  return join(dirname(path), `.${basename(path)}.${uniqueSuffix()}.${role}.tmp`);
}

/** A file written in chunks through a descriptor; the one writer of temporary and report files. */
class ChunkedFile {
  private pending = '';
  private readonly scratch = new Utf8Scratch();
  private closed = false;
  readonly path: string;
  private readonly fd: number;

  private constructor(path: string, fd: number) {
    this.path = path;
    this.fd = fd;
  }

  /**
   * create makes a new file (never an existing one) and tracks it until it is renamed or removed.
   * The open is synchronous on purpose: a signal then finds the file either not yet made or
   * already tracked, never made but untracked (an asynchronous open could complete after the
   * signal handler has cleaned up and exited).
   */
  static create(path: string): ChunkedFile {
    const fd = openSync(path, 'wx', 0o666);
    trackTempFile(path);
    return new ChunkedFile(path, fd);
  }

  async write(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length >= WRITE_CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    for (let from = 0; from < text.length; ) {
      const piece = this.scratch.encode(text, from);
      await writeAll(this.fd, piece.bytes);
      from = piece.next;
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    await closeDescriptor(this.fd);
  }

  /** discard closes and removes the file, ignoring errors (it is being given up). */
  async discard(): Promise<void> {
    this.pending = '';
    if (!this.closed) {
      this.closed = true;
      await closeDescriptor(this.fd).catch(() => undefined);
    }
    await unlink(this.path).catch(() => undefined);
    untrackTempFile(this.path);
  }
}

/**
 * openFileOutput opens a report file before any input is read: the text goes to a temporary file
 * in the same directory, renamed over `path` only when the report is complete, so a reader never
 * sees half a report and an interrupted run leaves the old file as it was. A destination that
 * cannot be written (missing directory, no permission, a directory) is a usage error now, naming
 * it (`what`: "report", "junit report", ...), not after the scan.
 */
export async function openFileOutput(path: string, what = 'report'): Promise<TextOutput> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory() === true) throw new UsageError(`cannot write the ${what} to ${path}: is a directory`);
  let file: ChunkedFile;
  try {
    file = ChunkedFile.create(tempPathBeside(path, 'report'));
  } catch (error) {
    throw cannotWrite(what, path, error);
  }
  return {
    write: (text) => file.write(text).catch((error: unknown) => Promise.reject(cannotWrite(what, path, error))),
    async commit() {
      try {
        await file.close();
        await rename(file.path, path);
        untrackTempFile(file.path);
      } catch (error) {
        await file.discard();
        throw cannotWrite(what, path, error);
      }
    },
    abort: () => file.discard(),
  };
}

/** A stream the text can go to: standard output. */
export interface StreamLike {
  write(text: string): Promise<void>;
}

/**
 * streamOutput writes to a stream (standard output) in chunks of whole pieces, so what a reader
 * gets ends at a piece boundary even when the run is interrupted.
 */
export function streamOutput(stream: StreamLike): TextOutput {
  let pending = '';
  const flush = async () => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    await stream.write(text);
  };
  return {
    async write(text) {
      pending += text;
      if (pending.length >= WRITE_CHUNK) await flush();
    },
    commit: flush,
    abort: async () => {
      pending = '';
    },
  };
}

/**
 * HeldBack keeps text to be written later (a report's entries while its head waits for the
 * totals) in a temporary file, so memory does not grow with the number of entries.
 */
export interface HeldBack {
  write(text: string): Promise<void>;
  /** copyTo writes everything held back to `output`, then removes the temporary file. */
  copyTo(output: TextOutput): Promise<void>;
  /** readBack closes the file and gives its text back in pieces of about WRITE_CHUNK; discard it after. */
  readBack(): AsyncGenerator<string>;
  discard(): Promise<void>;
}

/**
 * holdBack opens the temporary file for held-back text in the system's temporary directory (not
 * beside the report, which may sit in the tree being scanned).
 */
export async function holdBack(what: string): Promise<HeldBack> {
  const path = join(tmpdir(), `glibc-floor-${uniqueSuffix()}.tmp`);
  let file: ChunkedFile;
  try {
    file = ChunkedFile.create(path);
  } catch (error) {
    throw new UsageError(`cannot create a temporary file for the ${what} in ${dirname(path)}: ${fsPhrase(error)}`);
  }
  return {
    write: (text) => file.write(text),
    async copyTo(output) {
      try {
        await file.close();
        for await (const chunk of createReadStream(file.path, { encoding: 'utf8', highWaterMark: WRITE_CHUNK })) await output.write(chunk as string);
      } finally {
        await file.discard();
      }
    },
    async *readBack() {
      await file.close();
      for await (const chunk of createReadStream(file.path, { encoding: 'utf8', highWaterMark: WRITE_CHUNK })) yield chunk as string;
    },
    discard: () => file.discard(),
  };
}
