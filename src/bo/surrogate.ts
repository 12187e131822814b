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
  /** Release resources. */
  dispose?(): void;
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
