import { Chalk, type ChalkInstance } from 'chalk';

/**
 * colorLevel decides whether the text report is colored: `NO_COLOR` (any non-empty value) turns
 * color off, `FORCE_COLOR` turns it on (0/false off, 1-3 a level), otherwise only a terminal
 * gets color. See no-color.org and the FORCE_COLOR convention chalk follows.
 */
export function colorLevel(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): 0 | 1 | 2 | 3 {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2' || force === '3') return Number(force) as 2 | 3;
    return 1;
  }
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return 0;
  if (!isTTY || env['TERM'] === 'dumb') return 0;
  return env['COLORTERM'] === 'truecolor' ? 3 : 2;
}

export function chalkFor(level: 0 | 1 | 2 | 3): ChalkInstance {
  return new Chalk({ level });
}
