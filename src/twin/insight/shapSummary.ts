import type { ShapValues } from "./shapResult.js";

/** Global importance of each input, from per-sample SHAP values. */
export interface ShapSummary {
  /** Input names from most to least important (by mean |SHAP|; ties keep input order). */
  ranking: string[];
  /** Input -> mean over samples of |SHAP| (units of the model output). */
  meanAbs: Record<string, number>;
  /**
   * Input -> +1 when the output rises with the input (positive correlation between the
   * input's value and its SHAP value over the samples), -1 when it falls, 0 when the
   * correlation is undefined (input or its SHAP values constant, e.g. an ignored input).
   */
  direction: Record<string, 1 | -1 | 0>;
  /** Input -> Pearson correlation between input value and SHAP value (NaN if undefined). */
  correlation: Record<string, number>;
}

/**
 * Rank inputs by mean |SHAP| and give each a direction.
 * @param shap  SHAP values of one output, shape [n][d]
 * @param X     the explained points, shape [n][d], same rows as `shap.values`
 */
export function summarizeShap(shap: ShapValues, X: readonly (readonly number[])[]): ShapSummary {
  const d = shap.inputs.length;
  const meanAbs: Record<string, number> = {};
  const direction: Record<string, 1 | -1 | 0> = {};
  const correlation: Record<string, number> = {};
  const imp: number[] = [];
  for (let k = 0; k < d; k++) {
    const phi = shap.values.map((row) => row[k]);
    const xs = X.map((row) => row[k]);
    const ma = phi.reduce((s, v) => s + Math.abs(v), 0) / Math.max(1, phi.length);
    const r = pearson(xs, phi);
    const name = shap.inputs[k];
    meanAbs[name] = ma;
    imp.push(ma);
    correlation[name] = r;
    direction[name] = Number.isFinite(r) && r !== 0 ? (r > 0 ? 1 : -1) : 0;
  }
  const ranking = shap.inputs
    .map((name, k) => ({ name, k }))
    .sort((a, b) => imp[b.k] - imp[a.k] || a.k - b.k)
    .map((e) => e.name);
  return { ranking, meanAbs, direction, correlation };
}

/**
 * Pearson correlation of two equal-length series; NaN when either has (relatively)
 * zero variance, so round-off noise on a constant series is not read as a direction.
 */
export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  if (n < 2) return NaN;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  const tiny = (m: number, s: number): boolean => s <= 1e-24 * n * Math.max(1, m * m);
  if (tiny(ma, saa) || tiny(mb, sbb)) return NaN;
  return sab / Math.sqrt(saa * sbb);
}
