import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalRedis } from "../../benchmarks/redisServer.js";
import { startTestRedis } from "../helpers/redis.js";
import { startSdfl, stopProcess, type LiveProcess } from "../helpers/sdflProcess.js";
import { runProcess } from "../helpers/runProcess.js";
import { SDFL_BIN } from "../helpers/sdflProcess.js";

// `sdfl bench --queue` against a real redis-server on a free loopback port, with two or
// more real `sdfl worker` processes. Each test uses its own Redis database.
const ROOT = resolve(import.meta.dirname, "../..");
const FIX = join(ROOT, "test/fixtures");

let redis: LocalRedis;
const workers: LiveProcess[] = [];
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => stopProcess(w)));
  await redis?.stop();
});

/** Workers that are connected and waiting for jobs. */
async function ready(...ws: LiveProcess[]): Promise<LiveProcess[]> {
  await Promise.all(ws.map((w) => w.waitFor(/waiting for jobs/)));
  return ws;
}

function worker(db: number, concurrency = 1): LiveProcess {
  const w = startSdfl(["worker", "--queue", redis.url(db), "--concurrency", String(concurrency), "--lock-seconds", "1"]);
  workers.push(w);
  return w;
}

const SWEEP = ["--oracle", "hartmann6", "--budget", "3", "--init", "lhs:8", "--noise", "0.04", "--quick"];

function bench(args: string[]) {
  return runProcess(process.execPath, [SDFL_BIN, "bench", ...SWEEP, ...args], { cwd: ROOT, timeoutMs: 120_000 });
}

type Runs = Record<string, { seed: number; bestTrue: number[]; proposals: number[][] }[]>;
function perSeed(dir: string): Record<string, unknown> {
  const r = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as { strategies: Record<string, { runs: Runs[string] }> };
  return Object.fromEntries(
    Object.entries(r.strategies).map(([k, v]) => [k, v.runs.map((x) => ({ seed: x.seed, bestTrue: x.bestTrue, proposals: x.proposals }))]),
  );
}
/** Lines "started NAME seed K (job ID)" of all workers: which job ran how often. */
function startedJobs(ws: LiveProcess[]): string[] {
  return ws.flatMap((w) => [...w.stderr().matchAll(/started .* \(job (run-[0-9a-f]+)\)/g)].map((m) => m[1]));
}
const tmp = () => mkdtempSync(join(tmpdir(), "sdfl-queue-"));

describe("sdfl bench --queue (BullMQ on a real redis-server) and sdfl worker", () => {
  it("gives the same per-seed results as a local run, with two worker processes", async () => {
    const ws = await ready(worker(1), worker(1));
    const strategies = ["--strategy", "random,gp-ei", "--strategy-module", join(FIX, "randomStrategy.mjs"), "--seeds", "2"];
    const local = tmp();
    const queued = tmp();
    const [a, b] = await Promise.all([
      bench([...strategies, "--out", local, "--workers", "1"]),
      bench([...strategies, "--out", queued, "--queue", redis.url(1)]),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(perSeed(queued)).toEqual(perSeed(local));
    const started = startedJobs(ws);
    expect(started).toHaveLength(6);
    expect(new Set(started).size).toBe(6);
    // Both workers took jobs.
    expect(ws.every((w) => /started/.test(w.stderr()))).toBe(true);
  }, 150_000);

  it("retries the job of a worker killed with kill -9 mid-run on another worker; every run exactly once", async () => {
    const [a, b] = await ready(worker(2), worker(2));
    const out = tmp();
    const args = ["--strategy-module", join(FIX, "slowRandomStrategy.mjs"), "--strategy", "random", "--seeds", "3", "--out", out, "--queue", redis.url(2)];
    const ctl = bench(args);
    await a.waitFor(/started slowRandomStrategy seed \d \(job/);
    const killed = /started slowRandomStrategy seed \d \(job (run-[0-9a-f]+)\)/.exec(a.stderr())![1];
    a.child.kill("SIGKILL");
    const r = await ctl;
    expect(r.code, r.stderr).toBe(0);
    // The killed job finished on the surviving worker.
    expect(b.stderr()).toContain(`finished slowRandomStrategy seed`);
    expect(b.stderr()).toMatch(new RegExp(`finished .*\\(job ${killed}\\)`));
    const res = perSeed(out) as Runs;
    expect(res.slowRandomStrategy.map((x) => x.seed)).toEqual([1, 2, 3]);
    expect(res.random.map((x) => x.seed)).toEqual([1, 2, 3]);
    // Same results as a local run of the same sweep.
    const local = tmp();
    const l = await bench([...args.slice(0, -4), "--out", local, "--workers", "1"]);
    expect(l.code, l.stderr).toBe(0);
    expect(perSeed(out)).toEqual(perSeed(local));
  }, 150_000);

  it("reports a strategy module that throws once with its error, does not retry it, and keeps the other runs", async () => {
    const ws = await ready(worker(3), worker(3));
    const out = tmp();
    const r = await bench([
      "--strategy",
      "random",
      "--strategy-module",
      join(FIX, "throwingStrategy.mjs"),
      "--seeds",
      "3",
      "--out",
      out,
      "--queue",
      redis.url(3),
      "--json",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/error: strategy throwingStrategy failed/g)).toHaveLength(1);
    expect(r.stderr).toContain("fixture bug: ask() failed on purpose");
    const res = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    expect(res.strategies.random.runs.map((x: { seed: number }) => x.seed)).toEqual([1, 2, 3]);
    expect(res.failures).toEqual([{ strategy: "throwingStrategy", seed: 2, error: expect.stringContaining("fixture bug") }]);
    // No job ran twice: a job failure is final.
    const started = startedJobs(ws);
    expect(new Set(started).size).toBe(started.length);
    expect(ws.map((w) => w.stderr().match(/failed throwingStrategy seed 2/g)?.length ?? 0).reduce((x, y) => x + y)).toBe(1);
  }, 150_000);

  it("a restarted controller picks up the finished jobs from the queue instead of rerunning them", async () => {
    const ws = await ready(worker(4), worker(4));
    const out = tmp();
    const args = ["--strategy", "random", "--strategy-module", join(FIX, "slowRandomStrategy.mjs"), "--seeds", "3", "--out", out, "--queue", redis.url(4)];
    const first = startSdfl(["bench", ...SWEEP, ...args]);
    workers.push(first); // stopped in afterAll if the test fails before killing it
    await first.waitFor(/\[1\/6\]/);
    first.child.kill("SIGKILL");
    await first.exited;
    // The workers go on meanwhile; the restarted controller collects what they finished.
    const r = await bench([...args, "--resume"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/resuming: [1-5] of 6 runs already finished/);
    expect(r.stderr).toMatch(/0 jobs added, [1-5] already there/);
    expect((perSeed(out) as Runs).slowRandomStrategy.map((x) => x.seed)).toEqual([1, 2, 3]);
    const started = startedJobs(ws);
    expect(started).toHaveLength(6);
    expect(new Set(started).size).toBe(6);
  }, 150_000);

  it("refuses a --queue that is not a redis URL, and says so when no Redis answers", async () => {
    const bad = await bench(["--strategy", "random", "--seeds", "1", "--out", tmp(), "--queue", "http://localhost:1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("the scheme must be redis://");
    const w = await runProcess(process.execPath, [SDFL_BIN, "worker", "--queue", "redis://127.0.0.1:1"], { timeoutMs: 20_000 });
    expect(w.code).toBe(1);
    expect(w.stderr).toContain("cannot reach Redis at redis://127.0.0.1:1/0: ECONNREFUSED");
  }, 60_000);
});
