import type { Rng } from "../../core/rng.js";
import { SobolSequence } from "../design/sobol.js";
import { isFeasible, project, type FeasibleSet } from "../optimize/feasibleSet.js";
import type { ExcludedBall } from "../optimize/optimizeAcqf.js";
import type { Surrogate } from "../surrogate.js";

/**
 * Thompson sampling on a candidate set: draw one joint posterior sample over `count`
 * candidates and return its argmax. Half the candidates are scrambled Sobol points, half
 * Gaussian perturbations (sd 0.05 of the range) of the `centers` (the best observations),
 * so the sample is resolved finely where the optimum probably is. All candidates are
 * feasible and outside the excluded balls. For an ensemble surrogate the sample is one
 * member's prediction.
 */
export function thompsonPick(
  model: Surrogate,
  set: FeasibleSet,
  excluded: readonly ExcludedBall[],
  count: number,
  rng: Rng,
  centers: readonly (readonly number[])[] = [],
): { x: number[]; value: number } {
  const d = set.lower.length;
  const seq = new SobolSequence(d, rng.fork());
  const cands: number[][] = [];
  const ok = (z: number[]) => isFeasible(set, z) && excluded.every((e) => Math.hypot(...z.map((v, i) => v - e.center[i])) >= e.radius);
  const local = centers.length > 0 ? Math.floor(count / 2) : 0;
  for (let tries = 0; cands.length < local && tries < 100 * count; tries++) {
    const c = centers[tries % centers.length];
    const z = project(
      set,
      c.map((v, i) => v + 0.05 * (set.upper[i] - set.lower[i]) * rng.normal()),
    );
    if (ok(z)) cands.push(z);
  }
  for (let tries = 0; cands.length < count && tries < 100 * count; tries++) {
    const z = seq.next().map((v, i) => set.lower[i] + v * (set.upper[i] - set.lower[i]));
    if (ok(z)) cands.push(z);
  }
  if (cands.length === 0) throw new Error("Thompson sampling: no feasible candidate outside the excluded points");
  const [sample] = model.posterior(cands).sample(1, rng);
  let best = 0;
  for (let i = 1; i < cands.length; i++) if (sample[i] > sample[best]) best = i;
  return { x: cands[best], value: sample[best] };
}
