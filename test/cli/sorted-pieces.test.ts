import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openReportSink } from '../../src/cli/report-sink.js';
import { SortedPieces } from '../../src/cli/sorted-pieces.js';
import type { TextOutput } from '../../src/cli/output-file.js';
import { renderWhole, splitReport } from '../../src/report/index.js';
import { sarifRenderer } from '../../src/report/sarif.js';
import type { FileReport, Report } from '../../src/report/model.js';

const scratch = mkdtempSync(join(tmpdir(), 'glibc-floor-sorted-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function collect(): TextOutput & { text: string } {
  const sink = { text: '', write: async (t: string) => void (sink.text += t), commit: async () => undefined, abort: async () => undefined };
  return sink;
}

/** Temporary files of this process in the system's temporary directory (held-back runs). */
const ownTempFiles = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`glibc-floor-${process.pid}-`));

describe('SortedPieces: an external merge sort with the result of one stable sort', () => {
  // Keys with many ties, a prefix of another, non-ASCII and newlines in the text.
  const pieces = Array.from({ length: 500 }, (_, i) => ({ key: ['b', 'a', 'ab', 'a\u0000z', 'é', ''][(i * 7) % 6]!, text: `piece ${i}\nline "two" ✓` }));
  const expected = [...pieces].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((p) => p.text).join(',\n');

  test.each([
    ['in memory', 1 << 30],
    ['in many runs on disk', 200],
    ['one piece per run', 1],
  ])('%s', async (_name, runChars) => {
    const sorter = new SortedPieces('test report', runChars);
    for (const piece of pieces) await sorter.add(piece);
    const output = collect();
    await sorter.writeTo(output, ',\n');
    expect(output.text).toBe(expected);
    expect(ownTempFiles()).toEqual([]);
  });

  test('discard removes the runs written so far', async () => {
    const sorter = new SortedPieces('test report', 10);
    for (const piece of pieces.slice(0, 20)) await sorter.add(piece);
    expect(ownTempFiles().length).toBeGreaterThan(0);
    await sorter.discard();
    expect(ownTempFiles()).toEqual([]);
  });
});

describe('a SARIF report written through its sink is the log renderWhole prints', () => {
  const failing = (path: string, version: string): FileReport => ({
    path, status: 'fail',
    elf: { class: 64, endian: 'little', machine: 'x86_64', type: 'DYN', interpreter: null, static: false },
    needed: ['libc.so.6'],
    requirements: [{ library: 'libc.so.6', version, family: 'GLIBC', weak: false, symbols: ['f'] }],
    maxVersions: { GLIBC: version.slice(6) },
    violations: [{ library: 'libc.so.6', version, family: 'GLIBC', weak: false, symbols: ['f', 'g'], floor: '2.17', reason: 'above-floor' }],
  } as unknown as FileReport);
  // Input order is not location order: `a/b` walks before `a-c`, but `a-c` sorts first.
  const files = ['z', 'a/b', 'a-c', 'a b', 'a'].flatMap((path) => [failing(path, 'GLIBC_2.34'), failing(`${path}2`, 'GLIBC_2.28')]);
  const report: Report = {
    schemaVersion: 1, tool: { name: 'glibc-floor', version: '0.1.0' }, command: 'check', floors: { GLIBC: '2.17' },
    result: 'fail', summary: { files: files.length, passed: 0, failed: files.length, errors: 0, skipped: 0 }, files,
  };
  const location = { cwd: scratch, sourceRoot: scratch };

  test('the results sorted by location, rule and message, as in memory', async () => {
    const path = join(scratch, 'r.sarif');
    const sink = await openReportSink(sarifRenderer(location), { file: path, what: 'sarif report' });
    const { header, end } = splitReport(report);
    await sink.begin(header);
    for (const file of files) await sink.file(file);
    await sink.end(end);
    const written = readFileSync(path, 'utf8');
    expect(written).toBe(renderWhole(sarifRenderer(location), report));
    const uris = (JSON.parse(written) as { runs: [{ results: { locations: [{ physicalLocation: { artifactLocation: { uri: string } } }] }[] }] }).runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toEqual([...uris].sort());
    expect(uris[0]).toBe('a');
  });
});
