/**
 * Shapley values of one model output for n explained points and d inputs.
 * Efficiency holds by construction: for every row i,
 * sum_k values[i][k] = fx[i] - base.
 */
export interface ShapValues {
  /** Input names, length d. */
  inputs: string[];
  /** Expected model output over the background set: mean_j f(b_j). */
  base: number;
  /** Model output at each explained point, length n. */
  fx: number[];
  /** SHAP values, shape [n][d]. */
  values: number[][];
}
