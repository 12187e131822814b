/**
 * Which device each input of the problem drives: the temperature input to the heater,
 * each flow input to a pump, and derived flows (the PFO carrier, half the precursor
 * total in the paper's reactor) to their own pumps. A reactor with other streams is a
 * different map (in the lab configuration), not a code change.
 */
import { BoundsError } from "../core/errors.js";

/**
 * Where a pump's rate comes from: one input, a derived set point of the problem (such as
 * PFO), or a factor times the sum of inputs.
 */
export type StreamSource = { input: string } | { setPoint: string } | { sumOf: readonly string[]; factor: number };

/** Inputs to devices. */
export interface ReactorMap {
  /** Input that is the plate set point, degC. */
  temperature: string;
  /** Pumps in the order they are started; each pump's rate (uL/min) from its source. */
  streams: readonly { pump: string; from: StreamSource }[];
}

/** The paper's reactor: T to the heater, four precursor pumps, and the problem's derived set point PFO (half the precursor sum). */
export const PAPER_REACTOR_MAP: ReactorMap = {
  temperature: "T",
  streams: [
    { pump: "CuI", from: { input: "CuI" } },
    { pump: "ZnI2", from: { input: "ZnI2" } },
    { pump: "CsOA", from: { input: "CsOA" } },
    { pump: "ODE", from: { input: "ODE" } },
    { pump: "PFO", from: { setPoint: "PFO" } },
  ],
};

/** The input names a map reads directly (derived set points come from the problem). */
export function mapInputs(map: ReactorMap): string[] {
  const names = new Set<string>([map.temperature]);
  for (const s of map.streams) for (const n of "input" in s.from ? [s.from.input] : "sumOf" in s.from ? s.from.sumOf : []) names.add(n);
  return [...names];
}

function value(condition: Readonly<Record<string, number>>, name: string): number {
  const v = condition[name];
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new BoundsError(name, Number(v), "", [-Infinity, Infinity], `the condition has no finite value for input "${name}"`);
  return v;
}

/**
 * Set points of a condition: plate temperature (degC) and each pump's rate (uL/min).
 * `derived` holds the problem's derived set points at this condition (e.g. `{ PFO: 250 }`).
 */
export function setPoints(
  map: ReactorMap,
  condition: Readonly<Record<string, number>>,
  derived: Readonly<Record<string, number>> = {},
): { setPoint_degC: number; rates: Record<string, number> } {
  const rates: Record<string, number> = {};
  for (const s of map.streams) {
    const f = s.from;
    rates[s.pump] =
      "input" in f ? value(condition, f.input) : "setPoint" in f ? value(derived, f.setPoint) : f.factor * f.sumOf.reduce((a, n) => a + value(condition, n), 0);
  }
  return { setPoint_degC: value(condition, map.temperature), rates };
}
