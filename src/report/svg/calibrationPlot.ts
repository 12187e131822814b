import { normCdf } from "../../bo/acquisition/normal.js";
import { lineChartSvg, type ChartSeries } from "./lineChart.js";

/** Nominal central-interval probabilities of the calibration curve. */
export const NOMINAL_LEVELS: readonly number[] = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);

/** z with P(|Z| <= z) = p for a standard normal Z (bisection on the CDF; p in (0, 1)). */
export function centralQuantile(p: number): number {
  let lo = 0,
    hi = 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (2 * normCdf(mid) - 1 < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Observed coverage of Gaussian central intervals: for each nominal level p, the fraction
 * of points with |y - mean| <= z_p std (a calibrated predictive gives p).
 */
export function coverageCurve(y: ArrayLike<number>, mean: ArrayLike<number>, std: ArrayLike<number>, levels: readonly number[] = NOMINAL_LEVELS): number[] {
  return levels.map((p) => {
    const z = centralQuantile(p);
    let inside = 0;
    for (let i = 0; i < y.length; i++) if (Math.abs(y[i] - mean[i]) <= z * std[i]) inside++;
    return y.length ? inside / y.length : NaN;
  });
}

/**
 * Calibration plot (SVG): observed against nominal coverage of the central intervals of
 * each predictive standard deviation given (e.g. the raw member spread and the calibrated
 * predictive std), with the ideal diagonal.
 */
export async function calibrationSvg(
  y: ArrayLike<number>,
  mean: ArrayLike<number>,
  stds: readonly { name: string; std: ArrayLike<number> }[],
  title: string,
): Promise<string> {
  const x = NOMINAL_LEVELS.map((p) => 100 * p);
  const series: ChartSeries[] = [{ name: "ideal", x, y: x }];
  for (const s of stds) series.push({ name: s.name, x, y: coverageCurve(y, mean, s.std).map((c) => 100 * c), dots: true });
  return lineChartSvg({ title, xLabel: "nominal coverage of the central interval (%)", yLabel: "observed coverage (%)", series, yDomain: [0, 100] });
}
