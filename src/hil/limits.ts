import type { CheckResult } from "./protocols.js";

/** Check `value` against inclusive `bounds`; the violation carries everything an error message needs. */
export function checkRange(field: string, value: number, unit: string, bounds: readonly [number, number]): CheckResult {
  if (Number.isFinite(value) && value >= bounds[0] && value <= bounds[1]) return { ok: true };
  return {
    ok: false,
    violation: { field, value, unit, bounds, message: `${field} = ${value} ${unit} is outside the allowed range ${bounds[0]} to ${bounds[1]} ${unit}` },
  };
}
