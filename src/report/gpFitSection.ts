import type { ExperimentRecord, FitRecord } from "../bo/campaign/journal.js";
import type { SearchSpace } from "../bo/problem/space.js";
import { escapeHtml, figureHtml } from "./html.js";
import { gpFitViews, gpLeaveOneOut, type GpFitView } from "./gpFitInfo.js";
import { paritySvg } from "./svg/parityPlot.js";

/** A report section: a heading and its HTML body. */
export interface ReportSection {
  id: string;
  title: string;
  html: string;
}

const g4 = (v: number): string => (Number.isFinite(v) ? (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toPrecision(4)) : "-");

/**
 * The "Gaussian-process fit" section of a campaign report, from the store's surrogate
 * fits: the newest GP fit's hyper-parameters (noise and signal std in objective units,
 * one length scale per input in its own unit, the MAP objective), a leave-one-out parity
 * plot of that fit, and how the hyper-parameters moved over the campaign. Undefined when
 * the campaign fitted no GP (ENN, random or module strategies).
 */
export async function gpFitSection(
  fits: readonly FitRecord[],
  experiments: readonly ExperimentRecord[],
  space: SearchSpace,
  objective: string,
): Promise<ReportSection | undefined> {
  const views = gpFitViews(fits, space);
  if (views.length === 0) return undefined;
  const last = views[views.length - 1];
  const loo = gpLeaveOneOut(last, experiments, space);
  const facts: [string, string][] = [
    ["fit", `before experiment ${last.index + 1}, on ${last.n} measured experiments (${views.length} GP fits in the campaign)`],
    [
      "kernel",
      `${last.kernel === "matern52-ard" ? "Matern 5/2 with one length scale per input (ARD)" : last.kernel}, ${last.priorMean} prior mean, ${last.priors} priors`,
    ],
    ["noise std", `${g4(last.noiseSd)} (${objective} units, ${last.noiseMode === "fixed" ? "declared with --noise-sd" : "estimated"})`],
    ["signal std", `${g4(last.signalSd)} (${objective} units)`],
    ["log marginal likelihood", `${g4(last.logMarginalLikelihood)} (with the log prior of the hyper-parameters, on standardised ${objective})`],
    ["fit time", `${g4(last.seconds)} s`],
  ];
  if ("unavailable" in loo) facts.push(["leave-one-out", `not available: ${loo.unavailable}`]);
  else
    facts.push([
      "leave-one-out",
      `RMSE ${g4(loo.rmse)}, R^2 ${loo.r2.toFixed(3)}, ${Math.round(100 * loo.within2Sd)} % of measured values within 2 std (about 95 % if the GP's uncertainty is right)`,
    ]);
  const lsTable = `<table class="gp-lengthscales"><tr><th class="text">input</th><th>length scale</th><th class="text">unit</th><th>fraction of range</th></tr>${last.lengthScales
    .map(
      (l) =>
        `<tr><td class="text">${escapeHtml(l.input)}</td><td>${g4(l.value)}</td><td class="text">${escapeHtml(l.unit)}</td><td>${g4(l.unitCube)}</td></tr>`,
    )
    .join("")}</table>`;
  const history = historyTable(views);
  let figure = "";
  if (!("unavailable" in loo)) {
    const svg = await paritySvg([{ name: "leave-one-out", measured: loo.measured, predicted: loo.predicted, std: loo.std }], {
      title: `GP leave-one-out parity (fit before experiment ${last.index + 1})`,
      label: objective,
    });
    figure = figureHtml({
      id: "gp-loo",
      title: "GP leave-one-out parity",
      caption: `Each measured ${objective} against the GP's prediction (mean +- 1 std, noise included) from the other ${loo.measured.length - 1} points, hyper-parameters as fitted on all of them (so slightly optimistic).`,
      svg,
    });
  }
  const html = `<p class="note">The Gaussian process the strategy fitted to choose its last point, as the store records it. A short length scale means ${escapeHtml(objective)} changes quickly along that input (it matters more there); a length scale much longer than the range means the GP found that input nearly irrelevant.</p>
<dl class="meta">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>
<h3>Length scales (newest fit)</h3>
${lsTable}
${figure}
<h3>Hyper-parameters over the campaign</h3>
${history}
${last.warnings.length ? `<p class="note">${escapeHtml(last.warnings.join("; "))}</p>` : ""}`;
  return { id: "gp-fit", title: "Gaussian-process fit", html };
}

/** One row per GP fit (at most 30, evenly thinned, always the first and the last). */
function historyTable(views: readonly GpFitView[]): string {
  const keep = views.length <= 30 ? views : Array.from({ length: 30 }, (_, k) => views[Math.round((k * (views.length - 1)) / 29)]);
  const names = views[0].lengthScales.map((l) => `${escapeHtml(l.input)} (${escapeHtml(l.unit)})`);
  return `<table class="gp-history"><tr><th>before experiment</th><th>n</th><th>noise std</th><th>signal std</th><th>log marginal likelihood</th>${names
    .map((n) => `<th>length scale ${n}</th>`)
    .join("")}</tr>${keep
    .map(
      (v) =>
        `<tr><td>${v.index + 1}</td><td>${v.n}</td><td>${g4(v.noiseSd)}</td><td>${g4(v.signalSd)}</td><td>${g4(v.logMarginalLikelihood)}</td>${v.lengthScales
          .map((l) => `<td>${g4(l.value)}</td>`)
          .join("")}</tr>`,
    )
    .join("")}</table>`;
}
