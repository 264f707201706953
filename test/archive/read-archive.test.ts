import { describe, expect, test } from 'vitest';
import { archiveFixture, flatten, readFixtureArtifact } from './helpers.js';
import { statSync } from 'node:fs';

const HELLO = statSync(archiveFixture('../hello-x86_64')).size;
const sizes = (artifact: Awaited<ReturnType<typeof readFixtureArtifact>>) => artifact.entries.flatMap((e) => (e.kind === 'elf' ? [e.bytes.length] : [])).sort();

describe('readArtifact on each archive kind built by fixtures/archives/build.sh', () => {
  test.each([
    ['payload.tar', 'tar', undefined],
    ['payload.tar.gz', 'tar', 'gzip'],
    ['payload.tar.xz', 'tar', 'xz'],
    ['payload.tar.zst', 'tar', 'zstd'],
    ['payload.tar.bz2', 'tar', 'bzip2'],
    ['payload.zip', 'zip', undefined],
  ])('%s lists the payload tree', async (name, format, compression) => {
    const artifact = await readFixtureArtifact(name);
    expect(artifact.format).toBe(format);
    expect(artifact.compression).toBe(compression);
    expect(artifact.error).toBeUndefined();
    expect(flatten(artifact).map((line) => line.replace(/ elf \d+$/, ' elf')).sort()).toEqual([
      `${name}!/payload/bin/hello-x86_64 elf`,
      `${name}!/payload/lib/libplain.so elf`,
      `${name}!/payload/lib/libplain.so.1 skipped not-regular-file`,
      `${name}!/payload/share/README skipped not-elf`,
    ]);
    expect(sizes(artifact)).toContain(HELLO);
  });
});
