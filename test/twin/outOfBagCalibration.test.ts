import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { smoothedResiduals, type OutOfBagResidual } from "../../src/twin/outOfBagCalibration.js";

const residual = fc.record({
  row: fc.nat(59),
  members: fc.constant(2),
  residual: fc.double({ min: -1, max: 1, noNaN: true }),
  mean: fc.double({ min: 0.01, max: 1, noNaN: true }),
  memberVar: fc.double({ min: 1e-8, max: 1e-2, noNaN: true }),
  ensembleVar: fc.double({ min: 1e-8, max: 1e-2, noNaN: true }),
  gapSq: fc.double({ min: 0, max: 1, noNaN: true }),
});
const withExtra = (r: Omit<OutOfBagResidual, "extraVar">): OutOfBagResidual => ({ ...r, extraVar: r.memberVar * (1 / 2 - 1 / 20) });

describe("smoothed out-of-bag member variances", () => {
  it("keep the total member variance, the residuals and the extra-variance ratio; each is at least half its own", () => {
    fc.assert(
      fc.property(fc.array(residual, { minLength: 1, maxLength: 40 }), (raw) => {
        const res = raw.map(withExtra);
        const s = smoothedResiduals(res);
        const sum = (v: readonly OutOfBagResidual[]) => v.reduce((t, r) => t + r.memberVar, 0);
        expect(sum(s)).toBeCloseTo(sum(res), 12);
        s.forEach((r, i) => {
          expect(r.residual).toBe(res[i].residual);
          expect(r.mean).toBe(res[i].mean);
          expect(r.memberVar).toBeGreaterThanOrEqual(0.5 * res[i].memberVar * (1 - 1e-12));
          expect(r.extraVar / r.memberVar).toBeCloseTo(res[i].extraVar / res[i].memberVar, 12);
        });
      }),
    );
  });

  it("change nothing when the all-member variance is proportional to the out-of-bag one", () => {
    fc.assert(
      fc.property(fc.array(residual, { minLength: 1, maxLength: 20 }), fc.double({ min: 0.1, max: 10, noNaN: true }), (raw, c) => {
        const res = raw.map((r) => withExtra({ ...r, ensembleVar: c * r.memberVar }));
        smoothedResiduals(res).forEach((r, i) => expect(r.memberVar).toBeCloseTo(res[i].memberVar, 14));
      }),
    );
  });
});
