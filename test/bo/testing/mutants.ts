// Deliberately broken strategies, one defect each, for the mutation test of sdfl/testing.
// Each wraps a correct built-in (random search or GP-EI) and breaks exactly one thing.
import { Rng } from "../../../src/core/rng.js";
import { createStrategy, RandomStrategy } from "../../../src/bo/strategies/index.js";
import type { Observation, Proposal, Strategy, StrategyContext, StrategyFactory } from "../../../src/bo/strategy.js";
import type { StrategyPropertyName, StrategySuiteOptions } from "../../../src/bo/testing/index.js";
import { denormalize, fromArray, type Condition } from "../../../src/bo/problem/space.js";

/** GP settings that keep the mutation test fast (fewer raw samples and restarts than the default). */
export const FAST_GP = { optimizer: { rawSamples: 256, restarts: 2, maxIterations: 40, thompsonCandidates: 256 } };

export interface Mutant {
  name: string;
  /** The defect, in words. */
  defect: string;
  factory: StrategyFactory;
  /** The property that must catch it. */
  caughtBy: StrategyPropertyName;
  /** Suite options for the run (a user who has the mutant would run with these). */
  options?: StrategySuiteOptions;
}

/** A strategy whose ask/tell are those of `inner` with hooks around them. */
function wrap(
  name: string,
  inner: (ctx: StrategyContext) => Strategy,
  hooks: {
    ask?: (props: Proposal[], call: { n: number; pending: readonly Condition[]; asks: number; ctx: StrategyContext; told: Observation[] }) => Proposal[];
    beforeAsk?: (n: number, pending: readonly Condition[], asks: number) => Promise<void> | void;
    tell?: (results: readonly Observation[], tells: number) => readonly Observation[];
  },
): StrategyFactory {
  return (ctx) => {
    const s = inner(ctx);
    let asks = 0;
    let tells = 0;
    const told: Observation[] = [];
    return {
      name,
      async ask(n, pending = [], options) {
        asks++;
        await hooks.beforeAsk?.(n, pending, asks);
        const props = await s.ask(n, pending, options);
        return hooks.ask ? hooks.ask(props, { n, pending, asks, ctx, told }) : props;
      },
      async tell(results) {
        tells++;
        told.push(...results.map((r) => ({ ...r, condition: { ...r.condition } })));
        await s.tell(hooks.tell ? hooks.tell(results, tells) : results);
      },
      dispose: () => s.dispose?.(),
    };
  };
}

const random = (ctx: StrategyContext): Strategy => new RandomStrategy(ctx);
const gpEi = (ctx: StrategyContext): Strategy => createStrategy("gp-ei", ctx, FAST_GP);
/** The proposal with its first input set to `v`. */
const withFirst = (ctx: StrategyContext, p: Proposal, v: number): Proposal => ({ ...p, condition: { ...p.condition, [ctx.space.inputs[0].name]: v } });
/** Bounds of the first input. */
const first = (ctx: StrategyContext): readonly [number, number] => ctx.space.inputs[0].bounds;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
const standardiseInPlace = (results: readonly Observation[]): readonly Observation[] => {
  const y = results.map((r) => r.objective);
  const m = y.reduce((a, b) => a + b, 0) / Math.max(1, y.length);
  const sd = Math.sqrt(y.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, y.length)) || 1;
  for (const r of results) (r as Observation).objective = (r.objective - m) / sd;
  return results;
};

/** Random search with its own unit-cube sampler (for the sampler defects). */
function sampler(name: string, draw: (rng: Rng, d: number) => number[], feasibleOnly = true): StrategyFactory {
  return async (ctx) => {
    const { feasibleSetOf, isFeasible } = await import("../../../src/bo/optimize/feasibleSet.js");
    const set = feasibleSetOf(ctx.space);
    const rng = new Rng(ctx.seed);
    return {
      name,
      async ask(n) {
        const out: Proposal[] = [];
        while (out.length < n) {
          const z = draw(rng, ctx.space.inputs.length);
          if (feasibleOnly && !isFeasible(set, z)) continue;
          out.push({ condition: fromArray(ctx.space, denormalize(ctx.space, z)) });
        }
        return out;
      },
      async tell() {},
    };
  };
}

/** Three distinct feasible points of any suite space: the centre with the first input at 1/4, 1/2, 3/4 of its range. */
const fixedPoints = (ctx: StrategyContext): Condition[] =>
  [0.25, 0.5, 0.75].map((z0) =>
    fromArray(
      ctx.space,
      denormalize(
        ctx.space,
        ctx.space.inputs.map((_, i) => (i === 0 ? z0 : 0.5)),
      ),
    ),
  );

/** Every defect the issue lists, plus the classic ones. */
export const MUTANTS: Mutant[] = [
  {
    name: "repeats-pending",
    defect: "ignores pending points: proposes the first pending point again",
    factory: wrap("repeats-pending", random, { ask: (p, c) => (c.pending.length > 0 ? [{ condition: { ...c.pending[0] } }, ...p.slice(1)] : p) }),
    caughtBy: "no-repeats",
  },
  {
    name: "repeats-observed",
    defect: "from its second ask on, re-proposes its own latest observation",
    factory: wrap("repeats-observed", random, {
      ask: (p, c) => (c.asks > 1 && c.told.length > 0 ? [{ condition: { ...c.told.at(-1)!.condition } }, ...p.slice(1)] : p),
    }),
    caughtBy: "no-repeats",
  },
  {
    name: "fixed-points",
    defect: "returns the same fixed distinct points every call",
    factory: (ctx) => ({
      name: "fixed",
      ask: async (n) =>
        fixedPoints(ctx)
          .slice(0, n)
          .map((c) => ({ condition: c })),
      tell: async () => {},
    }),
    caughtBy: "no-repeats",
  },
  {
    name: "same-batch-twice",
    defect: "a batch of n is one point n times",
    factory: wrap("same-batch-twice", random, { ask: (p) => p.map(() => ({ condition: { ...p[0].condition } })) }),
    caughtBy: "no-repeats",
  },
  {
    name: "later-asks-not-reproducible",
    defect: "first ask reproducible for the seed, later asks use Math.random",
    factory: wrap("later-asks-not-reproducible", random, {
      ask: (p, c) => (c.asks > 1 ? p.map((q) => withFirst(c.ctx, q, first(c.ctx)[0] + Math.random() * (first(c.ctx)[1] - first(c.ctx)[0]))) : p),
    }),
    caughtBy: "deterministic",
  },
  {
    name: "shared-state-across-instances",
    defect: "a module-level counter moves the first input, so a second strategy with the same seed differs",
    factory: (() => {
      let calls = 0;
      return wrap("shared-state", random, {
        ask: (p, c) => p.map((q) => withFirst(c.ctx, q, first(c.ctx)[0] + (((calls++ * 7.3) % 60) / 60) * (first(c.ctx)[1] - first(c.ctx)[0]))),
      });
    })(),
    caughtBy: "deterministic",
  },
  {
    name: "oob-slightly-from-second-ask",
    defect: "from its second ask on, the first input is 0.01 above its upper bound",
    factory: wrap("oob-slightly", random, { ask: (p, c) => (c.asks > 1 ? [withFirst(c.ctx, p[0], first(c.ctx)[1] + 0.01), ...p.slice(1)] : p) }),
    caughtBy: "in-bounds-and-constraints",
  },
  {
    name: "oob-3degC-from-second-ask",
    defect: "from its second ask on, the first input is 3 units (3 degC in box-5d) above its upper bound",
    factory: wrap("oob-3degC", random, { ask: (p, c) => (c.asks > 1 ? [withFirst(c.ctx, p[0], first(c.ctx)[1] + 3), ...p.slice(1)] : p) }),
    caughtBy: "in-bounds-and-constraints",
  },
  {
    name: "oob-first-ask",
    defect: "at the first ask the first input is 1 unit below its lower bound",
    factory: wrap("oob-first", random, { ask: (p, c) => (c.asks === 1 ? [withFirst(c.ctx, p[0], first(c.ctx)[0] - 1), ...p.slice(1)] : p) }),
    caughtBy: "in-bounds-and-constraints",
  },
  {
    name: "nan",
    defect: "proposes NaN for the last input when asked for a batch",
    factory: wrap("nan", random, {
      ask: (p, c) => (p.length > 1 ? p.map((q, i) => (i === 1 ? { condition: { ...q.condition, [c.ctx.space.inputs.at(-1)!.name]: NaN } } : q)) : p),
    }),
    caughtBy: "in-bounds-and-constraints",
  },
  {
    name: "wrong-batch-size",
    defect: "always returns one proposal",
    factory: wrap("wrong-batch", random, { ask: (p) => p.slice(0, 1) }),
    caughtBy: "in-bounds-and-constraints",
  },
  {
    name: "ignores-constraints",
    defect: "samples the whole box, ignoring the total-flow band",
    factory: sampler("ignores-constraints", (rng, d) => Array.from({ length: d }, () => rng.uniform()), false),
    caughtBy: "in-bounds-and-constraints",
  },
  {
    name: "throws-in-tell",
    defect: "its second tell throws",
    factory: wrap("throws-in-tell", random, {
      tell: (r, k) => {
        if (k === 2) throw new Error("index out of range");
        return r;
      },
    }),
    caughtBy: "caller-data-untouched",
  },
  {
    name: "gp-standardises-in-place",
    defect: "GP-EI whose tell standardises the caller's observations in place",
    factory: wrap("gp-standardises", gpEi, { tell: standardiseInPlace }),
    caughtBy: "caller-data-untouched",
  },
  {
    name: "random-standardises-in-place",
    defect: "random search whose tell standardises the caller's observations in place",
    factory: wrap("random-standardises", random, { tell: standardiseInPlace }),
    caughtBy: "caller-data-untouched",
  },
  {
    name: "sorts-pending-in-place",
    defect: "sorts the pending list it is given by its first input",
    factory: (ctx) =>
      wrap("sorts-pending", random, {
        beforeAsk: (_n, pending) => {
          const x = ctx.space.inputs[0].name;
          (pending as Condition[]).sort((a, b) => a[x] - b[x]);
        },
      })(ctx),
    caughtBy: "caller-data-untouched",
  },
  {
    name: "random-fixed-input",
    defect: "random search that never varies its first input (always mid-range)",
    factory: sampler("fixed-first-input", (rng, d) => Array.from({ length: d }, (_, i) => (i === 0 ? 0.5 : rng.uniform()))),
    caughtBy: "beats-random",
  },
  {
    name: "random-inner-box",
    defect: "random search inside [0.3, 0.7] of every range",
    factory: sampler("inner-box", (rng, d) => Array.from({ length: d }, () => 0.3 + 0.4 * rng.uniform())),
    caughtBy: "beats-random",
  },
  {
    name: "gp-model-minimum",
    defect: "GP-EI told the negated objective: proposes where its model predicts the minimum",
    factory: wrap("gp-model-minimum", gpEi, { tell: (r) => r.map((o) => ({ ...o, objective: -o.objective })) }),
    caughtBy: "beats-random",
  },
  {
    name: "slow-0.5s",
    defect: "takes 0.5 s per ask (budget set to 0.25 s)",
    factory: wrap("slow", random, { beforeAsk: () => sleep(500) }),
    caughtBy: "time-budget",
    options: { askSeconds: 0.25, maxSteps: 2 },
  },
  {
    name: "slow-30s",
    defect: "takes 30 s per ask (budget 0.25 s)",
    factory: wrap("very-slow", random, { beforeAsk: () => sleep(30000) }),
    caughtBy: "time-budget",
    options: { askSeconds: 0.25, maxSteps: 1 },
  },
  {
    name: "no-incumbent",
    defect: "GP-EI that reports no incumbent",
    factory: wrap("no-incumbent", gpEi, { ask: (p) => p.map((q) => ({ condition: q.condition, info: { ...q.info, incumbent: undefined } })) }),
    caughtBy: "incumbent-never-worse",
  },
  {
    name: "wrong-incumbent",
    defect: "GP-EI that reports its latest observation as the incumbent",
    factory: wrap("wrong-incumbent", gpEi, {
      ask: (p, c) => p.map((q) => ({ condition: q.condition, info: { ...q.info, incumbent: c.told.at(-1)?.objective } })),
    }),
    caughtBy: "incumbent-never-worse",
  },
  {
    name: "data-free-claims-shift-invariance",
    defect: "random search run with shiftInvariant: true (its proposals ignore the data)",
    factory: random,
    caughtBy: "shift-invariant",
    options: { shiftInvariant: true },
  },
];
