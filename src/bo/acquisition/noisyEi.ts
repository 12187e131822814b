import { Rng } from "../../core/rng.js";
import { SobolSequence } from "../design/sobol.js";
import type { JointSampler, Surrogate } from "../surrogate.js";
import { normQuantile } from "./normal.js";
import type { AcquisitionObjective } from "./objective.js";

/**
 * Monte Carlo noisy expected improvement (as BoTorch's qLogNEI, for one candidate):
 *
 *     NEI(x) = E[ max(0, f(x) - max_b f(x_b)) ]
 *
 * over the JOINT posterior of the latent objective at the candidate x and at the baseline
 * points x_b (the observed conditions), so the incumbent is not one noisy reading nor a
 * plug-in mean but is integrated over: where the model is unsure which observed point is
 * best, so is the acquisition. The expectation is a mean over S joint samples drawn from
 * fixed (quasi-random) base samples, and the max(0, .) is smoothed on the log scale
 * (log-softplus with temperature tau), so the value is finite, smooth and informative
 * even where every sample improves by nothing.
 */

/** Default smoothing temperature of the improvement, relative to the objective's spread (BoTorch's TAU_RELU). */
export const NEI_TAU = 1e-6;
/** Default number of joint samples. */
export const NEI_SAMPLES = 256;
/** Largest baseline kept (the quasi-random base samples have baseline + 1 <= 21 dimensions). */
export const NEI_MAX_BASELINE = 20;

/** log(tau softplus(z / tau)): about log z for z >> tau, z / tau + log tau for z << -tau; smooth and increasing. */
export function logSoftplus(z: number, tau: number): number {
  const u = z / tau;
  // softplus(u) = log1p(exp(u)); log of it, stable at both ends.
  const ls = u > 30 ? Math.log(u + Math.log1p(Math.exp(-u))) : u < -30 ? u : Math.log(Math.log1p(Math.exp(u)));
  return Math.log(tau) + ls;
}

/**
 * log of the mean over samples of the smoothed improvement softplus_tau(f_s - M_s).
 *
 * @param f samples at one candidate; f[offset + s] is sample s (objective units).
 * @param offset where the candidate's S samples start in `f`.
 * @param baselineMax M_s, the sample's maximum over the baseline, shape [S].
 * @param tau smoothing temperature (objective units, > 0).
 */
export function logNoisyEiFromSamples(f: ArrayLike<number>, offset: number, baselineMax: ArrayLike<number>, tau: number): number {
  const S = baselineMax.length;
  let top = -Infinity;
  const terms = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    terms[s] = logSoftplus(f[offset + s] - baselineMax[s], tau);
    if (terms[s] > top) top = terms[s];
  }
  if (!Number.isFinite(top)) return top;
  let sum = 0;
  for (let s = 0; s < S; s++) sum += Math.exp(terms[s] - top);
  return top + Math.log(sum / S);
}

/**
 * `count` standard-normal vectors of dimension `dim` (<= 21) from a randomly shifted Sobol
 * sequence through the normal quantile (quasi-Monte Carlo base samples), shape [count][dim].
 */
export function qmcNormalSamples(count: number, dim: number, rng: Rng): Float64Array[] {
  const sobol = new SobolSequence(dim, rng);
  const lo = 2 ** -33;
  return Array.from({ length: count }, () => Float64Array.from(sobol.next(), (u) => normQuantile(Math.min(1 - lo, Math.max(lo, u)))));
}

/**
 * The log noisy EI of candidates as the acquisition optimiser's batch objective (no
 * gradient: the optimiser uses batched finite differences). Shape [q][d] -> [q].
 *
 * @param tau smoothing temperature in objective units (> 0).
 */
export function noisyEiObjective(sampler: JointSampler, tau: number): AcquisitionObjective {
  return {
    value(X) {
      const f = sampler.candidates(X);
      const S = sampler.count;
      return Float64Array.from({ length: X.length }, (_, i) => logNoisyEiFromSamples(f, i * S, sampler.baselineMax, tau));
    },
  };
}

/**
 * The baseline points worth keeping: those that are the best of the baseline in at least
 * one of `samples` joint posterior samples, most often first, at most `maxPoints` (as
 * BoTorch's prune_baseline). Returns indices into X.
 */
export function pruneBaseline(surrogate: Surrogate, X: readonly (readonly number[])[], rng: Rng, maxPoints = NEI_MAX_BASELINE, samples = 256): number[] {
  if (X.length <= 1) return X.map((_, i) => i);
  const wins = new Array<number>(X.length).fill(0);
  for (const v of surrogate.posterior(X).sample(samples, rng)) {
    let b = 0;
    for (let i = 1; i < v.length; i++) if (v[i] > v[b]) b = i;
    wins[b]++;
  }
  return wins
    .map((w, i) => ({ w, i }))
    .filter((e) => e.w > 0)
    .sort((a, b) => b.w - a.w || a.i - b.i)
    .slice(0, maxPoints)
    .map((e) => e.i);
}

/**
 * A {@link JointSampler} from an ensemble surrogate: the members are the joint samples
 * (member k at the baseline and at every candidate is one function). Undefined when the
 * surrogate's posterior is not an ensemble's.
 */
export function memberJointSampler(surrogate: Surrogate, baseline: readonly (readonly number[])[]): JointSampler | undefined {
  const p = surrogate.posterior(baseline);
  const m = p.members;
  if (m === undefined) return undefined;
  // Every member is returned in order when count >= m; the rng is then unused.
  const noRng = new Rng(0);
  const baselineMax = Float64Array.from(p.sample(m, noRng), (v) => Math.max(...v));
  return {
    count: m,
    baselineMax,
    candidates(X) {
      const members = surrogate.posterior(X).sample(m, noRng);
      const out = new Float64Array(X.length * m);
      for (let k = 0; k < m; k++) for (let i = 0; i < X.length; i++) out[i * m + k] = members[k][i];
      return out;
    },
  };
}

/**
 * The joint sampler the noisy EI uses: the surrogate's own (the GP's: exact conditional
 * samples from fixed quasi-random base samples) at the pruned baseline, else its
 * ensemble members, else undefined (the caller falls back to the plug-in noisy EI).
 */
export function noisyEiSampler(surrogate: Surrogate, baseline: readonly (readonly number[])[], rng: Rng, samples = NEI_SAMPLES): JointSampler | undefined {
  if (baseline.length === 0) return undefined;
  if (surrogate.jointSampler) {
    const keep = pruneBaseline(surrogate, baseline, rng.fork());
    return surrogate.jointSampler(
      keep.map((i) => baseline[i]),
      samples,
      rng.fork(),
    );
  }
  return memberJointSampler(surrogate, baseline);
}
