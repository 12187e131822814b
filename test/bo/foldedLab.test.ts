import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_FOLD_CENTER, FoldedLab, foldPoint } from "../../src/bo/oracles/foldedLab.js";
import { SyntheticLab } from "../../src/bo/oracles/syntheticLab.js";
import { BRANIN } from "../../src/bo/oracles/testFunctions.js";
import { STYBLINSKI_TANG5 } from "../../src/bo/oracles/interiorFunctions.js";
import { searchMaximum } from "../../src/bo/bench/oracleMax.js";
import { Rng } from "../../src/core/rng.js";
import { DEFAULT_SPACE, denormalize, normalize, paperArray, paperCondition } from "../../src/twin/space.js";

const unit = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 });

describe("folded oracles", () => {
  it("property: the fold maps the centre to the target, and stays in the unit cube", () => {
    fc.assert(
      fc.property(unit, unit, unit, (center, target, z) => {
        const c = center.map((v) => 0.2 + 0.6 * v);
        const fold = { center: c, target };
        expect(foldPoint(fold, c)).toEqual(target);
        const u = foldPoint(fold, z);
        for (const v of u) expect(v >= 0 && v <= 1).toBe(true);
      }),
    );
  });

  it("a corner maximum moves inside the box with the same value; measurements report the asked condition", async () => {
    // Branin's maximum of the rescaled objective is at three points; use a corner target instead: the inner value at the corner.
    const inner = new SyntheticLab(BRANIN, { noise: 0, seed: 1, space: DEFAULT_SPACE });
    const corner = [0, 1, 0, 1, 0];
    const lab = new FoldedLab(inner, { center: DEFAULT_FOLD_CENTER, target: corner }, DEFAULT_SPACE);
    const at = (z: readonly number[]) => paperCondition(denormalize(DEFAULT_SPACE, z));
    expect(lab.evaluateTrue([at(DEFAULT_FOLD_CENTER)])[0]).toBeCloseTo(inner.evaluateTrue([at(corner)])[0], 12);
    // Every folded point is an inner point, so the folded maximum is the inner one.
    const folded = searchMaximum((cs) => lab.evaluateTrue(cs), DEFAULT_SPACE, new Rng(2), { samples: 3000, starts: 3 });
    const plain = searchMaximum((cs) => inner.evaluateTrue(cs), DEFAULT_SPACE, new Rng(2), { samples: 3000, starts: 3 });
    expect(folded.value).toBeLessThanOrEqual(plain.value + 1e-6);
    const m = await lab.run(at([0.1, 0.2, 0.3, 0.4, 0.5]));
    expect(normalize(DEFAULT_SPACE, paperArray(m.condition)).map((v) => +v.toFixed(9))).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
  });

  it("Styblinski-Tang: the known interior maximum is the largest value found by a thorough search", () => {
    const lab = new SyntheticLab(STYBLINSKI_TANG5, { noise: 0, seed: 1, space: DEFAULT_SPACE });
    const found = searchMaximum((cs) => lab.evaluateTrue(cs), DEFAULT_SPACE, new Rng(4), { samples: 3000, starts: 5 });
    const known = lab.evaluateTrue([paperCondition(denormalize(DEFAULT_SPACE, STYBLINSKI_TANG5.argmax))])[0];
    expect(known).toBeCloseTo(0.3, 9);
    expect(found.value).toBeLessThanOrEqual(known + 1e-9);
    expect(STYBLINSKI_TANG5.f(STYBLINSKI_TANG5.argmax)).toBeCloseTo(STYBLINSKI_TANG5.max, 6);
  });
});
