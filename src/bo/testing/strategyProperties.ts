import fc from "fast-check";
import { Rng } from "../../core/rng.js";
import { checkInBounds, denormalize, fromArray, satisfiesConstraints, toArray, type Condition, type SearchSpace } from "../problem/space.js";
import { sobolDesign } from "../design/sobol.js";
import { roundCondition, sameExperiment } from "../strategies/resolution.js";
import type { Observation, Proposal, Strategy, StrategyFactory } from "../strategy.js";
import { scenarioArbitrary, TEST_SPACE, type Scenario } from "./scenario.js";
import { unimodalOracle } from "./unimodal.js";

export type StrategyPropertyName = "in-bounds-and-constraints" | "deterministic" | "no-repeats" | "incumbent-never-worse" | "beats-random" | "shift-invariant";

export interface StrategySuiteOptions {
  /** fast-check runs per property. Default 5 (each run creates a strategy and asks once). */
  numRuns?: number;
  /** fast-check seed, so a failure is reproducible. Default 20251125. */
  seed?: number;
  /** Properties to leave out (e.g. "beats-random" for a random baseline). */
  skip?: readonly StrategyPropertyName[];
  /**
   * Also check that proposals do not change when a constant is added to every
   * observation (true for EI/log-EI/PI/UCB/mean on a standardising surrogate). Default false.
   */
  shiftInvariant?: boolean;
  /** Largest unit-cube distance two proposals may differ by and count as equal. Default 1e-3. */
  shiftTolerance?: number;
  /** beats-random: independent trials (seeds), initial points, optimizer-chosen experiments, wins needed. */
  trials?: number;
  initialPoints?: number;
  budget?: number;
  minWins?: number;
  /** The random baseline to beat. Default: uniform random search. */
  baseline?: StrategyFactory;
}

/** One property: a name, what it checks, and a check that throws (with a counterexample) on failure. */
export interface StrategyProperty {
  name: StrategyPropertyName;
  description: string;
  check(): Promise<void>;
}

async function askIn(factory: StrategyFactory, s: Scenario): Promise<Proposal[]> {
  const strategy = await factory({ space: s.space, seed: s.seed });
  try {
    await strategy.tell(s.observations);
    return await strategy.ask(s.n, s.pending, { exploit: s.exploit });
  } finally {
    strategy.dispose?.();
  }
}

const sameCondition = (a: Condition, b: Condition): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

function fail(message: string): never {
  throw new Error(message);
}

/**
 * The fast-check properties every strategy must satisfy, for a {@link StrategyFactory}.
 * Each `check()` throws on failure; run them in any test runner:
 * `for (const p of strategyProperties(factory)) it(p.name, p.check)`.
 */
export function strategyProperties(factory: StrategyFactory, options: StrategySuiteOptions = {}): StrategyProperty[] {
  const numRuns = options.numRuns ?? 5;
  const params = { numRuns, seed: options.seed ?? 20251125, endOnFailure: true };
  const all: StrategyProperty[] = [
    {
      name: "in-bounds-and-constraints",
      description: "every proposal has n entries, each input within its bounds and the linear constraints satisfied",
      check: () =>
        fc.assert(
          fc.asyncProperty(scenarioArbitrary(), async (s) => {
            const props = await askIn(factory, s);
            if (props.length !== s.n) fail(`asked for ${s.n} proposals, got ${props.length}`);
            for (const p of props) {
              checkInBounds(s.space, toArray(s.space, p.condition), "proposal", 0);
              if (!satisfiesConstraints(s.space, p.condition))
                fail(`proposal ${JSON.stringify(p.condition)} violates the linear constraints ${JSON.stringify(s.space.constraints)}`);
            }
          }),
          params,
        ),
    },
    {
      name: "deterministic",
      description: "the same seed, observations and calls give identical proposals",
      check: () =>
        fc.assert(
          fc.asyncProperty(scenarioArbitrary(), async (s) => {
            const a = await askIn(factory, s);
            const b = await askIn(factory, s);
            a.forEach((p, i) => {
              if (!sameCondition(p.condition, b[i].condition)) fail(`run 1 proposed ${JSON.stringify(p.condition)}, run 2 ${JSON.stringify(b[i].condition)}`);
            });
          }),
          params,
        ),
    },
    {
      name: "no-repeats",
      description:
        "no proposal equals an observed point, a pending point or another proposal of the batch at the lab's resolution (conditions rounded to each input's resolution, default 0.1 degC / 0.1 uL/min)",
      check: () =>
        fc.assert(
          fc.asyncProperty(scenarioArbitrary(), async (s) => {
            const props = await askIn(factory, s);
            const taken = [...s.observations.map((o) => o.condition), ...s.pending];
            const shown = (c: Condition) => JSON.stringify(roundCondition(s.space, c));
            props.forEach((p, i) => {
              const twin = taken.find((t) => sameExperiment(s.space, t, p.condition));
              if (twin)
                fail(
                  `proposal ${JSON.stringify(p.condition)} (rounded ${shown(p.condition)}) repeats the observed or pending point ${JSON.stringify(twin)} (rounded ${shown(twin)})`,
                );
              if (props.slice(0, i).some((q) => sameExperiment(s.space, q.condition, p.condition)))
                fail(`proposal ${JSON.stringify(p.condition)} (rounded ${shown(p.condition)}) appears twice in one batch`);
            });
          }),
          params,
        ),
    },
    {
      name: "incumbent-never-worse",
      description:
        "over a short campaign with one experiment always pending, the incumbent a strategy reports (info.incumbent) never decreases and is never below the best observation",
      check: async () => {
        const space = TEST_SPACE;
        const oracle = unimodalOracle(space, new Rng(params.seed));
        const strategy = await factory({ space, seed: params.seed });
        try {
          let best = -Infinity;
          let lastIncumbent = -Infinity;
          // A lab with a queue: one experiment always pending while the next is chosen.
          const queue: Condition[] = [];
          for (let step = 0; step < 8; step++) {
            const [p] = await strategy.ask(1, queue);
            const inc = p.info?.incumbent;
            if (typeof inc === "number") {
              if (inc < lastIncumbent) fail(`incumbent went from ${lastIncumbent} down to ${inc} at step ${step}`);
              if (inc < best - 1e-12) fail(`incumbent ${inc} is below the best observation ${best}`);
              lastIncumbent = inc;
            }
            queue.push(p.condition);
            if (queue.length < 2) continue;
            const c = queue.shift()!;
            const y = oracle.evaluate(c);
            best = Math.max(best, y);
            await strategy.tell([{ condition: c, objective: y }]);
          }
        } finally {
          strategy.dispose?.();
        }
      },
    },
    {
      name: "beats-random",
      description: "on a unimodal oracle, from the same initial design, the strategy's best value beats random search's in most trials",
      check: () => beatsRandom(factory, options, params.seed),
    },
    {
      name: "shift-invariant",
      description: "adding a constant to every observation leaves the proposals unchanged",
      check: () =>
        fc.assert(
          fc.asyncProperty(scenarioArbitrary(), fc.double({ min: -5, max: 5, noNaN: true }), async (s, shift) => {
            const a = await askIn(factory, s);
            const b = await askIn(factory, { ...s, observations: s.observations.map((o) => ({ ...o, objective: o.objective + shift })) });
            const tol = options.shiftTolerance ?? 1e-3;
            a.forEach((p, i) => {
              const za = normalized(s.space, p.condition);
              const zb = normalized(s.space, b[i].condition);
              if (Math.hypot(...za.map((v, j) => v - zb[j])) > tol)
                fail(`shift ${shift} moved proposal ${i} from ${JSON.stringify(p.condition)} to ${JSON.stringify(b[i].condition)}`);
            });
          }),
          params,
        ),
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

function normalized(space: SearchSpace, c: Condition): number[] {
  return space.inputs.map((s, i) => (toArray(space, c)[i] - s.bounds[0]) / (s.bounds[1] - s.bounds[0]));
}

async function runCampaign(strategy: Strategy, init: Condition[], evaluate: (c: Condition) => number, budget: number): Promise<number> {
  const first: Observation[] = init.map((c) => ({ condition: c, objective: evaluate(c) }));
  await strategy.tell(first);
  let best = Math.max(...first.map((o) => o.objective));
  for (let i = 0; i < budget; i++) {
    const [p] = await strategy.ask(1);
    const y = evaluate(p.condition);
    best = Math.max(best, y);
    await strategy.tell([{ condition: p.condition, objective: y }]);
  }
  strategy.dispose?.();
  return best;
}

async function beatsRandom(factory: StrategyFactory, options: StrategySuiteOptions, seed: number): Promise<void> {
  const { RandomStrategy } = await import("../strategies/randomStrategy.js");
  const baseline: StrategyFactory = options.baseline ?? ((ctx) => new RandomStrategy(ctx));
  const trials = options.trials ?? 5;
  const minWins = options.minWins ?? Math.ceil(0.8 * trials);
  const space = TEST_SPACE;
  let wins = 0;
  const log: string[] = [];
  for (let t = 0; t < trials; t++) {
    const rng = new Rng(seed + 7919 * t);
    const oracle = unimodalOracle(space, rng);
    const init = sobolDesign(options.initialPoints ?? 5, space.inputs.length, rng).map((z) => fromArray(space, denormalize(space, z)));
    const ours = await runCampaign(await factory({ space, seed: seed + t }), init, oracle.evaluate, options.budget ?? 10);
    const theirs = await runCampaign(await baseline({ space, seed: seed + t }), init, oracle.evaluate, options.budget ?? 10);
    if (ours > theirs) wins++;
    log.push(`${ours.toFixed(4)} vs ${theirs.toFixed(4)}`);
  }
  if (wins < minWins) fail(`beat random search in ${wins} of ${trials} trials, needed ${minWins} (best values strategy vs random: ${log.join("; ")})`);
}
