/* eslint-disable no-loss-of-precision -- reference values from high-precision arithmetic, written with all their digits */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  erfcx,
  expectedImprovement,
  logExpectedImprovement,
  logEiHelper,
  probabilityOfImprovement,
  upperConfidenceBound,
  eiAcquisition,
  logEiAcquisition,
  piAcquisition,
  ucbAcquisition,
  posteriorMeanAcquisition,
  type MomentAcquisition,
} from "../../src/bo/acquisition/index.js";
import { acquisitionProperties } from "../../src/bo/testing/index.js";

describe("normal-distribution helpers", () => {
  it("erfcx matches scipy.special.erfcx", () => {
    const ref: [number, number][] = [
      [0.3, 0.7345993345676554],
      [1.7, 0.2916632970753434],
      [2.6, 0.20361324735670924],
      [12, 0.04685422101489376],
    ];
    for (const [x, v] of ref) expect(Math.abs(erfcx(x) - v) / v).toBeLessThan(1e-13);
  });

  it("log h(z) matches 50-digit mpmath far in the tail", () => {
    const ref: [number, number][] = [
      [-50, -1258.7441828684608531],
      [-1000, -500014.73445209115845],
      [-1e10, -5.0000000000000000047e19],
    ];
    for (const [z, v] of ref) expect(Math.abs(logEiHelper(z) - v) / Math.abs(v)).toBeLessThan(1e-14);
  });
});

describe("acquisition functions on posterior moments", () => {
  it("EI(mean -0.5, variance 1, best 0) = 0.19780 (BoTorch's test value)", () => {
    expect(expectedImprovement(-0.5, 1, 0)).toBeCloseTo(0.1978, 5);
    expect(Math.exp(logExpectedImprovement(-0.5, 1, 0))).toBeCloseTo(0.1978, 5);
  });

  it("EI, PI, UCB match reference values", () => {
    expect(expectedImprovement(0.3, 0.2, 0.1)).toBeCloseTo(0.21666309411753726, 13);
    expect(probabilityOfImprovement(0.3, 0.2, 0.1)).toBeCloseTo(0.8413447460685429, 13);
    // far-tail references from 40-digit mpmath (scipy's pdf + z cdf loses 12 digits here)
    expect(expectedImprovement(-5, 0.5, 0) / 3.737280127294664e-25).toBeCloseTo(1, 12);
    expect(probabilityOfImprovement(-5, 0.5, 0) / 7.619853024160526e-24).toBeCloseTo(1, 12);
    expect(upperConfidenceBound(1, 0.5, 4)).toBe(2);
  });

  it("log-EI stays finite where EI underflows to 0", () => {
    expect(expectedImprovement(-100, 1, 0)).toBe(0);
    const l = logExpectedImprovement(-100, 1, 0);
    expect(Number.isFinite(l)).toBe(true);
    expect(l).toBeLessThan(logExpectedImprovement(-99, 1, 0));
  });

  for (const p of acquisitionProperties()) it(`property: ${p.description}`, () => p.check());

  const acqs: [string, MomentAcquisition][] = [
    ["ei", eiAcquisition(0.2)],
    ["logei", logEiAcquisition(0.2)],
    ["pi", piAcquisition(0.2)],
    ["ucb", ucbAcquisition(2)],
    ["mean", posteriorMeanAcquisition()],
  ];
  for (const [name, acq] of acqs) {
    it(`${name}: analytic derivatives in mean and std match finite differences (property)`, () => {
      fc.assert(
        fc.property(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: 0.05, max: 2, noNaN: true }), (mu, s) => {
          const out = new Float64Array(3);
          acq.grad(mu, s, out);
          const h = 1e-6;
          const dmu = (acq.value(mu + h, s) - acq.value(mu - h, s)) / (2 * h);
          const ds = (acq.value(mu, s + h) - acq.value(mu, s - h)) / (2 * h);
          expect(out[0]).toBeCloseTo(acq.value(mu, s), 12);
          expect(Math.abs(out[1] - dmu)).toBeLessThan(1e-5 * (1 + Math.abs(dmu)));
          expect(Math.abs(out[2] - ds)).toBeLessThan(1e-5 * (1 + Math.abs(ds)));
        }),
        { numRuns: 100 },
      );
    });
  }
});
