import { Queue, QueueEvents, type Job } from "bullmq";
import { SdflError } from "../../core/errors.js";
import type { BenchRun } from "../../bo/bench/runSeed.js";
import type { BenchTask } from "../../bo/bench/settings.js";
import type { BenchTaskData } from "../benchTask.js";
import { BENCH_QUEUE_NAME, benchJobId } from "./jobId.js";
import { checkRedisReachable, connectionOptions, type RedisTarget } from "./redisUrl.js";

/** How the controller hands runs to the queue and hears back. */
export interface QueueRunOptions {
  target: RedisTarget;
  data: (t: BenchTask) => BenchTaskData;
  onDone: (t: BenchTask, run: BenchRun) => void;
  onFail: (t: BenchTask, error: Error) => void;
  /** Tasks whose jobs should no longer run (their strategy failed): waiting jobs are removed. */
  skip: (t: BenchTask) => boolean;
  progress?: (line: string) => void;
  /** Fallback poll of job states (ms); events usually report sooner. */
  pollMs?: number;
}

/** A job's return value checked as the BenchRun of this task. */
function asRun(t: BenchTask, v: unknown): BenchRun {
  const r = v as Partial<BenchRun> | null;
  if (!r || r.seed !== t.seed || !Array.isArray(r.bestTrue) || !Array.isArray(r.proposals) || typeof r.seconds !== "number") {
    throw new SdflError(
      `strategy ${t.strategy.name}, seed ${t.seed}: the queue returned something that is not this run's result`,
      "is another program using the queue sdfl-bench?",
    );
  }
  return r as BenchRun;
}

/**
 * Run `tasks` as BullMQ jobs on the queue at `target` (workers: `sdfl worker`) and report
 * each as it finishes. Job ids are deterministic ({@link benchJobId}): a job that already
 * exists is not added again, so a restarted controller picks up finished jobs (and waits
 * for running ones) instead of rerunning them. A failed job is reported, not retried: its
 * error comes from the run itself (a strategy that throws), and runs are deterministic.
 */
export async function runTasksOnQueue(tasks: readonly BenchTask[], o: QueueRunOptions): Promise<void> {
  await checkRedisReachable(o.target);
  const connection = connectionOptions(o.target);
  const queue = new Queue(BENCH_QUEUE_NAME, { connection });
  const events = new QueueEvents(BENCH_QUEUE_NAME, { connection });
  const pending = new Map<string, BenchTask>();
  let wake: () => void = () => {};
  try {
    await events.waitUntilReady();
    events.on("completed", ({ jobId }) => pending.has(jobId) && wake());
    events.on("failed", ({ jobId }) => pending.has(jobId) && wake());
    const ids = tasks.map((t) => benchJobId(o.data(t)));
    tasks.forEach((t, i) => pending.set(ids[i], t));
    // Jobs not in Redis yet are added; existing ones (a restarted controller) are kept.
    const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
    const fresh = tasks.filter((_, i) => states[i] === "unknown");
    if (fresh.length > 0)
      await queue.addBulk(
        fresh.map((t) => ({
          name: `${t.strategy.name} seed ${t.seed}`,
          data: o.data(t),
          opts: { jobId: benchJobId(o.data(t)), attempts: 1, removeOnComplete: false, removeOnFail: false },
        })),
      );
    const known = tasks.length - fresh.length;
    o.progress?.(
      `queue ${o.target.display}: ${fresh.length} jobs added${known > 0 ? `, ${known} already there (finished or running)` : ""}; waiting for workers (sdfl worker --queue ...)`,
    );
    while (pending.size > 0) {
      await settle(queue, pending, o);
      if (pending.size === 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, o.pollMs ?? 2000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    await events.close();
    await queue.close();
  }
}

/** Collect every pending job that finished; remove waiting jobs of failed strategies. */
async function settle(queue: Queue, pending: Map<string, BenchTask>, o: QueueRunOptions): Promise<void> {
  const ids = [...pending.keys()];
  const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    const t = pending.get(id)!;
    if (states[i] === "completed" || states[i] === "failed") {
      const job: Job | undefined = await queue.getJob(id);
      pending.delete(id);
      if (states[i] === "completed") {
        let run: BenchRun;
        try {
          run = asRun(t, job?.returnvalue);
        } catch (e) {
          o.onFail(t, e as Error);
          continue;
        }
        o.onDone(t, run);
      } else {
        const reason = job?.failedReason ?? "the job failed without a reason";
        o.onFail(t, new SdflError(`strategy ${t.strategy.name}, seed ${t.seed}: ${reason}`));
      }
    } else if (states[i] === "unknown") {
      pending.delete(id);
      o.onFail(
        t,
        new SdflError(
          `strategy ${t.strategy.name}, seed ${t.seed}: its job disappeared from the queue`,
          "was the queue emptied? run the same command with --resume to add it again",
        ),
      );
    } else if (o.skip(t) && (await queue.remove(id)) === 1) {
      pending.delete(id);
    }
  }
}
