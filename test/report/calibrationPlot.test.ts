import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { calibrationSvg, centralQuantile, coverageCurve } from "../../src/report/svg/calibrationPlot.js";

describe("calibration curve", () => {
  it("central quantiles of the standard normal", () => {
    expect(centralQuantile(0.6826894921)).toBeCloseTo(1, 6);
    expect(centralQuantile(0.9544997361)).toBeCloseTo(2, 6);
  });

  it("a calibrated Gaussian predictive lies on the diagonal; an overconfident one below it", async () => {
    const rng = new Rng(5);
    const n = 6000;
    const mean = new Float64Array(n);
    const std = Float64Array.from({ length: n }, () => 0.01 + 0.05 * rng.uniform());
    const y = Float64Array.from(std, (s) => s * rng.normal());
    const levels = [0.5, 0.9];
    const cal = coverageCurve(y, mean, std, levels);
    cal.forEach((c, i) => expect(Math.abs(c - levels[i])).toBeLessThan(0.025));
    const narrow = coverageCurve(
      y,
      mean,
      std.map((s) => s / 2),
      levels,
    );
    narrow.forEach((c, i) => expect(c).toBeLessThan(levels[i] - 0.1));
    const svg = await calibrationSvg(y.slice(0, 50), mean.slice(0, 50), [{ name: "predictive std", std: std.slice(0, 50) }], "t");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toMatch(/predictive std/);
  });
});
