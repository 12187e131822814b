import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../src/core/rng.js";
import { SobolSequence, latinHypercube, maximinLatinHypercube, minPairwiseDistance, initialDesign, parseDesignSpec } from "../../src/bo/design/index.js";
import { CONSTRAINED_SPACE } from "../../src/bo/testing/index.js";
import { DEFAULT_SPACE, checkInBounds, satisfiesConstraints } from "../../src/twin/space.js";
import { toArray } from "../../src/bo/problem/space.js";
import { UsageError } from "../../src/core/errors.js";

describe("Sobol sequence (Joe-Kuo direction numbers)", () => {
  it("reproduces scipy.stats.qmc.Sobol(d=21, scramble=False) points", () => {
    const pts = new SobolSequence(21).draw(1024);
    expect(pts[1]).toEqual(new Array(21).fill(0.5));
    expect(pts[2]).toEqual([0.75, 0.25, 0.25, 0.25, 0.75, 0.75, 0.25, 0.75, 0.75, 0.75, 0.75, 0.75, 0.25, 0.25, 0.75, 0.25, 0.75, 0.25, 0.75, 0.25, 0.25]);
    expect(pts[100]).toEqual([
      0.4140625, 0.2578125, 0.7734375, 0.7265625, 0.8828125, 0.7421875, 0.0234375, 0.4765625, 0.6328125, 0.6953125, 0.4609375, 0.6796875, 0.4765625, 0.8515625,
      0.3203125, 0.4921875, 0.6796875, 0.7421875, 0.8359375, 0.3359375, 0.7578125,
    ]);
    expect(pts[1023]).toEqual([
      0.0009765625, 0.7529296875, 0.6123046875, 0.1455078125, 0.1865234375, 0.4384765625, 0.1396484375, 0.6181640625, 0.3447265625, 0.8505859375, 0.6787109375,
      0.0361328125, 0.1298828125, 0.6650390625, 0.3623046875, 0.4638671875, 0.3134765625, 0.8759765625, 0.5849609375, 0.3193359375, 0.8662109375,
    ]);
  });

  it("scrambled: the first 2^m points put exactly one point in each of 2^m strata of every axis (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 8 }), (seed, m) => {
        const n = 2 ** m;
        const pts = new SobolSequence(6, new Rng(seed)).draw(n);
        for (let j = 0; j < 6; j++) {
          const cells = new Set(pts.map((p) => Math.floor(p[j] * n)));
          expect(cells.size).toBe(n);
        }
        pts.flat().forEach((v) => expect(v >= 0 && v < 1).toBe(true));
      }),
      { numRuns: 20 },
    );
  });

  it("is deterministic for a seed and differs between seeds", () => {
    expect(new SobolSequence(5, new Rng(1)).draw(8)).toEqual(new SobolSequence(5, new Rng(1)).draw(8));
    expect(new SobolSequence(5, new Rng(1)).draw(8)).not.toEqual(new SobolSequence(5, new Rng(2)).draw(8));
  });
});

describe("Latin hypercube", () => {
  it("has one point per stratum on every axis (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e9 }), (n, d, seed) => {
        const pts = latinHypercube(n, d, new Rng(seed));
        for (let j = 0; j < d; j++) expect(new Set(pts.map((p) => Math.floor(p[j] * n))).size).toBe(n);
      }),
      { numRuns: 50 },
    );
  });

  it("maximin selection spreads points at least as well as a single random LHS", () => {
    let better = 0;
    for (let s = 0; s < 20; s++) {
      const a = minPairwiseDistance(maximinLatinHypercube(20, 5, new Rng(s)));
      const b = minPairwiseDistance(latinHypercube(20, 5, new Rng(1000 + s)));
      if (a > b) better++;
    }
    expect(better).toBeGreaterThanOrEqual(18);
  });
});

describe("initial designs", () => {
  it("parses lhs:N and sobol:N and refuses other text", () => {
    expect(parseDesignSpec("lhs:60")).toEqual({ kind: "lhs", count: 60 });
    expect(parseDesignSpec("sobol:10")).toEqual({ kind: "sobol", count: 10 });
    expect(() => parseDesignSpec("grid:5")).toThrow(UsageError);
    expect(() => parseDesignSpec("lhs:0")).toThrow(UsageError);
  });

  it("gives conditions in bounds that satisfy active flow constraints (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("lhs", "sobol"),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.boolean(),
        (kind, count, seed, constrained) => {
          const space = constrained ? CONSTRAINED_SPACE : DEFAULT_SPACE;
          const cs = initialDesign({ kind: kind as "lhs" | "sobol", count }, space, new Rng(seed));
          expect(cs.length).toBe(count);
          for (const c of cs) {
            checkInBounds(space, toArray(space, c));
            expect(satisfiesConstraints(space, c)).toBe(true);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
