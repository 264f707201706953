import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, resolved from this file so tests run from any working directory. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The fixtures/ directory. */
export const fixtures = join(repoRoot, 'fixtures');

/** fixturePath names a file under fixtures/. */
export const fixturePath = (...parts: string[]): string => join(repoRoot, 'fixtures', ...parts);

/** readFixture returns a fixture's bytes. */
export const readFixture = (...parts: string[]): Uint8Array => new Uint8Array(readFileSync(fixturePath(...parts)));

/** tempDir makes a fresh directory under the system's temporary directory. */
export function tempDir(prefix = 'glibc-floor-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** copyFixture copies a fixture into `directory` under `name`; returns the new path. */
export function copyFixture(fixtureName: string, directory: string, name = fixtureName): string {
  const target = join(directory, name);
  copyFileSync(fixturePath(fixtureName), target);
  return target;
}

/** What fixtures/tools/expected.py derived from binutils' readelf for one fixture. */
export interface ExpectedFixture {
  class: 32 | 64;
  endian: 'little' | 'big';
  machine: string;
  type: string;
  interpreter: string | null;
  needed: string[];
  dynsymCount: number;
  requirements: { library: string; version: string; weak: boolean; index: number; symbols: string[] }[];
}

/** expectedFixtures lists every fixture that has a readelf-derived expectation. */
export function expectedFixtures(): { name: string; expected: ExpectedFixture }[] {
  return readdirSync(fixturePath('expected'))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: file.slice(0, -'.json'.length),
      expected: JSON.parse(readFileSync(fixturePath('expected', file), 'utf8')) as ExpectedFixture,
    }));
}

/** The path of the JSON Schema of the report: the project's own copy, shipped in the package. */
export const reportSchemaPath = resolve(repoRoot, 'schema/report.schema.json');

/** needsAsReadelf flattens a file's version needs to the shape readelf-derived expectations use. */
export function needsAsReadelf(elf: import('../../src/elf/types.js').ElfFile): ExpectedFixture['requirements'] {
  return elf.versionNeeds.map((need) => ({
    library: need.library,
    version: need.version,
    weak: need.weak,
    index: need.index,
    symbols: need.symbols.map((symbol) => symbol.name),
  }));
}
