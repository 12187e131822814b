import { Rng } from "../../core/rng.js";
import type { Condition } from "../problem/space.js";
import { feasibleSetOf, isFeasible } from "../optimize/feasibleSet.js";
import type { Observation, Proposal, Strategy, StrategyContext } from "../strategy.js";
import { checkAskCount } from "./askChecks.js";
import { minProposalDistance } from "./resolution.js";
import { toCondition, toUnit } from "./unitSpace.js";

/**
 * Uniform random search over the feasible set (the paper's random-sampling baseline).
 * Ignores `exploit`. Never proposes an observed or pending point: every proposal is at least
 * {@link minProposalDistance} (unit cube) from them and from the rest of its batch.
 */
export class RandomStrategy implements Strategy {
  readonly name = "random";
  private readonly rng: Rng;
  private readonly observed: number[][] = [];

  constructor(private readonly ctx: StrategyContext) {
    this.rng = new Rng(ctx.seed);
  }

  async ask(n: number, pending: readonly Condition[] = []): Promise<Proposal[]> {
    checkAskCount(n);
    const space = this.ctx.space;
    const set = feasibleSetOf(space);
    const taken = [...this.observed, ...pending.map((c) => toUnit(space, c))];
    const radius = minProposalDistance(space);
    const out: Proposal[] = [];
    for (let tries = 0; out.length < n; tries++) {
      if (tries > 100000 * n) throw new Error("random strategy: could not draw a feasible point");
      const z = space.inputs.map(() => this.rng.uniform());
      if (!isFeasible(set, z) || taken.some((t) => Math.hypot(...t.map((v, i) => v - z[i])) < radius)) continue;
      taken.push(z);
      out.push({ condition: toCondition(space, z), info: { strategy: "random" } });
    }
    return out;
  }

  async tell(results: readonly Observation[]): Promise<void> {
    for (const r of results) this.observed.push(toUnit(this.ctx.space, r.condition));
  }
}
