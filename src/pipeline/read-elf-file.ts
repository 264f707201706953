import { readElf } from '../elf/read-elf.js';
import type { ElfFile } from '../elf/types.js';
import { openFileSource } from '../io/byte-source.js';
import { detectKind, type BinaryKind } from '../kind/detect.js';
import { describeError, describeFsError } from '../errors/describe-error.js';

/**
 * What reading one ELF file gives: plain data only (structured-clone safe), so a worker thread can
 * do the reading and send it back; the judging stays with the caller.
 */
export type ReadOutcome =
  | { readonly kind: 'elf'; readonly elf: ElfFile; readonly binaryKind: BinaryKind }
  | { readonly kind: 'error'; readonly error: string };

/** readElfFile opens a file on the file system, reads its ELF model and binary kind, and closes it. Never throws. */
export async function readElfFile(fsPath: string): Promise<ReadOutcome> {
  let source;
  try {
    source = await openFileSource(fsPath);
  } catch (error) {
    return { kind: 'error', error: describeFsError(error) };
  }
  try {
    const { elf, layout } = await readElf(source);
    return { kind: 'elf', elf, binaryKind: await detectKind(layout, elf) };
  } catch (error) {
    return { kind: 'error', error: describeError(error) };
  } finally {
    await source.close().catch(() => undefined);
  }
}
