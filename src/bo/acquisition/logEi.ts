import { cdfOverEiHelper, logEiHelper, pdfOverEiHelper } from "./normal.js";
import type { MomentAcquisition } from "./types.js";

/**
 * log expected improvement, log(sigma) + log h((mu - best) / sigma), finite and accurate
 * where EI itself underflows (the acquisition of the original SDFL optimizer).
 */
export function logExpectedImprovement(mu: number, sigma: number, best: number): number {
  return Math.log(sigma) + logEiHelper((mu - best) / sigma);
}

/**
 * log-EI as a {@link MomentAcquisition}. Derivatives from d log h / dz = Phi/h:
 * d/dmu = (Phi/h)/sigma, d/dsigma = (phi/h)/sigma; both ratios are computed in log space.
 */
export function logEiAcquisition(best: number): MomentAcquisition {
  return {
    name: "logei",
    value: (mu, sigma) => logExpectedImprovement(mu, sigma, best),
    grad(mu, sigma, out) {
      const z = (mu - best) / sigma;
      out[0] = Math.log(sigma) + logEiHelper(z);
      out[1] = cdfOverEiHelper(z) / sigma;
      out[2] = pdfOverEiHelper(z) / sigma;
    },
  };
}
