import type { Rng } from "../../core/rng.js";

/** One Latin hypercube of n points in [0, 1)^d: each axis cut in n strata, one point per stratum. */
export function latinHypercube(n: number, d: number, rng: Rng): number[][] {
  const pts: number[][] = Array.from({ length: n }, () => new Array<number>(d));
  for (let j = 0; j < d; j++) {
    const perm = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    for (let i = 0; i < n; i++) pts[i][j] = (perm[i] + rng.uniform()) / n;
  }
  return pts;
}

/** Smallest pairwise Euclidean distance of a design (Infinity for fewer than 2 points). */
export function minPairwiseDistance(pts: readonly (readonly number[])[]): number {
  let best = Infinity;
  for (let a = 0; a < pts.length; a++) {
    for (let b = a + 1; b < pts.length; b++) {
      let s = 0;
      for (let j = 0; j < pts[a].length; j++) {
        const t = pts[a][j] - pts[b][j];
        s += t * t;
      }
      if (s < best) best = s;
    }
  }
  return Math.sqrt(best);
}

/**
 * A maximin Latin hypercube: `candidates` random LHS designs, keep the one whose closest
 * pair of points is farthest apart. Shape [n][d], in [0, 1)^d.
 */
export function maximinLatinHypercube(n: number, d: number, rng: Rng, candidates = 20): number[][] {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(d) || d < 1) throw new RangeError(`LHS needs integers n >= 1 and d >= 1, got n=${n}, d=${d}`);
  let best = latinHypercube(n, d, rng);
  let bestDist = minPairwiseDistance(best);
  for (let c = 1; c < candidates; c++) {
    const pts = latinHypercube(n, d, rng);
    const dist = minPairwiseDistance(pts);
    if (dist > bestDist) {
      best = pts;
      bestDist = dist;
    }
  }
  return best;
}
