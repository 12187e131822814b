import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChartSpec } from "../plots/chartSpec.js";
import { markdownTable, summarise, type BenchResults } from "./summary.js";

/** File names a benchmark writes into its output folder. */
export const BENCH_FILES = { results: "results.json", table: "summary.md", curves: "best-true.svg" } as const;

/** Median best-true curves with interquartile bands, one per strategy, against optimizer experiment number (drawn by src/report). */
export function benchCurvesSpec(r: BenchResults): ChartSpec {
  return {
    title: `${r.oracle.name}: best true objective (median, IQR band over ${r.settings.seeds.length} seeds)`,
    xLabel: "optimizer experiment",
    yLabel: "true objective of best measured point",
    integerX: true,
    series: summarise(r).map((s) => ({ name: s.name, x: s.median.map((_, k) => k + 1), y: s.median, band: { lo: s.q25, hi: s.q75 }, step: true })),
    hline: { y: r.oracle.max, label: "oracle max" },
  };
}

/** Write results.json, summary.md and best-true.svg into `dir`; returns their paths. */
export async function writeBenchOutputs(
  r: BenchResults,
  dir: string,
  /** Draws a chart spec as an SVG document (src/report's lineChartSvg; src/bo draws nothing itself). */
  renderChart: (spec: ChartSpec) => Promise<string>,
): Promise<{ results: string; table: string; curves: string }> {
  mkdirSync(dir, { recursive: true });
  const paths = { results: join(dir, BENCH_FILES.results), table: join(dir, BENCH_FILES.table), curves: join(dir, BENCH_FILES.curves) };
  writeFileSync(paths.results, JSON.stringify(r, null, 1) + "\n");
  writeFileSync(paths.table, markdownTable(r));
  writeFileSync(paths.curves, await renderChart(benchCurvesSpec(r)));
  return paths;
}
