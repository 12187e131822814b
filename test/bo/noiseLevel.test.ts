import { describe, expect, it } from "vitest";
import { noiseVariance, parseNoiseLevel } from "../../src/bo/noiseLevel.js";
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
});
