import { describe, expect, test } from 'vitest';
import { jsonRenderer, renderJson } from '../../src/report/json.js';
import { splitReport } from '../../src/report/stream.js';
import type { Report } from '../../src/report/model.js';

const base: Report = {
  schemaVersion: 1,
  tool: { name: 'glibc-floor', version: '0.1.0' },
  command: 'check',
  floors: { GLIBC: '2.35' },
  result: 'fail',
  summary: { files: 0, passed: 0, failed: 0, errors: 0, skipped: 0 },
  files: [],
};

const checked = {
  path: 'bin/metis "quoted"\n',
  status: 'fail',
  elf: { class: 64, endian: 'little', machine: 'x86_64', type: 'DYN', interpreter: null, static: false },
  needed: ['libc.so.6'],
  requirements: [{ library: 'libc.so.6', version: 'GLIBC_2.36', family: 'GLIBC', weak: false, symbols: ['arc4random', 'a\u0000b'] }],
  maxVersions: { GLIBC: '2.36' },
  violations: [],
} as const;

describe('renderJson streams the document JSON.stringify would print', () => {
  test.each([
    ['no files', base],
    ['one file', { ...base, files: [checked] }],
    ['several, with nested arrays and a key after files', { ...base, files: [checked, { path: 'README', status: 'skipped', reason: 'not-elf' }, checked], floorNotes: ['x'] }],
  ] as [string, Report][])('%s', (_name, report) => {
    expect(renderJson(report)).toBe(`${JSON.stringify(report, null, 2)}\n`);
    // Streamed: one piece per entry as it comes, the head (with the totals) and tail at the end.
    const renderer = jsonRenderer();
    const { header, files, end } = splitReport(report);
    const entries = files.map((file) => renderer.entry(file, header, undefined));
    expect(renderer.headNeedsTotals).toBe(true);
    expect(entries.every((text) => text.length > 0)).toBe(true);
    expect(renderer.head(header, end) + entries.join('') + renderer.tail(header, end)).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });
});
