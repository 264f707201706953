import type { JudgeMode } from '../check/verdict.js';
import { hasElfMagic } from '../elf/header.js';
import { readElf } from '../elf/read-elf.js';
import { readPrefixSync } from '../io/byte-source.js';
import { withKind } from '../report/with-kind.js';
import { detectKind } from '../kind/detect.js';
import { fileReport } from '../report/build.js';
import type { FileReport } from '../report/model.js';
import { describeError, describeFsError } from '../errors/describe-error.js';
import type { Input } from '../scan/walk.js';
import { readElfFile, type ReadOutcome } from './read-elf-file.js';
import type { ReaderPool } from './reader-pool.js';
import { mapInOrder } from '../io/map-in-order.js';

/** How many files are open and being read at once: enough to overlap I/O, few enough to stay far below fd limits. */
export const FILES_IN_FLIGHT = 16;

/**
 * reportFile reads one input and returns its report entry. It never throws: every problem with the
 * file becomes an `error` entry (or a `skipped` one for a non-ELF file found in a directory).
 */
export async function reportFile(input: Input, mode: JudgeMode, pool?: ReaderPool): Promise<FileReport> {
  if (input.kind === 'error') return { path: input.path, status: 'error', error: input.error };
  if (input.kind === 'skipped') return { path: input.path, status: 'skipped', reason: input.reason };
  if (!input.named && input.fsPath !== undefined) {
    // Most files of a tree are not ELF: settle those with one open, a 4-byte read and a close.
    let magic: Uint8Array;
    try {
      magic = readPrefixSync(input.fsPath, 4);
    } catch (error) {
      return { path: input.path, status: 'error', error: describeFsError(error) };
    }
    if (!hasElfMagic(magic)) return { path: input.path, status: 'skipped', reason: 'not-elf' };
  }
  // Files on the file system are read where the pool says (a worker thread, when there is one).
  if (input.fsPath !== undefined) return entryOf(input.path, await (pool?.read(input.fsPath) ?? readElfFile(input.fsPath)), mode);
  let source;
  try {
    source = await input.open();
  } catch (error) {
    return { path: input.path, status: 'error', error: describeFsError(error) };
  }
  try {
    // Entries of an image have no file to probe: check their magic through the source.
    if (!input.named && !hasElfMagic(await source.readAt(0, 4))) {
      return { path: input.path, status: 'skipped', reason: 'not-elf' };
    }
    const { elf, layout } = await readElf(source);
    return entryOf(input.path, { kind: 'elf', elf, binaryKind: await detectKind(layout, elf) }, mode);
  } catch (error) {
    return { path: input.path, status: 'error', error: describeError(error) };
  } finally {
    await source.close().catch(() => undefined);
  }
}

/** entryOf judges what was read into the file's report entry. */
function entryOf(path: string, outcome: ReadOutcome, mode: JudgeMode): FileReport {
  if (outcome.kind === 'error') return { path, status: 'error', error: outcome.error };
  return withKind(fileReport(path, outcome.elf, mode), outcome.binaryKind);
}

/** How reportInputs runs: the judge's mode, and who is told after each file (a progress line). */
export interface ReportOptions {
  readonly mode: JudgeMode;
  /** Reader threads for files on the file system; without, files are read on this thread. */
  readonly pool?: ReaderPool | undefined;
  readonly onProgress?: ((done: number, found: number) => void) | undefined;
}

/**
 * reportEach checks inputs with at most FILES_IN_FLIGHT files open at once and yields the entries
 * in input order as they complete, so a caller can write each one and keep none.
 */
export async function* reportEach(inputs: AsyncIterable<Input>, { mode, onProgress, pool }: ReportOptions): AsyncGenerator<FileReport> {
  let found = 0;
  let done = 0;
  yield* mapInOrder(inputs, FILES_IN_FLIGHT, async (input, index) => {
    found = Math.max(found, index + 1);
    const entry = await reportFile(input, mode, pool);
    done++;
    onProgress?.(done, found);
    return entry;
  });
}

/** reportInputs is reportEach gathered into an array (diff and tests, which want them all). */
export async function reportInputs(inputs: AsyncIterable<Input>, options: ReportOptions): Promise<FileReport[]> {
  const entries: FileReport[] = [];
  for await (const entry of reportEach(inputs, options)) entries.push(entry);
  return entries;
}
