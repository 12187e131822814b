import type { Rng } from "../../core/rng.js";
import { denormalize, fromArray, satisfiesConstraints, type Condition, type SearchSpace } from "../problem/space.js";

/** The best value of an oracle found by a thorough search. */
export interface OracleMaximum {
  /** Highest true objective found. */
  value: number;
  /** Where, physical units in the space's input order. */
  condition: number[];
  /** How hard the search looked. */
  search: { samples: number; starts: number; evaluations: number; seconds: number };
}

/**
 * Maximise a noise-free objective over the space: `samples` uniform random feasible
 * points, then a compass (pattern) search from each of the `starts` best, with the step
 * halved from 0.1 to 1e-4 of each input's range. `evaluate` is called with batches.
 */
export function searchMaximum(
  evaluate: (conditions: readonly Condition[]) => number[],
  space: SearchSpace,
  rng: Rng,
  o: { samples: number; starts: number },
): OracleMaximum {
  const t0 = Date.now();
  const d = space.inputs.length;
  let evaluations = 0;
  const toCond = (z: readonly number[]) => fromArray(space, denormalize(space, z));
  const feasible = (z: readonly number[]) => z.every((v) => v >= 0 && v <= 1) && satisfiesConstraints(space, toCond(z));
  const evalBatch = (zs: number[][]): number[] => {
    evaluations += zs.length;
    return zs.length ? evaluate(zs.map(toCond)) : [];
  };
  const cands: number[][] = [];
  for (let tries = 0; cands.length < o.samples && tries < 100 * o.samples; tries++) {
    const z = Array.from({ length: d }, () => rng.uniform());
    if (feasible(z)) cands.push(z);
  }
  const vals: number[] = [];
  for (let i = 0; i < cands.length; i += 4096) vals.push(...evalBatch(cands.slice(i, i + 4096)));
  const order = vals
    .map((_, i) => i)
    .sort((a, b) => vals[b] - vals[a])
    .slice(0, o.starts);
  let best = { z: cands[order[0]], v: vals[order[0]] };
  for (const s of order) {
    let z = cands[s];
    let v = vals[s];
    for (let step = 0.1; step >= 1e-4;) {
      const moves: number[][] = [];
      for (let k = 0; k < d; k++) {
        for (const sign of [1, -1]) {
          const m = [...z];
          m[k] = Math.min(1, Math.max(0, m[k] + sign * step));
          if (m[k] !== z[k] && feasible(m)) moves.push(m);
        }
      }
      const mv = evalBatch(moves);
      let bi = -1;
      for (let i = 0; i < mv.length; i++) if (mv[i] > v && (bi < 0 || mv[i] > mv[bi])) bi = i;
      if (bi >= 0) {
        z = moves[bi];
        v = mv[bi];
      } else step /= 2;
    }
    if (v > best.v) best = { z, v };
  }
  return {
    value: best.v,
    condition: denormalize(space, best.z),
    search: { samples: cands.length, starts: order.length, evaluations, seconds: (Date.now() - t0) / 1000 },
  };
}
