/**
 * Bench on a queue (issue 16): what BullMQ + Redis cost per run, and how throughput grows
 * with workers. Run after `npx tsc -p .` (needs Debian's redis-server):
 *
 *   node dist/benchmarks/queue.js [--quick]
 *
 * Starts a throwaway redis-server on a free loopback port and measures
 * 1. overhead per job: the same sweep of tiny runs (random on Branin, budget 1) through
 *    local worker threads (`sdfl bench --workers 1`) and through the queue with one
 *    `sdfl worker --concurrency 1` process; the difference per run, and from the jobs'
 *    timestamps the worker's gap between jobs (the queue's own cost per job) and the
 *    per-job start-up (fresh thread loading sdfl; local threads pay it too);
 * 2. throughput: a sweep of real runs (gp-ei on Hartmann-6) with 1 and 2 worker processes
 *    (concurrency 1 each), runs per minute;
 * 3. the queue's own ceiling: no-op BullMQ jobs through one in-process Worker at high
 *    concurrency (what Redis and BullMQ's round trips allow when runs cost nothing).
 * Each measurement uses its own Redis database (job ids are deterministic, so a repeated
 * sweep would otherwise find its results already there).
 * Prints one JSON object and writes benchmarks/results/queue.json (queue.quick.json with --quick).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Queue, Worker } from "bullmq";
import type { BenchSettings } from "../src/bo/bench/settings.js";
import { describeOracle, type OracleSpec } from "../src/cli/labs.js";
import { runBenchmark } from "../src/cli/runBenchmark.js";
import { connectionOptions, parseRedisUrl } from "../src/cli/queue/redisUrl.js";
import { quantile } from "../src/bo/bench/summary.js";
import { redisInfo, startLocalRedis, type LocalRedis } from "./redisServer.js";

const quick = process.argv.includes("--quick");
const BIN = [new URL("../../bin/sdfl.js", import.meta.url), new URL("../bin/sdfl.js", import.meta.url)].map((u) => fileURLToPath(u)).find(existsSync)!;

function settings(strategy: string, seeds: number, budget: number, init: number): BenchSettings {
  return {
    strategies: [{ name: strategy }],
    seeds: Array.from({ length: seeds }, (_, i) => i + 1),
    budget,
    init: { kind: "lhs", count: init },
    noise: 0.04,
    finalExploit: true,
    quick: true,
  };
}

/** `sdfl worker` processes, resolved once each says it waits for jobs. */
async function startWorkers(url: string, n: number): Promise<ChildProcess[]> {
  const ws = Array.from({ length: n }, () =>
    spawn(process.execPath, [BIN, "worker", "--queue", url, "--concurrency", "1"], { stdio: ["ignore", "ignore", "pipe"] }),
  );
  await Promise.all(
    ws.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          let err = "";
          w.stderr!.setEncoding("utf8").on("data", (d: string) => {
            err += d;
            if (err.includes("waiting for jobs")) resolve();
          });
          w.once("exit", (code) => reject(new Error(`sdfl worker exited with ${code}: ${err}`)));
        }),
    ),
  );
  return ws;
}

async function stopWorkers(ws: ChildProcess[]): Promise<void> {
  await Promise.all(ws.map((w) => new Promise<void>((resolve) => (w.exitCode !== null ? resolve() : (w.once("exit", () => resolve()), w.kill("SIGTERM"))))));
}

/** Wall seconds of a sweep: locally on `workers` threads, or through the queue at `url` with `procs` worker processes. */
async function sweepSeconds(oracle: OracleSpec, s: BenchSettings, where: { local: number } | { url: string; procs: number }): Promise<number> {
  const oracleInfo = await describeOracle(oracle, { quick: true });
  let ws: ChildProcess[] = [];
  if ("url" in where) ws = await startWorkers(where.url, where.procs);
  try {
    const t0 = performance.now();
    const { failures } = await runBenchmark({
      oracle,
      oracleInfo,
      settings: s,
      workers: "local" in where ? where.local : 0,
      ...("url" in where ? { queue: parseRedisUrl(where.url) } : {}),
    });
    if (failures.length > 0) throw new Error(`runs failed: ${JSON.stringify(failures)}`);
    return (performance.now() - t0) / 1000;
  } finally {
    await stopWorkers(ws);
  }
}

/**
 * From the finished jobs' own timestamps (one worker, one job at a time): the median gap
 * between one job's end and the next one's start on the worker (the queue's own cost per
 * job: mark complete, fetch the next), and the median time in the processor beyond the
 * run itself (per-job start-up: a fresh thread loading sdfl, the same as local threads pay).
 */
async function jobTimings(url: string): Promise<{ medianGapMs: number; medianStartupMs: number; jobs: number }> {
  const queue = new Queue("sdfl-bench", { connection: connectionOptions(parseRedisUrl(url)) });
  try {
    const jobs = (await queue.getJobs(["completed"], 0, -1)).sort((a, b) => a.processedOn! - b.processedOn!);
    const gaps = jobs.slice(1).map((j, k) => j.processedOn! - jobs[k].finishedOn!);
    const startup = jobs.map((j) => j.finishedOn! - j.processedOn! - 1000 * (j.returnvalue as { seconds: number }).seconds);
    return { medianGapMs: quantile(gaps, 0.5), medianStartupMs: quantile(startup, 0.5), jobs: jobs.length };
  } finally {
    await queue.close();
  }
}

/** Seconds of CPU the Redis server has used (user + system), from INFO cpu. */
async function redisCpuSeconds(port: number): Promise<number> {
  const info = await redisInfo(port, "cpu");
  const get = (k: string) => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? NaN);
  return get("used_cpu_user") + get("used_cpu_sys");
}

/**
 * No-op jobs per second through one in-process BullMQ Worker (concurrency 32), and the
 * Redis server's CPU milliseconds per job (its own ceiling: 1000 / that, jobs per second
 * on one Redis core, whatever the number of workers).
 */
async function noopJobs(url: string, port: number, n: number): Promise<{ jobsPerSecond: number; redisCpuMsPerJob: number }> {
  const connection = connectionOptions(parseRedisUrl(url));
  const queue = new Queue("sdfl-noop", { connection });
  let done = 0;
  let finish: () => void = () => {};
  const allDone = new Promise<void>((r) => (finish = r));
  const worker = new Worker("sdfl-noop", async () => ({ ok: true }), { connection, concurrency: 32 });
  worker.on("completed", () => ++done === n && finish());
  await worker.waitUntilReady();
  const cpu0 = await redisCpuSeconds(port);
  const t0 = performance.now();
  await queue.addBulk(Array.from({ length: n }, (_, i) => ({ name: "noop", data: { i }, opts: { jobId: `noop-${i}` } })));
  await allDone;
  const s = (performance.now() - t0) / 1000;
  const cpu = (await redisCpuSeconds(port)) - cpu0;
  await worker.close();
  await queue.close();
  return { jobsPerSecond: n / s, redisCpuMsPerJob: (1000 * cpu) / n };
}

let redis: LocalRedis | undefined;
try {
  redis = await startLocalRedis();
  const tinyRuns = quick ? 6 : 24;
  const realRuns = quick ? 4 : 12;
  const tiny = settings("random", tinyRuns, 1, 4);
  const real = settings("gp-ei", realRuns, quick ? 4 : 8, 10);
  const branin: OracleSpec = { kind: "function", name: "branin-reactor5d" };
  const h6: OracleSpec = { kind: "function", name: "hartmann6-reactor5d" };
  const log = (m: string) => console.error(m);

  log(`tiny runs (${tinyRuns}): local worker threads ...`);
  const tinyLocal = await sweepSeconds(branin, tiny, { local: 1 });
  log(`tiny runs: through the queue, 1 worker process ...`);
  const tinyQueue = await sweepSeconds(branin, tiny, { url: redis.url(1), procs: 1 });
  const tinyJobs = await jobTimings(redis.url(1));
  log(`real runs (${realRuns} x gp-ei on hartmann6-reactor5d): local, 1 thread ...`);
  const realLocal = await sweepSeconds(h6, real, { local: 1 });
  log(`real runs: queue, 1 worker process ...`);
  const real1 = await sweepSeconds(h6, real, { url: redis.url(2), procs: 1 });
  const realJobs = await jobTimings(redis.url(2));
  log(`real runs: queue, 2 worker processes ...`);
  const real2 = await sweepSeconds(h6, real, { url: redis.url(3), procs: 2 });
  const noopN = quick ? 500 : 5000;
  log(`queue ceiling: ${noopN} no-op jobs ...`);
  const noop = await noopJobs(redis.url(4), redis.port, noopN);

  const result = {
    benchmark: "queue",
    quick,
    machine: { cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version, loadavg: loadavg() },
    tinyRun: {
      runs: tinyRuns,
      localSecondsPerRun: tinyLocal / tinyRuns,
      queueSecondsPerRun: tinyQueue / tinyRuns,
      queueMinusLocalSecondsPerRun: (tinyQueue - tinyLocal) / tinyRuns,
      queueGapBetweenJobsMs: tinyJobs.medianGapMs,
      perJobStartupMs: tinyJobs.medianStartupMs,
    },
    realRun: {
      strategy: "gp-ei",
      oracle: "hartmann6-reactor5d",
      runs: realRuns,
      budget: real.budget,
      localOneThreadRunsPerMinute: (60 * realRuns) / realLocal,
      queueOneWorkerRunsPerMinute: (60 * realRuns) / real1,
      queueTwoWorkersRunsPerMinute: (60 * realRuns) / real2,
      speedupTwoOverOne: real1 / real2,
      queueGapBetweenJobsMs: realJobs.medianGapMs,
      perJobStartupMs: realJobs.medianStartupMs,
    },
    queueCeiling: { noopJobs: noopN, ...noop },
  };
  console.log(JSON.stringify(result, null, 1));
  mkdirSync(join("benchmarks", "results"), { recursive: true });
  writeFileSync(join("benchmarks", "results", quick ? "queue.quick.json" : "queue.json"), JSON.stringify(result, null, 1) + "\n");
} finally {
  await redis?.stop();
}
