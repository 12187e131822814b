/**
 * Priors on the GP hyperparameters (inputs in the unit cube, outputs standardised).
 * Each contributes log p(x) to the MAP objective, differentiated in u = log x.
 */
export type HyperPrior = { kind: "gamma"; shape: number; rate: number } | { kind: "lognormal"; loc: number; scale: number };

export interface GpPriorSet {
  readonly name: string;
  lengthscale(d: number): HyperPrior;
  readonly outputscale: HyperPrior;
  readonly noise: HyperPrior;
}

/** BoTorch's classic SingleTaskGP priors: lengthscale Gamma(3, 6), outputscale Gamma(2, 0.15), noise Gamma(1.1, 0.05). */
export const CLASSIC_PRIORS: GpPriorSet = {
  name: "classic",
  lengthscale: () => ({ kind: "gamma", shape: 3, rate: 6 }),
  outputscale: { kind: "gamma", shape: 2, rate: 0.15 },
  noise: { kind: "gamma", shape: 1.1, rate: 0.05 },
};

/**
 * Dimension-scaled priors (Hvarfner, Hellsten and Nardi 2024; BoTorch's current default):
 * lengthscale LogNormal(sqrt2 + log(d)/2, sqrt3), noise LogNormal(-4, 1); the outputscale
 * keeps the classic Gamma(2, 0.15).
 */
export const DIMENSION_SCALED_PRIORS: GpPriorSet = {
  name: "dimension-scaled",
  lengthscale: (d) => ({ kind: "lognormal", loc: Math.SQRT2 + 0.5 * Math.log(d), scale: Math.sqrt(3) }),
  outputscale: { kind: "gamma", shape: 2, rate: 0.15 },
  noise: { kind: "lognormal", loc: -4, scale: 1 },
};

/** Prior on each Kumaraswamy warp concentration (a and b), BoTorch's LogNormal(0, sqrt 0.75): centred on the identity. */
export const WARP_PRIOR: HyperPrior = { kind: "lognormal", loc: 0, scale: Math.sqrt(0.75) };

/** log p(x) up to a constant and its derivative in u = log x. */
export function logPrior(p: HyperPrior, x: number): { value: number; dLogX: number } {
  if (p.kind === "gamma") return { value: (p.shape - 1) * Math.log(x) - p.rate * x, dLogX: p.shape - 1 - p.rate * x };
  const u = Math.log(x);
  const z = (u - p.loc) / p.scale;
  return { value: -u - 0.5 * z * z, dLogX: -1 - z / p.scale };
}
