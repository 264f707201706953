// Jazzer.js fuzz target for the ELF reader (run through `npm run fuzz`, which builds dist/ first).
// Any input may end in a result, ElfFormatError or NotElfError; anything else is a crash that
// Jazzer saves (under fixtures/fuzz/crash-*) for a regression test.
import { bufferSource, ElfFormatError, NotElfError, readElf } from '../dist/index.js';

/** fuzz is Jazzer's entry point: one input per call. */
export async function fuzz(data) {
  try {
    await readElf(bufferSource(new Uint8Array(data)));
  } catch (error) {
    if (error instanceof ElfFormatError || error instanceof NotElfError) return;
    throw error;
  }
}
