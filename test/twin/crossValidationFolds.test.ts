import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { foldsOf } from "../../src/twin/crossValidation.js";

describe("foldsOf", () => {
  it("puts every row in exactly one fold, fold sizes differing by at most one, in either order (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 80 }), fc.integer({ min: 2, max: 12 }), fc.nat(1000), fc.constantFrom("shuffled", "file"), (n, k, seed, order) => {
        fc.pre(k <= n);
        const folds = foldsOf(n, k, seed, order as "shuffled" | "file");
        expect(folds).toHaveLength(k);
        expect(
          folds
            .flat()
            .slice()
            .sort((a, b) => a - b),
        ).toEqual(Array.from({ length: n }, (_, i) => i));
        const sizes = folds.map((f) => f.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });

  it("file order gives contiguous blocks in row order that do not depend on the seed", () => {
    const a = foldsOf(60, 6, 0, "file");
    expect(a[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a[5]).toEqual([50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
    expect(foldsOf(60, 6, 7, "file")).toEqual(a);
    expect(foldsOf(60, 6, 0, "shuffled")[0]).not.toEqual(a[0]);
  });
});
