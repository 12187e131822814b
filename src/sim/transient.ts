/**
 * Transients at the flow cells: a change of condition at the junction reaches the cells
 * spread by the residence-time distribution (gamma, N tanks in series, mean tau) and
 * leaves a small carry-over of the old condition that decays over about one tau.
 */
import type { TransientParams } from "./params.js";

/** CDF of a gamma distribution with integer shape n and mean 1, at x >= 0. */
export function gammaCdfUnitMean(x: number, n: number): number {
  if (!(x > 0)) return 0;
  const y = n * x;
  // 1 - e^-y sum_{k<n} y^k / k!
  let term = 1;
  let sum = 1;
  for (let k = 1; k < n; k++) {
    term *= y / k;
    sum += term;
  }
  return Math.max(0, 1 - Math.exp(-y) * sum);
}

/**
 * Fraction of a step change seen at the cells after `elapsed` (time, or volume pumped)
 * since the change reached the junction, for a given `tau` in the same unit (s, or the
 * junction-to-cell volume in uL): RTD CDF times (1 - carry-over still on the walls).
 * 0 at 0, monotone non-decreasing, tends to 1.
 */
export function stepResponse(elapsed: number, tau: number, p: TransientParams): number {
  if (!(elapsed > 0) || !Number.isFinite(tau)) return 0;
  const x = elapsed / tau;
  const carry = p.carryOverFraction * Math.exp(-x / p.carryOverDecay_tau);
  return gammaCdfUnitMean(x, p.rtdTanks) * (1 - carry);
}

/**
 * A piece of inlet history: from the moment `start_uL` of cumulative volume had passed
 * the junction, the junction delivers `values`.
 */
export interface InletSegment {
  start_uL: number;
  values: readonly number[];
}

/**
 * The signal at the cells as a superposition of step responses over the inlet history,
 * in volume coordinates: a segment arrives as the cumulative volume pumped since it
 * entered grows past the junction-to-cell volume (so a flow change speeds up everything
 * already in the tubing, and nothing moves while the pumps stand still).
 * Keeps only the segments whose steps have not fully arrived.
 */
export class OutletHistory {
  private base: number[];
  private readonly segments: InletSegment[] = [];

  /**
   * @param systemVolume_uL junction-to-cell volume (one tau worth of flow), uL
   */
  constructor(
    initial: readonly number[],
    private readonly systemVolume_uL: number,
    private readonly params: TransientParams,
  ) {
    this.base = [...initial];
  }

  /** Record that from cumulative volume `start_uL` on the junction delivers `values`. */
  push(segment: InletSegment): void {
    this.segments.push(segment);
  }

  /** Values at the cells when `volume_uL` of cumulative volume has been pumped. */
  at(volume_uL: number): number[] {
    this.prune(volume_uL);
    const out = [...this.base];
    let prev = this.base;
    for (const s of this.segments) {
      const g = stepResponse(volume_uL - s.start_uL, this.systemVolume_uL, this.params);
      for (let j = 0; j < out.length; j++) out[j] += (s.values[j] - prev[j]) * g;
      prev = s.values as number[];
    }
    return out;
  }

  /** Number of segments still in flight (for tests and diagnostics). */
  get inFlight(): number {
    return this.segments.length;
  }

  private prune(volume_uL: number): void {
    while (this.segments.length > 0 && stepResponse(volume_uL - this.segments[0].start_uL, this.systemVolume_uL, this.params) > 1 - 1e-12) {
      this.base = [...this.segments.shift()!.values];
    }
  }
}
