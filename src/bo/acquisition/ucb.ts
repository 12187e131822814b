import type { MomentAcquisition } from "./types.js";

/** Upper confidence bound mu + sqrt(beta) sigma (beta >= 0, BoTorch's convention). */
export function upperConfidenceBound(mu: number, sigma: number, beta: number): number {
  return mu + Math.sqrt(beta) * sigma;
}

/** UCB as a {@link MomentAcquisition}. */
export function ucbAcquisition(beta: number): MomentAcquisition {
  if (!(beta >= 0) || !Number.isFinite(beta)) throw new RangeError(`UCB beta must be a finite number >= 0, got ${beta}`);
  const k = Math.sqrt(beta);
  return {
    name: "ucb",
    value: (mu, sigma) => mu + k * sigma,
    grad(mu, sigma, out) {
      out[0] = mu + k * sigma;
      out[1] = 1;
      out[2] = k;
    },
  };
}
