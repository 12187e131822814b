/**
 * The one palette of sdfl's figures (static SVG reports and the live dashboard's
 * dashboard.css use the same colours): categorical colours for series, named colours for
 * the roles that recur across figures, and the colour ramps of inputs and surfaces.
 */

/** Categorical colours for series without a role, in order (colour-blind-safe Tableau 10). */
export const SERIES_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"] as const;

/** Colours with a fixed meaning in every figure. */
export const ROLE_COLORS = {
  /** A measured value (dots). */
  measured: "#1f77b4",
  /** Best so far (step line). */
  best: "#d62728",
  /** A model's prediction (mean, with its std as a band of the same colour). */
  predicted: "#9467bd",
  /** The initial-design phase (background shade). */
  initShade: "#eeeeee",
  /** Reference lines (y = x, oracle maximum, paper values). */
  reference: "#444444",
  /** The best condition / optimum marker on surfaces. */
  optimum: "#ffffff",
} as const;

/** Series colour `k` (wraps around). */
export function seriesColor(k: number): string {
  return SERIES_COLORS[k % SERIES_COLORS.length];
}

/** Blue (low input value) to red (high) for SHAP beeswarms; t in [0, 1]. */
export function lowHighColor(t: number): string {
  const a = [0, 139, 251];
  const b = [255, 0, 82];
  const u = Math.min(1, Math.max(0, t));
  return `rgb(${a.map((v, i) => Math.round(v + u * (b[i] - v))).join(",")})`;
}

/**
 * The ramp of every surface (predicted mean and its std alike): viridis, dark = low,
 * yellow = high, so that "brighter is more" reads the same on every panel.
 * `d3` is the d3 module from {@link createCanvas}.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- d3 comes untyped from d3-node
export function surfaceColorScale(d3: any, domain: [number, number]): (v: number) => string {
  return d3.scaleSequential(d3.interpolateViridis).domain(domain);
}
