/** The optical features of one measurement. */
export interface Features {
  /** Absorbance at 300 nm (dimensionless). */
  abs300: number;
  /** PL area 345-700 nm, counts x nm. */
  pla: number;
  /** PL intensity at 446 nm, counts. */
  peak446: number;
}
