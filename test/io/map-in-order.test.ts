import { describe, expect, test } from 'vitest';
import { TURN_EVERY_MS } from '../../src/io/event-loop.js';
import { mapInOrder } from '../../src/io/map-in-order.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapInOrder', () => {
  test('yields in item order whatever the completion order, with at most `limit` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const delays = Array.from({ length: 60 }, (_, i) => (i * 7919) % 13);
    const out: number[] = [];
    for await (const value of mapInOrder(delays.keys(), 5, async (i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick(delays[i]!);
      inFlight--;
      return i * 2;
    })) out.push(value);
    expect(out).toEqual(delays.map((_, i) => i * 2));
    expect(most).toBe(5);
  });

  test('a slow first item holds at most `maxAhead` finished results behind it', async () => {
    let started = 0;
    let startedWhileFirstRuns = 0;
    let firstDone = false;
    const out: number[] = [];
    for await (const value of mapInOrder(Array.from({ length: 100 }, (_, i) => i), 4, async (i) => {
      started++;
      if (!firstDone) startedWhileFirstRuns = started;
      if (i === 0) {
        await tick(100);
        firstDone = true;
      }
      return i;
    }, 10)) out.push(value);
    expect(out).toHaveLength(100);
    expect(startedWhileFirstRuns).toBeLessThanOrEqual(10);
  });

  test('an error thrown by the work ends the iteration with that error', async () => {
    const run = async () => {
      for await (const _ of mapInOrder([1, 2, 3], 2, async (i) => {
        if (i === 2) throw new Error('boom');
        return i;
      }));
    };
    await expect(run()).rejects.toThrow('boom');
  });

  test('work that never waits for I/O still lets the event loop turn (a signal handler, a timer) every TURN_EVERY_MS', async () => {
    // Blocking file calls make each item's work a chain of settled promises: busy for 1 ms each.
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const timerRanAt: number[] = [];
    let done = 0;
    setTimeout(() => timerRanAt.push(done), 0);
    for await (const _ of mapInOrder(Array.from({ length: 20 * TURN_EVERY_MS }, (_, i) => i), 16, async () => {
      busy(1);
      return ++done;
    }));
    expect(timerRanAt).toHaveLength(1);
    expect(timerRanAt[0]).toBeLessThan(4 * TURN_EVERY_MS);
  });
});
