import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { blockingCalls } from '../../src/io/blocking-calls.js';
import { runCli } from '../helpers/cli.js';
import { restoreBlockingCalls } from '../helpers/blocking-calls.js';

restoreBlockingCalls();

/** Fields that differ from run to run by design. */
const withoutTimes = (text: string) => text.replace(/"(durationMs|timestamp|startTimeUtc|endTimeUtc)": ?("[^"]*"|[\d.]+)/g, '"$1": X').replace(/\b(time|timestamp)="[^"]*"/g, '$1="X"');

describe('blocking file calls or the thread pool', () => {
  test('a scan of the fixtures writes the same reports either way: stdout, JSON, JUnit and SARIF files', async () => {
    const scan = async () => {
      const dir = mkdtempSync(join(tmpdir(), 'glibc-floor-io-'));
      try {
        const run = await runCli(
          ['check', 'fixtures', '--floor', '2.28', '--format', 'json', '--report', `junit=${join(dir, 'r.xml')}`, '--report', `sarif=${join(dir, 'r.sarif')}`],
          { inProcess: true },
        );
        return { code: run.code, stdout: withoutTimes(run.stdout), stderr: run.stderr, junit: withoutTimes(readFileSync(join(dir, 'r.xml'), 'utf8')), sarif: withoutTimes(readFileSync(join(dir, 'r.sarif'), 'utf8')) };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    // The first scan must block throughout; on a loaded machine (the test workers share the
    // cores) slow calls can still switch it to the pool midway: then it is run again.
    let blocking = await scan();
    for (let attempt = 1; attempt < 3 && !blockingCalls.enabled; attempt++) {
      blockingCalls.enabled = true;
      blockingCalls.recentSlow = [];
      blocking = await scan();
    }
    expect(blockingCalls.enabled).toBe(true);
    blockingCalls.enabled = false;
    const pooled = await scan();
    expect(pooled).toEqual(blocking);
    expect(blocking.code).toBe(2); // the fixtures hold malformed files on purpose
    expect(JSON.parse(blocking.stdout).files.length).toBeGreaterThan(50);
  });
});
