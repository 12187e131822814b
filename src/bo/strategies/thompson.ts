import type { Rng } from "../../core/rng.js";
import { SobolSequence } from "../design/sobol.js";
import { isFeasible, type FeasibleSet } from "../optimize/feasibleSet.js";
import type { ExcludedBall } from "../optimize/optimizeAcqf.js";
import type { Surrogate } from "../surrogate.js";

/**
 * Thompson sampling on a candidate set: draw one joint posterior sample over `count`
 * scrambled Sobol candidates (feasible, outside the excluded balls) and return its argmax.
 * For an ensemble surrogate the sample is one member's prediction.
 */
export function thompsonPick(model: Surrogate, set: FeasibleSet, excluded: readonly ExcludedBall[], count: number, rng: Rng): { x: number[]; value: number } {
  const d = set.lower.length;
  const seq = new SobolSequence(d, rng.fork());
  const cands: number[][] = [];
  for (let tries = 0; cands.length < count && tries < 100 * count; tries++) {
    const z = seq.next().map((v, i) => set.lower[i] + v * (set.upper[i] - set.lower[i]));
    if (isFeasible(set, z) && excluded.every((e) => Math.hypot(...z.map((v, i) => v - e.center[i])) >= e.radius)) cands.push(z);
  }
  if (cands.length === 0) throw new Error("Thompson sampling: no feasible candidate outside the excluded points");
  const [sample] = model.posterior(cands).sample(1, rng);
  let best = 0;
  for (let i = 1; i < cands.length; i++) if (sample[i] > sample[best]) best = i;
  return { x: cands[best], value: sample[best] };
}
