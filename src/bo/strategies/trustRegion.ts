import type { FeasibleSet } from "../optimize/feasibleSet.js";

/** Settings of a trust region (TuRBO-like, Eriksson et al. 2019), unit-cube side lengths. */
export interface TrustRegionOptions {
  /** Initial side length. Default 0.8. */
  initial?: number;
  /** Smallest side length. Default 0.05. */
  min?: number;
  /** Largest side length. Default 1.6 (the whole cube). */
  max?: number;
  /** Consecutive successes before the side doubles. Default 2. */
  successTolerance?: number;
  /** Consecutive failures before the side halves. Default 3. */
  failureTolerance?: number;
  /** Every this-many-th proposal searches the whole space (0 = never). Default 2 (alternate local and global). */
  globalEvery?: number;
}

/**
 * A box around the incumbent (the observed point with the best posterior mean, not the
 * best noisy reading) in which the acquisition is maximised. A success is a proposal
 * that became the incumbent; after `successTolerance` successes in a row the box doubles,
 * after `failureTolerance` failures in a row it halves, within [min, max].
 */
export class TrustRegion {
  length: number;
  private successes = 0;
  private failures = 0;
  private readonly o: Required<TrustRegionOptions>;

  constructor(o: TrustRegionOptions = {}) {
    this.o = { initial: 0.8, min: 0.05, max: 1.6, successTolerance: 2, failureTolerance: 3, globalEvery: 2, ...o };
    this.length = this.o.initial;
  }

  /** Record whether the last local proposal became the incumbent. */
  update(success: boolean): void {
    if (success) {
      this.successes++;
      this.failures = 0;
      if (this.successes >= this.o.successTolerance) {
        this.length = Math.min(this.o.max, 2 * this.length);
        this.successes = 0;
      }
    } else {
      this.failures++;
      this.successes = 0;
      if (this.failures >= this.o.failureTolerance) {
        this.length = Math.max(this.o.min, this.length / 2);
        this.failures = 0;
      }
    }
  }

  /** True when proposal number `k` (0-based) searches the whole space. */
  isGlobal(k: number): boolean {
    return this.o.globalEvery > 0 && k % this.o.globalEvery === this.o.globalEvery - 1;
  }

  /** The feasible set restricted to the box of the current side around `center` [d]. */
  box(set: FeasibleSet, center: readonly number[]): FeasibleSet {
    const h = this.length / 2;
    return {
      ...set,
      lower: center.map((c, i) => Math.max(set.lower[i], c - h)),
      upper: center.map((c, i) => Math.min(set.upper[i], c + h)),
    };
  }
}
