/** Mean of an array (NaN when empty). */
export function mean(v: readonly number[]): number {
  return v.length === 0 ? NaN : v.reduce((a, b) => a + b, 0) / v.length;
}

/** Sample standard deviation (n-1); 0 for fewer than two values. */
export function std(v: readonly number[]): number {
  if (v.length < 2) return 0;
  const m = mean(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

/** Relative standard deviation, std / |mean|. */
export function rsd(v: readonly number[]): number {
  return std(v) / Math.abs(mean(v));
}
