import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { wilcoxonGreaterP } from "../../../src/bo/testing/index.js";

/** The definition: the share of the 2^n sign flips of |d| whose positive rank sum is at least the observed one. */
function bruteForce(diffs: number[]): number {
  const d = diffs.filter((v) => v !== 0);
  const n = d.length;
  if (n === 0) return 1;
  const a = d.map(Math.abs);
  const rank = a.map((v) => {
    const less = a.filter((w) => w < v).length;
    const equal = a.filter((w) => w === v).length;
    return less + (equal + 1) / 2;
  });
  const w = (signs: number) => rank.reduce((s, r, i) => s + ((signs >> i) & 1 ? r : 0), 0);
  const observed = d.reduce((s, v, i) => s + (v > 0 ? rank[i] : 0), 0);
  let count = 0;
  for (let m = 0; m < 2 ** n; m++) if (w(m) >= observed - 1e-9) count++;
  return count / 2 ** n;
}

describe("wilcoxonGreaterP (the beats-random verdict)", () => {
  it("gives the textbook values", () => {
    expect(wilcoxonGreaterP([1, 2, 3, 4, 5, 6, 7, 8])).toBeCloseTo(1 / 256, 15);
    // Losses of the three smallest magnitudes: W- = 6, P(W- <= 6) = 14 / 256 for n = 8.
    expect(wilcoxonGreaterP([-0.1, -0.2, -0.3, 1, 2, 3, 4, 5])).toBeCloseTo(14 / 256, 15);
    expect(wilcoxonGreaterP([0, 0])).toBe(1);
    expect(wilcoxonGreaterP([-1, -2, -3])).toBe(1);
  });

  it("equals the exact sign-flip probability, ties and zeros included", () => {
    const diff = fc.oneof(fc.integer({ min: -4, max: 4 }), fc.double({ min: -1, max: 1, noNaN: true }));
    fc.assert(
      fc.property(fc.array(diff, { minLength: 0, maxLength: 9 }), (d) => Math.abs(wilcoxonGreaterP(d) - bruteForce(d)) < 1e-12),
      { numRuns: 300 },
    );
  });
});
