import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_SPACE, INPUT_NAMES, normalize, toArray, type SearchSpace } from "../../twin/space.js";
import { lineChartSvg } from "../plots/lineChart.js";
import type { ExperimentRecord } from "./journal.js";

/** File names of the campaign plots. */
export const CAMPAIGN_PLOTS = { bestSoFar: "best-so-far.svg", parameters: "parameters.svg" } as const;

/**
 * Best measured PLQY so far against experiment number (1-based, all done experiments in
 * order), with each measurement as a dot and the initial phase shaded (paper Fig. 7A).
 */
export async function bestSoFarSvg(experiments: readonly ExperimentRecord[], title = "Campaign: best PLQY so far"): Promise<string> {
  const done = experiments.filter((e) => e.status === "done" && e.measurement);
  const x = done.map((_, i) => i + 1);
  const y = done.map((e) => e.measurement!.plqy);
  const best: number[] = [];
  for (const v of y) best.push(Math.max(v, best.length ? best[best.length - 1] : -Infinity));
  const nInit = done.filter((e) => e.phase === "init").length;
  return lineChartSvg({
    title, xLabel: "experiment number", yLabel: "PLQY proxy",
    series: [
      { name: "best so far", x, y: best, step: true },
      { name: "measured", x, y, dots: true, noLine: true },
    ],
    ...(nInit > 0 ? { shade: { x0: 0.5, x1: nInit + 0.5, label: "initial data" } } : {}),
  });
}

/**
 * The normalised value (0 = lower bound, 1 = upper bound) of each input at each done
 * experiment against experiment number, initial phase shaded (paper Fig. 7B).
 */
export async function parametersSvg(experiments: readonly ExperimentRecord[], space: SearchSpace = DEFAULT_SPACE): Promise<string> {
  const done = experiments.filter((e) => e.status === "done" && e.measurement);
  const x = done.map((_, i) => i + 1);
  const z = done.map((e) => normalize(space, toArray(e.measurement!.condition)));
  const nInit = done.filter((e) => e.phase === "init").length;
  return lineChartSvg({
    title: "Campaign: normalised parameters chosen", xLabel: "experiment number", yLabel: "normalised value",
    yDomain: [0, 1],
    series: INPUT_NAMES.map((name, k) => ({ name, x, y: z.map((r) => r[k]), dots: true })),
    ...(nInit > 0 ? { shade: { x0: 0.5, x1: nInit + 0.5, label: "initial data" } } : {}),
  });
}

/** Write both plots into `dir`; returns their paths. */
export async function writeCampaignPlots(experiments: readonly ExperimentRecord[], dir: string, space: SearchSpace = DEFAULT_SPACE): Promise<{ bestSoFar: string; parameters: string }> {
  mkdirSync(dir, { recursive: true });
  const bestSoFar = join(dir, CAMPAIGN_PLOTS.bestSoFar);
  const parameters = join(dir, CAMPAIGN_PLOTS.parameters);
  writeFileSync(bestSoFar, await bestSoFarSvg(experiments));
  writeFileSync(parameters, await parametersSvg(experiments, space));
  return { bestSoFar, parameters };
}
