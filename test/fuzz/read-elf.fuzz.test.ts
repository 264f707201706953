import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadSeeds, type Seed } from './elf-map.js';
import { applyMutations, extremes, mutationOf, readOutcome, READ_BUDGET, withinBudget, type Mutation } from './mutate.js';

/**
 * Property: whatever bytes it is given, readElf settles with a result, an ElfFormatError or a
 * NotElfError (never a RangeError, TypeError or other crash), and stays within READ_BUDGET.
 * Seeds are every file under fixtures/ (malformed/ and fuzz/ included); mutations aim at the
 * parts our own reader found in each seed. The seed and run count are fixed so CI is repeatable.
 */
const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? 0x6e1f);
// 50,000 runs take a few seconds; FUZZ_RUNS and FUZZ_SEED let a developer run longer or elsewhere.
const RANDOM_RUNS = Number(process.env['FUZZ_RUNS'] ?? 50_000);

let seeds: Seed[] = [];
beforeAll(async () => {
  seeds = await loadSeeds();
});

let checked = 0;

/** check reads one input and fails with the input's story when it ends badly or reads too much. */
async function check(bytes: Uint8Array, story: () => string): Promise<void> {
  // bufferSource settles in microtasks only; let the test runner's own messages through now and then.
  if (++checked % 256 === 0) await new Promise((resolve) => setImmediate(resolve));
  const { outcome, stats } = await readOutcome(bytes);
  if (outcome.kind === 'other') {
    const error = outcome.error;
    throw new Error(`readElf threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} for ${story()}`);
  }
  if (outcome.kind !== 'ok' && (outcome.message.includes('\n') || outcome.message.length === 0)) {
    throw new Error(`error message is not one line for ${story()}: ${JSON.stringify(outcome.message)}`);
  }
  if (!withinBudget(stats, bytes.length)) {
    throw new Error(`read budget exceeded (${JSON.stringify(stats)}, ${bytes.length} bytes, budget ${JSON.stringify(READ_BUDGET)}) for ${story()}`);
  }
}

const describeMutations = (seed: Seed, mutations: readonly Mutation[]) =>
  `${seed.name} with ${JSON.stringify(mutations, (_, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}`;

describe('readElf under fuzzing', () => {
  test('the seed corpus is the fixture tree: many ELF files, malformed ones included', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(60);
    expect(seeds.some((s) => s.name.startsWith('malformed/'))).toBe(true);
    const mapped = seeds.filter((s) => s.map.fields.some((f) => f.name.startsWith('vn0.')));
    expect(mapped.length).toBeGreaterThanOrEqual(30); // the map reaches the version tables
  });

  test('every seed itself settles with a result or a typed error', async () => {
    for (const seed of seeds) await check(seed.bytes, () => seed.name);
  });

  test('truncation at every interesting offset (table starts and ends, every field) settles', async () => {
    let cases = 0;
    for (const seed of seeds) {
      for (const at of seed.map.cuts) {
        await check(seed.bytes.subarray(0, at), () => `${seed.name} cut at ${at}`);
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(10_000);
  });

  test('every header, segment, section, dynamic and version field set to every extreme settles', async () => {
    let cases = 0;
    // fuzz/ finds are thousands of records each; the random run below covers them.
    for (const seed of seeds.filter((s) => !s.name.startsWith('fuzz/'))) {
      for (const field of seed.map.fields) {
        for (const value of extremes(seed.bytes.length, field.width)) {
          const mutation: Mutation = { kind: 'set', field: field.name, offset: field.offset, width: field.width, value };
          await check(applyMutations(seed.bytes, [mutation], seed.map.littleEndian), () => describeMutations(seed, [mutation]));
          cases++;
        }
      }
    }
    expect(cases).toBeGreaterThan(100_000);
  });

  test(`random combinations of flips, extremes and truncation settle (${RANDOM_RUNS} runs, seed ${FUZZ_SEED})`, async () => {
    const input = fc.constantFrom(...seeds.filter((s) => s.bytes.length > 0)).chain((seed) =>
      fc.tuple(fc.constant(seed), fc.array(mutationOf(seed), { minLength: 1, maxLength: 6 })),
    );
    await fc.assert(
      fc.asyncProperty(input, async ([seed, mutations]) => {
        await check(applyMutations(seed.bytes, mutations, seed.map.littleEndian), () => describeMutations(seed, mutations));
      }),
      { seed: FUZZ_SEED, numRuns: RANDOM_RUNS, endOnFailure: true },
    );
  });
});
