import { eiHelper, normCdf, normPdf } from "./normal.js";
import type { MomentAcquisition } from "./types.js";

/**
 * Expected improvement over `best` of a normal with mean `mu`, standard deviation `sigma`:
 * EI = sigma h(z), z = (mu - best) / sigma, h(z) = phi(z) + z Phi(z). Always >= 0.
 * Example: expectedImprovement(-0.5, 1, 0) = 0.19780.
 */
export function expectedImprovement(mu: number, sigma: number, best: number): number {
  return sigma * eiHelper((mu - best) / sigma);
}

/** EI as a {@link MomentAcquisition}: dEI/dmu = Phi(z), dEI/dsigma = phi(z). */
export function eiAcquisition(best: number): MomentAcquisition {
  return {
    name: "ei",
    value: (mu, sigma) => expectedImprovement(mu, sigma, best),
    grad(mu, sigma, out) {
      const z = (mu - best) / sigma;
      out[0] = sigma * eiHelper(z);
      out[1] = normCdf(z);
      out[2] = normPdf(z);
    },
  };
}
