import type { Rng } from "../../core/rng.js";
import { SobolSequence } from "../design/sobol.js";
import { isFeasible, project, type FeasibleSet } from "../optimize/feasibleSet.js";
import { maximizePosteriorMean } from "../recommend/recommendation.js";
import type { Surrogate } from "../surrogate.js";

/** Sizes of the knowledge gradient's reference set. */
export interface KgReferenceSettings {
  /** Scrambled Sobol points whose posterior means are ranked. Default 1024. */
  sobol: number;
  /** Of those, the best by posterior mean kept. Default 128. */
  topSobol: number;
  /** Best points (by posterior mean) perturbed locally. Default 8. */
  perturbCenters: number;
  /** Perturbations per centre. Default 8. */
  perturbations: number;
  /** Standard deviation of a perturbation per input, unit cube. Default 0.03. */
  perturbSd: number;
}

export const DEFAULT_KG_REFERENCE: KgReferenceSettings = { sobol: 1024, topSobol: 128, perturbCenters: 8, perturbations: 8, perturbSd: 0.03 };

/**
 * The reference set A of the discrete knowledge gradient (unit cube): the given points
 * (observed and pending), the posterior-mean maximiser, the best `topSobol` of `sobol`
 * scrambled Sobol points by posterior mean, and Gaussian perturbations of the best points.
 * Biased to the top because only points that might become the final answer (the
 * posterior-mean maximiser) matter to it. `near` (the maximiser, the top Sobol points and
 * the perturbations) also serves as extra candidates for the acquisition optimiser.
 * Deterministic for the rng's state.
 */
export function kgReferenceSet(
  surrogate: Surrogate,
  feasible: FeasibleSet,
  given: readonly (readonly number[])[],
  rng: Rng,
  settings: Partial<KgReferenceSettings> = {},
): { points: number[][]; near: number[][] } {
  const s = { ...DEFAULT_KG_REFERENCE, ...settings };
  const d = feasible.lower.length;
  const best = maximizePosteriorMean(surrogate, feasible, rng.nextUint32(), given, { rawSamples: 1024, restarts: 4, maxIterations: 100 });
  const seq = new SobolSequence(d, rng.fork());
  const sobol: number[][] = [];
  for (let drawn = 0; sobol.length < s.sobol && drawn < 20 * s.sobol; drawn++) {
    const x = seq.next().map((v, i) => feasible.lower[i] + v * (feasible.upper[i] - feasible.lower[i]));
    if (isFeasible(feasible, x)) sobol.push(x);
  }
  const sobolMean = sobol.length > 0 ? surrogate.posterior(sobol).mean : new Float64Array(0);
  const top = sobol
    .map((x, i) => ({ x, m: sobolMean[i] }))
    .sort((p, q) => q.m - p.m)
    .slice(0, s.topSobol)
    .map((p) => p.x);
  const pool = [best.x, ...given.map((x) => [...x]), ...top];
  const poolMean = surrogate.posterior(pool).mean;
  const centers = pool
    .map((x, i) => ({ x, m: poolMean[i], i }))
    .sort((p, q) => q.m - p.m || p.i - q.i)
    .slice(0, s.perturbCenters);
  const perturbed: number[][] = [];
  for (const c of centers)
    for (let k = 0; k < s.perturbations; k++)
      perturbed.push(
        project(
          feasible,
          c.x.map((v) => v + s.perturbSd * rng.normal()),
        ),
      );
  const near = [best.x, ...top, ...perturbed];
  return { points: [...given.map((x) => [...x]), ...near], near };
}
