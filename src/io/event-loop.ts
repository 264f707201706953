import { monotonicMs } from './clock.js';

/** The longest the work may keep the event loop from its other callbacks (signals, timers, streams). */
export const TURN_EVERY_MS = 20;
let lastTurn = monotonicMs();

/**
 * eventLoopTurn lets the event loop run its other callbacks when TURN_EVERY_MS have passed since
 * it last did. With blocking file calls (io/blocking-calls.ts) a scan's work settles as promise
 * jobs alone, which run before any other callback: a SIGTERM or Ctrl-C handler (which removes
 * the temporary report files) would otherwise wait for the whole scan. The map over a scan's files
 * (map-in-order.ts) and the walk of an uncompressed image layer (image/layer-in-place.ts) call it.
 */
export async function eventLoopTurn(): Promise<void> {
  if (monotonicMs() - lastTurn < TURN_EVERY_MS) return;
  await new Promise((resolve) => setImmediate(resolve));
  lastTurn = monotonicMs();
}
