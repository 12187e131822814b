// The correct GP and random built-ins pass every applicable property of sdfl/testing (the other
// half of the mutation test in ./mutation.test.ts), at the fixed CI seed of ./ciSeed.ts; a failure
// prints fast-check's seed and path to replay it.
import { describe, it } from "vitest";
import { strategyFactory } from "../../../src/bo/strategies/index.js";
import type { StrategyFactory } from "../../../src/bo/strategy.js";
import { strategyProperties, type StrategySuiteOptions } from "../../../src/bo/testing/index.js";
import { FAST_GP } from "./mutants.js";
import { CI_SEED } from "./ciSeed.js";

// GP-EI runs with the default acquisition optimiser (Thompson sampling with 256 candidates: it
// factorises a candidates x candidates covariance per proposal). The other acquisitions share
// the same code path and run with a smaller optimiser (FAST_GP) to keep CI fast.
// shift-invariant is not claimed for the GP built-ins: standardising makes them invariant in
// exact arithmetic, but with few observations the hyperparameter fit turns rounding into a
// different proposal (gp-ei moved 0.079 in the unit cube for a shift of 1.05 at 4 observations:
// seed 1070128858, constrained-5d). The property's not-applicable path is in the mutation test.
const BUILTINS: { name: string; factory: StrategyFactory; options: StrategySuiteOptions }[] = [
  // Random search has no incumbent and is the baseline itself: both properties do not apply.
  { name: "random", factory: strategyFactory("random"), options: { skip: ["beats-random", "incumbent-never-worse"] } },
  { name: "gp-ei", factory: strategyFactory("gp-ei", { optimizer: { thompsonCandidates: 256 } }), options: {} },
  { name: "gp-logei", factory: strategyFactory("gp-logei", FAST_GP), options: {} },
  // PI without a margin exploits: it does not beat random search's median significantly at 10
  // (or 20) experiments on this family (benchmarks/testing-power.ts: 1 of 15 verdicts passed at
  // budget 10, 2 of 5 at 20), so beats-random is left out for it; every other property applies.
  { name: "gp-pi", factory: strategyFactory("gp-pi", FAST_GP), options: { skip: ["beats-random"] } },
  // The default strategy (GP, UCB with beta = 4) and its variants: kernel with an additive or a
  // linear part, linear prior mean with recommendations from the constant-mean GP, the additive
  // part where leave-one-out prefers it.
  { name: "gp-ucb", factory: strategyFactory("gp-ucb", FAST_GP), options: {} },
  { name: "gp-ucb-add", factory: strategyFactory("gp-ucb-add", FAST_GP), options: {} },
  { name: "gp-ucb-lin", factory: strategyFactory("gp-ucb-lin", FAST_GP), options: {} },
  { name: "gp-ucb-trend", factory: strategyFactory("gp-ucb-trend", FAST_GP), options: {} },
  { name: "gp-ucb-trend-shaped-rec", factory: strategyFactory("gp-ucb-trend-shaped-rec", FAST_GP), options: {} },
  { name: "gp-ucb-trend-autoadd", factory: strategyFactory("gp-ucb-trend-autoadd", FAST_GP), options: {} },
  // Pure exploitation serves exploit asks and recommendations; as an optimizer on its own it
  // stalls at corners: it passed 5 of 5 verdicts in benchmarks/testing-power.ts but lost 8 of 10
  // corner-heavy trials in one test run, so beats-random is left out for it too.
  { name: "gp-mean", factory: strategyFactory("gp-mean", FAST_GP), options: { skip: ["beats-random"] } },
  // Noise-aware log-EI (its reported incumbent is still the best observation) and its
  // variants: linear prior mean, trust region.
  { name: "gp-nei", factory: strategyFactory("gp-nei", FAST_GP), options: {} },
  { name: "gp-nei-lin", factory: strategyFactory("gp-nei-lin", FAST_GP), options: {} },
  { name: "gp-nei-tr", factory: strategyFactory("gp-nei-tr", FAST_GP), options: {} },
  // The Monte Carlo noisy EI (joint samples at the observed points and the candidate).
  { name: "gp-qnei", factory: strategyFactory("gp-qnei", FAST_GP), options: {} },
  // The knowledge gradient (about 20 s for the suite with FAST_GP, beats-random 13 s of it).
  { name: "gp-kg", factory: strategyFactory("gp-kg", FAST_GP), options: {} },
  // Thompson sampling explores more (in 5-D its early samples are nearly random): 20 experiments.
  { name: "gp-ts", factory: strategyFactory("gp-ts", FAST_GP), options: { budget: 20 } },
];

for (const b of BUILTINS) {
  describe(`built-in ${b.name} passes sdfl/testing`, () => {
    for (const p of strategyProperties(b.factory, { numRuns: 6, seed: CI_SEED, ...b.options })) it(p.name, () => p.check(), 120_000);
  });
}
