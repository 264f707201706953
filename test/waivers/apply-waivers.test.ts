import { describe, expect, it } from 'vitest';
import type { FileAnalysis, InputAnalysis } from '../../src/analysis/file-analysis.js';
import { parseFloorSpec } from '../../src/check/floors.js';
import type { ElfFile } from '../../src/elf/types.js';
import { inputReport } from '../../src/report/build.js';
import type { CheckedFileReport } from '../../src/report/model.js';
import { toRequirement } from '../../src/versions/requirement.js';
import { applyWaivers, type Waiver } from '../../src/waivers/apply-waivers.js';

const elf: ElfFile = {
  class: 64, endian: 'little', machine: 'x86_64', type: 'DYN', interpreter: null, dynamic: true, static: false, needed: [], soname: null,
  versionNeeds: [], versionDefinitions: [], dynamicSymbolCount: 0, tableSource: 'sections', notes: [],
};

type Need = { version: string; symbols: string[]; library?: string };
const need = ({ version, symbols, library = 'libc.so.6' }: Need) =>
  toRequirement({ library, version, weak: false, index: 2, symbols: symbols.map((name) => ({ name, weak: false })) });

/** A checked file whose needs all break a GLIBC 2.35 floor. */
const file = (path: string, needs: Need[]): FileAnalysis => ({
  status: 'analysed', path, elf, requirements: needs.map(need), judged: true, notes: [],
  findings: needs.map((entry) => ({ kind: 'violation', finding: { requirement: need(entry), floor: parseFloorSpec('2.35'), reason: 'above-floor' }, hints: [] })),
});

const waiver = (fields: Partial<Waiver>): Waiver => ({ version: 'GLIBC_2.36', reason: 'accepted', source: 'test', ...fields });
const asIs = (path: string) => [path];
const report = (entry: InputAnalysis | undefined) => inputReport(entry!) as CheckedFileReport;

describe('applyWaivers', () => {
  const files = [
    file('bin/a', [{ version: 'GLIBC_2.36', symbols: ['arc4random'] }, { version: 'GLIBC_2.38', symbols: ['__isoc23_strtol'] }]),
    file('lib/b', [{ version: 'GLIBC_2.36', symbols: ['arc4random', 'getrandom'] }]),
  ];

  it('waives only the matching violation, keeps the rest failing, and marks it with the reason', () => {
    const { files: out, unused } = applyWaivers(files, [waiver({ symbols: ['arc4random'] })], asIs);
    const a = report(out[0]);
    expect(a.status).toBe('fail');
    expect(a.violations!.map((entry) => entry.version)).toEqual(['GLIBC_2.38']);
    expect(a.waivedViolations).toMatchObject([{ version: 'GLIBC_2.36', symbols: ['arc4random'], floor: '2.35', reason: 'above-floor', waived: { reason: 'accepted' } }]);
    // lib/b also needs getrandom at 2.36, which the waiver does not list: it still fails.
    expect(report(out[1]).violations!.map((entry) => entry.version)).toEqual(['GLIBC_2.36']);
    expect(unused).toEqual([]);
  });

  it('passes a file whose violations are all waived, and honors path globs and library', () => {
    const { files: out } = applyWaivers(files, [waiver({ paths: ['bin/*'] }), waiver({ version: 'GLIBC_2.38', library: 'libc.so.6' })], asIs);
    expect(report(out[0]).status).toBe('pass');
    expect(report(out[1]).status).toBe('fail');
  });

  it('reports waivers that matched nothing and leaves error and skipped files alone', () => {
    const others: InputAnalysis[] = [{ path: 'x', status: 'error', error: 'truncated' }, { path: 'y', status: 'skipped', reason: 'not-elf' }];
    const unusedWaiver = waiver({ version: 'GLIBC_2.99' });
    const { files: out, unused } = applyWaivers([...files, ...others], [unusedWaiver, waiver({ library: 'libm.so.6' })], asIs);
    expect(out.slice(2)).toEqual(others);
    expect(unused).toHaveLength(2);
    expect(unused[0]).toBe(unusedWaiver);
  });

  it('never waives a need with no symbols through a symbol list', () => {
    const relr = [file('bin/c', [{ version: 'GLIBC_ABI_DT_RELR', symbols: [] }])];
    expect(report(applyWaivers(relr, [waiver({ version: 'GLIBC_ABI_DT_RELR', symbols: ['x'] })], asIs).files[0]).status).toBe('fail');
    expect(report(applyWaivers(relr, [waiver({ version: 'GLIBC_ABI_DT_RELR' })], asIs).files[0]).status).toBe('pass');
  });
});
