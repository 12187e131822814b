import { mean as ssMean, sampleStandardDeviation } from "simple-statistics";

/** Mean of an array (NaN when empty). */
export function mean(v: readonly number[]): number {
  return v.length === 0 ? NaN : ssMean(v as number[]);
}

/** Sample standard deviation (n-1); 0 for fewer than two values. */
export function std(v: readonly number[]): number {
  return v.length < 2 ? 0 : sampleStandardDeviation(v as number[]);
}

/** Relative standard deviation, std / |mean|. */
export function rsd(v: readonly number[]): number {
  return std(v) / Math.abs(mean(v));
}
