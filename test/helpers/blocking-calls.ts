import { afterEach } from 'vitest';
import { blockingCalls } from '../../src/io/blocking-calls.js';

/** restoreBlockingCalls puts the file-call policy back (blocking, no slow call seen) after each test of a file that forces it. */
export function restoreBlockingCalls(): void {
  afterEach(() => {
    blockingCalls.enabled = true;
    blockingCalls.calls = 0;
    blockingCalls.recentSlow = [];
  });
}
