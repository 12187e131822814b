import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { noiseVariance, parseNoiseLevel, RELATIVE_NOISE_FLOOR, relativeNoiseModel, SHAPED_NOISE_CAP, shapedNoiseModel } from "../../src/bo/noiseLevel.js";
import { GpSurrogate } from "../../src/bo/gp/gpSurrogate.js";
import { UsageError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";

describe("declared noise level (--noise-sd)", () => {
  it("parses absolute and relative levels and refuses anything else with a usage error", () => {
    expect(parseNoiseLevel("0.008")).toEqual({ kind: "absolute", sd: 0.008 });
    expect(parseNoiseLevel(" 4% ")).toEqual({ kind: "relative", sd: 0.04 });
    for (const bad of ["", "abc", "-1", "0", "100%", "NaN"]) expect(() => parseNoiseLevel(bad)).toThrow(UsageError);
  });

  it("relative noise becomes the variance of sd x mean |reading|", () => {
    expect(noiseVariance({ kind: "relative", sd: 0.1 }, [0.2, -0.4])).toBeCloseTo(0.03 ** 2, 15);
    expect(noiseVariance({ kind: "absolute", sd: 0.01 }, [5])).toBeCloseTo(1e-4, 15);
  });

  it("the GP keeps a declared noise level instead of estimating it", async () => {
    const rng = new Rng(3);
    const X = Array.from({ length: 25 }, () => [rng.uniform(), rng.uniform()]);
    const y = X.map(([a, b]) => 0.2 + 0.1 * Math.sin(4 * a) * b + 0.004 * rng.normal());
    const declared = new GpSurrogate({ noise: { kind: "absolute", sd: 0.02 } });
    const info = await declared.fit({ X, y }, new Rng(1));
    expect(info.meta.noiseVariance as number).toBeCloseTo(0.02 ** 2, 10);
    expect(info.meta.noise).toBe("fixed");
    const estimated = await new GpSurrogate().fit({ X, y }, new Rng(1));
    expect(estimated.meta.noise).toBe("estimated");
    expect(estimated.meta.noiseVariance as number).toBeLessThan(0.02 ** 2);
  });

  it("relative noise per observation: variance sd^2 (level^2 + (floor x largest level)^2), weights in [0, 1] (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (sd, levels) => {
          const m = relativeNoiseModel(sd, levels);
          const ref = Math.max(...levels.map(Math.abs));
          if ((sd * ref) ** 2 === 0) {
            expect(m).toBeUndefined();
            return;
          }
          expect(m!.ref).toBe(ref);
          expect(Math.max(...m!.weights)).toBeCloseTo(1, 12);
          levels.forEach((l, i) => {
            expect(m!.weights[i]).toBeGreaterThanOrEqual(0);
            expect(m!.weights[i]).toBeLessThanOrEqual(1 + 1e-12);
            const v = m!.constant + m!.proportional * m!.weights[i];
            expect(v).toBeCloseTo(sd ** 2 * (l ** 2 + (RELATIVE_NOISE_FLOOR * ref) ** 2), 12);
          });
        },
      ),
    );
  });

  it("the GP told a relative level per reading fixes each observation's noise at that level, in every mode", async () => {
    const rng = new Rng(5);
    const X = Array.from({ length: 30 }, () => [rng.uniform(), rng.uniform()]);
    const f = ([a, b]: number[]) => 0.05 + 0.3 * a * b;
    const y = X.map((x) => f(x) * (1 + 0.04 * rng.normal()));
    const top = Math.max(...y);
    const reading = new GpSurrogate({ noise: { kind: "relative", sd: 0.04 }, relativeNoiseLevels: "reading" });
    const info = await reading.fit({ X, y }, new Rng(1));
    expect(info.meta.noise).toBe("fixed, relative to each observation's reading");
    // Noise sd at the largest reading: 4 % of it (with the small floor).
    expect(info.meta.noiseSdAtLargest as number).toBeCloseTo(0.04 * top * Math.hypot(1, RELATIVE_NOISE_FLOOR), 10);
    const smoothed = new GpSurrogate({ noise: { kind: "relative", sd: 0.04 }, relativeNoiseLevels: "smoothed" });
    const s = await smoothed.fit({ X, y }, new Rng(1));
    expect(s.meta.noise).toBe("fixed, relative to each observation's smoothed value");
    // The smoothed top level is close to the top reading (4 % noise) but not equal to it.
    expect(Math.abs((s.meta.noiseSdAtLargest as number) / (info.meta.noiseSdAtLargest as number) - 1)).toBeLessThan(0.1);
    // The pooled stand-in (one variance from the mean reading) is smaller than the noise at the top.
    const pooled = await new GpSurrogate({ noise: { kind: "relative", sd: 0.04 } }).fit({ X, y }, new Rng(1));
    expect(Math.sqrt(pooled.meta.noiseVariance as number)).toBeLessThan(0.04 * top * 0.8);
    // An absolute level is unaffected by the mode.
    const abs = await new GpSurrogate({ noise: { kind: "absolute", sd: 0.01 }, relativeNoiseLevels: "reading" }).fit({ X, y }, new Rng(1));
    expect(abs.meta.noise).toBe("fixed");
    // Fantasies get the noise of their believed value: conditioning works and pins nothing exactly.
    const c = reading.condition([[0.9, 0.9]], [0.3]);
    expect(Math.abs(c.posterior([[0.9, 0.9]]).mean[0] - 0.3)).toBeLessThan(0.03);
  });

  it("shaped noise keeps the pooled mean variance (before the cap), grows with the level and never exceeds the cap (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-8, max: 1, noNaN: true }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (pooled, levels) => {
          const m = shapedNoiseModel(pooled, levels);
          if (Math.max(...levels.map(Math.abs)) ** 2 === 0) {
            expect(m).toBeUndefined();
            return;
          }
          const v = levels.map((_, i) => m!.constant + m!.proportional * m!.weights[i]);
          const uncapped = levels.map((l) => m!.constant + m!.proportional * (l / m!.ref) ** 2);
          expect(uncapped.reduce((a, b) => a + b, 0) / v.length).toBeCloseTo(pooled, 9);
          v.forEach((vi, i) => {
            expect(vi).toBeLessThanOrEqual(SHAPED_NOISE_CAP * pooled * (1 + 1e-12));
            for (let j = 0; j < v.length; j++) if (Math.abs(levels[i]) > Math.abs(levels[j])) expect(vi).toBeGreaterThanOrEqual(v[j] - 1e-15);
          });
        },
      ),
    );
  });

  it("a GP with shaped noise gives large readings more noise than small ones, and pools the rest", async () => {
    const rng = new Rng(5);
    const X = Array.from({ length: 40 }, () => [rng.uniform(), rng.uniform()]);
    const y = X.map(([a, b]) => (0.05 + 0.3 * a * b) * (1 + 0.04 * rng.normal()));
    const info = await new GpSurrogate({ shapedNoise: true }).fit({ X, y }, new Rng(1));
    expect(info.meta.noise).toBe("estimated, pooled then shaped relative to each observation's smoothed value");
    // Readings span 0.05 to 0.35: the noise sd at the top is several times the one at the bottom.
    expect(info.meta.noiseSdAtLargest as number).toBeGreaterThan(3 * Math.sqrt(info.meta.noiseVariance as number));
  });
});
