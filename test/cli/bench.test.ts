import { runProcess } from "../helpers/runProcess.js";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runBenchmark } from "../../src/cli/runBenchmark.js";
import type { BenchSettings } from "../../src/bo/bench/settings.js";

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin", "sdfl.js");
const FIXTURE = join(ROOT, "test/fixtures/randomStrategy.mjs");

function sdfl(args: string[]) {
  return runProcess(process.execPath, [BIN, ...args], { cwd: ROOT, timeoutMs: 90_000 });
}

describe("bench harness", () => {
  it("gives the same runs per seed in worker threads (compiled dist/) as in the main thread", async () => {
    const settings: BenchSettings = {
      strategies: [{ name: "random" }, { name: "gp-ei" }, { name: "fixture", module: FIXTURE }],
      seeds: [1, 2],
      budget: 3,
      init: { kind: "lhs", count: 8 },
      noise: 0.04,
      finalExploit: true,
      quick: true,
    };
    const inline = await runBenchmark({ oracle: { kind: "problem", name: "hartmann6" }, settings, workers: 0 });
    const threaded = await runBenchmark({ oracle: { kind: "problem", name: "hartmann6" }, settings, workers: 2 });
    for (const name of ["random", "gp-ei", "fixture"]) {
      const a = inline.results.strategies[name].runs;
      const b = threaded.results.strategies[name].runs;
      expect(b.map((r) => r.seed)).toEqual([1, 2]);
      expect(b.map((r) => r.bestTrue)).toEqual(a.map((r) => r.bestTrue));
      expect(b.map((r) => r.proposals)).toEqual(a.map((r) => r.proposals));
    }
    // Different seeds give different runs; the same initial design is shared by all strategies of a seed.
    expect(inline.results.strategies.random.runs[0].proposals).not.toEqual(inline.results.strategies.random.runs[1].proposals);
  });

  it("sdfl bench writes results.json in exactly the documented shape, plus the table and curves", async () => {
    const out = mkdtempSync(join(tmpdir(), "sdfl-bench-"));
    const r = await sdfl([
      "bench",
      "--oracle",
      "chem1",
      "--strategy",
      "random",
      "--strategy-module",
      FIXTURE,
      "--seeds",
      "2",
      "--budget",
      "3",
      "--init",
      "sobol:6",
      "--noise",
      "0.04",
      "--out",
      out,
      "--workers",
      "2",
      "--quick",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.summary.map((s: { name: string }) => s.name)).toEqual(["random", "randomStrategy"]);
    const res = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    expect(Object.keys(res)).toEqual(["oracle", "settings", "strategies"]);
    expect(res.oracle).toMatchObject({ name: "chem1", kind: "twin" });
    expect(res.oracle.max).toBeGreaterThan(0.2);
    expect(res.oracle.argmax).toHaveLength(5);
    expect(res.settings).toMatchObject({ seeds: [1, 2], budget: 3, init: { kind: "sobol", count: 6 }, noise: 0.04, finalExploit: true });
    expect(Object.keys(res.strategies)).toEqual(["random", "randomStrategy"]);
    for (const { runs } of Object.values(res.strategies) as { runs: Record<string, unknown>[] }[]) {
      expect(runs.map((x) => x.seed)).toEqual([1, 2]);
      for (const run of runs) {
        expect(Object.keys(run).sort()).toEqual([
          "afterInit",
          "bestTrue",
          "proposals",
          "recommendedBy",
          "recommendedTrue",
          "sampledBestTrue",
          "seconds",
          "seed",
        ]);
        const bt = run.bestTrue as number[];
        expect(bt).toHaveLength(3);
        expect(bt.every(Number.isFinite)).toBe(true);
        expect(bt.every((v) => v <= res.oracle.max + 1e-9)).toBe(true);
        expect(run.proposals).toHaveLength(3);
        for (const p of run.proposals as number[][]) expect(p).toHaveLength(5);
        expect(run.seconds).toBeGreaterThanOrEqual(0);
      }
    }
    expect(readFileSync(join(out, "summary.md"), "utf8")).toMatch(/\| random \| 2 \|/);
    expect(existsSync(join(out, "best-true.svg"))).toBe(true);
  });

  it("names strategy and seed when a run fails in a worker, and refuses a module without a factory before any run", async () => {
    const out = mkdtempSync(join(tmpdir(), "sdfl-bench-"));
    const broken = await sdfl([
      "bench",
      "--oracle",
      "branin",
      "--strategy",
      "random",
      "--strategy-module",
      join(ROOT, "test/fixtures/brokenStrategy.mjs"),
      "--quick",
      "--workers",
      "2",
      "--out",
      out,
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/error: strategy brokenStrategy failed \(seed \d\)[^\n]*\n {2}broken strategy: ask failed on purpose/);
    // The other strategy's runs are kept.
    expect(JSON.parse(readFileSync(join(out, "results.json"), "utf8")).strategies.random.runs).toHaveLength(3);
    const none = await sdfl([
      "bench",
      "--oracle",
      "branin",
      "--strategy",
      "random",
      "--strategy-module",
      join(ROOT, "test/fixtures/noDefaultStrategy.mjs"),
      "--quick",
      "--out",
      out,
    ]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/has no default-exported function/);
    expect(none.stderr).not.toMatch(/\[1\//);
  });

  it("--seeds A-B runs exactly seeds A..B, each the same run as in a sweep from seed 1", async () => {
    const runsOf = async (seeds: string): Promise<Map<number, unknown>> => {
      const out = mkdtempSync(join(tmpdir(), "sdfl-bench-"));
      const r = await sdfl(["bench", "--oracle", "branin", "--strategy", "random", "--seeds", seeds, "--budget", "2", "--init", "4", "--out", out, "--quiet"]);
      expect(r.code, r.stderr).toBe(0);
      const lines = readFileSync(join(out, "runs.jsonl"), "utf8").trim().split("\n").slice(1);
      // Everything but the run's wall time.
      return new Map(lines.map((l) => JSON.parse(l) as { seed: number; run: Record<string, unknown> }).map((e) => [e.seed, { ...e.run, seconds: undefined }]));
    };
    const range = await runsOf("3-4");
    expect([...range.keys()].sort()).toEqual([3, 4]);
    expect(range.get(3)).toEqual((await runsOf("3")).get(3));
  }, 60_000);

  it("reports user mistakes as usage errors", async () => {
    const cases: [string[], RegExp][] = [
      [["bench", "--strategy", "random"], /--oracle is required/],
      [["bench", "--oracle", "nowhere.json"], /no such twin file/],
      [["bench", "--oracle", "branin", "--strategy", "random,frobnicate"], /unknown strategy "frobnicate"/],
      [["bench", "--oracle", "branin", "--init", "published"], /not available for benchmarks/],
      [["bench", "--oracle", "branin", "--seeds", "0"], /--seeds must be an integer from 1/],
      [["bench", "--oracle", "branin", "--seeds", "40-21"], /--seeds 40-21 is not a range A-B/],
      [["bench", "--oracle", "branin", "--noise", "2"], /--noise must be a number from 0 to 0.5/],
    ];
    for (const [args, msg] of cases) {
      const r = await sdfl(args);
      expect(r.stderr, args.join(" ")).toMatch(msg);
      expect(r.code, args.join(" ")).toBe(2);
    }
  });
});
