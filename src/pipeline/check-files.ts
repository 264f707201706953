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

/** How many files are open and being read at once: enough to overlap I/O, few enough to stay far below fd limits. */
export const FILES_IN_FLIGHT = 16;

/**
 * reportFile reads one input and returns its report entry. It never throws: every problem with the
 * file becomes an `error` entry (or a `skipped` one for a non-ELF file found in a directory).
 */
export async function reportFile(input: Input, mode: JudgeMode): Promise<FileReport> {
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
  let source;
  try {
    source = await input.open();
  } catch (error) {
    return { path: input.path, status: 'error', error: describeFsError(error) };
  }
  try {
    // Entries of an image have no file to probe: check their magic through the source.
    if (!input.named && input.fsPath === undefined && !hasElfMagic(await source.readAt(0, 4))) {
      return { path: input.path, status: 'skipped', reason: 'not-elf' };
    }
    const { elf, layout } = await readElf(source);
    return withKind(fileReport(input.path, elf, mode), await detectKind(layout, elf));
  } catch (error) {
    return { path: input.path, status: 'error', error: describeError(error) };
  } finally {
    await source.close().catch(() => undefined);
  }
}

/** How reportInputs runs: the judge's mode, and who is told after each file (a progress line). */
export interface ReportOptions {
  readonly mode: JudgeMode;
  readonly onProgress?: ((done: number, found: number) => void) | undefined;
  /** Told each entry's wall time from open to verdict (JUnit's per-test-case `time`). */
  readonly onFileDone?: ((index: number, ms: number) => void) | undefined;
}

/**
 * reportInputs checks inputs with at most FILES_IN_FLIGHT files open at once and returns the
 * entries in input order.
 */
export async function reportInputs(inputs: AsyncIterable<Input>, { mode, onProgress, onFileDone }: ReportOptions): Promise<FileReport[]> {
  const results: FileReport[] = [];
  const iterator = inputs[Symbol.asyncIterator]();
  let found = 0;
  let done = 0;
  let exhausted = false;
  // Workers share one iterator; `next()` calls are serialized so order indexes stay exact.
  let pulling: Promise<unknown> = Promise.resolve();
  const nextInput = (): Promise<{ index: number; input: Input } | undefined> => {
    const pull = pulling.then(async () => {
      if (exhausted) return undefined;
      const step = await iterator.next();
      if (step.done === true) {
        exhausted = true;
        return undefined;
      }
      return { index: found++, input: step.value };
    });
    pulling = pull;
    return pull;
  };
  const worker = async () => {
    for (let item = await nextInput(); item !== undefined; item = await nextInput()) {
      const started = performance.now();
      results[item.index] = await reportFile(item.input, mode);
      onFileDone?.(item.index, performance.now() - started);
      done++;
      onProgress?.(done, found);
    }
  };
  await Promise.all(Array.from({ length: FILES_IN_FLIGHT }, worker));
  return results;
}
