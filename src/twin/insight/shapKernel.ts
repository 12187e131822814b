import type { Rng } from "../../core/rng.js";
import type { BlackBox, ScalarBlackBox } from "./blackBox.js";
import { binomial } from "./coalitions.js";
import { solveLinear } from "./linearSolve.js";
import type { ShapValues } from "./shapResult.js";
import { coalitionValues } from "./valueFunction.js";

/** Options of {@link kernelShap}. */
export interface KernelShapOptions {
  /** Seeded generator for the coalition samples. */
  rng: Rng;
  /** Coalition draws (each also adds its complement); default 1024. */
  samples?: number;
  /**
   * "auto" enumerates every coalition with its exact kernel weight when 2^d - 2 <= 2 *
   * samples (then the result equals exact Shapley values); "sample" always samples.
   */
  mode?: "auto" | "sample";
  inputs?: readonly string[];
}

/** A weighted coalition for the Kernel SHAP regression. */
interface WeightedCoalition {
  members: boolean[];
  weight: number;
}

/**
 * Kernel SHAP (Lundberg and Lee 2017) with an interventional value function: a
 * weighted least-squares fit of v_i(S) - v_i(empty) = sum_{k in S} phi_ik over
 * coalitions drawn from the Shapley kernel, with efficiency
 * (sum_k phi_ik = f(x_i) - base) imposed exactly by eliminating the last input.
 * All coalitions are shared by the n points and go through ONE model call of
 * m + n + n m C points (C distinct coalitions).
 *
 * @param X           points to explain, shape [n][d]
 * @param background  background rows, shape [m][d]
 * @returns one {@link ShapValues} per model output
 */
export function kernelShap(
  f: BlackBox | ScalarBlackBox,
  X: readonly (readonly number[])[],
  background: readonly (readonly number[])[],
  options: KernelShapOptions,
): ShapValues[] {
  const d = background[0]?.length ?? 0;
  if (d < 2) throw new RangeError("Kernel SHAP needs at least 2 inputs");
  const names = options.inputs ? [...options.inputs] : Array.from({ length: d }, (_, k) => `x${k}`);
  const samples = options.samples ?? 1024;
  const enumerate = (options.mode ?? "auto") === "auto" && d < 31 && 2 ** d - 2 <= 2 * samples;
  const coalitions = enumerate ? allCoalitions(d) : sampleCoalitions(d, samples, options.rng);
  const cv = coalitionValues(
    f,
    X,
    background,
    coalitions.map((c) => c.members),
  );
  // Design after eliminating phi_{d-1} = delta - sum_{k<d-1} phi_k:
  // y_c - z_c,last delta = sum_{k<d-1} (z_ck - z_c,last) phi_k.
  const p = d - 1;
  const rows = coalitions.map((c) => Array.from({ length: p }, (_, k) => Number(c.members[k]) - Number(c.members[p])));
  const A = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  coalitions.forEach((c, ci) => {
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) A[a][b] += c.weight * rows[ci][a] * rows[ci][b];
  });
  return cv.fx.map((fxk, k) => {
    const rhs = fxk.map((_fxi, i) => {
      const delta = cv.full[k][i] - cv.base[k];
      const r = new Array<number>(p).fill(0);
      coalitions.forEach((c, ci) => {
        const y = cv.v[k][i][ci] - cv.base[k] - (c.members[p] ? delta : 0);
        for (let a = 0; a < p; a++) r[a] += c.weight * rows[ci][a] * y;
      });
      return r;
    });
    let sol: number[][];
    try {
      sol = solveLinear(A, rhs);
    } catch {
      throw new RangeError(`Kernel SHAP: the ${coalitions.length} sampled coalitions do not identify all ${d} inputs; raise samples`);
    }
    const values = sol.map((phi, i) => [...phi, cv.full[k][i] - cv.base[k] - phi.reduce((s, x) => s + x, 0)]);
    return { inputs: names, base: cv.base[k], fx: fxk, values };
  });
}

/** Every coalition except empty and full, weighted by the Shapley kernel (d-1)/(C(d,s) s (d-s)). */
function allCoalitions(d: number): WeightedCoalition[] {
  const out: WeightedCoalition[] = [];
  for (let mask = 1; mask < 2 ** d - 1; mask++) {
    const members = Array.from({ length: d }, (_, k) => Math.floor(mask / 2 ** k) % 2 === 1);
    const s = members.filter(Boolean).length;
    out.push({ members, weight: (d - 1) / (binomial(d, s) * s * (d - s)) });
  }
  return out;
}

/**
 * Draw coalition sizes s with probability proportional to (d-1)/(s(d-s)) (the kernel's
 * total mass per size), members uniformly, each with its complement (paired sampling).
 * Draws are then fitted with equal weight, so repeated coalitions add up.
 */
function sampleCoalitions(d: number, samples: number, rng: Rng): WeightedCoalition[] {
  const sizeMass = Array.from({ length: d - 1 }, (_, i) => 1 / ((i + 1) * (d - i - 1)));
  const total = sizeMass.reduce((a, b) => a + b, 0);
  const byKey = new Map<string, WeightedCoalition>();
  const add = (members: boolean[]): void => {
    const key = members.map((b) => (b ? "1" : "0")).join("");
    const hit = byKey.get(key);
    if (hit) hit.weight += 1;
    else byKey.set(key, { members, weight: 1 });
  };
  const order = Array.from({ length: d }, (_, k) => k);
  for (let t = 0; t < samples; t++) {
    let u = rng.uniform() * total;
    let s = 1;
    while (s < d - 1 && u >= sizeMass[s - 1]) {
      u -= sizeMass[s - 1];
      s++;
    }
    rng.shuffle(order);
    const members = new Array<boolean>(d).fill(false);
    for (let q = 0; q < s; q++) members[order[q]] = true;
    add(members);
    add(members.map((b) => !b));
  }
  return [...byKey.values()];
}
