import { UsageError } from "../../core/errors.js";
import { Rng } from "../../core/rng.js";
import { checkInBounds, toArray, type Condition } from "../problem/space.js";
import { eiAcquisition } from "../acquisition/ei.js";
import { logEiAcquisition } from "../acquisition/logEi.js";
import { posteriorMeanAcquisition } from "../acquisition/mean.js";
import { acquisitionObjective, type AcquisitionObjective } from "../acquisition/objective.js";
import { NEI_TAU, noisyEiObjective, noisyEiSampler } from "../acquisition/noisyEi.js";
import { piAcquisition } from "../acquisition/pi.js";
import type { MomentAcquisition } from "../acquisition/types.js";
import { DEFAULT_UCB_BETA, ucbAcquisition } from "../acquisition/ucb.js";
import { SobolSequence } from "../design/sobol.js";
import { feasibleSetOf, isFeasible, type FeasibleSet } from "../optimize/feasibleSet.js";
import { optimizeAcqf, type ExcludedBall } from "../optimize/optimizeAcqf.js";
import type { AskOptions, Observation, Proposal, Strategy, StrategyContext } from "../strategy.js";
import type { Observations, Surrogate, SurrogateFitInfo } from "../surrogate.js";
import { checkAskCount } from "./askChecks.js";
import { thompsonPick } from "./thompson.js";
import { minProposalDistance } from "./resolution.js";
import { centralZ, DEFAULT_MEAN_MAXIMIZER, maximizePosteriorMean, type Recommendation } from "../recommend/recommendation.js";
import { balls, toCondition, toUnit } from "./unitSpace.js";
import { TrustRegion, type TrustRegionOptions } from "./trustRegion.js";
import { checkFinalPhase, inFinalPhase, ucbBetaAt } from "./finalPhase.js";
import { knowledgeGradientObjective } from "../acquisition/kgObjective.js";
import { kgReferenceSet } from "./kgReference.js";

/**
 * Acquisition rules a {@link SurrogateStrategy} can use.
 *
 * "nei" is noise-aware log-EI: its incumbent is the best posterior mean at the observed
 * points (plus fantasies), not the best noisy reading, so one lucky measurement does not
 * set the bar (the plug-in noisy EI of Picheny et al. 2013).
 *
 * "qnei" is the Monte Carlo noisy EI integrated over the incumbent (qLogNEI-like, see
 * src/bo/acquisition/noisyEi.ts): joint posterior samples at the observed points and the
 * candidate; with a surrogate that has neither a joint sampler nor ensemble members it
 * falls back to "nei".
 *
 * "kg" is the discrete knowledge gradient (src/bo/acquisition/knowledgeGradient.ts): the
 * expected increase of the best posterior mean over a reference set biased to the top that
 * one noisy measurement would bring, so experiments go where they would change the final
 * recommendation; with a surrogate without `crossCovariance` (the ENN) it falls back to UCB.
 */
export type AcquisitionName = "ei" | "logei" | "nei" | "qnei" | "pi" | "ucb" | "mean" | "ts" | "kg";

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
  /** UCB exploration weight (mu + sqrt(beta) sigma). Default {@link DEFAULT_UCB_BETA} (4). */
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
  /** Maximise the acquisition in a trust region around the incumbent (see {@link TrustRegion}). Default: the whole space. */
  trustRegion?: TrustRegionOptions;
  /**
   * UCB only: the fraction of the budget at its end over which beta tapers linearly to 0
   * (see {@link ucbBetaAt}), when the caller says where the campaign stands
   * (`ask(..., { progress })`). Default 0 (beta constant).
   */
  finalPhase?: number;
  /**
   * A second surrogate used only for {@link SurrogateStrategy.recommend} (fitted to the same
   * observations when they changed), e.g. a GP with a different noise model: proposals,
   * the final exploitation included, stay those of `surrogateFactory`, so the experiments
   * run are the same and only the recommendation differs. Default: the proposal surrogate.
   */
  recommendationSurrogateFactory?: () => Surrogate;
  /**
   * The fraction of the budget at its end (the last max(1, round(f x budget)) experiments,
   * see {@link inFinalPhase}) in which proposals use the knowledge gradient instead of the
   * strategy's acquisition, when the caller says where the campaign stands. Exploit asks
   * stay pure exploitation. Default 0 (never).
   */
  kgPhase?: number;
  /**
   * Another acquisition for the last `fraction` of the budget (the last max(1, round(f x
   * budget)) experiments, when the caller says where the campaign stands), e.g. UCB's
   * exploration then EI's refinement around the incumbent. Exploit asks stay pure
   * exploitation; `kgPhase` takes precedence where both apply. Default: none.
   */
  lateAcquisition?: { acquisition: AcquisitionName; fraction: number };
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
  private readonly rng: Rng;
  private readonly surrogate: Surrogate;
  private readonly feasible: FeasibleSet;
  private readonly settings: AcqfSettings;
  private readonly design: SobolSequence;
  private readonly observations: Observation[] = [];
  private readonly minDistance: number;
  private dirty = true;
  private readonly trustRegion?: TrustRegion;
  /** Model-based proposals made so far, and the observation count and the incumbent's index at the last local one. */
  private asks = 0;
  private lastLocal?: { observed: number };
  /** The recommendation's own surrogate, and the observation count it was last fitted to. */
  private readonly recSurrogate?: Surrogate;
  private recFitted = -1;

  constructor(
    private readonly ctx: StrategyContext,
    private readonly options: SurrogateStrategyOptions,
  ) {
    this.name = options.name;
    this.rng = new Rng(ctx.seed);
    this.surrogate = options.surrogateFactory();
    this.recSurrogate = options.recommendationSurrogateFactory?.();
    this.feasible = feasibleSetOf(ctx.space);
    this.settings = { ...DEFAULT_ACQF_SETTINGS, ...options.optimizer };
    this.design = new SobolSequence(ctx.space.inputs.length, this.rng.fork());
    this.minDistance = options.minDistance ?? minProposalDistance(ctx.space);
    if (options.trustRegion) this.trustRegion = new TrustRegion(options.trustRegion);
    if (options.finalPhase !== undefined) checkFinalPhase(options.name, options.finalPhase);
    if (options.beta !== undefined && !(options.beta >= 0 && Number.isFinite(options.beta)))
      throw new UsageError(`strategy ${options.name}: UCB beta = ${options.beta} must be a finite number >= 0`, `give e.g. ${DEFAULT_UCB_BETA} (mu + 2 sigma)`);
    if (options.kgPhase !== undefined) checkFinalPhase(options.name, options.kgPhase);
    if (options.lateAcquisition !== undefined) checkFinalPhase(options.name, options.lateAcquisition.fraction);
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

  async ask(n: number, pending: readonly Condition[] = [], options: AskOptions = {}): Promise<Proposal[]> {
    checkAskCount(n);
    const space = this.ctx.space;
    const rng = this.rng.fork();
    const observedZ = this.observations.map((o) => toUnit(space, o.condition));
    const pendingZ = pending.map((c) => toUnit(space, c));
    const usable = this.observations.filter((o) => Number.isFinite(o.objective));
    if (usable.length < (this.options.minObservations ?? 2)) {
      return this.designPoints(n, [...balls(observedZ, this.minDistance), ...balls(pendingZ, this.minDistance)]);
    }
    let fit: SurrogateFitInfo | undefined;
    if (this.dirty) {
      fit = await this.surrogate.fit(this.trainingData(usable), rng.fork());
      this.dirty = false;
    }
    const conditionable = typeof this.surrogate.condition === "function";
    const batchRadius = conditionable ? this.minDistance : Math.max(this.minDistance, this.options.pendingRadius ?? 0.1);
    const excluded: ExcludedBall[] = [...balls(observedZ, this.minDistance), ...balls(pendingZ, batchRadius)];
    let model = this.surrogate;
    // The incumbent is the best observation; the acquisition's `best` also counts the
    // kriging believer's fantasies (pending and already-chosen points).
    const incumbent = Math.max(...usable.map((o) => o.objective));
    const noiseAware = (this.options.acquisition === "nei" || this.options.acquisition === "qnei") && !options.exploit;
    const usableZ = usable.map((o) => toUnit(space, o.condition));
    const usableMean = noiseAware || this.trustRegion ? model.posterior(usableZ).mean : undefined;
    let best = noiseAware ? Math.max(...usableMean!) : incumbent;
    // Trust region: the box around the observed point of best posterior mean; a local
    // proposal succeeded when a point observed since then is now that point.
    let feasible = this.feasible;
    let region: Record<string, unknown> | undefined;
    if (this.trustRegion && !options.exploit) {
      let inc = 0;
      for (let i = 1; i < usableMean!.length; i++) if (usableMean![i] > usableMean![inc]) inc = i;
      if (this.lastLocal) this.trustRegion.update(inc >= this.lastLocal.observed);
      this.lastLocal = undefined;
      const global = this.trustRegion.isGlobal(this.asks);
      if (!global) {
        feasible = this.trustRegion.box(this.feasible, usableZ[inc]);
        this.lastLocal = { observed: usable.length };
      }
      region = { local: !global, length: this.trustRegion.length, center: toCondition(space, usableZ[inc]) };
      this.asks++;
    }
    if (conditionable && pendingZ.length > 0) {
      const believed = Array.from(model.posterior(pendingZ).mean);
      model = model.condition!(pendingZ, believed);
      best = Math.max(best, ...believed);
    }
    const proposals: Proposal[] = [];
    // Baseline of the Monte Carlo noisy EI: observed, pending and already-chosen points.
    const baseline = [...usableZ, ...pendingZ];
    const tau = NEI_TAU * spreadOf(usable.map((o) => o.objective));
    const beta = ucbBetaAt(this.options.beta ?? DEFAULT_UCB_BETA, this.options.finalPhase ?? 0, options.progress);
    for (let k = 0; k < n; k++) {
      let rule: AcquisitionName = options.exploit ? "mean" : this.options.acquisition;
      const late = this.options.lateAcquisition;
      if (!options.exploit && late && inFinalPhase(late.fraction, options.progress)) rule = late.acquisition;
      if (!options.exploit && inFinalPhase(this.options.kgPhase ?? 0, options.progress)) rule = "kg";
      // The knowledge gradient needs the posterior cross-covariance; without it, UCB.
      if (rule === "kg" && typeof model.crossCovariance !== "function") rule = "ucb";
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
        const pick = thompsonPick(model, feasible, excluded, this.settings.thompsonCandidates, rng, centers);
        [x, value, seconds] = [pick.x, pick.value, (performance.now() - t0) / 1000];
      } else {
        // Pure exploitation gets the thorough search of the recommendation (many more
        // candidates and restarts): the posterior mean's maximum must really be found.
        const thorough = rule === "mean";
        let objective: AcquisitionObjective | undefined;
        let extraCandidates: number[][] | undefined;
        const t0 = performance.now();
        if (rule === "kg") {
          const ref = kgReferenceSet(model, feasible, baseline, rng.fork());
          objective = knowledgeGradientObjective(model, ref.points);
          extraCandidates = ref.near;
        }
        if (rule === "qnei") {
          const sampler = noisyEiSampler(model, baseline, rng.fork());
          if (sampler) objective = noisyEiObjective(sampler, tau);
        }
        const res = optimizeAcqf({
          objective: objective ?? acquisitionObjective(model, this.momentAcquisition(rule === "qnei" ? "nei" : rule === "kg" ? "ucb" : rule, best, beta)),
          feasible,
          rawSamples: thorough ? Math.max(this.settings.rawSamples, DEFAULT_MEAN_MAXIMIZER.rawSamples) : this.settings.rawSamples,
          restarts: thorough ? Math.max(this.settings.restarts, DEFAULT_MEAN_MAXIMIZER.restarts) : this.settings.restarts,
          maxIterations: thorough ? Math.max(this.settings.maxIterations, DEFAULT_MEAN_MAXIMIZER.maxIterations) : this.settings.maxIterations,
          finiteDifference: this.settings.finiteDifference,
          seed: rng.nextUint32(),
          excluded,
          ...(extraCandidates ? { extraCandidates } : {}),
        });
        // The knowledge gradient is optimised on the log scale and reported as itself (objective units), its reference set included in the time.
        [x, value, seconds] = rule === "kg" ? [res.x, Math.exp(res.value), (performance.now() - t0) / 1000] : [res.x, res.value, res.seconds];
      }
      const post = model.posterior([x]);
      const mean = post.mean[0];
      proposals.push({
        ...(k === 0 && fit ? { fit: { ...fit, surrogate: this.surrogate.name } } : {}),
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
          ...(region ? { trustRegion: region } : {}),
          ...(rule === "ucb" ? { beta } : {}),
        },
      });
      excluded.push({ center: x, radius: batchRadius });
      baseline.push(x);
      if (conditionable && k < n - 1) {
        model = model.condition!([x], [mean]);
        best = Math.max(best, mean);
      }
    }
    return proposals;
  }

  /**
   * The posterior-mean maximiser over the feasible set (observed points included as
   * candidates), refitting first if observations arrived since the last fit; undefined
   * before the surrogate is used. Interval: 95 % of the latent objective.
   */
  async recommend(): Promise<Recommendation | undefined> {
    const usable = this.observations.filter((o) => Number.isFinite(o.objective));
    if (usable.length < (this.options.minObservations ?? 2)) return undefined;
    const rng = this.rng.fork();
    if (this.dirty) {
      await this.surrogate.fit(this.trainingData(usable), rng.fork());
      this.dirty = false;
    }
    let model = this.surrogate;
    let maximizerSeed = rng.nextUint32();
    if (this.recSurrogate) {
      // Forks of this call's own Rng only, so the proposals' random stream is the same as without it.
      if (this.recFitted !== this.observations.length) {
        await this.recSurrogate.fit(this.trainingData(usable), rng.fork());
        this.recFitted = this.observations.length;
      }
      model = this.recSurrogate;
      maximizerSeed = rng.nextUint32();
    }
    const observedZ = usable.map((o) => toUnit(this.ctx.space, o.condition));
    const r = maximizePosteriorMean(model, this.feasible, maximizerSeed, observedZ, { finiteDifference: this.settings.finiteDifference });
    const level = 0.95;
    const z = centralZ(level);
    return {
      condition: toCondition(this.ctx.space, r.x),
      mean: r.mean,
      std: r.std,
      lower: r.mean - z * r.std,
      upper: r.mean + z * r.std,
      level,
      observations: usable.length,
    };
  }

  dispose(): void {
    this.surrogate.dispose?.();
    this.recSurrogate?.dispose?.();
  }

  private momentAcquisition(rule: Exclude<AcquisitionName, "ts" | "qnei" | "kg">, best: number, beta: number): MomentAcquisition {
    switch (rule) {
      case "ei":
        return eiAcquisition(best);
      case "logei":
      case "nei":
        return logEiAcquisition(best);
      case "pi":
        return piAcquisition(best);
      case "ucb":
        return ucbAcquisition(beta);
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

/** Standard deviation of values (1 when fewer than two or all equal): the scale of the noisy EI's smoothing temperature. */
function spreadOf(values: readonly number[]): number {
  if (values.length < 2) return 1;
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
  return sd > 0 && Number.isFinite(sd) ? sd : 1;
}
