import fc from "fast-check";
import { Rng } from "../../core/rng.js";
import type { Condition } from "../../twin/space.js";
import { SobolSequence } from "../design/sobol.js";
import { RandomStrategy } from "../strategies/randomStrategy.js";
import type { StrategyFactory } from "../strategy.js";
import { runScenario, PropertyViolation } from "./campaignTrace.js";
import { describeObjective, objectiveAt, objectivesFor, type TestObjective } from "./objectives.js";
import type { OutcomesOf } from "./observationShape.js";
import type { Scenario } from "./scenario.js";
import { conditionAt, dimension, feasibleUnit, invalidity, type NamedSpace } from "./spaces.js";

/** Settings of the beats-random property. */
export interface BeatsRandomSettings {
  space: NamedSpace;
  /** Objectives (independent trials) per verdict. */
  trials: number;
  /** Shared initial design (scrambled Sobol, feasible points). */
  initialPoints: number;
  /** Experiments the strategy chooses after the design, one at a time. */
  budget: number;
  /** Trials the strategy must win. */
  minWins: number;
  /** Random-search campaigns per trial whose median is the bar. */
  baselineRuns: number;
  baseline: StrategyFactory;
  askSeconds: number;
  outcomes?: OutcomesOf;
}

/**
 * Smallest k with P(X >= k) <= alpha for X ~ Binomial(trials, 1/2): a strategy no better than
 * the baseline's median wins each trial with probability 1/2, so k wins reject that at level alpha.
 */
export function signTestWins(trials: number, alpha = 0.05): number {
  const choose = (n: number, k: number): number => {
    let c = 1;
    for (let i = 1; i <= k; i++) c = (c * (n - i + 1)) / i;
    return c;
  };
  let tail = 0;
  for (let k = trials; k >= 0; k--) {
    tail += choose(trials, k) / 2 ** trials;
    if (tail > alpha) return k + 1;
  }
  return 0;
}

/** Feasible scrambled-Sobol design of `n` conditions. */
function initialDesign(space: NamedSpace, n: number, seed: number): Condition[] {
  const seq = new SobolSequence(dimension(space.space), new Rng(seed));
  const ok = feasibleUnit(space.space);
  const out: Condition[] = [];
  for (let tries = 0; out.length < n && tries < 10000 * n; tries++) {
    const z = seq.next();
    if (ok(z)) out.push(conditionAt(space.space, z));
  }
  return out;
}

/**
 * Best true objective over the design and the proposals of a campaign, from the suite's own
 * record (copies taken when ask returned); proposals the lab would refuse score nothing.
 */
async function bestOf(factory: StrategyFactory, s: Scenario, st: BeatsRandomSettings): Promise<number> {
  const trace = await runScenario(factory, s, { askSeconds: st.askSeconds, outcomes: st.outcomes });
  let best = Math.max(...s.initial.map((c) => objectiveAt(s.objective, s.space, c)));
  for (const a of trace.asks)
    for (const p of a.proposals) if (invalidity(s.space, p.condition) === null) best = Math.max(best, objectiveAt(s.objective, s.space, p.condition));
  return best;
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * The beats-random verdict for one set of trials: each trial draws an objective (peak anywhere,
 * corners and edges included) and a shared initial design; the strategy runs `budget`
 * experiments once, random search `baselineRuns` times; the strategy wins the trial when its best
 * true value exceeds the median of random search's. It must win at least `minWins` trials.
 */
export async function beatsRandomOnce(
  factory: StrategyFactory,
  objectives: readonly TestObjective[],
  seeds: readonly number[],
  st: BeatsRandomSettings,
): Promise<void> {
  let wins = 0;
  const rows: string[] = [];
  for (let t = 0; t < objectives.length; t++) {
    const objective = objectives[t];
    const base: Scenario = {
      spaceName: st.space.name,
      space: st.space.space,
      seed: seeds[t],
      objective,
      noise: 0.005,
      noiseSeed: seeds[t] ^ 0x5bd1e995,
      initial: initialDesign(st.space, st.initialPoints, seeds[t]),
      pending: [],
      steps: Array.from({ length: st.budget }, () => ({ finish: 1, n: 1, exploit: false })),
    };
    const ours = await bestOf(factory, base, st);
    const theirs: number[] = [];
    for (let r = 0; r < st.baselineRuns; r++) theirs.push(await bestOf(st.baseline, { ...base, seed: seeds[t] + 1 + r }, st));
    const bar = median(theirs);
    if (ours > bar) wins++;
    rows.push(
      `  ${ours > bar ? "won " : "lost"} ${describeObjective(objective, st.space.space)}: strategy ${ours.toFixed(4)}, random median ${bar.toFixed(4)}`,
    );
  }
  if (wins < st.minWins)
    throw new PropertyViolation(
      `the strategy beat the median of random search in ${wins} of ${objectives.length} trials, needed ${st.minWins} ` +
        `(${st.initialPoints} initial points + ${st.budget} experiments, best true objective, maximum 1):\n${rows.join("\n")}`,
    );
}

/** The beats-random property as a fast-check assertion (trials not shrunk: the verdict is statistical over the whole set). */
export function beatsRandomProperty(factory: StrategyFactory, st: BeatsRandomSettings) {
  const trials = fc.noShrink(
    fc
      .record({
        objectives: fc.array(objectivesFor(st.space.space), { minLength: st.trials, maxLength: st.trials }),
        seeds: fc.array(fc.integer({ min: 0, max: 2 ** 30 }), { minLength: st.trials, maxLength: st.trials }),
      })
      .map((r) => Object.assign(r, { [fc.toStringMethod]: () => `${st.trials} trials in ${st.space.name}, strategy seeds ${r.seeds.join(", ")}` })),
  );
  return fc.asyncProperty(trials, (r) => beatsRandomOnce(factory, r.objectives, r.seeds, st));
}

/** The default baseline: uniform random search over the feasible set. */
export const randomSearch: StrategyFactory = (ctx) => new RandomStrategy(ctx);
