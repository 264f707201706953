import { describe, expect, it } from 'vitest';
import { indentedJson } from '../../src/report/json-shell.js';

describe('indentedJson', () => {
  const values: unknown[] = [
    { path: 'bin/a', status: 'fail', requirements: [{ family: 'GLIBC', symbols: ['memcpy', 'line\nbreak "quoted"'] }], empty: [], none: {} },
    [1, [2, [3]]],
    'text with\nnewline',
    42,
    null,
  ];
  it('prints a value as JSON.stringify(value, null, 2) does, every line moved in by two spaces a level', () => {
    for (const value of values) {
      for (const levels of [0, 1, 2, 4]) {
        const indent = ' '.repeat(2 * levels);
        expect(indentedJson(value, levels)).toBe(indent + JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`));
      }
    }
  });
});
