import fc from "fast-check";
import { expectedImprovement } from "../acquisition/ei.js";
import { logExpectedImprovement } from "../acquisition/logEi.js";

export type AcquisitionPropertyName =
  "ei-nonnegative" | "ei-increasing-in-mean" | "ei-argmax-shift-invariant" | "logei-matches-log-ei" | "logei-finite-and-monotone-in-tail";

export interface AcquisitionProperty {
  name: AcquisitionPropertyName;
  description: string;
  check(): void;
}

export interface AcquisitionSuiteOptions {
  /** The EI under test, (mean, std, best) -> value. Default: sdfl's. */
  ei?: (mu: number, sigma: number, best: number) => number;
  /** The log-EI under test. Default: sdfl's. */
  logEi?: (mu: number, sigma: number, best: number) => number;
  numRuns?: number;
  seed?: number;
}

const mean = fc.double({ min: -10, max: 10, noNaN: true });
const sd = fc.double({ min: 1e-3, max: 10, noNaN: true });

/**
 * fast-check properties of expected improvement and log-EI as functions of the posterior
 * moments (mean, standard deviation) and the incumbent. Each `check()` throws on failure.
 */
export function acquisitionProperties(options: AcquisitionSuiteOptions = {}): AcquisitionProperty[] {
  const ei = options.ei ?? expectedImprovement;
  const logEi = options.logEi ?? logExpectedImprovement;
  const params = { numRuns: options.numRuns ?? 200, seed: options.seed ?? 20251125 };
  return [
    {
      name: "ei-nonnegative",
      description: "EI >= 0 and finite",
      check: () =>
        fc.assert(
          fc.property(mean, sd, mean, (m, s, b) => ei(m, s, b) >= 0 && Number.isFinite(ei(m, s, b))),
          params,
        ),
    },
    {
      name: "ei-increasing-in-mean",
      description: "EI does not decrease when the posterior mean increases",
      check: () =>
        fc.assert(
          fc.property(mean, mean, sd, mean, (m1, m2, s, b) => {
            const [lo, hi] = m1 <= m2 ? [m1, m2] : [m2, m1];
            return ei(lo, s, b) <= ei(hi, s, b);
          }),
          params,
        ),
    },
    {
      name: "ei-argmax-shift-invariant",
      description: "adding a constant to every mean and to the incumbent leaves the maximiser of EI over candidates unchanged",
      check: () =>
        fc.assert(
          fc.property(fc.array(fc.tuple(mean, sd), { minLength: 2, maxLength: 20 }), mean, fc.double({ min: -100, max: 100, noNaN: true }), (cands, b, c) => {
            const v0 = cands.map(([m, s]) => ei(m, s, b));
            const v1 = cands.map(([m, s]) => ei(m + c, s, b + c));
            const i0 = v0.indexOf(Math.max(...v0));
            // Up to rounding: the shifted EI at the old maximiser is the shifted maximum.
            return Math.max(...v1) - v1[i0] <= 1e-9 * (1 + Math.abs(Math.max(...v1)));
          }),
          params,
        ),
    },
    {
      name: "logei-matches-log-ei",
      description: "log-EI equals log(EI) wherever EI is representable (> 1e-300)",
      check: () =>
        fc.assert(
          fc.property(mean, sd, mean, (m, s, b) => {
            const e = ei(m, s, b);
            if (!(e > 1e-300)) return true;
            const l = logEi(m, s, b);
            return Math.abs(l - Math.log(e)) <= 1e-8 * (1 + Math.abs(l));
          }),
          params,
        ),
    },
    {
      name: "logei-finite-and-monotone-in-tail",
      description: "far in the tail, where EI underflows to 0, log-EI stays finite and increases with the mean",
      check: () =>
        fc.assert(
          fc.property(
            fc.double({ min: 40, max: 1e6, noNaN: true }),
            fc.double({ min: 1e-3, max: 0.5, noNaN: true }),
            fc.double({ min: 1e-3, max: 10, noNaN: true }),
            (zGap, frac, s) => {
              // Two means far below the incumbent 0: mu = -zGap s and a slightly larger one.
              const m1 = -zGap * s;
              const m2 = m1 + frac * zGap * s * 0.5;
              const l1 = logEi(m1, s, 0);
              const l2 = logEi(m2, s, 0);
              return Number.isFinite(l1) && Number.isFinite(l2) && l2 > l1;
            },
          ),
          params,
        ),
    },
  ];
}
