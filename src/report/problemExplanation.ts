import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { explainPageHtml } from "./explainPage.js";
import type { FigureSpec } from "./html.js";
import { beeswarmSvg } from "./svg/beeswarm.js";
import { surfacesSvg } from "./svg/surfaces.js";
import { shapOutputJson, type ExplainTwinOptions } from "../twin/insight/explainTwin.js";
import { responseSurfaces, type SurfaceOptions, type SurfacePair } from "../twin/insight/responseSurface.js";
import { explainProblemTwin, objectiveSurfaceModel, OBJECTIVE_KEY, type ProblemExplanation } from "../twin/generic/explainProblemTwin.js";
import type { ProblemTwin } from "../twin/generic/problemTwin.js";

/** A problem twin's explanation with its objective surfaces and figures (SVG documents). */
export interface ProblemExplanationBundle {
  explanation: ProblemExplanation;
  surfaces: SurfacePair[];
  /** Output key ("objective", outcome names) -> beeswarm SVG. */
  beeswarm: Record<string, string>;
  surfacesSvg: string;
  surfacesStdSvg: string;
  timing: { shapMs: number; surfacesMs: number; plotsMs: number };
}

/** File names written by {@link writeProblemExplanation}; beeswarms are `shap-<output>.svg`. */
export const PROBLEM_EXPLAIN_FILES = {
  json: "shap.json",
  surfacesJson: "surfaces.json",
  surfaces: "surfaces-objective.svg",
  surfacesStd: "surfaces-objective-std.svg",
  index: "index.html",
} as const;

/** The beeswarm file of an output key (names are letters, digits and _, so safe in file names). */
export function beeswarmFile(output: string): string {
  return `shap-${output.toLowerCase()}.svg`;
}

/**
 * SHAP of a problem twin's objective and outcomes, response surfaces of the predicted
 * objective over the three most important inputs (by the objective's SHAP), and their
 * figures labelled with the problem's names and units.
 */
export async function buildProblemExplanation(
  twin: ProblemTwin,
  options: ExplainTwinOptions & { surfaces?: SurfaceOptions },
  progress: (line: string) => void = () => {},
): Promise<ProblemExplanationBundle> {
  const n = (options.points ?? options.background).length;
  progress(`explain: SHAP of ${n} points of problem ${twin.problem.name} (objective and ${twin.spec.outcomes.length} outcome(s), one batched prediction)`);
  let t = performance.now();
  const explanation = explainProblemTwin(twin, options);
  const shapMs = performance.now() - t;
  const obj = explanation.outputs[OBJECTIVE_KEY];
  const top = obj.ranking.slice(0, 3);
  progress(`explain: SHAP done in ${(shapMs / 1000).toFixed(1)} s; ${twin.problem.objective.name} ranking ${obj.ranking.join(" > ")}`);
  t = performance.now();
  const surfaces = top.length >= 2 ? responseSurfaces(objectiveSurfaceModel(twin), top, options.surfaces) : [];
  const surfacesMs = performance.now() - t;
  t = performance.now();
  const units = Object.fromEntries(explanation.inputs.map((name, k) => [name, explanation.units[k]]));
  const beeswarm: Record<string, string> = {};
  for (const o of explanation.outputNames) {
    const label = explanation.labels[o];
    beeswarm[o] = await beeswarmSvg(explanation.outputs[o], explanation.X, {
      title: `SHAP summary: ${label}${o === OBJECTIVE_KEY ? " (objective)" : ""}`,
      xLabel: `SHAP value (impact on ${label})`,
      units: explanation.units,
    });
  }
  const quantity = explanation.labels[OBJECTIVE_KEY];
  // A one-input problem has no pairs to draw.
  const surfacesSvgText = surfaces.length
    ? await surfacesSvg(surfaces, { layer: "mean", title: `Predicted ${quantity} over the most important inputs`, units, quantity })
    : "";
  const stdSvgText = surfaces.length
    ? await surfacesSvg(surfaces, { layer: "std", title: `Ensemble standard deviation of the predicted ${quantity}`, units, quantity })
    : "";
  const plotsMs = performance.now() - t;
  return { explanation, surfaces, beeswarm, surfacesSvg: surfacesSvgText, surfacesStdSvg: stdSvgText, timing: { shapMs, surfacesMs, plotsMs } };
}

/** Every file {@link writeProblemExplanation} writes for a twin (to check the output folder first). */
export function problemExplainFiles(twin: ProblemTwin): string[] {
  return [...Object.values(PROBLEM_EXPLAIN_FILES), beeswarmFile(OBJECTIVE_KEY), ...twin.spec.outcomes.map((o) => beeswarmFile(o.name))];
}

/** Write shap.json, surfaces.json, the SVGs and index.html into `outDir`; returns the shap.json document. */
export function writeProblemExplanation(b: ProblemExplanationBundle, outDir: string, meta: { data: string }): Record<string, unknown> {
  mkdirSync(outDir, { recursive: true });
  const e = b.explanation;
  const obj = e.outputs[OBJECTIVE_KEY];
  const method = `${e.method} interventional Shapley values over ${e.background.length} background rows`;
  const json = {
    target: OBJECTIVE_KEY,
    problem: e.problem,
    definition: e.definitions[OBJECTIVE_KEY],
    twin: e.twin,
    data: meta.data,
    method,
    inputs: e.inputs,
    units: e.units,
    ranking: obj.ranking,
    meanAbs: obj.meanAbs,
    direction: obj.direction,
    correlation: obj.correlation,
    base: obj.base,
    points: e.X,
    fx: obj.fx,
    values: obj.values,
    outputs: Object.fromEntries(
      e.outputNames.map((o) => {
        const x = e.outputs[o];
        return [o, { definition: e.definitions[o], label: e.labels[o], ...shapOutputJson(x) }];
      }),
    ),
    background: e.background,
    timing: { ...e.timing, ...b.timing },
  };
  writeFileSync(join(outDir, PROBLEM_EXPLAIN_FILES.json), JSON.stringify(json, null, 1));
  writeFileSync(join(outDir, PROBLEM_EXPLAIN_FILES.surfacesJson), JSON.stringify({ definition: e.definitions[OBJECTIVE_KEY], pairs: b.surfaces }));
  for (const o of e.outputNames) writeFileSync(join(outDir, beeswarmFile(o)), b.beeswarm[o]);
  if (b.surfacesSvg) writeFileSync(join(outDir, PROBLEM_EXPLAIN_FILES.surfaces), b.surfacesSvg);
  if (b.surfacesStdSvg) writeFileSync(join(outDir, PROBLEM_EXPLAIN_FILES.surfacesStd), b.surfacesStdSvg);
  const label = e.labels[OBJECTIVE_KEY];
  const figures: FigureSpec[] = [
    {
      id: "shap-objective",
      title: `SHAP summary of ${label}`,
      src: beeswarmFile(OBJECTIVE_KEY),
      caption: "Inputs from most to least important; a dot per explained point at its SHAP value, coloured by the point's input value (blue low, red high).",
    },
    {
      id: "surfaces-objective",
      title: `Response surfaces of the predicted ${label}`,
      src: PROBLEM_EXPLAIN_FILES.surfaces,
      caption: `Pairs of ${obj.ranking.slice(0, 3).join(", ")}; columns hold the other inputs at low, medium and high levels.`,
    },
    {
      id: "surfaces-objective-std",
      title: "Ensemble standard deviation on the same surfaces",
      src: PROBLEM_EXPLAIN_FILES.surfacesStd,
      caption: "Where the ensemble members disagree: the twin is least certain there.",
    },
  ].filter((f) => b.surfacesSvg || !f.id.startsWith("surfaces"));
  figures.push(
    ...e.outputNames
      .slice(1)
      .map((o) => ({ id: `shap-${o.toLowerCase()}`, title: `SHAP summary of ${e.labels[o]}`, src: beeswarmFile(o), caption: e.definitions[o] })),
  );
  writeFileSync(
    join(outDir, PROBLEM_EXPLAIN_FILES.index),
    explainPageHtml({
      twin: e.twin,
      data: meta.data,
      definition: e.definitions[OBJECTIVE_KEY],
      method,
      ranking: obj.ranking,
      meanAbs: obj.meanAbs,
      direction: obj.direction,
      figures,
      files: [PROBLEM_EXPLAIN_FILES.json, PROBLEM_EXPLAIN_FILES.surfacesJson],
      target: label,
    }),
  );
  return json;
}
