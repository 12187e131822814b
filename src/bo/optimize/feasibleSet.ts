import { SdflError } from "../../core/errors.js";
import type { SearchSpace } from "../problem/space.js";

/** A two-sided linear constraint lo <= coef . x <= hi. */
export interface LinearBand {
  readonly coef: readonly number[];
  readonly lo: number;
  readonly hi: number;
  /** What it is, for messages (e.g. "total flow"). */
  readonly label: string;
}

/** A box with linear bands: the feasible set the acquisition optimiser works in. */
export interface FeasibleSet {
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  readonly bands: readonly LinearBand[];
}

/** The unit cube [0, 1]^d with no bands. */
export function unitCube(d: number): FeasibleSet {
  return { lower: new Array(d).fill(0), upper: new Array(d).fill(1), bands: [] };
}

/**
 * The space's linear constraints expressed in the unit cube of its inputs: with
 * x_i = lo_i + z_i (hi_i - lo_i), constant + sum_i coef_i x_i is affine in z. Constraints
 * the box already satisfies are dropped. Throws {@link SdflError} naming the constraint if
 * it cannot be met inside the bounds.
 */
export function feasibleSetOf(space: SearchSpace): FeasibleSet {
  const d = space.inputs.length;
  const base = unitCube(d);
  const bands: LinearBand[] = [];
  for (const k of space.constraints) {
    const coef = new Array(d).fill(0);
    let offset = k.constant;
    for (const [name, c] of Object.entries(k.coef)) {
      const i = space.inputs.findIndex((s) => s.name === name);
      if (i < 0) throw new SdflError(`constraint "${k.label}" names "${name}", which is not an input of the search space`);
      const [lo, hi] = space.inputs[i].bounds;
      coef[i] = c * (hi - lo);
      offset += c * lo;
    }
    const lo = k.min ?? -Infinity;
    const hi = k.max ?? Infinity;
    const minValue = offset + coef.reduce((a, b) => a + Math.min(0, b), 0);
    const maxValue = offset + coef.reduce((a, b) => a + Math.max(0, b), 0);
    if (lo > hi || lo > maxValue || hi < minValue) {
      throw new SdflError(
        `the constraint "${k.label}" (${k.text}) cannot be met: inside the input bounds its left-hand side spans only [${minValue}, ${maxValue}]`,
        "widen the limits of the constraint or the bounds of the inputs it uses",
      );
    }
    if (lo <= minValue && hi >= maxValue) continue; // inactive
    // Shrink the band by a hair so points on its edge still satisfy the constraint after
    // the round trip to physical units (satisfiesConstraints is exact).
    const margin = 1e-9 * (maxValue - minValue);
    const bandLo = lo > minValue ? lo - offset + margin : minValue - offset;
    const bandHi = hi < maxValue ? hi - offset - margin : maxValue - offset;
    bands.push({ coef, lo: Math.min(bandLo, bandHi), hi: bandHi, label: k.label });
  }
  return { ...base, bands };
}

/** True when x is in the box and every band, with absolute tolerance `tol`. */
export function isFeasible(set: FeasibleSet, x: readonly number[], tol = 1e-9): boolean {
  for (let i = 0; i < x.length; i++) if (!(x[i] >= set.lower[i] - tol && x[i] <= set.upper[i] + tol)) return false;
  for (const b of set.bands) {
    const s = dot(b.coef, x);
    const scale = tol * (1 + Math.abs(b.lo) + Math.abs(b.hi));
    if (s < b.lo - scale || s > b.hi + scale) return false;
  }
  return true;
}

/**
 * Euclidean projection onto the feasible set. For one band it is exact:
 * P(y) = clip(y - lambda coef) with lambda found by bisection (coef . clip(y - lambda coef)
 * is monotone in lambda). Several bands are handled by Dykstra's alternating projections.
 */
export function project(set: FeasibleSet, y: readonly number[]): number[] {
  if (set.bands.length === 0) return clip(set, y);
  if (set.bands.length === 1) return projectBand(set, set.bands[0], y);
  let x = y.slice();
  const corrections = set.bands.map(() => new Array(y.length).fill(0));
  for (let it = 0; it < 200; it++) {
    let moved = 0;
    set.bands.forEach((b, k) => {
      const z = x.map((v, i) => v + corrections[k][i]);
      const p = projectBand(set, b, z);
      for (let i = 0; i < x.length; i++) {
        corrections[k][i] = z[i] - p[i];
        moved = Math.max(moved, Math.abs(p[i] - x[i]));
      }
      x = p;
    });
    if (moved < 1e-13) break;
  }
  return x;
}

function projectBand(set: FeasibleSet, b: LinearBand, y: readonly number[]): number[] {
  const c = clip(set, y);
  const s = dot(b.coef, c);
  if (s >= b.lo && s <= b.hi) return c;
  const target = s < b.lo ? b.lo : b.hi;
  const at = (lambda: number): number[] =>
    clip(
      set,
      y.map((v, i) => v - lambda * b.coef[i]),
    );
  // g(lambda) = coef . clip(y - lambda coef) decreases in lambda; bracket the target.
  let lo = 0;
  let hi = 0;
  let step = 1 / Math.max(1e-300, dot(b.coef, b.coef));
  if (s < target) {
    while (dot(b.coef, at(lo - step)) < target && step < 1e300) step *= 2;
    lo = -step;
  } else {
    while (dot(b.coef, at(hi + step)) > target && step < 1e300) step *= 2;
    hi = step;
  }
  for (let it = 0; it < 100; it++) {
    const mid = 0.5 * (lo + hi);
    if (dot(b.coef, at(mid)) > target) lo = mid;
    else hi = mid;
  }
  // Take the side that satisfies the band.
  return at(s < target ? lo : hi);
}

function clip(set: FeasibleSet, y: readonly number[]): number[] {
  return y.map((v, i) => (v < set.lower[i] ? set.lower[i] : v > set.upper[i] ? set.upper[i] : v));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
