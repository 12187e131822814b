import type { PlqyReference } from "./plqy.js";

/**
 * A digital twin: an ensemble whose members each predict Abs300nm and PLA for a
 * condition. This is the one interface the simulator, the ENN surrogate and the
 * insight tools consume. It carries no TensorFlow.js types.
 */
export interface Twin {
  /** Input names in column order (T, CuI, ZnI2, CsOA, ODE). */
  readonly inputs: readonly string[];
  /** [lo, hi] per input, physical units; the model's normalisation. */
  readonly inputBounds: readonly (readonly [number, number])[];
  /** Number of ensemble members. */
  readonly memberCount: number;
  readonly plqyReference: PlqyReference;
  /** Free-text provenance (file, training metadata summary). */
  readonly source: string;
  /**
   * Predict for n points given in physical units, shape [n][5].
   * Synchronous and batched: call it with many points at once.
   */
  predict(points: readonly (readonly number[])[]): TwinPosterior;
  /** Release any backend resources (tensors). Safe to call twice. */
  dispose(): void;
}

/**
 * Per-member predictions and their summary over members for n points and m members.
 * Member arrays are member-major: value of member k at point i is `arr[k * n + i]`.
 */
export interface TwinPosterior {
  n: number;
  m: number;
  /** [m*n] absorbance at 300 nm per member. */
  abs: Float64Array;
  /** [m*n] PL area per member (counts x nm). */
  pla: Float64Array;
  /** [m*n] PLQY proxy computed from each member's own (abs, pla). */
  plqy: Float64Array;
  /** [n] mean over members. */
  absMean: Float64Array;
  /** [n] standard deviation over members (n-1 denominator). */
  absStd: Float64Array;
  plaMean: Float64Array;
  plaStd: Float64Array;
  plqyMean: Float64Array;
  plqyStd: Float64Array;
  /**
   * [n] predictive standard deviations: the twin's calibrated model of the error of the
   * mean (calibration.ts: scaled member variance plus measurement noise); equal to the
   * member spread for twins without a calibration (e.g. the published ones).
   */
  absPredStd: Float64Array;
  plaPredStd: Float64Array;
  plqyPredStd: Float64Array;
}
