import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixturesDir } from './elf-map.js';
import { readElf } from '../../src/elf/read-elf.js';
import { bufferSource } from '../../src/io/byte-source.js';
import { readOutcome } from './mutate.js';
import { runCli } from '../helpers/cli.js';

/**
 * Inputs that once broke the reader, kept as fixtures under fixtures/fuzz/ (made by
 * scripts/make-overlap-fixtures.mjs). Each must now end in a one-line ElfFormatError.
 */
const FINDS = [
  {
    file: 'verneed-overlap-x86_64',
    // 1024 Verneeds whose vn_aux all point at one chain of 1024 Vernaux: 1M records from 47 KB
    // (13 s and 180 MB before the fix). libjansson.so.4 shares one Verdaux between two Verdefs: a little sharing is allowed.
    message: /^version need records overlap: the walk visits more than 4 times the table's 32768 bytes \(at byte 0x[0-9a-f]+\)$/,
  },
  {
    file: 'verdef-overlap-x86_64',
    // 1024 Verdefs sharing one chain of 2048 Verdaux: 2M names from 51 KB (43 s and 1.6 GB before).
    message: /^version definition records overlap: the walk visits more than 4 times the table's 36864 bytes \(at byte 0x[0-9a-f]+\)$/,
  },
] as const;

describe('fuzz finds stay fixed', () => {
  for (const { file, message } of FINDS) {
    test(`${file}: a typed one-line error, not a quadratic walk`, async () => {
      const bytes = new Uint8Array(readFileSync(join(fixturesDir, 'fuzz', file)));
      const { outcome, stats } = await readOutcome(bytes);
      expect(outcome.kind).toBe('format-error');
      expect(outcome.kind === 'format-error' ? outcome.message : '').toMatch(message);
      expect(stats.reads).toBe(1); // the whole file is inside the first 64 KiB read
    });

    test(`${file}: the CLI names the file in one line and exits 2`, async () => {
      const path = `fixtures/fuzz/${file}`;
      const run = await runCli(['show', '--format', 'json', path], { inProcess: true });
      expect(run.code).toBe(2);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^glibc-floor: ${path}: version (need|definition) records overlap`));
      expect(JSON.parse(run.stdout).files[0].status).toBe('error');
    });
  }
});

describe('shared aux records, as real linkers write them, are still read', () => {
  test('a Verdef whose Verdaux is shared with another Verdef reads as before (as libjansson.so.4 has it)', async () => {
    const bytes = new Uint8Array(readFileSync(join(fixturesDir, 'libhidden-x86_64.so')));
    const before = (await readElf(bufferSource(bytes))).elf;
    // .gnu.version_d at 0x4c0: Verdef V1 at +0x1c; point its vd_aux (+12) at V2's second Verdaux
    // (+0x54, the name V1), so both Verdefs use that one record.
    const shared = bytes.slice();
    new DataView(shared.buffer).setUint32(0x4c0 + 0x1c + 12, 0x54 - 0x1c, true);
    const after = (await readElf(bufferSource(shared))).elf;
    expect(after.versionDefinitions).toEqual(before.versionDefinitions);
    expect(after.versionDefinitions.map((d) => d.name)).toEqual(['libhidden-x86_64.so', 'V1', 'V2']);
  });
});
