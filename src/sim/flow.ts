/**
 * Flow geometry: residence (reaction) time, tau and droplet concentrations, from the
 * tubing volumes and the pump rates. Pure functions; flows in uL/min, times in s.
 */
import type { Condition } from "../twin/space.js";
import type { ReactorGeometry, StockSolutions } from "./params.js";

/** Total precursor flow CuI + ZnI2 + CsOA + ODE, uL/min. */
export function precursorFlow(c: Condition): number {
  return c.CuI + c.ZnI2 + c.CsOA + c.ODE;
}

/** PFO carrier flow, uL/min: `pfoRatio` times the precursor total. */
export function carrierFlow(c: Condition, g: ReactorGeometry): number {
  return g.pfoRatio * precursorFlow(c);
}

/** Total flow through the reactor (precursors + PFO), uL/min. */
export function reactorFlow(c: Condition, g: ReactorGeometry): number {
  return (1 + g.pfoRatio) * precursorFlow(c);
}

/**
 * Reaction (residence) time in the heated volume, s: V_heated / Q_total.
 * 600 uL at 600 uL/min is 60 s. Infinity when nothing flows.
 */
export function reactionTime_s(totalFlow_uL_min: number, g: ReactorGeometry): number {
  return totalFlow_uL_min > 0 ? (60 * g.heatedVolume_uL) / totalFlow_uL_min : Infinity;
}

/** tau, s: time from the segmentation junction to the flow cells at this total flow. */
export function tau_s(totalFlow_uL_min: number, g: ReactorGeometry): number {
  const v = g.inletVolume_uL + g.heatedVolume_uL + g.outletVolume_uL;
  return totalFlow_uL_min > 0 ? (60 * v) / totalFlow_uL_min : Infinity;
}

/** Droplet concentrations (mM = mmol/L) of Cu, Zn and Cs at a condition. */
export interface DropletConcentrations {
  Cu_mM: number;
  Zn_mM: number;
  Cs_mM: number;
}

/**
 * Concentration of each element in the droplet: stock concentration times the
 * stream's flow over the total precursor flow (ODE only dilutes).
 */
export function dropletConcentrations(c: Condition, s: StockSolutions): DropletConcentrations {
  const q = precursorFlow(c);
  const stock = (mmol: number): number => (mmol / s.stockVolume_mL / s.dilution) * 1000; // mmol/mL -> mM
  return {
    Cu_mM: (stock(s.CuI_mmol) * c.CuI) / q,
    Zn_mM: (stock(s.ZnI2_mmol) * c.ZnI2) / q,
    Cs_mM: (stock(2 * s.Cs2CO3_mmol) * c.CsOA) / q,
  };
}
