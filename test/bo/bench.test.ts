import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { quantile, summarise, markdownTable, type BenchResults } from "../../src/bo/bench/summary.js";
import { scoreRun } from "../../src/bo/bench/runSeed.js";
import { benchCurvesSpec } from "../../src/bo/bench/outputs.js";
import { searchMaximum } from "../../src/bo/bench/oracleMax.js";
import { SyntheticLab, PLQY_SCALE } from "../../src/bo/oracles/syntheticLab.js";
import { BRANIN, HARTMANN6 } from "../../src/bo/oracles/testFunctions.js";
import { Rng } from "../../src/core/rng.js";
import { DEFAULT_SPACE, PAPER_PROBLEM, pfoFlow, type Condition } from "../../src/twin/space.js";
import type { ExperimentRecord } from "../../src/bo/campaign/journal.js";

describe("bench summaries", () => {
  it("quantile interpolates between order statistics and lies within the data (property)", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 0.25)).toBe(1.75);
    expect(quantile([7], 0.75)).toBe(7);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, q) => {
          const v = quantile(xs, q);
          return v >= Math.min(...xs) - 1e-9 && v <= Math.max(...xs) + 1e-9 && quantile(xs, 0.25) <= quantile(xs, 0.75) + 1e-12;
        },
      ),
    );
  });

  it("summarises median, IQR and % of the oracle max per strategy", () => {
    const run = (seed: number, last: number) => ({
      seed,
      bestTrue: [last / 2, last],
      sampledBestTrue: [last / 2, last],
      recommendedTrue: [last / 4, last / 2],
      recommendedBy: "model" as const,
      proposals: [],
      seconds: seed,
    });
    const r: BenchResults = {
      oracle: { name: "o", kind: "test", max: 0.2, argmax: [] },
      settings: { strategies: [{ name: "a" }], seeds: [1, 2, 3], budget: 2, init: { kind: "lhs", count: 3 }, noise: 0, finalExploit: true, quick: true },
      strategies: { a: { runs: [run(1, 0.1), run(2, 0.2), run(3, 0.15)] } },
    };
    const [s] = summarise(r);
    expect(s.median).toEqual([0.075, 0.15]);
    expect(s.finalPercentOfMax).toBeCloseTo(75, 10);
    expect(s.finalMedianRegret).toBeCloseTo(0.05, 12);
    expect(s.q25[1]).toBeCloseTo(0.125, 12);
    expect(s.medianSeconds).toBe(2);
    expect(s.recommended!.finalPercentOfMax).toBeCloseTo(37.5, 10);
    expect(s.recommended!.worstPercentOfMax).toBeCloseTo(25, 10);
    expect(s.sampled!.finalMedian).toBeCloseTo(0.15, 12);
    expect(markdownTable(r)).toMatch(/\| a \| 3 \| 37\.5 \| 25\.0 \| 0\.1500 \| 75\.0 \|/);
    // Figures: without the level after the initial design (older results) the curves start at experiment 1 ...
    expect(benchCurvesSpec(r).series[0].x).toEqual([1, 2]);
    // ... with it, at 0, that level first (median over seeds), marked.
    const init = (v: number) => ({ bestTrue: v, sampledBestTrue: v, recommendedTrue: v / 2 });
    r.strategies.a.runs.forEach((x, i) => (x.afterInit = init([0.02, 0.06, 0.04][i])));
    const sampled = benchCurvesSpec(r, "sampled");
    expect(sampled.series[0]).toMatchObject({ x: [0, 1, 2], markFirst: true });
    expect(sampled.series[0].y[0]).toBeCloseTo(0.04, 12);
    expect(sampled.vline).toEqual({ x: 0, label: "end of initial design" });
    expect(sampled.subtitle).toMatch(/after the initial design \(3 lhs points\)/);
    expect(benchCurvesSpec(r, "recommended").series[0].y.slice(0, 2)).toEqual([0.02, 0.0375]);
  });
});

describe("scoreRun", () => {
  it("picks the best point by its measured value and scores it by the true value", () => {
    const lab = new SyntheticLab(HARTMANN6, { noise: 0, seed: 1, space: DEFAULT_SPACE });
    const c = (T: number): Condition => ({ T, CuI: 90, ZnI2: 100, CsOA: 40, ODE: 240 });
    const rec = (index: number, phase: ExperimentRecord["phase"], T: number, measured: number): ExperimentRecord => ({
      index,
      phase,
      source: "lab",
      status: "done",
      condition: c(T),
      setPoints: { PFO: pfoFlow(c(T)) },
      measurement: { condition: c(T), setPoints: { PFO: pfoFlow(c(T)) }, outcomes: { f: measured }, objective: measured, startedAt: 0, finishedAt: 1 },
    });
    // Measured values deliberately disagree with the truth: a lucky noisy point must be "best".
    const rows = [rec(0, "init", 130, 0.1), rec(1, "optimizer", 170, 0.05), rec(2, "optimizer", 150, 0.5), rec(3, "exploit", 140, 0.2)];
    const { bestTrue, sampledBestTrue, proposals, initLevel } = scoreRun(rows, lab, PAPER_PROBLEM);
    expect(bestTrue).toEqual(lab.evaluateTrue([c(130), c(150), c(150)]));
    expect(initLevel).toEqual({ bestTrue: lab.evaluateTrue([c(130)])[0], sampledBestTrue: lab.evaluateTrue([c(130)])[0] });
    const t = lab.evaluateTrue([c(130), c(170), c(150), c(140)]);
    expect(sampledBestTrue).toEqual([Math.max(t[0], t[1]), Math.max(t[0], t[1], t[2]), Math.max(...t)]);
    expect(proposals).toEqual([
      [170, 90, 100, 40, 240],
      [150, 90, 100, 40, 240],
      [140, 90, 100, 40, 240],
    ]);
  });
});

describe("searchMaximum", () => {
  it("finds the known maxima of the test functions", () => {
    for (const fn of [BRANIN, HARTMANN6]) {
      const lab = new SyntheticLab(fn, { noise: 0, seed: 1, space: DEFAULT_SPACE });
      const found = searchMaximum((cs) => lab.evaluateTrue(cs), DEFAULT_SPACE, new Rng(4), { samples: 3000, starts: 5 });
      expect(found.value).toBeLessThanOrEqual(PLQY_SCALE + 1e-9);
      expect(found.value).toBeGreaterThan(PLQY_SCALE * 0.9995);
      expect(found.search.evaluations).toBeGreaterThan(3000);
    }
  });
});
