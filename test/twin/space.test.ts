import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_SPACE, normalize, denormalize, pfoFlow, totalFlow, checkInBounds, paperCondition } from "../../src/twin/space.js";
import { BoundsError } from "../../src/core/errors.js";

const unitPoint = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 });

describe("search space", () => {
  it("normalise then denormalise is the identity (property)", () => {
    fc.assert(
      fc.property(unitPoint, (z) => {
        const x = denormalize(DEFAULT_SPACE, z);
        const back = normalize(DEFAULT_SPACE, x);
        back.forEach((v, i) => expect(v).toBeCloseTo(z[i], 12));
        checkInBounds(DEFAULT_SPACE, x);
      }),
    );
  });

  it("PFO is half the precursor total and the total flow spans 600 to 900 uL/min", () => {
    const lo = paperCondition(DEFAULT_SPACE.inputs.map((s) => s.bounds[0]));
    const hi = paperCondition(DEFAULT_SPACE.inputs.map((s) => s.bounds[1]));
    expect(pfoFlow(lo)).toBe(200);
    expect(totalFlow(lo)).toBe(600);
    expect(totalFlow(hi)).toBe(900);
  });

  it("a value outside the bounds names the input, value, unit and range", () => {
    expect(() => checkInBounds(DEFAULT_SPACE, [190, 100, 100, 50, 250])).toThrow(BoundsError);
    expect(() => checkInBounds(DEFAULT_SPACE, [190, 100, 100, 50, 250])).toThrow(/T = 190 degC is outside the allowed range 120 to 180 degC/);
  });
});
