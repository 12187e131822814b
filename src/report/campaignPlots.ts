import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Problem } from "../bo/problem/problem.js";
import { normalize, toArray, type SearchSpace } from "../bo/problem/space.js";
import { lineChartSvg, type ChartSpec } from "./svg/lineChart.js";
import { ROLE_COLORS } from "./svg/palette.js";
import type { ExperimentRecord } from "../bo/campaign/journal.js";

/** File names of the campaign plots. */
export const CAMPAIGN_PLOTS = { bestSoFar: "best-so-far.svg", parameters: "parameters.svg" } as const;

/**
 * Best measured objective so far against experiment number (store index + 1, the number
 * every other output uses; done experiments only; paper Fig. 7A). The initial design is shaded and drawn as dots only: its
 * order (the published LHS is sorted by T) is no progress, so the best-so-far step line
 * starts at the best of the initial design. For a non-negative maximised objective (the
 * PLQY proxy) the y axis starts at 0. `objectiveName` overrides the problem's name (a
 * test-function lab measures the function's value, not a PLQY).
 */
export async function bestSoFarSvg(
  experiments: readonly ExperimentRecord[],
  problem: Pick<Problem, "objective">,
  title?: string,
  objectiveName?: string,
): Promise<string> {
  return lineChartSvg(bestSoFarSpec(experiments, problem, title, objectiveName));
}

/** The chart {@link bestSoFarSvg} draws, as data. */
export function bestSoFarSpec(
  experiments: readonly ExperimentRecord[],
  problem: Pick<Problem, "objective">,
  title?: string,
  objectiveName?: string,
): ChartSpec {
  const sign = problem.objective.goal === "minimize" ? -1 : 1;
  const name = objectiveName ?? displayName(problem.objective.name);
  const unit = objectiveName ? "" : problem.objective.unit;
  const done = experiments.filter((e) => e.status === "done" && e.measurement);
  // The experiment's own number (store index + 1), as on screen, in summary.json and in the report's table.
  const x = done.map((e) => e.index + 1);
  const y = done.map((e) => e.measurement!.objective);
  const nInit = done.filter((e) => e.phase === "init").length;
  // The step line starts at the last initial experiment, at the best of the whole initial design.
  const start = Math.max(0, nInit - 1);
  const better = (a: number, b: number) => (sign * a >= sign * b ? a : b);
  const best: number[] = [];
  let running = y.slice(0, start + 1).reduce(better);
  for (let i = start; i < y.length; i++) best.push((running = better(running, y[i])));
  const finite = y.filter(Number.isFinite);
  const fromZero = sign > 0 && finite.length > 0 && Math.min(...finite) >= 0;
  return {
    title: title ?? `Campaign: best ${name} so far`,
    xLabel: "experiment number",
    yLabel: unit ? `${name} (${unit})` : name,
    integerX: true,
    series: [
      { name: "measured", x, y, dots: true, noLine: true, color: ROLE_COLORS.measured },
      { name: "best so far", x: x.slice(start), y: best, step: true, color: ROLE_COLORS.best },
    ],
    ...(fromZero ? { yDomain: [0, Math.max(...finite) * 1.05 || 1] as const } : {}),
    ...(nInit > 0 ? { shade: { x0: 0.5, x1: x[nInit - 1] + 0.5, label: "initial data (file order)" } } : {}),
  };
}

/** How figures name an objective: the paper problem's "plqy" is the PLQY proxy (as in the report); other names as given. */
function displayName(name: string): string {
  return name === "plqy" ? "PLQY proxy" : name;
}

/**
 * The normalised value (0 = lower bound, 1 = upper bound) of each input chosen at each
 * optimizer experiment, against its experiment number (store index + 1; paper Fig. 7B). A campaign without optimizer
 * experiments yet shows its initial experiments instead.
 */
export async function parametersSvg(experiments: readonly ExperimentRecord[], space: SearchSpace): Promise<string> {
  const done = experiments.filter((e) => e.status === "done" && e.measurement);
  const chosen = done.filter((e) => e.phase !== "init");
  const shown = chosen.length > 0 ? chosen : done;
  const x = shown.map((e) => e.index + 1);
  const z = shown.map((e) => normalize(space, toArray(space, e.measurement!.condition)));
  return lineChartSvg({
    title: `Campaign: normalised parameters of the ${chosen.length > 0 ? "optimizer-chosen" : "initial"} experiments`,
    xLabel: `experiment number (${chosen.length > 0 ? "optimizer-chosen" : "initial"} experiments)`,
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
  /** Overrides the problem's objective name (a test-function lab's value). */
  objectiveName?: string,
): Promise<{ bestSoFar: string; parameters: string }> {
  mkdirSync(dir, { recursive: true });
  const bestSoFar = join(dir, CAMPAIGN_PLOTS.bestSoFar);
  const parameters = join(dir, CAMPAIGN_PLOTS.parameters);
  writeFileSync(bestSoFar, await bestSoFarSvg(experiments, problem, undefined, objectiveName));
  writeFileSync(parameters, await parametersSvg(experiments, problem.space));
  return { bestSoFar, parameters };
}
