import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ArchiveFormatError } from '../../src/archive/archive-error.js';
import { readArSymbolIndex } from '../../src/archive/ar.js';
import { ElfFormatError, NotElfError } from '../../src/elf/errors.js';
import { bufferSource } from '../../src/io/byte-source.js';
import { readArchiveMembers, readObjectContents } from '../../src/objects/read-objects.js';
import { readFixture } from '../helpers/fixtures.js';
import { countingSource } from './mutate.js';

/**
 * Property: whatever bytes they are given, the ar reader (members and symbol index) and the object
 * reader settle with a result or their typed one-line error (ArchiveFormatError; ElfFormatError or
 * NotElfError for objects), never a crash, and read at most a bounded multiple of the input.
 * Seeds are the archive and object fixtures; mutations aim at the ar header fields (the decimal
 * size, the name, the terminator), the symbol index and the object's ELF headers. Fixed seed.
 */
const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? 0xa4c1);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 5000);

const ARCHIVES = [['ar', 'gnu.a'], ['ar', 'gnu64.a'], ['ar', 'bsd.a'], ['objects', 'libvendored-x86_64.a']] as const;
const OBJECTS = [['objects', 'arc4random-x86_64.o'], ['objects', 'arc4random-aarch64.o'], ['objects', 'isa-v3-used-x86_64.o'], ['objects', 'nostack-x86_64.o']] as const;

type Mutation = { kind: 'byte'; at: number; value: number } | { kind: 'digits'; at: number; text: string } | { kind: 'cut'; at: number };

function apply(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const m of mutations) {
    if (m.kind === 'cut') out = out.slice(0, Math.min(m.at, out.length));
    else if (m.kind === 'byte') {
      if (m.at < out.length) out[m.at] = m.value;
    } else for (let i = 0; i < m.text.length && m.at + i < out.length; i++) out[m.at + i] = m.text.charCodeAt(i);
  }
  return out;
}

/** headerOffsets lists where each member header of an archive starts (walked without our reader). */
function headerOffsets(bytes: Uint8Array): number[] {
  const offsets: number[] = [];
  for (let at = 8; at + 60 <= bytes.length; ) {
    offsets.push(at);
    const size = Number.parseInt(Buffer.from(bytes.subarray(at + 48, at + 58)).toString('latin1'), 10);
    at += 60 + size + (size % 2);
  }
  return offsets;
}

function mutationOf(bytes: Uint8Array, fields: readonly number[]): fc.Arbitrary<Mutation> {
  const at = fc.oneof(fc.constantFrom(...fields), fc.nat({ max: bytes.length - 1 }));
  return fc.oneof(
    fc.record({ kind: fc.constant('byte' as const), at, value: fc.constantFrom(0, 0x0a, 0x20, 0x2f, 0x23, 0x31, 0x60, 0x7f, 0xff) }),
    fc.record({ kind: fc.constant('digits' as const), at, text: fc.constantFrom('9999999999', '0         ', '-1', '1e9', '#1/4096', '/999999', '//', '/SYM64/', '__.SYMDEF', '\x7f\xff\xff\xff') }),
    fc.record({ kind: fc.constant('cut' as const), at }),
  );
}

async function settleArchive(bytes: Uint8Array): Promise<void> {
  const { source, stats } = countingSource(bufferSource(bytes));
  for (const run of [() => readArchiveMembers(source), () => readArSymbolIndex(source)]) {
    try {
      await run();
    } catch (error) {
      if (!(error instanceof ArchiveFormatError)) throw new Error(`not an ArchiveFormatError: ${String(error)}`);
      if (error.message.includes('\n') || error.message.length === 0) throw new Error(`message is not one line: ${JSON.stringify(error.message)}`);
    }
  }
  // Each member costs a few bounded reads; a tiny input must not make the reader ask for gigabytes.
  if (stats.bytesRequested > 64 * bytes.length + (1 << 20)) throw new Error(`asked for ${stats.bytesRequested} bytes of a ${bytes.length}-byte input`);
}

async function settleObject(bytes: Uint8Array): Promise<void> {
  try {
    await readObjectContents(bufferSource(bytes));
  } catch (error) {
    if (!(error instanceof ElfFormatError || error instanceof NotElfError)) throw new Error(`not a typed ELF error: ${String(error)}`);
  }
}

describe('the archive and object readers under fuzzing', () => {
  test.each(ARCHIVES)(`%s/%s: ${RUNS} mutated archives settle`, async (...parts) => {
    const bytes = readFixture(...parts);
    const fields = headerOffsets(bytes).flatMap((at) => [at, at + 3, at + 16, at + 48, at + 52, at + 58, at + 60, at + 64, at + 68]);
    expect(fields.length).toBeGreaterThan(9);
    await fc.assert(
      fc.asyncProperty(fc.array(mutationOf(bytes, fields), { minLength: 1, maxLength: 4 }), async (mutations) => settleArchive(apply(bytes, mutations))),
      { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true },
    );
  });

  test.each(OBJECTS)(`%s/%s: every truncation and ${RUNS} mutated objects settle`, async (...parts) => {
    const bytes = readFixture(...parts);
    for (let at = 0; at < bytes.length; at++) await settleObject(bytes.subarray(0, at));
    await fc.assert(
      fc.asyncProperty(fc.array(mutationOf(bytes, [16, 18, 40, 58, 60, 62]), { minLength: 1, maxLength: 6 }), async (mutations) => settleObject(apply(bytes, mutations))),
      { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true },
    );
  });
});
