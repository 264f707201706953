import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { standardStream } from '../../src/cli/standard-stream.js';
import { cliPath } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');

/** nodeStreamNeverBuilt stands in for process.stdout where Node's stream must not be built. */
const nodeStreamNeverBuilt = (): NodeJS.WriteStream => {
  throw new Error("Node's stream was built");
};

describe('standard output written on its descriptor', () => {
  test('a file gets every byte (UTF-8 included) and is no terminal, without building Node\'s stream', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'standard-stream-')), 'out.txt');
    const fd = openSync(path, 'w');
    try {
      // The function takes 1 or 2; any descriptor behaves the same for what is tested here.
      const stream = standardStream(fd as 1, nodeStreamNeverBuilt);
      expect(stream.isTTY).toBe(false);
      expect(stream.columns).toBeUndefined();
      const text = `needs GLIBC_2.34 \u2265 2.17 \u2013 ${'x'.repeat(300_000)}\n`;
      await stream.write(text);
      await stream.write('second\n');
      expect(readFileSync(path, 'utf8')).toBe(`${text}second\n`);
    } finally {
      closeSync(fd);
    }
  });

  test('/dev/null, a character device, is no terminal, without building Node\'s stream', () => {
    const fd = openSync('/dev/null', 'w');
    try {
      expect(standardStream(fd as 1, nodeStreamNeverBuilt).isTTY).toBe(false);
    } finally {
      closeSync(fd);
    }
  });

  test('a write error rejects (a closed descriptor)', async () => {
    const fd = openSync('/dev/null', 'w');
    closeSync(fd);
    await expect(standardStream(fd as 1, nodeStreamNeverBuilt).write('x')).rejects.toMatchObject({ code: 'EBADF' });
  });

  // The point of this test is the process's own standard output: a pipe whose writing end a parent
  // made non-blocking (as a Node parent sharing its stdout does), read only after a pause, so the
  // CLI's synchronous writes meet EAGAIN and hand the rest to Node's stream.
  test('a non-blocking pipe read late gets the whole report, as a blocking one does', () => {
    const reader = [
      'import os, subprocess, sys, time',
      'r, w = os.pipe()',
      'os.set_blocking(w, False)',
      'child = subprocess.Popen(sys.argv[1:], stdout=w)',
      'os.close(w)',
      'time.sleep(1)',
      'chunks = []',
      'while chunk := os.read(r, 65536): chunks.append(chunk)',
      'sys.stdout.buffer.write(b"".join(chunks))',
      'sys.exit(child.wait())',
    ].join('\n');
    const args = [cliPath, 'show', '--format', 'json', 'fixtures'];
    const late = spawnSync('python3', ['-c', reader, process.execPath, ...args], { cwd: root, maxBuffer: 1 << 28 });
    const direct = spawnSync(process.execPath, args, { cwd: root, maxBuffer: 1 << 28 });
    expect(direct.stdout.length).toBeGreaterThan(256 * 1024); // well past a pipe's 64 KiB
    expect(late.status).toBe(direct.status);
    const withoutTimes = (bytes: Buffer) => bytes.toString('utf8').replace(/"(generatedAt|durationMs|timestamp)": [^,\n]+/g, '');
    expect(withoutTimes(late.stdout)).toBe(withoutTimes(direct.stdout));
  });
});
