/**
 * Every temporary directory of a test run (the tests' own, and those of the CLI processes they
 * start) is made under one directory, removed when the run ends: the tests make some 110 with
 * mkdtemp and did not all remove them, so each `npm test` left them in the machine's /tmp.
 * Forks inherit TMPDIR, and os.tmpdir() reads it at each call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const saved = process.env['TMPDIR'];
  const root = mkdtempSync(join(tmpdir(), 'glibc-floor-tests-'));
  process.env['TMPDIR'] = root;
  return () => {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
    rmSync(root, { recursive: true, force: true });
  };
}
