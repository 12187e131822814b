import type { Rng } from "../../core/rng.js";
import { qmcNormalSamples } from "../acquisition/noisyEi.js";
import type { JointSampler } from "../surrogate.js";
import { choleskyWithJitter, solveLowerInPlace } from "./cholesky.js";
import type { GpModel } from "./gp.js";

/**
 * Exact joint posterior samples of a GP's latent objective at baseline points and at any
 * candidate, from fixed base samples e_s = (e_b, e_x) ~ N(0, I) (quasi-random when the
 * baseline has at most 20 points):
 *
 *     f_b = mu_b + L_bb e_b,   f_x = mu_x + l . e_b + sqrt(k_xx - l . l) e_x,   l = L_bb^-1 k_bx
 *
 * (L_bb the Cholesky factor of the baseline's posterior covariance, k the posterior
 * covariance), which is the Cholesky factor of the joint (b + 1) x (b + 1) covariance
 * without refactorising it per candidate.
 *
 * @param model the fitted GP (standardised units).
 * @param meanAt posterior mean in objective units at flat points [q*d] -> [q].
 * @param scale objective units per standardised unit.
 * @param baseline points in the unit cube, shape [b][d], b >= 1.
 * @param count number of joint samples S.
 */
export function gpJointSampler(
  model: GpModel,
  meanAt: (flat: Float64Array) => Float64Array,
  scale: number,
  baseline: readonly (readonly number[])[],
  count: number,
  rng: Rng,
): JointSampler {
  const b = baseline.length;
  const Xb = Float64Array.from(baseline.flat());
  const C = model.covariance(Xb);
  // Posterior covariances at observed points are often nearly singular: jitter is expected.
  const chol = choleskyWithJitter(C, b);
  const Lbb = chol ? chol.L : diagonalFactor(C, b);
  const base =
    b + 1 <= 21 ? qmcNormalSamples(count, b + 1, rng) : Array.from({ length: count }, () => Float64Array.from({ length: b + 1 }, () => rng.normal()));
  const muB = meanAt(Xb);
  const baselineMax = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    let top = -Infinity;
    for (let i = 0; i < b; i++) {
      let t = 0;
      for (let k = 0; k <= i; k++) t += Lbb[i * b + k] * base[s][k];
      top = Math.max(top, muB[i] + scale * t);
    }
    baselineMax[s] = top;
  }
  return {
    count,
    baselineMax,
    candidates(X) {
      const q = X.length;
      const flat = Float64Array.from(X.flat());
      const mu = meanAt(flat);
      const { cross, variance } = model.crossCovariance(flat, Xb);
      const out = new Float64Array(q * count);
      const l = new Float64Array(b);
      for (let i = 0; i < q; i++) {
        l.set(cross.subarray(i * b, (i + 1) * b));
        solveLowerInPlace(Lbb, b, l);
        let ll = 0;
        for (let k = 0; k < b; k++) ll += l[k] * l[k];
        const lxx = Math.sqrt(Math.max(0, variance[i] - ll));
        for (let s = 0; s < count; s++) {
          const e = base[s];
          let t = lxx * e[b];
          for (let k = 0; k < b; k++) t += l[k] * e[k];
          out[i * count + s] = mu[i] + scale * t;
        }
      }
      return out;
    },
  };
}

/** sqrt of the diagonal as a (diagonal) factor, when even the jittered Cholesky fails. */
function diagonalFactor(C: Float64Array, b: number): Float64Array {
  const L = new Float64Array(b * b);
  for (let i = 0; i < b; i++) L[i * b + i] = Math.sqrt(Math.max(C[i * b + i], 1e-300));
  return L;
}
