/**
 * Steady-state chemistry: the twin (fully mixed, completed synthesis) times the regime
 * factors of the actual flow and reaction time. Batched: one twin.predict per call.
 */
import type { Twin } from "../twin/twin.js";
import { plqyProxy } from "../twin/plqy.js";
import type { Condition } from "../twin/space.js";
import { reactionTime_s, reactorFlow } from "./flow.js";
import type { ReactorParams } from "./params.js";
import { regimeFactors } from "./regimes.js";

/** One steady-state query: the droplet chemistry the twin sees plus the regime the reactor imposes. */
export interface SteadyStateInput {
  /** Twin input in physical units [T (actual plate temperature, degC), CuI, ZnI2, CsOA, ODE (uL/min)]. */
  chemistry: readonly number[];
  /** Total flow through the reactor (precursors + PFO), uL/min. */
  totalFlow_uL_min: number;
  /** Reaction time in the heated zone, s. */
  reactionTime_s: number;
}

/** Steady-state features for n queries, each array of shape [n]. */
export interface SteadyStateBatch {
  abs300: Float64Array;
  pla: Float64Array;
  peak446: Float64Array;
  /** PLQY proxy of (abs300, pla). */
  plqy: Float64Array;
}

/** Options of the truth model. */
export interface SteadyStateOptions {
  /**
   * Which twin output is the truth: "mean" (ensemble mean of Abs300 and PLA, default)
   * or the index of one member (a different but equally plausible reactor).
   */
  truth?: "mean" | number;
  /** PL intensity at 446 nm per unit PL area, 1/nm (from the emission band shape). */
  peakPerArea_per_nm: number;
}

/**
 * The noise-free steady state of the reactor. Chemistry outside the twin's input box is
 * clamped to the box (the twin is never extrapolated); the regime factors carry the
 * effect of flows and times outside it.
 */
export class SteadyStateModel {
  private readonly truth: "mean" | number;

  constructor(
    readonly twin: Twin,
    readonly params: ReactorParams,
    readonly options: SteadyStateOptions,
  ) {
    this.truth = options.truth ?? "mean";
    if (this.truth !== "mean" && !(Number.isInteger(this.truth) && this.truth >= 0 && this.truth < twin.memberCount)) {
      throw new RangeError(`truth member ${this.truth} does not exist (the twin has ${twin.memberCount} members)`);
    }
  }

  /** Query for a condition at the nominal geometry, the plate at the set point. */
  nominalInput(c: Condition, plate_degC = c.T): SteadyStateInput {
    const q = reactorFlow(c, this.params.geometry);
    return { chemistry: [plate_degC, c.CuI, c.ZnI2, c.CsOA, c.ODE], totalFlow_uL_min: q, reactionTime_s: reactionTime_s(q, this.params.geometry) };
  }

  /** Noise-free features at each condition (nominal geometry, plate at set point). Shape [n]. */
  evaluateConditions(conditions: readonly Condition[]): SteadyStateBatch {
    return this.evaluate(conditions.map((c) => this.nominalInput(c)));
  }

  /** Noise-free features for each query, one twin call. Shape [n]. */
  evaluate(inputs: readonly SteadyStateInput[]): SteadyStateBatch {
    const n = inputs.length;
    const bounds = this.twin.inputBounds;
    const points = inputs.map((q) => q.chemistry.map((v, j) => Math.min(bounds[j][1], Math.max(bounds[j][0], v))));
    const post = this.twin.predict(points);
    const out: SteadyStateBatch = { abs300: new Float64Array(n), pla: new Float64Array(n), peak446: new Float64Array(n), plqy: new Float64Array(n) };
    const k = this.truth;
    for (let i = 0; i < n; i++) {
      const f = regimeFactors(inputs[i].totalFlow_uL_min, inputs[i].reactionTime_s, this.params.regimes);
      const a = (k === "mean" ? post.absMean[i] : post.abs[k * n + i]) * f.abs;
      const p = (k === "mean" ? post.plaMean[i] : post.pla[k * n + i]) * f.pla;
      out.abs300[i] = a;
      out.pla[i] = p;
      out.peak446[i] = p * this.options.peakPerArea_per_nm;
      out.plqy[i] = plqyProxy(a, p, this.twin.plqyReference);
    }
    return out;
  }
}
