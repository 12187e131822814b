import fc from "fast-check";
import { Rng } from "../../core/rng.js";
import type { Condition } from "../problem/space.js";
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
  /** Significance level of the one-sided Wilcoxon signed-rank test. */
  alpha: number;
  /** Random-search campaigns per trial whose median is the bar. */
  baselineRuns: number;
  baseline: StrategyFactory;
  askSeconds: number;
  outcomes?: OutcomesOf;
}

/**
 * One-sided exact Wilcoxon signed-rank test that the differences are shifted above 0: the
 * probability, under the null hypothesis of a distribution symmetric about 0, of a rank sum of
 * the positive differences at least as large as observed. Zero differences are dropped (a
 * trial where neither improved on the design says nothing); tied magnitudes get mid-ranks.
 * Returns 1 when no difference is left.
 */
export function wilcoxonGreaterP(diffs: readonly number[]): number {
  const d = diffs.filter((v) => v !== 0 && Number.isFinite(v));
  const n = d.length;
  if (n === 0) return 1;
  const order = d.map((v, i) => ({ a: Math.abs(v), i })).sort((x, y) => x.a - y.a);
  // Doubled mid-ranks are integers, so the null distribution is an exact subset-sum count.
  const rank2 = new Array<number>(n);
  for (let k = 0; k < n;) {
    let j = k;
    while (j + 1 < n && order[j + 1].a === order[k].a) j++;
    for (let m = k; m <= j; m++) rank2[order[m].i] = k + j + 2;
    k = j + 1;
  }
  const observed = d.reduce((s, v, i) => s + (v > 0 ? rank2[i] : 0), 0);
  const total = rank2.reduce((s, r) => s + r, 0);
  let counts = new Float64Array(total + 1);
  counts[0] = 1;
  for (const r of rank2) {
    const next = Float64Array.from(counts);
    for (let v = 0; v + r <= total; v++) next[v + r] += counts[v];
    counts = next;
  }
  let tail = 0;
  for (let v = observed; v <= total; v++) tail += counts[v];
  return tail / 2 ** n;
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
 * experiments once, random search `baselineRuns` times. The paired differences (strategy's best
 * true value minus the median of random search's) must be significantly above 0: one-sided
 * exact Wilcoxon signed-rank test at level `alpha`. A strategy no better than random search
 * passes with probability at most `alpha`.
 */
export async function beatsRandomOnce(
  factory: StrategyFactory,
  objectives: readonly TestObjective[],
  seeds: readonly number[],
  st: BeatsRandomSettings,
): Promise<void> {
  const diffs: number[] = [];
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
    diffs.push(ours - bar);
    rows.push(
      `  ${ours > bar ? "won " : ours < bar ? "lost" : "tied"} ${describeObjective(objective, st.space.space)}: strategy ${ours.toFixed(4)}, random median ${bar.toFixed(4)}`,
    );
  }
  const p = wilcoxonGreaterP(diffs);
  if (!(p <= st.alpha))
    throw new PropertyViolation(
      `the strategy did not beat random search significantly: one-sided Wilcoxon signed-rank p = ${p.toFixed(4)} > ${st.alpha} over ${objectives.length} trials ` +
        `(${diffs.filter((d) => d > 0).length} won, ${diffs.filter((d) => d < 0).length} lost; ${st.initialPoints} initial points + ${st.budget} experiments, best true objective, maximum 1):\n${rows.join("\n")}`,
    );
}

/** The beats-random property as a fast-check assertion (trials not shrunk: the verdict is statistical over the whole set). */
export function beatsRandomProperty(factory: StrategyFactory, st: BeatsRandomSettings) {
  // No shrinking (the verdict is statistical over the whole set) and no bias: fast-check's
  // small-value bias would put most peaks at the origin corner instead of the designed mix.
  const trials = fc.noShrink(
    fc.noBias(
      fc
        .record({
          objectives: fc.array(objectivesFor(st.space.space), { minLength: st.trials, maxLength: st.trials }),
          seeds: fc.array(fc.integer({ min: 0, max: 2 ** 30 }), { minLength: st.trials, maxLength: st.trials }),
        })
        .map((r) => Object.assign(r, { [fc.toStringMethod]: () => `${st.trials} trials in ${st.space.name}, strategy seeds ${r.seeds.join(", ")}` })),
    ),
  );
  return fc.asyncProperty(trials, (r) => beatsRandomOnce(factory, r.objectives, r.seeds, st));
}

/** The default baseline: uniform random search over the feasible set. */
export const randomSearch: StrategyFactory = (ctx) => new RandomStrategy(ctx);
