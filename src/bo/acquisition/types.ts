/**
 * An acquisition function as a pure function of the posterior moments at one point.
 * `value(mu, sigma)` is what is maximised; `grad` writes [value, d/dmu, d/dsigma] into
 * `out` so the optimiser can chain through d mu/dx and d sigma/dx.
 */
export interface MomentAcquisition {
  readonly name: string;
  value(mu: number, sigma: number): number;
  grad(mu: number, sigma: number, out: Float64Array): void;
}

/** Smallest posterior standard deviation used anywhere (the one place sigma is clamped). */
export const MIN_SIGMA = 1e-12;

/** sigma = sqrt(max(variance, MIN_SIGMA^2)). */
export function clampedSigma(variance: number): number {
  return Math.sqrt(Math.max(variance, MIN_SIGMA * MIN_SIGMA));
}
