import type { CascadeMember } from "./cascade.js";
import type { PlqyReference } from "./plqy.js";
import type { PredictiveCalibration } from "./calibration.js";
import type { InputTransform } from "./inputTransform.js";

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
  /** Predictive variance model per output (project twins from format version 2 on). */
  calibration?: PredictiveCalibration;
  /**
   * Features the networks see instead of the normalised inputs (inputTransform.ts); absent =
   * the inputs min-max normalised by `inputBounds` (every published twin).
   */
  inputTransform?: InputTransform;
}
