import type { BackendName, TfCore } from "../backend.js";
import { normalizePoints, type CascadeEnsembleSpec } from "../cascadeEnsemble.js";
import { JsCascadePredictor } from "../jsPredictor.js";
import type { PlqyReference } from "../plqy.js";
import { summarizeMembers } from "../posterior.js";
import type { Twin, TwinPosterior } from "../twin.js";
import { TfBatchedCascade } from "./batchedCascade.js";

/**
 * Batches of at least this many points go to TensorFlow.js; smaller ones run the
 * float64 JavaScript kernels, which win below it because a TF.js pass costs a fixed
 * ~1,700 small ops, about 5 ms (measured crossover on WASM: benchmarks/notes/predict.md).
 */
export const TF_MIN_POINTS = 32;

/**
 * A {@link Twin} for many points at once: the cascade ensemble runs on TensorFlow.js
 * ({@link TfBatchedCascade}, float32) for batches of at least {@link TF_MIN_POINTS}, and on
 * the float64 JavaScript kernels below that or when no TF.js backend is available.
 * Both paths agree to float32 precision (about 1e-6 relative); the summary over
 * members (mean, n-1 standard deviation, PLQY) is always computed in float64.
 */
export class TfCascadeTwin implements Twin {
  readonly inputs: readonly string[];
  readonly inputBounds: readonly (readonly [number, number])[];
  readonly memberCount: number;
  readonly plqyReference: PlqyReference;
  readonly source: string;
  /** The TF.js backend used for large batches, or "none" (JavaScript only). */
  readonly backend: BackendName | "none";
  /** Force one path: "js" always, "tf" whenever a backend is there, "auto" by batch size. */
  mode: "auto" | "js" | "tf" = "auto";
  /** Smallest batch sent to TF.js in "auto" mode. */
  minTfPoints = TF_MIN_POINTS;
  private js?: JsCascadePredictor;
  private tfPredictor?: TfBatchedCascade;

  /**
   * @param spec  the ensemble (any file format parses to this)
   * @param tf    an initialised TF.js module and its backend name, or undefined for JavaScript only
   */
  constructor(readonly spec: CascadeEnsembleSpec, private readonly tf?: { tf: TfCore; name: BackendName }) {
    this.inputs = spec.inputs;
    this.inputBounds = spec.inputBounds;
    this.memberCount = spec.members.length;
    this.plqyReference = spec.plqyReference;
    this.source = spec.source;
    this.backend = tf?.name ?? "none";
  }

  /** Which path a batch of n points takes. */
  pathFor(n: number): "js" | "tf" {
    if (this.mode === "js" || !this.tf) return "js";
    return this.mode === "tf" || n >= this.minTfPoints ? "tf" : "js";
  }

  /**
   * Predict n points given in physical units.
   * @param points  [n][d] in the order of {@link inputs}
   * @returns member-major posterior (value of member k at point i at index k*n + i)
   */
  predict(points: readonly (readonly number[])[]): TwinPosterior {
    const n = points.length;
    const d = this.inputs.length;
    const m = this.memberCount;
    const y = n === 0 ? new Float64Array(0) : this.forward(normalizePoints(points, this.inputBounds), n, d);
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

  private forward(z: Float64Array, n: number, d: number): Float32Array | Float64Array {
    if (this.pathFor(n) === "tf") {
      this.tfPredictor ??= new TfBatchedCascade(this.tf!.tf, this.spec);
      return this.tfPredictor.forward(z, n, d);
    }
    this.js ??= new JsCascadePredictor(this.spec);
    return this.js.forward(z, n, d);
  }

  /** Frees the TF.js weight tensors (uploaded on the first large batch). Safe to call twice; predict re-uploads. */
  dispose(): void {
    this.tfPredictor?.dispose();
    this.tfPredictor = undefined;
  }
}
