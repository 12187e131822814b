import { Rng } from "../../../src/core/rng.js";
import type { ScalarBlackBox } from "../../../src/twin/insight/blackBox.js";

/** Kinds of small random models the SHAP properties run on. */
export const MODEL_KINDS = ["linear", "polynomial", "mlp", "product"] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** A small random model over d inputs; `uses[k]` false means input k is never read. */
export interface RandomModel {
  f: ScalarBlackBox;
  /** Pointwise evaluation, for brute force. */
  at(x: readonly number[]): number;
  weights?: number[];
  bias?: number;
}

/**
 * A random linear, quadratic-with-interactions, one-hidden-layer tanh or product (interactions of
 * every order) model over d
 * inputs, drawn from `seed`; inputs with uses[k] = false have zero influence.
 */
export function randomModel(kind: ModelKind, d: number, seed: number, uses: readonly boolean[] = new Array(d).fill(true)): RandomModel {
  const rng = new Rng(seed);
  const mask = (k: number): number => (uses[k] ? 1 : 0);
  let at: (x: readonly number[]) => number;
  let weights: number[] | undefined;
  let bias: number | undefined;
  if (kind === "linear") {
    const w = Array.from({ length: d }, (_, k) => rng.normal() * mask(k));
    const b = rng.normal();
    at = (x) => x.reduce((s, v, k) => s + w[k] * v, b);
    weights = w;
    bias = b;
  } else if (kind === "polynomial") {
    const w = Array.from({ length: d }, (_, k) => rng.normal() * mask(k));
    const q = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => rng.normal() * mask(a) * mask(b)));
    at = (x) => {
      let s = 0;
      for (let a = 0; a < d; a++) {
        s += w[a] * x[a];
        for (let b = a; b < d; b++) s += q[a][b] * x[a] * x[b];
      }
      return s + x.reduce((p, v, k) => p * (1 + 0.3 * mask(k) * v), 1) - 1;
    };
  } else if (kind === "product") {
    // Strong interactions of every order: a * prod_k (1 + c_k x_k).
    const c = Array.from({ length: d }, (_, k) => (0.5 + rng.uniform()) * mask(k) * (rng.uniform() < 0.5 ? -1 : 1));
    const a = rng.normal();
    at = (x) => a * x.reduce((p, v, k) => p * (1 + c[k] * v), 1);
  } else {
    const h = 6;
    const W = Array.from({ length: h }, () => Array.from({ length: d }, (_, k) => rng.normal() * mask(k)));
    const c = Array.from({ length: h }, () => rng.normal() * 0.5);
    const v = Array.from({ length: h }, () => rng.normal());
    at = (x) => W.reduce((s, row, u) => s + v[u] * Math.tanh(row.reduce((t, wk, k) => t + wk * x[k], c[u])), 0);
  }
  return { f: (points) => points.map((p) => at(p)), at, weights, bias };
}

/** Random points in [-1, 1]^d, shape [n][d]. */
export function randomPoints(n: number, d: number, rng: Rng): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.range(-1, 1)));
}

/**
 * Shapley values by the permutation definition, one pointwise evaluation at a time:
 * phi_k = (1/d!) sum over orderings of [v(before k, plus k) - v(before k)],
 * v(S) = mean_j at(x on S, b_j off S). Independent of the library's batching and weights.
 */
export function bruteForceShap(at: (x: readonly number[]) => number, x: readonly number[], background: readonly (readonly number[])[]): number[] {
  const d = x.length;
  const v = (inS: boolean[]): number => background.reduce((s, b) => s + at(b.map((bk, k) => (inS[k] ? x[k] : bk))), 0) / background.length;
  const phi = new Array<number>(d).fill(0);
  let count = 0;
  const perm = Array.from({ length: d }, (_, k) => k);
  const visit = (i: number): void => {
    if (i === d) {
      count++;
      const inS = new Array<boolean>(d).fill(false);
      for (const k of perm) {
        const before = v(inS);
        inS[k] = true;
        phi[k] += v(inS) - before;
      }
      return;
    }
    for (let j = i; j < d; j++) {
      [perm[i], perm[j]] = [perm[j], perm[i]];
      visit(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
  };
  visit(0);
  return phi.map((p) => p / count);
}
