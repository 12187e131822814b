import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { responseSurfaces } from "../../../src/twin/insight/responseSurface.js";
import { surfacesSvg } from "../../../src/report/svg/surfaces.js";
import { dodge } from "../../../src/report/svg/beeswarm.js";
import { summarizeMembers } from "../../../src/twin/posterior.js";
import { DEFAULT_PLQY_REFERENCE } from "../../../src/twin/plqy.js";
import { DEFAULT_SPACE } from "../../../src/twin/space.js";
import type { Twin } from "../../../src/twin/twin.js";

/** A two-member analytic twin: member k predicts abs = 0.5 + 0.001 k T, pla = 1e5 + 1000 CsOA - 10 k CuI. */
function analyticTwin(calls: number[]): Twin {
  return {
    inputs: DEFAULT_SPACE.inputs.map((s) => s.name),
    inputBounds: DEFAULT_SPACE.inputs.map((s) => s.bounds),
    memberCount: 2,
    plqyReference: DEFAULT_PLQY_REFERENCE,
    source: "analytic test twin",
    predict(points) {
      calls.push(points.length);
      const n = points.length;
      const abs = new Float64Array(2 * n);
      const pla = new Float64Array(2 * n);
      for (let k = 0; k < 2; k++)
        points.forEach((p, i) => {
          abs[k * n + i] = 0.5 + 0.001 * (k + 1) * p[0];
          pla[k * n + i] = 1e5 + 1000 * p[3] - 10 * k * p[1];
        });
      return summarizeMembers(abs, pla, n, 2, DEFAULT_PLQY_REFERENCE);
    },
    dispose() {},
  };
}

describe("response surfaces", () => {
  it("grids hold the twin's PLQY mean and std at (xs[i], ys[j]) with the others at 10/50/90 % of their ranges, from one predict call", () => {
    const calls: number[] = [];
    const twin = analyticTwin(calls);
    const pairs = responseSurfaces(twin, ["CsOA", "T", "CuI"], { resolution: 5 });
    expect(calls).toEqual([3 * 3 * 25]);
    expect(pairs.map((p) => [p.x, p.y])).toEqual([
      ["CsOA", "T"],
      ["CsOA", "CuI"],
      ["T", "CuI"],
    ]);
    const p = pairs[0];
    expect(p.xs).toEqual([20, 35, 50, 65, 80]);
    expect(p.grids.map((g) => g.held.ODE)).toEqual([226, 250, 274]);
    const g = p.grids[2];
    const point = [p.ys[3], g.held.CuI, g.held.ZnI2, p.xs[1], g.held.ODE];
    const direct = twin.predict([point]);
    expect(g.mean[3 * 5 + 1]).toBeCloseTo(direct.plqyMean[0], 12);
    expect(g.std[3 * 5 + 1]).toBeCloseTo(direct.plqyStd[0], 12);
  });

  it("renders filled contours per panel, a labelled colour bar and axis labels with units", async () => {
    const pairs = responseSurfaces(analyticTwin([]), ["CsOA", "T"], { resolution: 6 });
    const units = Object.fromEntries(DEFAULT_SPACE.inputs.map((s) => [s.name, s.unit]));
    const svg = await surfacesSvg(pairs, { layer: "mean", title: "t", units });
    expect((svg.match(/clip-path="url\(#clip-mean-0-\d\)"/g) ?? []).length).toBe(3);
    expect((svg.match(/<path d="M/g) ?? []).length).toBeGreaterThan(3);
    expect(svg).toContain("CsOA (uL/min)");
    expect(svg).toContain("T (degC)");
    expect(svg).toContain("predicted PLQY proxy (ensemble mean)");
    expect(svg).toContain("CuI 84 uL/min, ZnI2 84 uL/min, ODE 226 uL/min");
  });

  it("beeswarm dodge: dots within the allowed band never overlap (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 300, noNaN: true }), { maxLength: 40 }), (xs) => {
        const placed = dodge(xs, 6, 1000);
        expect(placed.map((p) => p.i).sort((a, b) => a - b)).toEqual(xs.map((_, i) => i));
        const pos = placed.map((p) => ({ x: xs[p.i], y: p.offset }));
        for (let a = 0; a < pos.length; a++)
          for (let b = a + 1; b < pos.length; b++) {
            expect((pos[a].x - pos[b].x) ** 2 + (pos[a].y - pos[b].y) ** 2).toBeGreaterThanOrEqual(36 * 0.9 - 1e-9);
          }
      }),
      { numRuns: 50 },
    );
  });
});
