import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { OutputStream } from '../../src/cli/io.js';
import { startProgress } from '../../src/cli/progress.js';

const root = join(import.meta.dirname, '..', '..');
const CLEAR = '\r\x1b[K';

/** inTerminal runs a shell command under a pseudo-terminal (util-linux `script`) and returns what the terminal showed. */
function inTerminal(command: string, env: Record<string, string> = {}): string {
  const run = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env },
  });
  expect(run.error).toBeUndefined();
  return run.stdout;
}

function recorder(isTTY: boolean): OutputStream & { text: string } {
  const stream = { isTTY, text: '', write: async (chunk: string) => void (stream.text += chunk) };
  return stream;
}

describe('progress on standard error', () => {
  test('a terminal sees "done / found files" redrawn in place and erased at the end; the JSON file stays clean', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'progress-')), 'report.json');
    const screen = inTerminal(`node bin/glibc-floor show --format json fixtures > ${out}`, { GLIBC_FLOOR_PROGRESS_AFTER_MS: '0' });
    const lines = screen.split(CLEAR).filter((part) => part !== '');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    const last = lines.filter((line) => line.startsWith('glibc-floor: ') && line.endsWith(' files')).at(-1);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { files: unknown[] };
    // The last drawn count never exceeds what the report holds; the line is then erased.
    expect(last).toMatch(/^glibc-floor: \d+ \/ \d+ files$/);
    const [, done, found] = /(\d+) \/ (\d+)/.exec(last!)!;
    expect(Number(done)).toBeLessThanOrEqual(Number(found));
    expect(Number(found)).toBeLessThanOrEqual(report.files.length);
    expect(screen.startsWith(CLEAR)).toBe(true);
    expect(screen.slice(screen.lastIndexOf(CLEAR))).not.toMatch(/files/); // erased after the last redraw
    expect(readFileSync(out, 'utf8')).not.toContain('\x1b');
  });

  test('a quick scan on a terminal shows no progress at all (it appears only after about a second)', () => {
    const screen = inTerminal('node bin/glibc-floor show --format json fixtures/tree > /dev/null');
    expect(screen).toBe('');
  });

  test('without a terminal nothing is drawn, even when progress would be due', () => {
    const run = spawnSync(process.execPath, ['bin/glibc-floor', 'show', '--format', 'json', 'fixtures'], {
      cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GLIBC_FLOOR_PROGRESS_AFTER_MS: '0' },
    });
    expect(run.stderr).not.toContain('\x1b');
    expect(run.stderr).not.toMatch(/\d+ \/ \d+ files/);
    expect(run.stderr.split('\n').filter((line) => line !== '').every((line) => line.startsWith('glibc-floor: fixtures/'))).toBe(true);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
  });

  test('startProgress waits a second, redraws at most every 100 ms, and erases what it drew', async () => {
    let clock = 0;
    const stream = recorder(true);
    const progress = startProgress(stream, 1000, () => clock);
    progress.update(1, 5);
    clock = 999;
    progress.update(2, 5);
    clock = 1000;
    progress.update(3, 5);
    clock = 1050;
    progress.update(4, 5);
    clock = 1100;
    progress.update(5, 5);
    await progress.stop();
    expect(stream.text).toBe(`${CLEAR}glibc-floor: 3 / 5 files${CLEAR}glibc-floor: 5 / 5 files${CLEAR}`);
  });

  test('startProgress on a non-terminal writes nothing', async () => {
    const stream = recorder(false);
    const progress = startProgress(stream, 0, () => 5000);
    progress.update(1, 1);
    await progress.stop();
    expect(stream.text).toBe('');
  });
});
