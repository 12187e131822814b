import { Rng } from "../../core/rng.js";
import type { ExplainTwinOptions, OutputExplanation, TwinExplanation } from "../insight/explainTwin.js";
import type { SurfaceModel } from "../insight/responseSurface.js";
import { exactShap, EXACT_MAX_INPUTS } from "../insight/shapExact.js";
import { kernelShap } from "../insight/shapKernel.js";
import { summarizeShap } from "../insight/shapSummary.js";
import type { ProblemTwin } from "./problemTwin.js";

/** Key of the objective among a problem explanation's outputs (then the outcome names). */
export const OBJECTIVE_KEY = "objective";

/**
 * SHAP of a problem twin's objective and outcomes (what `sdfl twin explain` computes for it):
 * the paper twin's explanation with the problem's own outputs, units and labels.
 */
export interface ProblemExplanation extends Omit<TwinExplanation, "outputs" | "definitions"> {
  problem: string;
  /** "objective", then the outcome names, in the problem's order. */
  outputNames: string[];
  outputs: Record<string, OutputExplanation>;
  /** What each output is, one sentence. */
  definitions: Record<string, string>;
  /** Short axis/heading label per output, with its unit. */
  labels: Record<string, string>;
}

/**
 * Interventional SHAP (exact up to 12 inputs, else Kernel SHAP) of the ensemble mean of
 * the objective (per member by the problem's formula, as measured: not negated for
 * minimize) and of every outcome, all through one batched prediction.
 */
export function explainProblemTwin(twin: ProblemTwin, options: ExplainTwinOptions): ProblemExplanation {
  const t0 = performance.now();
  const rng = new Rng(options.seed ?? 1);
  const d = twin.inputs.length;
  let background = options.background.map((r) => [...r]);
  if (options.maxBackground !== undefined && options.maxBackground < background.length)
    background = rng.shuffle(background).slice(0, Math.max(1, options.maxBackground));
  const X = (options.points ?? options.background).map((r) => [...r]);
  for (const r of [...background, ...X])
    if (r.length !== d) throw new RangeError(`a row has ${r.length} inputs; the twin has ${d} (${twin.inputs.join(", ")})`);
  const p = twin.problem;
  const outcomes = twin.outcomeSpecs;
  const outputNames = [OBJECTIVE_KEY, ...outcomes.map((o) => o.name)];
  let evaluations = 0;
  let predictMs = 0;
  const f = (pts: readonly (readonly number[])[]) => {
    const s = performance.now();
    evaluations += pts.length;
    const post = twin.predict(pts);
    predictMs += performance.now() - s;
    return [post.objective.mean, ...outcomes.map((o) => post.outcomes[o.name].mean)];
  };
  const method = options.method ?? (d <= EXACT_MAX_INPUTS ? "exact" : "kernel");
  const inputs = [...twin.inputs];
  const shap = method === "exact" ? exactShap(f, X, background, inputs) : kernelShap(f, X, background, { rng, samples: options.kernelSamples, inputs });
  const outputs: Record<string, OutputExplanation> = {};
  outputNames.forEach((name, k) => (outputs[name] = { ...shap[k], ...summarizeShap(shap[k], X) }));
  const unit = (u: string) => (u ? ` (${u})` : "");
  const definitions: Record<string, string> = {
    [OBJECTIVE_KEY]: `${p.objective.name} = ${p.objective.formula} (${p.objective.goal}): mean over ensemble members of each member's objective, computed from the member's own outcomes`,
  };
  const labels: Record<string, string> = { [OBJECTIVE_KEY]: `${p.objective.name}${unit(p.objective.unit)}` };
  for (const o of outcomes) {
    definitions[o.name] = `${o.name}${unit(o.unit)}: ensemble mean${o.description ? ` (${o.description})` : ""}`;
    labels[o.name] = `${o.name}${unit(o.unit)}`;
  }
  return {
    twin: twin.source,
    problem: p.name,
    inputs,
    units: twin.units,
    method,
    background,
    X,
    outputNames,
    outputs,
    definitions,
    labels,
    timing: { evaluations, predictMs, totalMs: performance.now() - t0 },
  };
}

/** A problem twin's objective (mean and member std) as the target of response surfaces. */
export function objectiveSurfaceModel(twin: ProblemTwin): SurfaceModel {
  return {
    inputs: twin.inputs,
    inputBounds: twin.inputBounds,
    target: (points) => {
      const p = twin.predict(points).objective;
      return { mean: p.mean, std: p.std };
    },
  };
}
