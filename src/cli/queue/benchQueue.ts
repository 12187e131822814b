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
  /** Fallback poll of every pending job's state (ms; default 2 s, longer for large sweeps); events usually report sooner. */
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
  // Jobs the event stream says finished: checked at once. The timer re-checks every
  // pending job (events can be missed, e.g. while the controller was down).
  const hinted = new Set<string>();
  let wake: () => void = () => {};
  const hint = (jobId: string) => {
    if (pending.has(jobId)) {
      hinted.add(jobId);
      wake();
    }
  };
  try {
    await events.waitUntilReady();
    events.on("completed", ({ jobId }) => hint(jobId));
    events.on("failed", ({ jobId }) => hint(jobId));
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
    // Jobs failed because their workers kept dying (not because of the run) get another
    // chance when the controller is started again; a run's own failure is final.
    let retried = 0;
    for (let i = 0; i < ids.length; i++) {
      if (states[i] !== "failed") continue;
      const job = await queue.getJob(ids[i]);
      if (job && /allowable limit/.test(job.failedReason ?? "")) {
        await job.retry("failed", { resetAttemptsMade: true });
        retried++;
      }
    }
    if (retried > 0) o.progress?.(`${retried} jobs whose workers died are queued again`);
    const known = tasks.length - fresh.length;
    o.progress?.(
      `queue ${o.target.display}: ${fresh.length} jobs added${known > 0 ? `, ${known} already there (finished or running)` : ""}; waiting for workers (sdfl worker --queue ...)`,
    );
    let full = true;
    while (pending.size > 0) {
      const check = full ? [...pending.keys()] : [...hinted];
      hinted.clear();
      await settle(queue, check, pending, o);
      if (pending.size === 0) break;
      if (hinted.size > 0) {
        full = false;
        continue;
      }
      full = await new Promise<boolean>((resolve) => {
        // The full check costs one Redis call per pending job: at most ~500 calls per second.
        const timer = setTimeout(() => resolve(true), o.pollMs ?? Math.max(2000, 2 * pending.size));
        wake = () => {
          clearTimeout(timer);
          wake = () => {};
          resolve(false);
        };
      });
    }
  } finally {
    await events.close();
    await queue.close();
  }
}

/** Collect the jobs among `ids` that finished; remove waiting jobs of failed strategies. */
async function settle(queue: Queue, ids: string[], pending: Map<string, BenchTask>, o: QueueRunOptions): Promise<void> {
  ids = ids.filter((id) => pending.has(id));
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
