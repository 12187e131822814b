import { plqyProxy, type PlqyReference } from "./plqy.js";
import type { TwinPosterior } from "./twin.js";

/**
 * Build a {@link TwinPosterior} from member-major raw predictions (`abs[k*n+i]`,
 * `pla[k*n+i]`): per-member PLQY, then mean and sample standard deviation (n-1) over members.
 */
export function summarizeMembers(abs: Float64Array, pla: Float64Array, n: number, m: number, ref: PlqyReference): TwinPosterior {
  const plqy = new Float64Array(m * n);
  for (let j = 0; j < m * n; j++) plqy[j] = plqyProxy(abs[j], pla[j], ref);
  const [absMean, absStd] = meanStd(abs, n, m);
  const [plaMean, plaStd] = meanStd(pla, n, m);
  const [plqyMean, plqyStd] = meanStd(plqy, n, m);
  return { n, m, abs, pla, plqy, absMean, absStd, plaMean, plaStd, plqyMean, plqyStd };
}

/** Mean and sample standard deviation (n-1) over members; input member-major [m*n]. */
export function meanStd(values: Float64Array, n: number, m: number): [Float64Array, Float64Array] {
  const mean = new Float64Array(n);
  const std = new Float64Array(n);
  for (let k = 0; k < m; k++) for (let i = 0; i < n; i++) mean[i] += values[k * n + i];
  for (let i = 0; i < n; i++) mean[i] /= m;
  if (m > 1) {
    for (let k = 0; k < m; k++)
      for (let i = 0; i < n; i++) {
        const d = values[k * n + i] - mean[i];
        std[i] += d * d;
      }
    for (let i = 0; i < n; i++) std[i] = Math.sqrt(std[i] / (m - 1));
  }
  return [mean, std];
}
