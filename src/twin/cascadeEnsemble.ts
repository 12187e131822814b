import { cascadeForward, type CascadeMember } from "./cascade.js";
import type { PlqyReference } from "./plqy.js";
import { summarizeMembers } from "./posterior.js";
import type { Twin, TwinPosterior } from "./twin.js";

/** Everything that defines a trained cascade ensemble, independent of file format. */
export interface CascadeEnsembleSpec {
  source: string;
  inputs: string[];
  /** [lo, hi] per input (physical units). */
  inputBounds: [number, number][];
  /** Output names, ["Abs300nm", "PLA"]. */
  outputs: string[];
  /** Min-max scaling of the outputs: y_phys = min + y * (max - min). */
  outputScaling: { min: number[]; max: number[] };
  plqyReference: PlqyReference;
  members: CascadeMember[];
}

/**
 * A {@link Twin} that evaluates a cascade ensemble in plain JavaScript (float64).
 * Exact and dependency-free; for very large batches a TensorFlow.js predictor is faster.
 */
export class CascadeEnsembleTwin implements Twin {
  readonly inputs: readonly string[];
  readonly inputBounds: readonly (readonly [number, number])[];
  readonly memberCount: number;
  readonly plqyReference: PlqyReference;
  readonly source: string;

  constructor(readonly spec: CascadeEnsembleSpec) {
    this.inputs = spec.inputs;
    this.inputBounds = spec.inputBounds;
    this.memberCount = spec.members.length;
    this.plqyReference = spec.plqyReference;
    this.source = spec.source;
  }

  predict(points: readonly (readonly number[])[]): TwinPosterior {
    const n = points.length;
    const d = this.inputs.length;
    const m = this.memberCount;
    const z = normalizePoints(points, this.inputBounds);
    const abs = new Float64Array(m * n);
    const pla = new Float64Array(m * n);
    const { min, max } = this.spec.outputScaling;
    for (let k = 0; k < m; k++) {
      const y = cascadeForward(this.spec.members[k], z, n, d);
      for (let i = 0; i < n; i++) {
        abs[k * n + i] = min[0] + y[i * 2] * (max[0] - min[0]);
        pla[k * n + i] = min[1] + y[i * 2 + 1] * (max[1] - min[1]);
      }
    }
    return summarizeMembers(abs, pla, n, m, this.plqyReference);
  }

  dispose(): void {}
}

/** Physical points [n][d] -> flat unit-cube array [n*d]. */
export function normalizePoints(points: readonly (readonly number[])[], bounds: readonly (readonly [number, number])[]): Float64Array {
  const d = bounds.length;
  const z = new Float64Array(points.length * d);
  points.forEach((p, i) => {
    if (p.length < d) throw new RangeError(`point ${i} has ${p.length} inputs, expected ${d}`);
    for (let j = 0; j < d; j++) z[i * d + j] = (p[j] - bounds[j][0]) / (bounds[j][1] - bounds[j][0]);
  });
  return z;
}
