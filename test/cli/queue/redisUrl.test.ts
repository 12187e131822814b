import { describe, expect, it } from "vitest";
import { parseRedisUrl } from "../../../src/cli/queue/redisUrl.js";
import { parseShard } from "../../../src/cli/shardSpec.js";
import { benchJobId } from "../../../src/cli/queue/jobId.js";
import type { BenchTaskData } from "../../../src/cli/benchTask.js";

describe("--queue and --shard parsing", () => {
  it("reads host, port, database and a password, and never shows the password", () => {
    expect(parseRedisUrl("redis://10.0.0.5:6380/3")).toMatchObject({ host: "10.0.0.5", port: 6380, db: 3, display: "redis://10.0.0.5:6380/3" });
    expect(parseRedisUrl("redis://localhost")).toMatchObject({ host: "localhost", port: 6379, db: 0 });
    const p = parseRedisUrl("redis://:s3cret@h:1/0");
    expect(p.password).toBe("s3cret");
    expect(p.display).not.toContain("s3cret");
    for (const bad of ["localhost:6379", "http://h:1", "redis://h:1/16", "redis://h:1/x"]) expect(() => parseRedisUrl(bad)).toThrow(/--queue/);
  });

  it("reads i/N with 0 <= i < N and refuses anything else", () => {
    expect(parseShard("0/4")).toEqual({ index: 0, count: 4 });
    expect(parseShard(" 3 / 4 ")).toEqual({ index: 3, count: 4 });
    for (const bad of ["4/4", "1/0", "-1/3", "1", "a/b", "1/2/3"]) expect(() => parseShard(bad)).toThrow(/0 <= i < N/);
  });

  it("job ids depend on what a run's result depends on, not on the rest of the sweep", () => {
    const d = (over: Partial<BenchTaskData["settings"]> = {}, seed = 1, name = "random"): BenchTaskData => ({
      oracle: { kind: "function", name: "branin-reactor5d" },
      settings: { strategies: [{ name }], seeds: [1, 2], budget: 3, init: { kind: "lhs", count: 5 }, noise: 0.04, finalExploit: true, quick: true, ...over },
      task: { strategy: { name }, seed },
    });
    expect(benchJobId(d())).toBe(benchJobId(d({ seeds: [1, 2, 3, 4], strategies: [{ name: "random" }, { name: "gp-ei" }] })));
    expect(benchJobId(d())).toBe(benchJobId({ ...d(), ennWorkers: 1 }));
    expect(benchJobId(d())).not.toBe(benchJobId(d({ budget: 4 })));
    expect(benchJobId(d())).not.toBe(benchJobId(d({}, 2)));
    expect(benchJobId(d())).not.toBe(benchJobId(d({}, 1, "gp-ei")));
    expect(benchJobId(d())).toMatch(/^run-[0-9a-f]{40}$/);
  });
});
