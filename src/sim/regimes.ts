/**
 * The two regime factors that scale the twin's prediction (the twin was trained on data
 * taken out of the mass-transfer limit and with complete reaction, where both are 1).
 */
import type { RegimeParams } from "./params.js";

/**
 * Mass-transfer (mixing) efficiency in [0, 1] at a total flow (uL/min): exactly 1 at and
 * above the critical flow, (Q / Q_crit)^exponent below it. Monotone non-decreasing.
 */
export function massTransferEfficiency(totalFlow_uL_min: number, p: RegimeParams): number {
  if (!(totalFlow_uL_min > 0)) return 0;
  if (totalFlow_uL_min >= p.criticalTotalFlow_uL_min) return 1;
  return Math.pow(totalFlow_uL_min / p.criticalTotalFlow_uL_min, p.massTransferExponent);
}

/**
 * Fraction of the reaction completed after `time_s` seconds in the heated zone, in
 * [0, 1]: 1 - (1 - t/t_sat)^shape below t_sat, exactly 1 from t_sat on.
 */
export function reactionCompletion(time_s: number, p: RegimeParams): number {
  if (!(time_s > 0)) return 0;
  if (time_s >= p.completionTime_s) return 1;
  return 1 - Math.pow(1 - time_s / p.completionTime_s, p.completionShape);
}

/** Multipliers applied to the twin's (Abs300, PLA). */
export interface RegimeFactors {
  /** Multiplies Abs300 (amount of product). */
  abs: number;
  /** Multiplies the PL area (amount times emission efficiency). */
  pla: number;
}

/**
 * Factors for a total flow (uL/min) and reaction time (s): completion scales both
 * features; mass-transfer efficiency eta scales Abs300 by eta^absExponent and PLA by eta.
 */
export function regimeFactors(totalFlow_uL_min: number, time_s: number, p: RegimeParams): RegimeFactors {
  const eta = massTransferEfficiency(totalFlow_uL_min, p);
  const done = reactionCompletion(time_s, p);
  return { abs: done * Math.pow(eta, p.massTransferAbsExponent), pla: done * eta };
}
