import { evaluateChecked, type BlackBox } from "./blackBox.js";
import { hybridPoint } from "./coalitions.js";

/**
 * Interventional coalition values for every explained point, from ONE model call.
 *
 * v_i(S) = (1/m) sum_j f(x_i on S, b_j off S), with the background rows b_j.
 * v_i(empty) = mean_j f(b_j) is the same for every i (the base value);
 * v_i(full) = f(x_i).
 */
export interface CoalitionValues {
  /** Number of model outputs K. */
  outputs: number;
  /** base[k] = mean over the background of output k. */
  base: number[];
  /** fx[k][i] = output k at explained point i. */
  fx: number[][];
  /**
   * full[k][i] = v_i(full): f(x_i) averaged over m identical copies, summed in the
   * same order as every other coalition value, so that an input the model ignores
   * gets a SHAP value of exactly 0 rather than round-off.
   */
  full: number[][];
  /** v[k][i][c] = value of coalition c (in the order given) for output k, point i. */
  v: number[][][];
  /** How many points the model was evaluated at. */
  evaluations: number;
}

/**
 * Evaluate the interventional value function of `coalitions` (boolean per input; the
 * empty and full coalitions need not be listed) for each row of `X`.
 * @param X           explained points, shape [n][d]
 * @param background  background rows, shape [m][d]
 * @param coalitions  shape [C][d]
 */
export function coalitionValues(
  f: BlackBox,
  X: readonly (readonly number[])[],
  background: readonly (readonly number[])[],
  coalitions: readonly (readonly boolean[])[],
): CoalitionValues {
  const n = X.length;
  const m = background.length;
  if (m === 0) throw new RangeError("the background set is empty");
  const points: number[][] = [];
  for (const b of background) points.push([...b]);
  for (const x of X) points.push([...x]);
  for (const c of coalitions) for (const x of X) for (const b of background) points.push(hybridPoint(x, b, c));
  const ys = evaluateChecked(f, points);
  const K = ys.length;
  const base: number[] = [];
  const fx: number[][] = [];
  const full: number[][] = [];
  const v: number[][][] = [];
  for (let k = 0; k < K; k++) {
    const y = ys[k];
    let s = 0;
    for (let j = 0; j < m; j++) s += y[j];
    base.push(s / m);
    fx.push(Array.from({ length: n }, (_, i) => y[m + i]));
    full.push(Array.from({ length: n }, (_, i) => {
      let t = 0;
      for (let j = 0; j < m; j++) t += y[m + i];
      return t / m;
    }));
    const vk: number[][] = [];
    for (let i = 0; i < n; i++) {
      const row = new Array<number>(coalitions.length);
      for (let c = 0; c < coalitions.length; c++) {
        const off = m + n + (c * n + i) * m;
        let t = 0;
        for (let j = 0; j < m; j++) t += y[off + j];
        row[c] = t / m;
      }
      vk.push(row);
    }
    v.push(vk);
  }
  return { outputs: K, base, fx, full, v, evaluations: points.length };
}
