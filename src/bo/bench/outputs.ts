import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChartSpec } from "../plots/chartSpec.js";
import { markdownTable, quantile, summarise, type BenchResults } from "./summary.js";

/** File names a benchmark writes into its output folder. */
export const BENCH_FILES = { results: "results.json", table: "summary.md", curves: "best-true.svg", recommendedCurves: "recommended-true.svg" } as const;

/**
 * Median curves with interquartile bands, one per strategy, against optimizer experiment
 * number (drawn by src/report): "sampled" = the best true value among the measured points
 * (never steps down), "recommended" = the true value of the model's recommendation at each step.
 * Each curve starts at x = 0 with its level after the initial design (a ringed dot), when
 * the runs recorded it.
 */
export function benchCurvesSpec(r: BenchResults, which: "sampled" | "recommended" = "sampled"): ChartSpec {
  const n = r.settings.seeds.length;
  const init = r.settings.init;
  const title = which === "sampled" ? "Best true value among the points measured so far" : "True value of the recommendation after each experiment";
  const what =
    which === "sampled"
      ? "the best noise-free oracle value among all points measured so far"
      : "the noise-free oracle value at the model's posterior-mean maximiser (the best reading for a strategy without a model)";
  const series = summarise(r).flatMap((s) => {
    const m = which === "sampled" ? s.sampled : s.recommended;
    if (!m) return [];
    const runs = r.strategies[s.name].runs;
    const start = runs.map((x) => (which === "sampled" ? x.afterInit?.sampledBestTrue : x.afterInit?.recommendedTrue));
    const hasStart = start.every((v): v is number => Number.isFinite(v));
    const pre = (q: number) => (hasStart ? [quantile(start as number[], q)] : []);
    return [
      {
        name: s.name,
        x: [...(hasStart ? [0] : []), ...m.median.map((_, k) => k + 1)],
        y: [...pre(0.5), ...m.median],
        band: { lo: [...pre(0.25), ...m.q25], hi: [...pre(0.75), ...m.q75] },
        step: true,
        markFirst: hasStart,
      },
    ];
  });
  const starts = series.some((c) => c.markFirst);
  return {
    title: `${r.oracle.name}: ${title}`,
    subtitle: `Each curve: ${what}; median and interquartile band over ${n} seeds${starts ? `; ringed dot: the level after the initial design (${init.count} ${init.kind} points)` : ""}.`,
    xLabel: starts ? "optimizer experiment (0 = after the initial design)" : "optimizer experiment",
    yLabel: which === "sampled" ? "best true value sampled" : "true value of the recommendation",
    integerX: true,
    series,
    hline: { y: r.oracle.max, label: r.oracle.goal === "minimize" ? "oracle min" : "oracle max" },
    ...(starts ? { vline: { x: 0, label: "end of initial design" } } : {}),
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
