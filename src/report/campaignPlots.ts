import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_SPACE, INPUT_NAMES, normalize, toArray, type SearchSpace } from "../twin/space.js";
import { lineChartSvg } from "./svg/lineChart.js";
import type { ExperimentRecord } from "../bo/campaign/journal.js";

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
    title,
    xLabel: "experiment number",
    yLabel: "PLQY proxy",
    integerX: true,
    series: [
      { name: "best so far", x, y: best, step: true },
      { name: "measured", x, y, dots: true, noLine: true },
    ],
    ...(nInit > 0 ? { shade: { x0: 0.5, x1: nInit + 0.5, label: "initial data" } } : {}),
  });
}

/**
 * The normalised value (0 = lower bound, 1 = upper bound) of each input chosen at each
 * optimizer experiment, against its number (paper Fig. 7B). A campaign without optimizer
 * experiments yet shows its initial experiments instead.
 */
export async function parametersSvg(experiments: readonly ExperimentRecord[], space: SearchSpace = DEFAULT_SPACE): Promise<string> {
  const done = experiments.filter((e) => e.status === "done" && e.measurement);
  const chosen = done.filter((e) => e.phase !== "init");
  const shown = chosen.length > 0 ? chosen : done;
  const x = shown.map((_, i) => i + 1);
  const z = shown.map((e) => normalize(space, toArray(e.measurement!.condition)));
  return lineChartSvg({
    title: `Campaign: normalised parameters of the ${chosen.length > 0 ? "optimizer-chosen" : "initial"} experiments`,
    xLabel: chosen.length > 0 ? "optimizer experiment" : "initial experiment",
    yLabel: "normalised value (0 = low bound, 1 = high bound)",
    yDomain: [0, 1],
    integerX: true,
    series: INPUT_NAMES.map((name, k) => ({ name, x, y: z.map((r) => r[k]), dots: true })),
  });
}

/** Write both plots into `dir`; returns their paths. */
export async function writeCampaignPlots(
  experiments: readonly ExperimentRecord[],
  dir: string,
  space: SearchSpace = DEFAULT_SPACE,
): Promise<{ bestSoFar: string; parameters: string }> {
  mkdirSync(dir, { recursive: true });
  const bestSoFar = join(dir, CAMPAIGN_PLOTS.bestSoFar);
  const parameters = join(dir, CAMPAIGN_PLOTS.parameters);
  writeFileSync(bestSoFar, await bestSoFarSvg(experiments));
  writeFileSync(parameters, await parametersSvg(experiments, space));
  return { bestSoFar, parameters };
}
