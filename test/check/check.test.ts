import { describe, expect, test } from 'vitest';
import { maxVersions } from '../../src/check/check.js';
import { mergeFloors, parseFloorSpec } from '../../src/check/floors.js';
import { judge } from '../../src/check/verdict.js';
import type { VersionNeed } from '../../src/elf/types.js';
import { UsageError } from '../../src/errors/usage-error.js';
import { toRequirement } from '../../src/versions/requirement.js';

const need = (version: string, symbols: Array<string | [string, 'weak']> = [], options: { weak?: boolean; library?: string } = {}): VersionNeed => ({
  library: options.library ?? 'libc.so.6',
  version,
  weak: options.weak ?? false,
  index: 2,
  symbols: symbols.map((s) => (typeof s === 'string' ? { name: s, weak: false } : { name: s[0], weak: true })),
});

const floors = (...specs: string[]) => mergeFloors(specs.map((spec) => parseFloorSpec(spec)));

function verdict(needs: VersionNeed[], ...specs: string[]) {
  const facts = { machine: 'x86_64', interpreter: null, needed: [], requirements: needs.map(toRequirement) };
  const result = judge(facts, { kind: 'check', floors: floors(...specs) });
  return {
    violations: result.violations.map((f) => `${f.requirement.version}:${f.reason}`),
    warnings: result.warnings.map((f) => `${f.requirement.version}:${f.reason}`),
  };
}

describe('parseFloorSpec', () => {
  test('a bare version is a GLIBC floor', () => {
    expect(parseFloorSpec('2.35')).toMatchObject({ family: 'GLIBC', version: '2.35', parts: [2, 35] });
  });
  test('FAMILY=VERSION sets any family', () => {
    expect(parseFloorSpec('GLIBCXX=3.4.30')).toMatchObject({ family: 'GLIBCXX', parts: [3, 4, 30] });
    expect(parseFloorSpec('OPENSSL=3.0.0')).toMatchObject({ family: 'OPENSSL', parts: [3, 0, 0] });
  });
  test.each(['2.x', '', 'GLIBC=', '=2.35', 'GLI BC=2.35', 'GLIBC=two'])('rejects %j with a UsageError', (spec) => {
    expect(() => parseFloorSpec(spec)).toThrow(UsageError);
  });
  test('a family given twice on one command line is a usage error; later lists win', () => {
    expect(() => floors('2.35', 'GLIBC=2.31')).toThrow(/given twice/);
    const merged = mergeFloors([parseFloorSpec('2.31', 'target')], [parseFloorSpec('2.35')]);
    expect(merged.get('GLIBC')?.version).toBe('2.35');
  });
});

describe('judge in check mode (plain floors)', () => {
  test('numeric versions above the floor fail, at or below pass', () => {
    expect(verdict([need('GLIBC_2.35', ['a']), need('GLIBC_2.2.5', ['b']), need('GLIBC_2.36', ['arc4random'])], '2.35')).toEqual({
      violations: ['GLIBC_2.36:above-floor'],
      warnings: [],
    });
  });
  test('2.10 is above 2.9 (numeric, not string, comparison)', () => {
    expect(verdict([need('GLIBC_2.10')], '2.9').violations).toEqual(['GLIBC_2.10:above-floor']);
  });
  test('GLIBC_PRIVATE always fails a GLIBC floor', () => {
    expect(verdict([need('GLIBC_PRIVATE', ['_rtld_global_ro'])], '99.0').violations).toEqual(['GLIBC_PRIVATE:private']);
  });
  test('markers are checked as the release that introduced them', () => {
    expect(verdict([need('GLIBC_ABI_DT_RELR')], '2.35').violations).toEqual(['GLIBC_ABI_DT_RELR:above-floor']);
    expect(verdict([need('GLIBC_ABI_DT_RELR')], '2.36').violations).toEqual([]);
    expect(verdict([need('GLIBC_ABI_GNU2_TLS')], '2.42').violations).toEqual(['GLIBC_ABI_GNU2_TLS:above-floor']);
  });
  test('an unknown non-numeric name fails a family with a floor, and is ignored without one', () => {
    expect(verdict([need('GLIBC_FUTURE_THING')], '2.35').violations).toEqual(['GLIBC_FUTURE_THING:unprovable']);
    expect(verdict([need('FOO_PRIVATE', [], { library: 'libfoo.so.1' })], '2.35').violations).toEqual([]);
    expect(verdict([need('OPENSSL_1_1_1d', [], { library: 'libssl.so.1.1' })], 'OPENSSL=3.0.0').violations).toEqual(['OPENSSL_1_1_1d:unprovable']);
  });
  test('families only meet their own floor', () => {
    const needs = [need('GLIBCXX_3.4.32', ['std::ios_base_library_init'], { library: 'libstdc++.so.6' }), need('GLIBC_2.34')];
    expect(verdict(needs, '2.35').violations).toEqual([]);
    expect(verdict(needs, '2.35', 'GLIBCXX=3.4.30').violations).toEqual(['GLIBCXX_3.4.32:above-floor']);
    expect(verdict([need('OPENSSL_1_1_0', [], { library: 'libssl.so.1.1' })], 'OPENSSL=1.0.2').violations).toEqual(['OPENSSL_1_1_0:above-floor']);
  });
  test('a weak need used only by weak symbols, or by none, is a warning, never a violation', () => {
    expect(verdict([need('GLIBC_2.99', [['newfunc', 'weak']], { weak: true })], '2.35')).toEqual({ violations: [], warnings: ['GLIBC_2.99:above-floor'] });
    expect(verdict([need('GLIBC_2.99', [], { weak: true })], '2.35')).toEqual({ violations: [], warnings: ['GLIBC_2.99:above-floor'] });
  });
  test('a weak need used by a non-weak symbol fails like any other (the loader fails the lookup)', () => {
    expect(verdict([need('GLIBC_2.99', ['newfunc', ['other', 'weak']], { weak: true })], '2.35').violations).toEqual(['GLIBC_2.99:above-floor']);
  });
  test('a weak symbol does not make its need weak', () => {
    expect(verdict([need('GLIBC_2.36', [['arc4random', 'weak']])], '2.35').violations).toEqual(['GLIBC_2.36:above-floor']);
  });
});

describe('maxVersions', () => {
  test('the highest binding version per family; markers count, GLIBC_PRIVATE and weak-unused needs do not', () => {
    const needs = [
      need('GLIBC_2.2.5', ['a']),
      need('GLIBC_2.17', ['b']),
      need('GLIBC_PRIVATE', ['c']),
      need('GLIBC_2.99', [], { weak: true }),
      need('GLIBCXX_3.4.21', [], { library: 'libstdc++.so.6' }),
      need('GLIBCXX_3.4.9', [], { library: 'libstdc++.so.6' }),
    ];
    expect(maxVersions(needs.map(toRequirement))).toEqual({ GLIBC: '2.17', GLIBCXX: '3.4.21' });
    expect(maxVersions([need('GLIBC_2.34'), need('GLIBC_ABI_DT_RELR')].map(toRequirement))).toEqual({ GLIBC: '2.36' });
  });
});
