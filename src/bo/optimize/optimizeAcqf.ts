import { UsageError } from "../../core/errors.js";
import { Rng } from "../../core/rng.js";
import type { AcquisitionObjective } from "../acquisition/objective.js";
import { maximinLatinHypercube } from "../design/lhs.js";
import { SobolSequence } from "../design/sobol.js";
import { SOBOL_MAX_DIMENSION } from "../design/sobolDirections.js";
import { isFeasible, project, type FeasibleSet } from "./feasibleSet.js";
import { finiteDifferenceGradient } from "./finiteDifference.js";
import { projectedGradientAscent } from "./projectedGradient.js";
import { selectStarts, TopK } from "./topCandidates.js";

/** A ball no proposal may fall into (an observed or pending point), unit-cube units. */
export interface ExcludedBall {
  center: readonly number[];
  radius: number;
}

/** Everything the acquisition optimiser needs, validated before any work. */
export interface OptimizeAcqfInputs {
  objective: AcquisitionObjective;
  /** Box and linear bands, in the objective's coordinates (normally the unit cube). */
  feasible: FeasibleSet;
  /** Space-filling candidates evaluated first (integer >= 1). */
  rawSamples: number;
  /** Local refinements started from the best distinct candidates (integer, 0 <= restarts <= rawSamples). */
  restarts: number;
  /** Projected-gradient iterations per restart. Default 100. */
  maxIterations?: number;
  /** Seed of the scrambled raw design. */
  seed: number;
  /** "sobol" (default) or "lhs" (maximin LHS, only for small rawSamples). */
  design?: "sobol" | "lhs";
  excluded?: readonly ExcludedBall[];
  /**
   * Candidates evaluated besides the raw design (e.g. points near the model's current
   * best), projected onto the feasible set; those inside an excluded ball are skipped.
   */
  extraCandidates?: readonly (readonly number[])[];
  /** Raw candidates evaluated per objective call. Default 4096. */
  chunkSize?: number;
  /** Finite-difference step when the objective has no gradient. Default 1e-4. */
  finiteDifferenceStep?: number;
  /** Finite-difference scheme: "central" (default, 2d evaluations) or "forward" (d). */
  finiteDifference?: "central" | "forward";
}

export interface OptimizeAcqfResult {
  /** Best point found, shape [d]. */
  x: number[];
  value: number;
  /** Best raw candidate's value (before local refinement). */
  rawBestValue: number;
  /** Objective evaluations (points), raw + local. */
  evaluations: number;
  seconds: number;
}

const isInt = (v: unknown, min: number): boolean => typeof v === "number" && Number.isInteger(v) && v >= min;

/** Refuse bad inputs with a {@link UsageError} naming the field and the allowed range. */
export function validateOptimizeAcqfInputs(inp: OptimizeAcqfInputs): void {
  const bad = (field: string, what: string): never => {
    throw new UsageError(`optimizeAcqf: ${field} ${what}`, "fix the acquisition-optimiser settings");
  };
  if (!inp.objective || typeof inp.objective.value !== "function") bad("objective", "must have a value(X) function");
  const { lower, upper, bands } = inp.feasible ?? ({} as FeasibleSet);
  if (!Array.isArray(lower) || !Array.isArray(upper) || lower.length === 0 || lower.length !== upper.length)
    bad("feasible", "needs lower and upper bounds of the same length >= 1");
  const d = lower.length;
  if (d > SOBOL_MAX_DIMENSION) bad("feasible", `has ${d} dimensions; at most ${SOBOL_MAX_DIMENSION} are supported`);
  lower.forEach((lo, i) => {
    if (!Number.isFinite(lo) || !Number.isFinite(upper[i]) || !(lo < upper[i]))
      bad(`feasible bounds[${i}]`, `= [${lo}, ${upper[i]}] must be finite with lower < upper`);
  });
  for (const b of bands ?? []) {
    if (b.coef.length !== d || b.coef.some((c) => !Number.isFinite(c))) bad(`band "${b.label}"`, `must have ${d} finite coefficients`);
    let mn = 0;
    let mx = 0;
    b.coef.forEach((c, i) => {
      mn += Math.min(c * lower[i], c * upper[i]);
      mx += Math.max(c * lower[i], c * upper[i]);
    });
    if (!(b.lo <= b.hi) || b.lo > mx || b.hi < mn) bad(`band "${b.label}"`, `[${b.lo}, ${b.hi}] cannot be met inside the bounds (reachable [${mn}, ${mx}])`);
  }
  if (!isInt(inp.rawSamples, 1)) bad("rawSamples", `= ${inp.rawSamples} must be an integer >= 1`);
  if (!isInt(inp.restarts, 0) || inp.restarts > inp.rawSamples)
    bad("restarts", `= ${inp.restarts} must be an integer from 0 to rawSamples (${inp.rawSamples})`);
  if (inp.maxIterations !== undefined && !isInt(inp.maxIterations, 1)) bad("maxIterations", `= ${inp.maxIterations} must be an integer >= 1`);
  if (!Number.isFinite(inp.seed)) bad("seed", `= ${inp.seed} must be a finite number`);
  if (inp.design !== undefined && inp.design !== "sobol" && inp.design !== "lhs") bad("design", `= ${inp.design} must be "sobol" or "lhs"`);
  if (inp.chunkSize !== undefined && !isInt(inp.chunkSize, 1)) bad("chunkSize", `= ${inp.chunkSize} must be an integer >= 1`);
  if (inp.finiteDifferenceStep !== undefined && !(inp.finiteDifferenceStep > 0)) bad("finiteDifferenceStep", "must be > 0");
  if (inp.finiteDifference !== undefined && inp.finiteDifference !== "central" && inp.finiteDifference !== "forward")
    bad("finiteDifference", `= ${inp.finiteDifference} must be "central" or "forward"`);
  for (const x of inp.extraCandidates ?? []) {
    if (x.length !== d || x.some((v) => !Number.isFinite(v))) bad("extraCandidates", `must be points of ${d} finite numbers`);
  }
  for (const e of inp.excluded ?? []) {
    if (e.center.length !== d || e.center.some((v) => !Number.isFinite(v)) || !(e.radius >= 0))
      bad("excluded", `balls need a finite center of ${d} numbers and a radius >= 0`);
  }
}

/**
 * Maximise an acquisition objective over a box with linear bands: evaluate `rawSamples`
 * scrambled Sobol (or maximin LHS) points, start projected-gradient ascent (analytic
 * gradients when the objective has them, batched finite differences otherwise) from the
 * `restarts` best distinct ones, and return the best point outside every excluded ball.
 */
export function optimizeAcqf(inputs: OptimizeAcqfInputs): OptimizeAcqfResult {
  validateOptimizeAcqfInputs(inputs);
  const t0 = performance.now();
  const { objective, feasible } = inputs;
  const d = feasible.lower.length;
  const rng = new Rng(inputs.seed);
  const excluded = inputs.excluded ?? [];
  const chunk = inputs.chunkSize ?? 4096;
  const outside = (x: readonly number[]): boolean => excluded.every((e) => dist(x, e.center) >= e.radius);
  const scale = (z: readonly number[]): number[] => z.map((v, i) => feasible.lower[i] + v * (feasible.upper[i] - feasible.lower[i]));

  // 1. Raw space-filling candidates, feasible and outside the excluded balls.
  const top = new TopK(Math.max(4 * inputs.restarts, 32));
  let evaluations = 0;
  let produced = 0;
  const lhs = inputs.design === "lhs" ? maximinLatinHypercube(inputs.rawSamples, d, rng, 5) : null;
  const seq = lhs ? null : new SobolSequence(d, rng);
  let drawn = 0;
  const maxDraws = 50 * inputs.rawSamples + 1000;
  while (produced < inputs.rawSamples && drawn < maxDraws) {
    const batch: number[][] = [];
    while (batch.length < chunk && produced + batch.length < inputs.rawSamples && drawn < maxDraws) {
      let x = scale(lhs ? lhs[drawn % lhs.length] : seq!.next());
      drawn++;
      if (!isFeasible(feasible, x)) {
        if (lhs || drawn > 10 * inputs.rawSamples) x = project(feasible, x);
        else continue;
      }
      if (outside(x)) batch.push(x);
    }
    if (batch.length === 0) break;
    const vals = objective.value(batch);
    evaluations += batch.length;
    produced += batch.length;
    batch.forEach((x, i) => top.offer(x, vals[i]));
  }
  const extra = (inputs.extraCandidates ?? []).map((x) => project(feasible, x)).filter(outside);
  for (let i = 0; i < extra.length; i += chunk) {
    const batch = extra.slice(i, i + chunk);
    const vals = objective.value(batch);
    evaluations += batch.length;
    batch.forEach((x, k) => top.offer(x, vals[k]));
  }
  const rawBestValue = top.items.length > 0 ? top.items[0].value : -Infinity;

  // 2. Multi-start local refinement.
  const candidates = top.items.slice();
  if (inputs.restarts > 0 && candidates.length > 0) {
    const starts = selectStarts(candidates, inputs.restarts, 0.05 * Math.sqrt(d));
    const scheme = inputs.finiteDifference ?? "central";
    const gradientCost = objective.valueAndGradient ? 1 : 1 + (scheme === "central" ? 2 : 1) * d;
    const vg =
      objective.valueAndGradient ?? finiteDifferenceGradient(objective.value, feasible.lower, feasible.upper, inputs.finiteDifferenceStep ?? 1e-4, scheme);
    const countedValue = (X: number[][]): Float64Array => {
      evaluations += X.length;
      return objective.value(X);
    };
    const countedGradient = (X: number[][]) => {
      evaluations += X.length * gradientCost;
      return vg(X);
    };
    const res = projectedGradientAscent(starts, countedValue, countedGradient, (x) => project(feasible, x), {
      maxIterations: inputs.maxIterations ?? 100,
      stepTolerance: 1e-7,
      valueTolerance: 1e-12,
    });
    res.points.forEach((x, i) => candidates.push({ x, value: res.values[i] }));
  }
  candidates.sort((a, b) => b.value - a.value);

  // 3. Best candidate outside the excluded balls. A candidate inside a ball (typically the
  // optimum sits on an observed point, e.g. at a box corner) is replaced by the best of
  // feasible points just outside that ball, so the answer is the best point near the
  // optimum that is not a repeat, rather than an arbitrary one.
  for (const c of candidates.slice(0, 8)) {
    if (!Number.isFinite(c.value)) continue;
    if (outside(c.x)) return done(c.x, c.value);
    const ring = pointsJustOutside(c.x, excluded, feasible, rng, outside, 64);
    if (ring.length > 0) {
      const vals = objective.value(ring);
      evaluations += ring.length;
      let b = -1;
      for (let i = 0; i < ring.length; i++) if (Number.isFinite(vals[i]) && (b < 0 || vals[i] > vals[b])) b = i;
      if (b >= 0) return done(ring[b], vals[b]);
    }
  }
  const fallback = candidates.find((c) => outside(c.x) && Number.isFinite(c.value));
  if (fallback) return done(fallback.x, fallback.value);
  // Every candidate was excluded or non-finite: a random feasible point outside the balls.
  for (let i = 0; i < 10000; i++) {
    const x = project(feasible, scale(Array.from({ length: d }, () => rng.uniform())));
    if (outside(x)) return done(x, objective.value([x])[0]);
  }
  throw new UsageError("optimizeAcqf: no feasible point lies outside the excluded balls", "reduce the exclusion radius or the number of pending points");

  function done(x: number[], value: number): OptimizeAcqfResult {
    return { x, value, rawBestValue, evaluations, seconds: (performance.now() - t0) / 1000 };
  }
}

/**
 * Up to `count` feasible points just outside the ball containing x (radius 1.01 r), in
 * random directions from its center. A step that projection onto the feasible set shortens
 * (directions leaving the box at a corner or face) is re-scaled along the projected
 * direction and projected again, so points on a boundary still get out of the ball.
 * Only points outside every ball are returned.
 */
function pointsJustOutside(
  x: readonly number[],
  balls: readonly ExcludedBall[],
  set: FeasibleSet,
  rng: Rng,
  outside: (x: readonly number[]) => boolean,
  count: number,
): number[][] {
  const ball = balls.find((b) => dist(x, b.center) < b.radius)!;
  const target = 1.01 * ball.radius;
  const out: number[][] = [];
  for (let t = 0; t < 4 * count && out.length < count; t++) {
    let dir = x.map(() => rng.normal());
    let y: number[] = [];
    for (let k = 0; k < 6; k++) {
      const norm = Math.hypot(...dir);
      if (!(norm > 0)) break;
      y = project(
        set,
        ball.center.map((c, i) => c + (target * dir[i]) / norm),
      );
      if (dist(y, ball.center) >= ball.radius) break;
      dir = y.map((v, i) => v - ball.center[i]);
    }
    if (y.length > 0 && outside(y) && isFeasible(set, y)) out.push(y);
  }
  return out;
}

function dist(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}
