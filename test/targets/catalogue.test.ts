import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CATALOGUE, CATALOGUE_FIELDS, FIELD_FAMILY, valueFor, type TargetRecord } from '../../src/targets/catalogue.js';
import { EXACT_SETS } from '../../src/targets/exact-sets.generated.js';
import { closestNames, editDistance, findTarget, normalizeName, resolveTargets, splitTargetNames } from '../../src/targets/resolve.js';
import { SOURCES } from '../../src/targets/sources.js';
import { compareVersions, parseDottedVersion, parseVersionName } from '../../src/versions/version-name.js';
import { repoRoot } from '../helpers/fixtures.js';

const records: readonly TargetRecord[] = CATALOGUE;

describe('catalogue integrity', () => {
  test('every value has a known source; unknown values are null with the "unknown" source; versions are dotted', () => {
    for (const record of records) {
      const values = [...CATALOGUE_FIELDS.map((field) => record[field]), ...Object.values(record.byMachine ?? {}).flatMap((byField) => Object.values(byField))];
      for (const value of values) {
        expect(Object.keys(SOURCES), record.name).toContain(value.source);
        if (value.value === null) {
          expect(value.source, record.name).toBe('unknown');
          expect(value.verified).toBe(false);
        } else {
          expect(value.source, record.name).not.toBe('unknown');
          expect(parseDottedVersion(value.value), `${record.name} ${value.value}`).not.toBeNull();
        }
      }
    }
  });

  test('names and aliases are unique (after folding case and _/-) and each resolves to its record', () => {
    const seen = new Map<string, string>();
    for (const record of records) {
      for (const name of [record.name, ...record.aliases]) {
        const key = normalizeName(name);
        expect(seen.get(key), `${name} of ${record.name}`).toBeUndefined();
        seen.set(key, record.name);
        expect(findTarget(name)?.name).toBe(record.name);
        expect(findTarget(name.toUpperCase())?.name).toBe(record.name);
      }
    }
    expect(seen.size).toBeGreaterThan(records.length);
  });

  test('the issue\'s list is covered', () => {
    const names = [
      'ubuntu-18.04', 'ubuntu-20.04', 'ubuntu-22.04', 'ubuntu-24.04', 'ubuntu-26.04', 'debian-10', 'debian-11', 'debian-12', 'debian-13',
      'rhel-7', 'rhel-8', 'rhel-9', 'rhel-10', 'alma-8', 'rocky-9', 'ol-10', 'al2', 'amazonlinux-2', 'al2023', 'sles-12-sp5', 'sles-15-sp3', 'sles-15-sp6',
      'fedora-39', 'fedora-44', 'cbl-mariner-2.0', 'azurelinux-3.0', 'cos-109', 'cos-117', 'bottlerocket-core-kit-3', 'jammy',
      'manylinux2014', 'manylinux_2_28', 'manylinux_2_31', 'manylinux_2_34', 'manylinux_2_35', 'manylinux_2_39',
    ];
    for (const name of names) expect(findTarget(name), name).toBeDefined();
    expect(findTarget('manylinux-2-28')?.name).toBe('manylinux_2_28');
  });

  test('within a line, releases are listed oldest first (show relies on it)', () => {
    const byLine = new Map<string, TargetRecord[]>();
    for (const record of records) byLine.set(record.line, [...(byLine.get(record.line) ?? []), record]);
    for (const [line, members] of byLine) {
      const known = members.map((record) => record.glibc.value).filter((value): value is string => value !== null).map((value) => parseDottedVersion(value)!);
      for (let i = 1; i < known.length; i++) expect(compareVersions(known[i - 1]!, known[i]!), line).toBeLessThanOrEqual(0);
    }
  });

  test('per-machine values differ from the base value only where a source says so', () => {
    expect(valueFor(findTarget('ubuntu-22.04')!, 'gcc', 'aarch64').value).toBe('11.0');
    expect(valueFor(findTarget('ubuntu-22.04')!, 'gcc', 'x86_64').value).toBe('12.0.0');
  });
});

/** The highest numeric version of a family among a library's version names. */
function highest(names: string | null | undefined, family: string): string | undefined {
  let best: readonly number[] | undefined;
  for (const name of names?.split(' ') ?? []) {
    const parsed = parseVersionName(name);
    if (parsed.family !== family || parsed.parts === null) continue;
    if (best === undefined || compareVersions(parsed.parts, best) > 0) best = parsed.parts;
  }
  return best?.join('.');
}

describe('exact version sets agree with the catalogue', () => {
  const targets = Object.keys(EXACT_SETS);

  test('the generated data covers Debian 11, 12 and 13 on x86_64 and aarch64 at least, with package versions recorded', () => {
    for (const name of ['debian-11', 'debian-12', 'debian-13']) {
      expect(targets).toContain(name);
      for (const machine of ['x86_64', 'aarch64']) {
        const data = EXACT_SETS[name]!.machines[machine]!;
        expect(data.packages['libc6'], `${name} ${machine}`).toMatch(/^\d/);
        expect(data.libraries['libc.so.6'], `${name} ${machine}`).toContain('GLIBC_');
      }
    }
    const header = readFileSync(join(repoRoot, 'src/targets/exact-sets.generated.ts'), 'utf8').split('\n').slice(0, 12).join('\n');
    expect(header).toMatch(/GENERATED by scripts\/gen-exact-sets\.mjs/);
  });

  test('the highest GLIBC node of glibc\'s libraries, and GLIBCXX/CXXABI/GCC of the C++ runtime, are the catalogue\'s values (x86_64)', () => {
    for (const name of targets) {
      const record = findTarget(name)!;
      const libraries = EXACT_SETS[name]!.machines['x86_64']!.libraries;
      const glibc = ['libc.so.6', 'libm.so.6', 'libpthread.so.0', 'librt.so.1', 'libdl.so.2']
        .map((soname) => highest(libraries[soname], 'GLIBC'))
        .filter((value): value is string => value !== undefined)
        .sort((a, b) => compareVersions(parseDottedVersion(b)!, parseDottedVersion(a)!))[0];
      expect(glibc, name).toBe(record.glibc.value);
      expect(highest(libraries['libstdc++.so.6'], 'GLIBCXX'), name).toBe(record.glibcxx.value);
      expect(highest(libraries['libstdc++.so.6'], 'CXXABI'), name).toBe(record.cxxabi.value);
      expect(highest(libraries['libgcc_s.so.1'], 'GCC'), name).toBe(record.gcc.value);
    }
  });

  test('Debian 11: libc.so.6 tops out at GLIBC_2.30 while libm and libpthread define GLIBC_2.31 (Debian 11 libc6, readelf)', () => {
    const libraries = EXACT_SETS['debian-11']!.machines['x86_64']!.libraries;
    expect(highest(libraries['libc.so.6'], 'GLIBC')).toBe('2.30');
    expect(libraries['libm.so.6']!.split(' ')).toContain('GLIBC_2.31');
    expect(libraries['libpthread.so.0']!.split(' ')).toContain('GLIBC_2.31');
  });

  test('x86_64 libc.so.6 of Debian 13 has no GLIBC_2.37 or GLIBC_2.40 node', () => {
    const names = EXACT_SETS['debian-13']!.machines['x86_64']!.libraries['libc.so.6']!.split(' ');
    expect(names).toContain('GLIBC_2.38');
    expect(names).not.toContain('GLIBC_2.37');
    expect(names).not.toContain('GLIBC_2.40');
  });
});

describe('target names', () => {
  test('--target values split on commas, keep order and drop repeats', () => {
    expect(splitTargetNames(['ubuntu-22.04,cos-117', ' rhel-8 ', 'cos-117'])).toEqual(['ubuntu-22.04', 'cos-117', 'rhel-8']);
  });

  test('an unknown name is a usage error suggesting the closest names', () => {
    expect(() => resolveTargets(['ubuntu-22.4'])).toThrow(/unknown target "ubuntu-22.4"; did you mean ubuntu-22.04/);
    expect(closestNames('rhel8')).toContain('rhel-8');
    expect(closestNames('manylinux_2_2')[0]).toMatch(/^manylinux/);
    expect(closestNames('zzzzzzzzzzzz')).toEqual([]);
  });

  test('edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  test('families map to the contract\'s names', () => {
    expect(Object.values(FIELD_FAMILY)).toEqual(['GLIBC', 'GLIBCXX', 'CXXABI', 'GCC']);
  });
});
