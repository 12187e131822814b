import type { BackendName, TfCore } from "../backend.js";
import { normalizePoints, type CascadeEnsembleSpec } from "../cascadeEnsemble.js";
import { JsCascadePredictor } from "../jsPredictor.js";
import type { PlqyReference } from "../plqy.js";
import { summarizeMembers } from "../posterior.js";
import type { Twin, TwinPosterior } from "../twin.js";
import { TfBatchedCascade } from "./batchedCascade.js";
import { HelperThread } from "./helperThread.js";

/**
 * Batches of at least this many points go to TensorFlow.js; smaller ones run the
 * float64 JavaScript kernels, which win below it because a TF.js pass costs a fixed
 * ~440 small ops, about 2 ms (measured on WASM: equal at 8 points, TF.js 1.6x faster at
 * 16; benchmarks/notes/predict.md).
 */
export const TF_MIN_POINTS = 12;

/**
 * Batches of at least this many points are split between this thread and the helper
 * thread (when there is one). Measured on WASM: 1,000 points +30 %, 4,000 and more
 * +75 %, 512 no gain (benchmarks/notes/predict.md).
 */
export const PARALLEL_MIN_POINTS = 1000;

/**
 * A {@link Twin} for many points at once: the cascade ensemble runs on TensorFlow.js
 * ({@link TfBatchedCascade}, float32) for batches of at least {@link TF_MIN_POINTS}, and on
 * the float64 JavaScript kernels below that or when no TF.js backend is available.
 * Both paths agree to float32 precision (about 1e-6 relative); the summary over
 * members (mean, n-1 standard deviation, PLQY) is always computed in float64.
 * With a ready {@link HelperThread}, batches of at least {@link PARALLEL_MIN_POINTS} are
 * split in two halves computed at the same time on two cores. With `spawnHelper`, the
 * first such batch starts the helper in the background (so small jobs never pay for a
 * second thread) and later ones use it as soon as it is ready.
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
  private helper?: HelperThread;
  private spawnHelper: boolean;

  /**
   * @param spec  the ensemble (any file format parses to this)
   * @param tf    an initialised TF.js module and its backend name, or undefined for JavaScript only
   * @param threads.helper  a helper thread for the same spec (owned by the twin from now on)
   * @param threads.spawnHelper  start a helper on the first batch of {@link PARALLEL_MIN_POINTS} or more
   */
  constructor(
    readonly spec: CascadeEnsembleSpec,
    private readonly tf?: { tf: TfCore; name: BackendName },
    threads: { helper?: HelperThread; spawnHelper?: boolean } = {},
  ) {
    this.helper = threads.helper;
    this.spawnHelper = (threads.spawnHelper ?? false) && tf !== undefined && !threads.helper;
    this.inputs = spec.inputs;
    this.inputBounds = spec.inputBounds;
    this.memberCount = spec.members.length;
    this.plqyReference = spec.plqyReference;
    this.source = spec.source;
    this.backend = tf?.name ?? "none";
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
      if (n >= PARALLEL_MIN_POINTS) {
        const helper = this.readyHelper();
        if (helper) return this.forwardSplit(this.tfPredictor, helper, z, n, d);
      }
      return this.tfPredictor.forward(z, n, d);
    }
    this.js ??= new JsCascadePredictor(this.spec);
    return this.js.forward(z, n, d);
  }

  /** The helper if it is ready; starts one on first need (spawnHelper), drops a failed one. */
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

  /** First half of the rows here, second half on the helper at the same time; member-major result. */
  private forwardSplit(local: TfBatchedCascade, helper: HelperThread, z: Float64Array, n: number, d: number): Float32Array {
    const nLocal = Math.ceil(n / 2);
    const nHelper = n - nLocal;
    helper.start(z.slice(nLocal * d), nHelper, d);
    let yLocal: Float32Array;
    let yHelper: Float32Array;
    try {
      yLocal = local.forward(z.subarray(0, nLocal * d), nLocal, d);
    } finally {
      yHelper = helper.finish(); // always collect, so the helper is free for the next batch
    }
    const m = this.memberCount;
    const y = new Float32Array(m * n * 2);
    for (let k = 0; k < m; k++) {
      y.set(yLocal.subarray(k * nLocal * 2, (k + 1) * nLocal * 2), k * n * 2);
      y.set(yHelper.subarray(k * nHelper * 2, (k + 1) * nHelper * 2), (k * n + nLocal) * 2);
    }
    return y;
  }

  /** numTensors in the helper thread's TF.js engine after its last batch, or -1 (leak tests). */
  get helperTensors(): number {
    return this.helper?.lastHelperTensors ?? -1;
  }

  /**
   * Frees the TF.js weight tensors (uploaded on the first large batch) and stops the
   * helper thread. Safe to call twice; a later predict re-uploads (on one thread).
   */
  dispose(): void {
    this.helper?.dispose();
    this.helper = undefined;
    this.spawnHelper = false;
    this.tfPredictor?.dispose();
    this.tfPredictor = undefined;
  }
}
