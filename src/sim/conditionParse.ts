/**
 * Parse a condition written as "T=160,CuI=100,ZnI2=100,CsOA=40,ODE=250" (units optional:
 * "T=160degC", "CuI=100uL/min"). Errors name the field, its unit and allowed range.
 */
import { BoundsError, UsageError } from "../core/errors.js";
import { DEFAULT_SPACE, INPUT_NAMES, type Condition, type SearchSpace } from "../twin/space.js";

/** Parse and bounds-check a condition string against `space`. */
export function parseCondition(text: string, space: SearchSpace = DEFAULT_SPACE): Condition {
  const expected = space.inputs.map((s) => `${s.name}=<${s.unit}>`).join(",");
  const values: Record<string, number> = {};
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  for (const part of parts) {
    const eq = part.indexOf("=");
    if (eq < 0) throw new UsageError(`condition part "${part}" has no "="`, `write the condition as ${expected}`);
    const key = part.slice(0, eq).trim();
    const spec = space.inputs.find((s) => s.name.toLowerCase() === key.toLowerCase());
    if (!spec) throw new UsageError(`unknown input "${key}" in the condition`, `the inputs are ${INPUT_NAMES.join(", ")}`);
    if (values[spec.name] !== undefined) throw new UsageError(`input ${spec.name} is given twice in the condition`);
    const raw = part.slice(eq + 1).trim();
    const range = `${spec.bounds[0]} to ${spec.bounds[1]} ${spec.unit}`;
    const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(\S*)$/.exec(raw);
    if (!m) throw new UsageError(`${spec.name} = "${raw}" is not a number`, `give ${spec.name} in ${spec.unit}, from ${range}`);
    if (m[2] !== "" && m[2].toLowerCase() !== spec.unit.toLowerCase()) {
      throw new UsageError(`${spec.name} is given in "${m[2]}" but its unit is ${spec.unit}`, `give ${spec.name} in ${spec.unit}, from ${range}`);
    }
    const v = Number(m[1]);
    if (v < spec.bounds[0] || v > spec.bounds[1]) throw new BoundsError(spec.name, v, spec.unit, spec.bounds, "condition");
    values[spec.name] = v;
  }
  const missing = space.inputs.filter((s) => values[s.name] === undefined);
  if (missing.length > 0) {
    throw new UsageError(
      `the condition lacks ${missing.map((s) => `${s.name} (${s.unit}, ${s.bounds[0]} to ${s.bounds[1]})`).join(", ")}`,
      `write the condition as ${expected}`,
    );
  }
  return values as Condition;
}

/** The inverse: "T=160,CuI=100,...". */
export function formatCondition(c: Condition): string {
  return INPUT_NAMES.map((n) => `${n}=${c[n]}`).join(",");
}
