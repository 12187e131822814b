import type { Rng } from "../core/rng.js";

/**
 * Training data for a surrogate: points in the unit cube and the objective (larger is
 * better), plus the measured outcomes for surrogates that model them (the paper's ENN
 * models two outcomes and derives the objective per member).
 */
export interface Observations {
  /** Shape [n][d], normalised inputs in [0, 1]. */
  X: number[][];
  /** Shape [n], the objective, oriented so that larger is better. */
  y: number[];
  /** Outcomes every observation reports, by name, shape [n] each. */
  outcomes?: Record<string, number[]>;
}

/** Posterior of the objective at q points. */
export interface Posterior {
  /** Shape [q]. */
  mean: Float64Array;
  /** Shape [q], >= 0. */
  variance: Float64Array;
  /**
   * Joint samples of the objective at the q points: `count` arrays of shape [q].
   * Ensembles return their members (count is then ignored if larger than the ensemble).
   */
  sample(count: number, rng: Rng): Float64Array[];
  /**
   * Ensembles only: the number of members m. `sample(count >= m)` then returns every
   * member in member order, so samples taken at different points in separate calls are
   * still joint (member k is one function). Absent for other posteriors.
   */
  members?: number;
}

/**
 * Joint posterior samples of the latent objective at a fixed set of baseline points
 * (e.g. the observed ones) and at any candidate, from fixed base samples: sample s at a
 * candidate is jointly distributed with sample s at the baseline, and the same candidate
 * always gets the same samples (so a Monte Carlo acquisition is a smooth, deterministic
 * function of the candidate).
 */
export interface JointSampler {
  /** Number of joint samples S. */
  readonly count: number;
  /** Per sample, the largest sampled objective over the baseline points, shape [S] (objective units). */
  readonly baselineMax: Float64Array;
  /** Samples at q candidates (unit cube, shape [q][d]), candidate-major, shape [q*S] (objective units). */
  candidates(X: readonly (readonly number[])[]): Float64Array;
}

/** A probabilistic model of the objective. Its only duty besides fitting is `posterior`. */
export interface Surrogate {
  readonly name: string;
  /** Fit (or refit, warm-starting where sensible) to all observations so far. */
  fit(data: Observations, rng: Rng): Promise<SurrogateFitInfo>;
  /** Posterior at points in the unit cube, shape [q][d]. */
  posterior(X: readonly (readonly number[])[]): Posterior;
  /**
   * Optional: posterior mean and variance with their gradients with respect to the inputs
   * (unit cube). Surrogates that offer it get analytic-gradient acquisition optimisation;
   * the others get finite differences.
   */
  posteriorGradient?(X: readonly (readonly number[])[]): PosteriorGradient;
  /**
   * Optional: a copy that has also seen (X, y) (unit cube, objective), hyperparameters and
   * scaling unchanged. Used for batch proposals and pending points (kriging believer).
   */
  condition?(X: readonly (readonly number[])[], y: readonly number[]): Surrogate;
  /**
   * Optional: a {@link JointSampler} at `baseline` (unit cube, shape [b][d]) with `count`
   * fixed base samples drawn from `rng` (quasi-random where the surrogate can). Used by
   * the Monte Carlo noisy expected improvement.
   */
  jointSampler?(baseline: readonly (readonly number[])[], count: number, rng: Rng): JointSampler;
  /**
   * Optional: the posterior covariance of the latent objective between q candidates X and
   * b reference points A (unit cube, shapes [q][d] and [b][d]), the candidates' posterior
   * variances, and the noise variance a new measurement would have. Used by the knowledge
   * gradient; strategies fall back to UCB for surrogates without it (e.g. the ENN).
   */
  crossCovariance?(X: readonly (readonly number[])[], A: readonly (readonly number[])[]): CrossCovariance;
  /** Release resources. */
  dispose?(): void;
}

/** What {@link Surrogate.crossCovariance} returns, in objective units squared. */
export interface CrossCovariance {
  /** Shape [q*b] row-major: cov(f(x_i), f(a_k)) at index i*b + k. */
  cross: Float64Array;
  /** Shape [q], >= 0: var(f(x_i)). */
  variance: Float64Array;
  /** Noise variance of a new measurement (>= 0), the same at every candidate. */
  noiseVariance: number;
}

/** Posterior moments at q points and their gradients with respect to the d inputs. */
export interface PosteriorGradient {
  /** Shape [q]. */
  mean: Float64Array;
  /** Shape [q], >= 0. */
  variance: Float64Array;
  /** Shape [q*d], row-major: d mean_i / d x_ij at index i*d + j. */
  dMean: Float64Array;
  /** Shape [q*d], row-major. */
  dVariance: Float64Array;
}

/** What a fit reports, kept in the campaign store. */
export interface SurrogateFitInfo {
  seconds: number;
  /** Free-form metadata: hyperparameters, epochs, warnings. */
  meta: Record<string, unknown>;
  warnings: string[];
}
