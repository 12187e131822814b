import { UnrecoverableError, Worker, type Job } from "bullmq";
import { runInWorkers } from "../../bo/bench/workerPool.js";
import type { BenchRun } from "../../bo/bench/runSeed.js";
import type { BenchTaskData } from "../benchTask.js";
import { benchWorkerUrl } from "../runBenchmark.js";
import { BENCH_QUEUE_NAME } from "./jobId.js";
import { checkRedisReachable, connectionOptions, type RedisTarget } from "./redisUrl.js";

export interface QueueWorkerOptions {
  target: RedisTarget;
  /** Runs at a time (each in its own worker thread). */
  concurrency: number;
  /**
   * A job's lock, in ms: a worker renews it while it runs the job; when the worker dies
   * (kill -9, power cut, lost network) the lock expires and another worker's stalled-job
   * check (every `lockMs`) puts the job back in the queue. So a dead machine's jobs restart
   * after one to two `lockMs`.
   */
  lockMs: number;
  progress?: (line: string) => void;
}

/**
 * The job processor: the same unit of work as a local `sdfl bench` (runBenchTask, in a
 * fresh worker thread so the event loop stays free to renew the job's lock). A failure
 * is a property of the run (runs are deterministic), so it is final: UnrecoverableError.
 */
export async function processBenchJob(job: Job<BenchTaskData>): Promise<BenchRun> {
  const d = job.data;
  const describe = `strategy ${d.task.strategy.name}, seed ${d.task.seed}`;
  try {
    const [run] = await runInWorkers([d], { workers: 1, workerUrl: benchWorkerUrl(), workerData: (x) => ({ ...x, ennWorkers: 1 }), describe: () => describe });
    return run as BenchRun;
  } catch (e) {
    const err = e as Error & { hint?: string };
    throw new UnrecoverableError(`${err.message}${err.hint ? `\n  hint: ${err.hint}` : ""}`);
  }
}

/**
 * Start a worker on the bench queue. Resolves once it is connected; call `close()` to stop
 * taking jobs (running ones finish first).
 */
export async function startQueueWorker(o: QueueWorkerOptions): Promise<{ close(): Promise<void>; worker: Worker<BenchTaskData, BenchRun> }> {
  await checkRedisReachable(o.target);
  const worker = new Worker<BenchTaskData, BenchRun>(BENCH_QUEUE_NAME, processBenchJob, {
    connection: connectionOptions(o.target),
    concurrency: o.concurrency,
    lockDuration: o.lockMs,
    stalledInterval: o.lockMs,
    // A job whose worker died twice fails instead of bouncing forever.
    maxStalledCount: 2,
  });
  const name = (j: Job<BenchTaskData> | undefined) => (j ? `${j.data.task.strategy.name} seed ${j.data.task.seed} (job ${j.id})` : "a job");
  worker.on("active", (j) => o.progress?.(`started ${name(j)}`));
  worker.on("completed", (j, r) => o.progress?.(`finished ${name(j)} in ${r.seconds.toFixed(1)} s`));
  worker.on("failed", (j, e) => o.progress?.(`failed ${name(j)}: ${e.message}`));
  worker.on("stalled", (id) => o.progress?.(`job ${id} stalled (its worker stopped renewing the lock): put back in the queue`));
  // ioredis retries a lost connection every few seconds: say so once, not at every retry.
  let lastError = "";
  worker.on("error", (e) => {
    if (e.message !== lastError) o.progress?.(`queue error: ${e.message} (retrying)`);
    lastError = e.message;
  });
  worker.on("ready", () => (lastError = ""));
  await worker.waitUntilReady();
  o.progress?.(`worker on ${o.target.display}: up to ${o.concurrency} runs at a time; waiting for jobs (Ctrl-C to stop)`);
  return { worker, close: () => worker.close() };
}
