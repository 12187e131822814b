import type { BatchValue, BatchValueAndGradient } from "./projectedGradient.js";

/**
 * Finite-difference gradients of a black-box batch objective (e.g. an ensemble posterior),
 * all perturbations of all q points in ONE batched call. "central" costs 2d evaluations
 * per point, "forward" d. Near the box `lower`/`upper` the difference becomes one-sided
 * so no point leaves the box.
 */
export function finiteDifferenceGradient(
  value: BatchValue,
  lower: readonly number[],
  upper: readonly number[],
  h = 1e-4,
  scheme: "central" | "forward" = "central",
): BatchValueAndGradient {
  if (scheme === "forward") return forwardDifferenceGradient(value, lower, upper, h);
  return (X) => {
    const q = X.length;
    const d = q > 0 ? X[0].length : 0;
    const pts: number[][] = [...X];
    const steps = new Float64Array(q * d);
    for (let i = 0; i < q; i++) {
      for (let j = 0; j < d; j++) {
        const plus = X[i].slice();
        const minus = X[i].slice();
        plus[j] = Math.min(upper[j], X[i][j] + h);
        minus[j] = Math.max(lower[j], X[i][j] - h);
        steps[i * d + j] = plus[j] - minus[j];
        pts.push(plus, minus);
      }
    }
    const v = value(pts);
    const out = new Float64Array(q);
    const gradient = new Float64Array(q * d);
    for (let i = 0; i < q; i++) {
      out[i] = v[i];
      for (let j = 0; j < d; j++) {
        const k = q + 2 * (i * d + j);
        const s = steps[i * d + j];
        gradient[i * d + j] = s > 0 ? (v[k] - v[k + 1]) / s : 0;
      }
    }
    return { value: out, gradient };
  };
}

function forwardDifferenceGradient(value: BatchValue, lower: readonly number[], upper: readonly number[], h: number): BatchValueAndGradient {
  return (X) => {
    const q = X.length;
    const d = q > 0 ? X[0].length : 0;
    const pts: number[][] = [...X];
    const steps = new Float64Array(q * d);
    for (let i = 0; i < q; i++) {
      for (let j = 0; j < d; j++) {
        const p = X[i].slice();
        // Step up unless that leaves the box, then step down.
        p[j] = X[i][j] + h <= upper[j] ? X[i][j] + h : Math.max(lower[j], X[i][j] - h);
        steps[i * d + j] = p[j] - X[i][j];
        pts.push(p);
      }
    }
    const v = value(pts);
    const out = v.slice(0, q);
    const gradient = new Float64Array(q * d);
    for (let i = 0; i < q; i++) {
      for (let j = 0; j < d; j++) {
        const s = steps[i * d + j];
        gradient[i * d + j] = s !== 0 ? (v[q + i * d + j] - v[i]) / s : 0;
      }
    }
    return { value: out, gradient };
  };
}
