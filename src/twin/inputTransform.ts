/**
 * A fixed, stored, differentiable map from a twin's physical inputs to the features its
 * networks see. "flow-fractions": the precursor flows become their total (residence time
 * ~ 1 / total flow) and each flow's fraction of the total (the concentration ratios the
 * chemistry depends on), the other inputs (temperature) pass through. The last flow's
 * fraction is 1 minus the others, so it is dropped: d inputs give d features.
 */
import { UsageError } from "../core/errors.js";

/** What a twin file stores (field `inputTransform`; absent = the physical inputs, as every published twin). */
export interface InputTransform {
  kind: "flow-fractions";
  /** Indices (into the twin's inputs) of the flows, at least 2; the last one's fraction is dropped. */
  flows: number[];
  /** [lo, hi] per feature, in feature order, for min-max normalisation. */
  featureBounds: [number, number][];
}

/** Feature names: the passed-through inputs, then "total", then "x" + each flow but the last. */
export function featureNames(t: InputTransform, inputs: readonly string[]): string[] {
  const flows = new Set(t.flows);
  return [...inputs.filter((_, j) => !flows.has(j)), "total", ...t.flows.slice(0, -1).map((j) => `x${inputs[j]}`)];
}

/** Features of one point. `x` has shape [d] (physical units); the result [d]. */
export function applyTransform(t: InputTransform, x: readonly number[]): number[] {
  const flows = new Set(t.flows);
  const out: number[] = [];
  for (let j = 0; j < x.length; j++) if (!flows.has(j)) out.push(x[j]);
  let total = 0;
  for (const j of t.flows) total += x[j];
  out.push(total);
  for (const j of t.flows.slice(0, -1)) out.push(x[j] / total);
  return out;
}

/** The inputs a feature vector came from (inverse of {@link applyTransform}; d = features.length). */
export function invertTransform(t: InputTransform, f: readonly number[]): number[] {
  const d = f.length;
  const flows = new Set(t.flows);
  const x = new Array<number>(d).fill(0);
  let k = 0;
  for (let j = 0; j < d; j++) if (!flows.has(j)) x[j] = f[k++];
  const total = f[k++];
  let rest = 1;
  for (const j of t.flows.slice(0, -1)) {
    x[j] = f[k] * total;
    rest -= f[k++];
  }
  x[t.flows[t.flows.length - 1]] = rest * total;
  return x;
}

/**
 * Jacobian of {@link applyTransform} at x: J[a][j] = d feature_a / d input_j, shape [d][d]
 * (for the chain rule of gradients taken in feature space).
 */
export function transformJacobian(t: InputTransform, x: readonly number[]): number[][] {
  const d = x.length;
  const flows = new Set(t.flows);
  const J: number[][] = [];
  for (let j = 0; j < d; j++)
    if (!flows.has(j)) {
      const row = new Array<number>(d).fill(0);
      row[j] = 1;
      J.push(row);
    }
  let total = 0;
  for (const j of t.flows) total += x[j];
  const totalRow = new Array<number>(d).fill(0);
  for (const j of t.flows) totalRow[j] = 1;
  J.push(totalRow);
  for (const i of t.flows.slice(0, -1)) {
    // d (x_i / S) / d x_j = [i == j] / S - x_i / S^2 for every flow j.
    const row = new Array<number>(d).fill(0);
    for (const j of t.flows) row[j] = (i === j ? 1 / total : 0) - x[i] / (total * total);
    J.push(row);
  }
  return J;
}

/**
 * The transform for inputs with these bounds: feature bounds are exact over the box
 * (total from the sums of the bounds; a fraction is extreme where its flow is at one bound
 * and every other flow at the opposite one).
 */
export function flowFractions(inputBounds: readonly (readonly [number, number])[], flows: readonly number[]): InputTransform {
  if (flows.length < 2 || new Set(flows).size !== flows.length || flows.some((j) => !Number.isInteger(j) || j < 0 || j >= inputBounds.length))
    throw new UsageError(`flow-fractions needs at least 2 distinct input indices below ${inputBounds.length}, got [${flows.join(", ")}]`);
  if (flows.some((j) => inputBounds[j][0] <= 0))
    throw new UsageError(`flow-fractions needs flows with positive lower bounds, got ${flows.map((j) => inputBounds[j][0]).join(", ")}`);
  const t: InputTransform = { kind: "flow-fractions", flows: [...flows], featureBounds: [] };
  const set = new Set(flows);
  const lo = (j: number) => inputBounds[j][0];
  const hi = (j: number) => inputBounds[j][1];
  inputBounds.forEach((b, j) => set.has(j) || t.featureBounds.push([b[0], b[1]]));
  t.featureBounds.push([flows.reduce((s, j) => s + lo(j), 0), flows.reduce((s, j) => s + hi(j), 0)]);
  for (const i of flows.slice(0, -1)) {
    const othersLo = flows.reduce((s, j) => s + (j === i ? 0 : lo(j)), 0);
    const othersHi = flows.reduce((s, j) => s + (j === i ? 0 : hi(j)), 0);
    t.featureBounds.push([lo(i) / (lo(i) + othersHi), hi(i) / (hi(i) + othersLo)]);
  }
  return t;
}

/**
 * A twin file's "inputTransform" field, checked against the twin's input bounds: the kind,
 * distinct flow indices and one finite [lo, hi] with lo < hi per feature. Throws an Error
 * naming the field (the caller adds the file).
 */
export function parseInputTransform(json: unknown, inputBounds: readonly (readonly [number, number])[]): InputTransform {
  const o = json as Record<string, unknown>;
  const d = inputBounds.length;
  if (!o || typeof o !== "object" || o.kind !== "flow-fractions")
    throw new Error(`"inputTransform" must be {"kind": "flow-fractions", ...}, got ${JSON.stringify(json)}`);
  const flows = o.flows;
  if (!Array.isArray(flows) || flows.length < 2 || new Set(flows).size !== flows.length || flows.some((j) => !Number.isInteger(j) || j < 0 || j >= d))
    throw new Error(`"inputTransform.flows" must list at least 2 distinct input indices from 0 to ${d - 1}, got ${JSON.stringify(flows)}`);
  const fb = o.featureBounds;
  if (!Array.isArray(fb) || fb.length !== d) throw new Error(`"inputTransform.featureBounds" must hold one [lo, hi] per feature (${d})`);
  const featureBounds = fb.map((b: unknown, a) => {
    if (!Array.isArray(b) || b.length !== 2 || !b.every((v) => typeof v === "number" && Number.isFinite(v)) || !(b[0] < b[1]))
      throw new Error(`"inputTransform.featureBounds"[${a}] must be [lo, hi] with finite lo < hi, got ${JSON.stringify(b)}`);
    return [b[0], b[1]] as [number, number];
  });
  return { kind: "flow-fractions", flows: flows as number[], featureBounds };
}
