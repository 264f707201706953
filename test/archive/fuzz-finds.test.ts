import { describe, expect, test } from 'vitest';
import { flatten, readFixtureArtifact } from './helpers.js';

/** Inputs the archive fuzzer (test/fuzz/archive.fuzz.test.ts) found, made by fixtures/archives/build.sh. */
describe('archive fuzz finds stay fixed', () => {
  test('a tar cut inside a nested archive member: one line saying truncated, not an internal error', async () => {
    const lines = flatten(await readFixtureArtifact('fuzz-nested-cut.tar'));
    expect(lines).toEqual([
      'fuzz-nested-cut.tar ERROR truncated tar (Unexpected end of data)',
      'fuzz-nested-cut.tar!/release.tar.gz error truncated tar (Unexpected end of data)',
    ]);
  });

  test('garbled RPM header strings are quoted and cut in the message, never raw bytes or newlines', async () => {
    const artifact = await readFixtureArtifact('fuzz-rpm-garbled.rpm');
    expect(artifact.error).toMatch(/^rpm payload format ".{1,400}"\.\.\. is not cpio$/);
    expect(artifact.error).not.toMatch(/[\n\r\0]/);
  });
});
