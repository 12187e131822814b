import { normCdf, normPdf } from "./normal.js";
import type { MomentAcquisition } from "./types.js";

/** Probability of improvement Phi((mu - best) / sigma). In [0, 1]. */
export function probabilityOfImprovement(mu: number, sigma: number, best: number): number {
  return normCdf((mu - best) / sigma);
}

/** PI as a {@link MomentAcquisition}: d/dmu = phi(z)/sigma, d/dsigma = -z phi(z)/sigma. */
export function piAcquisition(best: number): MomentAcquisition {
  return {
    name: "pi",
    value: (mu, sigma) => probabilityOfImprovement(mu, sigma, best),
    grad(mu, sigma, out) {
      const z = (mu - best) / sigma;
      const p = normPdf(z);
      out[0] = normCdf(z);
      out[1] = p / sigma;
      out[2] = (-z * p) / sigma;
    },
  };
}
