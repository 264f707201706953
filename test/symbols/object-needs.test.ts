import { describe, expect, test } from 'vitest';
import { objectNeeds } from '../../src/symbols/object-needs.js';

const strong = (name: string) => ({ name, weak: false });

describe('the needs a link creates for an object', () => {
  test('glibc symbols grouped by library and version; the object\'s own dependencies create none', () => {
    const { needs, machineKnown } = objectNeeds('x86_64', [strong('arc4random'), strong('getrandom'), strong('printf'), strong('pow'), strong('my_helper')]);
    expect(machineKnown).toBe(true);
    expect(needs.map((n) => [n.library, n.version, n.symbols.map((s) => s.name)])).toEqual([
      ['libc.so.6', 'GLIBC_2.2.5', ['printf']],
      ['libc.so.6', 'GLIBC_2.25', ['getrandom']],
      ['libc.so.6', 'GLIBC_2.36', ['arc4random']],
      ['libm.so.6', 'GLIBC_2.2.5', ['pow']],
    ]);
    expect(needs.every((n) => !n.weak)).toBe(true);
  });

  test('a weak reference still creates a binding need (GNU ld copies the definer\'s flags), marked weak on the symbol', () => {
    const { needs } = objectNeeds('x86_64', [{ name: 'arc4random', weak: true }]);
    expect(needs).toEqual([{ library: 'libc.so.6', version: 'GLIBC_2.36', weak: false, index: 2, symbols: [{ name: 'arc4random', weak: true }] }]);
  });

  test('symbols another archive member defines are left out', () => {
    expect(objectNeeds('x86_64', [strong('getrandom')], new Set(['getrandom'])).needs).toEqual([]);
  });

  test('a .symver reference keeps its written version', () => {
    const { needs } = objectNeeds('x86_64', [strong('memcpy@GLIBC_2.14'), strong('getrandom')]);
    expect(needs.map((n) => [n.version, n.symbols.map((s) => s.name)])).toEqual([['GLIBC_2.14', ['memcpy']], ['GLIBC_2.25', ['getrandom']]]);
  });

  test('per machine: the same call binds to each machine\'s own version', () => {
    expect(objectNeeds('aarch64', [strong('getrandom')]).needs[0]?.version).toBe('GLIBC_2.25');
    expect(objectNeeds('loongarch64', [strong('getrandom')]).needs[0]?.version).toBe('GLIBC_2.36');
    expect(objectNeeds('EM_4242', [strong('getrandom')])).toEqual({ needs: [], machineKnown: false });
  });
});
