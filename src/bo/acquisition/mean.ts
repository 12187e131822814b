import type { MomentAcquisition } from "./types.js";

/** The posterior mean itself: pure exploitation (the last experiment of a campaign). */
export function posteriorMeanAcquisition(): MomentAcquisition {
  return {
    name: "mean",
    value: (mu) => mu,
    grad(mu, _sigma, out) {
      out[0] = mu;
      out[1] = 1;
      out[2] = 0;
    },
  };
}
