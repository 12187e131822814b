// Mutation test of sdfl/testing: every deliberately broken strategy in ./mutants.ts must make
// the property that guards against its defect fail (with a fresh fast-check seed each run;
// fast-check prints seed and path on failure). The correct built-ins pass: ./builtins.test.ts.
import { afterAll, describe, expect, it } from "vitest";
import { strategyProperties } from "../../../src/bo/testing/index.js";
import { MUTANTS } from "./mutants.js";

const caught: string[] = [];
const missed: string[] = [];

describe("sdfl/testing fails every broken strategy", () => {
  for (const m of MUTANTS) {
    it(`${m.caughtBy} catches ${m.name}: ${m.defect}`, async () => {
      const property = strategyProperties(m.factory, { numRuns: 20, ...m.options }).find((p) => p.name === m.caughtBy);
      expect(property, `property ${m.caughtBy} is part of the suite`).toBeDefined();
      let error: unknown;
      try {
        await property!.check();
      } catch (e) {
        error = e;
      }
      (error ? caught : missed).push(m.name);
      expect(error, `${m.name} passed ${m.caughtBy}`).toBeInstanceOf(Error);
      // The report names the seed (and path) to replay, and what went wrong.
      expect((error as Error).message).toMatch(/seed: -?\d+/);
      expect((error as Error).message).toMatch(/PropertyViolation|not applicable/);
    }, 60_000);
  }
  afterAll(() => {
    console.log(`mutation test: caught ${caught.length}/${MUTANTS.length} mutants${missed.length ? `; missed: ${missed.join(", ")}` : ""}`);
  });
});
