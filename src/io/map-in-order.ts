import { eventLoopTurn } from './event-loop.js';

/**
 * mapInOrder runs `work` over `items` with at most `limit` calls in flight and yields the results
 * in the order of the items, each as soon as it and every earlier one are done. It is the one
 * concurrency pool of the project (a scan's files, the libraries of `--floor-from`). At most
 * `maxAhead` results wait behind a slow earlier item, so memory stays bounded whatever the order
 * of completion. Items are pulled one at a time, so a lazy walk is never run ahead of the work.
 */
export async function* mapInOrder<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  maxAhead = limit * 16,
): AsyncGenerator<R> {
  const iterator: AsyncIterator<T> | Iterator<T> = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  const results = new Map<number, R>();
  let nextToYield = 0;
  let found = 0;
  let exhausted = false;
  let failure: { error: unknown } | undefined;
  let finishedWorkers = 0;
  // One promise that everyone waiting on progress awaits; settled and replaced on every change.
  let wake!: () => void;
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const notify = () => {
    const resolve = wake;
    changed = new Promise<void>((next) => (wake = next));
    resolve();
  };
  // Pulls are chained, so indexes follow the items' order exactly.
  let pulling: Promise<unknown> = Promise.resolve();
  const pull = (): Promise<{ index: number; item: T } | undefined> => {
    const step = pulling.then(async () => {
      if (exhausted) return undefined;
      const next = await iterator.next();
      if (next.done === true) {
        exhausted = true;
        return undefined;
      }
      return { index: found++, item: next.value };
    });
    pulling = step.catch(() => undefined);
    return step;
  };
  const worker = async () => {
    try {
      for (let next = await pull(); next !== undefined && failure === undefined; next = await pull()) {
        while (next.index - nextToYield >= maxAhead && failure === undefined) await changed;
        results.set(next.index, await work(next.item, next.index));
        notify();
        await eventLoopTurn();
      }
    } catch (error) {
      failure ??= { error };
      exhausted = true;
    } finally {
      finishedWorkers++;
      notify();
    }
  };
  for (let i = 0; i < limit; i++) void worker();
  while (true) {
    if (failure !== undefined) throw failure.error;
    if (results.has(nextToYield)) {
      const result = results.get(nextToYield)!;
      results.delete(nextToYield);
      nextToYield++;
      notify();
      yield result;
      continue;
    }
    if (finishedWorkers === limit) return;
    await changed;
  }
}
