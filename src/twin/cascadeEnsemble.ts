import { readyTf } from "./backend.js";
import { JsCascadePredictor } from "./jsPredictor.js";
import type { PlqyReference } from "./plqy.js";
import { summarizeMembers } from "./posterior.js";
import { TfCascadePredictor } from "./tfPredictor.js";
import type { Twin, TwinPosterior } from "./twin.js";
import type { CascadeMember } from "./cascade.js";

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
 * Batches at least this large go to TensorFlow.js (when a backend was initialised, e.g.
 * by loadTwin); smaller ones run the float64 SIMD/JavaScript kernels (about 10,000 points/s
 * at any batch size with SIMD, so TF.js only pays off for large batches). Measured crossover on
 * the WASM backend: see benchmarks/notes/twin.md.
 */
export const TF_MIN_BATCH = 512;

/**
 * A {@link Twin} that evaluates a cascade ensemble: plain JavaScript (float64, blocked
 * kernels) for small batches; for large batches TensorFlow.js (float32) when a backend
 * is ready. Both agree to float32 precision.
 */
export class CascadeEnsembleTwin implements Twin {
  readonly inputs: readonly string[];
  readonly inputBounds: readonly (readonly [number, number])[];
  readonly memberCount: number;
  readonly plqyReference: PlqyReference;
  readonly source: string;
  /** Force one path: "js" always, "tf" whenever a backend is ready, "auto" by batch size. */
  mode: "auto" | "js" | "tf" = "auto";
  private js?: JsCascadePredictor;
  private tf?: TfCascadePredictor;

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
    const y = this.forward(z, n, d);
    const abs = new Float64Array(m * n);
    const pla = new Float64Array(m * n);
    const { min, max } = this.spec.outputScaling;
    const ra = max[0] - min[0];
    const rp = max[1] - min[1];
    for (let j = 0; j < m * n; j++) {
      abs[j] = min[0] + y[j * 2] * ra;
      pla[j] = min[1] + y[j * 2 + 1] * rp;
    }
    return summarizeMembers(abs, pla, n, m, this.plqyReference);
  }

  /** Which path a batch of n points takes. */
  pathFor(n: number): "js" | "tf" {
    if (this.mode === "js" || !readyTf()) return "js";
    return this.mode === "tf" || n >= TF_MIN_BATCH ? "tf" : "js";
  }

  private forward(z: Float64Array, n: number, d: number): Float32Array | Float64Array {
    if (n > 0 && this.pathFor(n) === "tf") {
      this.tf ??= new TfCascadePredictor(readyTf()!.tf, this.spec);
      return this.tf.forward(z, n, d);
    }
    this.js ??= new JsCascadePredictor(this.spec);
    return this.js.forward(z, n, d);
  }

  /** Frees the TensorFlow.js weight tensors, if any were uploaded. Safe to call twice. */
  dispose(): void {
    this.tf?.dispose();
    this.tf = undefined;
  }
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
