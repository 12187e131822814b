import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Problem } from "../bo/problem/problem.js";
import { normalize, toArray, type SearchSpace } from "../bo/problem/space.js";
import { lineChartSvg } from "./svg/lineChart.js";
import type { ExperimentRecord } from "../bo/campaign/journal.js";

/** File names of the campaign plots. */
export const CAMPAIGN_PLOTS = { bestSoFar: "best-so-far.svg", parameters: "parameters.svg" } as const;

/**
 * Best measured objective so far against experiment number (1-based, all done experiments
 * in order), with each measurement as a dot and the initial phase shaded (paper Fig. 7A).
 */
export async function bestSoFarSvg(experiments: readonly ExperimentRecord[], problem: Pick<Problem, "objective">, title?: string): Promise<string> {
  const sign = problem.objective.goal === "minimize" ? -1 : 1;
  const done = experiments.filter((e) => e.status === "done" && e.measurement);
  const x = done.map((_, i) => i + 1);
  const y = done.map((e) => e.measurement!.objective);
  const best: number[] = [];
  for (const v of y) best.push(best.length && sign * best[best.length - 1] > sign * v ? best[best.length - 1] : v);
  const nInit = done.filter((e) => e.phase === "init").length;
  return lineChartSvg({
    title: title ?? `Campaign: best ${problem.objective.name} so far`,
    xLabel: "experiment number",
    yLabel: problem.objective.unit ? `${problem.objective.name} (${problem.objective.unit})` : problem.objective.name,
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
export async function parametersSvg(experiments: readonly ExperimentRecord[], space: SearchSpace): Promise<string> {
  const done = experiments.filter((e) => e.status === "done" && e.measurement);
  const chosen = done.filter((e) => e.phase !== "init");
  const shown = chosen.length > 0 ? chosen : done;
  const x = shown.map((_, i) => i + 1);
  const z = shown.map((e) => normalize(space, toArray(space, e.measurement!.condition)));
  return lineChartSvg({
    title: `Campaign: normalised parameters of the ${chosen.length > 0 ? "optimizer-chosen" : "initial"} experiments`,
    xLabel: chosen.length > 0 ? "optimizer experiment" : "initial experiment",
    yLabel: "normalised value (0 = low bound, 1 = high bound)",
    yDomain: [0, 1],
    integerX: true,
    series: space.inputs.map(({ name }, k) => ({ name, x, y: z.map((r) => r[k]), dots: true })),
  });
}

/** Write both plots into `dir`; returns their paths. */
export async function writeCampaignPlots(
  experiments: readonly ExperimentRecord[],
  dir: string,
  problem: Problem,
): Promise<{ bestSoFar: string; parameters: string }> {
  mkdirSync(dir, { recursive: true });
  const bestSoFar = join(dir, CAMPAIGN_PLOTS.bestSoFar);
  const parameters = join(dir, CAMPAIGN_PLOTS.parameters);
  writeFileSync(bestSoFar, await bestSoFarSvg(experiments, problem));
  writeFileSync(parameters, await parametersSvg(experiments, problem.space));
  return { bestSoFar, parameters };
}
