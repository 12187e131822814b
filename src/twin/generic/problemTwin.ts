import { objectiveOf, type OutcomeSpec, type Problem } from "../../bo/problem/problem.js";
import type { CascadeMember } from "../cascade.js";
import { RAW_SPREAD, predictiveStd, type VarianceModel } from "../calibration.js";
import { normalizePoints } from "../cascadeEnsemble.js";
import { JsCascadePredictor } from "../jsPredictor.js";

/**
 * The ensemble of one measured outcome of a problem twin: cascade networks with one
 * linear output (min-max scaled), trained on the problem's inputs normalised by its bounds.
 */
export interface OutcomeEnsemble {
  name: string;
  unit: string;
  /** Output scaling: value = min + y * (max - min), outcome units. */
  scaling: { min: number; max: number };
  members: CascadeMember[];
  /** Predictive variance model (out-of-bag); absent: the member spread. */
  calibration?: VarianceModel;
}

/** Everything that defines a problem twin, independent of its file. */
export interface ProblemTwinSpec {
  problem: Problem;
  source: string;
  /** The problem's free inputs, in its order (the column order of `predict`). */
  inputs: string[];
  /** [lo, hi] per input, physical units: the normalisation (the problem's bounds). */
  inputBounds: [number, number][];
  /**
   * One ensemble per modelled outcome, in the problem's order: every required outcome, and
   * each optional one the training data gave on every row. Every one has the same member count.
   */
  outcomes: OutcomeEnsemble[];
  /** Predictive variance model of the objective (out-of-bag); absent: the member spread. */
  objectiveCalibration?: VarianceModel;
}

/** Mean, spread and predictive std of one predicted quantity over the members. */
export interface PredictedQuantity {
  /** [m*n] member-major: member k at point i is `members[k * n + i]`. */
  members: Float64Array;
  /** [n] mean over members. */
  mean: Float64Array;
  /** [n] standard deviation over members (n-1). */
  std: Float64Array;
  /** [n] calibrated predictive std (the member spread without a calibration). */
  predStd: Float64Array;
}

/** What a problem twin predicts for n points. */
export interface ProblemPosterior {
  n: number;
  m: number;
  /** By outcome name. */
  outcomes: Record<string, PredictedQuantity>;
  /** The problem's objective, computed by its formula from each member's own outcomes (as measured, not negated for minimize). */
  objective: PredictedQuantity;
}

/**
 * A twin of any problem (docs/problem.md): one ensemble per measured outcome mapping the
 * problem's free inputs to that outcome; the objective of member k is the problem's
 * formula applied to member k of every outcome ensemble (like the paper twin's PLQY
 * proxy per member). Predicts in float64 on the training kernels (WebAssembly SIMD).
 */
export class ProblemTwin {
  readonly problem: Problem;
  readonly inputs: readonly string[];
  readonly inputBounds: readonly (readonly [number, number])[];
  readonly memberCount: number;
  readonly source: string;
  /** Created on the first prediction (loading and validating a file compiles no kernels). */
  private predictors?: JsCascadePredictor[];

  constructor(readonly spec: ProblemTwinSpec) {
    this.problem = spec.problem;
    this.inputs = spec.inputs;
    this.inputBounds = spec.inputBounds;
    this.source = spec.source;
    this.memberCount = spec.outcomes[0]?.members.length ?? 0;
    if (spec.outcomes.some((o) => o.members.length !== this.memberCount)) throw new RangeError("every outcome ensemble needs the same number of members");
  }

  /** The problem's definitions of the modelled outcomes, in order. */
  get outcomeSpecs(): OutcomeSpec[] {
    return this.spec.outcomes.map((o) => this.problem.outcomes.find((x) => x.name === o.name)!);
  }

  /** Units of the inputs, in their order. */
  get units(): string[] {
    return this.inputs.map((name) => this.problem.space.inputs.find((s) => s.name === name)?.unit ?? "");
  }

  /**
   * Predict n points.
   * @param points  [n][d] physical units, in the order of {@link inputs}
   */
  predict(points: readonly (readonly number[])[]): ProblemPosterior {
    const n = points.length;
    const d = this.inputs.length;
    const m = this.memberCount;
    const z = normalizePoints(points, this.inputBounds);
    const outcomes: Record<string, PredictedQuantity> = {};
    this.predictors ??= this.spec.outcomes.map((o) => new JsCascadePredictor({ inputs: this.spec.inputs, members: o.members }));
    const predictors = this.predictors;
    const values: Float64Array[] = this.spec.outcomes.map((o, j) => {
      const y = predictors[j].forward(z, n, d);
      const { min, max } = o.scaling;
      const v = new Float64Array(m * n);
      for (let t = 0; t < m * n; t++) v[t] = min + y[t] * (max - min);
      outcomes[o.name] = summarize(v, n, m, o.calibration);
      return v;
    });
    const obj = new Float64Array(m * n);
    const names = this.spec.outcomes.map((o) => o.name);
    for (let i = 0; i < n; i++) {
      const condition: Record<string, number> = {};
      this.inputs.forEach((name, j) => (condition[name] = points[i][j]));
      for (let k = 0; k < m; k++) {
        const measured: Record<string, number> = {};
        names.forEach((name, j) => (measured[name] = values[j][k * n + i]));
        obj[k * n + i] = objectiveOf(this.problem, measured, condition);
      }
    }
    return { n, m, outcomes, objective: summarize(obj, n, m, this.spec.objectiveCalibration) };
  }

  /** Nothing to release (float64 kernels only); here so callers treat every twin alike. */
  dispose(): void {}
}

/** Mean, spread (n-1) and predictive std over the members of member-major values [m*n]. */
export function summarize(members: Float64Array, n: number, m: number, calibration: VarianceModel = RAW_SPREAD): PredictedQuantity {
  const mean = new Float64Array(n);
  const std = new Float64Array(n);
  const predStd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += members[k * n + i];
    const mu = s / m;
    let ss = 0;
    for (let k = 0; k < m; k++) ss += (members[k * n + i] - mu) ** 2;
    mean[i] = mu;
    std[i] = m > 1 ? Math.sqrt(ss / (m - 1)) : 0;
    predStd[i] = predictiveStd(std[i], calibration);
  }
  return { members, mean, std, predStd };
}
