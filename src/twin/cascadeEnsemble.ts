export type { CascadeEnsembleSpec } from "./cascadeEnsembleSpec.js";
import { readyTf, type BackendName } from "./backend.js";
import { JsCascadePredictor } from "./jsPredictor.js";
import { summarizeMembers } from "./posterior.js";
import { supportDistanceSqs } from "./extrapolation.js";
import { TfBatchedCascade } from "./tf/batchedCascade.js";
import { HelperThread, forwardSplit } from "./tf/helperThread.js";
import type { Twin, TwinPosterior } from "./twin.js";
import type { CascadeEnsembleSpec } from "./cascadeEnsembleSpec.js";
import type { PlqyReference } from "./plqy.js";
import { applyTransform, transformJacobian } from "./inputTransform.js";

/**
 * Batches of at least this many points go to TensorFlow.js (when a backend was
 * initialised, e.g. by loadTwin); smaller ones run the float64 SIMD/JavaScript kernels,
 * about 11,000 points/s at any batch size, against TF.js's fixed cost of ~440 small ops
 * per pass. Measured crossover on WASM (chem1, 20 members): benchmarks/notes/predict.md.
 */
export const TF_MIN_POINTS = 64;

/**
 * Batches of at least this many points are split between this thread and the helper
 * thread (when there is one). Measured on WASM: 1,000 points +60 %, 10,000 +80 %
 * (benchmarks/notes/predict.md).
 */
export const PARALLEL_MIN_POINTS = 1000;

/** Options of {@link CascadeEnsembleTwin}. */
export interface CascadeEnsembleTwinOptions {
  /**
   * A second thread (own TF.js backend and weights) for batches of at least
   * {@link PARALLEL_MIN_POINTS}: "off" (default), "lazy" (started in the background by the
   * first such batch, used once ready, so small jobs never pay for it) or "eager"
   * (started now if a TF.js backend is ready; see {@link CascadeEnsembleTwin.whenHelperReady}).
   */
  helper?: "off" | "lazy" | "eager";
}

/**
 * The {@link Twin} of a cascade ensemble (every file format, training, the ENN surrogate).
 * Small batches run the float64 kernels ({@link JsCascadePredictor}: WASM SIMD, else
 * JavaScript); batches of at least {@link TF_MIN_POINTS} run {@link TfBatchedCascade}
 * (float32) when a TF.js backend is ready, optionally split over a helper thread.
 * Both paths agree to float32 precision (about 1e-6 relative); the summary over members
 * (mean, n-1 standard deviation, PLQY) is always computed in float64.
 */
export class CascadeEnsembleTwin implements Twin {
  readonly inputs: readonly string[];
  readonly inputBounds: readonly (readonly [number, number])[];
  readonly memberCount: number;
  readonly plqyReference: PlqyReference;
  readonly source: string;
  /** Force one path: "js" always, "tf" whenever a backend is ready, "auto" by batch size. */
  mode: "auto" | "js" | "tf" = "auto";
  /** Smallest batch sent to TF.js in "auto" mode. */
  minTfPoints = TF_MIN_POINTS;
  private js?: JsCascadePredictor;
  private tf?: TfBatchedCascade;
  private helper?: HelperThread;
  private spawnHelper: boolean;

  constructor(
    readonly spec: CascadeEnsembleSpec,
    options: CascadeEnsembleTwinOptions = {},
  ) {
    this.inputs = spec.inputs;
    this.inputBounds = spec.inputBounds;
    this.memberCount = spec.members.length;
    this.plqyReference = spec.plqyReference;
    this.source = spec.source;
    const helper = options.helper ?? "off";
    this.spawnHelper = helper === "lazy";
    if (helper === "eager" && readyTf()) this.helper = HelperThread.spawn(spec);
  }

  /** The TF.js backend large batches run on, or "none" (float64 kernels only). */
  get backend(): BackendName | "none" {
    return readyTf()?.info.name ?? "none";
  }

  /** Threads a large batch runs on now (2 once a helper thread is ready). */
  get threads(): number {
    return this.helper?.ready ? 2 : 1;
  }

  /** Resolves with {@link threads} once a started helper is ready (or has failed). */
  async whenHelperReady(): Promise<number> {
    await this.helper?.whenReady();
    return this.threads;
  }

  /** numTensors in the helper thread's TF.js engine after its last batch, or -1 (leak tests). */
  get helperTensors(): number {
    return this.helper?.lastHelperTensors ?? -1;
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
    const z = networkInputs(this.spec, points);
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
    return summarizeMembers(abs, pla, n, m, this.plqyReference, this.spec.calibration, supportDistanceSqs(this.spec.calibration, z, n));
  }

  /** Which path a batch of n points takes. */
  pathFor(n: number): "js" | "tf" {
    if (this.mode === "js" || !readyTf()) return "js";
    return this.mode === "tf" || n >= this.minTfPoints ? "tf" : "js";
  }

  private forward(z: Float64Array, n: number, d: number): Float32Array | Float64Array {
    if (n > 0 && this.pathFor(n) === "tf") {
      this.tf ??= new TfBatchedCascade(readyTf()!.tf, this.spec);
      const helper = n >= PARALLEL_MIN_POINTS ? this.readyHelper() : undefined;
      return helper ? forwardSplit(this.tf, helper, z, n, d) : this.tf.forward(z, n, d);
    }
    this.js ??= new JsCascadePredictor(this.spec);
    return this.js.forward(z, n, d);
  }

  /** The helper if it is ready; starts one on first need ("lazy"), drops a failed one. */
  private readyHelper(): HelperThread | undefined {
    if (this.spawnHelper) {
      this.spawnHelper = false;
      this.helper = HelperThread.spawn(this.spec);
    }
    if (this.helper?.failed) {
      this.helper.dispose();
      this.helper = undefined;
    }
    return this.helper?.ready ? this.helper : undefined;
  }

  /**
   * Frees the TF.js weight tensors (uploaded by the first large batch) and stops the
   * helper thread. Safe to call twice; a later predict re-uploads (on one thread).
   */
  dispose(): void {
    this.helper?.dispose();
    this.helper = undefined;
    this.spawnHelper = false;
    this.tf?.dispose();
    this.tf = undefined;
  }
}

/**
 * What the networks of `spec` see for physical points [n][d]: the unit-cube inputs, or with
 * an input transform its features normalised by their bounds; flat [n*d].
 */
export function networkInputs(spec: Pick<CascadeEnsembleSpec, "inputBounds" | "inputTransform">, points: readonly (readonly number[])[]): Float64Array {
  const t = spec.inputTransform;
  if (!t) return normalizePoints(points, spec.inputBounds);
  const d = spec.inputBounds.length;
  return normalizePoints(
    points.map((p, i) => {
      if (p.length < d) throw new RangeError(`point ${i} has ${p.length} inputs, expected ${d}`);
      return applyTransform(t, p.slice(0, d));
    }),
    t.featureBounds,
  );
}

/**
 * d z / d x of {@link networkInputs} at one point x [d]: shape [d features][d inputs] (the
 * chain rule from network-input gradients to physical-input gradients).
 */
export function networkInputJacobian(spec: Pick<CascadeEnsembleSpec, "inputBounds" | "inputTransform">, x: readonly number[]): number[][] {
  const t = spec.inputTransform;
  const d = spec.inputBounds.length;
  if (!t)
    return Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, j) => (a === j ? 1 / (spec.inputBounds[j][1] - spec.inputBounds[j][0]) : 0)));
  return transformJacobian(t, x).map((row, a) => row.map((v) => v / (t.featureBounds[a][1] - t.featureBounds[a][0])));
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
