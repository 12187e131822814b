import { Worker } from "node:worker_threads";
import { SdflError } from "../../core/errors.js";

/** What a bench worker posts back: a result, or an error described as data. */
export type WorkerReply<R> = { ok: true; result: R } | { ok: false; error: { name: string; message: string; hint?: string } };

/**
 * Run `items` on up to `workers` worker threads, one fresh worker per item (each loads its
 * own oracle and strategy, so no state leaks between runs). `workerUrl` must point at
 * compiled JavaScript (dist/); the worker reads `workerData` and posts one
 * {@link WorkerReply}. Results come back in the order of `items`. Without `onFail` the
 * first failure stops the pool and is rethrown (an SdflError from the worker stays one);
 * with it, a failure is handed to `onFail`, its slot stays undefined and the pool goes on
 * (items for which `skip` then says true are not started).
 */
export async function runInWorkers<T, R>(
  items: readonly T[],
  o: {
    workers: number;
    workerUrl: URL;
    workerData: (item: T) => unknown;
    onDone?: (item: T, result: R, doneCount: number) => void;
    /** Called once per failed item; the pool continues. */
    onFail?: (item: T, error: Error) => void;
    /** Items not to start (checked just before each starts). */
    skip?: (item: T) => boolean;
    /** Names an item in error messages, e.g. "strategy ei, seed 3". */
    describe?: (item: T) => string;
  },
): Promise<Array<R | undefined>> {
  const results: Array<R | undefined> = new Array(items.length);
  let next = 0;
  let done = 0;
  let failed: unknown;
  const live = new Set<Worker>();
  const runOne = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const w = new Worker(o.workerUrl, { workerData: o.workerData(items[i]) });
      live.add(w);
      let replied = false;
      w.once("message", (msg: WorkerReply<R>) => {
        replied = true;
        if (msg.ok) {
          results[i] = msg.result;
          o.onDone?.(items[i], msg.result, ++done);
          resolve();
        } else {
          const where = o.describe ? `${o.describe(items[i])}: ` : "";
          const e = new SdflError(where + msg.error.message, msg.error.hint);
          (e as { name: string }).name = msg.error.name;
          reject(e);
        }
      });
      w.once("error", (e) => {
        replied = true;
        reject(e);
      });
      w.once("exit", (code) => {
        live.delete(w);
        const where = o.describe ? `${o.describe(items[i])}: ` : "";
        if (!replied) reject(new SdflError(`${where}bench worker exited with code ${code} before reporting`, "it may have run out of memory"));
      });
    });
  const lane = async (): Promise<void> => {
    while (failed === undefined && next < items.length) {
      const i = next++;
      if (o.skip?.(items[i])) continue;
      try {
        await runOne(i);
      } catch (e) {
        if (o.onFail) o.onFail(items[i], e as Error);
        else failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.workers, items.length)) }, lane));
  if (failed !== undefined) {
    await Promise.all([...live].map((w) => w.terminate()));
    throw failed;
  }
  return results;
}
