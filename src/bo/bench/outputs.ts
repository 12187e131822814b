import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChartSpec } from "../plots/chartSpec.js";
import { markdownTable, summarise, type BenchResults } from "./summary.js";

/** File names a benchmark writes into its output folder. */
export const BENCH_FILES = { results: "results.json", table: "summary.md", curves: "best-true.svg", recommendedCurves: "recommended-true.svg" } as const;

/**
 * Median curves with interquartile bands, one per strategy, against optimizer experiment
 * number (drawn by src/report): "sampled" = the best true value among the measured points
 * (never steps down), "recommended" = the true value of the model's recommendation at each step.
 */
export function benchCurvesSpec(r: BenchResults, which: "sampled" | "recommended" = "sampled"): ChartSpec {
  const n = r.settings.seeds.length;
  const title =
    which === "sampled"
      ? `${r.oracle.name}: best TRUE value among the points measured so far (median, IQR over ${n} seeds)`
      : `${r.oracle.name}: TRUE value of the model's recommended condition (posterior-mean maximiser) after each experiment (median, IQR over ${n} seeds)`;
  const series = summarise(r).flatMap((s) => {
    const m = which === "sampled" ? s.sampled : s.recommended;
    return m ? [{ name: s.name, x: m.median.map((_, k) => k + 1), y: m.median, band: { lo: m.q25, hi: m.q75 }, step: true }] : [];
  });
  return {
    title,
    xLabel: "optimizer experiment",
    yLabel: which === "sampled" ? "best true objective measured" : "true objective of the recommendation",
    integerX: true,
    series,
    hline: { y: r.oracle.max, label: r.oracle.goal === "minimize" ? "oracle min" : "oracle max" },
  };
}

/** Write results.json, summary.md, best-true.svg and recommended-true.svg into `dir`; returns their paths. */
export async function writeBenchOutputs(
  r: BenchResults,
  dir: string,
  /** Draws a chart spec as an SVG document (src/report's lineChartSvg; src/bo draws nothing itself). */
  renderChart: (spec: ChartSpec) => Promise<string>,
): Promise<{ results: string; table: string; curves: string; recommendedCurves: string }> {
  mkdirSync(dir, { recursive: true });
  const paths = {
    results: join(dir, BENCH_FILES.results),
    table: join(dir, BENCH_FILES.table),
    curves: join(dir, BENCH_FILES.curves),
    recommendedCurves: join(dir, BENCH_FILES.recommendedCurves),
  };
  writeFileSync(paths.results, JSON.stringify(r, null, 1) + "\n");
  writeFileSync(paths.table, markdownTable(r));
  writeFileSync(paths.curves, await renderChart(benchCurvesSpec(r, "sampled")));
  writeFileSync(paths.recommendedCurves, await renderChart(benchCurvesSpec(r, "recommended")));
  return paths;
}
