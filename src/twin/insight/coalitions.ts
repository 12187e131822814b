/**
 * Coalitions of inputs as bit masks (bit k set = input k taken from the explained point)
 * and the interventional value function over a background set.
 */

/** Shapley weight |S|! (d - |S| - 1)! / d! of a coalition of size s not holding the input. */
export function shapleyWeight(s: number, d: number): number {
  // Computed as 1 / (d * C(d-1, s)) to stay exact for moderate d.
  return 1 / (d * binomial(d - 1, s));
}

/** Binomial coefficient C(n, k) as a float. */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - i + 1)) / i;
  return Math.round(r);
}

/** Number of set bits of a mask. */
export function popcount(mask: number): number {
  let c = 0;
  for (let m = mask; m; m &= m - 1) c++;
  return c;
}

/**
 * The hybrid point: inputs in `coalition` (boolean per input) from `x`, the rest from `b`.
 * Shapes: x, b [d] -> [d].
 */
export function hybridPoint(x: readonly number[], b: readonly number[], coalition: readonly boolean[]): number[] {
  return x.map((xk, k) => (coalition[k] ? xk : b[k]));
}

/** Boolean membership vector of a bit mask over d inputs. */
export function maskToCoalition(mask: number, d: number): boolean[] {
  return Array.from({ length: d }, (_, k) => ((mask >> k) & 1) === 1);
}
