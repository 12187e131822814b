/**
 * Spectral projected gradient ascent (Birgin, Martinez and Raydan's SPG with a monotone
 * Armijo line search) run for many starting points in lockstep, so that every function
 * evaluation of a round is one batched call (one posterior call for all restarts).
 * Works on any closed convex feasible set given by its projection.
 */

/** Values at a batch of points, shape [q][d] -> [q]. */
export type BatchValue = (X: number[][]) => Float64Array;
/** Values [q] and gradients [q*d] (row-major) at a batch of points. */
export type BatchValueAndGradient = (X: number[][]) => { value: Float64Array; gradient: Float64Array };

export interface AscentOptions {
  /** Iterations per start (each: one projected step with backtracking). */
  maxIterations: number;
  /** Stop a start when its projected step is shorter than this (infinity norm). */
  stepTolerance: number;
  /** Stop a start when an accepted step improves f by less than this times (1 + |f|). */
  valueTolerance: number;
}

export interface AscentResult {
  points: number[][];
  values: Float64Array;
  /** Rounds run and points evaluated (values and gradients counted alike). */
  rounds: number;
  evaluations: number;
}

const ARMIJO = 1e-4;
const MIN_STEP = 1e-10;
const MAX_STEP = 1e10;

interface StartState {
  x: number[];
  f: number;
  g: Float64Array;
  alpha: number;
  active: boolean;
  dir: number[];
  gd: number;
  lambda: number;
  trial: number[];
  trialValue: number;
}

/** Maximise from each start; returns the final point and value of each. */
export function projectedGradientAscent(
  starts: readonly (readonly number[])[],
  value: BatchValue,
  valueAndGradient: BatchValueAndGradient,
  project: (x: readonly number[]) => number[],
  options: AscentOptions,
): AscentResult {
  const d = starts.length > 0 ? starts[0].length : 0;
  let evaluations = 0;
  const x0 = starts.map((s) => project(s));
  const first = valueAndGradient(x0);
  evaluations += x0.length;
  const states: StartState[] = x0.map((x, i) => {
    const g = first.gradient.slice(i * d, (i + 1) * d);
    const st: StartState = {
      x,
      f: first.value[i],
      g,
      alpha: 1,
      active: Number.isFinite(first.value[i]),
      dir: [],
      gd: 0,
      lambda: 1,
      trial: x,
      trialValue: -Infinity,
    };
    // Initial step: 1 / ||P(x + g) - x||_inf, the usual SPG choice.
    const p = project(x.map((v, j) => v + g[j]));
    const norm = maxAbsDiff(p, x);
    st.alpha = norm > 0 ? clamp(1 / norm, MIN_STEP, MAX_STEP) : 1;
    return st;
  });
  let rounds = 0;
  for (; rounds < options.maxIterations; rounds++) {
    const searching: StartState[] = [];
    for (const st of states) {
      if (!st.active) continue;
      const p = project(st.x.map((v, j) => v + st.alpha * st.g[j]));
      st.dir = p.map((v, j) => v - st.x[j]);
      if (maxAbsNorm(st.dir) < options.stepTolerance) {
        st.active = false;
        continue;
      }
      st.gd = dot(st.g, st.dir);
      st.lambda = 1;
      st.trial = p;
      searching.push(st);
    }
    if (searching.length === 0) break;
    // Backtracking, batched across the starts still searching.
    const accepted: StartState[] = [];
    let pending = searching;
    while (pending.length > 0) {
      const vals = value(pending.map((st) => st.trial));
      evaluations += pending.length;
      const next: StartState[] = [];
      pending.forEach((st, i) => {
        const fv = vals[i];
        if (Number.isFinite(fv) && fv >= st.f + ARMIJO * st.lambda * st.gd) {
          st.trialValue = fv;
          accepted.push(st);
        } else if (st.lambda * maxAbsNorm(st.dir) < options.stepTolerance) {
          st.active = false;
        } else {
          st.lambda *= 0.5;
          st.trial = st.x.map((v, j) => v + st.lambda * st.dir[j]);
          next.push(st);
        }
      });
      pending = next;
    }
    if (accepted.length === 0) continue;
    const res = valueAndGradient(accepted.map((st) => st.trial));
    evaluations += accepted.length;
    accepted.forEach((st, i) => {
      const gNew = res.gradient.slice(i * d, (i + 1) * d);
      const fNew = res.value[i];
      const s = st.trial.map((v, j) => v - st.x[j]);
      let ss = 0;
      let sy = 0;
      for (let j = 0; j < d; j++) {
        ss += s[j] * s[j];
        sy -= s[j] * (gNew[j] - st.g[j]); // curvature of -f along s
      }
      const improvement = fNew - st.f;
      st.x = st.trial;
      st.f = fNew;
      st.g = gNew;
      st.alpha = sy > 0 ? clamp(ss / sy, MIN_STEP, MAX_STEP) : MAX_STEP;
      if (improvement < options.valueTolerance * (1 + Math.abs(fNew))) st.active = false;
    });
  }
  return { points: states.map((s) => s.x), values: Float64Array.from(states.map((s) => s.f)), rounds, evaluations };
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
function maxAbsNorm(a: readonly number[]): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}
function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
