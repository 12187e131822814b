import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { plqyProxy, DEFAULT_PLQY_REFERENCE } from "../../src/twin/plqy.js";

describe("PLQY proxy", () => {
  it("equals the reference dye's yield at the dye's own absorbance and area", () => {
    expect(plqyProxy(DEFAULT_PLQY_REFERENCE.abs, DEFAULT_PLQY_REFERENCE.area)).toBeCloseTo(0.1336, 12);
  });
  it("rises with PL area and falls with absorbance (property)", () => {
    const abs = fc.double({ min: 0.05, max: 3, noNaN: true });
    const pla = fc.double({ min: 1, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(abs, pla, fc.double({ min: 1e-3, max: 1, noNaN: true }), (a, p, d) => {
        expect(plqyProxy(a, p * (1 + d))).toBeGreaterThan(plqyProxy(a, p));
        expect(plqyProxy(a + d, p)).toBeLessThan(plqyProxy(a, p));
      }),
    );
  });
});
