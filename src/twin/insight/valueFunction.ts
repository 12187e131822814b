import { evaluateChecked, type BlackBox, type ScalarBlackBox } from "./blackBox.js";
import { hybridPoint } from "./coalitions.js";

/**
 * Interventional coalition values for every explained point, from ONE model call
 * over the distinct points needed.
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
  /** How many distinct points the model was evaluated at (duplicates are evaluated once). */
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
  f: BlackBox | ScalarBlackBox,
  X: readonly (readonly number[])[],
  background: readonly (readonly number[])[],
  coalitions: readonly (readonly boolean[])[],
): CoalitionValues {
  const n = X.length;
  const m = background.length;
  if (m === 0) throw new RangeError("the background set is empty");
  // Every hybrid point, deduplicated: when the explained rows are background rows (the
  // default), (x_i on S, x_j off S) is the same point as (x_j on ~S, x_i off ~S), and
  // i = j gives x_i itself, so about half the model evaluations are saved exactly.
  const unique: number[][] = [];
  const slot = new Map<string, number>();
  const total = m + n + coalitions.length * n * m;
  const where = new Int32Array(total);
  let t = 0;
  const add = (p: number[]): void => {
    const key = p.join(",");
    let u = slot.get(key);
    if (u === undefined) {
      u = unique.length;
      unique.push(p);
      slot.set(key, u);
    }
    where[t++] = u;
  };
  for (const b of background) add([...b]);
  for (const x of X) add([...x]);
  for (const c of coalitions) for (const x of X) for (const b of background) add(hybridPoint(x, b, c));
  const yu = evaluateChecked(f, unique);
  const ys = yu.map((y) => {
    const full = new Float64Array(total);
    for (let q = 0; q < total; q++) full[q] = y[where[q]];
    return full;
  });
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
    full.push(
      Array.from({ length: n }, (_, i) => {
        let t = 0;
        for (let j = 0; j < m; j++) t += y[m + i];
        return t / m;
      }),
    );
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
  return { outputs: K, base, fx, full, v, evaluations: unique.length };
}
