import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockingCalls } from '../../src/io/blocking-calls.js';
import { readdir, readFile, realpath, stat } from '../../src/io/fs-async.js';
import { restoreBlockingCalls } from '../helpers/blocking-calls.js';

restoreBlockingCalls();

describe('the scan\'s file-system calls', () => {
  it('answer the same with blocking calls and through the thread pool, errors included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-calls-'));
    try {
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'sub', 'file'), 'text ✓');
      symlinkSync('sub/file', join(dir, 'link'));
      const ask = async () => {
        const settle = <T>(promise: Promise<T>) => promise.then((value) => ({ value }), (error: NodeJS.ErrnoException) => ({ code: error.code }));
        return {
          listing: (await readdir(dir, { withFileTypes: true })).map((entry) => [entry.name, entry.isDirectory(), entry.isSymbolicLink()]).sort(),
          size: (await stat(join(dir, 'link'))).size,
          real: await realpath(join(dir, 'link')),
          text: await readFile(join(dir, 'sub', 'file'), 'utf8'),
          missing: [await settle(stat(join(dir, 'none'))), await settle(realpath(join(dir, 'none'))), await settle(readdir(join(dir, 'none'), { withFileTypes: true })), await settle(readFile(join(dir, 'none'), 'utf8'))],
        };
      };
      const blocking = await ask();
      blockingCalls.enabled = false;
      const pooled = await ask();
      expect(pooled).toEqual(blocking);
      expect(blocking.text).toBe('text ✓');
      expect(blocking.missing).toEqual(Array(4).fill({ code: 'ENOENT' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
