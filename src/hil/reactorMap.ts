/**
 * Which device each input of the problem drives: the temperature input to the heater,
 * each flow input to a pump, and derived flows (the PFO carrier, half the precursor
 * total in the paper's reactor) to their own pumps. A reactor with other streams is a
 * different map (in the lab configuration), not a code change.
 */
import { BoundsError } from "../core/errors.js";

/** Where a pump's rate comes from: one input, or a factor times the sum of inputs. */
export type StreamSource = { input: string } | { sumOf: readonly string[]; factor: number };

/** Inputs to devices. */
export interface ReactorMap {
  /** Input that is the plate set point, degC. */
  temperature: string;
  /** Pumps in the order they are started; each pump's rate (uL/min) from its source. */
  streams: readonly { pump: string; from: StreamSource }[];
}

/** The paper's reactor: T to the heater, four precursor pumps, PFO = 0.5 x the precursor sum. */
export const PAPER_REACTOR_MAP: ReactorMap = {
  temperature: "T",
  streams: [
    { pump: "CuI", from: { input: "CuI" } },
    { pump: "ZnI2", from: { input: "ZnI2" } },
    { pump: "CsOA", from: { input: "CsOA" } },
    { pump: "ODE", from: { input: "ODE" } },
    { pump: "PFO", from: { sumOf: ["CuI", "ZnI2", "CsOA", "ODE"], factor: 0.5 } },
  ],
};

/** The input names a map reads. */
export function mapInputs(map: ReactorMap): string[] {
  const names = new Set<string>([map.temperature]);
  for (const s of map.streams) for (const n of "input" in s.from ? [s.from.input] : s.from.sumOf) names.add(n);
  return [...names];
}

function value(condition: Readonly<Record<string, number>>, name: string): number {
  const v = condition[name];
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new BoundsError(name, Number(v), "", [-Infinity, Infinity], `the condition has no finite value for input "${name}"`);
  return v;
}

/** Set points of a condition: plate temperature (degC) and each pump's rate (uL/min). */
export function setPoints(map: ReactorMap, condition: Readonly<Record<string, number>>): { setPoint_degC: number; rates: Record<string, number> } {
  const rates: Record<string, number> = {};
  for (const s of map.streams) {
    rates[s.pump] = "input" in s.from ? value(condition, s.from.input) : s.from.factor * s.from.sumOf.reduce((a, n) => a + value(condition, n), 0);
  }
  return { setPoint_degC: value(condition, map.temperature), rates };
}
