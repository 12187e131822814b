import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shardTasks } from "../../src/bo/bench/shard.js";
import { benchTasks, taskKey, type BenchSettings } from "../../src/bo/bench/settings.js";
import { mergeBenchResults } from "../../src/bo/bench/merge.js";
import { assembleResults } from "../../src/bo/bench/assemble.js";
import { readRunLog, RunLog } from "../../src/bo/bench/runLog.js";
import type { BenchRun } from "../../src/bo/bench/runSeed.js";
import type { OracleInfo } from "../../src/bo/bench/summary.js";

const settings = (strategies: number, seeds: number): BenchSettings => ({
  strategies: Array.from({ length: strategies }, (_, i) => ({ name: `s${i}` })),
  seeds: Array.from({ length: seeds }, (_, i) => i + 1),
  budget: 2,
  init: { kind: "lhs", count: 4 },
  noise: 0,
  finalExploit: true,
  quick: true,
});
const ORACLE: OracleInfo = { name: "o", kind: "test-function", max: 1, argmax: [0] };
const run = (seed: number, v: number): BenchRun => ({ seed, bestTrue: [v, v], proposals: [[v], [v]], seconds: 0 });

describe("bench shards", () => {
  it("the shares of a sweep are disjoint, cover it, and are nearly equal in size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 20 }), (ns, nseeds, count) => {
        const all = benchTasks(settings(ns, nseeds));
        const parts = Array.from({ length: count }, (_, index) => shardTasks(all, { index, count }));
        const keys = parts.flat().map(taskKey);
        expect(new Set(keys).size).toBe(keys.length);
        expect(new Set(keys)).toEqual(new Set(all.map(taskKey)));
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        // Deterministic.
        expect(shardTasks(all, { index: 0, count }).map(taskKey)).toEqual(parts[0].map(taskKey));
      }),
    );
  });

  it("merging the shares gives the unsharded results whatever the order of the shares", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        (ns, nseeds, count, reverse) => {
          const s = settings(ns, nseeds);
          const all = benchTasks(s);
          const value = (k: string) => k.length + Number(k.split("#")[1]) / 100;
          const whole = assembleResults(ORACLE, s, all, new Map(all.map((t) => [taskKey(t), run(t.seed, value(taskKey(t)))])));
          const parts = Array.from({ length: count }, (_, index) => {
            const share = shardTasks(all, { index, count });
            return {
              file: `shard-${index}`,
              results: assembleResults(
                ORACLE,
                { ...s, shard: { index, count }, seconds: index },
                share,
                new Map(share.map((t) => [taskKey(t), run(t.seed, value(taskKey(t)))])),
              ),
            };
          });
          const merged = mergeBenchResults(reverse ? [...parts].reverse() : parts);
          expect(merged.strategies).toEqual(whole.strategies);
        },
      ),
    );
  });

  it("refuses a share given twice and shares of different sweeps", () => {
    const s = settings(1, 2);
    const all = benchTasks(s);
    const share = (index: number, count: number, over: Partial<BenchSettings> = {}) => ({
      file: `f${index}`,
      results: assembleResults(
        ORACLE,
        { ...s, ...over, shard: { index, count } },
        shardTasks(all, { index, count }),
        new Map(all.map((t) => [taskKey(t), run(t.seed, 1)])),
      ),
    });
    expect(() => mergeBenchResults([share(0, 2), share(0, 2)])).toThrow(/given twice/);
    expect(() => mergeBenchResults([share(0, 2), share(1, 2, { budget: 3 })])).toThrow(/different sweep/);
  });
});

describe("bench run log", () => {
  it("reads back what was written, ignoring a torn last line; a later run replaces an earlier failure", () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-runlog-"));
    const log = RunLog.create(dir, { a: 1 });
    log.addRun("ei", run(1, 0.5));
    log.addFailure({ strategy: "ei", seed: 2, error: "boom" });
    log.addFailure({ strategy: "ts", seed: 1, error: "bang" });
    log.addRun("ei", run(2, 0.6));
    writeFileSync(log.file, '{"strategy":"ei","seed":3,"ru', { flag: "a" });
    const c = readRunLog(log.file);
    expect(c.sweep).toEqual({ a: 1 });
    expect([...c.runs.keys()]).toEqual(["ei#1", "ei#2"]);
    expect(c.failures).toEqual([{ strategy: "ts", seed: 1, error: "bang" }]);
    expect(() => RunLog.create(dir, { a: 1 })).toThrow();
  });
});
