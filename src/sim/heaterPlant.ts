/**
 * The heated plate under PID control: a first-order thermal model
 *     dT/dt = (T_amb + u (T_full - T_amb) - T) / tau_th,   u in [0, 1]
 * integrated exactly over each control period, with a PID controller (derivative on
 * the measurement, conditional integration against wind-up).
 */
import type { HeaterParams } from "./params.js";

export class HeaterPlant {
  /** Actual plate temperature, degC (what the chemistry sees). */
  temperature_degC: number;
  /** Target, degC. */
  setPoint_degC: number;
  /** Heater output in [0, 1]. */
  output = 0;
  /** False after a safe stop: output held at 0. */
  enabled = true;
  private integral = 0;

  constructor(
    readonly params: HeaterParams,
    initial_degC = params.ambient_degC,
  ) {
    this.temperature_degC = initial_degC;
    this.setPoint_degC = initial_degC;
    // Start with the integral that holds the initial temperature (bumpless).
    this.integral = (this.holdOutput(initial_degC) * params.integralTime_s) / params.kp_per_degC;
  }

  /** Output fraction that holds the plate at `t_degC` in steady state. */
  holdOutput(t_degC: number): number {
    const p = this.params;
    return Math.min(1, Math.max(0, (t_degC - p.ambient_degC) / (p.fullPowerTemperature_degC - p.ambient_degC)));
  }

  /** Advance `duration_s` in control periods (the last one shortened). */
  advance(duration_s: number): void {
    let left = duration_s;
    const dt0 = this.params.controlPeriod_s;
    while (left > 1e-12) {
      const dt = Math.min(dt0, left);
      this.step(dt);
      left -= dt;
    }
  }

  private step(dt: number): void {
    const p = this.params;
    const before = this.temperature_degC;
    if (this.enabled) {
      const e = this.setPoint_degC - before;
      const trial = this.integral + e * dt;
      const uTrial = p.kp_per_degC * (e + trial / p.integralTime_s);
      // Conditional integration: do not wind up while saturated in the same direction.
      if (!((uTrial > 1 && e > 0) || (uTrial < 0 && e < 0))) this.integral = trial;
      const u = p.kp_per_degC * (e + this.integral / p.integralTime_s) - p.kp_per_degC * p.derivativeTime_s * this.lastSlope;
      this.output = Math.min(1, Math.max(0, u));
    } else {
      this.output = 0;
    }
    const target = p.ambient_degC + this.output * (p.fullPowerTemperature_degC - p.ambient_degC);
    this.temperature_degC = target + (before - target) * Math.exp(-dt / p.thermalTimeConstant_s);
    this.lastSlope = (this.temperature_degC - before) / dt;
  }

  private lastSlope = 0;
}
