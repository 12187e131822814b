import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { trainMember, type MemberResult, type MemberTask, type TrainData } from "./memberTrainer.js";
import type { TrainSchedule } from "./schedule.js";

/** Called after each member finishes: its index, how many are done, its result. */
export type MemberProgress = (index: number, done: number, result: MemberResult) => void;

/** Default worker count: one per core, at most 2 (this project's machines have 2). */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

const WORKER_FILE = new URL("./trainWorker.js", import.meta.url);

/** True when the compiled worker script exists (not when running the TypeScript sources directly). */
export function workersAvailable(): boolean {
  return WORKER_FILE.protocol === "file:" && existsSync(fileURLToPath(WORKER_FILE));
}

/**
 * Train all tasks, in `workers` threads pulling from one queue (or in this thread when
 * workers <= 1 or the worker script is unavailable). Results are in task order and do
 * not depend on the worker count: each member has its own seed.
 */
export async function trainMembers(
  tasks: MemberTask[],
  data: TrainData,
  schedule: TrainSchedule,
  workers = defaultWorkers(),
  onMember?: MemberProgress,
): Promise<MemberResult[]> {
  const results: MemberResult[] = new Array(tasks.length);
  let done = 0;
  const threads = Math.min(workers, tasks.length);
  if (threads <= 1 || !workersAvailable()) {
    tasks.forEach((t, k) => {
      results[k] = trainMember(t, t.data ?? data, schedule);
      onMember?.(k, ++done, results[k]);
    });
    return results;
  }
  let next = 0;
  const pool = Array.from({ length: threads }, () => new Worker(WORKER_FILE, { workerData: { data, schedule } }));
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = (): void => {
              if (next >= tasks.length) return resolve();
              const index = next++;
              w.postMessage({ index, task: tasks[index] });
            };
            w.on("message", (msg: { index: number; result: MemberResult }) => {
              results[msg.index] = msg.result;
              onMember?.(msg.index, ++done, msg.result);
              feed();
            });
            w.on("error", reject);
            w.on("exit", (code) => {
              if (next < tasks.length || done < tasks.length) reject(new Error(`training worker exited with code ${code}`));
            });
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
