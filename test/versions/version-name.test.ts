import { describe, expect, test } from 'vitest';
import { compareVersions, parseDottedVersion, parseVersionName } from '../../src/versions/version-name.js';

describe('parseVersionName', () => {
  test.each([
    ['GLIBC_2.2.5', 'GLIBC', [2, 2, 5]],
    ['GLIBC_2.34', 'GLIBC', [2, 34]],
    ['GLIBCXX_3.4.30', 'GLIBCXX', [3, 4, 30]],
    ['CXXABI_1.3.13', 'CXXABI', [1, 3, 13]],
    ['GCC_12.0.0', 'GCC', [12, 0, 0]],
    ['GCC_3.0', 'GCC', [3, 0]],
    ['ZLIB_NG_2.0.0', 'ZLIB_NG', [2, 0, 0]],
    ['CXXABI_LDBL_1.3', 'CXXABI_LDBL', [1, 3]],
    ['OPENSSL_1_1_0', 'OPENSSL', [1, 1, 0]],
    ['GLIBCXX_IEEE128_3.4.29', 'GLIBCXX_IEEE128', [3, 4, 29]],
    ['CXXABI_TM_1', 'CXXABI_TM', [1]],
    ['LIBSELINUX_1.0', 'LIBSELINUX', [1, 0]],
  ])('%s is family %s version %j', (name, family, parts) => {
    expect(parseVersionName(name)).toEqual({ name, family, parts });
  });

  test.each([
    ['GLIBC_PRIVATE', 'GLIBC'],
    ['GLIBC_ABI_DT_RELR', 'GLIBC'],
    ['GLIBC_ABI_GNU2_TLS', 'GLIBC'],
    ['CXXABI_FLOAT128', 'CXXABI'],
    ['OPENSSL_1_1_1d', 'OPENSSL'],
    ['FOO_PRIVATE', 'FOO'],
    ['VERS', 'VERS'],
  ])('%s is non-numeric in family %s', (name, family) => {
    expect(parseVersionName(name)).toEqual({ name, family, parts: null });
  });
});

describe('compareVersions', () => {
  const order = ['2.0', '2.2.5', '2.3', '2.3.4', '2.10', '2.17', '2.34', '3'];
  test('orders glibc versions part by part, not as strings or semver', () => {
    const shuffled = [...order].reverse();
    const sorted = shuffled.sort((a, b) => compareVersions(parseDottedVersion(a)!, parseDottedVersion(b)!));
    expect(sorted).toEqual(order);
  });
  test('missing parts count as zero', () => {
    expect(compareVersions([2, 3], [2, 3, 0])).toBe(0);
    expect(compareVersions([2, 3], [2, 3, 1])).toBe(-1);
    expect(compareVersions([2, 35], [2, 34, 99])).toBe(1);
  });
});

describe('parseDottedVersion', () => {
  test.each(['2.35', '3.4.30', '12'])('accepts %s', (text) => expect(parseDottedVersion(text)).not.toBeNull());
  test.each(['', '2.', '.2', '2..3', 'v2.35', '2.35a', '2_35', '2.35 '])('rejects %j', (text) => expect(parseDottedVersion(text)).toBeNull());
});
