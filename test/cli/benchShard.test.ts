import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runProcess } from "../helpers/runProcess.js";
import { SDFL_BIN } from "../helpers/sdflProcess.js";

const ROOT = resolve(import.meta.dirname, "../..");
const SWEEP = [
  "bench",
  "--oracle",
  "branin",
  "--budget",
  "2",
  "--init",
  "lhs:6",
  "--quick",
  "--strategy",
  "random,gp-ei",
  "--seeds",
  "3",
  "--workers",
  "1",
  "--quiet",
];
const tmp = () => mkdtempSync(join(tmpdir(), "sdfl-shard-"));
const sdfl = (args: string[]) => runProcess(process.execPath, [SDFL_BIN, ...args], { cwd: ROOT, timeoutMs: 120_000 });
function perSeed(dir: string): unknown {
  const r = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as {
    strategies: Record<string, { runs: { seed: number; bestTrue: number[]; proposals: number[][] }[] }>;
  };
  return Object.fromEntries(Object.entries(r.strategies).map(([k, v]) => [k, v.runs.map((x) => [x.seed, x.bestTrue, x.proposals])]));
}

describe("sdfl bench --shard i/N and sdfl bench merge", () => {
  it("three shares merged equal one unsharded run; a missing share is named", async () => {
    const whole = tmp();
    const shards = [tmp(), tmp(), tmp()];
    const rs = await Promise.all([sdfl([...SWEEP, "--out", whole]), ...shards.map((d, i) => sdfl([...SWEEP, "--shard", `${i}/3`, "--out", d]))]);
    for (const r of rs) expect(r.code, r.stderr).toBe(0);
    const sizes = shards.map(
      (d) =>
        Object.values(JSON.parse(readFileSync(join(d, "results.json"), "utf8")).strategies as Record<string, { runs: unknown[] }>).flatMap((s) => s.runs)
          .length,
    );
    expect(sizes).toEqual([2, 2, 2]);
    const merged = tmp();
    const m = await sdfl(["bench", "merge", ...shards, "--out", merged, "--json"]);
    expect(m.code, m.stderr).toBe(0);
    expect(perSeed(merged)).toEqual(perSeed(whole));
    const res = JSON.parse(readFileSync(join(merged, "results.json"), "utf8"));
    expect(res.settings.shards).toBe(3);
    expect(res.settings.shard).toBeUndefined();
    const missing = await sdfl(["bench", "merge", shards[0], shards[2], "--out", tmp()]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("shards 1/3 are missing");
    const bad = await sdfl([...SWEEP, "--shard", "3/3", "--out", tmp()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("0 <= i < N");
  }, 120_000);
});
