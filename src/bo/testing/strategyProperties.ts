import fc from "fast-check";
import { sameExperiment } from "../strategies/resolution.js";
import type { StrategyFactory } from "../strategy.js";
import { beatsRandomProperty, randomSearch } from "./beatsRandom.js";
import { PropertyViolation, runScenario, whereIs, type CampaignTrace } from "./campaignTrace.js";
import { objectiveOf, type OutcomesOf } from "./observationShape.js";
import { scenarioArbitrary, type Scenario, type ScenarioLimits } from "./scenario.js";
import type { Problem } from "../problem/problem.js";
import { invalidity, showCondition, SUITE_SPACES, unitOf, type NamedSpace } from "./spaces.js";

export type StrategyPropertyName =
  | "in-bounds-and-constraints"
  | "caller-data-untouched"
  | "deterministic"
  | "no-repeats"
  | "incumbent-never-worse"
  | "time-budget"
  | "beats-random"
  | "shift-invariant";

export interface StrategySuiteOptions {
  /** fast-check runs (random campaign scenarios) per property. Default 20. */
  numRuns?: number;
  /**
   * fast-check seed. Default: a fresh random seed every time, printed with the path on failure;
   * pass both (`seed`, `path`) to replay a failure.
   */
  seed?: number;
  /** fast-check path of a failure to replay (with `seed`). */
  path?: string;
  /** Properties to leave out (e.g. "beats-random" for a random baseline, "incumbent-never-worse" when no incumbent is reported). */
  skip?: readonly StrategyPropertyName[];
  /**
   * Also check that proposals do not change when a constant is added to every observation
   * (true for EI/log-EI/PI/UCB/mean on a standardising surrogate). Default false.
   */
  shiftInvariant?: boolean;
  /**
   * shift-invariant: largest unit-cube distance two proposals may differ by and count as equal.
   * Default 0.05: exact arithmetic would give 0, but the fit and the acquisition optimiser
   * amplify rounding differences where the acquisition is flat.
   */
  shiftTolerance?: number;
  /** Per-call time budget of ask and tell (and of creating the strategy), seconds. Default 10. */
  askSeconds?: number;
  /**
   * The problem your strategy is for: scenarios and beats-random then use its search space
   * (any number of inputs, its constraints). Overrides `spaces` and `beatsRandomSpace`.
   */
  problem?: Problem;
  /** Spaces the campaign scenarios use. Default: box-5d, constrained-5d and box-2d ({@link SUITE_SPACES}). */
  spaces?: readonly NamedSpace[];
  /** Asks per campaign scenario, at most. Default 4. */
  maxSteps?: number;
  /** Initial observations per scenario, at most. Default 8. */
  maxInitial?: number;
  /** Extra measured outcomes attached to each observation (e.g. features an ENN models). */
  outcomes?: OutcomesOf;
  /** beats-random: independent objectives per verdict. Default 10. */
  trials?: number;
  /** beats-random: shared initial design size. Default 5. */
  initialPoints?: number;
  /** beats-random: experiments the strategy chooses. Default 10. */
  budget?: number;
  /** beats-random: significance level of the one-sided Wilcoxon signed-rank test. Default 0.05. */
  alpha?: number;
  /** beats-random: random-search campaigns per trial (their median is the bar). Default 15. */
  baselineRuns?: number;
  /** beats-random: verdicts (fast-check runs, each over `trials` objectives). Default 1. */
  beatsRandomRuns?: number;
  /** beats-random: the space. Default box-5d. */
  beatsRandomSpace?: NamedSpace;
  /** The baseline to beat. Default: uniform random search. */
  baseline?: StrategyFactory;
}

/** One property: a name, what it checks, and a check that throws (with a counterexample) on failure. */
export interface StrategyProperty {
  name: StrategyPropertyName;
  description: string;
  check(): Promise<void>;
}

const fail = (message: string): never => {
  throw new PropertyViolation(message);
};

const sameValues = (a: unknown, b: unknown): boolean => {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra ?? {}), ...Object.keys(rb ?? {})]);
  return [...keys].every((k) => Object.is(ra[k], rb[k]));
};

function checkValid(s: Scenario, t: CampaignTrace): void {
  for (const a of t.asks) {
    if (a.proposals.length !== a.n) fail(`ask ${a.step} asked for ${a.n} proposals and got ${a.proposals.length}`);
    a.proposals.forEach((p, i) => {
      const why = invalidity(s.space, p.condition);
      if (why) fail(`${whereIs(s, a, i)} is not a valid experiment: ${why}`);
    });
  }
}

function checkNoRepeats(s: Scenario, t: CampaignTrace): void {
  for (const a of t.asks) {
    a.proposals.forEach((p, i) => {
      const c = p.condition;
      const obs = a.observed.find((o) => sameExperiment(s.space, o.condition, c));
      if (obs) fail(`${whereIs(s, a, i)} repeats the observed experiment (${showCondition(s.space, obs.condition)}) at the lab's resolution`);
      const pend = a.pending.find((q) => sameExperiment(s.space, q, c));
      if (pend) fail(`${whereIs(s, a, i)} repeats the pending experiment (${showCondition(s.space, pend)}) at the lab's resolution`);
      const j = a.proposals.slice(0, i).findIndex((q) => sameExperiment(s.space, q.condition, c));
      if (j >= 0) fail(`${whereIs(s, a, i)} repeats proposal ${j + 1} of the same batch at the lab's resolution`);
    });
  }
}

function checkIncumbent(s: Scenario, t: CampaignTrace): void {
  let reported = 0;
  for (const a of t.asks) {
    if (a.observed.length === 0) continue;
    const best = Math.max(...a.observed.map(objectiveOf));
    a.proposals.forEach((p, i) => {
      const inc = p.info?.incumbent;
      if (inc === undefined) return;
      reported++;
      if (typeof inc !== "number" || !Number.isFinite(inc)) return fail(`${whereIs(s, a, i)} reports the incumbent ${String(inc)}, not a finite number`);
      if (Math.abs(inc - best) > 1e-9 * (1 + Math.abs(best)))
        fail(`${whereIs(s, a, i)} reports the incumbent ${inc}, but the best of the ${a.observed.length} observations it was told is ${best}`);
    });
  }
  if (reported === 0)
    fail(
      `not applicable: no proposal reported info.incumbent although the strategy had been told ${t.asks.at(-1)?.observed.length ?? 0} observations; ` +
        `a strategy without an incumbent must skip "incumbent-never-worse"`,
    );
}

function checkSameProposals(s: Scenario, a: CampaignTrace, b: CampaignTrace, what: string): void {
  for (let k = 0; k < a.asks.length; k++) {
    const pa = a.asks[k].proposals;
    const pb = b.asks[k]?.proposals ?? [];
    if (pa.length !== pb.length) fail(`${what}: ask ${k + 1} returned ${pa.length} proposals once and ${pb.length} the other time`);
    pa.forEach((p, i) => {
      if (!sameValues(p.condition, pb[i].condition))
        fail(
          `${what}: ask ${k + 1} proposal ${i + 1} was (${showCondition(s.space, p.condition)}) once and (${showCondition(s.space, pb[i].condition)}) the other time`,
        );
    });
  }
}

/** Largest unit-cube distance between corresponding proposals of two traces. */
function maxMove(s: Scenario, a: CampaignTrace, b: CampaignTrace): { d: number; at: string } {
  let worst = { d: 0, at: "" };
  a.asks.forEach((ask, k) =>
    ask.proposals.forEach((p, i) => {
      const q = b.asks[k]?.proposals[i];
      if (!q) return;
      const za = unitOf(s.space, p.condition);
      const zb = unitOf(s.space, q.condition);
      const d = Math.hypot(...za.map((v, j) => v - zb[j]));
      if (!(d <= worst.d))
        worst = { d, at: `ask ${k + 1} proposal ${i + 1}: (${showCondition(s.space, p.condition)}) became (${showCondition(s.space, q.condition)})` };
    }),
  );
  return worst;
}

/**
 * The fast-check properties every strategy must satisfy, for a {@link StrategyFactory}. Each
 * property runs the strategy through random multi-step campaigns (observations arriving,
 * pending points outstanding) and checks every ask. Each `check()` throws on failure with
 * fast-check's seed and path (to replay) and the shrunk scenario; run them in any test runner:
 * `for (const p of strategyProperties(factory)) it(p.name, p.check)`.
 */
export function strategyProperties(factory: StrategyFactory, options: StrategySuiteOptions = {}): StrategyProperty[] {
  // A fresh seed unless one is given; fast-check prints it (and the path) on failure.
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const params = { numRuns: options.numRuns ?? 20, seed, ...(options.path ? { path: options.path } : {}) };
  const settings = { askSeconds: options.askSeconds ?? 10, outcomes: options.outcomes };
  const own: NamedSpace | undefined = options.problem ? { name: options.problem.name, space: options.problem.space } : undefined;
  const limits: ScenarioLimits = {
    spaces: own ? [own] : (options.spaces ?? SUITE_SPACES),
    maxSteps: options.maxSteps ?? 4,
    maxInitial: options.maxInitial ?? 8,
  };
  const onTraces =
    (check: (s: Scenario, t: CampaignTrace) => void, extra: ScenarioLimits = {}) =>
    () =>
      fc.assert(
        fc.asyncProperty(scenarioArbitrary({ ...limits, ...extra }), async (s) => check(s, await runScenario(factory, s, settings))),
        params,
      );
  const all: StrategyProperty[] = [
    {
      name: "in-bounds-and-constraints",
      description: "every ask of a campaign returns exactly n proposals, each with every input finite and within its bounds and the constraints satisfied",
      check: onTraces(checkValid),
    },
    {
      name: "caller-data-untouched",
      description: "ask and tell never modify the observations or pending lists they are given, not even later",
      check: onTraces(() => undefined),
    },
    {
      name: "time-budget",
      description: `every ask and tell finishes within the per-call time budget (${settings.askSeconds} s)`,
      check: onTraces(() => undefined),
    },
    {
      name: "deterministic",
      description: "two campaigns with the same seed, observations and calls give identical proposals at every ask",
      check: () =>
        fc.assert(
          fc.asyncProperty(scenarioArbitrary(limits), async (s) => {
            const a = await runScenario(factory, s, settings);
            const b = await runScenario(factory, s, settings);
            checkSameProposals(s, a, b, "same seed, different proposals");
          }),
          params,
        ),
    },
    {
      name: "no-repeats",
      description:
        "at every ask, no proposal is the same experiment (at each input's resolution) as an observed point, a pending point or another proposal of its batch",
      check: onTraces(checkNoRepeats),
    },
    {
      name: "incumbent-never-worse",
      description:
        "the incumbent a proposal reports (info.incumbent) is the best objective observed so far, so it never decreases; a strategy that never reports one fails as not applicable",
      check: onTraces(checkIncumbent, { minInitial: 3 }),
    },
    {
      name: "beats-random",
      description:
        "over a family of objectives peaking anywhere (corners and edges too), the strategy's best true value beats the median of random search significantly (one-sided Wilcoxon signed-rank test, 5 %)",
      check: () => {
        const trials = options.trials ?? 10;
        return fc.assert(
          beatsRandomProperty(factory, {
            space: own ?? options.beatsRandomSpace ?? SUITE_SPACES[0],
            trials,
            initialPoints: options.initialPoints ?? 5,
            budget: options.budget ?? 10,
            alpha: options.alpha ?? 0.05,
            baselineRuns: options.baselineRuns ?? 15,
            baseline: options.baseline ?? randomSearch,
            askSeconds: settings.askSeconds,
            outcomes: settings.outcomes,
          }),
          {
            numRuns: options.beatsRandomRuns ?? 1,
            seed,
            ...(options.path ? { path: options.path } : {}),
          },
        );
      },
    },
    {
      name: "shift-invariant",
      description:
        "adding a constant to every observed objective leaves the proposals of every ask (same history) unchanged; a strategy whose proposals never depend on the observed values fails as not applicable",
      check: async () => {
        const tol = options.shiftTolerance ?? 0.05;
        let judged = 0;
        await fc.assert(
          fc.asyncProperty(scenarioArbitrary({ ...limits, minInitial: 4 }), fc.double({ min: -5, max: 5, noNaN: true }), async (s, shift) => {
            const a = await runScenario(factory, s, settings);
            // Every ask of the other runs sees the same experiments as in run a.
            const flipped = await runScenario(factory, s, { ...settings, scale: -1, replay: a });
            if (maxMove(s, a, flipped).d <= tol) return; // these proposals ignore the values: nothing to judge here
            judged++;
            const b = await runScenario(factory, s, { ...settings, shift, replay: a });
            const m = maxMove(s, a, b);
            if (m.d > tol) fail(`adding ${shift} to every observation moved ${m.at} (unit-cube distance ${m.d.toFixed(4)} > ${tol})`);
          }),
          params,
        );
        if (judged === 0)
          fail(
            `not applicable: in none of the ${params.numRuns} scenarios did the proposals change when every observed objective was negated, so they do not depend on the data and shift-invariance cannot be judged (seed: ${seed})`,
          );
      },
    },
  ];
  const skip = new Set<StrategyPropertyName>(options.skip ?? []);
  if (!options.shiftInvariant) skip.add("shift-invariant");
  return all.filter((p) => !skip.has(p.name));
}

/** Run every property; throws the first failure, prefixed by the property's name. */
export async function checkStrategy(factory: StrategyFactory, options: StrategySuiteOptions = {}): Promise<void> {
  for (const p of strategyProperties(factory, options)) {
    try {
      await p.check();
    } catch (e) {
      throw new Error(`strategy property "${p.name}" failed: ${(e as Error).message}`);
    }
  }
}
