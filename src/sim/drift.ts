/**
 * Slow drift of the lamp (excitation) intensity and of the detector dark level, each an
 * Ornstein-Uhlenbeck process sampled exactly at arbitrary times, so hours of lab time
 * cost nothing to simulate.
 */
import type { Rng } from "../core/rng.js";
import type { NoiseParams } from "./params.js";

/** One stationary Ornstein-Uhlenbeck process with std `sigma` and correlation time `theta_s`. */
export class OrnsteinUhlenbeck {
  private x = 0;
  private t: number;
  constructor(
    private readonly sigma: number,
    private readonly theta_s: number,
    private readonly rng: Rng,
    t0_s = 0,
  ) {
    this.t = t0_s;
    this.x = sigma * rng.normal();
  }
  /** Value at time `t_s` (>= the last time asked; earlier times return the current value). */
  at(t_s: number): number {
    const dt = t_s - this.t;
    if (dt > 0 && this.sigma > 0) {
      const a = Math.exp(-dt / this.theta_s);
      this.x = this.x * a + this.sigma * Math.sqrt(1 - a * a) * this.rng.normal();
      this.t = t_s;
    }
    return this.x;
  }
}

/** Lamp and dark drift together. */
export class InstrumentDrift {
  private readonly lamp: OrnsteinUhlenbeck;
  private readonly dark: OrnsteinUhlenbeck;
  constructor(params: NoiseParams, rng: Rng, enabled: boolean) {
    this.lamp = new OrnsteinUhlenbeck(enabled ? params.lampDriftRsd : 0, params.lampDriftTime_s, rng.fork());
    this.dark = new OrnsteinUhlenbeck(enabled ? params.darkDriftStd_counts : 0, params.darkDriftTime_s, rng.fork());
  }
  /** Lamp intensity relative to nominal at time t_s (1 + drift). */
  lampFactor(t_s: number): number {
    return 1 + this.lamp.at(t_s);
  }
  /** Dark-level shift at time t_s, counts. */
  darkOffset_counts(t_s: number): number {
    return this.dark.at(t_s);
  }
}
