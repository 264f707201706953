import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixturesDir } from './elf-map.js';
import { readOutcome } from './mutate.js';

const root = join(import.meta.dirname, '..', '..');

/**
 * Inputs that once broke the reader, kept as fixtures under fixtures/fuzz/ (made by
 * scripts/make-overlap-fixtures.mjs). Each must now end in a one-line ElfFormatError.
 */
const FINDS = [
  {
    file: 'verneed-overlap-x86_64',
    // 1024 Verneeds whose vn_aux all point at one chain of 1024 Vernaux: 1M records from 47 KB
    // (13 s and 180 MB before the fix).
    message: /^version need records overlap: the walk visits more than the table's 32768 bytes \(at byte 0x[0-9a-f]+\)$/,
  },
  {
    file: 'verdef-overlap-x86_64',
    // 1024 Verdefs sharing one chain of 2048 Verdaux: 2M names from 51 KB (43 s and 1.6 GB before).
    message: /^version definition records overlap: the walk visits more than the table's 36864 bytes \(at byte 0x[0-9a-f]+\)$/,
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

    test(`${file}: the CLI names the file in one line and exits 2`, () => {
      const path = `fixtures/fuzz/${file}`;
      const run = spawnSync(process.execPath, ['bin/glibc-floor', 'show', '--format', 'json', path], {
        cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' },
      });
      expect(run.status).toBe(2);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^glibc-floor: ${path}: version (need|definition) records overlap`));
      expect(JSON.parse(run.stdout).files[0].status).toBe('error');
    });
  }
});
