import type { Rng } from "../../core/rng.js";
import type { Posterior } from "../surrogate.js";

/**
 * The posterior of an ensemble from its members' predictions (as BoTorch's ensemble
 * posterior, and the original SDFL optimizer): mean and variance over members
 * (n - 1 denominator), and joint samples that are whole members.
 *
 * @param values member-major predictions, shape [m*q]: member k at point i is values[k*q + i].
 * @param q number of points.
 * @param m number of members (>= 1; the variance is 0 for a single member).
 */
export function ensemblePosterior(values: Float64Array, q: number, m: number): Posterior {
  if (!Number.isInteger(q) || !Number.isInteger(m) || m < 1 || values.length !== q * m) {
    throw new RangeError(`ensemblePosterior: expected ${q} points x ${m} members = ${q * m} values, got ${values.length}`);
  }
  const mean = new Float64Array(q);
  const variance = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += values[k * q + i];
    const mu = s / m;
    let ss = 0;
    for (let k = 0; k < m; k++) ss += (values[k * q + i] - mu) ** 2;
    mean[i] = mu;
    variance[i] = m > 1 ? ss / (m - 1) : 0;
  }
  return {
    mean,
    variance,
    /** `count` distinct members drawn at random (all members, in order, when count >= m). */
    sample(count: number, rng: Rng): Float64Array[] {
      const order = Array.from({ length: m }, (_, k) => k);
      const chosen = count >= m ? order : rng.shuffle(order).slice(0, Math.max(0, count));
      return chosen.map((k) => values.slice(k * q, (k + 1) * q));
    },
  };
}
