import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeGithubData, escapeGithubProperty } from '../../src/report/github.js';
import { runCli } from '../helpers/cli.js';
import { copyFixture, fixturePath as fixture, tempDir } from '../helpers/fixtures.js';

interface Annotation { command: string; properties: Record<string, string>; message: string }

/**
 * parseWorkflowCommand reads one `::command key=value,...::message` line the way the Actions
 * runner does (ActionCommand.TryParseV2 in actions/runner): split the properties on `,`, each
 * at its first `=`, then undo the escapes (`%25` last, so `%253A` stays `%3A`).
 */
function parseWorkflowCommand(line: string): Annotation | undefined {
  const match = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (match === null) return undefined;
  const unescapeData = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const unescapeProperty = (text: string) =>
    text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    properties[pair.slice(0, equals)] = unescapeProperty(pair.slice(equals + 1));
  }
  return { command: match[1]!, properties, message: unescapeData(match[3]!) };
}

describe('--format github', () => {
  it('prints one ::error per failing or unreadable file with all its versions, ::warning for weak needs', async () => {
    const run = await runCli(['check', fixture('versioned-x86_64'), fixture('weak-need-unused-x86_64'), fixture('malformed/trunc-40-x86_64'), '--floor', '2.34', '--format', 'github'], { inProcess: true });
    expect(run.code).toBe(2);
    const lines = run.stdout.trimEnd().split('\n');
    const annotations = lines.map(parseWorkflowCommand).filter((entry) => entry !== undefined);
    expect(lines.at(-1)).toBe('glibc-floor: error: 3 files: 0 passed, 2 failed, 1 errors, 0 skipped (floor GLIBC 2.34)');
    const versioned = annotations.filter((entry) => entry.properties['file'] === fixture('versioned-x86_64'));
    expect(versioned.map((entry) => entry.command)).toEqual(['error']);
    expect(versioned[0]!.properties['title']!.split(', ').sort()).toEqual([
      'glibc-floor: GLIBC_2.35 > 2.34',
      'GLIBC_2.36 > 2.34',
      'GLIBC_2.99 > 2.34',
      'GLIBC_PRIVATE (private glibc ABI)',
    ].sort());
    expect(versioned[0]!.message.split('\n')).toContain('GLIBC_2.99 from libc.so.6 is above the GLIBC floor 2.34; symbols: newfunc, newweak');
    // Worst first: the unreadable file, then the file with a private need, then the rest.
    expect(annotations.filter((entry) => entry.command === 'error').map((entry) => entry.properties['file'])).toEqual([
      fixture('malformed/trunc-40-x86_64'),
      fixture('versioned-x86_64'),
      fixture('weak-need-unused-x86_64'),
    ]);
    const weak = annotations.filter((entry) => entry.command === 'warning');
    expect(weak).toHaveLength(1);
    expect(weak[0]!.properties['file']).toBe(fixture('weak-need-unused-x86_64'));
    expect(weak[0]!.message).toMatch(/GLIBC_2\.35 from libc\.so\.6 is above the GLIBC floor 2\.34; symbols: weakonly$/);
    const unreadable = annotations.find((entry) => entry.properties['file'] === fixture('malformed/trunc-40-x86_64'))!;
    expect(unreadable.command).toBe('error');
    expect(unreadable.properties['title']).toBe('glibc-floor: unreadable file');
  });

  it('escapes file names and messages so they round-trip through the runner\'s parser', async () => {
    const dir = tempDir();
    const name = 'we,ird:na%me%3A\nline\r2';
    copyFixture('hello-x86_64', dir, name);
    writeFileSync(join(dir, '.glibc-floor.json'), JSON.stringify({ floors: { GLIBC: '2.35' } }));
    const run = await runCli(['check', '.', '--format', 'github'], { inProcess: true, cwd: dir });
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2); // one annotation, one summary: no newline leaked
    const annotation = parseWorkflowCommand(lines[0]!)!;
    expect(annotation.command).toBe('error');
    expect(annotation.properties['file']).toBe(name);
    expect(annotation.properties['title']).toBe('glibc-floor: GLIBC_2.36 > 2.35');
    expect(annotation.message).toBe('GLIBC_2.36 from libc.so.6 is above the GLIBC floor 2.35; symbols: arc4random');
  });

  it('escapes as GitHub documents: data %, CR, LF; properties also : and ,', () => {
    expect(escapeGithubData('100% a:b,c\r\nd')).toBe('100%25 a:b,c%0D%0Ad');
    expect(escapeGithubProperty('100% a:b,c\r\nd')).toBe('100%25 a%3Ab%2Cc%0D%0Ad');
    for (const text of ['%3A', 'a%2Cb', '%%', ':,:\n']) {
      expect(parseWorkflowCommand(`::error file=${escapeGithubProperty(text)}::${escapeGithubData(text)}`)).toEqual({
        command: 'error',
        properties: { file: text },
        message: text,
      });
    }
  });
});
