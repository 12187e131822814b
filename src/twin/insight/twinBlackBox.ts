import type { Twin } from "../twin.js";
import type { BlackBox } from "./blackBox.js";

/** The twin outputs SHAP explains, in the order {@link twinBlackBox} returns them. */
export const EXPLAINED_OUTPUTS = ["PLQY", "Abs300nm", "PLA"] as const;
export type ExplainedOutput = (typeof EXPLAINED_OUTPUTS)[number];

/** What each explained output is, stated once for files and pages. */
export const OUTPUT_DEFINITIONS: Record<ExplainedOutput, string> = {
  PLQY: "PLQY proxy: mean over ensemble members of each member's PLQY proxy (computed from the member's own Abs300nm and PLA)",
  Abs300nm: "absorbance at 300 nm: ensemble mean",
  PLA: "PL area 345-700 nm (counts x nm): ensemble mean",
};

/**
 * A twin as a three-output black box: [PLQY (mean of per-member PLQY), Abs300nm mean,
 * PLA mean], one `twin.predict` call per evaluation. Points are physical units [n][5].
 */
export function twinBlackBox(twin: Twin, onCall?: (points: number) => void): BlackBox {
  return (points) => {
    onCall?.(points.length);
    const p = twin.predict(points);
    return [p.plqyMean, p.absMean, p.plaMean];
  };
}
