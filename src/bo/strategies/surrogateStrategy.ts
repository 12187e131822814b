import { UsageError } from "../../core/errors.js";
import { Rng } from "../../core/rng.js";
import { checkInBounds, toArray, type Condition } from "../problem/space.js";
import { eiAcquisition } from "../acquisition/ei.js";
import { logEiAcquisition } from "../acquisition/logEi.js";
import { posteriorMeanAcquisition } from "../acquisition/mean.js";
import { acquisitionObjective } from "../acquisition/objective.js";
import { piAcquisition } from "../acquisition/pi.js";
import type { MomentAcquisition } from "../acquisition/types.js";
import { ucbAcquisition } from "../acquisition/ucb.js";
import { SobolSequence } from "../design/sobol.js";
import { feasibleSetOf, isFeasible, type FeasibleSet } from "../optimize/feasibleSet.js";
import { optimizeAcqf, type ExcludedBall } from "../optimize/optimizeAcqf.js";
import type { Observation, Proposal, Strategy, StrategyContext } from "../strategy.js";
import type { Observations, Surrogate, SurrogateFitInfo } from "../surrogate.js";
import { checkAskCount } from "./askChecks.js";
import { thompsonPick } from "./thompson.js";
import { minProposalDistance } from "./resolution.js";
import { balls, toCondition, toUnit } from "./unitSpace.js";

/** Acquisition rules a {@link SurrogateStrategy} can use. */
export type AcquisitionName = "ei" | "logei" | "pi" | "ucb" | "mean" | "ts";

/** Settings of the acquisition optimiser as strategies use it. */
export interface AcqfSettings {
  /** Scrambled Sobol candidates per optimisation. Default 1024. */
  rawSamples: number;
  /** Local projected-gradient refinements. Default 8. */
  restarts: number;
  /** Iterations per refinement. Default 100. */
  maxIterations: number;
  /** Candidates for Thompson sampling. Default 1024. */
  thompsonCandidates: number;
  /** Finite differences for surrogates without gradients: "central" (default) or "forward". */
  finiteDifference: "central" | "forward";
}

export const DEFAULT_ACQF_SETTINGS: AcqfSettings = { rawSamples: 1024, restarts: 8, maxIterations: 100, thompsonCandidates: 1024, finiteDifference: "central" };

export interface SurrogateStrategyOptions {
  name: string;
  acquisition: AcquisitionName;
  /** Makes the surrogate (called once per strategy). */
  surrogateFactory: () => Surrogate;
  /** UCB exploration weight (mu + sqrt(beta) sigma). Default 2. */
  beta?: number;
  optimizer?: Partial<AcqfSettings>;
  /** Below this many observations, proposals come from a scrambled Sobol design. Default 2. */
  minObservations?: number;
  /**
   * Exclusion radius (unit cube) around pending and already-chosen batch points when the
   * surrogate cannot be conditioned on fantasies. Default 0.1.
   */
  pendingRadius?: number;
  /**
   * Minimum unit-cube distance of a proposal from every observed and pending point and from
   * the rest of its batch. Default {@link minProposalDistance} of the space (derived from the
   * inputs' resolutions, 0.0112 for the default space), so that a proposal rounded to the
   * lab's resolution never equals one of them.
   */
  minDistance?: number;
}

/**
 * Bayesian optimisation with a surrogate and an acquisition on its posterior moments.
 * Incumbent = best observed objective (as the original). Batches and pending points use
 * the kriging believer (the surrogate is conditioned on its own mean at each chosen or
 * pending point) when the surrogate offers `condition`, else exclusion balls of
 * `pendingRadius`. `ask(n, pending, { exploit: true })` maximises the posterior mean.
 * No proposal comes closer than `minDistance` to an observed or pending point, the exploit
 * proposal included: when the posterior-mean maximiser is an observed point (typical at a
 * box corner), the proposal is the best point found just outside that point's exclusion
 * ball — the nearest distinct experiment, not a repeat of one already run.
 */
export class SurrogateStrategy implements Strategy {
  readonly name: string;
  /** The last fit's report (for the campaign store), or null before the first fit. */
  lastFit: SurrogateFitInfo | null = null;
  private readonly rng: Rng;
  private readonly surrogate: Surrogate;
  private readonly feasible: FeasibleSet;
  private readonly settings: AcqfSettings;
  private readonly design: SobolSequence;
  private readonly observations: Observation[] = [];
  private readonly minDistance: number;
  private dirty = true;

  constructor(
    private readonly ctx: StrategyContext,
    private readonly options: SurrogateStrategyOptions,
  ) {
    this.name = options.name;
    this.rng = new Rng(ctx.seed);
    this.surrogate = options.surrogateFactory();
    this.feasible = feasibleSetOf(ctx.space);
    this.settings = { ...DEFAULT_ACQF_SETTINGS, ...options.optimizer };
    this.design = new SobolSequence(ctx.space.inputs.length, this.rng.fork());
    this.minDistance = options.minDistance ?? minProposalDistance(ctx.space);
    if (!(this.minDistance >= 0) || !Number.isFinite(this.minDistance))
      throw new UsageError(
        `strategy ${options.name}: minDistance = ${options.minDistance} must be a finite number >= 0`,
        "give a unit-cube distance such as 0.01",
      );
  }

  async tell(results: readonly Observation[]): Promise<void> {
    for (const r of results) {
      checkInBounds(this.ctx.space, toArray(this.ctx.space, r.condition), "observation");
      this.observations.push(r);
    }
    if (results.length > 0) this.dirty = true;
  }

  async ask(n: number, pending: readonly Condition[] = [], options: { exploit?: boolean } = {}): Promise<Proposal[]> {
    checkAskCount(n);
    const space = this.ctx.space;
    const rng = this.rng.fork();
    const observedZ = this.observations.map((o) => toUnit(space, o.condition));
    const pendingZ = pending.map((c) => toUnit(space, c));
    const usable = this.observations.filter((o) => Number.isFinite(o.objective));
    if (usable.length < (this.options.minObservations ?? 2)) {
      return this.designPoints(n, [...balls(observedZ, this.minDistance), ...balls(pendingZ, this.minDistance)]);
    }
    if (this.dirty) {
      this.lastFit = await this.surrogate.fit(this.trainingData(usable), rng.fork());
      this.dirty = false;
    }
    const conditionable = typeof this.surrogate.condition === "function";
    const batchRadius = conditionable ? this.minDistance : Math.max(this.minDistance, this.options.pendingRadius ?? 0.1);
    const excluded: ExcludedBall[] = [...balls(observedZ, this.minDistance), ...balls(pendingZ, batchRadius)];
    let model = this.surrogate;
    // The incumbent is the best observation; the acquisition's `best` also counts the
    // kriging believer's fantasies (pending and already-chosen points).
    const incumbent = Math.max(...usable.map((o) => o.objective));
    let best = incumbent;
    if (conditionable && pendingZ.length > 0) {
      const believed = Array.from(model.posterior(pendingZ).mean);
      model = model.condition!(pendingZ, believed);
      best = Math.max(best, ...believed);
    }
    const proposals: Proposal[] = [];
    for (let k = 0; k < n; k++) {
      const rule: AcquisitionName = options.exploit ? "mean" : this.options.acquisition;
      let x: number[];
      let value: number;
      let seconds: number;
      if (rule === "ts") {
        const t0 = performance.now();
        const centers = usable
          .map((o, i) => ({ y: o.objective, z: toUnit(space, o.condition), i }))
          .sort((a, b) => b.y - a.y || a.i - b.i)
          .slice(0, 5)
          .map((c) => c.z);
        const pick = thompsonPick(model, this.feasible, excluded, this.settings.thompsonCandidates, rng, centers);
        [x, value, seconds] = [pick.x, pick.value, (performance.now() - t0) / 1000];
      } else {
        const res = optimizeAcqf({
          objective: acquisitionObjective(model, this.momentAcquisition(rule, best)),
          feasible: this.feasible,
          rawSamples: this.settings.rawSamples,
          restarts: this.settings.restarts,
          maxIterations: this.settings.maxIterations,
          finiteDifference: this.settings.finiteDifference,
          seed: rng.nextUint32(),
          excluded,
        });
        [x, value, seconds] = [res.x, res.value, res.seconds];
      }
      const post = model.posterior([x]);
      const mean = post.mean[0];
      proposals.push({
        condition: toCondition(space, x),
        info: {
          strategy: this.name,
          acquisition: rule,
          acquisitionValue: value,
          mean,
          std: Math.sqrt(post.variance[0]),
          incumbent,
          acquisitionIncumbent: best,
          surrogate: this.surrogate.name,
          optimizerSeconds: seconds,
        },
      });
      excluded.push({ center: x, radius: batchRadius });
      if (conditionable && k < n - 1) {
        model = model.condition!([x], [mean]);
        best = Math.max(best, mean);
      }
    }
    return proposals;
  }

  dispose(): void {
    this.surrogate.dispose?.();
  }

  private momentAcquisition(rule: Exclude<AcquisitionName, "ts">, best: number): MomentAcquisition {
    switch (rule) {
      case "ei":
        return eiAcquisition(best);
      case "logei":
        return logEiAcquisition(best);
      case "pi":
        return piAcquisition(best);
      case "ucb":
        return ucbAcquisition(this.options.beta ?? 2);
      case "mean":
        return posteriorMeanAcquisition();
    }
  }

  private trainingData(obs: readonly Observation[]): Observations {
    const data: Observations = { X: obs.map((o) => toUnit(this.ctx.space, o.condition)), y: obs.map((o) => o.objective) };
    // Outcomes every observation reports, for surrogates that model them.
    const names = Object.keys(obs[0]?.outcomes ?? {}).filter((n) => obs.every((o) => Number.isFinite(o.outcomes?.[n])));
    if (names.length > 0) data.outcomes = Object.fromEntries(names.map((n) => [n, obs.map((o) => o.outcomes![n])]));
    return data;
  }

  /** Next points of the strategy's own scrambled Sobol design, feasible and not excluded. */
  private designPoints(n: number, excluded: ExcludedBall[]): Proposal[] {
    const out: Proposal[] = [];
    while (out.length < n) {
      const z = this.design.next();
      if (!isFeasible(this.feasible, z) || excluded.some((e) => Math.hypot(...z.map((v, i) => v - e.center[i])) < e.radius)) continue;
      excluded.push({ center: z, radius: this.minDistance });
      out.push({ condition: toCondition(this.ctx.space, z), info: { strategy: this.name, phase: "initial-design" } });
    }
    return out;
  }
}
