import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readArtifact, type Artifact, type ArtifactEntry, type ReadArtifactOptions } from '../../src/archive/read-archive.js';
import { bufferSource } from '../../src/io/byte-source.js';

/** archiveFixture is the path of a file under fixtures/archives. */
export const archiveFixture = (name: string): string => join(import.meta.dirname, '..', '..', 'fixtures', 'archives', name);

/** readFixtureArtifact reads a fixture archive from memory and fails when it is not one. */
export async function readFixtureArtifact(name: string, options?: ReadArtifactOptions): Promise<Artifact> {
  return readBytes(new Uint8Array(readFileSync(archiveFixture(name))), name, options);
}

/** readBytes reads an archive from bytes and fails when it is not one. */
export async function readBytes(bytes: Uint8Array, name: string, options?: ReadArtifactOptions): Promise<Artifact> {
  const artifact = await readArtifact(bufferSource(bytes), name, options);
  if (artifact === undefined) throw new Error(`${name} is not read as an archive`);
  return artifact;
}

/** Flat is an artifact's entries with nested artifacts opened, as one line each. */
export function flatten(artifact: Artifact): string[] {
  const lines: string[] = [];
  if (artifact.error !== undefined) lines.push(`${artifact.path} ERROR ${artifact.error}`);
  for (const entry of artifact.entries) lines.push(...entryLines(entry));
  return lines;
}

function entryLines(entry: ArtifactEntry): string[] {
  switch (entry.kind) {
    case 'elf':
      return [`${entry.path} elf ${entry.bytes.length}`];
    case 'skipped':
      return [`${entry.path} skipped ${entry.reason}`];
    case 'error':
      return [`${entry.path} error ${entry.error}`];
    case 'artifact':
      return [`${entry.artifact.path} archive ${entry.artifact.format}`, ...flatten(entry.artifact)];
  }
}
