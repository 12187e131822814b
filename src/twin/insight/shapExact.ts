import type { BlackBox, ScalarBlackBox } from "./blackBox.js";
import { maskToCoalition, popcount, shapleyWeight } from "./coalitions.js";
import type { ShapValues } from "./shapResult.js";
import { coalitionValues } from "./valueFunction.js";

/** Largest input count exact enumeration accepts (2^d coalitions x n x m model points). */
export const EXACT_MAX_INPUTS = 12;

/**
 * Exact interventional Shapley values by enumerating all 2^d coalitions.
 *
 * phi_ik = sum over S not holding k of |S|!(d-|S|-1)!/d! (v_i(S u {k}) - v_i(S)),
 * v_i(S) the background mean of f with inputs in S taken from x_i.
 * The model is called once with m + n + n m (2^d - 2) points.
 *
 * @param f           black box, [N][d] -> K outputs of length N (or a scalar one, [N][d] -> [N])
 * @param X           points to explain, shape [n][d]
 * @param background  background rows, shape [m][d]
 * @param inputs      input names, length d (default x0, x1, ...)
 * @returns one {@link ShapValues} per model output
 */
export function exactShap(
  f: BlackBox | ScalarBlackBox,
  X: readonly (readonly number[])[],
  background: readonly (readonly number[])[],
  inputs?: readonly string[],
): ShapValues[] {
  const d = background[0]?.length ?? 0;
  if (d === 0) throw new RangeError("the background set is empty or has no inputs");
  if (d > EXACT_MAX_INPUTS) throw new RangeError(`exact SHAP enumerates 2^${d} coalitions; use kernelShap for more than ${EXACT_MAX_INPUTS} inputs`);
  const names = inputs ? [...inputs] : Array.from({ length: d }, (_, k) => `x${k}`);
  const full = (1 << d) - 1;
  // Middle coalitions (not empty, not full), listed in mask order 1..full-1.
  const middle = Array.from({ length: full - 1 }, (_, c) => maskToCoalition(c + 1, d));
  const cv = coalitionValues(f, X, background, middle);
  const weights = Array.from({ length: d }, (_, s) => shapleyWeight(s, d));
  return cv.fx.map((fxk, k) => {
    const values = fxk.map((_fxi, i) => {
      const vi = cv.v[k][i];
      const vFull = cv.full[k][i];
      const value = (mask: number): number => (mask === 0 ? cv.base[k] : mask === full ? vFull : vi[mask - 1]);
      const phi = new Array<number>(d).fill(0);
      for (let mask = 0; mask < full; mask++) {
        const vS = value(mask);
        const w = weights[popcount(mask)];
        for (let q = 0; q < d; q++) if (!((mask >> q) & 1)) phi[q] += w * (value(mask | (1 << q)) - vS);
      }
      return phi;
    });
    return { inputs: names, base: cv.base[k], fx: fxk, values };
  });
}
