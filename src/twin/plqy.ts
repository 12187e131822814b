/**
 * The PLQY proxy, the objective of every campaign.
 *
 *     PLQY = q_ref * (PLA / A_ref) * (1 - 10^-abs_ref) / (1 - 10^-Abs300)
 *
 * a relative quantum yield against a reference dye measured in the same cells:
 * q_ref = 0.1336 (the dye's quantum yield), abs_ref = 0.9115 (its absorbance),
 * A_ref = 198493.1521 (its PL peak area, counts x nm). Source: the published data README.
 */
export interface PlqyReference {
  /** Quantum yield of the reference dye (dimensionless). */
  plqy: number;
  /** Absorbance of the reference dye (dimensionless). */
  abs: number;
  /** PL peak area of the reference dye (counts x nm). */
  area: number;
}

/** The reference-dye constants of the published setup. */
export const DEFAULT_PLQY_REFERENCE: PlqyReference = { plqy: 0.1336, abs: 0.9115, area: 198493.1521 };

/**
 * PLQY proxy from Abs300nm (absorbance at 300 nm, dimensionless, > 0) and PLA (PL area
 * 345-700 nm, counts x nm). Increasing in PLA, decreasing in Abs300nm.
 */
export function plqyProxy(abs300: number, pla: number, ref: PlqyReference = DEFAULT_PLQY_REFERENCE): number {
  return (ref.plqy * (pla / ref.area) * (1 - Math.pow(10, -ref.abs))) / (1 - Math.pow(10, -abs300));
}
