import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { explainPageHtml } from "./explainPage.js";
import type { FigureSpec } from "./html.js";
import type { Twin } from "../twin/twin.js";
import { beeswarmSvg } from "./svg/beeswarm.js";
import { explainTwin, shapJson, type ExplainTwinOptions, type TwinExplanation } from "../twin/insight/explainTwin.js";
import { responseSurfaces, type SurfaceOptions, type SurfacePair } from "../twin/insight/responseSurface.js";
import { surfacesSvg } from "./svg/surfaces.js";
import { EXPLAINED_OUTPUTS } from "../twin/insight/twinBlackBox.js";

/** SVG figures of an explanation, as documents. */
export interface ExplanationFigures {
  /** Output name -> beeswarm SVG (PLQY, Abs300nm, PLA). */
  beeswarm: Record<string, string>;
  /** Predicted-PLQY surfaces and their ensemble std, top-3 inputs. */
  surfaces: string;
  surfacesStd: string;
}

/** An explanation with its surfaces and figures. */
export interface ExplanationBundle {
  explanation: TwinExplanation;
  surfaces: SurfacePair[];
  figures: ExplanationFigures;
  timing: { shapMs: number; surfacesMs: number; plotsMs: number };
}

const OUTPUT_LABELS: Record<string, string> = { PLQY: "PLQY proxy", Abs300nm: "Abs300nm", PLA: "PLA (counts x nm)" };

/**
 * SHAP for every output, response surfaces over the top three inputs by PLQY SHAP, and
 * their SVG figures. `progress` receives one line per stage.
 */
export async function buildExplanation(
  twin: Twin,
  options: ExplainTwinOptions & {
    surfaces?: SurfaceOptions;
    /** Measured conditions and the best one, drawn on the surfaces (campaign reports). */
    marks?: { points?: readonly Record<string, number>[]; optimum?: Record<string, number> };
  },
  progress: (line: string) => void = () => {},
): Promise<ExplanationBundle> {
  const n = (options.points ?? options.background).length;
  const m = Math.min(options.background.length, options.maxBackground ?? Infinity);
  progress(`explain: SHAP of ${n} points over ${m} background rows (all coalitions in batched twin calls)`);
  let t = performance.now();
  let shown = -Infinity;
  const explanation = explainTwin(twin, {
    ...options,
    // Progress inside the SHAP computation: share done and the time left, at most once a second.
    onProgress: (done, total, ms) => {
      const now = performance.now();
      if (done >= total || now - shown < 1000) return;
      shown = now;
      progress(
        `explain: SHAP ${Math.round((100 * done) / total)} % (${done} of ${total} twin evaluations), about ${secondsText(((ms / done) * (total - done)) / 1000)} left`,
      );
    },
  });
  const shapMs = performance.now() - t;
  const top = explanation.outputs.PLQY.ranking.slice(0, 3);
  progress(
    `explain: SHAP done in ${(shapMs / 1000).toFixed(1)} s (${explanation.timing.evaluations} distinct twin evaluations); PLQY ranking ${explanation.outputs.PLQY.ranking.join(" > ")}`,
  );
  progress(`explain: response surfaces over ${top.join(", ")}`);
  t = performance.now();
  const surfaces = responseSurfaces(twin, top, options.surfaces);
  const surfacesMs = performance.now() - t;
  t = performance.now();
  const units = Object.fromEntries(explanation.inputs.map((name, k) => [name, explanation.units[k]]));
  const beeswarm: Record<string, string> = {};
  for (const o of EXPLAINED_OUTPUTS) {
    beeswarm[o] = await beeswarmSvg(explanation.outputs[o], explanation.X, {
      title: `SHAP summary: ${OUTPUT_LABELS[o]}`,
      xLabel: `SHAP value (impact on ${OUTPUT_LABELS[o]})`,
      units: explanation.units,
    });
  }
  const surfacesSvgText = await surfacesSvg(surfaces, {
    layer: "mean",
    title: "Predicted PLQY proxy over the three most important inputs",
    units,
    ...options.marks,
  });
  const stdSvgText = await surfacesSvg(surfaces, { layer: "std", title: "Ensemble standard deviation of the predicted PLQY proxy", units, ...options.marks });
  const plotsMs = performance.now() - t;
  progress(`explain: plots done (${((surfacesMs + plotsMs) / 1000).toFixed(1)} s for surfaces and plots)`);
  return { explanation, surfaces, figures: { beeswarm, surfaces: surfacesSvgText, surfacesStd: stdSvgText }, timing: { shapMs, surfacesMs, plotsMs } };
}

/** A duration for a progress line: "8 s", "3 min". */
function secondsText(s: number): string {
  return s < 90 ? `${Math.max(1, Math.round(s))} s` : `${Math.round(s / 60)} min`;
}

/** File names written by {@link writeExplanation}. */
export const EXPLAIN_FILES = {
  json: "shap.json",
  surfacesJson: "surfaces.json",
  beeswarm: { PLQY: "shap-plqy.svg", Abs300nm: "shap-abs300nm.svg", PLA: "shap-pla.svg" } as Record<string, string>,
  surfaces: "surfaces-plqy.svg",
  surfacesStd: "surfaces-plqy-std.svg",
  index: "index.html",
} as const;

/** The figures of an explanation as page figures (inlined SVG when `inline`, else file references). */
export function explanationFigures(b: ExplanationBundle, inline: boolean): FigureSpec[] {
  const top = b.explanation.outputs.PLQY.ranking.slice(0, 3);
  const fig = (id: string, title: string, file: string, svg: string, caption: string): FigureSpec =>
    inline ? { id, title, svg, caption } : { id, title, src: file, caption };
  return [
    fig(
      "shap-plqy",
      "SHAP summary of the PLQY proxy",
      EXPLAIN_FILES.beeswarm.PLQY,
      b.figures.beeswarm.PLQY,
      "Inputs from most to least important; a dot per explained point at its SHAP value, coloured by the point's input value (blue low, red high).",
    ),
    fig(
      "surfaces-plqy",
      "Response surfaces of the predicted PLQY proxy",
      EXPLAIN_FILES.surfaces,
      b.figures.surfaces,
      `Pairs of ${top.join(", ")}; columns hold the other inputs at low, medium and high levels.`,
    ),
    fig(
      "surfaces-plqy-std",
      "Ensemble standard deviation on the same surfaces",
      EXPLAIN_FILES.surfacesStd,
      b.figures.surfacesStd,
      "Where the ensemble members disagree: the twin is least certain there.",
    ),
    fig("shap-abs300nm", "SHAP summary of Abs300nm", EXPLAIN_FILES.beeswarm.Abs300nm, b.figures.beeswarm.Abs300nm, "Ensemble mean absorbance at 300 nm."),
    fig("shap-pla", "SHAP summary of PLA", EXPLAIN_FILES.beeswarm.PLA, b.figures.beeswarm.PLA, "Ensemble mean PL area."),
  ];
}

/** Write shap.json, surfaces.json, the SVGs and index.html into `outDir`; returns the shap.json document. */
export function writeExplanation(b: ExplanationBundle, outDir: string, meta: { data: string }): Record<string, unknown> {
  mkdirSync(outDir, { recursive: true });
  const json = shapJson(b.explanation, { data: meta.data, timing: { ...b.explanation.timing, ...b.timing } });
  writeFileSync(join(outDir, EXPLAIN_FILES.json), JSON.stringify(json, null, 1));
  writeFileSync(join(outDir, EXPLAIN_FILES.surfacesJson), JSON.stringify({ definition: b.explanation.definitions.PLQY, pairs: b.surfaces }));
  for (const o of EXPLAINED_OUTPUTS) writeFileSync(join(outDir, EXPLAIN_FILES.beeswarm[o]), b.figures.beeswarm[o]);
  writeFileSync(join(outDir, EXPLAIN_FILES.surfaces), b.figures.surfaces);
  writeFileSync(join(outDir, EXPLAIN_FILES.surfacesStd), b.figures.surfacesStd);
  const p = b.explanation.outputs.PLQY;
  writeFileSync(
    join(outDir, EXPLAIN_FILES.index),
    explainPageHtml({
      twin: b.explanation.twin,
      data: meta.data,
      definition: b.explanation.definitions.PLQY,
      method: String(json.method),
      ranking: p.ranking,
      meanAbs: p.meanAbs,
      direction: p.direction,
      figures: explanationFigures(b, false),
      files: [EXPLAIN_FILES.json, EXPLAIN_FILES.surfacesJson],
    }),
  );
  return json;
}
