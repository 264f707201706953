import { describe, expect, it } from 'vitest';
import type { CheckedFileReport, FindingReport } from '../../src/report/model.js';
import { applyWaivers, type Waiver } from '../../src/waivers/apply-waivers.js';

const finding = (version: string, symbols: string[], library = 'libc.so.6'): FindingReport => ({
  library, version, family: 'GLIBC', weak: false, symbols, floor: '2.35', reason: 'above-floor',
});

const file = (path: string, violations: FindingReport[]): CheckedFileReport => ({
  path, status: violations.length > 0 ? 'fail' : 'pass', needed: [], requirements: [], maxVersions: {}, violations,
  elf: { class: 64, endian: 'little', machine: 'x86_64', type: 'DYN', interpreter: null, static: false },
});

const waiver = (fields: Partial<Waiver>): Waiver => ({ version: 'GLIBC_2.36', reason: 'accepted', source: 'test', ...fields });
const asIs = (path: string) => [path];

describe('applyWaivers', () => {
  const files = [file('bin/a', [finding('GLIBC_2.36', ['arc4random']), finding('GLIBC_2.38', ['__isoc23_strtol'])]), file('lib/b', [finding('GLIBC_2.36', ['arc4random', 'getrandom'])])];

  it('waives only the matching violation, keeps the rest failing, and marks it with the reason', () => {
    const { files: out, unused } = applyWaivers(files, [waiver({ symbols: ['arc4random'] })], asIs);
    const a = out[0] as CheckedFileReport;
    expect(a.status).toBe('fail');
    expect(a.violations!.map((entry) => entry.version)).toEqual(['GLIBC_2.38']);
    expect(a.waivedViolations).toEqual([{ ...finding('GLIBC_2.36', ['arc4random']), waived: { reason: 'accepted' } }]);
    // lib/b also needs getrandom at 2.36, which the waiver does not list: it still fails.
    expect((out[1] as CheckedFileReport).violations!.map((entry) => entry.version)).toEqual(['GLIBC_2.36']);
    expect(unused).toEqual([]);
  });

  it('passes a file whose violations are all waived, and honors path globs and library', () => {
    const { files: out } = applyWaivers(files, [waiver({ paths: ['bin/*'] }), waiver({ version: 'GLIBC_2.38', library: 'libc.so.6' })], asIs);
    expect(out[0]!.status).toBe('pass');
    expect(out[1]!.status).toBe('fail');
  });

  it('reports waivers that matched nothing and leaves error and skipped files alone', () => {
    const others = [{ path: 'x', status: 'error', error: 'truncated' } as const, { path: 'y', status: 'skipped', reason: 'not-elf' } as const];
    const unusedWaiver = waiver({ version: 'GLIBC_2.99' });
    const { files: out, unused } = applyWaivers([...files, ...others], [unusedWaiver, waiver({ library: 'libm.so.6' })], asIs);
    expect(out.slice(2)).toEqual(others);
    expect(unused).toHaveLength(2);
    expect(unused[0]).toBe(unusedWaiver);
  });

  it('never waives a need with no symbols through a symbol list', () => {
    const relr = [file('bin/c', [finding('GLIBC_ABI_DT_RELR', [])])];
    expect(applyWaivers(relr, [waiver({ version: 'GLIBC_ABI_DT_RELR', symbols: ['x'] })], asIs).files[0]!.status).toBe('fail');
    expect(applyWaivers(relr, [waiver({ version: 'GLIBC_ABI_DT_RELR' })], asIs).files[0]!.status).toBe('pass');
  });
});
