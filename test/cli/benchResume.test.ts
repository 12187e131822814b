import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runProcess } from "../helpers/runProcess.js";
import { SDFL_BIN, startSdfl, stopProcess } from "../helpers/sdflProcess.js";

// The run log of `sdfl bench`: each finished run is written as it finishes, so Ctrl-C or a
// failing strategy keeps what was done and --resume continues the sweep.
const ROOT = resolve(import.meta.dirname, "../..");
const FIX = join(ROOT, "test/fixtures");
const SWEEP = ["bench", "--oracle", "hartmann6", "--budget", "3", "--init", "lhs:8", "--quick", "--strategy", "random"];
const tmp = () => mkdtempSync(join(tmpdir(), "sdfl-resume-"));
const sdfl = (args: string[]) => runProcess(process.execPath, [SDFL_BIN, ...args], { cwd: ROOT, timeoutMs: 120_000 });
const logLines = (dir: string) => readFileSync(join(dir, "runs.jsonl"), "utf8").trim().split("\n");
function perSeed(dir: string): unknown {
  const r = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as {
    strategies: Record<string, { runs: { seed: number; bestTrue: number[]; proposals: number[][] }[] }>;
  };
  return Object.fromEntries(Object.entries(r.strategies).map(([k, v]) => [k, v.runs.map((x) => [x.seed, x.bestTrue, x.proposals])]));
}

describe("sdfl bench run log and --resume", () => {
  it("keeps the runs finished before Ctrl-C, and --resume runs only the missing ones, giving the uninterrupted results", async () => {
    const slow = ["--strategy-module", join(FIX, "slowRandomStrategy.mjs"), "--seeds", "3", "--workers", "1"];
    const cut = tmp();
    const first = startSdfl([...SWEEP, ...slow, "--out", cut]);
    try {
      await first.waitFor(/\[4\/6\] slowRandomStrategy/);
      first.child.kill("SIGINT");
      await first.exited;
    } finally {
      await stopProcess(first);
    }
    const kept = logLines(cut).length - 1;
    expect(kept).toBeGreaterThanOrEqual(4);
    expect(kept).toBeLessThan(6);
    const resumed = await sdfl([...SWEEP, ...slow, "--out", cut, "--resume"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming: ${kept} of 6 runs already finished`);
    expect(resumed.stderr.match(/^\[\d\/6\]/gm)).toHaveLength(6 - kept);
    const whole = tmp();
    const w = await sdfl([...SWEEP, ...slow, "--out", whole]);
    expect(w.code, w.stderr).toBe(0);
    expect(perSeed(cut)).toEqual(perSeed(whole));
  }, 120_000);

  it("refuses an --out that holds a benchmark without --resume, a --resume of nothing, and a --resume with other settings", async () => {
    const dir = tmp();
    const args = [...SWEEP, "--seeds", "2", "--workers", "0", "--out", dir];
    expect((await sdfl(args)).code).toBe(0);
    const again = await sdfl(args);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already holds the runs of a benchmark");
    expect(again.stderr).toContain("--resume");
    const changed = await sdfl([...args, "--resume", "--budget", "4"]);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/started with different budget/);
    const nothing = await sdfl([...SWEEP, "--seeds", "2", "--out", tmp(), "--resume"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("no runs.jsonl");
  }, 120_000);

  it("a strategy failing in one run keeps the finished runs (its own and the others'), reported once with its error", async () => {
    const dir = tmp();
    const r = await sdfl([...SWEEP, "--strategy-module", join(FIX, "throwingStrategy.mjs"), "--seeds", "3", "--workers", "2", "--out", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/error: strategy throwingStrategy failed \(seed 2\)/g)).toHaveLength(1);
    expect(r.stderr).toContain("fixture bug: ask() failed on purpose");
    expect(r.stderr).not.toContain("internal error");
    const res = JSON.parse(readFileSync(join(dir, "results.json"), "utf8"));
    expect(res.strategies.random.runs.map((x: { seed: number }) => x.seed)).toEqual([1, 2, 3]);
    expect(res.strategies.throwingStrategy.runs.map((x: { seed: number }) => x.seed)).toContain(1);
    expect(res.failures).toEqual([{ strategy: "throwingStrategy", seed: 2, error: expect.stringContaining("fixture bug") }]);
    expect(readFileSync(join(dir, "summary.md"), "utf8")).toContain("**Failed:** strategy throwingStrategy at seed 2");
  }, 120_000);
});
